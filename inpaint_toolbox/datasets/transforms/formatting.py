"""Packing a sample into model inputs and an ``InpaintDataSample``."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from inpaint_toolbox.structures import InpaintDataSample
from ._utils import describe, get_image, get_mask

DEFAULT_META_KEYS = ('gt_path', 'mask_path', 'ori_shape', 'img_shape',
                     'landmarks', 'part_boxes', 'attributes', 'sample_idx',
                     'scale', 'crop_bbox', 'flip')


def _hwc_to_chw(img: np.ndarray) -> torch.Tensor:
    """``(H, W, C)`` uint8 array -> contiguous ``(C, H, W)`` uint8 tensor."""
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackInpaintInputs(BaseTransform):
    """Turn the data-info dict into ``inputs`` and a data sample.

    Required keys: ``gt`` ``(H, W, 3)`` uint8, ``mask`` ``(H, W, 1)`` uint8
    in {0, 1} (``(h, w, 1)``, the size of ``lq``, when ``lq`` is present).
    Optional: ``lq`` ``(h, w, 3)`` uint8 and the meta keys.

    Returns a dict with

    - ``inputs``: ``(3, H, W)`` uint8 tensor, the ground truth (the data
      preprocessor erases the hole from it);
    - ``data_samples``: :class:`InpaintDataSample` with data fields
      ``gt_img`` ``(3, H, W)`` uint8, ``mask`` ``(1, H, W)`` or ``(1, h, w)``
      uint8 (1 = hole)
      and, if present, ``lq_img`` ``(3, h, w)`` uint8; meta fields are the
      ``meta_keys`` found in the sample (``landmarks`` as a float32
      ``(N, 2)`` array).

    Args:
        meta_keys (sequence of str): keys copied into the metainfo when
            present. Defaults to ``DEFAULT_META_KEYS``.
    """

    def __init__(self, meta_keys: Sequence[str] = DEFAULT_META_KEYS):
        if isinstance(meta_keys, str):
            meta_keys = (meta_keys, )
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack the sample.

        Args:
            results (dict): the sample.

        Returns:
            dict: ``{'inputs': Tensor, 'data_samples': InpaintDataSample}``.
        """
        gt = get_image(results)
        if results.get('mask') is None:
            raise ValueError(
                f'no mask in the sample ({describe(results)}): add '
                'GenerateMask or LoadMaskFromFile to the pipeline')
        lq = get_image(results, 'lq') if results.get('lq') is not None \
            else None
        # the mask marks holes of the model input: lq when present
        mask = get_mask(results, (lq if lq is not None else gt).shape)
        if mask.max(initial=0) > 1:
            raise ValueError(f'mask values must be 0 or 1 (1 = hole), got max '
                             f'{mask.max()} ({describe(results)})')
        gt_img = _hwc_to_chw(gt)
        sample = InpaintDataSample()
        sample.gt_img = gt_img
        sample.mask = _hwc_to_chw(mask)
        if lq is not None:
            sample.lq_img = _hwc_to_chw(lq)
        meta = {}
        for key in self.meta_keys:
            if key in results:
                meta[key] = results[key]
        if meta.get('landmarks') is not None:
            meta['landmarks'] = np.asarray(meta['landmarks'], np.float32)
        sample.set_metainfo(meta)
        return dict(inputs=gt_img, data_samples=sample)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(meta_keys={self.meta_keys})'
