"""Neighbor hybrid attention block (NHAB) of IN² (arXiv 2401.10537).

The block follows HAT's hybrid attention block (arXiv 2205.04437) with
window attention replaced by neighborhood attention:

    y = LN(x);  x = x + NA(y) + a * CAB(y);  x = x + MLP(LN(x))

The paper's exact hyper-parameters are not public; the defaults come from
HAT (``a = 0.01``, MLP ratio 2) and NAT (kernel 7).
"""
import copy
from typing import Optional

from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS
from ..layers import CAB, LayerNorm2d  # noqa: F401 (registers layers)

__all__ = ['NHAB']


@MODELS.register_module()
class NHAB(nn.Module):
    """Neighbor hybrid attention block on ``[B, C, H, W]`` maps.

    Args:
        dim (int): Channels ``C``.
        num_heads (int): Attention heads (passed to ``attn``).
        kernel_size (int): Neighborhood size (passed to ``attn``). Default: 7.
        mlp_ratio (float): MLP hidden width ``int(C * mlp_ratio)``.
            Default: 2.
        cab_scale (float): Weight ``a`` of the channel attention branch.
            Default: 0.01.
        attn (dict): Config of the spatial mixer, built with
            ``dim, num_heads, kernel_size``. Default:
            ``dict(type='NeighborhoodAttention2d')``; ``ConvMixer2d`` gives
            the convolution ablation.
        cab (dict | None): Config of the channel attention block, built with
            ``channels=dim``; None removes the branch. Default:
            ``dict(type='CAB')``.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 kernel_size: int = 7,
                 mlp_ratio: float = 2.,
                 cab_scale: float = 0.01,
                 attn: dict = dict(type='NeighborhoodAttention2d'),
                 cab: Optional[dict] = dict(type='CAB')) -> None:
        super().__init__()
        hidden = int(dim * mlp_ratio)
        if hidden < 1:
            raise ValueError(f'mlp_ratio {mlp_ratio} gives no hidden '
                             f'channels for dim {dim}')
        self.dim = dim
        self.cab_scale = cab_scale
        self.norm1 = LayerNorm2d(dim)
        attn = copy.deepcopy(attn)
        attn.update(dim=dim, num_heads=num_heads, kernel_size=kernel_size)
        self.attn = MODELS.build(attn)
        self.cab = None
        if cab is not None:
            cab = copy.deepcopy(cab)
            cab.update(channels=dim)
            self.cab = MODELS.build(cab)
        self.norm2 = LayerNorm2d(dim)
        self.mlp = nn.Sequential(
            nn.Conv2d(dim, hidden, 1), nn.GELU(), nn.Conv2d(hidden, dim, 1))

    def forward(self, x: Tensor) -> Tensor:
        """Apply the block.

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``.
        """
        if x.dim() != 4 or x.shape[1] != self.dim:
            raise ValueError(f'NHAB expects [B, {self.dim}, H, W], got '
                             f'{tuple(x.shape)}')
        y = self.norm1(x)
        x = x + self.attn(y)
        if self.cab is not None:
            x = x + self.cab_scale * self.cab(y)
        return x + self.mlp(self.norm2(x))
