"""RescaleToLowRes: the low-resolution input for scale > 1 training."""
import cv2
import numpy as np
import pytest

from inpaint_toolbox.datasets.transforms import RescaleToLowRes


@pytest.mark.parametrize(
    'shape,scale,expected',
    [
        ((40, 60), 2, (20, 30)),
        ((41, 61), 2, (21, 31)),  # half rounds up
        ((40, 60), 3, (13, 20)),
        ((40, 60), 4, (10, 15)),
        ((5, 7), 1.5, (3, 5)),
        ((3, 3), 4, (1, 1)),  # never empty
    ])
def test_low_res_size(make_results, shape, scale, expected):
    results = make_results(*shape)
    gt = results['gt'].copy()
    out = RescaleToLowRes(scale)(results)
    assert out['lq'].shape == expected + (3, ) and out['lq'].dtype == np.uint8
    assert out['scale'] == float(scale)
    np.testing.assert_array_equal(out['gt'], gt)  # gt is never resized


@pytest.mark.parametrize('interpolation,flag',
                         [('area', cv2.INTER_AREA),
                          ('bicubic', cv2.INTER_CUBIC),
                          ('bilinear', cv2.INTER_LINEAR),
                          ('nearest', cv2.INTER_NEAREST)])
def test_interpolation_matches_opencv(make_results, interpolation, flag):
    results = make_results(40, 60)
    want = cv2.resize(results['gt'], (30, 20), interpolation=flag)
    out = RescaleToLowRes(2, interpolation=interpolation)(results)
    np.testing.assert_array_equal(out['lq'], want)


def test_area_averages_blocks(make_results):
    results = make_results(40, 60)
    out = RescaleToLowRes(2, out_key='small')(results)
    block = results['gt'][:2, 2:4].astype(float).mean((0, 1))
    np.testing.assert_allclose(out['small'][0, 1], block, atol=0.5)
    assert 'lq' not in out


def test_scale_one_copies(make_results):
    results = make_results(10, 12)
    out = RescaleToLowRes(1)(results)
    np.testing.assert_array_equal(out['lq'], out['gt'])
    assert out['lq'] is not out['gt']


@pytest.mark.parametrize('kwargs,match', [
    (dict(scale=0.5), 'scale'),
    (dict(scale=float('inf')), 'scale'),
    (dict(scale=2, interpolation='lanczos9'), 'interpolation'),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RescaleToLowRes(**kwargs)
