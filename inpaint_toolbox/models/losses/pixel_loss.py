"""Pixel reconstruction losses."""
import torch
import torch.nn as nn

from inpaint_toolbox.registry import MODELS


@MODELS.register_module()
class MaskedL1Loss(nn.Module):
    """L1 loss weighted separately on known and hole pixels.

    ``loss = mean(|pred - gt| * (w_known * (1 - m) + w_hole * m))``. LaMa's
    default (and ours) puts all the weight on the known region
    (``weight_known=10, weight_hole=0``): the hole is left to the
    adversarial and perceptual terms.

    Args:
        weight_known (float): weight of known pixels. Defaults to 10.
        weight_hole (float): weight of hole pixels. Defaults to 0.
    """

    def __init__(self, weight_known: float = 10.0, weight_hole: float = 0.0):
        super().__init__()
        self.weight_known = weight_known
        self.weight_hole = weight_hole

    def forward(self, pred: torch.Tensor, gt: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        """
        Args:
            pred, gt: ``(B, C, H, W)`` in [-1, 1].
            mask: ``(B, 1, H, W)``, 1 = hole.

        Returns:
            Tensor: scalar loss.
        """
        if pred.shape != gt.shape:
            raise ValueError(f'pred {tuple(pred.shape)} and gt '
                             f'{tuple(gt.shape)} differ in shape')
        weight = self.weight_known * (1 - mask) + self.weight_hole * mask
        return (self.error(pred - gt) * weight).mean()

    @staticmethod
    def error(diff: torch.Tensor) -> torch.Tensor:
        """Per-element error of ``pred - gt``."""
        return diff.abs()


@MODELS.register_module()
class MaskedMSELoss(MaskedL1Loss):
    """Squared error weighted separately on known and hole pixels.

    ``loss = mean((pred - gt)^2 * (w_known * (1 - m) + w_hole * m))``. Where
    the network predicts a residual on top of a smooth first guess, the
    squared error's gradient grows with the error, so the few pixels the
    guess gets badly wrong (an eye, a mouth) drive training, where L1 gives
    every pixel the same push; it is also what hole PSNR measures.

    Args:
        weight_known (float): weight of known pixels. Defaults to 10.
        weight_hole (float): weight of hole pixels. Defaults to 0.
    """

    @staticmethod
    def error(diff: torch.Tensor) -> torch.Tensor:
        return diff.square()


@MODELS.register_module()
class MSELoss(nn.Module):
    """Mean squared error, optionally restricted to the known region.

    Args:
        region (str): ``'all'`` or ``'known'``. Defaults to ``'all'``.
    """

    def __init__(self, region: str = 'all'):
        super().__init__()
        if region not in ('all', 'known'):
            raise ValueError(f"region must be 'all' or 'known', got {region}")
        self.region = region

    def forward(self, pred, gt, mask=None):
        err = (pred - gt)**2
        if self.region == 'known':
            if mask is None:
                raise ValueError("region='known' needs a mask")
            keep = (1 - mask).expand_as(err)
            return (err * keep).sum() / keep.sum().clamp(min=1)
        return err.mean()
