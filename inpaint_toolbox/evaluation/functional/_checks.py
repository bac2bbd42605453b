"""Input checks shared by the functional metrics."""
import numpy as np


def as_image_pair(img_a, img_b):
    """Check two images and return them as float64 ``(H, W, C)`` arrays.

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)`` image in [0, 255],
            uint8 or float.
        img_b (array-like): Same shape as ``img_a``.

    Returns:
        tuple[np.ndarray, np.ndarray]: Both as float64 ``(H, W, C)``
        (``C = 1`` for 2-D input).

    Raises:
        ValueError: If the shapes differ or are not 2-D/3-D.
    """
    img_a = np.asarray(img_a)
    img_b = np.asarray(img_b)
    if img_a.shape != img_b.shape:
        raise ValueError('images must have the same shape, got '
                         f'{img_a.shape} and {img_b.shape}')
    if img_a.ndim not in (2, 3) or img_a.size == 0:
        raise ValueError('images must be non-empty (H, W) or (H, W, C), '
                         f'got shape {img_a.shape}')
    img_a = img_a.astype(np.float64)
    img_b = img_b.astype(np.float64)
    if img_a.ndim == 2:
        img_a, img_b = img_a[..., None], img_b[..., None]
    return img_a, img_b


def as_hole_mask(mask, image_shape):
    """Check a hole mask and return it as a boolean ``(H, W)`` array.

    Args:
        mask (array-like): ``(H, W)`` or ``(H, W, 1)`` in {0, 1},
            1 = hole.
        image_shape (tuple[int, ...]): Shape of the images, ``(H, W, C)``.

    Returns:
        np.ndarray: ``(H, W)`` bool, True = hole.

    Raises:
        ValueError: If the shape does not match, values are not in {0, 1},
            or the mask has no hole pixel.
    """
    mask = np.asarray(mask)
    if mask.ndim == 3 and mask.shape[-1] == 1:
        mask = mask[..., 0]
    if mask.shape != tuple(image_shape[:2]):
        raise ValueError(f'mask shape {np.shape(mask)} does not match image '
                         f'shape {tuple(image_shape)}')
    if not np.isin(mask, (0, 1)).all():
        raise ValueError('mask values must be in {0, 1} (1 = hole), got '
                         f'values in [{mask.min()}, {mask.max()}]')
    mask = mask.astype(bool)
    if not mask.any():
        raise ValueError('mask has no hole pixels')
    return mask
