"""Behaviour shared by all drawn mask generators."""
import numpy as np
import pytest

from inpaint_toolbox.masks import (BoxMask, FreeFormMask, IrregularMask,
                                   MixedMask, build_mask_generator)
from inpaint_toolbox.registry import MASK_GENERATORS

SHAPES = [(75, 131), (512, 288), (33, 257), (64, 64)]
CONFIGS = [
    dict(type='FreeFormMask'),
    dict(type='FreeFormMask', hole_range=(0.1, 0.3)),
    dict(type='IrregularMask', kind='thick'),
    dict(type='IrregularMask', kind='medium', hole_range=(0.2, 0.4)),
    dict(type='IrregularMask', kind='thin', hole_range=(0.05, 0.2)),
    dict(type='BoxMask'),
    dict(type='BoxMask', hole_range=(0.3, 0.6)),
    dict(type='MixedMask'),
    dict(type='MixedMask', hole_range=(0.2, 0.5)),
]


def _name(cfg):
    return '-'.join(str(v) for v in cfg.values())


@pytest.mark.parametrize('cfg', CONFIGS, ids=_name)
@pytest.mark.parametrize('shape', SHAPES, ids=str)
def test_mask_format_and_hole_range(cfg, shape):
    gen = MASK_GENERATORS.build(cfg)
    lo, hi = cfg.get('hole_range', (0.0, 1.0))
    for seed in range(3):
        mask = gen(shape=shape, rng=np.random.default_rng(seed))
        assert mask.shape == shape
        assert mask.dtype == np.uint8
        assert set(np.unique(mask)) <= {0, 1}
        assert lo <= mask.mean() <= hi
        if lo > 0:
            assert mask.any()


@pytest.mark.parametrize('cfg', CONFIGS, ids=_name)
def test_same_seed_same_mask_other_seed_other_mask(cfg):
    gen = build_mask_generator(cfg)
    shape = (96, 160)
    first = gen(shape, np.random.default_rng(7))
    again = gen(shape, np.random.default_rng(7))
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, gen(shape, 7))
    others = [gen(shape, np.random.default_rng(s)) for s in (8, 9, 10)]
    assert any(not np.array_equal(first, other) for other in others)


@pytest.mark.parametrize('cls',
                         [FreeFormMask, IrregularMask, BoxMask, MixedMask])
def test_registered_and_built_from_dict(cls):
    assert MASK_GENERATORS.get(cls.__name__) is cls
    gen = build_mask_generator(dict(type=cls.__name__, hole_range=[0, 0.5]))
    assert isinstance(gen, cls)
    assert gen.hole_range == (0.0, 0.5)


@pytest.mark.parametrize('cls',
                         [FreeFormMask, IrregularMask, BoxMask, MixedMask])
@pytest.mark.parametrize('hole_range', [(0.25, 0.25), (0.0, 0.0), (1.0, 1.0),
                                        (0.6, 0.62)])
def test_narrow_and_extreme_ranges_are_met(cls, hole_range):
    # 32 x 64 = 2048 pixels, so 0.25 is exactly 512 hole pixels.
    gen = cls(hole_range=hole_range)
    for seed in range(2):
        mask = gen((32, 64), np.random.default_rng(seed))
        assert hole_range[0] <= mask.mean() <= hole_range[1]


@pytest.mark.parametrize(
    'cfg', [
        dict(type='FreeFormMask'),
        dict(type='IrregularMask', kind='medium'),
        dict(type='MixedMask'),
    ],
    ids=_name)
def test_hole_fraction_does_not_depend_on_resolution(cfg):
    gen = build_mask_generator(cfg)

    def mean_fraction(shape):
        return np.mean([gen(shape, s).mean() for s in range(24)])

    small, large = mean_fraction((96, 64)), mean_fraction((384, 256))
    assert abs(small - large) < 0.08


@pytest.mark.parametrize('hole_range, error', [
    ((0.6, 0.4), ValueError),
    ((0.2, 1.2), ValueError),
    ((-0.1, 0.5), ValueError),
    ((0.1, ), TypeError),
    ('0.1', TypeError),
    ((0.1, '0.2'), TypeError),
])
@pytest.mark.parametrize('cls',
                         [FreeFormMask, IrregularMask, BoxMask, MixedMask])
def test_invalid_hole_range(cls, hole_range, error):
    with pytest.raises(error, match='hole_range'):
        cls(hole_range=hole_range)


def test_range_without_integer_count_is_rejected_per_shape():
    gen = BoxMask(hole_range=(0.5, 0.52))
    with pytest.raises(ValueError, match=r'3x3'):
        gen((3, 3), 0)  # needs 4.5 to 4.68 hole pixels
    assert 0.5 <= gen((10, 10), 0).mean() <= 0.52


@pytest.mark.parametrize('shape, error', [
    ((0, 10), ValueError),
    ((10, ), TypeError),
    ((10.0, 12), TypeError),
    (None, TypeError),
])
def test_invalid_shape(shape, error):
    with pytest.raises(error, match='shape'):
        FreeFormMask()(shape, 0)


@pytest.mark.parametrize('rng', [None, 1.5, np.random.RandomState(0)])
def test_rng_must_be_explicit_generator_or_seed(rng):
    with pytest.raises(TypeError, match='rng'):
        BoxMask()((16, 16), rng)
