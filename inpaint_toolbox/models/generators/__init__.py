from .conv_encoder_decoder import ConvEncoderDecoder
from .in2_generator import IN2Generator
from .stylegan2 import StyleGAN2Generator

__all__ = ['ConvEncoderDecoder', 'IN2Generator', 'StyleGAN2Generator']
