"""Channel attention in HAT's form.

Reference: Chen et al., "Activating More Pixels in Image Super-Resolution
Transformer" (HAT), CVPR 2023, arXiv 2205.04437; the gate is the
squeeze-and-excitation block of Hu et al., CVPR 2018.
"""
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['ChannelAttention', 'CAB']


def _check_input(x: Tensor, channels: int, name: str) -> None:
    if x.dim() != 4 or x.shape[1] != channels:
        raise ValueError(f'{name} expects [B, {channels}, H, W], got '
                         f'{tuple(x.shape)}')


@MODELS.register_module()
class ChannelAttention(nn.Module):
    """Squeeze-and-excitation gate: ``x * sigmoid(MLP(avgpool(x)))``.

    Args:
        channels (int): Channels ``C``.
        squeeze_factor (int): Hidden width is ``max(1, C // squeeze_factor)``.
            Default: 16.
    """

    def __init__(self, channels: int, squeeze_factor: int = 16) -> None:
        super().__init__()
        if channels < 1 or squeeze_factor < 1:
            raise ValueError(f'channels ({channels}) and squeeze_factor '
                             f'({squeeze_factor}) must be >= 1')
        hidden = max(1, channels // squeeze_factor)
        self.channels = channels
        self.gate = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Conv2d(channels, hidden, 1),
            nn.ReLU(inplace=True), nn.Conv2d(hidden, channels, 1),
            nn.Sigmoid())

    def forward(self, x: Tensor) -> Tensor:
        """Gate the channels.

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``, each channel scaled by a gate in (0, 1).
        """
        _check_input(x, self.channels, type(self).__name__)
        return x * self.gate(x)


@MODELS.register_module()
class CAB(nn.Module):
    """Channel attention block: conv3x3, GELU, conv3x3, channel attention.

    Args:
        channels (int): Channels ``C`` (in and out).
        compress_ratio (int): Hidden width is ``max(1, C // compress_ratio)``.
            Default: 3 (HAT).
        squeeze_factor (int): Of the channel attention gate. Default: 16
            (HAT uses 30 at 180 channels; 16 suits 64-512 channels).
    """

    def __init__(self,
                 channels: int,
                 compress_ratio: int = 3,
                 squeeze_factor: int = 16) -> None:
        super().__init__()
        if channels < 1 or compress_ratio < 1:
            raise ValueError(f'channels ({channels}) and compress_ratio '
                             f'({compress_ratio}) must be >= 1')
        hidden = max(1, channels // compress_ratio)
        self.channels = channels
        self.body = nn.Sequential(
            nn.Conv2d(channels, hidden, 3, padding=1), nn.GELU(),
            nn.Conv2d(hidden, channels, 3, padding=1),
            ChannelAttention(channels, squeeze_factor))

    def forward(self, x: Tensor) -> Tensor:
        """Apply the block (no residual; the caller adds it).

        Args:
            x (Tensor): ``[B, C, H, W]``.

        Returns:
            Tensor: ``[B, C, H, W]``.
        """
        _check_input(x, self.channels, type(self).__name__)
        return self.body(x)
