"""Downsample processing encoder of IN² (arXiv 2401.10537).

Stem convolution, then ``num_downsamples`` levels, each a stride-2
convolution followed by processing *before* the next downsampling: LaMa's
FFC residual blocks (global receptive field) and a HAT channel attention
block. The paper's exact sizes are not public; defaults follow LaMa (64 base
channels, 3 downsamplings, global ratio 0.75, 7x7 reflect-padded stem).
"""
import copy
from typing import List, Optional, Sequence, Union

from mmcv.cnn import build_activation_layer, build_norm_layer
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS
from ..layers import CAB, FFCResBlock  # noqa: F401 (registers layers)

__all__ = ['DownsampleProcessingEncoder']


def _conv_norm_act(cin: int, cout: int, kernel_size: int, stride: int,
                   norm_cfg: Optional[dict],
                   act_cfg: Optional[dict]) -> nn.Sequential:
    layers = [
        nn.Conv2d(
            cin,
            cout,
            kernel_size,
            stride=stride,
            padding=kernel_size // 2,
            padding_mode='reflect',
            bias=norm_cfg is None)
    ]
    if norm_cfg is not None:
        layers.append(build_norm_layer(norm_cfg, cout)[1])
    if act_cfg is not None:
        layers.append(build_activation_layer(act_cfg))
    return nn.Sequential(*layers)


@MODELS.register_module()
class DownsampleProcessingEncoder(nn.Module):
    """Encoder returning one feature map per scale.

    Level ``i`` (1-based) has ``min(base_channels * 2**i, max_channels)``
    channels and stride ``2**i``.

    Args:
        in_channels (int): Input channels (masked RGB + mask). Default: 4.
        base_channels (int): Stem channels. Default: 64.
        num_downsamples (int): Stride-2 levels. Default: 3 (stride 8).
        num_ffc_blocks (int | sequence[int]): FFC residual blocks per
            level: one count for every level, or one count per level
            (``num_downsamples`` entries, stride 2 first), e.g. ``(0, 1,
            2)`` to keep the high-resolution levels cheap. Default: 1.
        ffc_ratio (float): Global channel share of the FFC blocks.
            Default: 0.75.
        use_cab (bool): Channel attention block at the end of each level.
            Default: True.
        max_channels (int): Channel cap. Default: 512.
        stem_kernel_size (int): Default: 7.
        norm_cfg (dict | None): Default: ``dict(type='BN')``.
        act_cfg (dict | None): Default: ``dict(type='ReLU')``.
        block (dict): Processing block config, built with
            ``channels, ratio=ffc_ratio, norm_cfg, act_cfg`` unless given.
            Default: ``dict(type='FFCResBlock')``.
        cab (dict): Channel attention config, built with ``channels``.
            Default: ``dict(type='CAB')``.

    Attributes:
        out_channels (list[int]): Channels of each returned feature.
        size_divisor (int): ``2**num_downsamples``; H and W must be
            multiples of it.
        min_size (int): Smallest H, W (reflect padding needs every map to
            be larger than its padding; the deepest map is at least 2).
    """

    def __init__(self,
                 in_channels: int = 4,
                 base_channels: int = 64,
                 num_downsamples: int = 3,
                 num_ffc_blocks: Union[int, Sequence[int]] = 1,
                 ffc_ratio: float = 0.75,
                 use_cab: bool = True,
                 max_channels: int = 512,
                 stem_kernel_size: int = 7,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 act_cfg: Optional[dict] = dict(type='ReLU'),
                 block: dict = dict(type='FFCResBlock'),
                 cab: dict = dict(type='CAB')) -> None:
        super().__init__()
        if isinstance(num_ffc_blocks, int):
            blocks_per_level = [num_ffc_blocks] * max(num_downsamples, 0)
        else:
            blocks_per_level = [int(n) for n in num_ffc_blocks]
            if len(blocks_per_level) != num_downsamples:
                raise ValueError(
                    f'num_ffc_blocks {tuple(num_ffc_blocks)} needs one '
                    f'count per level ({num_downsamples})')
        if num_downsamples < 0 or any(n < 0 for n in blocks_per_level):
            raise ValueError(f'num_downsamples ({num_downsamples}) and '
                             f'num_ffc_blocks ({num_ffc_blocks}) must be '
                             '>= 0')
        if in_channels < 1 or base_channels < 1:
            raise ValueError(f'in_channels ({in_channels}) and base_channels'
                             f' ({base_channels}) must be >= 1')
        self.in_channels = in_channels
        self.size_divisor = 2**num_downsamples
        # reflect padding needs every map to exceed its padding
        self.min_size = max(2 * self.size_divisor if num_downsamples else 1,
                            stem_kernel_size // 2 + 1)
        self.stem = _conv_norm_act(in_channels, base_channels,
                                   stem_kernel_size, 1, norm_cfg, act_cfg)
        self.out_channels: List[int] = [base_channels]
        self.levels = nn.ModuleList()
        for i in range(1, num_downsamples + 1):
            cin = self.out_channels[-1]
            cout = min(base_channels * 2**i, max_channels)
            layers = [_conv_norm_act(cin, cout, 3, 2, norm_cfg, act_cfg)]
            for _ in range(blocks_per_level[i - 1]):
                cfg = copy.deepcopy(block)
                cfg.setdefault('ratio', ffc_ratio)
                cfg.setdefault('norm_cfg', norm_cfg)
                cfg.setdefault('act_cfg', act_cfg)
                cfg['channels'] = cout
                layers.append(MODELS.build(cfg))
            if use_cab:
                cfg = copy.deepcopy(cab)
                cfg['channels'] = cout
                layers.append(MODELS.build(cfg))
            self.levels.append(nn.Sequential(*layers))
            self.out_channels.append(cout)

    def forward(self, x: Tensor) -> List[Tensor]:
        """Encode.

        Args:
            x (Tensor): ``[B, in_channels, H, W]``, masked image in [-1, 1]
                and mask (1 = hole); H, W multiples of ``size_divisor``.

        Returns:
            list[Tensor]: ``num_downsamples + 1`` maps; entry ``i`` is
            ``[B, out_channels[i], H / 2**i, W / 2**i]``.
        """
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f'encoder expects [B, {self.in_channels}, H, W]'
                             f', got {tuple(x.shape)}')
        h, w = x.shape[-2:]
        if h % self.size_divisor or w % self.size_divisor:
            raise ValueError(f'input size {h}x{w} is not a multiple of '
                             f'size_divisor {self.size_divisor}; pad it '
                             '(the data preprocessor does)')
        if min(h, w) < self.min_size:
            raise ValueError(f'input size {h}x{w} is below the minimum '
                             f'{self.min_size} of this encoder')
        feats = [self.stem(x)]
        for level in self.levels:
            feats.append(level(feats[-1]))
        return feats
