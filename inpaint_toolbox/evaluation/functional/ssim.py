"""Structural similarity (Wang et al., 2004) with Gaussian weights."""
import cv2
import numpy as np

from ._checks import as_hole_mask, as_image_pair

_SIGMA = 1.5
_RADIUS = int(3.5 * _SIGMA + 0.5)  # 5: an 11-tap window
_WIN_SIZE = 2 * _RADIUS + 1
_KERNEL = cv2.getGaussianKernel(_WIN_SIZE, _SIGMA, cv2.CV_64F)
_C1 = (0.01 * 255.0)**2
_C2 = (0.03 * 255.0)**2


def _blur(img):
    """Gaussian-weighted local mean of each channel of ``(H, W, C)``."""
    out = np.empty_like(img)
    for c in range(img.shape[2]):
        out[..., c] = cv2.sepFilter2D(
            np.ascontiguousarray(img[..., c]),
            cv2.CV_64F,
            _KERNEL,
            _KERNEL,
            borderType=cv2.BORDER_REFLECT)
    return out


def ssim_map(img_a, img_b):
    """Per-pixel SSIM of every channel.

    Gaussian window with sigma 1.5, 11 taps (truncated at 3.5 sigma),
    borders reflected (``dcba|abcd``), population covariances,
    ``K1 = 0.01``, ``K2 = 0.03``, data range 255.

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)`` in [0, 255] with
            ``H, W >= 11``.
        img_b (array-like): Same shape as ``img_a``.

    Returns:
        np.ndarray: ``(H, W, C)`` float64 SSIM map (``C = 1`` for 2-D
        input), values in [-1, 1].
    """
    img_a, img_b = as_image_pair(img_a, img_b)
    if min(img_a.shape[:2]) < _WIN_SIZE:
        raise ValueError(f'SSIM needs H, W >= {_WIN_SIZE}, got image shape '
                         f'{img_a.shape}')
    mu_a, mu_b = _blur(img_a), _blur(img_b)
    var_a = _blur(img_a * img_a) - mu_a * mu_a
    var_b = _blur(img_b * img_b) - mu_b * mu_b
    cov = _blur(img_a * img_b) - mu_a * mu_b
    num = (2 * mu_a * mu_b + _C1) * (2 * cov + _C2)
    den = (mu_a**2 + mu_b**2 + _C1) * (var_a + var_b + _C2)
    return num / den


def ssim(img_a, img_b, mask=None):
    """Mean SSIM between two images in [0, 255].

    Without a mask this equals ``skimage.metrics.structural_similarity(a,
    b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    data_range=255, channel_axis=-1)``: the SSIM map (see :func:`ssim_map`)
    is cropped by ``(11 - 1) // 2 = 5`` pixels on each side and averaged
    over pixels and channels.

    With a mask the full, uncropped map (whose border values come from the
    reflected borders) is averaged over the hole pixels of all channels, so
    holes that touch the border count fully. An all-ones mask therefore
    differs slightly from the unmasked value, which drops the border.

    Args:
        img_a (array-like): ``(H, W, C)`` or ``(H, W)``, uint8 or float in
            [0, 255], ``H, W >= 11``.
        img_b (array-like): Same shape as ``img_a``.
        mask (array-like, optional): ``(H, W)`` or ``(H, W, 1)`` in
            {0, 1}, 1 = hole. Default: None (whole image).

    Returns:
        float: Mean SSIM in [-1, 1]; 1 for identical images.

    Raises:
        ValueError: On shape mismatch, images smaller than the window, or
            a mask without hole pixels.
    """
    full = ssim_map(img_a, img_b)
    if mask is not None:
        return float(np.mean(full[as_hole_mask(mask, full.shape)]))
    pad = (_WIN_SIZE - 1) // 2
    return float(np.mean(full[pad:-pad, pad:-pad]))
