"""Evaluation: functional image metrics, the feature networks of FID and
LPIPS, and the mmengine metrics using them."""
from . import feature_nets, functional, metrics
from .feature_nets import FIDInceptionV3, LPIPSNet
from .functional import (diversity, frechet_distance, lpips, mae,
                         part_region_error, pids_uids, psnr, ssim)
from .metrics import (FID, LPIPS, MAE, PSNR, SSIM, BaseImageMetric, Diversity,
                      PartRegionError)

__all__ = [
    'feature_nets', 'functional', 'metrics', 'FIDInceptionV3', 'LPIPSNet',
    'diversity', 'frechet_distance', 'lpips', 'mae', 'part_region_error',
    'pids_uids', 'psnr', 'ssim', 'FID', 'LPIPS', 'MAE', 'PSNR', 'SSIM',
    'BaseImageMetric', 'Diversity', 'PartRegionError'
]
