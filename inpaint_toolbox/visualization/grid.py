"""Result grids: masked input | output | ground truth."""
from typing import List, Optional, Sequence

import cv2
import numpy as np
import torch


def _to_hwc_uint8(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().float()
        if x.ndim == 3:
            x = x.permute(1, 2, 0)
        x = x.numpy()
    x = np.asarray(x)
    if x.ndim == 2:
        x = x[..., None]
    if x.shape[-1] == 1:
        x = np.repeat(x, 3, axis=-1)
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


def sample_row(gt, mask, outputs: Sequence, hole_color=(255, 255, 255),
               height: Optional[int] = None) -> np.ndarray:
    """One row: the masked input, then each output, then the ground truth.

    Args:
        gt: ``(3, H, W)`` tensor or ``(H, W, 3)`` array in [0, 255].
        mask: ``(1, H, W)`` or ``(H, W)``, 1 = hole.
        outputs: images of the same layout; they may be larger than ``gt``
            (scale > 1) and are then shown at their own size, with the
            inputs resized to match.
        hole_color: RGB fill of the hole in the masked input.
        height: resize every tile to this height (keeps aspect).

    Returns:
        np.ndarray: ``(h, W_total, 3)`` uint8 RGB.
    """
    gt = _to_hwc_uint8(gt)
    m = _to_hwc_uint8(mask)[..., :1] > 0
    masked = np.where(m, np.array(hole_color, np.uint8), gt)
    outs = [_to_hwc_uint8(o) for o in outputs]
    tiles = [masked] + outs + [gt]
    h = height or max(t.shape[0] for t in tiles)
    resized = []
    for t in tiles:
        if t.shape[0] != h:
            w = max(1, round(t.shape[1] * h / t.shape[0]))
            t = cv2.resize(t, (w, h), interpolation=cv2.INTER_NEAREST)
        resized.append(t)
    sep = np.full((h, 2, 3), 255, np.uint8)
    parts: List[np.ndarray] = []
    for t in resized:
        parts += [t, sep]
    return np.concatenate(parts[:-1], axis=1)


def make_grid(rows: Sequence[np.ndarray]) -> np.ndarray:
    """Stack rows of different widths on a white canvas (left-aligned)."""
    if not rows:
        raise ValueError('no rows to draw')
    width = max(r.shape[1] for r in rows)
    canvas = []
    for r in rows:
        pad = np.full((r.shape[0], width - r.shape[1], 3), 255, np.uint8)
        canvas += [np.concatenate([r, pad], axis=1),
                   np.full((2, width, 3), 255, np.uint8)]
    return np.concatenate(canvas[:-1], axis=0)
