"""MAE metric."""
from inpaint_toolbox.registry import METRICS
from ..functional import mae
from .base_image_metric import BaseImageMetric


@METRICS.register_module()
class MAE(BaseImageMetric):
    """Mean absolute error in [0, 1] units over the evaluation set.

    Per image see :func:`inpaint_toolbox.evaluation.functional.mae`.
    Reported as ``MAE`` or ``MAE_hole``. Arguments as in
    :class:`BaseImageMetric`.
    """

    metric_name = 'MAE'

    def compute_sample(self, pred, gt, mask=None):
        return mae(pred, gt, mask)
