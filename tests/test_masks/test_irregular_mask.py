import numpy as np
import pytest

from inpaint_toolbox.masks import IrregularMask


def _mean_run_width(mask):
    """Mean length of horizontal runs of hole pixels (a width proxy)."""
    padded = np.pad(mask, ((0, 0), (1, 1))).astype(np.int8)
    starts = np.count_nonzero(np.diff(padded, axis=1) == 1)
    return mask.sum() / max(starts, 1)


def test_thick_lines_are_wider_than_thin_lines():
    shape = (160, 224)
    thick = IrregularMask('thick')
    thin = IrregularMask('thin')
    thick_w = np.mean([_mean_run_width(thick(shape, s)) for s in range(6)])
    thin_w = np.mean([_mean_run_width(thin(shape, s)) for s in range(6)])
    assert thick_w > 2 * thin_w


def test_explicit_arguments_override_kind_preset():
    gen = IrregularMask('thin', max_width=3, times=(1, 1))
    assert gen.max_width == 3.0 and gen.times == (1, 1)
    assert gen.max_len == 40.0


@pytest.mark.parametrize('kwargs, match', [
    (dict(kind='huge'), 'kind'),
    (dict(times=(5, 2)), 'times'),
    (dict(max_width=-1), 'max_width'),
    (dict(max_segments=0), 'max_segments'),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        IrregularMask(**kwargs)
