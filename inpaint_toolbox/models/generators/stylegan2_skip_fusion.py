"""Higher-rate input features fused into a StyleGAN2 synthesis network.

Stage 2 of inversion inpainting (arXiv 2307.15033): codes alone cannot
reproduce every detail and colour of the known pixels, so a small
convolutional encoder reads the erased image and its mask and sends
features at chosen resolutions into the generator's feature maps through a
learned gate::

    residual, gate = align(concat(encoder_feature, generator_feature))
    x = x + sigmoid(gate) * residual

``align`` is two 3x3 convs whose last one starts at zero, so an untrained
fusion leaves the generator's features unchanged (stage 2 starts exactly
where stage 1 ended). The fusion runs through the ``feature_fn`` hook of
:class:`~inpaint_toolbox.models.generators.stylegan2.SynthesisNetwork`;
the generator's own weights are not touched.
"""
from typing import Callable, Dict, Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.registry import MODELS

__all__ = ['SkipEncoder', 'GatedFeatureFusion', 'StyleGAN2SkipFusion']


class SkipEncoder(nn.Module):
    """Strided conv encoder returning features at the requested sides.

    A 3x3 stem at the input side ``R``, then stride-2 3x3 convs (leaky
    ReLU 0.2) halving the side down to the smallest requested one; channels
    double from ``base_channels`` at every halving, capped at
    ``max_channels``.

    Args:
        resolution: input side ``R`` (power of two).
        out_resolutions: sides to return (powers of two, <= ``R``).
        in_channels: input channels (masked RGB + mask: 4).
        base_channels: channels at side ``R``.
        max_channels: channel cap.
    """

    def __init__(self,
                 resolution: int,
                 out_resolutions: Sequence[int],
                 in_channels: int = 4,
                 base_channels: int = 32,
                 max_channels: int = 256):
        super().__init__()
        self.resolution = int(resolution)
        self.out_resolutions = tuple(sorted(int(r) for r in out_resolutions))
        self.in_channels = in_channels
        self.channels = {}
        res, ch = self.resolution, base_channels
        self.channels[res] = ch
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, ch, 3, 1, 1), nn.LeakyReLU(0.2))
        downs = []
        while res > self.out_resolutions[0]:
            out = min(ch * 2, max_channels)
            downs.append(
                nn.Sequential(
                    nn.Conv2d(ch, out, 3, 2, 1), nn.LeakyReLU(0.2),
                    nn.Conv2d(out, out, 3, 1, 1), nn.LeakyReLU(0.2)))
            res, ch = res // 2, out
            self.channels[res] = ch
        self.downs = nn.ModuleList(downs)

    def forward(self, x: torch.Tensor) -> Dict[int, torch.Tensor]:
        """``[B, in_channels, R, R]`` -> ``{res: [B, channels[res], res,
        res]}`` for each requested side."""
        r = self.resolution
        if x.ndim != 4 or tuple(x.shape[1:]) != (self.in_channels, r, r):
            raise ValueError(f'expected [B, {self.in_channels}, {r}, {r}], '
                             f'got {tuple(x.shape)}')
        h = self.stem(x)
        feats = {}
        res = r
        if res in self.out_resolutions:
            feats[res] = h
        for down in self.downs:
            h = down(h)
            res //= 2
            if res in self.out_resolutions:
                feats[res] = h
        return feats


@MODELS.register_module()
class GatedFeatureFusion(nn.Module):
    """``x + sigmoid(gate) * residual`` from ``align(cat(skip, x))``.

    Args:
        channels: generator feature channels (of ``x`` and the output).
        skip_channels: encoder feature channels.
        hidden_channels: width of the align convs (default ``channels``).
    """

    def __init__(self,
                 channels: int,
                 skip_channels: int,
                 hidden_channels: Optional[int] = None):
        super().__init__()
        hidden = channels if hidden_channels is None else hidden_channels
        self.channels = channels
        self.skip_channels = skip_channels
        self.align = nn.Sequential(
            nn.Conv2d(channels + skip_channels, hidden, 3, 1, 1),
            nn.LeakyReLU(0.2), nn.Conv2d(hidden, 2 * channels, 3, 1, 1))
        nn.init.zeros_(self.align[-1].weight)
        nn.init.zeros_(self.align[-1].bias)

    def forward(self, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        """Fuse.

        Args:
            x: generator features ``[B, channels, s, s]``.
            skip: encoder features ``[B, skip_channels, s, s]``.

        Returns:
            Tensor: ``[B, channels, s, s]``.
        """
        if x.ndim != 4 or x.shape[1] != self.channels:
            raise ValueError(f'expected x [B, {self.channels}, s, s], got '
                             f'{tuple(x.shape)}')
        if skip.shape != (x.shape[0], self.skip_channels, *x.shape[2:]):
            raise ValueError(
                f'expected skip [{x.shape[0]}, {self.skip_channels}, '
                f'{x.shape[2]}, {x.shape[3]}], got {tuple(skip.shape)}')
        residual, gate = self.align(torch.cat([skip.to(x), x], 1)).chunk(2, 1)
        return x + torch.sigmoid(gate) * residual


@MODELS.register_module()
class StyleGAN2SkipFusion(nn.Module):
    """Skip encoder + one :class:`GatedFeatureFusion` per chosen resolution.

    Usage::

        feats = fusion(erased_with_mask)        # {res: features}
        img = generator.synthesis(ws, feature_fn=fusion.feature_fn(feats))

    Args:
        resolution: generator (and input) side ``R``.
        generator_channels: the generator's ``{res: channels}``.
        fusion_resolutions: sides whose generator features receive encoder
            features (default: ``R / 4``, e.g. 64 for a 256 generator).
        in_channels: encoder input channels (4: masked RGB + mask).
        base_channels: encoder channels at side ``R``.
        max_channels: encoder channel cap.
    """

    def __init__(self,
                 resolution: int,
                 generator_channels: Dict[int, int],
                 fusion_resolutions: Optional[Sequence[int]] = None,
                 in_channels: int = 4,
                 base_channels: int = 32,
                 max_channels: int = 256):
        super().__init__()
        resolution = int(resolution)
        gen_channels = {int(k): int(v) for k, v in generator_channels.items()}
        if fusion_resolutions is None:
            fusion_resolutions = (max(4, resolution // 4), )
        fusion_resolutions = tuple(
            sorted({int(r)
                    for r in fusion_resolutions}))
        bad = [
            r for r in fusion_resolutions
            if r not in gen_channels or r > resolution or r & (r - 1) or r < 4
        ]
        if not fusion_resolutions or bad:
            raise ValueError(
                f'fusion_resolutions must be generator resolutions in '
                f'{sorted(gen_channels)} up to {resolution}, got '
                f'{fusion_resolutions}')
        self.resolution = resolution
        self.fusion_resolutions = fusion_resolutions
        self.encoder = SkipEncoder(resolution, fusion_resolutions, in_channels,
                                   base_channels, max_channels)
        self.fusions = nn.ModuleDict({
            str(r):
            GatedFeatureFusion(gen_channels[r], self.encoder.channels[r])
            for r in fusion_resolutions
        })

    def forward(self, x: torch.Tensor) -> Dict[int, torch.Tensor]:
        """Encode ``[B, 4, R, R]`` into ``{res: features}``."""
        return self.encoder(x)

    def feature_fn(
        self, feats: Dict[int, torch.Tensor]
    ) -> Callable[[int, torch.Tensor], torch.Tensor]:
        """A ``feature_fn(res, x)`` for the synthesis network that fuses
        ``feats[res]`` into ``x`` at the fusion resolutions and passes the
        other resolutions through."""
        missing = [r for r in self.fusion_resolutions if r not in feats]
        if missing:
            raise ValueError(f'features missing for resolutions {missing}')

        def fn(res: int, x: torch.Tensor) -> torch.Tensor:
            if res in self.fusion_resolutions:
                return self.fusions[str(res)](x, feats[res])
            return x

        return fn

    def extra_repr(self) -> str:
        return (f'resolution={self.resolution}, '
                f'fusion_resolutions={self.fusion_resolutions}')
