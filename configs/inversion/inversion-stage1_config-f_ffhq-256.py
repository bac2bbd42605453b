# Inversion inpainting, stage 1, on FFHQ 256 with a converted public
# StyleGAN2 (config F, 256x256, channels min(32768 // res, 512), z/w 512):
# rosinality's 256x256 FFHQ checkpoint (channel_multiplier=2), converted
# once with
#   python tools/convert_stylegan2.py stylegan2-ffhq-256.pt \
#       checkpoints/stylegan2_ffhq-256.pth
# NVIDIA's 'paper256' networks have half the channels: add
# channel_base=16384 to the generator (and the discriminator) for them.
#
# Encoder: IR-SE-50 feature pyramid (pSp's backbone), trained from scratch
# here (pSp starts from ArcFace weights; load them with an encoder init_cfg
# if you have them). Batches: the frozen generator makes the images; the
# FFHQ folder supplies masks (and the discriminator's real images with
# train_cfg.adv_real='data'). Batch 8 per GPU.
_base_ = [
    '../_base_/models/inversion_stylegan2.py',
    '../_base_/default_runtime.py',
]

resolution = 256
data_root = 'data/ffhq'

model = dict(
    generator=dict(img_resolution=resolution),
    generator_ckpt='checkpoints/stylegan2_ffhq-256.pth',
    encoder=dict(resolution=resolution),
    discriminator=dict(img_resolution=resolution),
    # torchvision's vgg19-dcbb9e9d.pth from a local path (None: disabled)
    perceptual_loss=dict(vgg_weights=None),
    # identity loss from a local face-recognition network, e.g.
    # identity_loss=dict(
    #     type='IdentityLoss', model_path='checkpoints/arcface.pt',
    #     input_size=112, crop=(35 / 256, 223 / 256, 32 / 256, 220 / 256),
    #     loss_weight=0.1),
)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='GenerateMask',
         generator=dict(type='MixedMask', hole_range=(0.1, 0.6))),
    dict(type='PackInpaintInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='GenerateMask', seed=2024,
         generator=dict(type='FreeFormMask', hole_range=(0.2, 0.5))),
    dict(type='PackInpaintInputs'),
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ImageFolderDataset',
        data_root=data_root,
        data_prefix=dict(gt='images256x256'),
        pipeline=train_pipeline))
# held-out faces (any size: predict places them on the 256 canvas)
val_dataloader = dict(
    batch_size=4,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ImageFolderDataset',
        data_root=data_root,
        data_prefix=dict(gt='val256x256'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='PSNR', mask_mode='hole'),
    dict(type='SSIM'),
    dict(type='MAE', mask_mode='hole'),
    dict(type='PSNR', mask_mode='hole', pred_key='pred_img',
         mask_key='known_mask', prefix='known'),
]
test_evaluator = val_evaluator

train_cfg = dict(type='FastForwardIterBasedTrainLoop', max_iters=300_000,
                 val_interval=10_000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(interval=10_000), logger=dict(interval=100))
