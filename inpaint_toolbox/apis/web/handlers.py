"""What the web page does, without the page: parse model specs, turn the
image editor's value into an image and a mask, run a model, save results.

Nothing here imports gradio, so it is tested like any other code.
"""
import os
import os.path as osp
import re
import time
import uuid
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from inpaint_toolbox.apis.inpaint_inferencer import (DEFAULT_MAX_PIXELS,
                                                     InpaintInferencer)
from inpaint_toolbox.utils.image_io import imwrite_rgb

_SPEC = re.compile(r'^(?P<name>[^=]+)=(?P<config>.+?\.py|[^:]+)'
                   r'(?::(?P<ckpt>.+))?$')


def parse_model_spec(spec: str) -> Tuple[str, str, Optional[str]]:
    """Split ``NAME=CONFIG[:CKPT]``.

    Args:
        spec (str): e.g. ``'in2=configs/in2/in2_quick_synthetic-faces.py:
            work_dirs/in2_quick_synthetic-faces/iter_600.pth'``; CONFIG is a
            config file or a config name; without CKPT the model keeps
            random weights.

    Returns:
        tuple: ``(name, config, checkpoint or None)``.

    Raises:
        ValueError: the spec does not have that form.
    """
    match = _SPEC.match(spec.strip())
    if match is None or not match['name'].strip():
        raise ValueError(f'expected NAME=CONFIG[:CKPT], got {spec!r}')
    ckpt = match['ckpt'].strip() if match['ckpt'] else None
    return match['name'].strip(), match['config'].strip(), ckpt


def load_models(
        specs: Sequence[str],
        device: str = 'cpu',
        max_pixels: int = DEFAULT_MAX_PIXELS) -> Dict[str, InpaintInferencer]:
    """Build one inferencer per ``NAME=CONFIG[:CKPT]`` spec, in order.

    Raises:
        ValueError: a bad spec or a name given twice.
        FileNotFoundError: a missing config or checkpoint.
    """
    models: Dict[str, InpaintInferencer] = {}
    for spec in specs:
        name, config, ckpt = parse_model_spec(spec)
        if name in models:
            raise ValueError(f'model name {name!r} given twice')
        if ckpt is not None and not osp.isfile(ckpt):
            raise FileNotFoundError(f'checkpoint of model {name!r} not '
                                    f'found: {ckpt}')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', UserWarning)
            models[name] = InpaintInferencer(
                config, ckpt, device=device, max_pixels=max_pixels)
    if not models:
        raise ValueError('give at least one --model NAME=CONFIG[:CKPT]')
    return models


def model_controls(inf: InpaintInferencer) -> dict:
    """Which controls the page shows for a model.

    Returns:
        dict: ``samples`` (bool: number of samples and seed),
        ``max_scale`` (float, 1 when the model has no scale control),
        ``directions`` (list of edit slider names).
    """
    max_scale = float(getattr(inf.model, 'max_scale', 1.0)) \
        if inf.accepts('scale') else 1.0
    return dict(
        samples=inf.accepts('num_samples') and inf.accepts('seed'),
        max_scale=max_scale,
        directions=inf.direction_names if inf.accepts('edits') else [])


def _flatten_on_white(rgba: np.ndarray) -> np.ndarray:
    """``(H, W, 3|4)`` uint8 to ``(H, W, 3)``, alpha over white."""
    if rgba.shape[-1] == 3:
        return rgba
    a = rgba[..., 3:].astype(np.float64) / 255.0
    rgb = rgba[..., :3].astype(np.float64) * a + 255.0 * (1.0 - a)
    return np.floor(rgb + 0.5).astype(np.uint8)


def editor_to_image_and_mask(value) -> Tuple[np.ndarray, np.ndarray]:
    """The photo and the painted hole from an image editor value.

    Args:
        value (dict): ``background`` ``(H, W, 3|4)`` uint8 (the uploaded
            photo) and ``layers``, a list of ``(H, W, 4)`` uint8 paint
            layers (gradio's ``ImageEditor`` with ``type='numpy'``).

    Returns:
        tuple: ``(H, W, 3)`` uint8 RGB photo and ``(H, W)`` uint8 mask,
        1 where any layer has paint (alpha > 0).

    Raises:
        ValueError: no photo, no paint, or layers of another size.
    """
    bg = None if value is None else value.get('background')
    if bg is None:
        raise ValueError('upload a photo first')
    bg = np.asarray(bg)
    if bg.ndim == 2:
        bg = np.repeat(bg[..., None], 3, axis=-1)
    rgb = _flatten_on_white(bg.astype(np.uint8))
    mask = np.zeros(rgb.shape[:2], bool)
    for layer in value.get('layers') or []:
        layer = np.asarray(layer)
        if layer.shape[:2] != rgb.shape[:2]:
            raise ValueError(f'paint layer size {layer.shape[:2]} differs '
                             f'from the photo size {rgb.shape[:2]}')
        if layer.ndim == 3 and layer.shape[-1] == 4:
            mask |= layer[..., 3] > 0
        else:
            mask |= layer.reshape(*layer.shape[:2], -1).max(-1) > 0
    if not mask.any():
        raise ValueError('paint the hole on the photo with the brush first')
    return rgb, mask.astype(np.uint8)


def run_inpaint(inf: InpaintInferencer,
                rgb: np.ndarray,
                mask: np.ndarray,
                out_dir: str,
                scale: Optional[float] = None,
                num_samples: Optional[int] = None,
                seed: Optional[int] = None,
                edits: Optional[Dict[str, float]] = None) -> dict:
    """Inpaint with the controls the model has and save PNGs to download.

    Options the model does not take are dropped (the page hides their
    controls); a scale of 1 and zero edit strengths are not sent.

    Args:
        inf (InpaintInferencer): the chosen model.
        rgb (np.ndarray): ``(H, W, 3)`` uint8 RGB photo.
        mask (np.ndarray): ``(H, W)`` uint8, 1 = hole.
        out_dir (str): where result PNGs are written.
        scale, num_samples, seed, edits: the page's controls.

    Returns:
        dict: ``images`` (list of ``(H', W', 3)`` uint8 RGB outputs),
        ``files`` (their PNG paths), ``mask`` and ``info`` (one line for
        the page).
    """
    controls = model_controls(inf)
    opts = {}
    if scale is not None and controls['max_scale'] > 1 and scale != 1:
        opts['scale'] = float(scale)
    if controls['samples']:
        if num_samples is not None:
            opts['num_samples'] = int(num_samples)
        if seed is not None:
            opts['seed'] = int(seed)
    if edits and controls['directions']:
        edits = {
            k: float(v)
            for k, v in edits.items() if k in controls['directions'] and v
        }
        if edits:
            opts['edits'] = edits
    start = time.perf_counter()
    res = inf(rgb, mask, **opts)
    seconds = time.perf_counter() - start
    os.makedirs(out_dir, exist_ok=True)
    stamp = uuid.uuid4().hex[:8]
    files = []
    for k, img in enumerate(res['outputs']):
        path = osp.join(out_dir, f'inpainted_{stamp}_{k}.png')
        imwrite_rgb(path, img)
        files.append(path)
    h, w = res['output'].shape[:2]
    info = (f'{len(files)} result(s), {w}x{h}, {seconds:.2f} s' +
            (f', seed {res["seed"]}' if res['seed'] is not None else '') +
            (f', edits {res["edits"]}' if res['edits'] else '') +
            (f', {res["tiles"][0]} of {res["tiles"][1]} tiles run'
             if res['tiles'][1] > 1 else ''))
    return dict(
        images=res['outputs'], files=files, mask=res['mask'], info=info)


def directions_union(models: Dict[str, InpaintInferencer]) -> List[str]:
    """Every edit direction name of any model, sorted (one slider each)."""
    names = set()
    for inf in models.values():
        names.update(model_controls(inf)['directions'])
    return sorted(names)
