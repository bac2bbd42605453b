"""FIR resampling and resampling convolution for StyleGAN2, in pure PyTorch.

The semantics follow NVIDIA's stylegan2-ada-pytorch (``upfirdn2d`` and
``conv2d_resample``): an image is upsampled by inserting zeros, padded,
convolved with a 2D FIR filter (a true convolution, i.e. the filter is
flipped unless ``flip_filter=True``) and downsampled by keeping every n-th
pixel. As in NVIDIA's ``setup_filter``, a list of fewer than 8 taps becomes
the 2D outer product (one depthwise convolution, the fastest on CPU for
[1, 3, 3, 1]); longer lists stay separable (two 1D passes); both give the
same numbers up to float rounding. Downsampling runs as a strided depthwise
convolution instead of filtering every pixel and dropping 3 of 4.

Reference: Karras et al., "Analyzing and Improving the Image Quality of
StyleGAN", CVPR 2020.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F

__all__ = [
    'setup_filter', 'upfirdn2d', 'filter2d', 'upsample2d', 'downsample2d',
    'conv2d_resample'
]

Padding = Union[int, Sequence[int]]


def setup_filter(f: Union[Sequence[float], torch.Tensor, None] = (1, 3, 3, 1),
                 normalize: bool = True,
                 flip_filter: bool = False,
                 gain: float = 1.0,
                 separable: Optional[bool] = None) -> torch.Tensor:
    """Prepare a FIR filter for :func:`upfirdn2d`.

    Args:
        f: Taps ``[k]`` (the 2D filter is ``outer(f, f)``), a 2D filter
            ``[kh, kw]``, or None for the identity.
        normalize: Scale the filter so that its 2D sum is 1 (it keeps the
            magnitude of a constant signal).
        flip_filter: Flip the filter.
        gain: Overall gain of the 2D filter (a separable filter gets
            ``sqrt(gain)`` so that the two passes multiply to ``gain``).
        separable: Return 1D taps for two 1D passes; None: only for 1D
            input with at least 8 taps.

    Returns:
        float32 tensor ``[kh, kw]`` or, separable, ``[k]``.
    """
    if f is None:
        f = [1.0]
    f = torch.as_tensor(f, dtype=torch.float32).clone()
    if f.ndim == 0:
        f = f[None]
    if f.ndim not in (1, 2) or f.numel() == 0:
        raise ValueError(f'filter must be 1D or 2D and non-empty, got shape '
                         f'{tuple(f.shape)}')
    if separable is None:
        separable = f.ndim == 1 and f.numel() >= 8
    if separable and f.ndim != 1:
        raise ValueError('a separable filter needs 1D taps')
    if f.ndim == 1 and not separable:
        f = torch.outer(f, f)
    if normalize:
        f = f / f.sum()
    if flip_filter:
        f = f.flip(list(range(f.ndim)))
    return f * (gain**(f.ndim / 2))


def _parse_padding(padding: Padding) -> Tuple[int, int, int, int]:
    """Return ``(x0, x1, y0, y1)`` from an int, ``[x, y]`` or 4 values."""
    if isinstance(padding, int):
        return padding, padding, padding, padding
    padding = [int(p) for p in padding]
    if len(padding) == 2:
        return padding[0], padding[0], padding[1], padding[1]
    if len(padding) == 4:
        return tuple(padding)
    raise ValueError(f'padding must be an int, [x, y] or [x0, x1, y0, y1], '
                     f'got {padding}')


def _filter_size(f: Optional[torch.Tensor]) -> Tuple[int, int]:
    """Return ``(fw, fh)`` of a 1D (separable) or 2D filter."""
    if f is None:
        return 1, 1
    if f.ndim == 1:
        return f.shape[0], f.shape[0]
    return f.shape[1], f.shape[0]


def _check_factor(name: str, value: int) -> int:
    if not isinstance(value, int) or value < 1:
        raise ValueError(f'{name} must be an int >= 1, got {value!r}')
    return value


def _depthwise(x: torch.Tensor, kernel: torch.Tensor, stride: Tuple[int, int],
               padding: Tuple[int, int]) -> torch.Tensor:
    """Correlate every channel of ``x`` (zero padded) with ``kernel``."""
    channels = x.shape[1]
    weight = kernel[None, None].expand(channels, 1, *kernel.shape)
    return F.conv2d(x, weight.contiguous(), stride=stride, padding=padding,
                    groups=channels)


def upfirdn2d(x: torch.Tensor,
              f: Optional[torch.Tensor],
              up: int = 1,
              down: int = 1,
              padding: Padding = 0,
              flip_filter: bool = False,
              gain: float = 1.0) -> torch.Tensor:
    """Upsample (zero insertion), pad, FIR-filter and downsample a batch.

    Args:
        x: Images ``[N, C, H, W]``.
        f: Filter from :func:`setup_filter` (``[k]`` separable or
            ``[kh, kw]``), or None for the identity.
        up: Upsampling factor (``up - 1`` zeros after every pixel).
        down: Downsampling factor (keep every ``down``-th pixel).
        padding: Padding of the upsampled image, ``int``, ``[x, y]`` or
            ``[x0, x1, y0, y1]``; negative values crop.
        flip_filter: False: convolution; True: correlation.
        gain: Overall gain applied to the filter.

    Returns:
        ``[N, C, (H * up + y0 + y1 - kh) // down + 1,
        (W * up + x0 + x1 - kw) // down + 1]``.
    """
    if x.ndim != 4:
        raise ValueError(f'x must be [N, C, H, W], got {tuple(x.shape)}')
    up = _check_factor('up', up)
    down = _check_factor('down', down)
    px0, px1, py0, py1 = _parse_padding(padding)
    batch, channels, height, width = x.shape

    if up > 1:
        x = x.reshape(batch, channels, height, 1, width, 1)
        x = F.pad(x, [0, up - 1, 0, 0, 0, up - 1])
        x = x.reshape(batch, channels, height * up, width * up)
    conv_pad = (0, 0)
    if f is not None and px0 == px1 >= 0 and py0 == py1 >= 0:
        conv_pad = (py0, px0)  # let the filter conv pad (no extra copy)
    else:
        x = F.pad(x, [max(px0, 0), max(px1, 0), max(py0, 0), max(py1, 0)])
        x = x[:, :,
              max(-py0, 0):x.shape[2] - max(-py1, 0),
              max(-px0, 0):x.shape[3] - max(-px1, 0)]

    if f is None:
        x = x[:, :, ::down, ::down]
        return x * gain if gain != 1 else x
    f = f.to(device=x.device, dtype=x.dtype) * (gain**(f.ndim / 2))
    if not flip_filter:
        f = f.flip(list(range(f.ndim)))
    if f.ndim == 2:
        return _depthwise(x, f, (down, down), conv_pad)
    x = _depthwise(x, f[None, :], (1, down), (0, conv_pad[1]))
    return _depthwise(x, f[:, None], (down, 1), (conv_pad[0], 0))


def filter2d(x: torch.Tensor,
             f: Optional[torch.Tensor],
             padding: Padding = 0,
             flip_filter: bool = False,
             gain: float = 1.0) -> torch.Tensor:
    """Filter keeping the size: ``[N, C, H, W] -> [N, C, H, W]``.

    ``padding`` is added on top of the size-preserving padding.
    """
    px0, px1, py0, py1 = _parse_padding(padding)
    fw, fh = _filter_size(f)
    pad = [px0 + fw // 2, px1 + (fw - 1) // 2, py0 + fh // 2,
           py1 + (fh - 1) // 2]
    return upfirdn2d(x, f, padding=pad, flip_filter=flip_filter, gain=gain)


def upsample2d(x: torch.Tensor,
               f: Optional[torch.Tensor],
               up: int = 2,
               padding: Padding = 0,
               flip_filter: bool = False,
               gain: float = 1.0) -> torch.Tensor:
    """FIR upsampling: ``[N, C, H, W] -> [N, C, H * up, W * up]``.

    The filter gets an extra gain ``up ** 2`` so that the mean is kept.
    """
    px0, px1, py0, py1 = _parse_padding(padding)
    fw, fh = _filter_size(f)
    pad = [px0 + (fw + up - 1) // 2, px1 + (fw - up) // 2,
           py0 + (fh + up - 1) // 2, py1 + (fh - up) // 2]
    return upfirdn2d(
        x, f, up=up, padding=pad, flip_filter=flip_filter,
        gain=gain * up * up)


def downsample2d(x: torch.Tensor,
                 f: Optional[torch.Tensor],
                 down: int = 2,
                 padding: Padding = 0,
                 flip_filter: bool = False,
                 gain: float = 1.0) -> torch.Tensor:
    """FIR downsampling: ``[N, C, H, W] -> [N, C, H // down, W // down]``."""
    px0, px1, py0, py1 = _parse_padding(padding)
    fw, fh = _filter_size(f)
    pad = [px0 + (fw - down + 1) // 2, px1 + (fw - down) // 2,
           py0 + (fh - down + 1) // 2, py1 + (fh - down) // 2]
    return upfirdn2d(
        x, f, down=down, padding=pad, flip_filter=flip_filter, gain=gain)


def _conv(x: torch.Tensor,
          w: torch.Tensor,
          stride: int = 1,
          padding: Union[int, Sequence[int]] = 0,
          groups: int = 1,
          transpose: bool = False,
          flip_weight: bool = True) -> torch.Tensor:
    """``conv2d``/``conv_transpose2d``; ``flip_weight=False`` convolves."""
    if not flip_weight:
        w = w.flip([2, 3])
    op = F.conv_transpose2d if transpose else F.conv2d
    return op(x, w, stride=stride, padding=padding, groups=groups)


def conv2d_resample(x: torch.Tensor,
                    w: torch.Tensor,
                    f: Optional[torch.Tensor] = None,
                    up: int = 1,
                    down: int = 1,
                    padding: Padding = 0,
                    groups: int = 1,
                    flip_weight: bool = True,
                    flip_filter: bool = False) -> torch.Tensor:
    """2D convolution with optional FIR up- or downsampling.

    Equivalent to ``upfirdn2d(up) -> conv2d -> upfirdn2d(down)`` with the
    padding taken relative to the upsampled image; upsampling runs as a
    strided transposed convolution followed by the FIR filter, and
    downsampling as the FIR filter followed by a strided convolution, which
    give the same numbers with fewer operations.

    Args:
        x: Input ``[N, C_in, H, W]``.
        w: Weight ``[C_out, C_in // groups, kh, kw]``.
        f: Resampling filter from :func:`setup_filter` (needed when
            ``up > 1`` or ``down > 1``).
        up: Upsampling factor.
        down: Downsampling factor.
        padding: Padding relative to the upsampled image.
        groups: Convolution groups.
        flip_weight: True: correlation (as ``torch.nn.functional.conv2d``);
            False: convolution.
        flip_filter: Correlate with the FIR filter instead of convolving.

    Returns:
        ``[N, C_out, H', W']``, e.g. ``[N, C_out, 2H, 2W]`` for ``up=2``,
        ``padding=k // 2``.
    """
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(f'x must be [N, C, H, W] and w [O, I, kh, kw], got '
                         f'{tuple(x.shape)} and {tuple(w.shape)}')
    up = _check_factor('up', up)
    down = _check_factor('down', down)
    if (up > 1 or down > 1) and f is None:
        raise ValueError('a resampling filter f is needed for up/down > 1')
    out_channels, in_per_group, kh, kw = w.shape
    if x.shape[1] != in_per_group * groups:
        raise ValueError(f'x has {x.shape[1]} channels, weight expects '
                         f'{in_per_group * groups}')
    fw, fh = _filter_size(f)
    px0, px1, py0, py1 = _parse_padding(padding)
    if up > 1:
        px0 += (fw + up - 1) // 2
        px1 += (fw - up) // 2
        py0 += (fh + up - 1) // 2
        py1 += (fh - up) // 2
    if down > 1:
        px0 += (fw - down + 1) // 2
        px1 += (fw - down) // 2
        py0 += (fh - down + 1) // 2
        py1 += (fh - down) // 2
    pad = [px0, px1, py0, py1]

    if kw == 1 and kh == 1 and down > 1 and up == 1:
        x = upfirdn2d(x, f, down=down, padding=pad, flip_filter=flip_filter)
        return _conv(x, w, groups=groups, flip_weight=flip_weight)
    if kw == 1 and kh == 1 and up > 1 and down == 1:
        x = _conv(x, w, groups=groups, flip_weight=flip_weight)
        return upfirdn2d(
            x, f, up=up, padding=pad, gain=up * up, flip_filter=flip_filter)
    if down > 1 and up == 1:
        x = upfirdn2d(x, f, padding=pad, flip_filter=flip_filter)
        return _conv(
            x, w, stride=down, groups=groups, flip_weight=flip_weight)
    if up > 1:
        if groups == 1:
            w = w.transpose(0, 1)
        else:
            w = w.reshape(groups, out_channels // groups, in_per_group, kh, kw)
            w = w.transpose(1, 2).reshape(groups * in_per_group,
                                          out_channels // groups, kh, kw)
        px0 -= kw - 1
        px1 -= kw - up
        py0 -= kh - 1
        py1 -= kh - up
        pxt = max(min(-px0, -px1), 0)
        pyt = max(min(-py0, -py1), 0)
        x = _conv(x, w, stride=up, padding=[pyt, pxt], groups=groups,
                  transpose=True, flip_weight=not flip_weight)
        x = upfirdn2d(x, f, padding=[px0 + pxt, px1 + pxt, py0 + pyt,
                                     py1 + pyt],
                      gain=up * up, flip_filter=flip_filter)
        if down > 1:
            x = upfirdn2d(x, f, down=down, flip_filter=flip_filter)
        return x
    if px0 == px1 and py0 == py1 and px0 >= 0 and py0 >= 0:
        return _conv(x, w, padding=[py0, px0], groups=groups,
                     flip_weight=flip_weight)
    x = upfirdn2d(x, None, padding=pad, flip_filter=flip_filter)
    return _conv(x, w, groups=groups, flip_weight=flip_weight)
