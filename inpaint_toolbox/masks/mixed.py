"""Free-form strokes plus boxes, in the style of MAT's training masks."""
import numpy as np

from inpaint_toolbox.registry import MASK_GENERATORS
from .base import BaseMaskGenerator
from .box import BoxMask
from .free_form import FreeFormMask


@MASK_GENERATORS.register_module()
class MixedMask(BaseMaskGenerator):
    """Union of free-form brush strokes and random boxes.

    Li et al., "MAT: Mask-Aware Transformer for Large Hole Image
    Inpainting", CVPR 2022, train with strokes and rectangles together and
    reject masks whose hole ratio falls outside a range such as
    ``(0.2, 0.5)``. Here the strokes come from :class:`FreeFormMask`, the
    boxes from :class:`BoxMask`, and the range is enforced by
    :class:`BaseMaskGenerator` (more units while too small, redraws while
    too large). Extra units are boxes with probability ``box_prob`` and
    strokes otherwise.

    Args:
        free_form (dict, optional): Keyword arguments of
            :class:`FreeFormMask` (without ``hole_range``). Default: its
            defaults.
        box (dict, optional): Keyword arguments of :class:`BoxMask`
            (without ``hole_range``). Default:
            ``dict(num_boxes=(0, 3), box_size=(0.1, 0.5))``.
        box_prob (float): Probability that an extra unit is a box.
            Default: 0.3.
        hole_range (Sequence[float]): Allowed hole fraction ``(lo, hi)``.
            Default: ``(0.0, 1.0)``.
        **kwargs: ``max_attempts`` and ``max_extra_units`` of
            :class:`BaseMaskGenerator`.
    """

    def __init__(self,
                 free_form=None,
                 box=None,
                 box_prob=0.3,
                 hole_range=(0.0, 1.0),
                 **kwargs):
        super().__init__(hole_range=hole_range, **kwargs)
        free_form = dict(free_form or {})
        box = {**dict(num_boxes=(0, 3), box_size=(0.1, 0.5)), **(box or {})}
        for name, cfg in (('free_form', free_form), ('box', box)):
            if 'hole_range' in cfg:
                raise ValueError(f'set hole_range on MixedMask, not in '
                                 f'{name}={cfg!r}')
        self.strokes = FreeFormMask(**free_form)
        self.boxes = BoxMask(**box)
        if not 0.0 <= box_prob <= 1.0:
            raise ValueError(f'box_prob must be in [0, 1], got {box_prob}')
        self.box_prob = float(box_prob)

    def _generate(self, shape, rng):
        mask = self.strokes._generate(shape, rng)
        np.maximum(mask, self.boxes._generate(shape, rng), out=mask)
        return mask

    def _add_unit(self, mask, rng, scale=1.0):
        if rng.random() < self.box_prob:
            self.boxes._add_unit(mask, rng, scale)
        else:
            self.strokes._add_unit(mask, rng, scale)
