"""Data transforms: loading, masking, adaptive crops, flips, packing."""
from .attribute_packing import PackAttributeInputs
from .crop import RandomCrop
from .flip import RandomFlip
from .formatting import PackInpaintInputs
from .loading import LoadImageFromFile, LoadMaskFromFile
from .masking import GenerateMask
from .rescale import RescaleToLowRes

__all__ = [
    'LoadImageFromFile', 'LoadMaskFromFile', 'GenerateMask', 'RandomCrop',
    'RandomFlip', 'RescaleToLowRes', 'PackInpaintInputs', 'PackAttributeInputs'
]
