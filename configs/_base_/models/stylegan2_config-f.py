# StyleGAN2 config F (Karras et al., CVPR 2020) as in NVIDIA's
# stylegan2-ada-pytorch ('stylegan2' spec of train.py): 8-layer mapping with
# learning-rate multiplier 0.01, z/w 512, channels min(32768 // res, 512),
# residual discriminator with minibatch stddev (group 4), non-saturating
# logistic loss, lazy R1 (gamma 10, every 16 D steps), lazy path-length
# regularization (weight 2, every 4 G steps, decay 0.01, batch / 2), style
# mixing with probability 0.9. Concrete configs set the resolution.
#
# EMA: NVIDIA keeps a half-life of ema_kimg thousand images; per step that
# is momentum = 1 - 0.5 ** (global_batch / (ema_kimg * 1000)). Here
# ema_kimg = 10 and a global batch of 32.
model = dict(
    type='StyleGAN2GAN',
    data_preprocessor=dict(type='GANDataPreprocessor'),
    generator=dict(
        type='StyleGAN2Generator',
        z_dim=512,
        w_dim=512,
        img_resolution=1024,
        channel_base=32768,
        channel_max=512,
        num_mapping_layers=8,
        mapping_lr_multiplier=0.01,
        w_avg_beta=0.995,
        conv_clamp=None),
    discriminator=dict(
        type='StyleGAN2Discriminator',
        img_resolution=1024,
        channel_base=32768,
        channel_max=512,
        mbstd_group_size=4,
        mbstd_num_channels=1,
        conv_clamp=None),
    adv_loss=dict(type='NonSaturatingGANLoss'),
    r1_loss=dict(type='R1Penalty', gamma=10.0, interval=16),
    path_length_loss=dict(
        type='PathLengthRegularizer',
        loss_weight=2.0,
        interval=4,
        decay=0.01,
        batch_shrink=2),
    style_mixing_prob=0.9,
    ema=dict(momentum=1 - 0.5**(32 / (10 * 1000))),
    train_cfg=dict(seed=None),  # None: the seed of `randomness`
    test_cfg=dict(
        use_ema=True, noise_mode='const', truncation_psi=1.0, seed=0))
