"""A small baseline generator: plain conv encoder-decoder."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from inpaint_toolbox.registry import MODELS


class _ResBlock(nn.Module):

    def __init__(self, ch: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(ch, ch, 3, padding=1), nn.GroupNorm(8, ch), nn.GELU(),
            nn.Conv2d(ch, ch, 3, padding=1), nn.GroupNorm(8, ch))

    def forward(self, x):
        return x + self.body(x)


@MODELS.register_module()
class ConvEncoderDecoder(nn.Module):
    """Baseline inpainting generator: strided conv encoder, residual
    bottleneck, nearest-upsample conv decoder with skip connections.

    It exists so the whole training path runs with a small model; it is not
    a method of its own.

    Args:
        in_channels (int): masked RGB + mask. Defaults to 4.
        out_channels (int): Defaults to 3.
        base_channels (int): width at full resolution (multiple of 8).
            Defaults to 32.
        num_downsamples (int): stride-2 stages. Defaults to 3.
        num_res_blocks (int): bottleneck blocks. Defaults to 2.
    """

    def __init__(self,
                 in_channels: int = 4,
                 out_channels: int = 3,
                 base_channels: int = 32,
                 num_downsamples: int = 3,
                 num_res_blocks: int = 2):
        super().__init__()
        self.in_channels = in_channels
        self.size_divisor = 2**num_downsamples
        chs = [
            min(base_channels * 2**i, 256) for i in range(num_downsamples + 1)
        ]
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, chs[0], 5, padding=2), nn.GELU())
        self.downs = nn.ModuleList([
            nn.Sequential(nn.Conv2d(chs[i], chs[i + 1], 4, 2, 1),
                          nn.GroupNorm(8, chs[i + 1]), nn.GELU())
            for i in range(num_downsamples)
        ])
        self.bottleneck = nn.Sequential(
            *[_ResBlock(chs[-1]) for _ in range(num_res_blocks)])
        self.ups = nn.ModuleList([
            nn.Sequential(nn.Conv2d(chs[i + 1] + chs[i], chs[i], 3, padding=1),
                          nn.GroupNorm(8, chs[i]), nn.GELU())
            for i in reversed(range(num_downsamples))
        ])
        self.to_rgb = nn.Conv2d(chs[0], out_channels, 3, padding=1)

    def forward(self,
                x: torch.Tensor,
                out_size: Optional[Tuple[int, int]] = None,
                scale: Optional[float] = None) -> torch.Tensor:
        """
        Args:
            x: ``(B, 4, H, W)``, H and W multiples of ``size_divisor``.
            out_size: output ``(H', W')``; the result is resized bilinearly
                when it differs from the input size.
            scale: alternative to ``out_size``: ``round(H * scale)``.

        Returns:
            Tensor: ``(B, 3, H', W')`` in [-1, 1].
        """
        b, c, h, w = x.shape
        if c != self.in_channels:
            raise ValueError(f'expected {self.in_channels} channels, got {c}')
        d = self.size_divisor
        if h % d or w % d:
            raise ValueError(f'input {h}x{w} is not a multiple of '
                             f'size_divisor={d}; pad it first')
        skips = [self.stem(x)]
        for down in self.downs:
            skips.append(down(skips[-1]))
        y = self.bottleneck(skips.pop())
        for up in self.ups:
            skip = skips.pop()
            y = F.interpolate(y, size=skip.shape[-2:], mode='nearest')
            y = up(torch.cat([y, skip], dim=1))
        y = torch.tanh(self.to_rgb(y))
        if out_size is None and scale is not None:
            out_size = (round(h * scale), round(w * scale))
        if out_size is not None and tuple(out_size) != (h, w):
            y = F.interpolate(
                y, size=tuple(out_size), mode='bilinear', align_corners=False)
        return y
