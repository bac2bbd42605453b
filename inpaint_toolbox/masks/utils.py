"""Helpers shared by the mask generators: argument checks and hole area.

A hole range ``(lo, hi)`` is a pair of fractions of ``H * W``. For a given
shape it becomes an inclusive range of hole-pixel counts ``[k_min, k_max]``
chosen so that ``k / (H * W)`` (what ``mask.mean()`` returns) lies inside
``[lo, hi]`` in floating point, with no rounding surprises.
"""
import math
import numbers

import cv2
import numpy as np

_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


def check_hole_range(hole_range):
    """Validate a hole range.

    Args:
        hole_range (Sequence[float]): ``(lo, hi)`` fractions of the image
            area with ``0 <= lo <= hi <= 1``.

    Returns:
        tuple[float, float]: The range as a tuple of floats.

    Raises:
        TypeError: If it is not a pair of real numbers.
        ValueError: If the bounds are outside [0, 1] or ``lo > hi``.
    """
    if (isinstance(hole_range, (str, bytes))
            or not hasattr(hole_range, '__len__') or len(hole_range) != 2):
        raise TypeError(
            f'hole_range must be a pair (lo, hi), got {hole_range!r}')
    lo, hi = hole_range
    for value in (lo, hi):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f'hole_range must hold real numbers, got {hole_range!r}')
    lo, hi = float(lo), float(hi)
    if not 0.0 <= lo <= 1.0 or not 0.0 <= hi <= 1.0:
        raise ValueError(
            f'hole_range bounds must lie in [0, 1], got {hole_range!r}')
    if lo > hi:
        raise ValueError(f'hole_range needs lo <= hi, got {hole_range!r}')
    return lo, hi


def check_shape(shape):
    """Validate a mask shape.

    Args:
        shape (Sequence[int]): ``(H, W)`` with positive integers.

    Returns:
        tuple[int, int]: ``(H, W)`` as Python ints.
    """
    if (isinstance(shape, (str, bytes)) or not hasattr(shape, '__len__')
            or len(shape) != 2):
        raise TypeError(f'shape must be a pair (H, W), got {shape!r}')
    for value in shape:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f'shape must hold integers, got {shape!r}')
    height, width = int(shape[0]), int(shape[1])
    if height <= 0 or width <= 0:
        raise ValueError(f'shape must be positive, got {shape!r}')
    return height, width


def as_generator(rng):
    """Return a numpy Generator from a Generator or an integer seed.

    Args:
        rng (np.random.Generator | int): The random source. There is no
            default: every mask is a function of an explicit seed.

    Returns:
        np.random.Generator: ``rng`` itself, or a new one seeded with it.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError('rng must be a numpy.random.Generator or an int seed, '
                    f'got {type(rng).__name__}')


def pixel_count_bounds(shape, hole_range):
    """Turn a hole range into an inclusive range of hole-pixel counts.

    Args:
        shape (tuple[int, int]): ``(H, W)``.
        hole_range (tuple[float, float]): Checked ``(lo, hi)``.

    Returns:
        tuple[int, int]: ``(k_min, k_max)``, the smallest and largest pixel
        counts ``k`` with ``lo <= k / (H * W) <= hi``.

    Raises:
        ValueError: If no integer count fits (a narrow range on a small
            image).
    """
    num = shape[0] * shape[1]
    lo, hi = hole_range
    k_min = math.ceil(lo * num)
    while k_min > 0 and (k_min - 1) / num >= lo:
        k_min -= 1
    while k_min <= num and k_min / num < lo:
        k_min += 1
    k_max = math.floor(hi * num)
    while k_max < num and (k_max + 1) / num <= hi:
        k_max += 1
    while k_max >= 0 and k_max / num > hi:
        k_max -= 1
    if k_min > k_max:
        raise ValueError(f'hole_range {hole_range!r} admits no hole-pixel '
                         f'count for a {shape[0]}x{shape[1]} mask')
    return k_min, k_max


def fit_hole_count(mask, k_min, k_max, rng):
    """Grow or shrink a mask until its hole count lies in ``[k_min, k_max]``.

    The fallback for generators that could not hit the range by drawing:
    dilate (or erode) with a 3x3 cross one ring at a time, and take only
    part of the last ring, chosen at random, to land inside the range. An
    empty mask that must grow is seeded with one random pixel.

    Args:
        mask (np.ndarray): ``(H, W)`` uint8 in {0, 1}.
        k_min (int): Smallest allowed hole-pixel count.
        k_max (int): Largest allowed hole-pixel count, ``>= k_min``.
        rng (np.random.Generator): Random source for the partial ring.

    Returns:
        np.ndarray: ``(H, W)`` uint8 in {0, 1} with
        ``k_min <= mask.sum() <= k_max``.
    """
    mask = (mask > 0).astype(np.uint8)
    flat = mask.reshape(-1)
    count = int(np.count_nonzero(flat))
    if count < k_min and count == 0:
        flat[rng.integers(flat.size)] = 1
        count = 1
    while count < k_min:
        grown = cv2.dilate(mask, _CROSS)
        ring = np.flatnonzero(grown.reshape(-1) > flat)
        need = k_min - count
        if ring.size > need:
            flat[rng.choice(ring, size=need, replace=False)] = 1
            count = k_min
        else:
            flat[ring] = 1
            count += ring.size
    while count > k_max:
        shrunk = cv2.erode(
            mask, _CROSS, borderType=cv2.BORDER_CONSTANT, borderValue=0)
        ring = np.flatnonzero(flat > shrunk.reshape(-1))
        excess = count - k_max
        if ring.size > excess:
            flat[rng.choice(ring, size=excess, replace=False)] = 0
            count = k_max
        else:
            flat[ring] = 0
            count -= ring.size
    return mask
