# Inversion inpainting (arXiv 2307.15033) around a frozen StyleGAN2: an
# encoder maps the erased face to W+, a mixer blends that code with a random
# mapped code (diverse fillings), the generator draws, known pixels are
# pasted back. The paper's exact networks and hyper-parameters are not
# public: the defaults below follow the public building blocks it names
# (pSp's IR-SE-50 feature-pyramid encoder, StyleGAN2's discriminator and
# losses) and a per-layer gated mixer (the toolbox's default). Concrete
# configs set the generator, its weights file and the data.
model = dict(
    type='InversionInpaintor',
    # architecture of the pretrained generator; weights from generator_ckpt
    generator=dict(
        type='StyleGAN2Generator',
        z_dim=512,
        w_dim=512,
        img_resolution=256,
        channel_base=32768,
        channel_max=512,
        num_mapping_layers=8),
    # a converted (tools/convert_stylegan2.py) or StyleGAN2GAN training
    # checkpoint; read when training starts, not when the config is built
    generator_ckpt=None,
    encoder=dict(
        type='InversionEncoder',
        resolution=256,
        backbone='ir_se',
        stage_channels=(64, 128, 256, 512),
        stage_blocks=(3, 4, 14, 3),  # IR-SE-50 as in pSp
        fpn_channels=512),
    mixer=dict(type='GatedLatentMixer', num_layers=2),
    discriminator=dict(
        type='StyleGAN2Discriminator',
        img_resolution=256,
        channel_base=32768,
        channel_max=512),
    # L2 on the known region (the whole image for true-code samples)
    pixel_loss=dict(type='MSELoss', region='known', loss_weight=1.0),
    # torchvision's vgg19-dcbb9e9d.pth from a local path; None disables it
    perceptual_loss=dict(type='PerceptualLoss', vgg_weights=None,
                         criterion='l2', loss_weight=0.8),
    identity_loss=None,  # optional: a local face-recognition network file
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=0.1),
    r1_loss=dict(type='R1Penalty', gamma=10.0, interval=16),
    train_cfg=dict(true_code_prob=0.5, truncation_psi=1.0,
                   noise_mode='const', adv_real='generated', seed=None),
    test_cfg=dict(seed=0, num_samples=1, truncation_psi=1.0,
                  noise_mode='const'),
)
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    inverter=dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))))
