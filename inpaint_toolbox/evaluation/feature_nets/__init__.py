"""Feature networks of the distribution and perceptual metrics, loading
public weight files from local paths (never downloaded)."""
from .fid_inception import FIDInceptionV3
from .lpips_backbones import LPIPSBackbone
from .lpips_net import LPIPSNet, unit_normalize
from .weight_files import (ALEXNET, DEFAULT_WEIGHTS_DIR, FID_INCEPTION,
                           LPIPS_LIN_ALEX, LPIPS_LIN_VGG, VGG16, WeightFile,
                           check_weight_file)

__all__ = [
    'FIDInceptionV3', 'LPIPSBackbone', 'LPIPSNet', 'unit_normalize', 'ALEXNET',
    'DEFAULT_WEIGHTS_DIR', 'FID_INCEPTION', 'LPIPS_LIN_ALEX', 'LPIPS_LIN_VGG',
    'VGG16', 'WeightFile', 'check_weight_file'
]
