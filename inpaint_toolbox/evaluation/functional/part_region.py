"""Errors inside facial part boxes (eyes, nose, mouth)."""
import numpy as np

from ._checks import as_image_pair


def clip_part_box(name, box, height, width):
    """Round a part box and clip it to the image.

    Args:
        name (str): Part name, for error messages.
        box (Sequence[float]): ``[x1, y1, x2, y2]`` in pixels, ``x2`` and
            ``y2`` exclusive.
        height (int): Image height.
        width (int): Image width.

    Returns:
        tuple[slice, slice] | None: ``(rows, cols)`` to index an
        ``(H, W, ...)`` array, or None if the clipped box is empty.

    Raises:
        ValueError: If the box is not four finite numbers with
            ``x1 <= x2`` and ``y1 <= y2``.
    """
    box = np.asarray(box, dtype=np.float64).reshape(-1)
    if box.size != 4 or not np.isfinite(box).all():
        raise ValueError(
            f'part box {name!r} must be [x1, y1, x2, y2], got {box.tolist()}')
    x1, y1, x2, y2 = np.rint(box).astype(np.int64).tolist()
    if x2 < x1 or y2 < y1:
        raise ValueError(f'part box {name!r} needs x1 <= x2 and y1 <= y2, got '
                         f'{box.tolist()}')
    x1, x2 = min(max(x1, 0), width), min(max(x2, 0), width)
    y1, y2 = min(max(y1, 0), height), min(max(y2, 0), height)
    if x2 <= x1 or y2 <= y1:
        return None
    return slice(y1, y2), slice(x1, x2)


def part_region_error(img_a, img_b, part_boxes, reduction='mean'):
    """Mean absolute error inside each facial part box, in [0, 1] units.

    A box ``[x1, y1, x2, y2]`` is in pixel coordinates, ``x2`` and ``y2``
    exclusive (``img[y1:y2, x1:x2]``). Coordinates are rounded to the
    nearest integer and clipped to the image; a box left empty (e.g. cut
    away by a crop) is omitted from the result.

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)``, uint8 or float in
            [0, 255].
        img_b (array-like): Same shape as ``img_a``.
        part_boxes (dict[str, Sequence[float]]): ``{name: [x1, y1, x2,
            y2]}``, e.g. ``left_eye``, ``right_eye``, ``nose``, ``mouth``.
        reduction (str): ``'mean'`` adds the key ``'mean'``, the mean over
            the parts present; ``'none'`` returns the parts only.

    Returns:
        dict[str, float]: ``{name: mean(|a - b|) / 255}`` for each
        non-empty box, plus ``'mean'`` for ``reduction='mean'``.

    Raises:
        ValueError: On shape mismatch, malformed boxes, a part named
            ``'mean'``, an unknown reduction, or when no box overlaps the
            image.
    """
    if reduction not in ('mean', 'none'):
        raise ValueError(
            f"reduction must be 'mean' or 'none', got {reduction!r}")
    if not isinstance(part_boxes, dict) or not part_boxes:
        raise ValueError(
            f'part_boxes must be a non-empty dict, got {part_boxes!r}')
    if 'mean' in part_boxes:
        raise ValueError("'mean' is reserved and cannot name a part box")
    img_a, img_b = as_image_pair(img_a, img_b)
    height, width = img_a.shape[:2]
    errors = {}
    for name, box in part_boxes.items():
        region = clip_part_box(name, box, height, width)
        if region is None:
            continue
        diff = np.abs(img_a[region] - img_b[region])
        errors[name] = float(np.mean(diff)) / 255.0
    if not errors:
        raise ValueError(f'no part box overlaps the {height}x{width} image: '
                         f'{part_boxes!r}')
    if reduction == 'mean':
        errors['mean'] = float(np.mean(list(errors.values())))
    return errors
