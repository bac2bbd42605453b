"""IN² generator (arXiv 2401.10537): encoder, NHAB blocks, implicit decoder.

Input: masked image in [-1, 1] (holes set to 0) with the mask (1 = hole)
as a fourth channel; H and W multiples of ``size_divisor``. Output: RGB in
[-1, 1] on any ``out_size`` grid spanning the same extent as the input, so
the same call inpaints (``out_size`` = input size) or inpaints and upsamples
(``scale`` > 1). Callers that padded the input crop the output accordingly.
"""
import copy
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS
from ..attention import NHAB  # noqa: F401 (registers)
from ..decoders import ImplicitPyramidDecoder  # noqa: F401 (registers)
from ..encoders import DownsampleProcessingEncoder  # noqa: F401 (registers)

__all__ = ['IN2Generator']


@MODELS.register_module()
class IN2Generator(nn.Module):
    """Implicit neural inpainting network.

    Args:
        encoder (dict): Encoder config; the module must expose
            ``out_channels`` (list) and ``size_divisor``. Default:
            ``dict(type='DownsampleProcessingEncoder')``.
        bottleneck (dict): Block config for the deepest features, built with
            ``dim = encoder.out_channels[-1]``. Default:
            ``dict(type='NHAB', num_heads=8, kernel_size=7)``.
        num_blocks (int): Bottleneck blocks. Default: 4.
        decoder (dict): Decoder config, built with
            ``in_channels = encoder.out_channels`` unless given. Default:
            ``dict(type='ImplicitPyramidDecoder')``.
        coarse_fill (dict, optional): A parameter-free first guess for the
            holes, e.g. ``dict(type='PushPullFill')``, called as
            ``fill(img, mask)``. When given, the encoder sees the filled
            image instead of zeros in the holes, and the network predicts
            a residual on top of the (resized) fill: the decoder is built
            with ``out_act=None`` and a zero-initialized ``to_rgb``, so an
            untrained network returns the fill itself and training starts
            from a smooth guess rather than from a constant. Default: None
            (the plain method: zeros in the holes, ``tanh`` output).

    Attributes:
        size_divisor (int): The encoder's; input H, W must be multiples.
    """

    def __init__(self,
                 encoder: dict = dict(type='DownsampleProcessingEncoder'),
                 bottleneck: dict = dict(
                     type='NHAB', num_heads=8, kernel_size=7),
                 num_blocks: int = 4,
                 decoder: dict = dict(type='ImplicitPyramidDecoder'),
                 coarse_fill: Optional[dict] = None) -> None:
        super().__init__()
        if num_blocks < 0:
            raise ValueError(f'num_blocks must be >= 0, got {num_blocks}')
        self.encoder = MODELS.build(copy.deepcopy(encoder))
        channels = list(self.encoder.out_channels)
        self.size_divisor = int(self.encoder.size_divisor)
        self.in_channels = getattr(self.encoder, 'in_channels', 4)
        blocks = []
        for _ in range(num_blocks):
            cfg = copy.deepcopy(bottleneck)
            if cfg.setdefault('dim', channels[-1]) != channels[-1]:
                raise ValueError(f"bottleneck dim {cfg['dim']} differs from "
                                 f'the encoder output {channels[-1]}')
            blocks.append(MODELS.build(cfg))
        self.bottleneck = nn.Sequential(*blocks)
        cfg = copy.deepcopy(decoder)
        if list(cfg.setdefault('in_channels', channels)) != channels:
            raise ValueError(f"decoder in_channels {cfg['in_channels']} "
                             f'differ from the encoder out_channels '
                             f'{channels}')
        self.coarse_fill = None
        if coarse_fill is not None:
            if cfg.setdefault('out_act', None) is not None:
                raise ValueError(
                    'with coarse_fill the decoder predicts a residual: its '
                    f"out_act must be None, got {cfg['out_act']!r}")
            self.coarse_fill = MODELS.build(copy.deepcopy(coarse_fill))
        self.decoder = MODELS.build(cfg)
        if self.coarse_fill is not None:
            nn.init.zeros_(self.decoder.to_rgb.weight)
            nn.init.zeros_(self.decoder.to_rgb.bias)

    def forward(self,
                x: Tensor,
                out_size: Optional[Sequence[int]] = None,
                scale: Optional[float] = None) -> Tensor:
        """Inpaint (and optionally upsample).

        Args:
            x (Tensor): ``[B, 4, H, W]``: masked image in [-1, 1] and mask
                (1 = hole); H, W multiples of ``size_divisor``.
            out_size (tuple[int, int], optional): Output ``(H_out, W_out)``.
            scale (float, optional): Output ``(round(H * scale),
                round(W * scale))``; exclusive with ``out_size``. With
                neither, the output is ``(H, W)``.

        Returns:
            Tensor: ``[B, 3, H_out, W_out]`` in [-1, 1] (with the default
            decoder; with ``coarse_fill`` the residual sum is not clamped,
            callers clamp when they convert to pixels).
        """
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f'IN2Generator expects [B, {self.in_channels}, '
                             f'H, W], got {tuple(x.shape)}')
        h, w = x.shape[-2:]
        if out_size is not None and scale is not None:
            raise ValueError('give out_size or scale, not both (got '
                             f'out_size={out_size}, scale={scale})')
        if scale is not None:
            if not scale > 0:
                raise ValueError(f'scale must be > 0, got {scale}')
            out_size = (max(1, round(h * scale)), max(1, round(w * scale)))
        elif out_size is None:
            out_size = (h, w)
        fill = None
        if self.coarse_fill is not None:
            img, mask = x[:, :-1], x[:, -1:]
            with torch.no_grad():
                fill = self.coarse_fill(img, mask)
            x = torch.cat([fill, mask], dim=1)
        feats = list(self.encoder(x))
        feats[-1] = self.bottleneck(feats[-1])
        out = self.decoder(feats, out_size)
        if fill is None:
            return out
        if tuple(fill.shape[-2:]) != tuple(out.shape[-2:]):
            fill = F.interpolate(fill, size=out.shape[-2:], mode='bicubic',
                                 align_corners=False).clamp(-1, 1)
        return fill + out
