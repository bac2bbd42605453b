import logging

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator

from inpaint_toolbox.evaluation.metrics import PartRegionError

BOXES = {
    'left_eye': [2, 2, 10, 8],
    'nose': [12, 8, 18, 16],
    'mouth': [6, 18, 22, 24]
}


def _sample(eye_err, nose_err, boxes=BOXES):
    gt = np.full((3, 28, 24), 120, np.uint8)
    out = gt.astype(np.float32)
    out[:, 2:8, 2:10] += eye_err
    out[:, 8:16, 12:18] -= nose_err
    sample = dict(
        output=torch.from_numpy(out),
        gt_img=torch.from_numpy(gt),
        mask=torch.ones(1, 28, 24, dtype=torch.uint8))
    if boxes is not None:
        sample['part_boxes'] = boxes
    return sample


def test_reports_per_part_and_mean():
    evaluator = Evaluator(PartRegionError())
    evaluator.process([_sample(51, 0), _sample(0, 102)])
    results = evaluator.evaluate(2)
    assert results['part_err_left_eye'] == pytest.approx(0.1)
    assert results['part_err_nose'] == pytest.approx(0.2)
    assert results['part_err_mouth'] == 0.0
    assert results['part_err_mean'] == pytest.approx((0.2 / 3 + 0.4 / 3) / 2)
    assert list(results) == [
        'part_err_left_eye', 'part_err_nose', 'part_err_mouth', 'part_err_mean'
    ]


def test_samples_without_boxes_are_skipped(mm_log_records):
    evaluator = Evaluator(PartRegionError(prefix='face'))
    outside = {'left_eye': [40, 40, 50, 50]}
    evaluator.process([
        _sample(51, 0),
        _sample(0, 0, boxes=None),
        _sample(0, 0, boxes=outside)
    ])
    results = evaluator.evaluate(3)
    assert any('skipped 2 of 3' in r.getMessage() for r in mm_log_records)
    assert results['face/part_err_left_eye'] == pytest.approx(0.2)
    assert results['face/part_err_mean'] == pytest.approx(0.2 / 3)


def test_no_sample_with_boxes_returns_empty_with_warning(mm_log_records):
    evaluator = Evaluator(PartRegionError())
    evaluator.process([_sample(1, 1, boxes=None)] * 2)
    assert evaluator.evaluate(2) == {}
    assert any('no sample had part boxes' in r.getMessage()
               and r.levelno == logging.WARNING for r in mm_log_records)
