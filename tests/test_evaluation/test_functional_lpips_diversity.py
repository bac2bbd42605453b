"""Functional LPIPS and diversity on arrays in [0, 255]."""
import itertools

import numpy as np
import pytest
import torch

from inpaint_toolbox.evaluation.feature_nets import LPIPSNet
from inpaint_toolbox.evaluation.functional import diversity, lpips


@pytest.fixture(scope='module')
def net():
    return LPIPSNet('alex', random_init=True, seed=0)


def _samples(seed, n=3, shape=(32, 40)):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, ) + shape + (3, ), dtype=np.uint8)


def _hole(shape=(32, 40)):
    mask = np.zeros(shape, np.uint8)
    mask[6:26, 10:30] = 1
    return mask


def test_lpips_matches_the_network(net):
    a, b = _samples(0, n=2)
    expected = net(
        torch.from_numpy(a).permute(2, 0, 1)[None].float() / 127.5 - 1,
        torch.from_numpy(b).permute(2, 0, 1)[None].float() / 127.5 - 1)
    assert lpips(a, b, net) == pytest.approx(expected.item(), rel=1e-6)
    assert lpips(a, a, net) == 0.0
    assert lpips(a, b, net) == pytest.approx(lpips(b, a, net), rel=1e-6)
    assert lpips(a, b, net, _hole()) > 0


@pytest.mark.parametrize('a_shape,b_shape,mask,message', [
    ((32, 40, 3), (32, 41, 3), None, 'same shape'),
    ((32, 40, 1), (32, 40, 1), None, 'RGB'),
    ((32, 40, 3), (32, 40, 3), np.zeros((32, 40)), 'no hole pixels'),
])
def test_lpips_bad_input(net, a_shape, b_shape, mask, message):
    with pytest.raises(ValueError, match=message):
        lpips(np.zeros(a_shape), np.zeros(b_shape), net, mask)


@pytest.mark.parametrize('use_mask', [False, True])
def test_l1_diversity_is_mean_pairwise_mae(use_mask):
    samples = _samples(1, n=4)
    mask = _hole() if use_mask else None
    pairs = []
    for i, j in itertools.combinations(range(4), 2):
        diff = np.abs(samples[i].astype(float) - samples[j])
        pairs.append(
            diff[mask.astype(bool)].mean() if use_mask else diff.mean())
    assert diversity(samples, mask, 'l1') == pytest.approx(
        np.mean(pairs) / 255, rel=1e-12)


def test_l1_diversity_of_hole_ignores_known_pixels():
    samples = np.repeat(_samples(2, n=1), 3, axis=0).astype(np.float64)
    samples[1, 0, 0] += 30  # a known pixel: (0, 0) is outside the hole
    assert diversity(samples, _hole(), 'l1') == 0.0
    assert diversity(samples, None, 'l1') > 0


@pytest.mark.parametrize('use_mask', [False, True])
def test_lpips_diversity_is_mean_pairwise_lpips(net, use_mask):
    samples = _samples(3, n=3)
    mask = _hole() if use_mask else None
    expected = np.mean([
        lpips(samples[i], samples[j], net, mask)
        for i, j in itertools.combinations(range(3), 2)
    ])
    value = diversity(samples, mask, 'lpips', net)
    assert value == pytest.approx(expected, rel=1e-5)
    assert value > 0


@pytest.mark.parametrize('distance', ['l1', 'lpips'])
def test_equal_samples_have_zero_diversity(net, distance):
    samples = np.repeat(_samples(4, n=1), 3, axis=0)
    assert diversity(samples, None, distance, net) == 0.0


@pytest.mark.parametrize('samples,kwargs,message', [
    (np.zeros((1, 32, 40, 3)), {}, r'N >= 2, got shape \(1, 32, 40, 3\)'),
    (np.zeros((3, 32, 40)), {}, 'N >= 2'),
    (np.zeros((2, 32, 40, 3)), dict(distance='l2'), "'l2'"),
    (np.zeros((2, 32, 40, 3)), dict(distance='lpips'), 'needs an LPIPS'),
    (np.zeros(
        (2, 32, 40, 3)), dict(mask=np.zeros((32, 40))), 'no hole pixels'),
    (np.zeros((2, 32, 40, 3)), dict(mask=np.ones((40, 32))), 'does not match'),
])
def test_diversity_bad_input(samples, kwargs, message):
    with pytest.raises(ValueError, match=message):
        diversity(samples, **kwargs)
