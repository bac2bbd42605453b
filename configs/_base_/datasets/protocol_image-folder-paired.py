# Evaluation on your own image-mask pairs at their native sizes: a single
# setting ("native"), no crop, no resize. Every image has a mask file of the
# same size and the same relative path without extension (a/001.jpg <->
# a/001.png; mask_pairing='name').
#
#   data/eval/images/   images (read as RGB)
#   data/eval/masks/    masks; holes WHITE (value > 127). Set
#                       hole_value='black' below for sets that store holes in
#                       black: the convention is never guessed.
protocol_data_root = 'data/eval'
protocol_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMaskFromFile', hole_value='white'),
    dict(type='PackInpaintInputs'),
]
protocol = dict(
    name='image-folder-paired',
    size_keys=(),  # no size settings: the images' own sizes
    num_samples_key=None,
    dataloader=dict(
        batch_size=1,
        num_workers=2,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='ImageFolderDataset',
            data_root=protocol_data_root,
            data_prefix=dict(gt='images', mask='masks'),
            mask_pairing='name',
            test_mode=True,
            pipeline=protocol_pipeline)),
    evaluator=[
        dict(type='PSNR', mask_mode='hole'),
        dict(type='SSIM'),
        dict(type='MAE', mask_mode='hole'),
    ],
)
