"""Push-pull hole filling: a smooth, parameter-free first guess for holes.

Push: halve the resolution with mask-weighted averages (only known pixels
count) until nothing is missing. Pull: walk back up, and at each level fill
the pixels that have no known neighbour weight from the upsampled coarser
level, blending by the known weight. Known pixels are returned unchanged.
Cost is about 4/3 of one pass over the image, for any H, W.

With ``smooth_iters > 0`` every level of the pull pass is also relaxed
towards the membrane (harmonic) interpolant, the smoothest fill that
matches the known pixels: that many red-black successive over-relaxation
sweeps, each moving a hole pixel towards the mean of its four neighbours
while known pixels stay fixed. The coarse levels carry the long-range part
of the solution, so a few sweeps per level come close to the harmonic fill
that a single-resolution solver needs hundreds of sweeps for (the upward
half of a multigrid cycle). Each sweep costs about two passes over a level.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['push_pull_fill', 'PushPullFill']


def push_pull_fill(img: Tensor,
                   mask: Tensor,
                   min_size: int = 1,
                   smooth_iters: int = 0,
                   omega: float = 1.8) -> Tensor:
    """Fill the holes of ``img`` by pyramid interpolation.

    Args:
        img (Tensor): ``[B, C, H, W]`` any range.
        mask (Tensor): ``[B, 1, H, W]``, 1 = hole, 0 = known.
        min_size (int): Stop halving below this side length.
        smooth_iters (int): Red-black relaxation sweeps of the membrane
            equation per pyramid level on the way up; 0 is the plain
            push-pull fill.
        omega (float): Over-relaxation factor in (0, 2); 1 is Gauss-Seidel.
            Defaults to 1.8.

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
    smooth_iters, omega = _check_smoothing(smooth_iters, omega)
    weight = 1.0 - mask.to(img.dtype)
    return _fill(img * weight, weight, min_size, smooth_iters, omega)


def _check_smoothing(smooth_iters, omega):
    if isinstance(smooth_iters, bool) or int(smooth_iters) != smooth_iters \
            or smooth_iters < 0:
        raise ValueError(
            f'smooth_iters must be an integer >= 0, got {smooth_iters!r}')
    if not 0 < omega < 2:
        raise ValueError(f'omega must be in (0, 2), got {omega!r}')
    return int(smooth_iters), float(omega)


def _relax(x: Tensor,
           filled: Tensor,
           alpha: Tensor,
           iters: int,
           omega: float,
           crop: bool = True) -> Tensor:
    """Red-black SOR sweeps of the membrane equation: each pixel's target
    is its known share ``alpha * filled`` plus ``1 - alpha`` times the mean
    of its four neighbours (replicated at the border), so fully known
    pixels never move.

    With ``crop`` the sweeps run only on the bounding box of the pixels
    that can move, plus a ring of fixed ones (a small hole in a large image
    costs what the hole costs); the result is the same as on the whole
    image, red and black keeping the whole image's parity.
    """
    if iters == 0:
        return x
    free_px = (alpha < 1).flatten(0, 1).any(0)  # [H, W]
    if not bool(free_px.any()):
        return x
    h, w = x.shape[-2:]
    y0 = x0 = 0
    y1, x1 = h, w
    if crop:
        ys = free_px.any(1).nonzero()
        xs = free_px.any(0).nonzero()
        y0, y1 = max(int(ys[0]) - 1, 0), min(int(ys[-1]) + 2, h)
        x0, x1 = max(int(xs[0]) - 1, 0), min(int(xs[-1]) + 2, w)
    win = (Ellipsis, slice(y0, y1), slice(x0, x1))
    sub, alpha_w = x[win], alpha[win]
    known = filled[win] * alpha_w
    free = 1 - alpha_w
    rows = torch.arange(y0, y1, device=x.device).view(-1, 1)
    cols = torch.arange(x0, x1, device=x.device).view(1, -1)
    red = ((rows + cols) % 2 == 0).to(x.dtype)
    steps = (omega * red, omega * (1 - red))
    for _ in range(iters):
        for step in steps:
            p = F.pad(sub, (1, 1, 1, 1), mode='replicate')
            nb = (p[..., :-2, 1:-1] + p[..., 2:, 1:-1] + p[..., 1:-1, :-2] +
                  p[..., 1:-1, 2:]) * 0.25
            sub = sub + step * (known + nb * free - sub)
    if (y0, x0, y1, x1) == (0, 0, h, w):
        return sub
    out = x.clone()
    out[win] = sub
    return out


def _fill(premul: Tensor, weight: Tensor, min_size: int, smooth_iters: int,
          omega: float) -> Tensor:
    """``premul`` is the image times ``weight`` (in [0, 1])."""
    h, w = premul.shape[-2:]
    filled = premul / weight.clamp_min(1e-8)
    if bool((weight > 0).all()) or min(h, w) <= min_size:
        return filled * (weight > 0)
    # ceil_mode keeps odd borders; the average ignores the padded cells
    down_p = F.avg_pool2d(premul, 2, ceil_mode=True)
    down_w = F.avg_pool2d(weight, 2, ceil_mode=True)
    coarse = _fill(down_p, down_w, min_size, smooth_iters, omega)
    up = F.interpolate(coarse, size=(h, w), mode='bilinear',
                       align_corners=False)
    # blend: fully known pixels keep their value, empty ones take the
    # coarse guess, partially weighted ones mix the two
    alpha = weight.clamp(0, 1)
    return _relax(filled * alpha + up * (1 - alpha), filled, alpha,
                  smooth_iters, omega)


@MODELS.register_module()
class PushPullFill(nn.Module):
    """Module form of :func:`push_pull_fill` (no parameters).

    Args:
        min_size (int): Stop halving below this side length.
        smooth_iters (int): Relaxation sweeps per level (0: plain
            push-pull).
        omega (float): Over-relaxation factor in (0, 2).
    """

    def __init__(self,
                 min_size: int = 1,
                 smooth_iters: int = 0,
                 omega: float = 1.8) -> None:
        super().__init__()
        self.min_size = min_size
        self.smooth_iters, self.omega = _check_smoothing(smooth_iters, omega)

    def forward(self, img: Tensor, mask: Tensor) -> Tensor:
        with torch.no_grad():
            return push_pull_fill(img, mask, self.min_size,
                                  self.smooth_iters, self.omega)
