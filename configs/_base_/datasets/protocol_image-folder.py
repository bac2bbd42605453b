# Evaluation protocol on your own images: a folder of images and a folder of
# mask files (e.g. CelebA-HQ / FFHQ test images and NVIDIA's irregular mask
# test set). Nothing downloads; put the files at the paths below or override
# them (tools/compare.py --protocol-options).
#
#   data/eval/images/   images, any size (read as RGB)
#   data/eval/masks/    mask files; holes are WHITE (value > 127) here, as in
#                       NVIDIA's irregular masks: set hole_value='black' for
#                       sets that store holes in black
#
# Each setting takes a seeded crop of its (H, W) from every image (crops,
# never resizes: a face keeps its proportions and lands at varying
# positions; an image smaller than the crop is reflect-padded, so use images
# at least as large as the largest setting) and a seeded mask file, resized
# to (H, W) with nearest neighbour. Crop window and mask choice are pure
# functions of (seed, image index), so every method sees identical pairs.
# Settings as in protocol_synthetic-faces.py: the ideal 512x512 and the
# real-world aspect ratios (H:W) 1:1, 3:4, 4:3, 9:16, 16:9 at long sides 512,
# 1024 and 2048.
protocol_data_root = 'data/eval'
protocol_mask_folder = 'data/eval/masks'
protocol_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', size=(512, 512), seed=2024),
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FolderMask', folder=protocol_mask_folder,
                        hole_value='white')),
    dict(type='PackInpaintInputs'),
]
protocol = dict(
    name='image-folder',
    ideal_sizes=[(512, 512)],
    aspect_ratios=('1:1', '3:4', '4:3', '9:16', '16:9'),
    long_sides=(512, 1024, 2048),
    size_divisor=8,
    # the size of the RandomCrop above (index 1 of the pipeline)
    size_keys=('dataset.pipeline.1.size', ),
    num_samples_key=None,  # every image of the folder
    dataloader=dict(
        batch_size=1,
        num_workers=2,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ImageFolderDataset',
            data_root=protocol_data_root,
            data_prefix=dict(gt='images'),
            test_mode=True,
            pipeline=protocol_pipeline)),
    # no landmarks on real photos, so no part-region error; FID (P-IDS /
    # U-IDS) and LPIPS: add them when their weight files exist
    evaluator=[
        dict(type='PSNR', mask_mode='hole'),
        dict(type='SSIM'),
        dict(type='MAE', mask_mode='hole'),
    ],
)
