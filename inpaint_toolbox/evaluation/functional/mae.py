"""Mean absolute error."""
import numpy as np

from ._checks import as_hole_mask, as_image_pair


def mae(img_a, img_b, mask=None):
    """Mean absolute error, in [0, 1] units (divided by 255).

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)``, uint8 or float in
            [0, 255].
        img_b (array-like): Same shape as ``img_a``.
        mask (array-like, optional): ``(H, W)`` or ``(H, W, 1)`` in
            {0, 1}, 1 = hole; the mean is then over hole pixels (all
            channels). Default: None (whole image).

    Returns:
        float: ``mean(|a - b|) / 255`` in [0, 1].

    Raises:
        ValueError: On shape mismatch, or a mask without hole pixels.
    """
    img_a, img_b = as_image_pair(img_a, img_b)
    abs_err = np.abs(img_a - img_b)
    if mask is not None:
        abs_err = abs_err[as_hole_mask(mask, img_a.shape)]
    return float(np.mean(abs_err)) / 255.0
