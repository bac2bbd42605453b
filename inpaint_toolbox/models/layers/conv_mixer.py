"""Convolutional token mixer, a drop-in for neighborhood attention."""
from typing import Optional

from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['ConvMixer2d']


@MODELS.register_module()
class ConvMixer2d(nn.Module):
    """Depthwise ``k x k`` conv followed by a pointwise conv.

    Takes the call signature of :class:`NeighborhoodAttention2d` so an
    ``attn`` config can swap it in (the "attention replaced by convolution"
    ablation). Zero padding keeps any map size valid.

    Args:
        dim (int): Channels ``C``.
        num_heads (int | None): Ignored; accepted for the shared signature.
        kernel_size (int): Odd depthwise kernel. Default: 7.
    """

    def __init__(self,
                 dim: int,
                 num_heads: Optional[int] = None,
                 kernel_size: int = 7) -> None:
        super().__init__()
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd and >= 1, got '
                             f'{kernel_size}')
        self.dim = dim
        self.depthwise = nn.Conv2d(
            dim, dim, kernel_size, padding=kernel_size // 2, groups=dim)
        self.pointwise = nn.Conv2d(dim, dim, 1)

    def forward(self, x: Tensor) -> Tensor:
        """Mix.

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``.
        """
        if x.dim() != 4 or x.shape[1] != self.dim:
            raise ValueError(f'expected [B, {self.dim}, H, W], got '
                             f'{tuple(x.shape)}')
        return self.pointwise(self.depthwise(x))
