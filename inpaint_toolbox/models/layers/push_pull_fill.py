"""Push-pull hole filling: a smooth, parameter-free first guess for holes.

Push: halve the resolution with mask-weighted averages (only known pixels
count) until nothing is missing. Pull: walk back up, and at each level fill
the pixels that have no known neighbour weight from the upsampled coarser
level, blending by the known weight. Known pixels are returned unchanged.
Cost is about 4/3 of one pass over the image, for any H, W.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['push_pull_fill', 'PushPullFill']


def push_pull_fill(img: Tensor, mask: Tensor, min_size: int = 1) -> Tensor:
    """Fill the holes of ``img`` by pyramid interpolation.

    Args:
        img (Tensor): ``[B, C, H, W]`` any range.
        mask (Tensor): ``[B, 1, H, W]``, 1 = hole, 0 = known.
        min_size (int): Stop halving below this side length.

    Returns:
        Tensor: ``[B, C, H, W]``; known pixels equal ``img``. An image with
        no known pixel at all is filled with zeros.
    """
    if img.dim() != 4 or mask.dim() != 4 or mask.shape[1] != 1 or \
            mask.shape[0] != img.shape[0] or \
            mask.shape[-2:] != img.shape[-2:]:
        raise ValueError(f'push_pull_fill expects img [B, C, H, W] and mask '
                         f'[B, 1, H, W], got {tuple(img.shape)} and '
                         f'{tuple(mask.shape)}')
    weight = 1.0 - mask.to(img.dtype)
    return _fill(img * weight, weight, min_size)


def _fill(premul: Tensor, weight: Tensor, min_size: int) -> Tensor:
    """``premul`` is the image times ``weight`` (in [0, 1])."""
    h, w = premul.shape[-2:]
    filled = premul / weight.clamp_min(1e-8)
    if bool((weight > 0).all()) or min(h, w) <= min_size:
        return filled * (weight > 0)
    # ceil_mode keeps odd borders; the average ignores the padded cells
    down_p = F.avg_pool2d(premul, 2, ceil_mode=True)
    down_w = F.avg_pool2d(weight, 2, ceil_mode=True)
    coarse = _fill(down_p, down_w, min_size)
    up = F.interpolate(coarse, size=(h, w), mode='bilinear',
                       align_corners=False)
    # blend: fully known pixels keep their value, empty ones take the
    # coarse guess, partially weighted ones mix the two
    alpha = weight.clamp(0, 1)
    return filled * alpha + up * (1 - alpha)


@MODELS.register_module()
class PushPullFill(nn.Module):
    """Module form of :func:`push_pull_fill` (no parameters)."""

    def __init__(self, min_size: int = 1) -> None:
        super().__init__()
        self.min_size = min_size

    def forward(self, img: Tensor, mask: Tensor) -> Tensor:
        with torch.no_grad():
            return push_pull_fill(img, mask, self.min_size)
