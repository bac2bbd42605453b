# StyleGAN2 config F on FFHQ at 256x256. Channels min(32768 // res, 512) =
# {4..64: 512, 128: 256, 256: 128}, z/w 512: the layout of rosinality's
# 256x256 FFHQ checkpoints (channel_multiplier=2) and of NVIDIA's original
# config F. NVIDIA's stylegan2-ada 'paper256' networks (e.g. the
# ffhq-res256-mirror-paper256-noaug.pkl transfer source) use half the
# channels: set channel_base=16384 in generator and discriminator for them.
# Training follows the 'stylegan2' spec of NVIDIA's stylegan2-ada-pytorch:
# global batch 32 (4 per GPU on 8 GPUs), Adam lr 0.002 betas (0, 0.99),
# R1 gamma 10 ('paper256' uses 1 with batch 64), EMA half-life 10k images,
# 25M images in all.
#
# Fine-tuning from a public checkpoint: convert it (generator and EMA
# weights; the discriminator starts from scratch) with
#   python tools/convert_stylegan2.py stylegan2-ffhq-256.pt \
#       checkpoints/stylegan2_ffhq-256.pth
# and set
#   load_from = 'checkpoints/stylegan2_ffhq-256.pth'
_base_ = [
    '../_base_/models/stylegan2_config-f.py',
    '../_base_/schedules/gan_iter.py',
    '../_base_/default_runtime.py',
]

img_resolution = 256
batch_per_gpu = 4
num_gpus = 8
ema_kimg = 10
g_reg_interval = 4
d_reg_interval = 16
# lazy-regularization correction of Adam: lr *= r, betas **= r
g_reg_ratio = g_reg_interval / (g_reg_interval + 1)
d_reg_ratio = d_reg_interval / (d_reg_interval + 1)
base_lr = 0.002

model = dict(
    generator=dict(img_resolution=img_resolution),
    discriminator=dict(img_resolution=img_resolution),
    r1_loss=dict(gamma=10.0, interval=d_reg_interval),
    path_length_loss=dict(interval=g_reg_interval),
    ema=dict(momentum=1 - 0.5**(batch_per_gpu * num_gpus /
                                (ema_kimg * 1000))))

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

# FFHQ images at 256x256 in a folder (no resizing happens here); x-flips
# as NVIDIA's --mirror=1. PackInpaintInputs needs a mask: a cheap BoxMask
# that the GAN's data preprocessor ignores.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='GenerateMask',
        generator=dict(type='BoxMask', num_boxes=(1, 1))),
    dict(type='PackInpaintInputs', meta_keys=('gt_path', 'sample_idx')),
]
train_dataloader = dict(
    batch_size=batch_per_gpu,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ImageFolderDataset',
        data_root='data/ffhq',
        data_prefix=dict(gt='images256x256', mask=None),
        pipeline=train_pipeline))
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

# 25M images at a global batch of 32
train_cfg = dict(max_iters=781_250, val_interval=781_250)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=10_000))
custom_hooks = [
    dict(type='GANSampleHook', interval=5000, num_samples=16, seed=0)
]
