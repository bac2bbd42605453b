# IN² (arXiv 2401.10537) at paper scale. The paper's exact hyper-parameters
# are not public: the numbers below are assumptions taken from the building
# blocks it names (LaMa's FFC, HAT's channel attention, NATTEN's
# neighborhood attention, LIIF's implicit queries), sized so that 1024x1024
# runs on CPU at Big-LaMa cost.
model = dict(
    type='IN2Inpaintor',
    generator=dict(
        type='IN2Generator',
        encoder=dict(
            type='DownsampleProcessingEncoder',
            base_channels=64,       # assumption
            num_downsamples=3,      # stride 8
            # FFC blocks per level (stride 2, 4, 8): capacity at low
            # resolution, where a block is cheap (assumption)
            num_ffc_blocks=(0, 1, 3),
            ffc_ratio=0.75),        # LaMa's global ratio
        bottleneck=dict(type='NHAB', num_heads=8, kernel_size=7),
        num_blocks=6,               # assumption
        decoder=dict(
            type='ImplicitPyramidDecoder',
            level_strides=(4, 2, 1),
            # narrow full-resolution level: its MLP runs per output pixel
            level_channels=(64, 32, 16),
            num_frequencies=4)),
    discriminator=dict(type='PatchDiscriminator', base_channels=64,
                       num_layers=3),
    pixel_loss=dict(type='MaskedL1Loss', weight_known=10.0, weight_hole=0.0),
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=10.0),
    r1_loss=dict(type='R1Penalty', gamma=0.001, interval=16),
    feature_matching_loss=dict(type='FeatureMatchingLoss', loss_weight=100.0),
    # torchvision's vgg19-dcbb9e9d.pth from a local path; None disables it
    perceptual_loss=dict(type='PerceptualLoss', vgg_weights=None,
                         loss_weight=30.0),
    ema=dict(momentum=0.001),
)
