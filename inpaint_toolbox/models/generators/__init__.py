from .conv_encoder_decoder import ConvEncoderDecoder
from .in2_generator import IN2Generator
from .stylegan2 import StyleGAN2Generator
from .stylegan2_skip_fusion import GatedFeatureFusion, StyleGAN2SkipFusion

__all__ = [
    'ConvEncoderDecoder', 'IN2Generator', 'StyleGAN2Generator',
    'GatedFeatureFusion', 'StyleGAN2SkipFusion'
]
