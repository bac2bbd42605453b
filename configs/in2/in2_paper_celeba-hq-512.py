# IN² at paper scale on CelebA-HQ 512 (a GPU job). Real data and VGG19
# weights come from local paths; nothing downloads. The paper's exact
# hyper-parameters are not public: the architecture numbers in
# ../_base_/models/in2.py and the schedule below are assumptions.
_base_ = [
    '../_base_/models/in2.py',
    '../_base_/datasets/celeba_hq_512.py',
    '../_base_/schedules/gan_iter.py',
    '../_base_/default_runtime.py',
]

model = dict(
    # torchvision's VGG19 state dict (vgg19-dcbb9e9d.pth), placed by hand
    perceptual_loss=dict(vgg_weights='data/pretrained/vgg19-dcbb9e9d.pth'))

optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=1e-3)),
    discriminator=dict(optimizer=dict(lr=1e-4)))
train_cfg = dict(max_iters=300_000, val_interval=10_000)
default_hooks = dict(checkpoint=dict(interval=10_000))
