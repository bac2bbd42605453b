# A plain conv encoder-decoder with a PatchGAN: the small baseline that runs
# the whole training path. LaMa-like losses; the weights are assumptions.
model = dict(
    type='OneStageInpaintor',
    generator=dict(type='ConvEncoderDecoder', base_channels=32,
                   num_downsamples=3, num_res_blocks=2),
    discriminator=dict(type='PatchDiscriminator', base_channels=32,
                       num_layers=3),
    pixel_loss=dict(type='MaskedL1Loss', weight_known=10.0, weight_hole=0.0),
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=10.0),
    r1_loss=dict(type='R1Penalty', gamma=0.001, interval=16),
    feature_matching_loss=dict(type='FeatureMatchingLoss', loss_weight=100.0),
    # No VGG19 weights ship with the toolbox: give a local torchvision
    # vgg19-dcbb9e9d.pth path to enable it; None disables it with a warning.
    perceptual_loss=dict(type='PerceptualLoss', vgg_weights=None),
    ema=dict(momentum=0.001),
)
