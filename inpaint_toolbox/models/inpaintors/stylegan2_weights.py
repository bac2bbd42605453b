"""Load a frozen StyleGAN2 generator's weights for the inversion model.

Accepted files: converted generator checkpoints (``tools/convert_stylegan2.py``
output, with ``meta['stylegan2']``), StyleGAN2GAN training checkpoints
(``generator_ema.module.*`` keys, else ``generator.*``), inversion-model
checkpoints (``generator.*``) and plain state dicts in our (NVIDIA) key
names. Files in another layout (rosinality, mmagic, NVIDIA pickles) must be
converted first. Files are read without running code stored in them.
"""
import os
import os.path as osp
import re
from typing import Optional

import torch.nn as nn

__all__ = ['load_generator_weights']

_BLOCK_KEY = re.compile(r'^synthesis\.b(\d+)\.')


def _resolution_of(state: dict) -> Optional[int]:
    sides = [int(m.group(1)) for m in map(_BLOCK_KEY.match, state) if m]
    return max(sides) if sides else None


def load_generator_weights(generator: nn.Module, path: str,
                           resolution: int) -> dict:
    """Load ``path`` into ``generator`` after checking it fits.

    Args:
        generator: a ``StyleGAN2Generator``.
        path: checkpoint file (see the module docstring).
        resolution: the resolution the model (its encoder) is configured
            for; the checkpoint's must equal it.

    Returns:
        dict: ``meta['stylegan2']`` of a converted file, else ``{}``.

    Raises:
        FileNotFoundError: no such file.
        ValueError: other layout, other resolution, or weights that do not
            fit the generator config; the message names the file.
    """
    # imported here: the converters import the models package
    from inpaint_toolbox.converters.stylegan2 import (extract_generator_state,
                                                      read_checkpoint)
    from inpaint_toolbox.converters.stylegan2_layouts import detect_layout
    path = os.fspath(path)
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'generator checkpoint not found: {path}. Train one with '
            'configs/stylegan2/ or convert a public one with '
            f'`python tools/convert_stylegan2.py SRC {path}`.')
    ckpt = read_checkpoint(path)
    meta = {}
    if isinstance(ckpt, dict) and isinstance(ckpt.get('meta'), dict):
        meta = dict(ckpt['meta'].get('stylegan2') or {})
    state, _ = extract_generator_state(ckpt)
    layout = detect_layout(state)
    if layout not in (None, 'nvidia-ada'):
        raise ValueError(
            f'{path} holds a {layout} generator: convert it first with '
            f'`python tools/convert_stylegan2.py {path} OUT.pth`')
    found = meta.get('img_resolution', _resolution_of(state))
    if found is None:
        raise ValueError(f'{path} holds no StyleGAN2 synthesis weights '
                         f'(keys like synthesis.b4.const)')
    if int(found) != int(resolution):
        raise ValueError(
            f'generator checkpoint {path} has resolution {found}, but the '
            f'model is configured for {resolution} (encoder.resolution and '
            f'generator.img_resolution): use a {resolution}x{resolution} '
            'generator or change the config')
    for key in ('z_dim', 'w_dim'):
        if key in meta and meta[key] != getattr(generator, key):
            raise ValueError(f'generator checkpoint {path} has {key}='
                             f'{meta[key]}, the generator config '
                             f'{getattr(generator, key)}')
    state = {
        k: v
        for k, v in state.items() if not k.endswith('resample_filter')
    }
    try:
        generator.load_state_dict(state, strict=True)
    except RuntimeError as err:
        raise ValueError(f'generator checkpoint {path} does not fit the '
                         f'generator config: {err}') from None
    return meta
