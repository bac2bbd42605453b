"""PatchGAN discriminator (pix2pix, LaMa)."""
from typing import List, Tuple

import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm as _sn

from inpaint_toolbox.registry import MODELS


@MODELS.register_module()
class PatchDiscriminator(nn.Module):
    """N-layer PatchGAN: a stack of 4x4 convs that classifies overlapping
    patches as real or fake.

    Args:
        in_channels (int): input channels. Defaults to 3.
        base_channels (int): width of the first layer. Defaults to 64.
        num_layers (int): stride-2 layers after the first. Defaults to 3.
        max_channels (int): width cap. Defaults to 512.
        use_spectral_norm (bool): wrap convs in spectral norm.
            Defaults to False.
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 num_layers: int = 3,
                 max_channels: int = 512,
                 use_spectral_norm: bool = False):
        super().__init__()
        wrap = _sn if use_spectral_norm else (lambda m: m)
        norm = (lambda c: nn.Identity()) if use_spectral_norm else \
            (lambda c: nn.BatchNorm2d(c))
        blocks = [nn.Sequential(
            wrap(nn.Conv2d(in_channels, base_channels, 4, 2, 1)),
            nn.LeakyReLU(0.2))]
        ch = base_channels
        for i in range(1, num_layers + 1):
            out = min(base_channels * 2**i, max_channels)
            stride = 2 if i < num_layers else 1
            blocks.append(nn.Sequential(
                wrap(nn.Conv2d(ch, out, 4, stride, 1)), norm(out),
                nn.LeakyReLU(0.2)))
            ch = out
        self.blocks = nn.ModuleList(blocks)
        self.head = wrap(nn.Conv2d(ch, 1, 4, 1, 1))
        self.in_channels = in_channels

    def forward(self, x: torch.Tensor
                ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """
        Args:
            x: ``(B, in_channels, H, W)`` in [-1, 1]; H, W >= 2 ** (n + 2).

        Returns:
            tuple: logits ``(B, 1, H', W')`` and the list of intermediate
            features (for feature matching).
        """
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f'expected (B, {self.in_channels}, H, W), got '
                             f'{tuple(x.shape)}')
        feats = []
        for block in self.blocks:
            x = block(x)
            feats.append(x)
        return self.head(x), feats
