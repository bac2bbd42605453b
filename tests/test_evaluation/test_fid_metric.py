"""FID / P-IDS / U-IDS metric: values, any image size, the real-feature
cache and the weight-file errors."""
import importlib.util
import logging
import os
import sys

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator

from inpaint_toolbox.evaluation.feature_nets import (FID_INCEPTION,
                                                     FIDInceptionV3)
from inpaint_toolbox.evaluation.functional import (feature_stats,
                                                   frechet_distance, pids_uids)
from inpaint_toolbox.evaluation.metrics import FID
from inpaint_toolbox.registry import METRICS


class TinyExtractor:
    """Channel means and standard deviations, plus a call log."""

    cache_id = 'tiny-v1'

    def __init__(self):
        self.calls = []

    def __call__(self, x):
        assert x.ndim == 4 and x.shape[1] == 3
        assert 0 <= x.min() and x.max() <= 1
        self.calls.append(tuple(x.shape))
        return torch.cat([x.mean(dim=(2, 3)), x.std(dim=(2, 3))], dim=1)

    @property
    def images_seen(self):
        return sum(shape[0] for shape in self.calls)


def _features(images):
    return np.concatenate([
        TinyExtractor()(torch.from_numpy(img).permute(2, 0, 1)[None].double() /
                        255.0).numpy() for img in images
    ])


def _sample(seed, shape=(12, 16), pred_shape=None, same=False):
    rng = np.random.default_rng(seed)
    gt = rng.integers(0, 256, (3, ) + shape, dtype=np.uint8)
    if same:
        pred = gt.astype(np.float32)
    else:
        pred = rng.uniform(-5, 260, (3, ) + (pred_shape or shape))
    return dict(
        output=torch.from_numpy(pred.astype(np.float32)),
        gt_img=torch.from_numpy(gt))


def _samples(n=6):
    # Mixed sizes and aspect ratios; one prediction larger than its gt.
    shapes = [(12, 16), (16, 12), (12, 16), (9, 16), (16, 16), (12, 16)]
    out = [_sample(i, shapes[i % 6]) for i in range(n)]
    out[1] = _sample(1, (16, 12), pred_shape=(32, 24))
    return out


def _quantized(t):
    arr = np.clip(np.rint(t.numpy().astype(np.float64)), 0, 255)
    return arr.astype(np.uint8).transpose(1, 2, 0)


def _run(metric, samples, batch=4):
    evaluator = Evaluator(metric)
    for i in range(0, len(samples), batch):
        evaluator.process(samples[i:i + batch])
    return evaluator.evaluate(len(samples))


@pytest.mark.parametrize('ids', [True, False])
def test_values_match_functional(ids):
    samples = _samples()
    results = _run(FID(feature_extractor=TinyExtractor(), ids=ids), samples)
    fake = _features([_quantized(s['output']) for s in samples])
    real = _features([s['gt_img'].numpy().transpose(1, 2, 0) for s in samples])
    expected = frechet_distance(*feature_stats(fake), *feature_stats(real))
    assert results['FID'] == pytest.approx(expected, rel=1e-5)
    if ids:
        assert sorted(results) == ['FID', 'P-IDS', 'U-IDS']
        p_ids, u_ids = pids_uids(real, fake)
        assert results['P-IDS'] == pytest.approx(p_ids, abs=1e-9)
        assert results['U-IDS'] == pytest.approx(u_ids, abs=1e-9)
    else:
        assert list(results) == ['FID']


def test_perfect_predictions():
    samples = [_sample(i, same=True) for i in range(8)]
    results = _run(FID(feature_extractor=TinyExtractor()), samples)
    assert results['FID'] == pytest.approx(0, abs=1e-9)
    assert results['U-IDS'] == pytest.approx(0.5)
    assert results['P-IDS'] == 0.0


def test_images_are_batched_by_shape():
    extractor = TinyExtractor()
    metric = FID(feature_extractor=extractor)
    metric.process(None, [_sample(0), _sample(1, (9, 16)), _sample(2)])
    assert sorted(extractor.calls) == sorted([(2, 3, 12, 16),
                                              (1, 3, 9, 16)] * 2)


def test_cache_hit_on_second_run(tmp_path):
    path = tmp_path / 'cache' / 'real_feats.pth'
    samples = _samples()
    first_extractor = TinyExtractor()
    first = _run(
        FID(feature_extractor=first_extractor, real_stats_path=str(path)),
        samples)
    assert first_extractor.images_seen == 2 * len(samples)
    assert path.is_file() and os.listdir(path.parent) == [path.name]
    written = path.read_bytes()

    extractor = TinyExtractor()
    second = _run(
        FID(feature_extractor=extractor, real_stats_path=str(path)), samples)
    assert extractor.images_seen == len(samples)  # predictions only
    assert second == pytest.approx(first, rel=1e-6)
    assert path.read_bytes() == written  # nothing new: not rewritten

    # Another order and a subset hit the cache too.
    extractor = TinyExtractor()
    _run(
        FID(feature_extractor=extractor, real_stats_path=str(path)),
        samples[::-1][:4])
    assert extractor.images_seen == 4


def test_cache_of_another_extractor_is_replaced(tmp_path, mm_log_records):
    path = tmp_path / 'real_feats.pth'
    samples = _samples(4)
    _run(
        FID(feature_extractor=TinyExtractor(), real_stats_path=str(path)),
        samples)
    other = TinyExtractor()
    other.cache_id = 'tiny-v2'
    results = _run(
        FID(feature_extractor=other, real_stats_path=str(path)), samples)
    assert other.images_seen == 2 * len(samples)
    assert np.isfinite(results['FID'])
    assert any("'tiny-v1', not 'tiny-v2'" in r.getMessage()
               for r in mm_log_records if r.levelno == logging.WARNING)
    third = TinyExtractor()
    third.cache_id = 'tiny-v2'
    _run(FID(feature_extractor=third, real_stats_path=str(path)), samples)
    assert third.images_seen == len(samples)


def test_unrelated_cache_file_is_an_error(tmp_path):
    path = tmp_path / 'weights.pth'
    torch.save({'a': torch.zeros(1)}, path)
    metric = FID(feature_extractor=TinyExtractor(), real_stats_path=str(path))
    with pytest.raises(ValueError, match='not an FID real-feature cache'):
        metric.process(None, [_sample(0)])


def test_custom_extractor_needs_cache_id_for_cache(tmp_path):
    with pytest.raises(ValueError, match='cache_id'):
        FID(feature_extractor=lambda x: x.mean(dim=(2, 3)),
            real_stats_path=str(tmp_path / 'c.pth'))
    with pytest.raises(TypeError, match='callable'):
        FID(feature_extractor='inception')


def test_too_few_images():
    metric = FID(feature_extractor=TinyExtractor())
    metric.process(None, [_sample(0)])
    with pytest.raises(ValueError, match='at least 2 images, got 1'):
        metric.compute_metrics(metric.results)


def test_bad_extractor_output():
    metric = FID(feature_extractor=lambda x: x)
    with pytest.raises(ValueError, match=r'expected \(n, D\)'):
        metric.process(None, [_sample(0)])


@pytest.mark.parametrize('weights', [None, 'elsewhere/pt_inception.pth'])
def test_missing_inception_weights(weights, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as err:
        METRICS.build(dict(type='FID', inception_weights=weights))
    msg = str(err.value)
    assert FID_INCEPTION.url in msg and 'inception_weights' in msg
    assert (weights or FID_INCEPTION.default_path) in msg


def test_inception_is_built_on_first_use():
    # The network itself is checked in test_feature_nets.py; forwards at
    # 299x299 are too slow on CPU to repeat here.
    metric = FID(random_init=True, seed=3, device='cpu')
    assert metric._extractor is None
    net = metric._get_extractor()
    assert isinstance(net, FIDInceptionV3) and not net.training
    assert metric._get_extractor() is net
    assert metric._extractor_id() == 'FIDInceptionV3:random_init:seed=3'


def test_extractor_id_hashes_the_weight_file(tmp_path):
    path = tmp_path / FID_INCEPTION.filename
    path.write_bytes(b'abc')  # only its existence is checked up front
    metric = FID(inception_weights=str(path), ids=False)
    sha256_of_abc = ('ba7816bf8f01cfea414140de5dae2223'
                     'b00361a396177a9cb410ff61f20015ad')
    assert metric._extractor_id().endswith(f'sha256={sha256_of_abc}')


def test_ids_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, 'sklearn.svm', None)
    with pytest.raises(ImportError, match='pip install scikit-learn'):
        pids_uids(np.zeros((2, 3)), np.ones((2, 3)))
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: None)
    with pytest.raises(ImportError, match='or set ids=False'):
        FID(feature_extractor=TinyExtractor())
    assert FID(feature_extractor=TinyExtractor(), ids=False).ids is False
