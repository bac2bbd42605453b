"""Key layouts of StyleGAN2 generator checkpoints and their mapping to ours.

Our ``StyleGAN2Generator`` uses NVIDIA stylegan2-ada-pytorch's ``G_ema``
names (see ``inpaint_toolbox/models/generators/stylegan2.py``). Per
resolution ``res`` (4, 8, ...; ``j = log2(res) - 3`` for res >= 8) and per
noise layer ``n`` (0 for ``b4.conv1``, ``2j + 1``/``2j + 2`` for
``b{res}.conv0``/``conv1``):

ours (= NVIDIA ``G_ema``)        rosinality / mmagic
------------------------------  -------------------------------------------
mapping.fc{i}.weight [O, I]     style.{i+1}.weight /
                                style_mapping.{i+1}.linear.weight_orig
mapping.fc{i}.bias [O]          style.{i+1}.bias / style_mapping.{i+1}.bias
mapping.w_avg [w]               ckpt['latent_avg'] (if saved) / w_avg (if
                                tracked); else estimated when converting
synthesis.b4.const [C, 4, 4]    input.input / constant_input.input
                                [1, C, 4, 4]
b4.conv1, b{res}.conv0/conv1    conv1, convs.{2j}/convs.{2j+1} (both)
  .weight [O, I, 3, 3]            .conv.weight / .conv.weight_orig
                                  [1, O, I, 3, 3]
  .affine.weight [I, w]           .conv.modulation.weight /
                                  .conv.style_modulation.linear.weight_orig
  .affine.bias [I]                .conv.modulation.bias /
                                  .conv.style_modulation.bias
  .noise_strength []              .noise.weight / .noise_injector.weight [1]
  .bias [O]                       .activate.bias (both)
  .noise_const [r, r]             noises.noise_{n} / injected_noise_{n}
                                  [1, 1, r, r]
b4.torgb, b{res}.torgb          to_rgb1, to_rgbs.{j} (both)
  .weight [3, C, 1, 1]            as conv weight, [1, 3, C, 1, 1]
  .affine.{weight,bias}           as conv affine
  .bias [3]                       .bias [1, 3, 1, 1] (both)

All three store equalized-lr weights unscaled (``randn`` init, gain
``lr_mul / sqrt(fan_in)`` applied in ``forward``; the mapping weights are
divided by ``lr_mul`` at init in all three), so the mapping is renames and
reshapes only. The FIR kernels (``resample_filter``, ``blur.kernel``,
``upsample.kernel``) are constants here; they are checked to be
[1, 3, 3, 1] and dropped.

Numerical differences that remain (all far below what an 8-bit image
shows):

- rosinality and mmagic upsample with ``conv_transpose2d(stride=2)`` and a
  blur padded (1, 1) with gain 4, which is exactly NVIDIA's transposed-conv
  path for ``up=2`` (same weight orientation, same padding), so the
  upsampling convs agree.
- rosinality and mmagic demodulate ``w / sqrt(fan_in)`` while NVIDIA
  demodulates the raw ``w``; the results differ only through the ``1e-8``
  inside the square root.
- mmagic's pixel norm is ``x / (||x|| / sqrt(C) + 1e-6)`` instead of
  ``x * rsqrt(mean(x ** 2) + 1e-8)``; mmagic can also output BGR
  (``bgr2rgb``), which is not changed here.
"""
import math
import re
from typing import Dict, Optional, Tuple

import torch

from inpaint_toolbox.models.layers.stylegan2_resample import setup_filter

__all__ = [
    'LAYOUTS', 'detect_layout', 'rosinality_to_ours', 'mmagic_to_ours',
    'nvidia_to_ours'
]

#: Layout names accepted by the converter.
LAYOUTS = ('rosinality', 'nvidia-ada', 'mmagic')

StateDict = Dict[str, torch.Tensor]

# Keys whose presence identifies a layout.
_MARKERS = {
    'rosinality': ('style.1.weight', 'input.input', 'to_rgb1.conv.weight'),
    'nvidia-ada': ('mapping.fc0.weight', 'synthesis.b4.const'),
    'mmagic': ('style_mapping.1.linear.weight_orig', 'constant_input.input'),
}

# rosinality and mmagic share their module structure; only names differ.
_STYLED_NAMES = {
    'rosinality': dict(
        fc_weight='style.{i}.weight', fc_bias='style.{i}.bias',
        const='input.input', weight='{p}.conv.weight',
        affine_weight='{p}.conv.modulation.weight',
        affine_bias='{p}.conv.modulation.bias', noise='{p}.noise.weight',
        bias='{p}.activate.bias', noise_const='noises.noise_{n}',
        rgb_bias='{p}.bias', w_avg=None),
    'mmagic': dict(
        fc_weight='style_mapping.{i}.linear.weight_orig',
        fc_bias='style_mapping.{i}.bias', const='constant_input.input',
        weight='{p}.conv.weight_orig',
        affine_weight='{p}.conv.style_modulation.linear.weight_orig',
        affine_bias='{p}.conv.style_modulation.bias',
        noise='{p}.noise_injector.weight', bias='{p}.activate.bias',
        noise_const='injected_noise_{n}', rgb_bias='{p}.bias',
        w_avg='w_avg'),
}

# FIR kernel buffers that are constants in our generator.
_KERNEL_KEY = re.compile(
    r'.*(\.blur\.kernel|\.upsample\.kernel|(^|\.)resample_filter)$')


def detect_layout(state_dict: StateDict) -> Optional[str]:
    """Return the layout whose marker keys are all present, else None."""
    for name, markers in _MARKERS.items():
        if all(k in state_dict for k in markers):
            return name
    return None


def _check_kernels(state_dict: StateDict, layout: str) -> None:
    """Check every FIR kernel buffer is [1, 3, 3, 1] (any gain)."""
    ref = setup_filter([1, 3, 3, 1])  # [4, 4], sums to 1
    for key, value in state_dict.items():
        if not _KERNEL_KEY.match(key):
            continue
        value = value.detach().float()
        if value.shape != ref.shape or value.sum() == 0 or not torch.allclose(
                value / value.sum(), ref, atol=1e-6):
            raise ValueError(
                f'{layout} checkpoint: {key} is not the [1, 3, 3, 1] FIR '
                f'filter (shape {tuple(value.shape)}); only that filter is '
                f'supported')


def _count(state_dict: StateDict, pattern: str, start: int = 0) -> int:
    """Number of consecutive ``i`` from ``start`` with ``pattern.format(i)``
    in ``state_dict``."""
    n = 0
    while pattern.format(start + n) in state_dict:
        n += 1
    return n


class _Reader:
    """Takes keys out of a state dict, reporting missing and unused ones."""

    def __init__(self, state_dict: StateDict, layout: str):
        self.state_dict = state_dict
        self.layout = layout
        self.used = set()

    def __call__(self, key: str) -> torch.Tensor:
        if key not in self.state_dict:
            raise ValueError(f'{self.layout} checkpoint is missing {key!r} '
                             f'(the generator layout differs or the file is '
                             f'truncated)')
        self.used.add(key)
        return self.state_dict[key].detach()

    def check_all_used(self) -> None:
        unused = sorted(k for k in self.state_dict
                        if k not in self.used and not _KERNEL_KEY.match(k))
        if unused:
            raise ValueError(
                f'{self.layout} checkpoint has {len(unused)} keys that do '
                f'not map to the StyleGAN2 generator (unsupported variant?): '
                f'{unused[:8]}')


def _styled_to_ours(state_dict: StateDict,
                    layout: str) -> Tuple[StateDict, dict]:
    """Shared converter of the rosinality and mmagic layouts."""
    names = _STYLED_NAMES[layout]
    read = _Reader(state_dict, layout)
    _check_kernels(state_dict, layout)
    if layout == 'mmagic' and 'embed.linear.weight_orig' in state_dict:
        raise ValueError('conditional mmagic generators (cond_size > 0) are '
                         'not supported')
    out = {}
    num_fc = _count(state_dict, names['fc_weight'].replace('{i}', '{}'), 1)
    if num_fc < 1:
        raise ValueError(f'{layout} checkpoint has no mapping layers '
                         f'({names["fc_weight"].format(i=1)})')
    for i in range(num_fc):
        out[f'mapping.fc{i}.weight'] = read(names['fc_weight'].format(i=i + 1))
        out[f'mapping.fc{i}.bias'] = read(names['fc_bias'].format(i=i + 1))
    if names['w_avg'] and names['w_avg'] in state_dict:
        out['mapping.w_avg'] = read(names['w_avg']).reshape(-1)

    num_up = _count(state_dict, names['weight'].format(p='to_rgbs.{}'))
    img_resolution = 2**(num_up + 2)

    def styled(src: str, dst: str, noise_idx: int) -> None:
        out[f'{dst}.weight'] = read(names['weight'].format(p=src))[0]
        out[f'{dst}.affine.weight'] = read(
            names['affine_weight'].format(p=src))
        out[f'{dst}.affine.bias'] = read(names['affine_bias'].format(p=src))
        out[f'{dst}.noise_strength'] = read(
            names['noise'].format(p=src)).reshape([])
        out[f'{dst}.bias'] = read(names['bias'].format(p=src))
        key = names['noise_const'].format(n=noise_idx)
        if key in state_dict:
            out[f'{dst}.noise_const'] = read(key)[0, 0]

    def to_rgb(src: str, dst: str) -> None:
        out[f'{dst}.weight'] = read(names['weight'].format(p=src))[0]
        out[f'{dst}.affine.weight'] = read(
            names['affine_weight'].format(p=src))
        out[f'{dst}.affine.bias'] = read(names['affine_bias'].format(p=src))
        out[f'{dst}.bias'] = read(names['rgb_bias'].format(p=src)).reshape(-1)

    out['synthesis.b4.const'] = read(names['const'])[0]
    styled('conv1', 'synthesis.b4.conv1', 0)
    to_rgb('to_rgb1', 'synthesis.b4.torgb')
    for j in range(num_up):
        res = 2**(j + 3)
        styled(f'convs.{2 * j}', f'synthesis.b{res}.conv0', 2 * j + 1)
        styled(f'convs.{2 * j + 1}', f'synthesis.b{res}.conv1', 2 * j + 2)
        to_rgb(f'to_rgbs.{j}', f'synthesis.b{res}.torgb')
    read.check_all_used()

    channels = {4: out['synthesis.b4.const'].shape[0]}
    for j in range(num_up):
        res = 2**(j + 3)
        channels[res] = out[f'synthesis.b{res}.conv0.weight'].shape[0]
    cfg = dict(
        img_resolution=img_resolution,
        img_channels=out['synthesis.b4.torgb.weight'].shape[0],
        z_dim=out['mapping.fc0.weight'].shape[1],
        w_dim=out[f'mapping.fc{num_fc - 1}.weight'].shape[0], c_dim=0,
        num_mapping_layers=num_fc, channels=channels)
    return out, cfg


def rosinality_to_ours(state_dict: StateDict) -> Tuple[StateDict, dict]:
    """Convert rosinality's ``g_ema`` state dict.

    Args:
        state_dict: ``ckpt['g_ema']``.

    Returns:
        tuple: our state dict (without ``mapping.w_avg``: rosinality keeps
        it outside, as ``ckpt['latent_avg']``) and the inferred config
        (``img_resolution, img_channels, z_dim, w_dim, c_dim,
        num_mapping_layers, channels``).
    """
    return _styled_to_ours(state_dict, 'rosinality')


def mmagic_to_ours(state_dict: StateDict) -> Tuple[StateDict, dict]:
    """Convert an mmagic ``StyleGAN2Generator`` state dict (prefix removed).
    """
    return _styled_to_ours(state_dict, 'mmagic')


def nvidia_to_ours(state_dict: StateDict) -> Tuple[StateDict, dict]:
    """Convert NVIDIA ``G_ema`` parameters/buffers (names are kept).

    Returns:
        tuple: our state dict and the inferred config.
    """
    layout = 'nvidia-ada'
    _check_kernels(state_dict, layout)
    if any('.skip.' in k for k in state_dict):
        raise ValueError('NVIDIA generators with the resnet synthesis '
                         'architecture are not supported (skip only)')
    out = {k: v.detach() for k, v in state_dict.items()
           if not _KERNEL_KEY.match(k)}
    for key in _MARKERS[layout]:
        if key not in out:
            raise ValueError(f'{layout} checkpoint is missing {key!r}')
    num_fc = _count(out, 'mapping.fc{}.weight')
    resolutions = sorted(
        int(m.group(1)) for k in out
        for m in [re.match(r'synthesis\.b(\d+)\.conv1\.weight$', k)] if m)
    channels = {res: out[f'synthesis.b{res}.conv1.weight'].shape[0]
                for res in resolutions}
    img_resolution = resolutions[-1]
    expected = [2**i for i in range(2, int(math.log2(img_resolution)) + 1)]
    if resolutions != expected:
        raise ValueError(f'{layout} checkpoint has synthesis blocks '
                         f'{resolutions}; expected {expected}')
    w_dim = out[f'mapping.fc{num_fc - 1}.weight'].shape[0]
    c_dim = 0
    z_dim = out['mapping.fc0.weight'].shape[1]
    if 'mapping.embed.weight' in out:
        embed = out['mapping.embed.weight']
        if embed.shape[0] != w_dim:
            raise ValueError(f'label embedding of size {embed.shape[0]} != '
                             f'w_dim {w_dim} is not supported')
        c_dim = embed.shape[1]
        z_dim -= embed.shape[0]
    cfg = dict(
        img_resolution=img_resolution,
        img_channels=out[f'synthesis.b{img_resolution}.torgb.weight'].shape[0],
        z_dim=z_dim, w_dim=w_dim, c_dim=c_dim, num_mapping_layers=num_fc,
        channels=channels)
    return out, cfg
