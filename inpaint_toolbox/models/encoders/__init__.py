"""Image encoders."""
from .downsample_encoder import DownsampleProcessingEncoder

__all__ = ['DownsampleProcessingEncoder']
