# A seconds-long variant of the quick baseline config for tool tests.
_base_ = ['../../../configs/baselines/conv-baseline_quick_synthetic-faces.py']

model = dict(
    generator=dict(base_channels=8, num_downsamples=2, num_res_blocks=1),
    discriminator=dict(base_channels=8, num_layers=2))
train_cfg = dict(max_iters=4, val_interval=4)
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    batch_sampler=dict(size_range=(32, 48)),
    dataset=dict(num_samples=64, img_size=(48, 48)))
val_dataloader = dict(
    batch_size=2,
    dataset=dict(num_samples=2, img_size=[(40, 56), (48, 40)]))
test_dataloader = val_dataloader
default_hooks = dict(
    checkpoint=dict(interval=2, max_keep_ckpts=10),
    logger=dict(interval=1))
