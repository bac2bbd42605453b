# Procedural synthetic faces: the built-in data that needs no download. A
# test bed for position-sensitive inpainting, not a stand-in for real photos.
#
# Training uses the adaptive strategy: each batch shares one (H, W) drawn
# from the aspect ratios below and a long-side range, and every item is a
# random crop (never a resize) of a larger rendered face, so the face's
# position in the frame varies.
train_pipeline = [
    dict(type='LoadImageFromFile'),  # no-op for synthetic arrays
    dict(type='RandomCrop', adaptive=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='GenerateMask',
         generator=dict(type='MixedMask', hole_range=(0.1, 0.5))),
    dict(type='PackInpaintInputs'),
]
# Validation and test: fixed, non-square sizes and seeded masks, so every
# method sees the same image-mask pairs.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FreeFormMask', hole_range=(0.2, 0.5))),
    dict(type='PackInpaintInputs'),
]

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(
        type='AdaptiveShapeBatchSampler',
        aspect_ratios=('1:1', '3:4', '4:3', '2:3', '3:2', '9:16', '16:9'),
        size_range=(96, 160),
        size_divisor=8),
    dataset=dict(
        type='SyntheticFaceDataset',
        num_samples=20000,
        img_size=(160, 160),
        seed=0,
        pipeline=train_pipeline))

val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='SyntheticFaceDataset',
        num_samples=16,
        img_size=[(128, 128), (120, 160), (160, 120), (96, 168)],
        seed=10_000,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = [
    dict(type='PSNR', mask_mode='hole'),
    dict(type='SSIM'),
    dict(type='MAE', mask_mode='hole'),
    dict(type='PartRegionError'),
]
test_evaluator = val_evaluator
