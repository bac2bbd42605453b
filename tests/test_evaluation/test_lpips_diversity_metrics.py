"""LPIPS and Diversity metrics run through mmengine's Evaluator."""
import logging

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator

from inpaint_toolbox.evaluation.feature_nets import (ALEXNET, LPIPS_LIN_VGG,
                                                     LPIPSNet)
from inpaint_toolbox.evaluation.functional import diversity, lpips
from inpaint_toolbox.evaluation.metrics import LPIPS, Diversity
from inpaint_toolbox.registry import METRICS

SHAPE = (32, 36)


@pytest.fixture(scope='module')
def net():
    return LPIPSNet('alex', random_init=True, seed=0)


def _mask(empty=False):
    mask = np.zeros((1, ) + SHAPE, np.uint8)
    if not empty:
        mask[:, 8:24, 10:30] = 1
    return mask


def _pair_sample(seed, empty_mask=False):
    rng = np.random.default_rng(seed)
    gt = rng.integers(0, 256, (3, ) + SHAPE, dtype=np.uint8)
    output = gt + rng.normal(0, 20, gt.shape)
    return dict(
        output=torch.from_numpy(output.astype(np.float32)),
        gt_img=torch.from_numpy(gt),
        mask=torch.from_numpy(_mask(empty_mask)))


def _multi_sample(seed, n=3, empty_mask=False):
    rng = np.random.default_rng(seed)
    outputs = rng.uniform(-3, 258, (n, 3) + SHAPE).astype(np.float32)
    return dict(
        outputs=torch.from_numpy(outputs),
        mask=torch.from_numpy(_mask(empty_mask)))


def _hwc(t):
    arr = np.clip(np.rint(t.numpy().astype(np.float64)), 0, 255)
    return arr.astype(np.uint8).transpose(*range(arr.ndim - 3), arr.ndim - 2,
                                          arr.ndim - 1, arr.ndim - 3)


def _evaluate(metric, samples):
    evaluator = Evaluator(metric)
    evaluator.process(samples[:2])
    evaluator.process(samples[2:])
    return evaluator.evaluate(len(samples))


@pytest.mark.parametrize('mask_mode', ['all', 'hole'])
def test_lpips_metric_matches_functional(net, mask_mode):
    samples = [_pair_sample(i) for i in range(3)]
    results = _evaluate(
        LPIPS(random_init=True, seed=0, device='cpu', mask_mode=mask_mode),
        samples)
    key = 'LPIPS' if mask_mode == 'all' else 'LPIPS_hole'
    assert list(results) == [key]
    expected = np.mean([
        lpips(
            _hwc(s['output']), _hwc(s['gt_img']), net,
            s['mask'][0].numpy() if mask_mode == 'hole' else None)
        for s in samples
    ])
    assert results[key] == pytest.approx(expected, rel=1e-6)
    assert results[key] > 0


def test_lpips_of_perfect_predictions_is_zero():
    sample = _pair_sample(0)
    sample['output'] = sample['gt_img'].float()
    metric = LPIPS(random_init=True, device='cpu')
    metric.process(None, [sample])
    assert metric.results == [0.0]


def test_lpips_needs_equal_sizes():
    sample = _pair_sample(0)
    sample['output'] = torch.zeros(3, 64, 72)  # a 2x prediction
    metric = LPIPS(random_init=True, device='cpu')
    with pytest.raises(ValueError, match='differ'):
        metric.process(None, [sample])


@pytest.mark.parametrize('distance', ['l1', 'lpips'])
@pytest.mark.parametrize('mask_mode', ['all', 'hole'])
def test_diversity_metric_matches_functional(net, distance, mask_mode,
                                             mm_log_records):
    samples = [_multi_sample(i, n=2 + i) for i in range(3)]
    samples.append(_multi_sample(9, empty_mask=True))
    metric = Diversity(
        distance=distance,
        mask_mode=mask_mode,
        random_init=True,
        seed=0,
        device='cpu')
    results = _evaluate(metric, samples)
    key = f'Diversity_{distance.upper()}' + ('_hole'
                                             if mask_mode == 'hole' else '')
    assert list(results) == [key]
    scored = samples if mask_mode == 'all' else samples[:3]
    expected = np.mean([
        diversity(
            _hwc(s['outputs']),
            s['mask'][0].numpy() if mask_mode == 'hole' else None, distance,
            net) for s in scored
    ])
    assert results[key] == pytest.approx(expected, rel=1e-6)
    skipped = [
        r for r in mm_log_records
        if 'skipped 1 of 4' in r.getMessage() and r.levelno == logging.WARNING
    ]
    assert len(skipped) == (mask_mode == 'hole')


def test_diversity_of_identical_samples_is_zero():
    sample = _multi_sample(0, n=1)
    sample['outputs'] = sample['outputs'].repeat(4, 1, 1, 1)
    metric = Diversity(random_init=True, device='cpu')
    metric.process(None, [sample])
    assert metric.results == [0.0]


@pytest.mark.parametrize('outputs,error,message', [
    (torch.zeros(3, 32, 36), ValueError, r'\(N, 3, H, W\)'),
    (torch.zeros(1, 3, 32, 36), ValueError, 'N >= 2'),
    (None, KeyError, "no 'outputs'"),
])
def test_diversity_bad_samples(outputs, error, message):
    sample = dict(mask=torch.from_numpy(_mask()))
    if outputs is not None:
        sample['outputs'] = outputs
    metric = Diversity(distance='l1')
    with pytest.raises(error, match=message):
        metric.process(None, [sample])


@pytest.mark.parametrize('kwargs,message', [
    (dict(distance='l2'), "'l2'"),
    (dict(mask_mode='known'), "'known'"),
    (dict(net='squeeze', random_init=True), "'squeeze'"),
    (dict(device='gpu0', distance='l1'), "unknown device 'gpu0'"),
])
def test_diversity_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Diversity(**kwargs)


def test_missing_lpips_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as err:
        METRICS.build(dict(type='LPIPS'))
    assert ALEXNET.default_path in str(err.value)
    assert ALEXNET.url in str(err.value)
    backbone = tmp_path / 'vgg16.pth'
    backbone.write_bytes(b'')
    with pytest.raises(FileNotFoundError, match='lin_weights') as err:
        METRICS.build(
            dict(type='Diversity', net='vgg', backbone_weights=str(backbone)))
    assert LPIPS_LIN_VGG.default_path in str(err.value)
    # L1 diversity needs no weight file.
    assert METRICS.build(dict(type='Diversity', distance='l1')).net is None
