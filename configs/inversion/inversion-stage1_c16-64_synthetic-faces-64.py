# Inversion inpainting, stage 1, on the 64x64 synthetic-faces StyleGAN2
# (configs/stylegan2/stylegan2_c16-64_synthetic-faces-64.py): encoder and
# mixer learn on images drawn by the frozen generator. CPU-trainable: a
# small IR-SE encoder (4 stages of one block, 32-128 channels) and batch 8.
#
# Generator weights: convert the StyleGAN2 training checkpoint once,
#   python tools/convert_stylegan2.py \
#       work_dirs/stylegan2_c16-64_synthetic-faces-64/iter_10000.pth \
#       checkpoints/stylegan2_synthetic-64.pth
# (or point generator_ckpt at the training checkpoint itself: its
# generator_ema.module.* weights are read).
#
# Batches: the frozen generator makes the images to inpaint; the dataloader
# only supplies masks (synthetic faces at 64x64 with free-form and box
# masks). The discriminator's real images are the generated targets
# (train_cfg.adv_real='generated'). Validation inpaints held-out rendered
# synthetic faces (not generated ones).
_base_ = [
    '../_base_/models/inversion_stylegan2.py',
    '../_base_/default_runtime.py',
]

resolution = 64
# the generator of configs/stylegan2/stylegan2_c16-64_synthetic-faces-64.py
generator_cfg = dict(
    z_dim=128,
    w_dim=128,
    img_resolution=resolution,
    num_mapping_layers=2,
    channel_base=1024,
    channel_max=64)

model = dict(
    generator=generator_cfg,
    generator_ckpt='checkpoints/stylegan2_synthetic-64.pth',
    encoder=dict(
        resolution=resolution,
        stage_channels=(16, 32, 64, 128),
        stage_blocks=(1, 1, 1, 1),
        fpn_channels=64),
    mixer=dict(hidden_channels=128),
    discriminator=dict(
        img_resolution=resolution, channel_base=1024, channel_max=64),
    # no VGG weights ship with the toolbox: L2 (+ adversarial) only
    perceptual_loss=dict(vgg_weights=None),
    adv_loss=dict(loss_weight=0.05),
    r1_loss=dict(gamma=0.1, interval=16),
    train_cfg=dict(true_code_prob=0.5, seed=0),
)

optim_wrapper = dict(
    inverter=dict(optimizer=dict(lr=1e-3, betas=(0.9, 0.99))),
    discriminator=dict(optimizer=dict(lr=2e-4, betas=(0.0, 0.99))))

train_pipeline = [
    dict(type='LoadImageFromFile'),  # no-op for synthetic arrays
    dict(type='GenerateMask',
         generator=dict(type='MixedMask', hole_range=(0.1, 0.6))),
    dict(type='PackInpaintInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FreeFormMask', hole_range=(0.2, 0.5))),
    dict(type='PackInpaintInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='SyntheticFaceDataset',
        num_samples=20_000,
        img_size=(resolution, resolution),
        seed=0,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='SyntheticFaceDataset',
        num_samples=32,
        img_size=(resolution, resolution),
        seed=10_000,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='PSNR', mask_mode='hole'),
    dict(type='SSIM'),
    dict(type='MAE', mask_mode='hole'),
    # known region of the raw prediction (the composite copies it)
    dict(type='PSNR', mask_mode='hole', pred_key='pred_img',
         mask_key='known_mask', prefix='known'),
]
test_evaluator = val_evaluator

train_cfg = dict(type='FastForwardIterBasedTrainLoop', max_iters=1000,
                 val_interval=500)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=500), logger=dict(interval=50))
