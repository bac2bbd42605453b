import numpy as np
import pytest

from inpaint_toolbox.evaluation.functional import paired_difference


def test_signed_so_positive_means_better():
    base = [10.0, 20.0, 30.0]
    # a PSNR-like score 1 higher on every image
    up = paired_difference(base, [11.0, 21.0, 31.0], higher_is_better=True)
    assert up['mean'] == pytest.approx(1.0)
    assert up['ci_low'] == pytest.approx(1.0)  # no spread: a point interval
    assert up['ci_high'] == pytest.approx(1.0)
    assert (up['better'], up['worse'], up['num']) == (3, 0, 3)
    # the same numbers as errors: the other method is worse
    down = paired_difference(base, [11.0, 21.0, 31.0], higher_is_better=False)
    assert down['mean'] == pytest.approx(-1.0)
    assert (down['better'], down['worse']) == (0, 3)


def test_pairing_cancels_shared_image_difficulty():
    rng = np.random.default_rng(1)
    difficulty = rng.uniform(0.0, 10.0, 200)  # large spread across images
    base = difficulty
    other = difficulty - 0.05 + rng.normal(0, 0.01, 200)  # errors, lower
    r = paired_difference(base, other, higher_is_better=False)
    assert r['mean'] == pytest.approx(0.05, abs=0.005)
    # the interval excludes zero although the per-image spread is 200x
    # the improvement: only the differences matter
    assert 0.0 < r['ci_low'] < r['mean'] < r['ci_high'] < 0.1
    assert r['better'] == 200


def test_interval_covers_zero_for_no_effect():
    rng = np.random.default_rng(2)
    base = rng.normal(0, 1, 100)
    other = base + np.where(np.arange(100) % 2, 0.3, -0.3)  # mean 0
    r = paired_difference(base, other, higher_is_better=True)
    assert r['mean'] == pytest.approx(0.0, abs=1e-12)
    assert r['ci_low'] < 0.0 < r['ci_high']
    assert (r['better'], r['worse']) == (50, 50)


def test_reproducible_and_seeded():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 30), rng.normal(0.2, 1, 30)
    r1 = paired_difference(a, b, True, seed=5)
    assert r1 == paired_difference(a, b, True, seed=5)
    r2 = paired_difference(a, b, True, seed=6)
    assert r2['mean'] == r1['mean']
    assert (r2['ci_low'], r2['ci_high']) != (r1['ci_low'], r1['ci_high'])
    wide = paired_difference(a, b, True, confidence=0.99)
    narrow = paired_difference(a, b, True, confidence=0.5)
    assert wide['ci_low'] < narrow['ci_low'] < narrow['ci_high'] \
        < wide['ci_high']


def test_large_sets_resample_in_chunks():
    # 5000 images: the resamples are drawn in several chunks
    rng = np.random.default_rng(4)
    base = rng.normal(0, 1, 5000)
    other = base + 0.1 + rng.normal(0, 0.5, 5000)
    r = paired_difference(base, other, True, num_resamples=3000)
    assert r == paired_difference(base, other, True, num_resamples=3000)
    # the bootstrap interval matches the normal one, 1.96 standard errors
    se = np.std(other - base, ddof=1) / np.sqrt(5000)
    assert r['ci_low'] == pytest.approx(r['mean'] - 1.96 * se, abs=0.3 * se)
    assert r['ci_high'] == pytest.approx(r['mean'] + 1.96 * se, abs=0.3 * se)


@pytest.mark.parametrize('base, other, kwargs, match', [
    ([1.0, 2.0], [1.0], {}, 'same length'),
    ([], [], {}, 'non-empty'),
    ([[1.0]], [[1.0]], {}, '1-D'),
    ([1.0, np.nan], [1.0, 2.0], {}, 'non-finite'),
    ([1.0], [2.0], dict(confidence=1.0), 'confidence'),
    ([1.0], [2.0], dict(num_resamples=0), 'num_resamples'),
])
def test_bad_input(base, other, kwargs, match):
    with pytest.raises(ValueError, match=match):
        paired_difference(base, other, True, **kwargs)
