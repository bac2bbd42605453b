"""Random crops (never resizes) for fixed and adaptive training shapes."""
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from ._utils import (as_landmarks, check_seed, crop_attributes, describe,
                     get_image, get_mask, sample_rng, shift_and_clip_boxes)


def _check_size(size, what: str) -> Tuple[int, int]:
    """Validate an ``(h, w)`` pair of positive ints."""
    try:
        h, w = (int(s) for s in size)
        ok = (h, w) == tuple(size) and h > 0 and w > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f'{what} must be a pair (h, w) of positive ints, got {size!r}')
    return h, w


def crop_with_reflect(arr: np.ndarray, y1: int, x1: int, height: int,
                      width: int) -> np.ndarray:
    """Crop ``arr[y1:y1 + height, x1:x1 + width]``, reflecting outside.

    Where the window leaves the array, the array is padded by reflection
    (``np.pad(mode='reflect')``: the border pixel is not repeated, like
    ``cv2.BORDER_REFLECT_101`` and ``torch`` reflect padding).

    Args:
        arr (np.ndarray): ``(H, W, C)``.
        y1 (int): top of the window, may be negative.
        x1 (int): left of the window, may be negative.
        height (int): window height.
        width (int): window width.

    Returns:
        np.ndarray: ``(height, width, C)``, contiguous.
    """
    h, w = arr.shape[:2]
    top, left = max(0, -y1), max(0, -x1)
    bottom = max(0, y1 + height - h)
    right = max(0, x1 + width - w)
    if top or left or bottom or right:
        pad = [(top, bottom), (left, right)] + [(0, 0)] * (arr.ndim - 2)
        arr = np.pad(arr, pad, mode='reflect')
        y1, x1 = y1 + top, x1 + left
    return np.ascontiguousarray(arr[y1:y1 + height, x1:x1 + width])


@TRANSFORMS.register_module()
class RandomCrop(BaseTransform):
    """Crop a random window of a fixed or per-batch size; never resizes.

    The window is uniform over all positions inside the image. Along a side
    where the image is smaller than the window, the window is placed at a
    uniformly random offset that covers the whole image and the rest is
    reflect-padded (``pad_if_smaller=True``), so the face lands at varying
    positions in the frame.

    With ``adaptive=True`` the size comes from ``results['crop_shape']``,
    which the dataset sets when ``AdaptiveShapeBatchSampler`` passes
    ``(index, (h, w))``: every sample of a batch then has one shape.

    Required keys: ``gt``; ``crop_shape`` when adaptive. Modified keys:
    ``gt``, ``mask`` (if present), ``landmarks`` (shifted; points that fall
    outside the crop keep their out-of-frame coordinates), ``part_boxes``
    and ``attributes['face_box']`` (shifted and clipped to the crop; boxes
    outside collapse onto its border), ``img_shape``.
    Added keys: ``crop_bbox`` ``[x1, y1, x2, y2]``, the window in the input
    image's pixel coordinates (may reach outside it when padded).

    Args:
        size (tuple[int, int], optional): crop ``(h, w)``; must be None when
            ``adaptive``. Defaults to None.
        adaptive (bool): take the size from ``results['crop_shape']``.
            Defaults to False.
        pad_if_smaller (bool): reflect-pad images smaller than the crop;
            otherwise they raise ValueError. Defaults to True.
        seed (int, optional): if set, the window is a pure function of
            ``(seed, sample_idx)`` (fixed validation crops); otherwise drawn
            from numpy's global RNG. Defaults to None.
    """

    def __init__(self,
                 size: Optional[Sequence[int]] = None,
                 adaptive: bool = False,
                 pad_if_smaller: bool = True,
                 seed: Optional[int] = None):
        if adaptive and size is not None:
            raise ValueError('RandomCrop: give either size or adaptive=True '
                             f'(got size={size!r} and adaptive=True)')
        if not adaptive and size is None:
            raise ValueError('RandomCrop: size (h, w) is required unless '
                             'adaptive=True')
        self.size = None if size is None else _check_size(size, 'size')
        self.adaptive = adaptive
        self.pad_if_smaller = pad_if_smaller
        self.seed = check_seed(seed, 'RandomCrop')

    def _crop_size(self, results: dict) -> Tuple[int, int]:
        if not self.adaptive:
            return self.size
        if results.get('crop_shape') is None:
            raise ValueError(
                'RandomCrop(adaptive=True) needs results["crop_shape"]: use '
                'AdaptiveShapeBatchSampler in the dataloader, or give '
                f'RandomCrop a fixed size ({describe(results)})')
        return _check_size(results['crop_shape'], 'results["crop_shape"]')

    @staticmethod
    def _offset(rng: np.random.Generator, side: int, crop: int) -> int:
        """Window start along one axis, uniform over valid placements."""
        low, high = min(0, side - crop), max(0, side - crop)
        return int(rng.integers(low, high + 1))

    def transform(self, results: dict) -> dict:
        """Crop the sample.

        Args:
            results (dict): the sample.

        Returns:
            dict: the cropped sample.
        """
        if 'lq' in results:
            raise ValueError('RandomCrop must come before RescaleToLowRes '
                             f'(results has "lq", {describe(results)})')
        gt = get_image(results)
        h, w = gt.shape[:2]
        mask = get_mask(results, gt.shape)
        ch, cw = self._crop_size(results)
        if (ch > h or cw > w) and not self.pad_if_smaller:
            raise ValueError(
                f'image size {(h, w)} is smaller than the crop {(ch, cw)} '
                f'and pad_if_smaller=False ({describe(results)})')
        rng = sample_rng(self.seed, results, 'RandomCrop')
        y1 = self._offset(rng, h, ch)
        x1 = self._offset(rng, w, cw)

        results['gt'] = crop_with_reflect(gt, y1, x1, ch, cw)
        if mask is not None:
            results['mask'] = crop_with_reflect(mask, y1, x1, ch, cw)
        if results.get('landmarks') is not None:
            lm = as_landmarks(results['landmarks'], results)
            results['landmarks'] = lm - np.array([x1, y1], np.float32)
        if results.get('part_boxes') is not None:
            results['part_boxes'] = shift_and_clip_boxes(
                results['part_boxes'], x1, y1, cw, ch, results)
        if results.get('attributes') is not None:
            results['attributes'] = crop_attributes(results['attributes'], x1,
                                                    y1, cw, ch, results)
        results['crop_bbox'] = [x1, y1, x1 + cw, y1 + ch]
        results['img_shape'] = (ch, cw)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(size={self.size}, '
                f'adaptive={self.adaptive}, '
                f'pad_if_smaller={self.pad_if_smaller}, seed={self.seed})')
