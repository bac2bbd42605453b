from .checkpoint import (UnsafeCheckpointError, atomic_save, install,
                         safe_load)
from .setup_env import register_all_modules

__all__ = [
    'UnsafeCheckpointError', 'atomic_save', 'install', 'safe_load',
    'register_all_modules'
]
