from .conv_encoder_decoder import ConvEncoderDecoder
from .in2_generator import IN2Generator

__all__ = ['ConvEncoderDecoder', 'IN2Generator']
