"""Implicit neural pyramid decoder of IN² (arXiv 2401.10537).

A coarse-to-fine stack of LIIF-style queries. Level ``l`` queries the
previous latent (the encoder's deepest feature for the first level) at the
grid ``ceil(H_out / s_l) x ceil(W_out / s_l)``; the last level queries exactly
``out_size``. All grids span the extent of the encoder input (pixel centres
in [-1, 1] per axis), so ``out_size`` may be any size: equal to the input for
inpainting, or up to 4x larger for inpainting and super-resolution in one
pass. Each query's MLP predicts ``level_channels[l]`` features; the encoder
feature whose stride equals ``s_l`` then joins as a skip (1x1 projection,
bilinear resize to the level grid when it differs, concat, 3x3 conv). A
final 1x1 conv maps the last level to RGB, squashed by ``tanh`` into
[-1, 1] by default, matching the model's image range. The full-resolution
level dominates the cost at large outputs, so it is kept narrow.

The paper's exact sizes are not public; the defaults are the toolbox's.
"""
import copy
import math
from typing import List, Optional, Sequence

import torch
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS
from ..layers import LocalImplicitQuery  # noqa: F401 (registers layers)
from ._utils import as_list, check_feats, check_out_size
from .skip_fusion import SkipFusion

__all__ = ['ImplicitPyramidDecoder']


@MODELS.register_module()
class ImplicitPyramidDecoder(nn.Module):
    """Decode encoder features to an RGB image of any size.

    Args:
        in_channels (Sequence[int]): Channels of ``feats``; entry ``i`` has
            stride ``2**i`` relative to the input and the last entry is the
            latent the first level queries. Default: (64, 128, 256, 512).
        level_strides (Sequence[int]): Output stride of each level,
            decreasing, last 1. Default: (4, 2, 1).
        level_channels (Sequence[int]): Feature channels produced by each
            level. Default: (128, 64, 32).
        hidden_channels (int | Sequence[int] | None): MLP widths; None uses
            ``level_channels``.
        num_hidden_layers (int): Extra MLP hidden layers. Default: 1.
        num_frequencies (int): Fourier frequencies of the offsets.
            Default: 4.
        out_channels (int): Default: 3 (RGB).
        use_skips (bool): Join encoder features of matching stride.
            Default: True.
        feat_unfold (bool): 3x3 feature unfolding. Default: True.
        local_ensemble (bool): LIIF local ensemble. Default: True.
        act_cfg (dict): Default: ``dict(type='ReLU')``.
        out_act (str | None): 'tanh' (output in [-1, 1]) or None
            (unconstrained). Default: 'tanh'.
        query (dict): Query config, built with the sizes above.
            Default: ``dict(type='LocalImplicitQuery')``.
        chunk_pixels (int): Output pixels decoded at once by a query.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (64, 128, 256, 512),
                 level_strides: Sequence[int] = (4, 2, 1),
                 level_channels: Sequence[int] = (128, 64, 32),
                 hidden_channels=None,
                 num_hidden_layers: int = 1,
                 num_frequencies: int = 4,
                 out_channels: int = 3,
                 use_skips: bool = True,
                 feat_unfold: bool = True,
                 local_ensemble: bool = True,
                 act_cfg: dict = dict(type='ReLU'),
                 out_act: Optional[str] = 'tanh',
                 query: dict = dict(type='LocalImplicitQuery'),
                 chunk_pixels: int = 2**18) -> None:
        super().__init__()
        strides = [int(s) for s in level_strides]
        if (not strides or strides[-1] != 1 or any(s < 1 for s in strides)
                or any(a <= b for a, b in zip(strides, strides[1:]))):
            raise ValueError('level_strides must be positive, strictly '
                             f'decreasing and end with 1, got {level_strides}')
        if out_act not in ('tanh', None):
            raise ValueError(f"out_act must be 'tanh' or None, got "
                             f'{out_act!r}')
        n = len(strides)
        level_channels = as_list(level_channels, n, 'level_channels')
        hidden = as_list(level_channels if hidden_channels is None else
                         hidden_channels, n, 'hidden_channels')
        self.in_channels = list(in_channels)
        self.level_strides = strides
        self.out_act = out_act
        self.queries = nn.ModuleList()
        self.skips = nn.ModuleList()
        self.skip_index: List[Optional[int]] = []
        latent = self.in_channels[-1]
        for stride, ch, hid in zip(strides, level_channels, hidden):
            cfg = copy.deepcopy(query)
            cfg.update(
                in_channels=latent,
                out_channels=ch,
                hidden_channels=hid,
                num_hidden_layers=num_hidden_layers,
                num_frequencies=num_frequencies,
                feat_unfold=feat_unfold,
                local_ensemble=local_ensemble,
                act_cfg=act_cfg,
                chunk_pixels=chunk_pixels)
            self.queries.append(MODELS.build(cfg))
            index = int(math.log2(stride)) if stride & (stride - 1) == 0 \
                else None
            if (not use_skips or index is None
                    or index >= len(self.in_channels) - 1):
                index = None
            self.skip_index.append(index)
            self.skips.append(nn.Identity() if index is None else SkipFusion(
                ch, self.in_channels[index], act_cfg))
            latent = ch
        self.to_rgb = nn.Conv2d(latent, out_channels, 1)

    def forward(self, feats: Sequence[Tensor],
                out_size: Sequence[int]) -> Tensor:
        """Decode.

        Args:
            feats (list[Tensor]): Encoder (+ bottleneck) features;
                ``feats[i]`` is ``[B, in_channels[i], H / 2**i, W / 2**i]``.
            out_size (tuple[int, int]): Output ``(H_out, W_out)``, any
                positive size.

        Returns:
            Tensor: ``[B, out_channels, H_out, W_out]``, in [-1, 1] with
            ``out_act='tanh'``.
        """
        check_feats(feats, self.in_channels, type(self).__name__)
        out_h, out_w = check_out_size(out_size)
        z = feats[-1]
        last = len(self.queries) - 1
        for i, (query, skip, index) in enumerate(
                zip(self.queries, self.skips, self.skip_index)):
            stride = self.level_strides[i]
            grid = (out_h, out_w) if i == last else (math.ceil(out_h / stride),
                                                     math.ceil(out_w / stride))
            z = query(z, grid)
            if index is not None:
                z = skip(z, feats[index])
        out = self.to_rgb(z)
        return torch.tanh(out) if self.out_act == 'tanh' else out
