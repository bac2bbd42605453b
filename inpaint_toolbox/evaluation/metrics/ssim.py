"""SSIM metric."""
from inpaint_toolbox.registry import METRICS
from ..functional import ssim
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class SSIM(BaseImageMetric):
    """Mean structural similarity over the evaluation set.

    Per image see :func:`inpaint_toolbox.evaluation.functional.ssim`: in
    hole mode the uncropped SSIM map is averaged over hole pixels. Reported
    as ``SSIM`` or ``SSIM_hole``. Arguments as in :class:`BaseImageMetric`.
    """

    metric_name = 'SSIM'

    def compute_sample(self, pred, gt, mask=None):
        return ssim(pred, gt, mask)
