from .conv_encoder_decoder import ConvEncoderDecoder

__all__ = ['ConvEncoderDecoder']
