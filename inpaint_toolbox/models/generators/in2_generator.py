"""IN² generator (arXiv 2401.10537): encoder, NHAB blocks, implicit decoder.

Input: masked image in [-1, 1] (holes set to 0) with the mask (1 = hole)
as a fourth channel; H and W multiples of ``size_divisor``. Output: RGB in
[-1, 1] on any ``out_size`` grid spanning the same extent as the input, so
the same call inpaints (``out_size`` = input size) or inpaints and upsamples
(``scale`` > 1). Callers that padded the input crop the output accordingly.
"""
import copy
from typing import Optional, Sequence

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

    Attributes:
        size_divisor (int): The encoder's; input H, W must be multiples.
    """

    def __init__(self,
                 encoder: dict = dict(type='DownsampleProcessingEncoder'),
                 bottleneck: dict = dict(
                     type='NHAB', num_heads=8, kernel_size=7),
                 num_blocks: int = 4,
                 decoder: dict = dict(type='ImplicitPyramidDecoder')) -> None:
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
        self.decoder = MODELS.build(cfg)

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
            decoder).
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
        feats = list(self.encoder(x))
        feats[-1] = self.bottleneck(feats[-1])
        return self.decoder(feats, out_size)
