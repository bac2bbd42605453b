"""GAN-inversion encoder: an erased face and its mask to StyleGAN2 W+ codes.

A residual backbone (ResNet basic blocks or IR-SE blocks as in ArcFace and
pSp) downsamples the 4-channel input (masked RGB in [-1, 1] with hole pixels
0, plus the mask) in stages; a feature pyramid merges the last three stages
top-down; map-to-style heads turn each pyramid level into codes. Coarse codes
(the generator's low-resolution layers) come from the smallest map, middle
codes from the middle one, fine codes from the largest. The codes are
``w_avg + deltas``: the heads predict offsets from the generator's average
code, and start near zero, so an untrained encoder returns the average face.

The inversion-inpainting paper (arXiv 2307.15033) does not publish its
encoder; this follows pSp's GradualStyleEncoder (Richardson et al., CVPR
2021) with one head per group of codes instead of one per code.
"""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from inpaint_toolbox.registry import MODELS

__all__ = ['InversionEncoder', 'default_style_split']

BACKBONES = ('ir_se', 'resnet')
NORMS = ('bn', 'gn', 'none')


def _norm(kind: str, channels: int) -> nn.Module:
    if kind == 'bn':
        return nn.BatchNorm2d(channels)
    if kind == 'gn':
        return nn.GroupNorm(math.gcd(channels, 8), channels)
    return nn.Identity()


def default_style_split(n_latent: int) -> Tuple[int, int]:
    """Where coarse codes end and fine codes start.

    pSp's split for 18 codes is coarse ``[0, 3)`` (4x4 and 8x8 layers),
    middle ``[3, 7)`` (16 and 32), fine ``[7, 18)``. With 10 codes or more
    the same boundaries are kept; fewer codes (16 and 32 pixel generators)
    are split in thirds so that no group is empty.

    Args:
        n_latent: number of W+ codes (>= 3).

    Returns:
        tuple: ``(coarse_end, middle_end)``.
    """
    if n_latent < 3:
        raise ValueError(f'n_latent must be >= 3, got {n_latent}')
    if n_latent >= 10:
        return 3, 7
    return math.ceil(n_latent / 3), math.ceil(2 * n_latent / 3)


class SEModule(nn.Module):
    """Squeeze-and-excitation gate ``x * sigmoid(fc(relu(fc(pool(x)))))``.

    Args:
        channels: input channels.
        reduction: channel reduction of the bottleneck.
    """

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc1 = nn.Conv2d(channels, hidden, 1, bias=False)
        self.fc2 = nn.Conv2d(hidden, channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(s))))


class IRSEBlock(nn.Module):
    """Improved-residual block with SE (ArcFace's ``bottleneck_IR_SE``).

    ``BN, conv3x3, PReLU, conv3x3 (stride), BN, SE`` plus a shortcut
    (identity, strided max-pool, or strided 1x1 conv + BN).

    Args:
        in_channels: input channels.
        out_channels: output channels.
        stride: 1 or 2.
        norm: ``'bn'``, ``'gn'`` or ``'none'``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 norm: str = 'bn'):
        super().__init__()
        if in_channels == out_channels:
            self.shortcut = nn.MaxPool2d(1, stride)
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                _norm(norm, out_channels))
        self.residual = nn.Sequential(
            _norm(norm, in_channels),
            nn.Conv2d(in_channels, out_channels, 3, 1, 1, bias=False),
            nn.PReLU(out_channels),
            nn.Conv2d(out_channels, out_channels, 3, stride, 1, bias=False),
            _norm(norm, out_channels), SEModule(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shortcut(x) + self.residual(x)


class BasicResBlock(nn.Module):
    """ResNet basic block: ``relu(bn(conv(relu(bn(conv(x))))) + short(x))``.

    Args:
        in_channels: input channels.
        out_channels: output channels.
        stride: 1 or 2.
        norm: ``'bn'``, ``'gn'`` or ``'none'``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 norm: str = 'bn'):
        super().__init__()
        self.residual = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False),
            _norm(norm, out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False),
            _norm(norm, out_channels))
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                _norm(norm, out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.shortcut(x) + self.residual(x))


class MapToStyle(nn.Module):
    """A pyramid level ``[B, C, s, s]`` to ``num_codes`` codes.

    ``log2(s)`` stride-2 3x3 convs with leaky ReLU reduce the map to 1x1
    (pSp's GradualStyleBlock), then a linear layer gives ``num_codes *
    w_dim`` values. The linear layer starts at ``init_scale`` times its
    default weights and a zero bias, so the first deltas are small.

    Args:
        channels: pyramid channels.
        spatial: side ``s`` of the map (a power of two).
        num_codes: codes produced.
        w_dim: code size.
        init_scale: scale of the initial output weights.
    """

    def __init__(self,
                 channels: int,
                 spatial: int,
                 num_codes: int,
                 w_dim: int,
                 init_scale: float = 0.1):
        super().__init__()
        self.spatial = spatial
        self.num_codes = num_codes
        self.w_dim = w_dim
        layers = []
        for _ in range(int(math.log2(spatial))):
            layers += [
                nn.Conv2d(channels, channels, 3, 2, 1),
                nn.LeakyReLU(0.2, inplace=True)
            ]
        self.convs = nn.Sequential(*layers)
        self.linear = nn.Linear(channels, num_codes * w_dim)
        with torch.no_grad():
            self.linear.weight.mul_(init_scale)
            self.linear.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``[B, C, s, s]`` -> ``[B, num_codes, w_dim]``."""
        x = self.convs(x).flatten(1)
        return self.linear(x).view(-1, self.num_codes, self.w_dim)


@MODELS.register_module()
class InversionEncoder(nn.Module):
    """Erased image + mask ``[B, 4, R, R]`` to W+ ``[B, n_latent, w_dim]``.

    Args:
        resolution: input side ``R``, the generator's resolution (a power of
            two); the pyramid's smallest map is ``R / 2 ** num_stages``.
        w_dim: code size of the generator.
        n_latent: number of W+ codes (default ``2 * log2(R) - 2``, as
            StyleGAN2).
        in_channels: 4 (RGB + mask).
        backbone: ``'ir_se'`` (IR-SE blocks) or ``'resnet'`` (basic
            blocks).
        stage_channels: output channels of each stage; the backbone stem
            has ``stage_channels[0]`` channels. At least 3 stages.
        stage_blocks: blocks per stage (the first of each halves the size);
            pSp's IR-SE-50 is ``(3, 4, 14, 3)`` with ``(64, 128, 256,
            512)`` channels.
        fpn_channels: channels of the pyramid and the style heads.
        norm: ``'bn'``, ``'gn'`` or ``'none'`` in the backbone.
        style_split: ``(coarse_end, middle_end)`` code indices (default
            :func:`default_style_split`).
        delta_init_scale: initial scale of the heads' output weights.
    """

    def __init__(self,
                 resolution: int,
                 w_dim: int = 512,
                 n_latent: Optional[int] = None,
                 in_channels: int = 4,
                 backbone: str = 'ir_se',
                 stage_channels: Sequence[int] = (64, 128, 256, 512),
                 stage_blocks: Sequence[int] = (3, 4, 14, 3),
                 fpn_channels: int = 512,
                 norm: str = 'bn',
                 style_split: Optional[Tuple[int, int]] = None,
                 delta_init_scale: float = 0.1):
        super().__init__()
        resolution = int(resolution)
        if resolution < 4 or resolution & (resolution - 1):
            raise ValueError(f'resolution must be a power of two >= 4, got '
                             f'{resolution}')
        if backbone not in BACKBONES:
            raise ValueError(f'backbone must be one of {BACKBONES}, got '
                             f'{backbone!r}')
        if norm not in NORMS:
            raise ValueError(f'norm must be one of {NORMS}, got {norm!r}')
        stage_channels, stage_blocks = tuple(stage_channels), \
            tuple(stage_blocks)
        if len(stage_channels) != len(stage_blocks) or len(
                stage_channels) < 3 or min(stage_blocks) < 1:
            raise ValueError(
                f'need >= 3 stages with >= 1 block each and as many channel '
                f'counts, got stage_channels={stage_channels}, '
                f'stage_blocks={stage_blocks}')
        if resolution >> len(stage_blocks) < 1:
            raise ValueError(
                f'{len(stage_blocks)} stages halve {resolution} below 1 '
                'pixel: use fewer stages or a larger resolution')
        if n_latent is None:
            n_latent = 2 * int(math.log2(resolution)) - 2
        split = default_style_split(n_latent) if style_split is None \
            else tuple(int(s) for s in style_split)
        if not 0 < split[0] < split[1] < n_latent:
            raise ValueError(f'style_split must be (a, b) with 0 < a < b < '
                             f'n_latent={n_latent}, got {style_split}')
        self.resolution = resolution
        self.w_dim = int(w_dim)
        self.n_latent = int(n_latent)
        self.in_channels = int(in_channels)
        self.style_split = split

        block = IRSEBlock if backbone == 'ir_se' else BasicResBlock
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, stage_channels[0], 3, 1, 1, bias=False),
            _norm(norm, stage_channels[0]), nn.PReLU(stage_channels[0]))
        stages, prev = [], stage_channels[0]
        for channels, blocks in zip(stage_channels, stage_blocks):
            layers = [block(prev, channels, 2, norm)]
            layers += [
                block(channels, channels, 1, norm) for _ in range(blocks - 1)
            ]
            stages.append(nn.Sequential(*layers))
            prev = channels
        self.stages = nn.ModuleList(stages)
        # pyramid over the last three stages: fine (largest) .. coarse
        self.laterals = nn.ModuleList(
            nn.Conv2d(c, fpn_channels, 1) for c in stage_channels[-3:])
        num_stages = len(stage_blocks)
        # map sides of the fine (largest), middle and coarse levels
        sizes = [resolution >> (num_stages - 2 + i) for i in range(3)]
        groups = [(split[1], n_latent), (split[0], split[1]), (0, split[0])]
        self.heads = nn.ModuleList(
            MapToStyle(fpn_channels, size, stop -
                       start, self.w_dim, delta_init_scale)
            for size, (start, stop) in zip(sizes, groups))

    def forward(self,
                x: torch.Tensor,
                w_avg: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Encode.

        Args:
            x: ``[B, in_channels, R, R]``: masked image in [-1, 1] (hole 0)
                and the mask (1 = hole).
            w_avg: ``[w_dim]`` average code of the generator (None: zeros,
                i.e. only the deltas).

        Returns:
            Tensor: ``[B, n_latent, w_dim]`` codes ``w_avg + deltas``.
        """
        r = self.resolution
        if x.ndim != 4 or tuple(x.shape[1:]) != (self.in_channels, r, r):
            raise ValueError(f'expected input [B, {self.in_channels}, {r}, '
                             f'{r}], got {tuple(x.shape)}')
        feats = []
        h = self.stem(x)
        for stage in self.stages:
            h = stage(h)
            feats.append(h)
        fine, middle, coarse = [
            lat(f) for lat, f in zip(self.laterals, feats[-3:])
        ]
        middle = middle + F.interpolate(
            coarse,
            size=middle.shape[-2:],
            mode='bilinear',
            align_corners=False)
        fine = fine + F.interpolate(
            middle, size=fine.shape[-2:], mode='bilinear', align_corners=False)
        fine, middle, coarse = [
            head(level)
            for head, level in zip(self.heads, (fine, middle, coarse))
        ]
        codes = torch.cat([coarse, middle, fine], dim=1)
        if w_avg is not None:
            if w_avg.shape != (self.w_dim, ):
                raise ValueError(f'w_avg must be [{self.w_dim}], got '
                                 f'{tuple(w_avg.shape)}')
            codes = codes + w_avg.to(codes)
        return codes

    def extra_repr(self) -> str:
        return (f'resolution={self.resolution}, w_dim={self.w_dim}, '
                f'n_latent={self.n_latent}, style_split={self.style_split}')
