import numpy as np
import pytest

from inpaint_toolbox.masks import FreeFormMask


def test_stroke_width_scales_with_image_size():
    # One straight-ish stroke of fixed width: its area grows like side^2.
    gen = FreeFormMask(
        num_strokes=(1, 1),
        min_vertex=1,
        max_vertex=1,
        min_length=40,
        max_length=40,
        min_brush_width=20,
        max_brush_width=20,
        max_angle=0.0)
    small = np.mean([gen((128, 128), s).sum() for s in range(8)])
    large = np.mean([gen((512, 512), s).sum() for s in range(8)])
    assert 10 < large / small < 22  # 16 without border clipping


def test_more_strokes_more_hole():
    few = FreeFormMask(num_strokes=(1, 1))
    many = FreeFormMask(num_strokes=(8, 8))
    shape = (128, 96)
    assert (np.mean([many(shape, s).mean() for s in range(6)])
            > np.mean([few(shape, s).mean() for s in range(6)]))


def test_zero_strokes_gives_empty_mask():
    mask = FreeFormMask(num_strokes=(0, 0))((40, 70), 3)
    assert not mask.any()


@pytest.mark.parametrize('kwargs, match', [
    (dict(min_vertex=5, max_vertex=3), 'vertex'),
    (dict(num_strokes=(3, 1)), 'num_strokes'),
    (dict(min_length=50, max_length=10), 'length'),
    (dict(min_brush_width=0), 'brush_width'),
    (dict(max_angle=-1), 'max_angle'),
    (dict(ref_side=0), 'ref_side'),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FreeFormMask(**kwargs)
