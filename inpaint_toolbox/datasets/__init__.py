"""Datasets, the adaptive-shape batch sampler and the data transforms.

Importing this package registers every component in ``DATASETS``,
``DATA_SAMPLERS`` and ``TRANSFORMS``.
"""
from .base import ShapeIndexMixin, split_shape_index
from .image_folder import IMG_EXTENSIONS, ImageFolderDataset, scan_images
from .samplers import AdaptiveShapeBatchSampler
from .synthetic_faces import SyntheticFaceDataset
from .transforms import (GenerateMask, LoadImageFromFile, LoadMaskFromFile,
                         PackInpaintInputs, RandomCrop, RandomFlip,
                         RescaleToLowRes)

__all__ = [
    'ShapeIndexMixin', 'split_shape_index', 'IMG_EXTENSIONS',
    'ImageFolderDataset', 'scan_images', 'AdaptiveShapeBatchSampler',
    'SyntheticFaceDataset', 'GenerateMask', 'LoadImageFromFile',
    'LoadMaskFromFile', 'PackInpaintInputs', 'RandomCrop', 'RandomFlip',
    'RescaleToLowRes'
]
