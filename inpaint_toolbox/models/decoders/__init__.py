"""Decoders."""
from .conv_upsample_decoder import ConvUpsampleDecoder
from .implicit_pyramid_decoder import ImplicitPyramidDecoder
from .skip_fusion import SkipFusion

__all__ = ['ConvUpsampleDecoder', 'ImplicitPyramidDecoder', 'SkipFusion']
