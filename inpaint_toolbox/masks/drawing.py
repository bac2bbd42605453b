"""Drawing primitives for stroke masks: random walks and thick polylines."""
import math

import cv2
import numpy as np


def size_scale(shape, ref_side):
    """Factor that maps sizes given for a square reference image to a shape.

    The geometric mean side ``sqrt(H * W)`` is compared with ``ref_side``,
    so a stroke covers about the same fraction of the area at any size and
    aspect ratio.

    Args:
        shape (tuple[int, int]): ``(H, W)``.
        ref_side (int): Side of the square image the sizes refer to.

    Returns:
        float: ``sqrt(H * W) / ref_side``.
    """
    return math.sqrt(shape[0] * shape[1]) / float(ref_side)


def random_walk(start, angles, lengths, shape):
    """Vertices of a walk that turns by the given angles, kept inside.

    Each step moves ``lengths[i]`` pixels in direction ``angles[i]``
    (radians, 0 = +x, pi / 2 = +y) and is clipped to the image, so a walk
    that reaches the border slides along it.

    Args:
        start (tuple[float, float]): ``(x, y)`` of the first vertex.
        angles (np.ndarray): ``(N,)`` step directions in radians.
        lengths (np.ndarray): ``(N,)`` step lengths in pixels.
        shape (tuple[int, int]): ``(H, W)`` of the image.

    Returns:
        np.ndarray: ``(N + 1, 2)`` int32 vertices ``[x, y]`` inside the
        image.
    """
    height, width = shape
    points = np.empty((len(angles) + 1, 2), dtype=np.float64)
    x, y = float(start[0]), float(start[1])
    points[0] = x, y
    for i, (angle, length) in enumerate(zip(angles, lengths)):
        x = min(max(x + length * math.cos(angle), 0.0), width - 1.0)
        y = min(max(y + length * math.sin(angle), 0.0), height - 1.0)
        points[i + 1] = x, y
    return np.rint(points).astype(np.int32)


def draw_polyline(mask, points, widths):
    """Draw a thick polyline with round caps and joints, in place.

    Args:
        mask (np.ndarray): ``(H, W)`` uint8 canvas; drawn pixels become 1.
        points (np.ndarray): ``(N + 1, 2)`` int vertices ``[x, y]``.
        widths (int | Sequence[int]): Line width in pixels, one for all
            segments or one per segment (``N`` values), each ``>= 1``.
    """
    num_segments = len(points) - 1
    if np.ndim(widths) == 0:
        widths = [widths] * num_segments
    for i in range(num_segments):
        width = max(int(widths[i]), 1)
        p0 = (int(points[i][0]), int(points[i][1]))
        p1 = (int(points[i + 1][0]), int(points[i + 1][1]))
        cv2.line(mask, p0, p1, 1, thickness=width)
        radius = width // 2
        if radius > 0:
            cv2.circle(mask, p0, radius, 1, thickness=-1)
            cv2.circle(mask, p1, radius, 1, thickness=-1)


def uniform_int(rng, bounds):
    """Draw an int uniformly from an inclusive ``(lo, hi)`` pair.

    Args:
        rng (np.random.Generator): Random source.
        bounds (tuple[int, int]): Inclusive bounds, ``lo <= hi``.

    Returns:
        int: The drawn value.
    """
    return int(rng.integers(bounds[0], bounds[1] + 1))


def check_int_range(name, bounds, minimum=0):
    """Validate an inclusive integer range given in a config.

    Args:
        name (str): Argument name for the error message.
        bounds (Sequence[int]): ``(lo, hi)``.
        minimum (int): Smallest allowed ``lo``.

    Returns:
        tuple[int, int]: The range.
    """
    try:
        lo, hi = bounds
        valid = int(lo) == lo and int(hi) == hi
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f'{name} must be a pair of ints, got {bounds!r}')
    lo, hi = int(bounds[0]), int(bounds[1])
    if lo < minimum or lo > hi:
        raise ValueError(
            f'{name} must satisfy {minimum} <= lo <= hi, got {bounds!r}')
    return lo, hi
