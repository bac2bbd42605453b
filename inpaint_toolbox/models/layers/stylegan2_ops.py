"""Functional StyleGAN2 operations: bias + activation, modulated convolution,
pixel norm and minibatch standard deviation.

Numerics follow NVIDIA's stylegan2-ada-pytorch (config F): leaky ReLU with
slope 0.2 and gain sqrt(2), optional clamping, weight demodulation with
``eps = 1e-8``. Everything is plain PyTorch (CPU and GPU, any order of
gradients).

Reference: Karras et al., "Analyzing and Improving the Image Quality of
StyleGAN", CVPR 2020.
"""
import math
from typing import Optional

import torch
import torch.nn.functional as F

from inpaint_toolbox.models.layers.stylegan2_resample import conv2d_resample

__all__ = [
    'ACTIVATION_GAINS', 'normalize_2nd_moment', 'bias_act',
    'modulated_conv2d', 'minibatch_stddev'
]

#: Default gain of each activation (keeps the signal variance).
ACTIVATION_GAINS = {'linear': 1.0, 'relu': math.sqrt(2), 'lrelu': math.sqrt(2)}


def normalize_2nd_moment(x: torch.Tensor,
                         dim: int = 1,
                         eps: float = 1e-8) -> torch.Tensor:
    """Pixel norm: ``x / sqrt(mean(x ** 2, dim) + eps)``."""
    return x * (x.square().mean(dim=dim, keepdim=True) + eps).rsqrt()


def bias_act(x: torch.Tensor,
             b: Optional[torch.Tensor] = None,
             dim: int = 1,
             act: str = 'linear',
             alpha: float = 0.2,
             gain: Optional[float] = None,
             clamp: Optional[float] = None,
             inplace: bool = False) -> torch.Tensor:
    """Add a bias, apply an activation, scale by a gain, clamp.

    Args:
        x: Any tensor, e.g. ``[N, C, H, W]`` or ``[N, C]``.
        b: Bias ``[x.shape[dim]]`` or None.
        dim: The dimension ``b`` runs along.
        act: ``'linear'``, ``'relu'`` or ``'lrelu'`` (slope ``alpha``).
        alpha: Negative slope of ``'lrelu'``.
        gain: Output scale; None takes the activation's default
            (sqrt(2) for relu/lrelu, 1 for linear).
        clamp: Clamp the output to ``[-clamp, clamp]``; None disables.
        inplace: Overwrite ``x`` (a fresh intermediate result, e.g. a conv
            output) instead of allocating; autograd-safe.

    Returns:
        Tensor of the shape of ``x``.
    """
    if act not in ACTIVATION_GAINS:
        raise ValueError(f'act must be one of {sorted(ACTIVATION_GAINS)}, '
                         f'got {act!r}')
    if b is not None:
        if b.ndim != 1 or b.shape[0] != x.shape[dim]:
            raise ValueError(f'bias must be [{x.shape[dim]}], got '
                             f'{tuple(b.shape)}')
        shape = [-1 if i == dim % x.ndim else 1 for i in range(x.ndim)]
        b = b.to(x.dtype).reshape(shape)
        x = x.add_(b) if inplace else x + b
    gain = ACTIVATION_GAINS[act] if gain is None else gain
    if inplace and gain > 0:
        # act(x) * gain == act(x * gain) for gain > 0; scaling first keeps
        # the activation's saved output untouched for backward
        if gain != 1:
            x = x.mul_(gain)
        if act == 'lrelu':
            x = F.leaky_relu_(x, alpha)
        elif act == 'relu':
            x = F.relu_(x)
    else:
        if act == 'lrelu':
            x = F.leaky_relu(x, alpha)
        elif act == 'relu':
            x = F.relu(x)
        if gain != 1:
            x = x * gain
    if clamp is not None and clamp >= 0:
        x = x.clamp(-clamp, clamp)
    return x


def modulated_conv2d(x: torch.Tensor,
                     weight: torch.Tensor,
                     styles: torch.Tensor,
                     noise: Optional[torch.Tensor] = None,
                     up: int = 1,
                     down: int = 1,
                     padding: int = 0,
                     resample_filter: Optional[torch.Tensor] = None,
                     demodulate: bool = True,
                     flip_weight: bool = True,
                     fused_modconv: bool = True) -> torch.Tensor:
    """Modulated (and demodulated) convolution of StyleGAN2.

    Every sample ``n`` is convolved with ``weight * styles[n]`` (scaling the
    input channels); with ``demodulate`` each output channel of that weight
    is then divided by its L2 norm (``rsqrt(sum + 1e-8)``). The fused path
    runs all samples as one grouped convolution; the unfused path scales the
    activations before and after a shared convolution. Both give the same
    numbers (up to float rounding).

    Args:
        x: Input ``[N, I, H, W]``.
        weight: Raw weight ``[O, I, kh, kw]`` (no equalized-lr gain needed
            when demodulating).
        styles: Per-sample input-channel scales ``[N, I]``.
        noise: Added after the convolution, broadcastable to the output
            (e.g. ``[N, 1, H', W']`` or ``[H', W']``), or None.
        up: Upsampling factor (1 or 2).
        down: Downsampling factor (1 or 2).
        padding: Padding relative to the upsampled image.
        resample_filter: Filter from ``setup_filter`` for up/down.
        demodulate: Normalize each output channel of the modulated weight.
        flip_weight: True: correlation; False: convolution (NVIDIA uses
            False for ``up > 1``).
        fused_modconv: Use the grouped-convolution path.

    Returns:
        ``[N, O, H', W']``.
    """
    batch = x.shape[0]
    out_channels, in_channels, kh, kw = weight.shape
    if x.ndim != 4 or x.shape[1] != in_channels:
        raise ValueError(f'x must be [N, {in_channels}, H, W], got '
                         f'{tuple(x.shape)}')
    if styles.shape != (batch, in_channels):
        raise ValueError(f'styles must be [{batch}, {in_channels}], got '
                         f'{tuple(styles.shape)}')

    styles = styles.to(weight.dtype)
    dcoefs = None
    if demodulate:
        # 1 / ||weight * styles[n]|| per output channel, as a small matmul:
        # sum_i,k (w[o,i,k] s[n,i])^2 = sum_i s[n,i]^2 sum_k w[o,i,k]^2
        wsq = torch.einsum('oikl,oikl->oi', weight, weight)  # [O, I]
        dcoefs = (styles.square() @ wsq.t() + 1e-8).rsqrt()  # [N, O]

    if not fused_modconv:
        x = x * styles.to(x.dtype).reshape(batch, -1, 1, 1)
        x = conv2d_resample(
            x, weight.to(x.dtype), f=resample_filter, up=up, down=down,
            padding=padding, flip_weight=flip_weight)
        if demodulate:
            x = x * dcoefs.to(x.dtype).reshape(batch, -1, 1, 1)
        if noise is not None:
            x = x + noise.to(x.dtype)
        return x

    scale = styles.reshape(batch, 1, -1)  # [N, 1, I]
    if demodulate:
        scale = scale * dcoefs.reshape(batch, -1, 1)  # [N, O, I]
    w = weight.unsqueeze(0) * scale.unsqueeze(-1).unsqueeze(-1)
    x = x.reshape(1, -1, *x.shape[2:])
    w = w.reshape(-1, in_channels, kh, kw)
    x = conv2d_resample(
        x, w.to(x.dtype), f=resample_filter, up=up, down=down,
        padding=padding, groups=batch, flip_weight=flip_weight)
    x = x.reshape(batch, -1, *x.shape[2:])
    if noise is not None:
        x = x.add_(noise.to(x.dtype))  # x is a fresh conv output
    return x


def minibatch_stddev(x: torch.Tensor,
                     group_size: Optional[int] = 4,
                     num_channels: int = 1) -> torch.Tensor:
    """Append the minibatch standard deviation as extra channels.

    The batch is split into groups of ``min(group_size, N)`` samples taken
    with stride ``N // G`` (sample ``i`` is in group ``i % (N // G)``), the
    channels into ``num_channels`` groups; each feature group gets the
    standard deviation over its sample group, averaged over its channels and
    pixels.

    Args:
        x: Features ``[N, C, H, W]``; ``N`` must be divisible by the group
            size and ``C`` by ``num_channels``.
        group_size: Samples per group; None uses the whole batch.
        num_channels: Number of appended channels.

    Returns:
        ``[N, C + num_channels, H, W]``.
    """
    n, c, h, w = x.shape
    g = n if group_size is None else min(group_size, n)
    if n % g != 0:
        raise ValueError(f'batch size {n} must be divisible by the minibatch '
                         f'stddev group size {g}')
    if c % num_channels != 0:
        raise ValueError(f'{c} channels are not divisible by '
                         f'num_channels={num_channels}')
    y = x.reshape(g, -1, num_channels, c // num_channels, h, w)
    y = y - y.mean(dim=0)
    y = y.square().mean(dim=0)
    y = (y + 1e-8).sqrt()
    y = y.mean(dim=[2, 3, 4])  # [n / G, F]
    y = y.reshape(-1, num_channels, 1, 1).repeat(g, 1, h, w)
    return torch.cat([x, y], dim=1)
