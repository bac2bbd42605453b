"""Free-form brush-stroke masks in the style of DeepFill v2."""
import math

import numpy as np

from inpaint_toolbox.registry import MASK_GENERATORS
from .base import BaseMaskGenerator
from .drawing import (check_int_range, draw_polyline, random_walk, size_scale,
                      uniform_int)


@MASK_GENERATORS.register_module()
class FreeFormMask(BaseMaskGenerator):
    """Several brush strokes, each a zigzag chain of thick segments.

    Free-form masks as used to train DeepFill v2 (Yu et al., "Free-Form
    Image Inpainting with Gated Convolution", ICCV 2019): a stroke starts at
    a random pixel in a random direction and makes ``min_vertex`` to
    ``max_vertex`` steps that turn alternately left and right by up to
    ``max_angle``; it is drawn with one brush width and round joints.
    Lengths and widths are given for a ``ref_side`` x ``ref_side`` image and
    scale with ``sqrt(H * W) / ref_side``.

    Args:
        max_vertex (int): Most steps per stroke. Default: 12.
        max_length (float): Longest step in reference pixels. Default: 100.
        max_brush_width (float): Widest brush in reference pixels.
            Default: 40.
        max_angle (float): Largest turn per step, radians. Default: 4.0.
        num_strokes (Sequence[int]): Inclusive range of strokes per mask.
            Default: ``(1, 4)``.
        min_vertex (int): Fewest steps per stroke. Default: 4.
        min_length (float): Shortest step in reference pixels. Default: 10.
        min_brush_width (float): Narrowest brush in reference pixels.
            Default: 12.
        ref_side (int): Side of the reference image. Default: 256.
        hole_range (Sequence[float]): Allowed hole fraction ``(lo, hi)``.
            Default: ``(0.0, 1.0)``.
        **kwargs: ``max_attempts`` and ``max_extra_units`` of
            :class:`BaseMaskGenerator`.
    """

    def __init__(self,
                 max_vertex=12,
                 max_length=100.0,
                 max_brush_width=40.0,
                 max_angle=4.0,
                 num_strokes=(1, 4),
                 min_vertex=4,
                 min_length=10.0,
                 min_brush_width=12.0,
                 ref_side=256,
                 hole_range=(0.0, 1.0),
                 **kwargs):
        super().__init__(hole_range=hole_range, **kwargs)
        self.vertex_range = check_int_range(
            'min_vertex/max_vertex', (min_vertex, max_vertex), minimum=1)
        self.num_strokes = check_int_range('num_strokes', num_strokes)
        if not 0 < min_length <= max_length:
            raise ValueError('need 0 < min_length <= max_length, got '
                             f'{min_length}, {max_length}')
        if not 0 < min_brush_width <= max_brush_width:
            raise ValueError('need 0 < min_brush_width <= max_brush_width, '
                             f'got {min_brush_width}, {max_brush_width}')
        if max_angle < 0:
            raise ValueError(f'max_angle must be >= 0, got {max_angle}')
        if ref_side <= 0:
            raise ValueError(f'ref_side must be > 0, got {ref_side}')
        self.length_range = (float(min_length), float(max_length))
        self.width_range = (float(min_brush_width), float(max_brush_width))
        self.max_angle = float(max_angle)
        self.ref_side = ref_side

    def _generate(self, shape, rng):
        mask = np.zeros(shape, dtype=np.uint8)
        for _ in range(uniform_int(rng, self.num_strokes)):
            self._add_unit(mask, rng)
        return mask

    def _add_unit(self, mask, rng, scale=1.0):
        height, width = mask.shape
        factor = size_scale(mask.shape, self.ref_side) * scale
        num_steps = uniform_int(rng, self.vertex_range)
        start = (rng.uniform(0, width - 1), rng.uniform(0, height - 1))
        turns = rng.uniform(0.0, self.max_angle, size=num_steps)
        turns[::2] *= -1.0
        angles = rng.uniform(0.0, 2.0 * math.pi) + turns
        lengths = rng.uniform(*self.length_range, size=num_steps) * factor
        brush = rng.uniform(*self.width_range) * factor
        points = random_walk(start, angles, lengths, mask.shape)
        draw_polyline(mask, points, max(int(round(brush)), 1))
