"""PSNR, SSIM and MAE metric classes run through mmengine's Evaluator."""
import math

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope

from inpaint_toolbox.evaluation import functional as F
from inpaint_toolbox.evaluation.metrics import MAE, PSNR, SSIM
from inpaint_toolbox.registry import METRICS
from inpaint_toolbox.structures import InpaintDataSample

CLASSES = {'PSNR': (PSNR, F.psnr), 'SSIM': (SSIM, F.ssim), 'MAE': (MAE, F.mae)}


def _fake_sample(seed, shape=(24, 40), empty_mask=False):
    rng = np.random.default_rng(seed)
    gt = rng.integers(0, 256, (3, ) + shape, dtype=np.uint8)
    # Float output off the integer grid and slightly out of range.
    output = gt.astype(np.float32) + rng.normal(0, 15, (3, ) + shape)
    output[0, 0, :4] = [-7.2, 260.4, 10.5, 11.5]
    mask = np.zeros((1, ) + shape, np.uint8)
    if not empty_mask:
        mask[:, 4:16, 8:30] = 1
    return dict(
        output=torch.from_numpy(output.astype(np.float32)),
        gt_img=torch.from_numpy(gt),
        mask=torch.from_numpy(mask),
        img_shape=shape)


def _quantized_hwc(tensor):
    arr = tensor.numpy().astype(np.float64)
    return np.clip(np.rint(arr), 0, 255).astype(np.uint8).transpose(1, 2, 0)


def _expected(fn, samples, hole):
    values = []
    for s in samples:
        mask = s['mask'][0].numpy() if hole else None
        values.append(
            fn(
                _quantized_hwc(s['output']),
                s['gt_img'].numpy().transpose(1, 2, 0), mask))
    return float(np.mean(values))


@pytest.mark.parametrize('name', sorted(CLASSES))
@pytest.mark.parametrize('mask_mode', ['all', 'hole'])
def test_evaluator_gives_functional_values(name, mask_mode):
    cls, fn = CLASSES[name]
    samples = [_fake_sample(seed) for seed in range(5)]
    evaluator = Evaluator(cls(mask_mode=mask_mode))
    evaluator.process(samples[:2])
    evaluator.process(samples[2:])
    results = evaluator.evaluate(len(samples))
    key = name if mask_mode == 'all' else f'{name}_hole'
    assert list(results) == [key]
    expected = _expected(fn, samples, mask_mode == 'hole')
    assert results[key] == pytest.approx(expected, rel=1e-12)


def test_outputs_are_rounded_like_saved_images():
    sample = _fake_sample(0)
    metric = MAE()
    metric.process(None, [sample])
    exact = F.mae(sample['output'].numpy().transpose(1, 2, 0),
                  sample['gt_img'].numpy().transpose(1, 2, 0))
    assert metric.results[0] != pytest.approx(exact, rel=1e-9)
    assert metric.results[0] == pytest.approx(
        F.mae(
            _quantized_hwc(sample['output']),
            sample['gt_img'].numpy().transpose(1, 2, 0)))


def test_inpaint_data_samples_are_accepted():
    sample = _fake_sample(1)
    data_sample = InpaintDataSample(metainfo=dict(img_shape=(24, 40)))
    data_sample.gt_img = sample['gt_img']
    data_sample.output = sample['output']
    data_sample.mask = sample['mask']
    evaluator = Evaluator([PSNR(), PSNR(mask_mode='hole')])
    evaluator.process([data_sample])
    results = evaluator.evaluate(1)
    assert results['PSNR'] == pytest.approx(_expected(F.psnr, [sample], False))
    assert results['PSNR_hole'] == pytest.approx(
        _expected(F.psnr, [sample], True))


def test_hole_mode_skips_samples_without_hole(mm_log_records):
    samples = [_fake_sample(0), _fake_sample(1, empty_mask=True)]
    evaluator = Evaluator(SSIM(mask_mode='hole', prefix='val'))
    evaluator.process(samples)
    results = evaluator.evaluate(2)
    assert any('skipped 1 of 2' in r.getMessage() for r in mm_log_records)
    assert results == {
        'val/SSIM_hole': pytest.approx(_expected(F.ssim, samples[:1], True))
    }
    empty_only = Evaluator(SSIM(mask_mode='hole'))
    empty_only.process(samples[1:])
    assert empty_only.evaluate(1) == {}


def test_identical_output_gives_inf_psnr():
    sample = _fake_sample(2)
    sample['output'] = sample['gt_img'].float()
    evaluator = Evaluator(PSNR())
    evaluator.process([sample])
    assert evaluator.evaluate(1)['PSNR'] == math.inf


@pytest.mark.parametrize('name', sorted(CLASSES))
def test_built_from_config_in_scope(name):
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        evaluator = Evaluator([dict(type=name, mask_mode='hole')])
    assert isinstance(evaluator.metrics[0], CLASSES[name][0])
    assert METRICS.get(name) is CLASSES[name][0]


def test_errors():
    with pytest.raises(ValueError, match='mask_mode'):
        PSNR(mask_mode='known')
    sample = _fake_sample(0)
    sample['output'] = sample['output'][:, :, :-1]
    with pytest.raises(
            ValueError,
            match=r"'output'.*\(3, 24, 39\).*"
            r"'gt_img'.*\(3, 24, 40\)"):
        PSNR().process(None, [sample])
    with pytest.raises(KeyError, match='output'):
        PSNR().process(None, [dict(gt_img=sample['gt_img'])])
    with pytest.raises(ValueError, match='does not match'):
        bad = _fake_sample(0)
        bad['mask'] = bad['mask'][0, :, 10:15]
        PSNR(mask_mode='hole').process(None, [bad])
