"""mmengine metrics (registered in ``METRICS``) built on the functional
forms."""
from .attribute_accuracy import AttributeAccuracy
from .base_image_metric import BaseImageMetric
from .diversity import Diversity
from .fid import FID
from .lpips import LPIPS
from .mae import MAE
from .part_region_error import PartRegionError
from .psnr import PSNR
from .ssim import SSIM

__all__ = [
    'AttributeAccuracy', 'BaseImageMetric', 'Diversity', 'FID', 'LPIPS',
    'MAE', 'PSNR', 'PartRegionError', 'SSIM'
]
