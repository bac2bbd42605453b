"""PSNR metric."""
from inpaint_toolbox.registry import METRICS
from ..functional import psnr
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class PSNR(BaseImageMetric):
    """Mean peak signal-to-noise ratio in dB over the evaluation set.

    Per image see :func:`inpaint_toolbox.evaluation.functional.psnr`; the
    set value is the mean of the per-image values (``inf`` if any image is
    reproduced exactly). Reported as ``PSNR`` or ``PSNR_hole``. Arguments
    as in :class:`BaseImageMetric`.
    """

    metric_name = 'PSNR'

    def compute_sample(self, pred, gt, mask=None):
        return psnr(pred, gt, mask)
