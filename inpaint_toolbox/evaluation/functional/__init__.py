"""Image-quality metrics as plain functions on arrays in [0, 255]."""
from .mae import mae
from .part_region import clip_part_box, part_region_error
from .psnr import psnr
from .ssim import ssim, ssim_map

__all__ = [
    'clip_part_box', 'mae', 'part_region_error', 'psnr', 'ssim', 'ssim_map'
]
