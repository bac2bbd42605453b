"""StyleGAN2 generator (config F), pure PyTorch and CPU-capable.

Semantics and parameter names follow NVIDIA's stylegan2-ada-pytorch
(``training/networks.py``), so its ``G_ema`` state dict loads after dropping
the ``resample_filter`` buffers (here constants that are not saved):

- ``mapping``: pixel norm of z, ``num_layers`` equalized-lr FC layers with
  leaky ReLU and learning-rate multiplier 0.01 (``mapping.fc{i}``), the
  moving average ``mapping.w_avg`` (beta 0.995, updated in training mode)
  and truncation around it.
- ``synthesis``: blocks ``synthesis.b{res}`` from 4 to ``img_resolution``:
  a learned constant (``b4.const``), an upsampling modulated conv
  (``conv0``, FIR [1, 3, 3, 1]), a modulated conv (``conv1``), each with a
  noise input (``noise_const`` buffer, ``noise_strength``), and a to-RGB
  layer (``torgb``) whose output is added to the FIR-upsampled RGB of the
  previous block (skip architecture).

The number of W codes is ``num_ws = n_latent = 2 * log2(res) - 2``: code
``2k - 1`` and ``2k`` drive ``conv0``/``conv1`` of the k-th upsampling block,
code ``2k + 1`` its ``torgb`` (shared with the next ``conv0``).

Reference: Karras et al., "Analyzing and Improving the Image Quality of
StyleGAN", CVPR 2020.
"""
import math
from typing import Callable, Dict, Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.models.layers.stylegan2_layers import (
    FullyConnected, check_stylegan2_resolution, stylegan2_channels)
from inpaint_toolbox.models.layers.stylegan2_ops import (ACTIVATION_GAINS,
                                                         bias_act,
                                                         modulated_conv2d,
                                                         normalize_2nd_moment)
from inpaint_toolbox.models.layers.stylegan2_resample import (setup_filter,
                                                              upsample2d)
from inpaint_toolbox.registry import MODELS

__all__ = [
    'MappingNetwork', 'SynthesisLayer', 'ToRGBLayer', 'SynthesisBlock',
    'SynthesisNetwork', 'StyleGAN2Generator', 'NOISE_MODES'
]

NOISE_MODES = ('const', 'random', 'none')

#: ``feature_fn(res, x) -> x`` edits a block's features ``[N, C, res, res]``.
FeatureFn = Callable[[int, torch.Tensor], torch.Tensor]


def _check_noise_mode(noise_mode: str) -> str:
    if noise_mode not in NOISE_MODES:
        raise ValueError(f'noise_mode must be one of {NOISE_MODES}, got '
                         f'{noise_mode!r}')
    return noise_mode


class MappingNetwork(nn.Module):
    """Z (and optional label C) to W, broadcast to ``num_ws`` codes.

    Args:
        z_dim: Latent Z size (0: no latent).
        c_dim: Label size (0: unconditional).
        w_dim: W size.
        num_ws: Number of W codes to broadcast to.
        num_layers: Number of FC layers.
        embed_features: Label embedding size (default ``w_dim``).
        layer_features: Hidden size (default ``w_dim``).
        activation: Activation of the FC layers.
        lr_multiplier: Learning-rate multiplier of the FC layers.
        w_avg_beta: Decay of the W moving average (None: not tracked).
    """

    def __init__(self,
                 z_dim: int,
                 c_dim: int,
                 w_dim: int,
                 num_ws: int,
                 num_layers: int = 8,
                 embed_features: Optional[int] = None,
                 layer_features: Optional[int] = None,
                 activation: str = 'lrelu',
                 lr_multiplier: float = 0.01,
                 w_avg_beta: Optional[float] = 0.995):
        super().__init__()
        if z_dim + c_dim <= 0 or num_layers < 1:
            raise ValueError(f'need z_dim + c_dim > 0 and num_layers >= 1, '
                             f'got z_dim={z_dim}, c_dim={c_dim}, '
                             f'num_layers={num_layers}')
        self.z_dim = z_dim
        self.c_dim = c_dim
        self.w_dim = w_dim
        self.num_ws = num_ws
        self.num_layers = num_layers
        self.w_avg_beta = w_avg_beta
        embed_features = w_dim if embed_features is None else embed_features
        embed_features = embed_features if c_dim > 0 else 0
        layer_features = w_dim if layer_features is None else layer_features
        features = [z_dim + embed_features] + \
            [layer_features] * (num_layers - 1) + [w_dim]
        if c_dim > 0:
            self.embed = FullyConnected(c_dim, embed_features)
        for idx in range(num_layers):
            setattr(
                self, f'fc{idx}',
                FullyConnected(features[idx], features[idx + 1],
                               activation=activation,
                               lr_multiplier=lr_multiplier))
        self.register_buffer('w_avg', torch.zeros(w_dim))

    def forward(self,
                z: Optional[torch.Tensor],
                c: Optional[torch.Tensor] = None,
                truncation_psi: float = 1.0,
                truncation_cutoff: Optional[int] = None,
                update_w_avg: bool = True) -> torch.Tensor:
        """Map latents to W+.

        Args:
            z: ``[N, z_dim]`` (any float dtype; used as float32).
            c: ``[N, c_dim]`` labels, needed when ``c_dim > 0``.
            truncation_psi: ``w = w_avg + psi * (w - w_avg)``.
            truncation_cutoff: Truncate only the first this many codes
                (None: all).
            update_w_avg: In training mode, update ``w_avg`` with this
                batch.

        Returns:
            ``[N, num_ws, w_dim]``.
        """
        x = None
        if self.z_dim > 0:
            if z is None or z.ndim != 2 or z.shape[1] != self.z_dim:
                raise ValueError(f'z must be [N, {self.z_dim}], got '
                                 f'{None if z is None else tuple(z.shape)}')
            x = normalize_2nd_moment(z.to(torch.float32))
        if self.c_dim > 0:
            if c is None or c.ndim != 2 or c.shape[1] != self.c_dim:
                raise ValueError(f'c must be [N, {self.c_dim}], got '
                                 f'{None if c is None else tuple(c.shape)}')
            y = normalize_2nd_moment(self.embed(c.to(torch.float32)))
            x = torch.cat([x, y], dim=1) if x is not None else y
        for idx in range(self.num_layers):
            x = getattr(self, f'fc{idx}')(x)
        if update_w_avg and self.training and self.w_avg_beta is not None:
            self.w_avg.copy_(
                x.detach().mean(dim=0).lerp(self.w_avg, self.w_avg_beta))
        x = x.unsqueeze(1).repeat(1, self.num_ws, 1)
        if truncation_psi != 1:
            cutoff = self.num_ws if truncation_cutoff is None \
                else int(truncation_cutoff)
            head = self.w_avg.lerp(x[:, :cutoff], truncation_psi)
            x = torch.cat([head, x[:, cutoff:]], dim=1)
        return x

    def extra_repr(self) -> str:
        return (f'z_dim={self.z_dim}, c_dim={self.c_dim}, '
                f'w_dim={self.w_dim}, num_ws={self.num_ws}')


class SynthesisLayer(nn.Module):
    """Modulated 3x3 conv + noise + bias + leaky ReLU (gain sqrt(2)).

    Args:
        in_channels: Input channels.
        out_channels: Output channels.
        w_dim: W size.
        resolution: Output resolution.
        kernel_size: Kernel size.
        up: 2 to upsample (FIR transposed conv), else 1.
        use_noise: Add per-pixel noise scaled by ``noise_strength``.
        activation: Activation.
        resample_filter: FIR taps for upsampling.
        conv_clamp: Clamp the output to ``[-conv_clamp, conv_clamp]``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 w_dim: int,
                 resolution: int,
                 kernel_size: int = 3,
                 up: int = 1,
                 use_noise: bool = True,
                 activation: str = 'lrelu',
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 conv_clamp: Optional[float] = None):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.resolution = resolution
        self.up = up
        self.use_noise = use_noise
        self.activation = activation
        self.conv_clamp = conv_clamp
        self.register_buffer(
            'resample_filter', setup_filter(resample_filter),
            persistent=False)
        self.padding = kernel_size // 2
        self.act_gain = ACTIVATION_GAINS[activation]
        self.affine = FullyConnected(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(
            torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        if use_noise:
            self.register_buffer('noise_const',
                                 torch.randn(resolution, resolution))
            self.noise_strength = nn.Parameter(torch.zeros([]))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self,
                x: torch.Tensor,
                w: torch.Tensor,
                noise_mode: str = 'const',
                fused_modconv: bool = True,
                gain: float = 1.0,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """``[N, I, res / up, res / up]``, w ``[N, w_dim]`` ->
        ``[N, O, res, res]``."""
        _check_noise_mode(noise_mode)
        in_res = self.resolution // self.up
        if x.ndim != 4 or tuple(x.shape[1:]) != (self.in_channels, in_res,
                                                 in_res):
            raise ValueError(f'expected [N, {self.in_channels}, {in_res}, '
                             f'{in_res}], got {tuple(x.shape)}')
        styles = self.affine(w)
        noise = None
        if self.use_noise and noise_mode == 'random':
            noise = torch.randn(
                [x.shape[0], 1, self.resolution, self.resolution],
                generator=generator, device=x.device) * self.noise_strength
        elif self.use_noise and noise_mode == 'const':
            noise = self.noise_const * self.noise_strength
        x = modulated_conv2d(
            x, self.weight, styles, noise=noise, up=self.up,
            padding=self.padding, resample_filter=self.resample_filter,
            flip_weight=(self.up == 1), fused_modconv=fused_modconv)
        act_clamp = self.conv_clamp * gain \
            if self.conv_clamp is not None else None
        return bias_act(x, self.bias, act=self.activation,
                        gain=self.act_gain * gain, clamp=act_clamp,
                        inplace=True)

    def extra_repr(self) -> str:
        return (f'{self.in_channels}, {self.out_channels}, '
                f'resolution={self.resolution}, up={self.up}')


class ToRGBLayer(nn.Module):
    """Modulated 1x1 conv without demodulation, plus bias.

    Args:
        in_channels: Input channels.
        out_channels: Image channels.
        w_dim: W size.
        kernel_size: Kernel size.
        conv_clamp: Clamp the output; None disables.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 w_dim: int,
                 kernel_size: int = 1,
                 conv_clamp: Optional[float] = None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnected(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(
            torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.weight_gain = 1 / math.sqrt(in_channels * kernel_size**2)

    def forward(self,
                x: torch.Tensor,
                w: torch.Tensor,
                fused_modconv: bool = True) -> torch.Tensor:
        """``[N, I, H, W]``, w ``[N, w_dim]`` -> ``[N, img_channels, H, W]``.
        """
        styles = self.affine(w) * self.weight_gain
        x = modulated_conv2d(x, self.weight, styles, demodulate=False,
                             fused_modconv=fused_modconv)
        return bias_act(x, self.bias, clamp=self.conv_clamp, inplace=True)


class SynthesisBlock(nn.Module):
    """One resolution of the skip-architecture synthesis network.

    Args:
        in_channels: Input channels (0 for the first, constant block).
        out_channels: Output channels.
        w_dim: W size.
        resolution: Resolution of this block.
        img_channels: Image channels.
        resample_filter: FIR taps.
        conv_clamp: Clamp of the conv layers.
        use_noise: Noise inputs in the conv layers.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 w_dim: int,
                 resolution: int,
                 img_channels: int,
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 conv_clamp: Optional[float] = None,
                 use_noise: bool = True):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.w_dim = w_dim
        self.resolution = resolution
        self.img_channels = img_channels
        self.register_buffer(
            'resample_filter', setup_filter(resample_filter),
            persistent=False)
        layer_kwargs = dict(w_dim=w_dim, resolution=resolution,
                            use_noise=use_noise, conv_clamp=conv_clamp,
                            resample_filter=resample_filter)
        self.num_conv = 1
        if in_channels == 0:
            self.const = nn.Parameter(
                torch.randn(out_channels, resolution, resolution))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, up=2,
                                        **layer_kwargs)
            self.num_conv = 2
        self.conv1 = SynthesisLayer(out_channels, out_channels,
                                    **layer_kwargs)
        self.torgb = ToRGBLayer(out_channels, img_channels, w_dim=w_dim,
                                conv_clamp=conv_clamp)
        self.num_torgb = 1

    def forward(self,
                x: Optional[torch.Tensor],
                img: Optional[torch.Tensor],
                ws: torch.Tensor,
                noise_mode: str = 'const',
                fused_modconv: bool = True,
                feature_fn: Optional[FeatureFn] = None,
                generator: Optional[torch.Generator] = None):
        """Run the block.

        Args:
            x: Features ``[N, in_channels, res / 2, res / 2]`` (None for the
                first block).
            img: RGB so far ``[N, img_channels, res / 2, res / 2]`` or None.
            ws: ``[N, num_conv + num_torgb, w_dim]``.
            noise_mode: ``'const'``, ``'random'`` or ``'none'``.
            fused_modconv: Grouped-conv modulation.
            feature_fn: ``feature_fn(res, x) -> x`` applied to the features
                after ``conv1`` (before ``torgb`` and the next block).
            generator: Random generator for ``noise_mode='random'``.

        Returns:
            tuple: features ``[N, out_channels, res, res]`` and image
            ``[N, img_channels, res, res]``.
        """
        expected = (self.num_conv + self.num_torgb, self.w_dim)
        if ws.ndim != 3 or tuple(ws.shape[1:]) != expected:
            raise ValueError(f'ws must be [N, {expected[0]}, {expected[1]}], '
                             f'got {tuple(ws.shape)}')
        w_iter = iter(ws.unbind(dim=1))
        kwargs = dict(noise_mode=noise_mode, fused_modconv=fused_modconv,
                      generator=generator)
        if self.in_channels == 0:
            x = self.const.unsqueeze(0).repeat(ws.shape[0], 1, 1, 1)
            x = self.conv1(x, next(w_iter), **kwargs)
        else:
            half = self.resolution // 2
            if x is None or tuple(x.shape[1:]) != (self.in_channels, half,
                                                   half):
                raise ValueError(
                    f'expected [N, {self.in_channels}, {half}, {half}], got '
                    f'{None if x is None else tuple(x.shape)}')
            x = self.conv0(x, next(w_iter), **kwargs)
            x = self.conv1(x, next(w_iter), **kwargs)
        if feature_fn is not None:
            shape = x.shape
            x = feature_fn(self.resolution, x)
            if not isinstance(x, torch.Tensor) or x.shape != shape:
                raise ValueError(
                    f'feature_fn must return a tensor of shape '
                    f'{tuple(shape)} at resolution {self.resolution}, got '
                    f'{getattr(x, "shape", type(x))}')
        if img is not None:
            img = upsample2d(img, self.resample_filter)
        y = self.torgb(x, next(w_iter), fused_modconv=fused_modconv)
        img = y if img is None else img + y
        return x, img

    def extra_repr(self) -> str:
        return (f'{self.in_channels}, {self.out_channels}, '
                f'resolution={self.resolution}')


class SynthesisNetwork(nn.Module):
    """W+ codes to an image through blocks ``b4 .. b{img_resolution}``.

    Args:
        w_dim: W size.
        img_resolution: Output resolution, ``2 ** k`` in [16, 1024].
        img_channels: Image channels.
        channel_base: ``channels[res] = min(channel_base // res,
            channel_max)``.
        channel_max: Maximum channels.
        channels: Explicit ``{res: channels}`` overriding the two above.
        conv_clamp: Clamp of the conv layers (None: off).
        resample_filter: FIR taps.
        use_noise: Noise inputs.
    """

    def __init__(self,
                 w_dim: int,
                 img_resolution: int,
                 img_channels: int = 3,
                 channel_base: int = 32768,
                 channel_max: int = 512,
                 channels: Optional[Dict[int, int]] = None,
                 conv_clamp: Optional[float] = None,
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 use_noise: bool = True):
        super().__init__()
        self.w_dim = w_dim
        self.img_resolution = check_stylegan2_resolution(img_resolution)
        self.img_channels = img_channels
        self.channels = stylegan2_channels(img_resolution, channel_base,
                                           channel_max, channels)
        self.block_resolutions = list(self.channels)
        self.num_ws = 0
        for res in self.block_resolutions:
            in_channels = self.channels[res // 2] if res > 4 else 0
            block = SynthesisBlock(
                in_channels, self.channels[res], w_dim=w_dim, resolution=res,
                img_channels=img_channels, resample_filter=resample_filter,
                conv_clamp=conv_clamp, use_noise=use_noise)
            self.num_ws += block.num_conv
            if res == self.img_resolution:
                self.num_ws += block.num_torgb
            setattr(self, f'b{res}', block)

    def forward(self,
                ws: torch.Tensor,
                noise_mode: str = 'const',
                fused_modconv: Optional[bool] = None,
                feature_fn: Optional[FeatureFn] = None,
                return_features: bool = False,
                generator: Optional[torch.Generator] = None):
        """Synthesize images.

        Args:
            ws: W ``[N, w_dim]`` (used for every layer) or W+
                ``[N, num_ws, w_dim]``.
            noise_mode: ``'const'`` (stored ``noise_const``), ``'random'``
                or ``'none'``.
            fused_modconv: Grouped-conv modulation; None: fused in eval
                mode, unfused in training mode (same numbers).
            feature_fn: ``feature_fn(res, x) -> x`` called at every block on
                its features ``[N, channels[res], res, res]`` after ``conv1``;
                the result feeds ``torgb`` and the next block.
            return_features: Also return the block features.
            generator: Random generator for ``noise_mode='random'``.

        Returns:
            Image ``[N, img_channels, res, res]`` (about [-1, 1], not
            clamped), or ``(image, {res: features})`` with
            ``return_features``.
        """
        _check_noise_mode(noise_mode)
        if ws.ndim == 2 and ws.shape[1] == self.w_dim:
            ws = ws.unsqueeze(1).repeat(1, self.num_ws, 1)
        if ws.ndim != 3 or tuple(ws.shape[1:]) != (self.num_ws, self.w_dim):
            raise ValueError(f'ws must be [N, {self.w_dim}] or [N, '
                             f'{self.num_ws}, {self.w_dim}], got '
                             f'{tuple(ws.shape)}')
        ws = ws.to(torch.float32)
        if fused_modconv is None:
            fused_modconv = not self.training
        x = img = None
        features = {}
        w_idx = 0
        for res in self.block_resolutions:
            block = getattr(self, f'b{res}')
            block_ws = ws.narrow(1, w_idx, block.num_conv + block.num_torgb)
            w_idx += block.num_conv
            x, img = block(x, img, block_ws, noise_mode=noise_mode,
                           fused_modconv=fused_modconv,
                           feature_fn=feature_fn, generator=generator)
            if return_features:
                features[res] = x
        return (img, features) if return_features else img

    def extra_repr(self) -> str:
        return (f'w_dim={self.w_dim}, img_resolution={self.img_resolution}, '
                f'num_ws={self.num_ws}, channels={self.channels}')


@MODELS.register_module()
class StyleGAN2Generator(nn.Module):
    """StyleGAN2 generator: mapping network + skip synthesis network.

    Args:
        z_dim: Latent Z size.
        w_dim: W size.
        c_dim: Label size (0: unconditional).
        img_resolution: Output resolution, ``2 ** k`` in [16, 1024].
        img_channels: Image channels.
        channel_base: ``channels[res] = min(channel_base // res,
            channel_max)`` (config F: 32768 and 512).
        channel_max: Maximum channels.
        channels: Explicit ``{res: channels}`` from 4 to
            ``img_resolution`` (e.g. from a converted checkpoint's meta);
            overrides ``channel_base``/``channel_max``.
        num_mapping_layers: FC layers of the mapping network.
        mapping_lr_multiplier: Learning-rate multiplier of the mapping.
        w_avg_beta: Decay of the tracked W average.
        conv_clamp: Clamp of the synthesis convs (None: off, as config F;
            stylegan2-ada training uses 256).
        resample_filter: FIR taps.
        use_noise: Noise inputs.
    """

    def __init__(self,
                 z_dim: int = 512,
                 w_dim: int = 512,
                 c_dim: int = 0,
                 img_resolution: int = 256,
                 img_channels: int = 3,
                 channel_base: int = 32768,
                 channel_max: int = 512,
                 channels: Optional[Dict[int, int]] = None,
                 num_mapping_layers: int = 8,
                 mapping_lr_multiplier: float = 0.01,
                 w_avg_beta: Optional[float] = 0.995,
                 conv_clamp: Optional[float] = None,
                 resample_filter: Sequence[float] = (1, 3, 3, 1),
                 use_noise: bool = True):
        super().__init__()
        self.z_dim = z_dim
        self.w_dim = w_dim
        self.c_dim = c_dim
        self.img_resolution = check_stylegan2_resolution(img_resolution)
        self.img_channels = img_channels
        self.conv_clamp = conv_clamp
        self.synthesis = SynthesisNetwork(
            w_dim=w_dim, img_resolution=img_resolution,
            img_channels=img_channels, channel_base=channel_base,
            channel_max=channel_max, channels=channels,
            conv_clamp=conv_clamp, resample_filter=resample_filter,
            use_noise=use_noise)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(
            z_dim=z_dim, c_dim=c_dim, w_dim=w_dim, num_ws=self.num_ws,
            num_layers=num_mapping_layers,
            lr_multiplier=mapping_lr_multiplier, w_avg_beta=w_avg_beta)

    @property
    def n_latent(self) -> int:
        """Number of W codes, ``2 * log2(img_resolution) - 2``."""
        return self.num_ws

    @property
    def channels(self) -> Dict[int, int]:
        """Feature channels per resolution ``{4: c, ..., res: c}``."""
        return dict(self.synthesis.channels)

    def forward(self,
                z: torch.Tensor,
                c: Optional[torch.Tensor] = None,
                truncation_psi: float = 1.0,
                truncation_cutoff: Optional[int] = None,
                noise_mode: str = 'const',
                **synthesis_kwargs):
        """Generate images from latents.

        Args:
            z: ``[N, z_dim]``.
            c: ``[N, c_dim]`` labels or None.
            truncation_psi: Truncation strength (1: none).
            truncation_cutoff: Truncate only the first codes (None: all).
            noise_mode: ``'const'``, ``'random'`` or ``'none'``.
            **synthesis_kwargs: ``fused_modconv``, ``feature_fn``,
                ``return_features``, ``generator`` of
                :meth:`SynthesisNetwork.forward`.

        Returns:
            Image ``[N, img_channels, res, res]`` in about [-1, 1] (or
            ``(image, features)`` with ``return_features=True``).
        """
        ws = self.mapping(z, c, truncation_psi=truncation_psi,
                          truncation_cutoff=truncation_cutoff)
        return self.synthesis(ws, noise_mode=noise_mode, **synthesis_kwargs)
