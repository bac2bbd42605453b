"""Layer norm over the channels of a ``[B, C, H, W]`` map."""
import torch.nn.functional as F
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['LayerNorm2d']


@MODELS.register_module()
class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over ``C`` at every pixel of a ``[B, C, H, W]`` map.

    Args:
        num_channels (int): Channels ``C``.
        eps (float): Default: 1e-6.
    """

    def __init__(self, num_channels: int, eps: float = 1e-6) -> None:
        super().__init__(num_channels, eps=eps)

    def forward(self, x: Tensor) -> Tensor:
        """Normalize.

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``; per pixel zero mean and unit variance
            over ``C`` before the affine transform.
        """
        if x.dim() != 4 or x.shape[1] != self.normalized_shape[0]:
            raise ValueError(f'LayerNorm2d expects [B, '
                             f'{self.normalized_shape[0]}, H, W], got '
                             f'{tuple(x.shape)}')
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias,
                         self.eps)
        return x.permute(0, 3, 1, 2)
