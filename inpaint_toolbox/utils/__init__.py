from .checkpoint import UnsafeCheckpointError, atomic_save, install, safe_load
from .image_io import imread_mask, imread_rgb, imwrite_rgb
from .setup_env import register_all_modules

__all__ = [
    'UnsafeCheckpointError', 'atomic_save', 'install', 'safe_load',
    'imread_mask', 'imread_rgb', 'imwrite_rgb', 'register_all_modules'
]
