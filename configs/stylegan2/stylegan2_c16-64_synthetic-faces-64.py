# A small StyleGAN2 (config-F architecture, 16 to 64 channels) trained on
# 64x64 procedural synthetic faces: runs on 2 CPU cores in about an hour.
# The hyper-parameters follow the 'auto' spec of NVIDIA's
# stylegan2-ada-pytorch for a 64x64 run with batch 8 (2 mapping layers,
# lr 0.0025, R1 gamma = 0.0002 * 64**2 / 8 ~ 0.1, minibatch-stddev group
# 4), with fewer channels; see README.md.
_base_ = [
    '../_base_/models/stylegan2_config-f.py',
    '../_base_/datasets/synthetic_faces_gan.py',
    '../_base_/schedules/gan_iter.py',
    '../_base_/default_runtime.py',
]

batch_size = 8
# channels[res] = min(1024 // res, 64): 64 up to 16x16, 32 at 32, 16 at 64
channel_cfg = dict(channel_base=1024, channel_max=64)
# EMA half-life of 1k images (NVIDIA's 10k is for runs of millions of
# images): momentum = 1 - 0.5 ** (batch / (ema_kimg * 1000)) = 0.00553
ema_kimg = 1

# Lazy regularization: R1 every 16 D steps, path length every 4 G steps.
# NVIDIA corrects Adam for the extra regularization steps with
# r = interval / (interval + 1): lr *= r, betas **= r.
g_reg_interval = 4
d_reg_interval = 16
g_reg_ratio = g_reg_interval / (g_reg_interval + 1)
d_reg_ratio = d_reg_interval / (d_reg_interval + 1)
base_lr = 0.0025

model = dict(
    generator=dict(
        z_dim=128,
        w_dim=128,
        img_resolution=64,
        num_mapping_layers=2,
        **channel_cfg),
    discriminator=dict(img_resolution=64, **channel_cfg),
    r1_loss=dict(gamma=0.1, interval=d_reg_interval),
    path_length_loss=dict(interval=g_reg_interval),
    ema=dict(momentum=1 - 0.5**(batch_size / (ema_kimg * 1000))))

optim_wrapper = dict(
    _delete_=True,
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        optimizer=dict(
            type='Adam',
            lr=base_lr * g_reg_ratio,
            betas=(0.0, 0.99**g_reg_ratio),
            eps=1e-8)),
    discriminator=dict(
        optimizer=dict(
            type='Adam',
            lr=base_lr * d_reg_ratio,
            betas=(0.0, 0.99**d_reg_ratio),
            eps=1e-8)))

train_dataloader = dict(batch_size=batch_size)
train_cfg = dict(max_iters=10_000, val_interval=10_000)
val_cfg = None
test_cfg = None

default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=1000))
custom_hooks = [
    dict(type='GANSampleHook', interval=500, num_samples=16, seed=0)
]
