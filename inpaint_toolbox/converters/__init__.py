"""Checkpoint converters (StyleGAN2 formats) and restricted pickle reading."""
from .safe_pickle import (PersistentRecord, RestrictedUnpickler, load_pickle,
                          module_state_dict, torch_load_restricted)
from .stylegan2 import (SRC_FORMATS, build_stylegan2_generator,
                        convert_stylegan2, extract_generator_state,
                        generator_kwargs_from_meta, load_stylegan2_checkpoint,
                        load_stylegan2_generator, read_checkpoint,
                        save_stylegan2_checkpoint)

__all__ = [
    'PersistentRecord', 'RestrictedUnpickler', 'load_pickle',
    'module_state_dict', 'torch_load_restricted', 'SRC_FORMATS',
    'build_stylegan2_generator', 'convert_stylegan2',
    'extract_generator_state', 'generator_kwargs_from_meta',
    'load_stylegan2_checkpoint', 'load_stylegan2_generator',
    'read_checkpoint', 'save_stylegan2_checkpoint'
]
