"""Random rectangle masks."""
import numpy as np

from inpaint_toolbox.registry import MASK_GENERATORS
from .base import BaseMaskGenerator
from .drawing import check_int_range, uniform_int


@MASK_GENERATORS.register_module()
class BoxMask(BaseMaskGenerator):
    """One or more axis-aligned rectangles at random places.

    Box height and width are drawn independently as fractions of the image
    height and width, so boxes keep their relative size at any resolution
    and aspect ratio. Boxes lie fully inside the image and may overlap.

    Args:
        num_boxes (Sequence[int]): Inclusive range of boxes per mask.
            Default: ``(1, 3)``.
        box_size (Sequence[float]): ``(lo, hi)`` range of a box side as a
            fraction of the image side, ``0 < lo <= hi <= 1``.
            Default: ``(0.1, 0.4)``.
        hole_range (Sequence[float]): Allowed hole fraction ``(lo, hi)``.
            Default: ``(0.0, 1.0)``.
        **kwargs: ``max_attempts`` and ``max_extra_units`` of
            :class:`BaseMaskGenerator`.
    """

    def __init__(self,
                 num_boxes=(1, 3),
                 box_size=(0.1, 0.4),
                 hole_range=(0.0, 1.0),
                 **kwargs):
        super().__init__(hole_range=hole_range, **kwargs)
        self.num_boxes = check_int_range('num_boxes', num_boxes)
        if (len(box_size) != 2 or not 0.0 < box_size[0] <= box_size[1] <= 1.0):
            raise ValueError(
                f'box_size must satisfy 0 < lo <= hi <= 1, got {box_size!r}')
        self.box_size = (float(box_size[0]), float(box_size[1]))

    def _generate(self, shape, rng):
        mask = np.zeros(shape, dtype=np.uint8)
        for _ in range(uniform_int(rng, self.num_boxes)):
            self._add_unit(mask, rng)
        return mask

    def _add_unit(self, mask, rng, scale=1.0):
        height, width = mask.shape
        box_h = rng.uniform(*self.box_size) * scale * height
        box_w = rng.uniform(*self.box_size) * scale * width
        box_h = min(max(int(round(box_h)), 1), height)
        box_w = min(max(int(round(box_w)), 1), width)
        top = int(rng.integers(0, height - box_h + 1))
        left = int(rng.integers(0, width - box_w + 1))
        mask[top:top + box_h, left:left + box_w] = 1

    def __repr__(self):
        return (f'{type(self).__name__}(num_boxes={self.num_boxes}, '
                f'box_size={self.box_size}, hole_range={self.hole_range})')
