"""Image-quality metrics as plain functions on arrays in [0, 255]."""
from .diversity import diversity
from .frechet import (feature_stats, frechet_distance,
                      frechet_distance_of_features, trace_sqrt_product)
from .lpips import lpips
from .mae import mae
from .paired import paired_difference
from .part_region import clip_part_box, part_region_error
from .pids_uids import pids_uids
from .psnr import psnr
from .ssim import ssim, ssim_map

__all__ = [
    'clip_part_box', 'diversity', 'feature_stats', 'frechet_distance',
    'frechet_distance_of_features', 'lpips', 'mae', 'paired_difference',
    'part_region_error', 'pids_uids', 'psnr', 'ssim', 'ssim_map',
    'trace_sqrt_product'
]
