from .patch_discriminator import PatchDiscriminator
from .stylegan2_discriminator import StyleGAN2Discriminator

__all__ = ['PatchDiscriminator', 'StyleGAN2Discriminator']
