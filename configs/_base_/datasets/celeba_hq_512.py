# CelebA-HQ at 512 from a local folder (nothing downloads). Layout:
#   data/celeba_hq/train/*.jpg  and  data/celeba_hq/val/*.jpg
# Masks for evaluation: NVIDIA's irregular mask test set (512x512 PNGs,
# white = hole) in data/irregular_masks.
data_root = 'data/celeba_hq'

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', adaptive=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='GenerateMask',
         generator=dict(type='MixedMask', hole_range=(0.1, 0.6))),
    dict(type='PackInpaintInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FolderMask', folder='data/irregular_masks',
                        hole_value='white')),
    dict(type='PackInpaintInputs'),
]

train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(
        type='AdaptiveShapeBatchSampler',
        aspect_ratios=('1:1', '3:4', '4:3', '2:3', '3:2', '9:16', '16:9'),
        size_range=(256, 512),
        size_divisor=8),
    dataset=dict(
        type='ImageFolderDataset',
        data_root=data_root,
        data_prefix=dict(gt='train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ImageFolderDataset',
        data_root=data_root,
        data_prefix=dict(gt='val'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='PSNR', mask_mode='hole'),
    dict(type='SSIM'),
    dict(type='MAE', mask_mode='hole'),
]
test_evaluator = val_evaluator
