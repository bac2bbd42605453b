"""GenerateMask: shapes, determinism and checks of the generator output."""
import numpy as np
import pytest

from inpaint_toolbox.datasets.transforms import GenerateMask


class RandomBits:
    """A minimal generator: independent holes with probability 0.5."""

    def __call__(self, shape, rng):
        return (rng.random(shape) < 0.5).astype(np.uint8)


def _mask(transform, make_results, idx=0, height=12, width=20):
    return transform(make_results(height, width, mask=False,
                                  sample_idx=idx))['mask']


@pytest.mark.parametrize('height,width', [(12, 20), (20, 12), (1, 9)])
def test_mask_follows_image_shape(make_results, height, width):
    mask = _mask(GenerateMask(RandomBits()), make_results, 0, height, width)
    assert mask.shape == (height, width, 1) and mask.dtype == np.uint8
    assert set(np.unique(mask)) <= {0, 1}


def test_seeded_mask_is_a_function_of_seed_and_index(make_results):
    gen = RandomBits()
    t = GenerateMask(gen, seed=7)
    a = _mask(t, make_results, idx=3)
    np.testing.assert_array_equal(a, _mask(t, make_results, idx=3))
    np.testing.assert_array_equal(a[..., 0],
                                  gen((12, 20), np.random.default_rng([7, 3])))
    assert not np.array_equal(a, _mask(t, make_results, idx=4))
    other = GenerateMask(gen, seed=8)
    assert not np.array_equal(a, _mask(other, make_results, idx=3))


def test_seeded_mask_ignores_global_rng(make_results):
    t = GenerateMask(RandomBits(), seed=1)
    np.random.seed(0)
    a = _mask(t, make_results)
    np.random.seed(123)
    np.testing.assert_array_equal(a, _mask(t, make_results))


def test_unseeded_mask_follows_numpy_global_seed(make_results):
    t = GenerateMask(RandomBits())
    np.random.seed(5)
    a = [_mask(t, make_results) for _ in range(2)]
    np.random.seed(5)
    b = [_mask(t, make_results) for _ in range(2)]
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], a[1])


@pytest.mark.parametrize('cfg', [
    dict(type='BoxMask'),
    dict(type='FreeFormMask'),
    dict(type='IrregularMask'),
])
def test_builds_registered_generators(make_results, cfg):
    t = GenerateMask(cfg, seed=0)
    mask = _mask(t, make_results, height=48, width=64)
    assert mask.shape == (48, 64, 1) and set(np.unique(mask)) <= {0, 1}
    np.testing.assert_array_equal(mask, _mask(t, make_results, 0, 48, 64))


@pytest.mark.parametrize('output,match', [
    (lambda shape, rng: np.zeros((3, 3), np.uint8), 'shape'),
    (lambda shape, rng: np.full(shape, 255, np.uint8), 'uint8 in'),
    (lambda shape, rng: np.zeros(shape, np.float32), 'uint8 in'),
])
def test_bad_generator_output_is_rejected(make_results, output, match):
    with pytest.raises(ValueError, match=match):
        _mask(GenerateMask(output), make_results)


def test_argument_errors(make_results):
    with pytest.raises(ValueError, match='seed'):
        GenerateMask(RandomBits(), seed=-1)
    with pytest.raises(TypeError, match='callable'):
        GenerateMask(generator=42)
    results = make_results(mask=False)
    del results['sample_idx']
    with pytest.raises(ValueError, match='sample_idx'):
        GenerateMask(RandomBits(), seed=0)(results)
    with pytest.raises(ValueError, match='LoadImageFromFile'):
        GenerateMask(RandomBits())(dict(sample_idx=0))
