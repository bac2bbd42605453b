"""Evaluation: functional image metrics and the mmengine metrics using
them."""
from . import functional, metrics
from .functional import mae, part_region_error, psnr, ssim
from .metrics import MAE, PSNR, SSIM, BaseImageMetric, PartRegionError

__all__ = [
    'functional', 'metrics', 'mae', 'part_region_error', 'psnr', 'ssim', 'MAE',
    'PSNR', 'SSIM', 'BaseImageMetric', 'PartRegionError'
]
