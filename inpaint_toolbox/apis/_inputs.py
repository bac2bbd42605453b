"""Turn what a caller hands the inferencer into the toolbox's conventions.

Images become ``(H, W, 3)`` uint8 **RGB**; masks become ``(H, W)`` uint8 in
{0, 1} with **1 = hole**. Nothing is guessed: an array's channel order and
an 8-bit mask's convention are stated by the caller.
"""
import os
from typing import Optional

import numpy as np

from inpaint_toolbox.utils.image_io import imread_mask, imread_rgb

CHANNEL_ORDERS = ('rgb', 'bgr')
HOLE_VALUES = ('white', 'black')


def _is_pil(obj) -> bool:
    """True for a PIL image (without importing PIL when it is not one)."""
    return type(obj).__module__.startswith('PIL.') and hasattr(obj, 'mode')


def _pil_to_rgb(img) -> np.ndarray:
    """``(H, W, 3)`` uint8 RGB from a PIL image.

    Alpha is composited over white (as :func:`imread_rgb` does for files);
    16-bit gray is scaled by ``round(v / 257)``.
    """
    if img.mode.startswith('I;16'):
        arr = np.asarray(img).astype(np.float64)
        gray = np.floor(arr / 257.0 + 0.5).astype(np.uint8)
        return np.repeat(gray[..., None], 3, axis=-1)
    if img.mode in ('RGBA', 'LA', 'PA') or (img.mode == 'P'
                                            and 'transparency' in img.info):
        rgba = np.asarray(img.convert('RGBA')).astype(np.float64) / 255.0
        rgb = rgba[..., :3] * rgba[..., 3:] + (1.0 - rgba[..., 3:])
        return np.floor(rgb * 255.0 + 0.5).astype(np.uint8)
    return np.asarray(img.convert('RGB')).copy()


def as_rgb(img, channel_order: str = 'rgb') -> np.ndarray:
    """Read or convert one image to RGB.

    Args:
        img (str | PathLike | np.ndarray | PIL.Image.Image): a file path; a
            uint8 array ``(H, W, 3)`` in ``channel_order``, or gray
            ``(H, W)`` / ``(H, W, 1)``; or a PIL image (any mode; alpha is
            composited over white).
        channel_order (str): ``'rgb'`` or ``'bgr'``: the order of a 3-channel
            array (OpenCV's ``cv2.imread`` gives ``'bgr'``). Ignored for
            paths and PIL images, which carry their own order.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB in [0, 255].

    Raises:
        FileNotFoundError: a path that does not exist.
        ValueError: undecodable file, wrong shape or channel order.
        TypeError: an array that is not uint8, or an unsupported object.
    """
    if channel_order not in CHANNEL_ORDERS:
        raise ValueError(f'channel_order must be one of {CHANNEL_ORDERS}, '
                         f'got {channel_order!r}')
    if isinstance(img, (str, os.PathLike)):
        return imread_rgb(img)
    if _is_pil(img):
        return _pil_to_rgb(img)
    if not isinstance(img, np.ndarray):
        raise TypeError('expected an image path, a numpy array or a PIL '
                        f'image, got {type(img).__name__}')
    arr = img
    if arr.dtype != np.uint8:
        raise TypeError(f'expected a uint8 image array, got {arr.dtype}; '
                        'convert with np.clip(x, 0, 255).astype(np.uint8)')
    if arr.ndim == 3 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim == 2:
        return np.repeat(arr[..., None], 3, axis=-1)
    if arr.ndim != 3 or arr.shape[-1] != 3:
        raise ValueError(f'expected an (H, W, 3) RGB image, got shape '
                         f'{arr.shape}' +
                         ('; composite or drop the alpha channel first'
                          if arr.ndim == 3 and arr.shape[-1] == 4 else ''))
    if channel_order == 'bgr':
        arr = arr[..., ::-1]
    return np.ascontiguousarray(arr)


def as_mask(mask,
            hole_value: Optional[str] = None,
            threshold: float = 127) -> np.ndarray:
    """Read or convert one mask to ``(H, W)`` {0, 1}, 1 = hole.

    Rules:

    - a file path or a PIL image needs ``hole_value`` (``'white'`` or
      ``'black'``): it is converted to 8-bit gray and a pixel is *white*
      when its value is ``> threshold``;
    - an array with ``hole_value=None`` must hold 0 and 1 only (1 = hole;
      a bool array counts as 0/1);
    - an array with ``hole_value`` is binarized like a file.

    Args:
        mask (str | PathLike | np.ndarray | PIL.Image.Image): the mask,
            ``(H, W)`` or ``(H, W, 1)``.
        hole_value (str, optional): ``'white'`` or ``'black'``.
        threshold (float): gray level in [0, 255) separating black from
            white. Defaults to 127.

    Returns:
        np.ndarray: ``(H, W)`` uint8 in {0, 1}.

    Raises:
        ValueError: a missing/invalid convention, wrong shape or values.
        FileNotFoundError: a path that does not exist.
        TypeError: an unsupported object.
    """
    if hole_value is not None and hole_value not in HOLE_VALUES:
        raise ValueError(f'mask_hole_value must be one of {HOLE_VALUES}, got '
                         f'{hole_value!r}')
    if not 0 <= threshold < 255:
        raise ValueError(f'mask_threshold must be in [0, 255), got '
                         f'{threshold!r}')
    if isinstance(mask, (str, os.PathLike)):
        if hole_value is None:
            raise ValueError(
                f'mask file {os.fspath(mask)!r} needs an explicit '
                "convention: pass mask_hole_value='white' or 'black'")
        return imread_mask(mask, hole_value, threshold)
    if _is_pil(mask):
        if hole_value is None:
            raise ValueError(
                f'a PIL mask ({mask.mode}, {mask.size[0]}x{mask.size[1]}) '
                "needs an explicit convention: pass mask_hole_value='white' "
                "or 'black'")
        mask = np.asarray(mask.convert('L'))
    if not isinstance(mask, np.ndarray):
        raise TypeError('expected a mask path, a numpy array or a PIL image, '
                        f'got {type(mask).__name__}')
    m = mask
    if m.ndim == 3 and m.shape[-1] == 1:
        m = m[..., 0]
    if m.ndim != 2:
        raise ValueError(f'expected an (H, W) mask, got shape {m.shape}')
    if hole_value is None:
        values = np.unique(m)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(
                'mask array must hold 0 (known) and 1 (hole) only, found '
                f'values {values[:6].tolist()}; for an 8-bit mask image pass '
                "mask_hole_value='white' or 'black'")
        return m.astype(np.uint8)
    white = m.astype(np.float64) > threshold
    return (white if hole_value == 'white' else ~white).astype(np.uint8)


def describe(obj) -> str:
    """A short name for an input in error messages and metadata."""
    if isinstance(obj, (str, os.PathLike)):
        return os.fspath(obj)
    if _is_pil(obj):
        return f'<PIL {obj.mode} {obj.size[0]}x{obj.size[1]}>'
    shape = getattr(obj, 'shape', None)
    return f'<{type(obj).__name__} {tuple(shape)}>' if shape is not None \
        else f'<{type(obj).__name__}>'
