# Procedural synthetic faces for unconditional GAN training: images only,
# one fixed size (GAN batches are never padded or resized). A test bed that
# needs no download, not a stand-in for real photographs.
#
# PackInpaintInputs wants a mask; a cheap BoxMask provides one and the GAN's
# data preprocessor ignores it.
gan_img_size = (64, 64)
train_pipeline = [
    dict(type='LoadImageFromFile'),  # no-op for synthetic arrays
    dict(
        type='GenerateMask',
        generator=dict(type='BoxMask', num_boxes=(1, 1))),
    dict(type='PackInpaintInputs', meta_keys=('sample_idx', )),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='SyntheticFaceDataset',
        # item i is a pure function of (seed, i): a large set costs nothing
        num_samples=200_000,
        img_size=gan_img_size,
        seed=0,
        pipeline=train_pipeline))
# no validation or test loop: sample grids come from GANSampleHook
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
