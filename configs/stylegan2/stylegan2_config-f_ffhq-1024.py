# StyleGAN2 config F on FFHQ at 1024x1024, the architecture of the public
# checkpoints (NVIDIA's stylegan2-ffhq-config-f, rosinality's converted
# .pt): z/w 512, channels min(32768 // res, 512) =
# {4..64: 512, 128: 256, 256: 128, 512: 64, 1024: 32}. Training follows the
# 'stylegan2' spec of NVIDIA's stylegan2-ada-pytorch: global batch 32
# (4 per GPU on 8 GPUs), Adam lr 0.002 betas (0, 0.99), R1 gamma 10,
# EMA half-life 10k images, 25M images in all.
#
# Fine-tuning from a public checkpoint: convert it (generator and EMA
# weights; the discriminator starts from scratch) with
#   python tools/convert_stylegan2.py stylegan2-ffhq-config-f.pt \
#       checkpoints/stylegan2_ffhq-1024.pth
# and set
#   load_from = 'checkpoints/stylegan2_ffhq-1024.pth'
# Everything else (schedule, losses, EMA, data pipeline) is the 256 config's.
_base_ = ['./stylegan2_config-f_ffhq-256.py']

img_resolution = 1024
model = dict(
    generator=dict(img_resolution=img_resolution),
    discriminator=dict(img_resolution=img_resolution))
train_dataloader = dict(
    dataset=dict(data_prefix=dict(gt='images1024x1024', mask=None)))
