"""Adversarial losses: non-saturating GAN loss, R1 penalty, feature
matching."""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from inpaint_toolbox.registry import MODELS


@MODELS.register_module()
class NonSaturatingGANLoss(nn.Module):
    """Non-saturating logistic GAN loss (Goodfellow et al., 2014).

    Generator: ``softplus(-D(fake))``; discriminator: ``softplus(-D(real)) +
    softplus(D(fake))``, averaged over every logit (PatchGAN maps too).
    """

    def forward(self, logits: torch.Tensor, target_is_real: bool):
        """
        Args:
            logits: discriminator output of any shape.
            target_is_real (bool): the label these logits should get.

        Returns:
            Tensor: scalar loss.
        """
        if target_is_real:
            return F.softplus(-logits).mean()
        return F.softplus(logits).mean()


@MODELS.register_module()
class R1Penalty(nn.Module):
    """R1 gradient penalty on real images (Mescheder et al., 2018).

    ``gamma / 2 * E[||grad_x D(x)||^2]``, computed lazily every ``interval``
    discriminator steps and multiplied by ``interval`` (StyleGAN2's lazy
    regularization), so its average strength does not depend on the interval.

    Args:
        gamma (float): penalty weight. Defaults to 10.
        interval (int): compute every this many steps. Defaults to 16.
    """

    def __init__(self, gamma: float = 10.0, interval: int = 16):
        super().__init__()
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.gamma = gamma
        self.interval = interval

    def is_due(self, step: int) -> bool:
        """Whether the penalty is computed at this (0-based) step."""
        return step % self.interval == 0

    def forward(self, real_logits: torch.Tensor,
                real: torch.Tensor) -> torch.Tensor:
        """
        Args:
            real_logits: ``D(real)``, computed from ``real`` with
                ``real.requires_grad_(True)``.
            real: the real images.

        Returns:
            Tensor: scalar penalty, already scaled by ``interval``.
        """
        grad, = torch.autograd.grad(
            real_logits.sum(), real, create_graph=True)
        penalty = grad.pow(2).flatten(1).sum(1).mean()
        return 0.5 * self.gamma * penalty * self.interval


@MODELS.register_module()
class FeatureMatchingLoss(nn.Module):
    """L1 distance between discriminator features of fake and real images,
    averaged over layers (pix2pixHD, LaMa)."""

    def forward(self, fake_feats: Sequence[torch.Tensor],
                real_feats: Sequence[torch.Tensor]) -> torch.Tensor:
        if len(fake_feats) != len(real_feats):
            raise ValueError(f'{len(fake_feats)} fake and {len(real_feats)} '
                             'real feature maps')
        losses = [(f - r.detach()).abs().mean()
                  for f, r in zip(fake_feats, real_feats)]
        return torch.stack(losses).mean()
