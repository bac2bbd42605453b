"""Place an image of any size on a generator's square canvas and back.

A StyleGAN2 generator draws ``R x R`` images. An input of any ``h x w`` is
scaled by ``R / max(h, w)`` (aspect ratio kept; never stretched to a
square), centred on the canvas, and the canvas around it is marked as hole,
so the encoder knows nothing is there. The generator's output is cropped
back to that box and resized to ``h x w``.

Hole pixels never leak into known ones: the image is erased before it is
resized, and a canvas pixel counts as known only when every input pixel the
resampling kernel reads for it is known (the mask is resized with the same
kernel and anything above zero is hole).
"""
from typing import Tuple

import torch
import torch.nn.functional as F

__all__ = ['Box', 'canvas_box', 'to_canvas', 'from_canvas']

#: ``(top, left, height, width)`` of the image on the canvas.
Box = Tuple[int, int, int, int]


def _resize(x: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """Bilinear resize of ``[B, C, H, W]``, antialiased when shrinking."""
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    shrink = size[0] < x.shape[-2] or size[1] < x.shape[-1]
    return F.interpolate(
        x, size=size, mode='bilinear', align_corners=False, antialias=shrink)


def canvas_box(height: int, width: int, resolution: int) -> Box:
    """Box of an ``height x width`` image scaled into ``resolution``.

    Args:
        height: image height (>= 1).
        width: image width (>= 1).
        resolution: canvas side.

    Returns:
        Box: ``(top, left, h, w)`` with ``max(h, w) == resolution``.
    """
    if height < 1 or width < 1:
        raise ValueError(f'image size must be positive, got '
                         f'{height}x{width}')
    scale = resolution / max(height, width)
    h = min(resolution, max(1, round(height * scale)))
    w = min(resolution, max(1, round(width * scale)))
    return (resolution - h) // 2, (resolution - w) // 2, h, w


def to_canvas(img: torch.Tensor, mask: torch.Tensor,
              resolution: int) -> Tuple[torch.Tensor, torch.Tensor, Box]:
    """Erase, scale and centre an image on an ``R x R`` canvas.

    Args:
        img: ``[3, h, w]`` in [-1, 1].
        mask: ``[1, h, w]`` in {0, 1}, 1 = hole.
        resolution: canvas side ``R``.

    Returns:
        tuple: canvas image ``[3, R, R]`` (hole and border 0), canvas mask
        ``[1, R, R]`` (border 1) and the image's :data:`Box`.
    """
    if img.ndim != 3 or mask.ndim != 3 or mask.shape[0] != 1 or \
            img.shape[-2:] != mask.shape[-2:]:
        raise ValueError(f'expected img [C, h, w] and mask [1, h, w], got '
                         f'{tuple(img.shape)} and {tuple(mask.shape)}')
    top, left, h, w = box = canvas_box(img.shape[-2], img.shape[-1],
                                       resolution)
    mask = mask.to(img.dtype)
    small_img = _resize((img * (1 - mask))[None], (h, w))[0]
    small_mask = (_resize(mask[None], (h, w))[0] > 1e-6).to(img.dtype)
    canvas = img.new_zeros(img.shape[0], resolution, resolution)
    canvas_mask = img.new_ones(1, resolution, resolution)
    canvas[:, top:top + h, left:left + w] = small_img * (1 - small_mask)
    canvas_mask[:, top:top + h, left:left + w] = small_mask
    return canvas, canvas_mask, box


def from_canvas(canvas: torch.Tensor, box: Box,
                size: Tuple[int, int]) -> torch.Tensor:
    """Crop the image's box from canvases and resize it to ``size``.

    Args:
        canvas: ``[N, C, R, R]``.
        box: where the image lies (see :func:`to_canvas`).
        size: ``(h, w)`` of the original image.

    Returns:
        Tensor: ``[N, C, h, w]``.
    """
    top, left, h, w = box
    return _resize(canvas[:, :, top:top + h, left:left + w], tuple(size))
