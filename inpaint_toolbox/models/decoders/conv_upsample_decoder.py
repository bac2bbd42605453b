"""Plain convolutional decoder: the ablation of the implicit decoder.

Bilinear x2 upsampling and a 3x3 convolution per level, with the same skips
and the same ``forward(feats, out_size)`` signature as
:class:`ImplicitPyramidDecoder`. It decodes on the encoder's grids and, when
``out_size`` differs from the input grid, resizes the result bilinearly.
"""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS
from ._utils import check_feats, check_out_size
from .skip_fusion import SkipFusion

__all__ = ['ConvUpsampleDecoder']


@MODELS.register_module()
class ConvUpsampleDecoder(nn.Module):
    """Upsample-and-convolve decoder with encoder skips.

    Args:
        in_channels (Sequence[int]): Channels of ``feats`` (entry ``i`` at
            stride ``2**i``). Default: (64, 128, 256, 512).
        level_channels (Sequence[int]): Channels after each x2 upsampling;
            one entry per downsampling (``len(in_channels) - 1``).
            Default: (128, 64, 32).
        out_channels (int): Default: 3.
        use_skips (bool): Default: True.
        act_cfg (dict): Default: ``dict(type='ReLU')``.
        out_act (str | None): 'tanh' or None. Default: 'tanh'.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (64, 128, 256, 512),
                 level_channels: Sequence[int] = (128, 64, 32),
                 out_channels: int = 3,
                 use_skips: bool = True,
                 act_cfg: dict = dict(type='ReLU'),
                 out_act: Optional[str] = 'tanh') -> None:
        super().__init__()
        if len(level_channels) != len(in_channels) - 1:
            raise ValueError(f'level_channels needs {len(in_channels) - 1} '
                             'entries (one per encoder downsampling), got '
                             f'{level_channels}')
        if out_act not in ('tanh', None):
            raise ValueError(f"out_act must be 'tanh' or None, got "
                             f'{out_act!r}')
        self.in_channels = list(in_channels)
        self.use_skips = use_skips
        self.out_act = out_act
        self.convs = nn.ModuleList()
        self.skips = nn.ModuleList()
        latent = self.in_channels[-1]
        n = len(level_channels)
        for i, ch in enumerate(level_channels):
            self.convs.append(
                nn.Sequential(
                    nn.Conv2d(latent, ch, 3, padding=1),
                    build_activation_layer(act_cfg)))
            skip_ch = self.in_channels[n - 1 - i]
            self.skips.append(
                SkipFusion(ch, skip_ch, act_cfg) if use_skips else nn.
                Identity())
            latent = ch
        self.to_rgb = nn.Conv2d(latent, out_channels, 1)

    def forward(self, feats: Sequence[Tensor],
                out_size: Sequence[int]) -> Tensor:
        """Decode.

        Args:
            feats (list[Tensor]): ``feats[i]`` is
                ``[B, in_channels[i], H / 2**i, W / 2**i]``.
            out_size (tuple[int, int]): Output ``(H_out, W_out)``.

        Returns:
            Tensor: ``[B, out_channels, H_out, W_out]``.
        """
        check_feats(feats, self.in_channels, type(self).__name__)
        out_size = check_out_size(out_size)
        z = feats[-1]
        n = len(self.convs)
        for i, (conv, skip) in enumerate(zip(self.convs, self.skips)):
            target = feats[n - 1 - i]
            z = F.interpolate(
                z,
                size=target.shape[-2:],
                mode='bilinear',
                align_corners=False)
            z = conv(z)
            if self.use_skips:
                z = skip(z, target)
        out = self.to_rgb(z)
        if self.out_act == 'tanh':
            out = torch.tanh(out)
        if tuple(out.shape[-2:]) != out_size:
            out = F.interpolate(
                out, size=out_size, mode='bilinear', align_corners=False)
        return out
