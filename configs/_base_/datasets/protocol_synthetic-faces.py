# Evaluation protocol on procedural synthetic faces (no download needed).
#
# Every method sees identical image-mask pairs: face i of a setting is a pure
# function of (seed, i) and the setting's size, its free-form mask of (mask
# seed, i). The face seed is used by no training or validation set
# (training: 0, validation: 10_000). Synthetic faces are a test bed for
# position-sensitive inpainting, not a stand-in for real photographs.
#
# Settings: tools/compare.py builds one test dataloader per setting from
# `protocol.dataloader`, writing the setting's (H, W) into each of
# `protocol.size_keys` (dotted paths inside the dataloader):
# - ideal: 512x512 squares, what methods trained on squares expect;
# - real-world: aspect ratios (H:W) 1:1, 3:4, 4:3, 9:16, 16:9 at long sides
#   512, 1024 and 2048 (short side rounded to a multiple of `size_divisor`).
# A model's test config takes `protocol.dataloader` (the ideal setting) as
# its test_dataloader; other settings by overriding the size, e.g.
#   --cfg-options "test_dataloader.dataset.img_size=(576,1024)"
# A CPU-sized run: tools/compare.py --num-samples N --long-sides ...
protocol_pipeline = [
    dict(type='LoadImageFromFile'),  # no-op for synthetic arrays
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FreeFormMask', hole_range=(0.2, 0.5))),
    dict(type='PackInpaintInputs'),
]
protocol = dict(
    name='synthetic-faces',
    ideal_sizes=[(512, 512)],
    aspect_ratios=('1:1', '3:4', '4:3', '9:16', '16:9'),
    long_sides=(512, 1024, 2048),
    size_divisor=8,
    size_keys=('dataset.img_size', ),
    num_samples_key='dataset.num_samples',
    dataloader=dict(
        batch_size=1,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='SyntheticFaceDataset',
            num_samples=100,
            img_size=(512, 512),
            seed=20_000,
            test_mode=True,
            pipeline=protocol_pipeline)),
    # The metric list is a config choice. FID (with P-IDS / U-IDS) and LPIPS
    # load their feature networks from local weight files: add them when the
    # files exist (see docs/evaluation.md), e.g.
    #   dict(type='FID', inception_weights='data/pretrained/pt_inception.pth'),
    #   dict(type='LPIPS', net='alex', backbone_weights=..., lin_weights=...),
    evaluator=[
        dict(type='PSNR', mask_mode='hole'),
        dict(type='SSIM'),
        dict(type='MAE', mask_mode='hole'),
        dict(type='PartRegionError'),
    ],
)
