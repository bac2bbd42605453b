# Quick CPU run of the baseline conv inpaintor on synthetic faces: the whole
# training path (data, GAN steps, EMA, validation, grids) in a few minutes.
_base_ = [
    '../_base_/models/conv_baseline.py',
    '../_base_/datasets/synthetic_faces.py',
    '../_base_/schedules/gan_iter.py',
    '../_base_/default_runtime.py',
]

# with no perceptual weights, supervise the hole with L1 too
model = dict(
    pixel_loss=dict(weight_known=10.0, weight_hole=5.0),
    adv_loss=dict(loss_weight=0.1),
    feature_matching_loss=dict(loss_weight=1.0))

train_cfg = dict(max_iters=300, val_interval=300)
train_dataloader = dict(batch_size=8, num_workers=2)
default_hooks = dict(checkpoint=dict(interval=300), logger=dict(interval=20))
