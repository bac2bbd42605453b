"""Image encoders."""
from .downsample_encoder import DownsampleProcessingEncoder
from .inversion_encoder import InversionEncoder

__all__ = ['DownsampleProcessingEncoder', 'InversionEncoder']
