"""Mask generators: ``gen(shape=(H, W), rng) -> (H, W)`` uint8, 1 = hole.

Importing this package registers every generator in ``MASK_GENERATORS``.
"""
from .base import BaseMaskGenerator
from .box import BoxMask
from .builder import build_mask_generator
from .folder import FolderMask
from .free_form import FreeFormMask
from .irregular import IrregularMask
from .mixed import MixedMask

__all__ = [
    'BaseMaskGenerator', 'BoxMask', 'FolderMask', 'FreeFormMask',
    'IrregularMask', 'MixedMask', 'build_mask_generator'
]
