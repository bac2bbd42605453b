"""A tiny StyleGAN2GAN (16x16, 16 channels) shared by the GAN tests."""
import copy

from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
from inpaint_toolbox.models.gans import StyleGAN2GAN  # noqa: F401
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

TINY_G = dict(type='StyleGAN2Generator', img_resolution=16, z_dim=16,
              w_dim=16, channel_max=16, num_mapping_layers=2)
TINY_D = dict(type='StyleGAN2Discriminator', img_resolution=16,
              channel_max=16)
TINY = dict(
    type='StyleGAN2GAN',
    generator=TINY_G,
    discriminator=TINY_D,
    r1_loss=dict(type='R1Penalty', gamma=1.0, interval=2),
    path_length_loss=dict(type='PathLengthRegularizer', interval=3),
    ema=dict(momentum=0.5),
    train_cfg=dict(seed=0))


def build_tiny(**overrides):
    """The tiny model with top-level config overrides."""
    cfg = copy.deepcopy(TINY)
    cfg.update(overrides)
    return MODELS.build(cfg)


def tiny_optim(model, lr=1e-2):
    return MultiOptimWrapperConstructor(
        dict(generator=dict(optimizer=dict(type='Adam', lr=lr,
                                           betas=(0.0, 0.99))),
             discriminator=dict(optimizer=dict(type='Adam', lr=lr,
                                               betas=(0.0, 0.99)))))(model)
