# Inversion inpainting, stage 2, on the 64x64 synthetic-faces StyleGAN2:
# starts from the stage-1 checkpoint (init_cfg) and adds the skip path,
# encoder features fused into the generator's 16x16 and 32x32 feature maps
# through learned gates; encoder, mixer and skip path train with the same
# losses. The skip path starts as the identity (zero-initialized output
# convs), so iteration 0 reproduces stage 1.
_base_ = ['./inversion-stage1_c16-64_synthetic-faces-64.py']

stage1_ckpt = ('work_dirs/inversion-stage1_c16-64_synthetic-faces-64/'
               'iter_1000.pth')
model = dict(
    skip_fusion=dict(
        type='StyleGAN2SkipFusion',
        fusion_resolutions=(16, 32),
        base_channels=16,
        max_channels=64),
    # the stage-1 checkpoint holds the generator too: generator_ckpt is
    # not read again
    init_cfg=dict(type='Pretrained', checkpoint=stage1_ckpt),
)
# the new skip path learns faster than the already trained encoder
optim_wrapper = dict(
    inverter=dict(
        optimizer=dict(lr=1e-3),
        # the longest matching key wins: 'skip_fusion' before 'encoder'
        paramwise_cfg=dict(custom_keys={
            'skip_fusion': dict(lr_mult=1.0),
            'encoder': dict(lr_mult=0.1),
            'mixer': dict(lr_mult=0.1)
        })))
train_cfg = dict(max_iters=500, val_interval=500)
