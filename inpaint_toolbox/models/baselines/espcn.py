"""A small sub-pixel convolution super-resolution network (ESPCN)."""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from inpaint_toolbox.registry import MODELS


@MODELS.register_module()
class ESPCN(nn.Module):
    """Efficient sub-pixel CNN (Shi et al., CVPR 2016) for ``scale``x SR.

    ``conv 5x5 -> tanh -> conv 3x3 -> tanh -> conv 3x3 (3 * scale**2
    channels) -> pixel shuffle``, all at the low resolution. With
    ``residual=True`` the network predicts a correction added to the bicubic
    upsampling of its input, and its last convolution starts at zero, so an
    untrained network equals bicubic upsampling exactly.

    Args:
        scale (int): upscaling factor, >= 2. Defaults to 4.
        mid_channels (sequence of int): widths of the two hidden layers.
            Defaults to ``(64, 32)``.
        residual (bool): add the bicubic upsampling. Defaults to True.
    """

    def __init__(self,
                 scale: int = 4,
                 mid_channels: Sequence[int] = (64, 32),
                 residual: bool = True):
        super().__init__()
        if isinstance(scale, bool) or not isinstance(scale, int) or scale < 2:
            raise ValueError(f'scale must be an int >= 2, got {scale!r}')
        if len(mid_channels) != 2 or min(mid_channels) < 1:
            raise ValueError('mid_channels must be two positive ints, got '
                             f'{mid_channels!r}')
        c1, c2 = (int(c) for c in mid_channels)
        self.scale = scale
        self.residual = bool(residual)
        self.conv1 = nn.Conv2d(3, c1, 5, padding=2, padding_mode='replicate')
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1, padding_mode='replicate')
        self.conv3 = nn.Conv2d(
            c2, 3 * scale**2, 3, padding=1, padding_mode='replicate')
        if self.residual:
            nn.init.zeros_(self.conv3.weight)
            nn.init.zeros_(self.conv3.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Upscale.

        Args:
            x (Tensor): ``[B, 3, H, W]`` RGB in [-1, 1].

        Returns:
            Tensor: ``[B, 3, H * scale, W * scale]``, roughly in [-1, 1]
            (not clamped).
        """
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError('ESPCN expects [B, 3, H, W], got '
                             f'{tuple(x.shape)}')
        y = torch.tanh(self.conv1(x))
        y = torch.tanh(self.conv2(y))
        y = F.pixel_shuffle(self.conv3(y), self.scale)
        if self.residual:
            y = y + F.interpolate(
                x, scale_factor=self.scale, mode='bicubic',
                align_corners=False)
        return y
