"""Frechet distance against scipy, and P-IDS / U-IDS on known sets."""
import numpy as np
import pytest
from scipy import linalg

from inpaint_toolbox.evaluation.functional import (
    feature_stats, frechet_distance, frechet_distance_of_features, pids_uids)


def _scipy_frechet(mu1, sigma1, mu2, sigma2):
    """The usual FID formula with scipy's general matrix square root."""
    covmean = linalg.sqrtm(sigma1 @ sigma2)
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2 * np.trace(covmean).real)


def _gaussian_feats(seed, n, dim, shift=0.0):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(dim, dim)) / np.sqrt(dim)
    return rng.normal(size=(n, dim)) @ mixing + shift


@pytest.mark.parametrize('dim,n', [(4, 50), (16, 200), (32, 100)])
@pytest.mark.parametrize('shift', [0.0, 0.7])
def test_frechet_matches_scipy(dim, n, shift):
    stats1 = feature_stats(_gaussian_feats(0, n, dim))
    stats2 = feature_stats(_gaussian_feats(1, n, dim, shift))
    ours = frechet_distance(*stats1, *stats2)
    assert ours == pytest.approx(_scipy_frechet(*stats1, *stats2), rel=1e-7)
    assert ours > 0


def test_frechet_with_singular_covariances():
    # Fewer samples than dimensions, as FID from a small set has.
    stats1 = feature_stats(_gaussian_feats(0, 6, 12))
    stats2 = feature_stats(_gaussian_feats(1, 6, 12, 0.3))
    ours = frechet_distance(*stats1, *stats2)
    assert np.isfinite(ours)
    assert ours == pytest.approx(_scipy_frechet(*stats1, *stats2), rel=1e-4)


@pytest.mark.parametrize('n1,n2,dim', [(5, 7, 12), (3, 3, 40), (30, 20, 8)])
def test_frechet_of_features_routes_agree(n1, n2, dim):
    feats1 = _gaussian_feats(0, n1, dim)
    feats2 = _gaussian_feats(1, n2, dim, 0.4)
    expected = frechet_distance(*feature_stats(feats1), *feature_stats(feats2))
    # The (D, D) route adds the square roots of rounding-error eigenvalues
    # of singular covariances (about 1e-8 relative here).
    assert frechet_distance_of_features(feats1, feats2) == pytest.approx(
        expected, rel=1e-6)
    assert frechet_distance_of_features(feats1, feats1) == pytest.approx(
        0, abs=1e-9)


@pytest.mark.parametrize('feats1,feats2,message', [
    (np.zeros((1, 4)), np.zeros((3, 4)), 'feats1 must be'),
    (np.zeros((3, 4)), np.zeros((3, 5)), 'dimensions differ'),
])
def test_frechet_of_features_bad_input(feats1, feats2, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance_of_features(feats1, feats2)


def test_frechet_closed_forms():
    mu = np.array([1.0, -2.0, 0.5])
    sigma = np.diag([4.0, 1.0, 9.0])
    assert frechet_distance(mu, sigma, mu, sigma) == pytest.approx(
        0, abs=1e-10)
    # Commuting (diagonal) covariances: sum (sqrt(a) - sqrt(b))^2.
    other = np.eye(3)
    expected = (3.0**2 + 0.5**2) + ((2 - 1)**2 + 0 + (3 - 1)**2)
    assert frechet_distance(mu, sigma, mu + [3, 0, 0.5], other) == \
        pytest.approx(expected, rel=1e-12)


def test_feature_stats_values():
    feats = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]])
    mu, sigma = feature_stats(feats)
    np.testing.assert_allclose(mu, [2.0, 4.0])
    np.testing.assert_allclose(sigma, np.cov(feats.T))
    with pytest.raises(ValueError, match=r'N >= 2, got shape \(1, 2\)'):
        feature_stats(feats[:1])


@pytest.mark.parametrize('args,message', [
    ((np.zeros(3), np.eye(3), np.zeros(4), np.eye(3)), 'mu2 must have'),
    ((np.zeros(3), np.eye(2), np.zeros(3), np.eye(3)), 'sigma1 must have'),
    ((np.zeros((3, 1)), np.eye(3), np.zeros(3), np.eye(3)), 'mu1 must'),
    ((np.zeros(2), np.eye(2), np.zeros(2), np.full(
        (2, 2), np.nan)), 'sigma2 has non-finite'),
])
def test_frechet_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        frechet_distance(*args)


@pytest.mark.parametrize('seed', [0, 1])
def test_ids_of_separable_sets(seed):
    rng = np.random.default_rng(seed)
    real = rng.normal(size=(40, 8)) + 4.0
    fake = rng.normal(size=(40, 8)) - 4.0
    p_ids, u_ids = pids_uids(real, fake)
    assert u_ids == 0.0
    assert p_ids == 0.0


@pytest.mark.parametrize('seed', [0, 1])
def test_ids_of_identical_sets(seed):
    feats = np.random.default_rng(seed).normal(size=(30, 6))
    p_ids, u_ids = pids_uids(feats, feats.copy())
    # Each point is in both classes: exactly one copy is misclassified.
    assert u_ids == pytest.approx(0.5, abs=1e-12)
    # Ties are not counted as a fake judged more real than its pair.
    assert p_ids == 0.0


def test_ids_of_overlapping_sets_lie_between():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(200, 4))
    fake = real + rng.normal(size=(200, 4)) * 0.5 + 0.3
    p_ids, u_ids = pids_uids(real, fake)
    assert 0.0 < u_ids < 0.5
    assert 0.0 < p_ids < 0.5


@pytest.mark.parametrize('real_shape,fake_shape', [((5, 3), (4, 3)),
                                                   ((5, ), (5, )),
                                                   ((0, 3), (0, 3))])
def test_ids_bad_shapes(real_shape, fake_shape):
    with pytest.raises(ValueError, match='paired'):
        pids_uids(np.zeros(real_shape), np.zeros(fake_shape))
