"""LPIPS metric: perceptual distance of the composite to the ground
truth."""
from typing import Optional

from inpaint_toolbox.registry import METRICS
from ..feature_nets import LPIPSNet
from ..functional import lpips
from .base_image_metric import BaseImageMetric
from .feature_net_utils import lpips_net_args, resolve_device


@METRICS.register_module()
class LPIPS(BaseImageMetric):
    """Mean LPIPS distance between prediction and ground truth.

    Per image see :func:`inpaint_toolbox.evaluation.functional.lpips`
    (lower is better, 0 for a perfect reconstruction); images of any
    ``H, W`` (at least 31 px for AlexNet, 16 for VGG16), prediction and
    ground truth of the same size. Reported as ``LPIPS`` or, with
    ``mask_mode='hole'`` (hole-weighted spatial average), ``LPIPS_hole``.

    Args:
        net (str): Backbone, ``'alex'`` (the usual choice) or ``'vgg'``.
            Default: ``'alex'``.
        backbone_weights (str | None): torchvision's
            ``alexnet-owt-7be5be79.pth`` / ``vgg16-397923af.pth``; None
            means that name under ``data/pretrained/``. Default: None.
        lin_weights (str | None): The ``lpips`` package's ``alex.pth`` /
            ``vgg.pth``; None means that name under ``data/pretrained/``.
            Default: None.
        random_init (bool): Untrained networks, no files. For tests only.
            Default: False.
        seed (int): Seed of ``random_init``. Default: 0.
        device (str): ``'auto'`` (CUDA if available), ``'cpu'``, ...
            Default: ``'auto'``.
        **kwargs: ``mask_mode``, ``pred_key``, ``gt_key``, ``mask_key``,
            ``collect_device``, ``prefix``, ``collect_dir`` as in
            :class:`BaseImageMetric`.
    """

    metric_name = 'LPIPS'

    def __init__(self,
                 net: str = 'alex',
                 backbone_weights: Optional[str] = None,
                 lin_weights: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0,
                 device: str = 'auto',
                 **kwargs):
        super().__init__(**kwargs)
        self._net_args = lpips_net_args(net, backbone_weights, lin_weights,
                                        random_init, seed)
        self.device = resolve_device(device)
        self._net = None

    @property
    def net(self) -> LPIPSNet:
        """The LPIPS network, built on first use."""
        if self._net is None:
            self._net = LPIPSNet(**self._net_args).to(self.device)
        return self._net

    def compute_sample(self, pred, gt, mask=None):
        return lpips(pred, gt, self.net, mask)
