"""Error around the facial parts (eyes, nose, mouth)."""
import logging

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from inpaint_toolbox.registry import METRICS
from ..functional import clip_part_box, part_region_error
from .sample_utils import as_sample_dict, get_image_pair


@METRICS.register_module()
class PartRegionError(BaseMetric):
    """Mean absolute error (in [0, 1] units) inside facial part boxes.

    Each sample needs ``part_boxes`` ``{name: [x1, y1, x2, y2]}`` (a meta
    field, set e.g. by the synthetic face dataset) in the coordinates of
    the prediction. Images are clipped and rounded to uint8 first, as in
    :class:`BaseImageMetric`. Reports ``part_err_<name>`` (mean over the
    samples where that box overlaps the image) and ``part_err_mean`` (mean
    over samples of the per-sample mean over parts).

    Samples without part boxes, or whose boxes all fall outside the image,
    are skipped and counted in a warning; if none qualifies the result is
    ``{}`` with a warning.

    Args:
        pred_key (str): Field of the prediction. Default: ``'output'``.
        gt_key (str): Field of the ground truth. Default: ``'gt_img'``.
        boxes_key (str): Field of the part boxes. Default: ``'part_boxes'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Default: ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Default: None.
        collect_dir (str, optional): Temporary folder for gathering on CPU.
    """

    default_prefix = ''

    def __init__(self,
                 pred_key='output',
                 gt_key='gt_img',
                 boxes_key='part_boxes',
                 collect_device='cpu',
                 prefix=None,
                 collect_dir=None):
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        self.pred_key = pred_key
        self.gt_key = gt_key
        self.boxes_key = boxes_key

    def process(self, data_batch, data_samples):
        """Store per-part errors of each sample (None when skipped).

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence[dict]): Data samples as dicts.
        """
        for sample in data_samples:
            sample = as_sample_dict(sample)
            boxes = sample.get(self.boxes_key)
            if not boxes:
                self.results.append(None)
                continue
            pred, gt = get_image_pair(sample, self.pred_key, self.gt_key)
            height, width = gt.shape[:2]
            if all(
                    clip_part_box(name, box, height, width) is None
                    for name, box in boxes.items()):
                self.results.append(None)
                continue
            self.results.append(part_region_error(pred, gt, dict(boxes)))

    def compute_metrics(self, results):
        """Average the per-part errors.

        Args:
            results (list[dict | None]): One entry per sample.

        Returns:
            dict[str, float]: ``part_err_<name>`` and ``part_err_mean``, or
            ``{}`` if no sample had usable part boxes.
        """
        valid = [errors for errors in results if errors is not None]
        skipped = len(results) - len(valid)
        if not valid:
            print_log(
                'PartRegionError: no sample had part boxes inside the image '
                f'({len(results)} samples); nothing to report',
                logger='current',
                level=logging.WARNING)
            return {}
        if skipped:
            print_log(
                f'PartRegionError: skipped {skipped} of {len(results)} '
                'samples without part boxes inside the image',
                logger='current',
                level=logging.WARNING)
        names = []
        for errors in valid:
            names.extend(n for n in errors if n != 'mean' and n not in names)
        metrics = {}
        for name in names:
            values = [errors[name] for errors in valid if name in errors]
            metrics[f'part_err_{name}'] = float(np.mean(values))
        metrics['part_err_mean'] = float(
            np.mean([errors['mean'] for errors in valid]))
        return metrics
