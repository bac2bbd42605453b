"""Low-resolution inputs for training at scale > 1."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from ._utils import get_image

_INTERPOLATIONS = {
    'area': cv2.INTER_AREA,
    'bicubic': cv2.INTER_CUBIC,
    'bilinear': cv2.INTER_LINEAR,
    'nearest': cv2.INTER_NEAREST,
}


def low_res_size(height: int, width: int, scale: float):
    """``(round(H / scale), round(W / scale))``, half rounded up, >= 1."""
    return (max(1, int(np.floor(height / scale + 0.5))),
            max(1, int(np.floor(width / scale + 0.5))))


@TRANSFORMS.register_module()
class RescaleToLowRes(BaseTransform):
    """Make a low-resolution copy of the image for scale > 1 training.

    This is the only resizing transform, and it never touches ``gt``: the
    model sees ``lq`` and is asked for ``gt`` at the full size. The size of
    ``lq`` is ``(round(H / scale), round(W / scale))``, so ``H`` and ``W``
    need not be multiples of ``scale``.

    Required keys: ``key``. Added keys: ``out_key`` ``(h, w, 3)`` uint8,
    ``scale``.

    Args:
        scale (float): downscaling factor, >= 1.
        key (str): source image. Defaults to ``'gt'``.
        out_key (str): destination. Defaults to ``'lq'``.
        interpolation (str): ``'area'`` (anti-aliased averaging, the
            default), ``'bicubic'``, ``'bilinear'`` or ``'nearest'``.
            OpenCV's bicubic does not low-pass before subsampling, so it
            aliases for large factors.
    """

    def __init__(self,
                 scale: float,
                 key: str = 'gt',
                 out_key: str = 'lq',
                 interpolation: str = 'area'):
        if not np.isfinite(scale) or scale < 1:
            raise ValueError(
                f'RescaleToLowRes: scale must be >= 1, got {scale!r}')
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(
                f'RescaleToLowRes: interpolation must be one of '
                f'{sorted(_INTERPOLATIONS)}, got {interpolation!r}')
        self.scale = float(scale)
        self.key = key
        self.out_key = out_key
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        """Add the low-resolution image.

        Args:
            results (dict): the sample.

        Returns:
            dict: the sample with ``results[out_key]``.
        """
        img = get_image(results, self.key)
        h, w = low_res_size(img.shape[0], img.shape[1], self.scale)
        if (h, w) == img.shape[:2]:
            low = img.copy()
        else:
            low = cv2.resize(
                img, (w, h), interpolation=_INTERPOLATIONS[self.interpolation])
        assert low.shape == (h, w, 3) and low.dtype == np.uint8
        results[self.out_key] = low
        results['scale'] = self.scale
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'key={self.key!r}, out_key={self.out_key!r}, '
                f'interpolation={self.interpolation!r})')
