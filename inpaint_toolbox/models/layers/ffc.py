"""Fast Fourier convolution (FFC) layers in LaMa's form.

References: Chi et al., "Fast Fourier Convolution", NeurIPS 2020; Suvorov et
al., "Resolution-robust Large Mask Inpainting with Fourier Convolutions"
(LaMa), WACV 2022, arXiv 2109.07161.

Channels are split into a local part (ordinary convolution) and a global part
(spectral transform, whose receptive field is the whole image). In the
tensor interface used here the first ``C - int(C * ratio)`` channels are local
and the remaining ``int(C * ratio)`` channels are global.
"""
from typing import Optional

import torch
from mmcv.cnn import build_activation_layer, build_norm_layer
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['FourierUnit', 'SpectralTransform', 'FFC', 'FFCResBlock']


def _norm(cfg: Optional[dict], channels: int) -> nn.Module:
    return nn.Identity() if cfg is None else build_norm_layer(cfg,
                                                              channels)[1]


def _act(cfg: Optional[dict]) -> nn.Module:
    return nn.Identity() if cfg is None else build_activation_layer(cfg)


def _check_input(x: Tensor, channels: int, name: str) -> None:
    if x.dim() != 4 or x.shape[1] != channels:
        raise ValueError(f'{name} expects [B, {channels}, H, W], got '
                         f'{tuple(x.shape)}')


@MODELS.register_module()
class FourierUnit(nn.Module):
    """Pointwise convolution in the 2-D real Fourier domain.

    ``rfftn`` over (H, W) with ``norm='ortho'``, a 1x1 convolution over the
    stacked real and imaginary parts, norm, activation and ``irfftn`` back to
    exactly (H, W), so odd sizes work. The FFT runs in float32.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        norm_cfg (dict | None): Norm on the ``2 * out_channels`` spectral
            channels. Default: ``dict(type='BN')``.
        act_cfg (dict | None): Activation. Default: ``dict(type='ReLU')``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.conv = nn.Conv2d(
            2 * in_channels, 2 * out_channels, 1, bias=norm_cfg is None)
        self.norm = _norm(norm_cfg, 2 * out_channels)
        self.act = _act(act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Apply the unit.

        Args:
            x (Tensor): ``[B, in_channels, H, W]``.

        Returns:
            Tensor: ``[B, out_channels, H, W]``, dtype of ``x``.
        """
        _check_input(x, self.in_channels, type(self).__name__)
        b, _, h, w = x.shape
        spec = torch.fft.rfftn(x.float(), dim=(-2, -1), norm='ortho')
        wf = spec.shape[-1]  # w // 2 + 1
        spec = torch.stack((spec.real, spec.imag), dim=2)  # [B, C, 2, H, Wf]
        spec = spec.reshape(b, 2 * self.in_channels, h, wf).to(x.dtype)
        spec = self.act(self.norm(self.conv(spec)))
        spec = spec.float().reshape(b, self.out_channels, 2, h, wf)
        spec = torch.complex(spec[:, :, 0], spec[:, :, 1])
        out = torch.fft.irfftn(spec, s=(h, w), dim=(-2, -1), norm='ortho')
        return out.to(x.dtype)


@MODELS.register_module()
class SpectralTransform(nn.Module):
    """LaMa's global branch: 1x1 reduce, Fourier unit (residual), 1x1 expand.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (>= 2).
        norm_cfg (dict | None): Norm after the reduction and in the Fourier
            unit. Default: ``dict(type='BN')``.
        act_cfg (dict | None): Activation. Default: ``dict(type='ReLU')``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        if out_channels < 2:
            raise ValueError(f'SpectralTransform needs out_channels >= 2, '
                             f'got {out_channels}')
        hidden = out_channels // 2
        self.in_channels = in_channels
        self.reduce = nn.Sequential(
            nn.Conv2d(in_channels, hidden, 1, bias=norm_cfg is None),
            _norm(norm_cfg, hidden), _act(act_cfg))
        self.fourier = FourierUnit(hidden, hidden, norm_cfg, act_cfg)
        self.expand = nn.Conv2d(hidden, out_channels, 1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        """Apply the transform.

        Args:
            x (Tensor): ``[B, in_channels, H, W]``.

        Returns:
            Tensor: ``[B, out_channels, H, W]``.
        """
        _check_input(x, self.in_channels, type(self).__name__)
        x = self.reduce(x)
        return self.expand(x + self.fourier(x))


@MODELS.register_module()
class FFC(nn.Module):
    """Fast Fourier convolution with per-branch norm and activation.

    ``local_out = l2l(local) + g2l(global)``,
    ``global_out = l2g(local) + g2g(global)`` where ``g2g`` is a
    :class:`SpectralTransform` and the other three are ``kernel_size``
    convolutions. Branches with zero channels are dropped, so ratios 0 and 1
    give a plain convolution and a pure spectral layer.

    Args:
        in_channels (int): Input channels ``C_in``.
        out_channels (int): Output channels ``C_out``.
        kernel_size (int): Odd kernel of the spatial branches. Default: 3.
        ratio_in (float): Global share of the input channels, in [0, 1].
        ratio_out (float): Global share of the output channels, in [0, 1].
        padding_mode (str): Padding of the spatial convs. Default: 'reflect'.
        norm_cfg (dict | None): Norm of each output branch.
        act_cfg (dict | None): Activation of each output branch.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int = 3,
                 ratio_in: float = 0.75,
                 ratio_out: float = 0.75,
                 padding_mode: str = 'reflect',
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        for name, ratio in (('ratio_in', ratio_in), ('ratio_out', ratio_out)):
            if not 0.0 <= ratio <= 1.0:
                raise ValueError(f'{name} must be in [0, 1], got {ratio}')
        if kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.in_global = int(in_channels * ratio_in)
        self.in_local = in_channels - self.in_global
        self.out_global = int(out_channels * ratio_out)
        self.out_local = out_channels - self.out_global
        bias = norm_cfg is None

        def conv(cin: int, cout: int) -> Optional[nn.Module]:
            if cin == 0 or cout == 0:
                return None
            return nn.Conv2d(
                cin,
                cout,
                kernel_size,
                padding=kernel_size // 2,
                padding_mode=padding_mode,
                bias=bias)

        self.l2l = conv(self.in_local, self.out_local)
        self.l2g = conv(self.in_local, self.out_global)
        self.g2l = conv(self.in_global, self.out_local)
        self.g2g = None
        if self.in_global > 0 and self.out_global > 0:
            self.g2g = SpectralTransform(self.in_global, self.out_global,
                                         norm_cfg, act_cfg)
        self.local_post = nn.Sequential(
            _norm(norm_cfg, self.out_local),
            _act(act_cfg)) if self.out_local else None
        self.global_post = nn.Sequential(
            _norm(norm_cfg, self.out_global),
            _act(act_cfg)) if self.out_global else None

    @staticmethod
    def _sum(x: Tensor, a: Optional[nn.Module], y: Tensor,
             b: Optional[nn.Module]) -> Optional[Tensor]:
        terms = [m(t) for m, t in ((a, x), (b, y)) if m is not None]
        return None if not terms else sum(terms[1:], terms[0])

    def forward(self, x: Tensor) -> Tensor:
        """Apply the FFC.

        Args:
            x (Tensor): ``[B, C_in, H, W]``, local channels first.

        Returns:
            Tensor: ``[B, C_out, H, W]``, local channels first.
        """
        _check_input(x, self.in_channels, type(self).__name__)
        x_l, x_g = x.split([self.in_local, self.in_global], dim=1)
        outs = []
        out_l = self._sum(x_l, self.l2l, x_g, self.g2l)
        if out_l is not None:
            outs.append(self.local_post(out_l))
        out_g = self._sum(x_l, self.l2g, x_g, self.g2g)
        if out_g is not None:
            outs.append(self.global_post(out_g))
        return outs[0] if len(outs) == 1 else torch.cat(outs, dim=1)


@MODELS.register_module()
class FFCResBlock(nn.Module):
    """LaMa's FFC residual block: ``x + FFC(FFC(x))``.

    Both FFCs keep the channel count and the local/global split, and both
    end with norm and activation, as in LaMa.

    Args:
        channels (int): Channels ``C``.
        ratio (float): Global share of the channels. Default: 0.75.
        kernel_size (int): Spatial kernel. Default: 3.
        padding_mode (str): Default: 'reflect'.
        norm_cfg (dict | None): Default: ``dict(type='BN')``.
        act_cfg (dict | None): Default: ``dict(type='ReLU')``.
    """

    def __init__(self,
                 channels: int,
                 ratio: float = 0.75,
                 kernel_size: int = 3,
                 padding_mode: str = 'reflect',
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU')) -> None:
        super().__init__()
        self.channels = channels
        self.conv1 = FFC(channels, channels, kernel_size, ratio, ratio,
                         padding_mode, norm_cfg, act_cfg)
        self.conv2 = FFC(channels, channels, kernel_size, ratio, ratio,
                         padding_mode, norm_cfg, act_cfg)

    def forward(self, x: Tensor) -> Tensor:
        """Apply the block.

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``.
        """
        _check_input(x, self.channels, type(self).__name__)
        return x + self.conv2(self.conv1(x))
