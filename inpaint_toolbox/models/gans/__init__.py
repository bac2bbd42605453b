"""Unconditional GAN training: StyleGAN2 and its data preprocessor."""
from .gan_data_preprocessor import GANDataPreprocessor, to_pixel_range
from .stylegan2_gan import PathLengthRegularizer, StyleGAN2GAN, fixed_latents

__all__ = [
    'GANDataPreprocessor', 'PathLengthRegularizer', 'StyleGAN2GAN',
    'fixed_latents', 'to_pixel_range'
]
