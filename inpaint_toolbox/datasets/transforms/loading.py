"""Loading images and mask files into the data-info dict."""
from typing import Optional

from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from inpaint_toolbox.utils.image_io import imread_mask, imread_rgb
from ._utils import describe, get_image


@TRANSFORMS.register_module()
class LoadImageFromFile(BaseTransform):
    """Read ``results[key + '_path']`` into ``results[key]`` as RGB.

    If ``results[key]`` is already an array (synthetic data passes arrays),
    nothing is read: the array is checked and only the shapes are set.

    Required keys: ``gt_path`` (or ``gt``). Added keys: ``gt`` ``(H, W, 3)``
    uint8 RGB, ``ori_shape`` and ``img_shape`` ``(H, W)``.

    Args:
        key (str): the image key. Defaults to ``'gt'``.
    """

    def __init__(self, key: str = 'gt'):
        self.key = key

    def transform(self, results: dict) -> dict:
        """Load the image.

        Args:
            results (dict): the sample.

        Returns:
            dict: the sample with the image and its shapes.
        """
        if results.get(self.key) is None:
            path_key = f'{self.key}_path'
            if results.get(path_key) is None:
                raise ValueError(f'results has neither {self.key!r} nor '
                                 f'{path_key!r} ({describe(results)})')
            results[self.key] = imread_rgb(results[path_key])
        img = get_image(results, self.key)
        shape = tuple(img.shape[:2])
        results.setdefault('ori_shape', shape)
        results['img_shape'] = shape
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(key={self.key!r})'


@TRANSFORMS.register_module()
class LoadMaskFromFile(BaseTransform):
    """Read ``results['mask_path']`` into ``results['mask']``.

    The file's convention is explicit: ``hole_value='white'`` for sets that
    paint holes white, ``'black'`` for sets that paint them black (look at
    a few files of your copy: published mask sets differ). Color masks are
    converted to gray, alpha is ignored.

    Required keys: ``mask_path``; ``gt`` if present is checked for size.
    Added keys: ``mask`` ``(H, W, 1)`` uint8 in {0, 1}, 1 = hole.

    Args:
        hole_value (str): ``'white'`` or ``'black'``, the hole color in the
            file. Required.
        threshold (float): gray level in [0, 255) separating black
            (``<= threshold``) from white. Defaults to 127.
    """

    def __init__(self, hole_value: str, threshold: float = 127):
        if hole_value not in ('white', 'black'):
            raise ValueError("LoadMaskFromFile: hole_value must be 'white' "
                             f"or 'black', got {hole_value!r}")
        if not 0 <= threshold < 255:
            raise ValueError('LoadMaskFromFile: threshold must be in [0, 255)'
                             f', got {threshold!r}')
        self.hole_value = hole_value
        self.threshold = threshold

    def transform(self, results: dict) -> dict:
        """Load and binarize the mask.

        Args:
            results (dict): the sample.

        Returns:
            dict: the sample with ``mask`` ``(H, W, 1)`` uint8.
        """
        path: Optional[str] = results.get('mask_path')
        if path is None:
            raise ValueError(
                f'no mask_path for {describe(results)}: give the dataset a '
                'mask folder or use GenerateMask instead of LoadMaskFromFile')
        mask = imread_mask(path, self.hole_value, self.threshold)
        gt = results.get('gt')
        if gt is not None and tuple(gt.shape[:2]) != mask.shape:
            raise ValueError(
                f'mask size {mask.shape} (H, W) of {path!r} differs from '
                f'image size {tuple(gt.shape[:2])} ({describe(results)})')
        results['mask'] = mask[..., None]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(hole_value={self.hole_value!r}, '
                f'threshold={self.threshold})')
