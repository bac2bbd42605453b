import numpy as np
import pytest

from inpaint_toolbox.masks.utils import fit_hole_count, pixel_count_bounds


@pytest.mark.parametrize('shape', [(75, 131), (33, 257), (7, 3)])
@pytest.mark.parametrize('hole_range', [(0.0, 1.0), (0.2, 0.5), (0.1, 0.1),
                                        (0.333, 0.334)])
def test_pixel_count_bounds_are_tight(shape, hole_range):
    num = shape[0] * shape[1]
    lo, hi = hole_range
    try:
        k_min, k_max = pixel_count_bounds(shape, hole_range)
    except ValueError as err:
        assert not any(lo <= k / num <= hi for k in range(num + 1))
        assert 'admits no' in str(err)
        return
    assert lo <= k_min / num and k_max / num <= hi
    assert k_min == 0 or (k_min - 1) / num < lo
    assert k_max == num or (k_max + 1) / num > hi


@pytest.mark.parametrize('start', ['empty', 'full', 'stripe'])
@pytest.mark.parametrize('bounds', [(100, 100), (0, 0), (700, 720),
                                    (1200, 1200)])
def test_fit_hole_count_lands_in_bounds(start, bounds):
    shape = (30, 40)
    mask = np.zeros(shape, np.uint8)
    if start == 'full':
        mask[:] = 1
    elif start == 'stripe':
        mask[10:14] = 1
    out = fit_hole_count(mask, *bounds, np.random.default_rng(0))
    assert out.dtype == np.uint8 and out.shape == shape
    assert bounds[0] <= out.sum() <= bounds[1]
    assert set(np.unique(out)) <= {0, 1}


def test_fit_hole_count_grows_around_existing_holes():
    mask = np.zeros((50, 50), np.uint8)
    mask[20:30, 20:30] = 1
    out = fit_hole_count(mask, 300, 400, np.random.default_rng(0))
    assert out[20:30, 20:30].all()  # only grows
    assert not out[:10].any() and not out[-10:].any()  # stays local
