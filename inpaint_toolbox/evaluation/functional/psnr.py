"""Peak signal-to-noise ratio."""
import math

import numpy as np

from ._checks import as_hole_mask, as_image_pair


def psnr(img_a, img_b, mask=None):
    """PSNR in dB between two images in [0, 255].

    Equals ``skimage.metrics.peak_signal_noise_ratio(a, b,
    data_range=255)`` without a mask. With a mask the mean squared error is
    taken over the hole pixels only (all channels).

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)``, uint8 or float in
            [0, 255].
        img_b (array-like): Same shape as ``img_a``.
        mask (array-like, optional): ``(H, W)`` or ``(H, W, 1)`` in
            {0, 1}, 1 = hole. Default: None (whole image).

    Returns:
        float: ``10 * log10(255 ** 2 / mse)``; ``inf`` if the images agree
        on the measured pixels.

    Raises:
        ValueError: On shape mismatch, or a mask without hole pixels.
    """
    img_a, img_b = as_image_pair(img_a, img_b)
    sq_err = (img_a - img_b)**2
    if mask is not None:
        sq_err = sq_err[as_hole_mask(mask, img_a.shape)]
    mse = float(np.mean(sq_err))
    if mse == 0.0:
        return math.inf
    return 10.0 * math.log10(255.0**2 / mse)
