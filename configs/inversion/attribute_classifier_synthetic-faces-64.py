# A small CNN that predicts binary attributes (smiling, glasses, beard) of
# 64x64 procedural synthetic faces from the renderer's labels. It labels
# images of the synthetic-faces StyleGAN2 for InterFaceGAN direction
# finding (tools/find_directions.py) and checks that edits move their
# attribute. Trains on 2 shared CPU cores in about 10-15 minutes; see
# README.md. Glasses and beard are learnt within a few hundred iterations;
# smiling (a mouth curvature of one or two pixels at 64x64) only after
# about 1500, hence the 4000-iteration schedule.
_base_ = ['../_base_/default_runtime.py']

# The transform and the metric register when the model module is imported;
# importing them here as well keeps the config self-contained.
custom_imports = dict(
    imports=[
        'inpaint_toolbox.datasets.transforms.attribute_packing',
        'inpaint_toolbox.evaluation.metrics.attribute_accuracy',
    ],
    allow_failed_imports=False)

attributes = ('smiling', 'glasses', 'beard')
img_size = (64, 64)  # the synthetic-faces StyleGAN2's resolution
batch_size = 32
max_iters = 4000

model = dict(
    type='AttributeClassifier',
    attributes=attributes,
    base_channels=8,
    num_stages=4,
    max_channels=64,
    data_preprocessor=dict(type='GANDataPreprocessor'))

train_pipeline = [
    # smiling, glasses and beard do not change under a mirror
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackAttributeInputs', attributes=attributes),
]
test_pipeline = [dict(type='PackAttributeInputs', attributes=attributes)]

train_dataloader = dict(
    batch_size=batch_size,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='SyntheticFaceDataset',
        # item i is a pure function of (seed, i): a large set costs nothing
        num_samples=200_000,
        img_size=img_size,
        seed=0,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=100,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='SyntheticFaceDataset',
        num_samples=2000,
        img_size=img_size,
        seed=20_000,  # disjoint from the training seed
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='AttributeAccuracy')
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, begin=0, end=100, by_epoch=False),
    dict(type='CosineAnnealingLR', T_max=max_iters, eta_min=1e-5,
         begin=0, end=max_iters, by_epoch=False),
]
train_cfg = dict(
    type='FastForwardIterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=1000, max_keep_ckpts=1))
custom_hooks = []  # no image grids: the outputs are probabilities
