"""Accuracy of binary attribute predictions (attribute classifiers)."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric

from inpaint_toolbox.registry import METRICS

__all__ = ['AttributeAccuracy']


def _field(sample, key: str):
    """``sample[key]`` for dicts (as the evaluator passes) or elements."""
    if isinstance(sample, dict):
        if key not in sample:
            raise KeyError(f'data sample has no {key!r}; keys: '
                           f'{sorted(sample)}')
        return sample[key]
    if not hasattr(sample, key):
        raise KeyError(f'data sample has no {key!r}')
    return getattr(sample, key)


def _as_array(value, key: str) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f'{key} must be (K,), got shape {arr.shape}')
    return arr


@METRICS.register_module()
class AttributeAccuracy(BaseMetric):
    """Per-attribute accuracy and balanced accuracy.

    Each data sample needs ``pred_attributes`` ``(K,)`` probabilities in
    [0, 1] (set by :class:`AttributeClassifier` in ``predict`` mode),
    ``gt_attributes`` ``(K,)`` in {0, 1} (set by ``PackAttributeInputs``)
    and the meta field ``attribute_names``. A prediction is positive when
    its probability is at least ``threshold``.

    Reported (fractions in [0, 1]): ``{name}_acc`` and ``{name}_bacc``
    (balanced accuracy: the mean of the recalls of the classes present)
    per attribute, and their means ``mean_acc`` and ``mean_bacc``.

    Args:
        threshold (float): Decision threshold in (0, 1). Defaults to 0.5.
        collect_device (str): Passed to ``BaseMetric``.
        prefix (str, optional): Passed to ``BaseMetric``.
    """

    default_prefix: Optional[str] = ''  # plain names unless a prefix is set

    def __init__(self,
                 threshold: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 < threshold < 1:
            raise ValueError(f'threshold must be in (0, 1), got {threshold}')
        self.threshold = float(threshold)

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Store the thresholded predictions and labels of a batch."""
        for sample in data_samples:
            pred = _as_array(_field(sample, 'pred_attributes'),
                             'pred_attributes')
            gt = _as_array(_field(sample, 'gt_attributes'), 'gt_attributes')
            names = tuple(_field(sample, 'attribute_names'))
            if not pred.shape == gt.shape == (len(names), ):
                raise ValueError(
                    f'pred_attributes {pred.shape}, gt_attributes '
                    f'{gt.shape} and attribute_names {names} differ in '
                    'length')
            self.results.append(
                dict(names=names, pred=pred >= self.threshold,
                     gt=gt >= 0.5))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Accuracies over every stored sample.

        Raises:
            ValueError: no samples, or samples with different attribute
                names.
        """
        if not results:
            raise ValueError('AttributeAccuracy got no samples')
        names = results[0]['names']
        if any(r['names'] != names for r in results):
            raise ValueError('samples carry different attribute_names: '
                             f'{sorted({r["names"] for r in results})}')
        pred = np.stack([r['pred'] for r in results])
        gt = np.stack([r['gt'] for r in results])
        metrics = {}
        for k, name in enumerate(names):
            correct = pred[:, k] == gt[:, k]
            recalls = [correct[gt[:, k] == c].mean() for c in (False, True)
                       if (gt[:, k] == c).any()]
            metrics[f'{name}_acc'] = float(correct.mean())
            metrics[f'{name}_bacc'] = float(np.mean(recalls))
        metrics['mean_acc'] = float(
            np.mean([metrics[f'{n}_acc'] for n in names]))
        metrics['mean_bacc'] = float(
            np.mean([metrics[f'{n}_bacc'] for n in names]))
        return metrics
