"""Equalized-learning-rate layers of StyleGAN2 (NVIDIA stylegan2-ada-pytorch
semantics and parameter names) and the resolution/channel rules shared by
the StyleGAN2 generator and discriminator.

Weights are stored unscaled (``randn`` at init, divided by the learning-rate
multiplier for fully connected layers) and multiplied by their
equalized-lr gain in ``forward``: ``lr_multiplier / sqrt(fan_in)``.
"""
import math
from typing import Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.models.layers.stylegan2_ops import (ACTIVATION_GAINS,
                                                         bias_act,
                                                         minibatch_stddev)
from inpaint_toolbox.models.layers.stylegan2_resample import (conv2d_resample,
                                                              setup_filter)

__all__ = [
    'FullyConnected', 'Conv2dLayer', 'MinibatchStdLayer',
    'STYLEGAN2_RESOLUTIONS', 'check_stylegan2_resolution', 'stylegan2_channels'
]


class FullyConnected(nn.Module):
    """Equalized-lr fully connected layer.

    ``y = act(x @ (weight * lr_multiplier / sqrt(in)).T + bias *
    lr_multiplier)``, with the activation's default gain.

    Args:
        in_features: Input size.
        out_features: Output size.
        bias: Add a bias.
        lr_multiplier: Learning-rate multiplier (0.01 in the mapping net).
        bias_init: Initial bias value (1 for style affines).
        activation: ``'linear'``, ``'relu'`` or ``'lrelu'``.
    """

    def __init__(self,
                 in_features: int,
                 out_features: int,
                 bias: bool = True,
                 lr_multiplier: float = 1.0,
                 bias_init: float = 0.0,
                 activation: str = 'linear'):
        super().__init__()
        if activation not in ACTIVATION_GAINS:
            raise ValueError(f'activation must be one of '
                             f'{sorted(ACTIVATION_GAINS)}, got {activation!r}')
        self.in_features = in_features
        self.out_features = out_features
        self.activation = activation
        self.weight = nn.Parameter(
            torch.randn(out_features, in_features) / lr_multiplier)
        self.bias = nn.Parameter(torch.full(
            [out_features], float(bias_init))) if bias else None
        self.weight_gain = lr_multiplier / math.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``[N, in_features] -> [N, out_features]``."""
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f'expected [N, {self.in_features}], got '
                             f'{tuple(x.shape)}')
        w = self.weight.to(x.dtype) * self.weight_gain
        b = self.bias
        if b is not None:
            b = b.to(x.dtype)
            if self.bias_gain != 1:
                b = b * self.bias_gain
        if self.activation == 'linear' and b is not None:
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return bias_act(x.matmul(w.t()), b, act=self.activation)

    def extra_repr(self) -> str:
        return (f'in_features={self.in_features}, '
                f'out_features={self.out_features}, '
                f'activation={self.activation}')


class Conv2dLayer(nn.Module):
    """Equalized-lr convolution with optional FIR up/downsampling.

    Args:
        in_channels: Input channels.
        out_channels: Output channels.
        kernel_size: Square kernel size (padding ``kernel_size // 2``).
        bias: Add a bias before the activation.
        activation: ``'linear'``, ``'relu'`` or ``'lrelu'``.
        up: Upsampling factor (1 or 2).
        down: Downsampling factor (1 or 2).
        resample_filter: FIR taps for resampling.
        conv_clamp: Clamp the output to ``[-conv_clamp, conv_clamp]``;
            None disables.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 bias: bool = True,
                 activation: str = 'linear',
                 up: int = 1,
                 down: int = 1,
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 conv_clamp: Optional[float] = None):
        super().__init__()
        if activation not in ACTIVATION_GAINS:
            raise ValueError(f'activation must be one of '
                             f'{sorted(ACTIVATION_GAINS)}, got {activation!r}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.activation = activation
        self.up = up
        self.down = down
        self.conv_clamp = conv_clamp
        self.register_buffer(
            'resample_filter', setup_filter(resample_filter),
            persistent=False)
        self.padding = kernel_size // 2
        self.weight_gain = 1 / math.sqrt(in_channels * kernel_size**2)
        self.act_gain = ACTIVATION_GAINS[activation]
        self.weight = nn.Parameter(
            torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None

    def forward(self, x: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
        """``[N, I, H, W] -> [N, O, H * up / down, W * up / down]``."""
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f'expected [N, {self.in_channels}, H, W], got '
                             f'{tuple(x.shape)}')
        w = self.weight * self.weight_gain
        x = conv2d_resample(
            x, w.to(x.dtype), f=self.resample_filter, up=self.up,
            down=self.down, padding=self.padding,
            flip_weight=(self.up == 1))
        act_clamp = self.conv_clamp * gain \
            if self.conv_clamp is not None else None
        return bias_act(x, self.bias, act=self.activation,
                        gain=self.act_gain * gain, clamp=act_clamp,
                        inplace=True)

    def extra_repr(self) -> str:
        return (f'{self.in_channels}, {self.out_channels}, '
                f'kernel_size={self.weight.shape[-1]}, up={self.up}, '
                f'down={self.down}, activation={self.activation}')


class MinibatchStdLayer(nn.Module):
    """Module form of :func:`minibatch_stddev`.

    Args:
        group_size: Samples per group (None: whole batch).
        num_channels: Number of appended channels.
    """

    def __init__(self, group_size: Optional[int] = 4, num_channels: int = 1):
        super().__init__()
        self.group_size = group_size
        self.num_channels = num_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``[N, C, H, W] -> [N, C + num_channels, H, W]``."""
        return minibatch_stddev(x, self.group_size, self.num_channels)

    def extra_repr(self) -> str:
        return (f'group_size={self.group_size}, '
                f'num_channels={self.num_channels}')


#: Output resolutions supported by the StyleGAN2 generator/discriminator.
STYLEGAN2_RESOLUTIONS = tuple(2**i for i in range(4, 11))


def check_stylegan2_resolution(img_resolution: int) -> int:
    """Return ``img_resolution`` if it is ``2 ** k`` in ``[16, 1024]``.

    Raises:
        ValueError: Otherwise, naming the value.
    """
    if isinstance(img_resolution, bool) or \
            img_resolution not in STYLEGAN2_RESOLUTIONS:
        raise ValueError(f'img_resolution must be a power of two from 16 to '
                         f'1024 {STYLEGAN2_RESOLUTIONS}, got '
                         f'{img_resolution!r}')
    return int(img_resolution)


def stylegan2_channels(img_resolution: int,
                       channel_base: int = 32768,
                       channel_max: int = 512,
                       channels: Optional[dict] = None) -> dict:
    """Channels per resolution ``{4: c4, 8: c8, ..., img_resolution: c}``.

    Args:
        img_resolution: Highest resolution.
        channel_base: ``channels[res] = min(channel_base // res,
            channel_max)``.
        channel_max: Upper bound of the channels.
        channels: Explicit ``{res: channels}`` (keys may be int-like
            strings); overrides ``channel_base``/``channel_max`` and must
            cover every resolution from 4 to ``img_resolution``.

    Returns:
        dict int -> int.
    """
    resolutions = [2**i for i in range(2, int(math.log2(img_resolution)) + 1)]
    if channels is None:
        out = {res: min(channel_base // res, channel_max)
               for res in resolutions}
    else:
        out = {int(res): int(ch) for res, ch in dict(channels).items()}
        missing = [res for res in resolutions if res not in out]
        if missing:
            raise ValueError(f'channels must give every resolution '
                             f'{resolutions}; missing {missing}')
        out = {res: out[res] for res in resolutions}
    bad = {res: ch for res, ch in out.items() if ch < 1}
    if bad:
        raise ValueError(f'channel counts must be >= 1, got {bad} (raise '
                         f'channel_base or give channels explicitly)')
    return out
