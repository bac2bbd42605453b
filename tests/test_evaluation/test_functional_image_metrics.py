"""psnr, ssim and mae against scikit-image and direct numpy references."""
import math

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from inpaint_toolbox.evaluation.functional import mae, psnr, ssim, ssim_map

SHAPES = [(37, 53, 3), (64, 40, 3), (11, 19), (24, 16, 1)]


def _pair(shape, kind, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if kind == 'random':
        a = rng.uniform(0, 255, shape)
    else:  # smooth: a blurred random field
        a = rng.uniform(0, 255, shape).astype(np.float32)
        a = cv2.GaussianBlur(a, (0, 0), 4).reshape(shape) * 2 - 100
        a = np.clip(a, 0, 255).astype(np.float64)
    b = np.clip(a + rng.normal(0, 12, shape), 0, 255)
    if dtype == np.uint8:
        return np.rint(a).astype(np.uint8), np.rint(b).astype(np.uint8)
    return a.astype(dtype), b.astype(dtype)


def _sk_ssim(a, b):
    return structural_similarity(
        a,
        b,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
        data_range=255,
        channel_axis=-1 if a.ndim == 3 else None)


@pytest.mark.parametrize('shape', SHAPES, ids=str)
@pytest.mark.parametrize('kind', ['random', 'smooth'])
@pytest.mark.parametrize('dtype', [np.uint8, np.float64, np.float32])
def test_unmasked_matches_skimage(shape, kind, dtype):
    a, b = _pair(shape, kind, dtype)
    assert psnr(a, b) == pytest.approx(
        peak_signal_noise_ratio(a, b, data_range=255), abs=1e-4)
    assert ssim(a, b) == pytest.approx(_sk_ssim(a, b), abs=1e-4)
    expected_mae = np.abs(a.astype(np.float64) - b).mean() / 255
    assert mae(a, b) == pytest.approx(expected_mae, abs=1e-10)
    assert 0 <= mae(a, b) <= 1


def _mask(shape, seed=1):
    rng = np.random.default_rng(seed)
    mask = np.zeros(shape[:2], np.uint8)
    mask[:, :shape[1] // 3] = 1
    mask[rng.random(shape[:2]) < 0.2] = 1
    return mask


@pytest.mark.parametrize('shape', SHAPES, ids=str)
@pytest.mark.parametrize('mask_ndim', [2, 3])
def test_masked_matches_numpy_reference(shape, mask_ndim):
    a, b = _pair(shape, 'smooth', np.uint8)
    mask = _mask(shape)
    given = mask[..., None] if mask_ndim == 3 else mask
    hole = mask.astype(bool)
    diff = a.astype(np.float64) - b.astype(np.float64)
    if diff.ndim == 2:
        diff = diff[..., None]
    mse = np.mean(diff[hole]**2)
    assert psnr(a, b, given) == pytest.approx(10 * math.log10(255**2 / mse))
    assert mae(a, b, given) == pytest.approx(np.abs(diff[hole]).mean() / 255)
    # Reference SSIM map: skimage's full map, averaged over hole pixels.
    full = np.stack([
        structural_similarity(
            x,
            y,
            gaussian_weights=True,
            sigma=1.5,
            use_sample_covariance=False,
            data_range=255,
            full=True)[1] for x, y in zip(
                np.atleast_3d(a).transpose(2, 0, 1),
                np.atleast_3d(b).transpose(2, 0, 1))
    ],
                    axis=-1)
    np.testing.assert_allclose(ssim_map(a, b), full, atol=1e-10)
    assert ssim(a, b, given) == pytest.approx(full[hole].mean(), abs=1e-10)


def test_mask_picks_the_differing_region():
    a = np.full((32, 48, 3), 100, np.uint8)
    b = a.copy()
    b[:, :16] = 110  # only the left third differs
    mask = np.zeros((32, 48), np.uint8)
    mask[:, :16] = 1
    assert psnr(a, b, mask) == pytest.approx(10 * math.log10(255**2 / 100))
    assert mae(a, b, mask) == pytest.approx(10 / 255)
    assert mae(a, b, 1 - mask) == 0
    assert psnr(a, b, 1 - mask) == math.inf


def test_identical_images():
    a = np.random.default_rng(0).integers(0, 256, (20, 30, 3), np.uint8)
    assert psnr(a, a) == math.inf
    with np.errstate(divide='ignore'):
        assert peak_signal_noise_ratio(a, a, data_range=255) == math.inf
    assert ssim(a, a) == pytest.approx(1.0)
    assert ssim(a, a, _mask(a.shape)) == pytest.approx(1.0)
    assert mae(a, a) == 0.0


@pytest.mark.parametrize('fn', [psnr, ssim, mae])
def test_shape_mismatch_names_both_shapes(fn):
    with pytest.raises(ValueError, match=r'\(20, 30, 3\).*\(20, 31, 3\)'):
        fn(np.zeros((20, 30, 3)), np.zeros((20, 31, 3)))


@pytest.mark.parametrize('fn', [psnr, ssim, mae])
def test_bad_masks(fn):
    a = np.zeros((20, 30, 3), np.uint8)
    with pytest.raises(ValueError, match='no hole pixels'):
        fn(a, a, np.zeros((20, 30), np.uint8))
    with pytest.raises(ValueError, match='does not match'):
        fn(a, a, np.ones((30, 20), np.uint8))
    with pytest.raises(ValueError, match='in {0, 1}'):
        fn(a, a, np.full((20, 30), 255, np.uint8))


def test_ssim_needs_window_sized_images():
    with pytest.raises(ValueError, match='H, W >= 11'):
        ssim(np.zeros((10, 40)), np.zeros((10, 40)))
