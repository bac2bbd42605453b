"""LIIF-style local implicit query of a latent map on any output grid.

Reference: Chen et al., "Learning Continuous Image Representation with Local
Implicit Image Function" (LIIF), CVPR 2021, arXiv 2012.09161.

Coordinates are pixel centres in [-1, 1], one axis at a time: an axis of
length ``n`` has centres ``-1 + (2 t + 1) / n``. The latent map and the output
grid span the same extent, so the output may have any size and aspect ratio.
For an output pixel the MLP input is, as in LIIF, the 3x3-unfolded latent
vector nearest to it, its offset from that latent's centre scaled by the
latent size, the output cell size scaled by the latent size, and here also a
Fourier encoding of the offset. With the local ensemble, the predictions from
the four surrounding latents are blended with LIIF's area weights.

Because everything is separable along the axes, the MLP's first layer is
evaluated without per-pixel work on the wide input: its latent part is a
3x3 convolution on the latent map (equal to unfolding followed by a linear
layer) gathered at the nearest latent, and its coordinate part is a sum of a
per-row and a per-column term.
"""
import math
from typing import List, Optional, Sequence, Tuple

import torch
from mmcv.cnn import build_activation_layer
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['LocalImplicitQuery', 'axis_query']


def axis_query(out_size: int, latent_size: int, ensemble: bool,
               device: Optional[torch.device] = None
               ) -> List[Tuple[Tensor, Tensor, Tensor]]:
    """Nearest latents, offsets and ensemble weights along one axis.

    Args:
        out_size (int): Output pixels ``n`` along the axis.
        latent_size (int): Latent pixels ``m`` along the axis.
        ensemble (bool): Two neighbours (LIIF local ensemble) or one.
        device (torch.device, optional): Where to create the tensors.

    Returns:
        list[tuple]: One ``(index, rel, weight)`` per neighbour, each of
        shape ``(n,)``: latent index in ``[0, m)``, offset of the output
        centre from that latent's centre in latent half-pixels
        (``(y - c) * m``, in [-2, 2]), and the blending weight. The weights
        of the neighbours sum to 1 at every position.
    """
    y = (torch.arange(out_size, device=device, dtype=torch.float64) * 2 +
         1) / out_size - 1
    eps = 1e-6
    shifts = (-1, 1) if ensemble else (0, )
    out = []
    for s in shifts:
        # LIIF shifts by half a latent pixel plus eps, then picks the nearest
        ys = (y + s / latent_size + eps).clamp(-1 + eps, 1 - eps)
        index = torch.floor((ys + 1) * latent_size / 2).long()
        index = index.clamp(0, latent_size - 1)
        centre = (2 * index + 1).double() / latent_size - 1
        out.append((index, (y - centre) * latent_size))
    if not ensemble:
        return [(out[0][0], out[0][1].float(), torch.ones_like(y).float())]
    # LIIF: a neighbour's weight is the distance to the opposite neighbour
    # (1e-9 as in LIIF: both neighbours may be the same border latent)
    lo, hi = out[0][1].abs() + 1e-9, out[1][1].abs() + 1e-9
    total = lo + hi
    return [(out[0][0], out[0][1].float(), (hi / total).float()),
            (out[1][0], out[1][1].float(), (lo / total).float())]


@MODELS.register_module()
class LocalImplicitQuery(nn.Module):
    """Decode a latent map at any output grid with a per-pixel MLP.

    MLP: ``in -> hidden`` (first layer, see module docstring), then
    ``num_hidden_layers`` times ``act, hidden -> hidden``, then
    ``act, hidden -> out_channels``.

    Args:
        in_channels (int): Latent channels ``C``.
        out_channels (int): Output channels.
        hidden_channels (int): MLP width. Default: 64.
        num_hidden_layers (int): Extra hidden layers. Default: 1.
        num_frequencies (int): Fourier frequencies ``L`` of the offset
            encoding (``sin/cos(pi * 2^l * rel)``, ``l < L``). Default: 4.
        feat_unfold (bool): Use 3x3 feature unfolding. Default: True.
        local_ensemble (bool): Blend four neighbours. Default: True.
        act_cfg (dict): Activation. Default: ``dict(type='ReLU')``.
        chunk_pixels (int): Output pixels (times batch) decoded at once;
            rows are chunked to stay under it. Default: 2**18.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 hidden_channels: int = 64,
                 num_hidden_layers: int = 1,
                 num_frequencies: int = 4,
                 feat_unfold: bool = True,
                 local_ensemble: bool = True,
                 act_cfg: dict = dict(type='ReLU'),
                 chunk_pixels: int = 2**18) -> None:
        super().__init__()
        if min(in_channels, out_channels, hidden_channels) < 1:
            raise ValueError('channels must be >= 1, got in='
                             f'{in_channels}, out={out_channels}, '
                             f'hidden={hidden_channels}')
        if num_frequencies < 0 or num_hidden_layers < 0:
            raise ValueError(f'num_frequencies ({num_frequencies}) and '
                             f'num_hidden_layers ({num_hidden_layers}) '
                             'must be >= 0')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_frequencies = num_frequencies
        self.local_ensemble = local_ensemble
        self.chunk_pixels = chunk_pixels
        ks = 3 if feat_unfold else 1
        self.latent_proj = nn.Conv2d(
            in_channels, hidden_channels, ks, padding=ks // 2)
        pos_dim = 1 + 2 * num_frequencies
        self.pos_y = nn.Linear(pos_dim, hidden_channels, bias=False)
        self.pos_x = nn.Linear(pos_dim, hidden_channels, bias=False)
        self.cell_proj = nn.Linear(2, hidden_channels, bias=False)
        layers: List[nn.Module] = []
        for _ in range(num_hidden_layers):
            layers += [
                build_activation_layer(act_cfg),
                nn.Conv2d(hidden_channels, hidden_channels, 1)
            ]
        layers += [
            build_activation_layer(act_cfg),
            nn.Conv2d(hidden_channels, out_channels, 1)
        ]
        self.mlp = nn.Sequential(*layers)

    def _encode(self, rel: Tensor) -> Tensor:
        """``(n,)`` offsets -> ``(n, 1 + 2L)`` [rel, sin, cos]."""
        feats = [rel[:, None]]
        if self.num_frequencies:
            freqs = math.pi * 2.0**torch.arange(
                self.num_frequencies, device=rel.device, dtype=rel.dtype)
            ang = rel[:, None] * freqs
            feats += [ang.sin(), ang.cos()]
        return torch.cat(feats, dim=1)

    def forward(self, feat: Tensor, out_size: Sequence[int]) -> Tensor:
        """Query ``feat`` at the pixel centres of an ``out_size`` grid.

        Args:
            feat (Tensor): Latent map ``[B, C, h, w]``.
            out_size (tuple[int, int]): ``(H, W)``, any positive sizes.

        Returns:
            Tensor: ``[B, out_channels, H, W]``.
        """
        if feat.dim() != 4 or feat.shape[1] != self.in_channels:
            raise ValueError(f'expected [B, {self.in_channels}, h, w], got '
                             f'{tuple(feat.shape)}')
        out_h, out_w = (int(s) for s in out_size)
        if out_h < 1 or out_w < 1:
            raise ValueError(f'out_size must be positive, got {out_size}')
        b, _, h, w = feat.shape
        latent = self.latent_proj(feat)  # [B, hid, h, w]
        dev = feat.device
        cell = feat.new_tensor([2.0 * h / out_h, 2.0 * w / out_w])
        bias = self.cell_proj(cell)[None, :, None, None]
        cols = [(idx, self.pos_x(self._encode(rel.to(feat.dtype))).t(),
                 wt.to(feat.dtype))
                for idx, rel, wt in axis_query(out_w, w, self.local_ensemble,
                                               dev)]
        rows = axis_query(out_h, h, self.local_ensemble, dev)
        step = max(1, self.chunk_pixels // max(1, b * out_w))
        chunks = []
        for r0 in range(0, out_h, step):
            r1 = min(out_h, r0 + step)
            acc = None
            for idx_y, rel_y, wt_y in rows:
                idx_y, rel_y = idx_y[r0:r1], rel_y[r0:r1].to(feat.dtype)
                wt_y = wt_y[r0:r1].to(feat.dtype)
                lat_rows = latent.index_select(2, idx_y)  # [B, hid, r, w]
                py = self.pos_y(self._encode(rel_y)).t()[None, :, :, None]
                py = py + bias
                for idx_x, px, wt_x in cols:
                    z = lat_rows.index_select(3, idx_x)
                    z += py  # in place: index_select keeps no output
                    z += px[None, :, None, :]
                    pred = self.mlp(z) * (wt_y[:, None] * wt_x[None, :])
                    acc = pred if acc is None else acc + pred
            chunks.append(acc)
        return chunks[0] if len(chunks) == 1 else torch.cat(chunks, dim=2)
