# Ablation: the adaptive strategy off. Every batch is a 128x128 crop (one
# shape for all batches), as methods trained on squares do.
_base_ = ['./in2_quick_synthetic-faces.py']

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', size=(128, 128)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='GenerateMask',
         generator=dict(type='MixedMask', hole_range=(0.1, 0.5))),
    dict(type='PackInpaintInputs'),
]
train_dataloader = dict(
    batch_sampler=None,
    dataset=dict(pipeline=train_pipeline))
