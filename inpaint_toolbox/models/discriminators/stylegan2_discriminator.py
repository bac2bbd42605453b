"""StyleGAN2 residual discriminator (config F), pure PyTorch.

Semantics and parameter names follow NVIDIA's stylegan2-ada-pytorch
``Discriminator`` with the ``resnet`` architecture and no labels: blocks
``b{res}`` from ``img_resolution`` down to 8 (``fromrgb`` in the first,
``conv0``, ``conv1`` with FIR [1, 3, 3, 1] downsampling, and a 1x1
downsampling ``skip``; the two paths are summed with gain sqrt(0.5)), then
the 4x4 epilogue ``b4`` (minibatch standard deviation, ``conv``, ``fc``,
``out``).

Reference: Karras et al., "Analyzing and Improving the Image Quality of
StyleGAN", CVPR 2020.
"""
import math
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.models.layers.stylegan2_layers import (
    Conv2dLayer, FullyConnected, MinibatchStdLayer, check_stylegan2_resolution,
    stylegan2_channels)
from inpaint_toolbox.registry import MODELS

__all__ = [
    'DiscriminatorBlock', 'DiscriminatorEpilogue', 'StyleGAN2Discriminator'
]


class DiscriminatorBlock(nn.Module):
    """Residual block halving the resolution.

    Args:
        in_channels: Input feature channels (0 for the first block, which
            reads the image through ``fromrgb``).
        tmp_channels: Channels at this resolution.
        out_channels: Output channels (at half resolution).
        resolution: Input resolution.
        img_channels: Image channels.
        resample_filter: FIR taps.
        conv_clamp: Clamp of the convs (None: off).
    """

    def __init__(self,
                 in_channels: int,
                 tmp_channels: int,
                 out_channels: int,
                 resolution: int,
                 img_channels: int,
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 conv_clamp: Optional[float] = None):
        super().__init__()
        if in_channels not in (0, tmp_channels):
            raise ValueError(f'in_channels must be 0 or tmp_channels '
                             f'({tmp_channels}), got {in_channels}')
        self.in_channels = in_channels
        self.tmp_channels = tmp_channels
        self.resolution = resolution
        self.img_channels = img_channels
        if in_channels == 0:
            self.fromrgb = Conv2dLayer(img_channels, tmp_channels, 1,
                                       activation='lrelu',
                                       conv_clamp=conv_clamp)
        self.conv0 = Conv2dLayer(tmp_channels, tmp_channels, 3,
                                 activation='lrelu', conv_clamp=conv_clamp)
        self.conv1 = Conv2dLayer(tmp_channels, out_channels, 3,
                                 activation='lrelu', down=2,
                                 resample_filter=resample_filter,
                                 conv_clamp=conv_clamp)
        self.skip = Conv2dLayer(tmp_channels, out_channels, 1, bias=False,
                                down=2, resample_filter=resample_filter)

    def forward(self, x: Optional[torch.Tensor],
                img: Optional[torch.Tensor]) -> torch.Tensor:
        """Features ``[N, in_channels, res, res]`` (or the image
        ``[N, img_channels, res, res]`` for the first block) ->
        ``[N, out_channels, res / 2, res / 2]``."""
        res = self.resolution
        if self.in_channels == 0:
            if img is None or tuple(img.shape[1:]) != (self.img_channels,
                                                       res, res):
                raise ValueError(
                    f'expected an image [N, {self.img_channels}, {res}, '
                    f'{res}], got {None if img is None else tuple(img.shape)}')
            x = self.fromrgb(img)
        elif x is None or tuple(x.shape[1:]) != (self.in_channels, res, res):
            raise ValueError(
                f'expected [N, {self.in_channels}, {res}, {res}], got '
                f'{None if x is None else tuple(x.shape)}')
        y = self.skip(x, gain=math.sqrt(0.5))
        x = self.conv0(x)
        x = self.conv1(x, gain=math.sqrt(0.5))
        return y + x


class DiscriminatorEpilogue(nn.Module):
    """4x4 head: minibatch stddev, 3x3 conv, FC, FC to one logit.

    Args:
        in_channels: Feature channels at 4x4.
        resolution: Resolution of the head (4).
        mbstd_group_size: Minibatch stddev group size (None: whole batch).
        mbstd_num_channels: Minibatch stddev channels (0: disabled).
        conv_clamp: Clamp of the conv (None: off).
    """

    def __init__(self,
                 in_channels: int,
                 resolution: int = 4,
                 mbstd_group_size: Optional[int] = 4,
                 mbstd_num_channels: int = 1,
                 conv_clamp: Optional[float] = None):
        super().__init__()
        self.in_channels = in_channels
        self.resolution = resolution
        self.mbstd = MinibatchStdLayer(mbstd_group_size, mbstd_num_channels) \
            if mbstd_num_channels > 0 else None
        self.conv = Conv2dLayer(in_channels + mbstd_num_channels, in_channels,
                                3, activation='lrelu', conv_clamp=conv_clamp)
        self.fc = FullyConnected(in_channels * resolution**2, in_channels,
                                 activation='lrelu')
        self.out = FullyConnected(in_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``[N, in_channels, 4, 4] -> [N, 1]`` logits."""
        res = self.resolution
        if x.ndim != 4 or tuple(x.shape[1:]) != (self.in_channels, res, res):
            raise ValueError(f'expected [N, {self.in_channels}, {res}, '
                             f'{res}], got {tuple(x.shape)}')
        if self.mbstd is not None:
            x = self.mbstd(x)
        x = self.conv(x)
        x = self.fc(x.flatten(1))
        return self.out(x)


@MODELS.register_module()
class StyleGAN2Discriminator(nn.Module):
    """StyleGAN2 residual discriminator returning one logit per image.

    Args:
        img_resolution: Input resolution, ``2 ** k`` in [16, 1024].
        img_channels: Image channels.
        channel_base: ``channels[res] = min(channel_base // res,
            channel_max)``.
        channel_max: Maximum channels.
        channels: Explicit ``{res: channels}`` from 4 to ``img_resolution``.
        mbstd_group_size: Minibatch stddev group size; the batch size must
            be divisible by ``min(group_size, batch)``.
        mbstd_num_channels: Minibatch stddev channels (0: disabled).
        conv_clamp: Clamp of the convs (None: off).
        resample_filter: FIR taps.
    """

    def __init__(self,
                 img_resolution: int,
                 img_channels: int = 3,
                 channel_base: int = 32768,
                 channel_max: int = 512,
                 channels: Optional[Dict[int, int]] = None,
                 mbstd_group_size: Optional[int] = 4,
                 mbstd_num_channels: int = 1,
                 conv_clamp: Optional[float] = None,
                 resample_filter: Sequence[float] = (1, 3, 3, 1)):
        super().__init__()
        self.img_resolution = check_stylegan2_resolution(img_resolution)
        self.img_channels = img_channels
        self.channels = stylegan2_channels(img_resolution, channel_base,
                                           channel_max, channels)
        self.block_resolutions = [
            res for res in sorted(self.channels, reverse=True) if res > 4
        ]
        for res in self.block_resolutions:
            in_channels = self.channels[res] if res < img_resolution else 0
            block = DiscriminatorBlock(
                in_channels, self.channels[res], self.channels[res // 2],
                resolution=res, img_channels=img_channels,
                resample_filter=resample_filter, conv_clamp=conv_clamp)
            setattr(self, f'b{res}', block)
        self.b4 = DiscriminatorEpilogue(
            self.channels[4], resolution=4,
            mbstd_group_size=mbstd_group_size,
            mbstd_num_channels=mbstd_num_channels, conv_clamp=conv_clamp)

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Score images.

        Args:
            img: ``[N, img_channels, res, res]`` in [-1, 1].

        Returns:
            Logits ``[N, 1]`` (real > fake after training).
        """
        res = self.img_resolution
        if img.ndim != 4 or tuple(img.shape[1:]) != (self.img_channels, res,
                                                     res):
            raise ValueError(f'img must be [N, {self.img_channels}, {res}, '
                             f'{res}], got {tuple(img.shape)}')
        x = None
        for block_res in self.block_resolutions:
            x = getattr(self, f'b{block_res}')(x, img)
        return self.b4(x)
