"""Base class of the per-image metrics (PSNR, SSIM, MAE)."""
import logging
from abc import abstractmethod

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from .sample_utils import as_sample_dict, get_image_pair, get_mask

_MASK_MODES = ('all', 'hole')


def check_mask_mode(mask_mode: str) -> str:
    """Return ``mask_mode`` if it is ``'all'`` or ``'hole'``, else raise."""
    if mask_mode not in _MASK_MODES:
        raise ValueError(
            f'mask_mode must be one of {_MASK_MODES}, got {mask_mode!r}')
    return mask_mode


class BaseImageMetric(BaseMetric):
    """Average of a per-image score over the evaluation set.

    Each data sample (a dict, see ``InpaintDataSample``) provides the
    prediction (``pred_key``, default ``'output'``, the composite, ``(3, H,
    W)`` float in [0, 255]), the ground truth (``gt_key``, ``(3, H, W)``
    uint8) and, for ``mask_mode='hole'``, the mask (``(1, H, W)``, 1 =
    hole). Both images are clipped to [0, 255] and rounded to uint8 first,
    so the score is that of the saved images.

    The reported name is ``metric_name`` for ``mask_mode='all'`` and
    ``metric_name + '_hole'`` for ``'hole'``, preceded by ``prefix + '/'``
    when a prefix is given. In hole mode a sample whose mask has no hole
    pixel is skipped and counted in a warning; if every sample is skipped
    the result is ``{}``.

    Args:
        mask_mode (str): ``'all'`` (whole image) or ``'hole'`` (hole pixels
            only). Default: ``'all'``.
        pred_key (str): Field of the prediction. Default: ``'output'``.
        gt_key (str): Field of the ground truth. Default: ``'gt_img'``.
        mask_key (str): Field of the mask. Default: ``'mask'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``, where results are
            gathered in distributed runs. Default: ``'cpu'``.
        prefix (str, optional): Prefix of the metric name. Default: None.
        collect_dir (str, optional): Temporary folder for gathering on CPU.
    """

    metric_name = None
    default_prefix = ''

    def __init__(self,
                 mask_mode='all',
                 pred_key='output',
                 gt_key='gt_img',
                 mask_key='mask',
                 collect_device='cpu',
                 prefix=None,
                 collect_dir=None):
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        self.mask_mode = check_mask_mode(mask_mode)
        self.pred_key = pred_key
        self.gt_key = gt_key
        self.mask_key = mask_key
        suffix = '_hole' if mask_mode == 'hole' else ''
        self.name = f'{self.metric_name}{suffix}'

    @abstractmethod
    def compute_sample(self, pred, gt, mask=None):
        """Score one image.

        Args:
            pred (np.ndarray): ``(H, W, C)`` uint8 prediction.
            gt (np.ndarray): ``(H, W, C)`` uint8 ground truth.
            mask (np.ndarray, optional): ``(H, W)`` in {0, 1}, 1 = hole,
                with at least one hole pixel; None in ``'all'`` mode.

        Returns:
            float: The score.
        """

    def process(self, data_batch, data_samples):
        """Score each sample and store the result (None when skipped).

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence[dict]): Data samples as dicts.
        """
        for sample in data_samples:
            sample = as_sample_dict(sample)
            pred, gt = get_image_pair(sample, self.pred_key, self.gt_key)
            mask = None
            if self.mask_mode == 'hole':
                mask = get_mask(sample, self.mask_key)
                if not np.any(mask):
                    self.results.append(None)
                    continue
            self.results.append(float(self.compute_sample(pred, gt, mask)))

    def compute_metrics(self, results):
        """Average the stored per-image scores.

        Args:
            results (list[float | None]): One entry per sample.

        Returns:
            dict[str, float]: ``{name: mean}``, or ``{}`` if no sample was
            scored.
        """
        values = [value for value in results if value is not None]
        skipped = len(results) - len(values)
        if skipped:
            print_log(
                f'{self.name}: skipped {skipped} of {len(results)} samples '
                'whose mask has no hole pixels',
                logger='current',
                level=logging.WARNING)
        if not values:
            return {}
        return {self.name: float(np.mean(values))}
