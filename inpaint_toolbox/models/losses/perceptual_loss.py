"""Perceptual loss on VGG19 features."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.logging import print_log

from inpaint_toolbox.models.layers.vgg import VGG19Features
from inpaint_toolbox.registry import MODELS


@MODELS.register_module()
class PerceptualLoss(nn.Module):
    """Weighted L1 (or L2) distance between VGG19 features.

    Weights come from a local torchvision-format file given in the config;
    nothing is downloaded. With ``vgg_weights=None`` the loss is disabled
    (``enabled`` is False and it returns zero) and a warning is logged, unless
    ``allow_random=True`` asks knowingly for a randomly initialized VGG (only
    useful for tests).

    Args:
        vgg_weights (str | None): path to ``vgg19-dcbb9e9d.pth``.
        layer_weights (dict): layer name -> weight. Defaults to relu1_1 ..
            relu5_1 with equal weights.
        criterion (str): ``'l1'`` or ``'l2'``. Defaults to ``'l1'``.
        allow_random (bool): use random VGG weights when no file is given.
    """

    def __init__(self,
                 vgg_weights: Optional[str] = None,
                 layer_weights: Optional[Dict[str, float]] = None,
                 criterion: str = 'l1',
                 allow_random: bool = False):
        super().__init__()
        if layer_weights is None:
            layer_weights = {
                'relu1_1': 1.0, 'relu2_1': 1.0, 'relu3_1': 1.0,
                'relu4_1': 1.0, 'relu5_1': 1.0
            }
        if criterion not in ('l1', 'l2'):
            raise ValueError(
                f"criterion must be 'l1' or 'l2', got {criterion}")
        self.layer_weights = dict(layer_weights)
        self.criterion = criterion
        self.enabled = vgg_weights is not None or allow_random
        if not self.enabled:
            print_log(
                'PerceptualLoss: no VGG19 weights file given '
                '(vgg_weights=None), so the perceptual loss is disabled. Set '
                'vgg_weights to a local torchvision vgg19 state dict to use '
                'it.', logger='current', level=30)
            self.vgg = None
            return
        self.vgg = VGG19Features(list(self.layer_weights), vgg_weights)
        self.vgg.requires_grad_(False)
        self.vgg.eval()

    def train(self, mode: bool = True):
        super().train(mode)
        if self.vgg is not None:
            self.vgg.eval()  # the feature network never trains
        return self

    def forward(self, pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
        """
        Args:
            pred, gt: ``(B, 3, H, W)`` in [-1, 1].

        Returns:
            Tensor: scalar loss (zero when disabled).
        """
        if not self.enabled:
            return pred.new_zeros(())
        fp = self.vgg(pred)
        with torch.no_grad():
            fg = self.vgg(gt)
        loss = pred.new_zeros(())
        for name, w in self.layer_weights.items():
            diff = fp[name] - fg[name]
            d = diff.abs() if self.criterion == 'l1' else diff.pow(2)
            loss = loss + w * d.mean()
        return loss
