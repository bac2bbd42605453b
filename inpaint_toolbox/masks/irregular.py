"""Thick, medium and thin random line masks in the style of LaMa."""
import math

import numpy as np

from inpaint_toolbox.registry import MASK_GENERATORS
from .base import BaseMaskGenerator
from .drawing import (check_int_range, draw_polyline, random_walk, size_scale,
                      uniform_int)

# Line parameters per kind for a 256 x 256 image, as in LaMa's
# "random_{thick,medium,thin}_256" training masks (irregular lines only).
_KINDS = {
    'thick': dict(max_angle=4.0, max_len=200, max_width=100, times=(1, 5)),
    'medium': dict(max_angle=4.0, max_len=100, max_width=50, times=(4, 5)),
    'thin': dict(max_angle=4.0, max_len=40, max_width=10, times=(4, 50)),
}


@MASK_GENERATORS.register_module()
class IrregularMask(BaseMaskGenerator):
    """Random polylines of random width (LaMa's irregular masks).

    Suvorov et al., "Resolution-robust Large Mask Inpainting with Fourier
    Convolutions" (LaMa), WACV 2022, train on three kinds of line masks. A
    line starts at a random pixel and makes 1 to ``max_segments`` steps of
    length ``10 + U(0, max_len)`` and width ``5 + U{0, max_width}`` (both in
    reference pixels), turning by up to ``max_angle``. ``times`` lines are
    drawn. Sizes refer to a ``ref_side`` image and scale with
    ``sqrt(H * W) / ref_side``.

    Args:
        kind (str): ``'thick'``, ``'medium'`` or ``'thin'``; sets the
            defaults of the next four arguments. Default: ``'medium'``.
        max_angle (float, optional): Largest turn per step, radians.
        max_len (float, optional): Longest extra step length.
        max_width (float, optional): Largest extra line width.
        times (Sequence[int], optional): Inclusive range of line count.
        max_segments (int): Most steps per line. Default: 5.
        ref_side (int): Side of the reference image. Default: 256.
        hole_range (Sequence[float]): Allowed hole fraction ``(lo, hi)``.
            Default: ``(0.0, 1.0)``.
        **kwargs: ``max_attempts`` and ``max_extra_units`` of
            :class:`BaseMaskGenerator`.
    """

    def __init__(self,
                 kind='medium',
                 max_angle=None,
                 max_len=None,
                 max_width=None,
                 times=None,
                 max_segments=5,
                 ref_side=256,
                 hole_range=(0.0, 1.0),
                 **kwargs):
        super().__init__(hole_range=hole_range, **kwargs)
        if kind not in _KINDS:
            raise ValueError(
                f'kind must be one of {sorted(_KINDS)}, got {kind!r}')
        given = dict(
            max_angle=max_angle,
            max_len=max_len,
            max_width=max_width,
            times=times)
        params = {
            key: _KINDS[kind][key] if value is None else value
            for key, value in given.items()
        }
        self.kind = kind
        self.max_angle = float(params['max_angle'])
        self.max_len = float(params['max_len'])
        self.max_width = float(params['max_width'])
        self.times = check_int_range('times', params['times'])
        self.max_segments = int(max_segments)
        if self.max_angle < 0 or self.max_len < 0 or self.max_width < 0:
            raise ValueError('max_angle, max_len and max_width must be >= 0, '
                             f'got {max_angle}, {max_len}, {max_width}')
        if self.max_segments < 1 or ref_side <= 0:
            raise ValueError('max_segments and ref_side must be positive, '
                             f'got {max_segments}, {ref_side}')
        self.ref_side = ref_side

    def _generate(self, shape, rng):
        mask = np.zeros(shape, dtype=np.uint8)
        for _ in range(uniform_int(rng, self.times)):
            self._add_unit(mask, rng)
        return mask

    def _add_unit(self, mask, rng, scale=1.0):
        height, width = mask.shape
        factor = size_scale(mask.shape, self.ref_side) * scale
        num_steps = int(rng.integers(1, self.max_segments + 1))
        start = (rng.uniform(0, width - 1), rng.uniform(0, height - 1))
        turns = 0.01 + rng.uniform(0.0, self.max_angle, size=num_steps)
        turns[::2] = 2.0 * math.pi - turns[::2]
        angles = rng.uniform(0.0, 2.0 * math.pi) + turns
        lengths = (10.0 + rng.uniform(0.0, self.max_len, num_steps)) * factor
        widths = 5.0 + rng.integers(0, int(self.max_width) + 1, num_steps)
        widths = np.maximum(np.rint(widths * factor), 1).astype(int)
        points = random_walk(start, angles, lengths, mask.shape)
        draw_polyline(mask, points, widths)

    def __repr__(self):
        return (f'{type(self).__name__}(kind={self.kind!r}, '
                f'hole_range={self.hole_range})')
