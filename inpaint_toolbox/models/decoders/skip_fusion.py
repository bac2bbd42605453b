"""Join an encoder skip feature to a decoder feature on the decoder's grid."""
import torch
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['SkipFusion']


@MODELS.register_module()
class SkipFusion(nn.Module):
    """``act(conv3x3(cat(x, resize(conv1x1(skip)))))``.

    The skip is projected at its own resolution (cheap), then resized
    bilinearly (``align_corners=False``, i.e. pixel centres in [-1, 1]) to
    the grid of ``x`` when the sizes differ.

    Args:
        channels (int): Channels of ``x`` and of the output.
        skip_channels (int): Channels of the skip feature.
        act_cfg (dict): Default: ``dict(type='ReLU')``.
    """

    def __init__(self,
                 channels: int,
                 skip_channels: int,
                 act_cfg: dict = dict(type='ReLU')) -> None:
        super().__init__()
        self.channels = channels
        self.skip_channels = skip_channels
        self.proj = nn.Conv2d(skip_channels, channels, 1)
        self.fuse = nn.Conv2d(2 * channels, channels, 3, padding=1)
        self.act = build_activation_layer(act_cfg)

    def forward(self, x: Tensor, skip: Tensor) -> Tensor:
        """Fuse.

        Args:
            x (Tensor): ``[B, channels, H, W]``.
            skip (Tensor): ``[B, skip_channels, h, w]``, any ``h, w``.

        Returns:
            Tensor: ``[B, channels, H, W]``.
        """
        if x.dim() != 4 or x.shape[1] != self.channels:
            raise ValueError(f'expected x [B, {self.channels}, H, W], got '
                             f'{tuple(x.shape)}')
        if (skip.dim() != 4 or skip.shape[1] != self.skip_channels
                or skip.shape[0] != x.shape[0]):
            raise ValueError(f'expected skip [{x.shape[0]}, '
                             f'{self.skip_channels}, h, w], got '
                             f'{tuple(skip.shape)}')
        skip = self.proj(skip)
        if skip.shape[-2:] != x.shape[-2:]:
            skip = F.interpolate(
                skip, size=x.shape[-2:], mode='bilinear', align_corners=False)
        return self.act(self.fuse(torch.cat([x, skip], dim=1)))
