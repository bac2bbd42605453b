# Inversion inpainting, stage 2, on FFHQ 256: the stage-1 model (init_cfg)
# plus the skip path into the generator's 64x64 features (the toolbox's
# default for a 256 generator), trained with the same losses.
_base_ = ['./inversion-stage1_config-f_ffhq-256.py']

stage1_ckpt = 'work_dirs/inversion-stage1_config-f_ffhq-256/iter_300000.pth'
model = dict(
    skip_fusion=dict(
        type='StyleGAN2SkipFusion',
        fusion_resolutions=(64, ),
        base_channels=32,
        max_channels=256),
    init_cfg=dict(type='Pretrained', checkpoint=stage1_ckpt),
)
optim_wrapper = dict(
    inverter=dict(
        # the longest matching key wins: 'skip_fusion' before 'encoder'
        paramwise_cfg=dict(custom_keys={
            'skip_fusion': dict(lr_mult=1.0),
            'encoder': dict(lr_mult=0.1),
            'mixer': dict(lr_mult=0.1)
        })))
train_cfg = dict(max_iters=100_000)
