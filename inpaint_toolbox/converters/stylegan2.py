"""Convert StyleGAN2 generator checkpoints to inpaint_toolbox's format.

Sources (``src_format``; ``'auto'`` detects from the keys):

- ``'rosinality'``: rosinality stylegan2-pytorch ``.pt``, a dict with
  ``g_ema`` (and ``latent_avg`` when converted from NVIDIA's TF release;
  training checkpoints also hold ``g``, ``d``, optimizers and an
  ``argparse.Namespace``).
- ``'nvidia-ada'``: NVIDIA stylegan2-ada-pytorch ``.pkl`` (``G``, ``D``,
  ``G_ema``), read with a restricted unpickler that never imports or runs
  the code stored in it (see :mod:`.safe_pickle`); or a ``torch.save``'d
  plain state dict of ``G_ema`` (NVIDIA keys), optionally under a
  ``'G_ema'`` key.
- ``'mmagic'``: an mmengine checkpoint whose ``state_dict`` holds
  ``generator_ema.*`` (else ``generator.*``; an extra ``module.`` of the EMA
  wrapper is removed) in mmagic's ``StyleGAN2Generator`` layout, or that
  state dict itself.

Key mappings and the small numerical differences between the layouts are in
:mod:`.stylegan2_layouts`. Files are read with
``torch.load(weights_only=True)``; a torch checkpoint refused only because
it holds known data classes (mmengine's ``HistoryBuffer``/``ConfigDict``) is
read with the restricted unpickler instead.

Output (``torch.save``; only tensors, dicts, lists, str, int, float, None,
so ``torch.load(weights_only=True)`` reads it)::

    {'state_dict': {'generator.<key>': Tensor, 'generator_ema.<key>': Tensor},
     'meta': {'stylegan2': {
         'img_resolution': int, 'img_channels': int, 'z_dim': int,
         'w_dim': int, 'c_dim': int, 'num_ws': int,
         'num_mapping_layers': int, 'mapping_lr_multiplier': float,
         'conv_clamp': float or None, 'channels': {res (int): int},
         'source_format': str, 'source_file': str,
         'w_avg': str, 'noise_const': str}}}

``<key>`` runs over ``StyleGAN2Generator.state_dict()`` (NVIDIA names). Both
prefixes hold the same EMA weights (stored once in the file), so a model
whose ``generator`` and ``generator_ema`` are both StyleGAN2 generators
loads it with mmengine's ``load_checkpoint``. ``w_avg``/``noise_const`` say
whether those came from the source or were made here: a missing ``w_avg`` is
estimated as the mean of ``w`` over ``w_avg_samples`` latents drawn with
``seed`` (as rosinality/mmagic do at run time), missing noise buffers are
drawn with ``seed``.
"""
import argparse
import os
import os.path as osp
import pickle
import warnings
import zipfile
from typing import Any, Dict, Optional, Tuple, Union

import torch

from inpaint_toolbox.converters.safe_pickle import (PersistentRecord,
                                                    load_pickle,
                                                    module_state_dict,
                                                    plain_data,
                                                    torch_load_restricted)
from inpaint_toolbox.converters.stylegan2_layouts import (LAYOUTS,
                                                          detect_layout,
                                                          mmagic_to_ours,
                                                          nvidia_to_ours,
                                                          rosinality_to_ours)
from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator

__all__ = [
    'SRC_FORMATS', 'read_checkpoint', 'extract_generator_state',
    'convert_stylegan2', 'save_stylegan2_checkpoint',
    'load_stylegan2_checkpoint', 'generator_kwargs_from_meta',
    'build_stylegan2_generator', 'load_stylegan2_generator'
]

SRC_FORMATS = ('auto', ) + LAYOUTS
PathLike = Union[str, os.PathLike]
StateDict = Dict[str, torch.Tensor]

_CONVERTERS = {
    'rosinality': rosinality_to_ours,
    'nvidia-ada': nvidia_to_ours,
    'mmagic': mmagic_to_ours,
}
_META_KEYS = ('img_resolution', 'img_channels', 'z_dim', 'w_dim', 'c_dim',
              'channels')


def read_checkpoint(path: PathLike) -> Any:
    """Read a checkpoint file without running code from it.

    Zip (and legacy) ``torch.save`` files go through
    ``torch.load(weights_only=True)``; plain pickles (NVIDIA ``.pkl``)
    through the restricted unpickler.

    Raises:
        FileNotFoundError: If ``path`` is not a file.
        pickle.UnpicklingError: If the file needs a refused global.
    """
    path = os.fspath(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'no such checkpoint file: {path}')
    if zipfile.is_zipfile(path):
        return _torch_load(path)
    obj = load_pickle(path)
    if isinstance(obj, int) and obj == torch.serialization.MAGIC_NUMBER:
        return _torch_load(path)  # legacy torch.save format
    return obj


def _torch_load(path: str) -> Any:
    """``torch.load(weights_only=True)``, then the restricted unpickler."""
    try:
        with torch.serialization.safe_globals([argparse.Namespace]):
            return torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError:
        return torch_load_restricted(path)


def _is_state_dict(obj: Any) -> bool:
    return isinstance(obj, dict) and len(obj) > 0 and all(
        isinstance(k, str) and isinstance(v, torch.Tensor)
        for k, v in obj.items())


def _strip(state_dict: dict, prefix: str) -> StateDict:
    out = {k[len(prefix):]: v for k, v in state_dict.items()
           if k.startswith(prefix)}
    out.pop('steps', None)  # counter of mmengine's EMA wrapper
    if out and all(k.startswith('module.') for k in out):
        out = {k[len('module.'):]: v for k, v in out.items()}
    return out


def _sample_keys(obj: Any, limit: int = 8) -> list:
    keys = list(obj.keys()) if isinstance(obj, dict) else []
    return [str(k) for k in keys[:limit]]


def extract_generator_state(obj: Any) -> Tuple[StateDict, dict]:
    """Find the (EMA) generator state dict inside a loaded checkpoint.

    Args:
        obj: What :func:`read_checkpoint` returned.

    Returns:
        tuple: the state dict in its source layout and extras
        (``latent_avg``: rosinality's W average or None; ``init_kwargs``:
        NVIDIA constructor arguments or {}; ``container``: description).

    Raises:
        ValueError: If no generator is found; lists a few keys found.
    """
    extras = dict(latent_avg=None, init_kwargs={}, container='state dict')
    if isinstance(obj, dict) and 'G_ema' in obj:
        g_ema = obj['G_ema']
        if isinstance(g_ema, PersistentRecord):
            extras['container'] = 'NVIDIA network pickle (G_ema)'
            extras['init_kwargs'] = plain_data(
                g_ema.state.get('_init_kwargs') or {})
            return dict(module_state_dict(g_ema)), extras
        if _is_state_dict(g_ema):
            extras['container'] = "dict['G_ema']"
            return dict(g_ema), extras
    if isinstance(obj, dict) and _is_state_dict(obj.get('g_ema')):
        extras['container'] = "rosinality checkpoint (g_ema)"
        latent = obj.get('latent_avg')
        extras['latent_avg'] = latent if isinstance(latent,
                                                    torch.Tensor) else None
        return dict(obj['g_ema']), extras
    if isinstance(obj, dict) and isinstance(obj.get('state_dict'), dict):
        state = obj['state_dict']
        for prefix in ('generator_ema.', 'generator.'):
            found = _strip(state, prefix)
            if found:
                extras['container'] = f'mmengine checkpoint ({prefix[:-1]})'
                return found, extras
        if _is_state_dict(state):
            extras['container'] = "dict['state_dict']"
            return dict(state), extras
    if _is_state_dict(obj):
        return dict(obj), extras
    raise ValueError(
        f'unknown StyleGAN2 checkpoint layout: found keys '
        f'{_sample_keys(obj) or type(obj).__name__}; expected a rosinality '
        f"checkpoint (dict with 'g_ema'), an NVIDIA stylegan2-ada pickle or "
        f"state dict (with 'G_ema' or keys like 'mapping.fc0.weight'), or "
        f"an mmagic checkpoint ('state_dict' with 'generator_ema.' keys)")


def _estimate_w_avg(generator: StyleGAN2Generator, num_samples: int,
                    seed: int) -> torch.Tensor:
    """Mean of ``mapping(z)`` over ``num_samples`` seeded latents."""
    rng = torch.Generator().manual_seed(seed)
    z = torch.randn(num_samples, generator.z_dim, generator=rng)
    mapping = generator.mapping
    was_training = mapping.training
    mapping.eval()
    total = torch.zeros(generator.w_dim, dtype=torch.float64)
    with torch.no_grad():
        for chunk in z.split(1024):
            c = torch.zeros(chunk.shape[0], generator.c_dim)
            total += mapping(chunk, c if generator.c_dim else None)[:, 0] \
                .double().sum(dim=0)
    mapping.train(was_training)
    return (total / num_samples).float()


def convert_stylegan2(src: PathLike,
                      src_format: str = 'auto',
                      mapping_lr_multiplier: Optional[float] = None,
                      conv_clamp: Union[float, None, str] = 'auto',
                      w_avg_samples: int = 4096,
                      seed: int = 0) -> dict:
    """Convert a StyleGAN2 generator checkpoint to our format (in memory).

    Args:
        src: Source checkpoint file.
        src_format: ``'auto'``, ``'rosinality'``, ``'nvidia-ada'`` or
            ``'mmagic'``.
        mapping_lr_multiplier: Learning-rate multiplier of the mapping
            network (it scales the stored weights in ``forward``); None:
            from the NVIDIA pickle's constructor arguments, else 0.01.
        conv_clamp: Clamp of the synthesis convs; ``'auto'``: from the
            NVIDIA pickle (stylegan2-ada trains with 256), else None.
        w_avg_samples: Latents used to estimate a missing ``w_avg``.
        seed: Seed for that estimate and for missing noise buffers.

    Returns:
        dict: the checkpoint described in the module docstring.

    Raises:
        FileNotFoundError: If ``src`` does not exist.
        ValueError: Unknown layout, a layout other than ``src_format``, or
            keys that do not fit the generator.
        pickle.UnpicklingError: If the file needs a refused global.
    """
    if src_format not in SRC_FORMATS:
        raise ValueError(f'src_format must be one of {SRC_FORMATS}, got '
                         f'{src_format!r}')
    state, extras = extract_generator_state(read_checkpoint(src))
    layout = detect_layout(state)
    if src_format == 'auto':
        if layout is None:
            raise ValueError(
                f'{src}: unknown StyleGAN2 generator layout in '
                f'{extras["container"]}: found keys {_sample_keys(state)}; '
                f'expected one of {LAYOUTS} (see '
                f'inpaint_toolbox/converters/stylegan2_layouts.py)')
    elif layout is not None and layout != src_format:
        raise ValueError(f'{src} looks like a {layout!r} checkpoint, not '
                         f'{src_format!r}; use --src-format {layout} or auto')
    else:
        layout = src_format
    ours, cfg = _CONVERTERS[layout](state)

    init_kwargs = extras['init_kwargs']
    mapping_kwargs = init_kwargs.get('mapping_kwargs') or {}
    synthesis_kwargs = init_kwargs.get('synthesis_kwargs') or {}
    if synthesis_kwargs.get('architecture', 'skip') != 'skip':
        raise ValueError(f'{src}: synthesis architecture '
                         f'{synthesis_kwargs["architecture"]!r} is not '
                         f'supported (skip only)')
    if mapping_lr_multiplier is None:
        mapping_lr_multiplier = float(
            mapping_kwargs.get('lr_multiplier', 0.01))
    if conv_clamp == 'auto':
        conv_clamp = synthesis_kwargs.get('conv_clamp')
    cfg.update(mapping_lr_multiplier=float(mapping_lr_multiplier),
               conv_clamp=None if conv_clamp is None else float(conv_clamp))
    if extras['latent_avg'] is not None:
        ours['mapping.w_avg'] = extras['latent_avg'].detach().reshape(-1)

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        generator = StyleGAN2Generator(**cfg)
    expected = generator.state_dict()
    missing = sorted(set(expected) - set(ours))
    unexpected = sorted(set(ours) - set(expected))
    fillable = [k for k in missing
                if k == 'mapping.w_avg' or k.endswith('.noise_const')]
    if unexpected or len(fillable) != len(missing):
        raise ValueError(
            f'{src}: converted {layout} keys do not fit the generator '
            f'{cfg}: missing {[k for k in missing if k not in fillable][:8]}'
            f', unexpected {unexpected[:8]}')
    bad_shapes = {k: (tuple(v.shape), tuple(expected[k].shape))
                  for k, v in ours.items() if v.shape != expected[k].shape}
    if bad_shapes:
        shown = dict(list(bad_shapes.items())[:8])
        raise ValueError(f'{src}: tensor shapes do not fit the generator '
                         f'(found, expected): {shown}')
    generator.load_state_dict(ours, strict=False)
    w_avg_note = 'source'
    if 'mapping.w_avg' in missing:
        generator.mapping.w_avg.copy_(
            _estimate_w_avg(generator, w_avg_samples, seed))
        w_avg_note = (f'estimated: mean over {w_avg_samples} z samples, '
                      f'seed {seed}')
    noise_missing = [k for k in missing if k.endswith('.noise_const')]
    noise_note = 'source' if not noise_missing else \
        f'generated with seed {seed} for {len(noise_missing)} layers'

    meta = dict(cfg)
    meta.update(num_ws=generator.num_ws, source_format=layout,
                source_file=osp.basename(os.fspath(src)), w_avg=w_avg_note,
                noise_const=noise_note)
    weights = {k: v.detach().clone().contiguous()
               for k, v in generator.state_dict().items()}
    state_dict = {f'generator.{k}': v for k, v in weights.items()}
    state_dict.update({f'generator_ema.{k}': v for k, v in weights.items()})
    return dict(state_dict=state_dict, meta=dict(stylegan2=meta))


def save_stylegan2_checkpoint(checkpoint: dict, dst: PathLike) -> str:
    """Write a converted checkpoint with ``torch.save`` (parent dirs made).

    Returns:
        str: the path written.
    """
    dst = os.fspath(dst)
    parent = osp.dirname(osp.abspath(dst))
    os.makedirs(parent, exist_ok=True)
    torch.save(checkpoint, dst)
    return dst


def load_stylegan2_checkpoint(path: PathLike) -> dict:
    """Read a converted checkpoint with ``torch.load(weights_only=True)``.

    Raises:
        FileNotFoundError: If ``path`` is not a file.
        ValueError: If it is not a converted StyleGAN2 checkpoint.
    """
    path = os.fspath(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'no such checkpoint file: {path}')
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    meta = ckpt.get('meta', {}).get('stylegan2') \
        if isinstance(ckpt, dict) and isinstance(ckpt.get('meta'),
                                                 dict) else None
    if not isinstance(meta, dict) or not isinstance(
            ckpt.get('state_dict'), dict):
        raise ValueError(
            f'{path} is not a converted StyleGAN2 checkpoint (no '
            f"'state_dict' and meta['stylegan2']); convert it with "
            f'tools/convert_stylegan2.py first')
    missing = [k for k in _META_KEYS if k not in meta]
    if missing:
        raise ValueError(f'{path}: meta["stylegan2"] lacks {missing}')
    meta['channels'] = {int(k): int(v) for k, v in meta['channels'].items()}
    return ckpt


def generator_kwargs_from_meta(meta: dict) -> dict:
    """``StyleGAN2Generator`` keyword arguments from checkpoint meta."""
    if 'stylegan2' in meta:
        meta = meta['stylegan2']
    kwargs = {k: meta[k] for k in _META_KEYS}
    kwargs['channels'] = {int(k): int(v) for k, v in meta['channels'].items()}
    for key in ('num_mapping_layers', 'mapping_lr_multiplier', 'conv_clamp'):
        if key in meta:
            kwargs[key] = meta[key]
    return kwargs


def build_stylegan2_generator(meta: dict, **overrides) -> StyleGAN2Generator:
    """Build the generator described by checkpoint meta (weights random).

    Args:
        meta: ``ckpt['meta']`` or ``ckpt['meta']['stylegan2']``.
        **overrides: Replace single constructor arguments.
    """
    kwargs = generator_kwargs_from_meta(meta)
    kwargs.update(overrides)
    return StyleGAN2Generator(**kwargs)


def load_stylegan2_generator(checkpoint: Union[PathLike, dict],
                             generator: StyleGAN2Generator,
                             prefix: str = 'generator_ema') -> dict:
    """Load a converted checkpoint into ``generator`` after checking it fits.

    Args:
        checkpoint: Converted checkpoint file (see module docstring) or the
            dict :func:`load_stylegan2_checkpoint` returned.
        generator: Target generator.
        prefix: ``'generator_ema'`` or ``'generator'``.

    Returns:
        dict: ``meta['stylegan2']`` of the checkpoint.

    Raises:
        ValueError: If resolution, channels or latent sizes differ (saying
            what was found and what was expected), or the prefix is absent.
    """
    if isinstance(checkpoint, dict):
        ckpt, path = checkpoint, '<checkpoint>'
    else:
        ckpt, path = load_stylegan2_checkpoint(checkpoint), checkpoint
    meta = ckpt['meta']['stylegan2']
    mine = dict(img_resolution=generator.img_resolution,
                img_channels=generator.img_channels, z_dim=generator.z_dim,
                w_dim=generator.w_dim, c_dim=generator.c_dim,
                channels=generator.channels)
    found = {k: meta[k] for k in mine}
    if found != mine:
        diff = sorted(k for k in mine if found[k] != mine[k])
        raise ValueError(
            f'{path} does not fit the generator ({", ".join(diff)} differ): '
            f'checkpoint has {found}; generator expects {mine}')
    if meta.get('conv_clamp') != generator.conv_clamp:
        warnings.warn(f'{path} was converted with conv_clamp='
                      f'{meta.get("conv_clamp")}, the generator uses '
                      f'{generator.conv_clamp}')
    head = prefix.rstrip('.') + '.'
    state = {k[len(head):]: v for k, v in ckpt['state_dict'].items()
             if k.startswith(head)}
    if not state:
        prefixes = sorted({k.split('.')[0] for k in ckpt['state_dict']})
        raise ValueError(f'{path} has no {head!r} weights; prefixes found: '
                         f'{prefixes}')
    generator.load_state_dict(state, strict=True)
    return meta
