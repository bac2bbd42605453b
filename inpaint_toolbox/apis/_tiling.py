"""Overlapping tiles for images larger than the inferencer's pixel limit.

A large image is cut into square tiles (the last one on each axis is moved
back to end at the image border), each tile is inpainted alone, and the
tiles' predictions are blended where they overlap with linear ramps, so no
seam shows. At scale 1 a tile with no hole pixel is not run at all: its
composite is the input.
"""
import math
from typing import List, Tuple

import numpy as np

Box = Tuple[int, int, int, int]  # y0, x0, h, w


def tile_side(max_pixels: int, scale: float, size_divisor: int) -> int:
    """The largest square input tile whose output fits ``max_pixels``.

    Args:
        max_pixels (int): most output pixels one model call may produce.
        scale (float): output / input size ratio (>= 1).
        size_divisor (int): the tile side is a multiple of this, so that
            padding never pushes a tile past the limit.

    Returns:
        int: the tile side in input pixels.

    Raises:
        ValueError: the limit is too small for even one padded tile.
    """
    side = int(math.isqrt(int(max_pixels)) / scale)
    side -= side % size_divisor
    if side < size_divisor:
        raise ValueError(
            f'max_pixels={max_pixels} is too small to run a single '
            f'{size_divisor}x{size_divisor} tile at scale {scale:g}')
    return side


def _starts(length: int, tile: int, overlap: int) -> List[int]:
    """Tile start offsets along one axis covering ``[0, length)``."""
    if length <= tile:
        return [0]
    step = tile - overlap
    starts = list(range(0, length - tile, step))
    starts.append(length - tile)
    return starts


def tile_boxes(height: int, width: int, tile: int, overlap: int) -> List[Box]:
    """Boxes ``(y0, x0, h, w)`` of overlapping tiles covering the image.

    Neighbouring tiles overlap by at least ``overlap`` pixels (the last
    tile of an axis, aligned to the border, may overlap more).

    Args:
        height (int): image height.
        width (int): image width.
        tile (int): tile side; an axis shorter than this has one tile.
        overlap (int): overlap in pixels, ``0 <= overlap < tile``.

    Returns:
        list[tuple]: row-major boxes.
    """
    if not 0 <= overlap < tile:
        raise ValueError(f'tile overlap must be in [0, {tile}), got '
                         f'{overlap}')
    return [(y, x, min(tile, height), min(tile, width))
            for y in _starts(height, tile, overlap)
            for x in _starts(width, tile, overlap)]


def _ramp(length: int, ramp: int, rise: bool, fall: bool) -> np.ndarray:
    """1-D weights: linear ramps of ``ramp`` pixels at the chosen ends."""
    w = np.ones(length, np.float32)
    if ramp <= 0:
        return w
    r = (np.arange(ramp, dtype=np.float32) + 1.0) / (ramp + 1.0)
    n = min(ramp, length)
    if rise:
        w[:n] = np.minimum(w[:n], r[:n])
    if fall:
        w[length - n:] = np.minimum(w[length - n:], r[:n][::-1])
    return w


def blend_window(box: Box, image_hw: Tuple[int, int], ramp: int) -> np.ndarray:
    """Blending weights of one tile: 1 inside, ramping down towards the
    sides that border another tile, 1 up to the image border.

    Args:
        box (tuple): ``(y0, x0, h, w)`` in the grid the weights live on.
        image_hw (tuple): ``(H, W)`` of that grid.
        ramp (int): ramp length in pixels (the overlap).

    Returns:
        np.ndarray: ``(h, w)`` float32 in (0, 1].
    """
    y0, x0, h, w = box
    wy = _ramp(h, ramp, y0 > 0, y0 + h < image_hw[0])
    wx = _ramp(w, ramp, x0 > 0, x0 + w < image_hw[1])
    return wy[:, None] * wx[None, :]


def scaled_box(box: Box, scale: float) -> Box:
    """The output-grid box of an input-grid box at ``scale``."""
    y0, x0, h, w = box
    oy, ox = round(y0 * scale), round(x0 * scale)
    return oy, ox, round((y0 + h) * scale) - oy, round((x0 + w) * scale) - ox


def fit(pred: np.ndarray, h: int, w: int) -> np.ndarray:
    """Crop or edge-pad ``(h', w', C)`` to ``(h, w, C)`` (rounding at
    non-integer scales can make a tile one pixel off its output box)."""
    pred = pred[:h, :w]
    ph, pw = h - pred.shape[0], w - pred.shape[1]
    if ph or pw:
        pred = np.pad(pred, ((0, ph), (0, pw), (0, 0)), mode='edge')
    return pred


class TileBlender:
    """Accumulates weighted tile predictions on the output grid.

    Args:
        out_hw (tuple): ``(H', W')`` output size.
        ramp (int): blending ramp (the overlap on the output grid).
    """

    def __init__(self, out_hw: Tuple[int, int], ramp: int):
        self.out_hw = tuple(out_hw)
        self.ramp = int(ramp)
        self.acc = np.zeros((*self.out_hw, 3), np.float32)
        self.weight = np.zeros(self.out_hw, np.float32)

    def add(self, out_box: Box, pred: np.ndarray) -> None:
        """Add one tile's ``(h', w', 3)`` float prediction in [0, 255]."""
        oy, ox, oh, ow = out_box
        pred = fit(pred, oh, ow)
        win = blend_window(out_box, self.out_hw, self.ramp)
        self.acc[oy:oy + oh, ox:ox + ow] += pred * win[..., None]
        self.weight[oy:oy + oh, ox:ox + ow] += win

    def result(self, fill: np.ndarray) -> np.ndarray:
        """``(H', W', 3)`` float blend; ``fill`` where no tile ran."""
        covered = self.weight > 0
        out = fill.astype(np.float32).copy()
        out[covered] = self.acc[covered] / self.weight[covered, None]
        return out
