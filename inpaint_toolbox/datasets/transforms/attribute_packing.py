"""Packing an image with binary attribute labels (attribute classifiers)."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from inpaint_toolbox.structures import InpaintDataSample
from ._utils import describe, get_image

__all__ = ['PackAttributeInputs']

DEFAULT_ATTRIBUTES = ('smiling', 'glasses', 'beard')
DEFAULT_META_KEYS = ('gt_path', 'ori_shape', 'img_shape', 'sample_idx',
                     'flip')


@TRANSFORMS.register_module()
class PackAttributeInputs(BaseTransform):
    """Turn an image and its attribute dict into classifier inputs.

    Reads the binary attributes named in ``attributes`` from
    ``results['attributes']`` (as :class:`SyntheticFaceDataset` provides:
    ``smiling``, ``glasses``, ``beard`` are bools) and needs no mask.

    Required keys: ``gt`` ``(H, W, 3)`` uint8, ``attributes`` (dict).

    Returns a dict with

    - ``inputs``: ``(3, H, W)`` uint8 tensor, the image;
    - ``data_samples``: :class:`InpaintDataSample` with the data field
      ``gt_attributes`` ``(K,)`` float32 in {0, 1} (K = number of
      attributes, in the order given) and the meta field
      ``attribute_names`` (tuple of str) plus the ``meta_keys`` found.

    Args:
        attributes (sequence of str): Binary attribute names, at least one,
            no repeats. Defaults to ``('smiling', 'glasses', 'beard')``.
        meta_keys (sequence of str): Keys copied into the metainfo when
            present.
    """

    def __init__(self,
                 attributes: Sequence[str] = DEFAULT_ATTRIBUTES,
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS):
        if isinstance(attributes, str):
            attributes = (attributes, )
        attributes = tuple(attributes)
        if not attributes or not all(isinstance(a, str) for a in attributes) \
                or len(set(attributes)) != len(attributes):
            raise ValueError('attributes must be a non-empty sequence of '
                             f'distinct names, got {attributes!r}')
        if isinstance(meta_keys, str):
            meta_keys = (meta_keys, )
        self.attributes = attributes
        self.meta_keys = tuple(meta_keys)

    def _labels(self, results: dict) -> torch.Tensor:
        found = results.get('attributes')
        if not isinstance(found, dict):
            raise ValueError(f'no attribute dict in the sample '
                             f'({describe(results)}): PackAttributeInputs '
                             'needs results["attributes"]')
        labels = []
        for name in self.attributes:
            if name not in found:
                raise ValueError(
                    f'attribute {name!r} not in the sample '
                    f'({describe(results)}); available: {sorted(found)}')
            value = found[name]
            if isinstance(value, (bool, np.bool_)):
                value = float(value)
            if not isinstance(value, (int, float, np.number)) or \
                    value not in (0, 1):
                raise ValueError(
                    f'attribute {name!r} must be binary (bool or 0/1), got '
                    f'{value!r} ({describe(results)})')
            labels.append(float(value))
        return torch.tensor(labels, dtype=torch.float32)

    def transform(self, results: dict) -> dict:
        """Pack the sample.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``{'inputs': Tensor, 'data_samples': InpaintDataSample}``.
        """
        img = get_image(results)
        inputs = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0,
                                                                     1)))
        sample = InpaintDataSample()
        sample.gt_attributes = self._labels(results)
        meta = {k: results[k] for k in self.meta_keys if k in results}
        meta['attribute_names'] = self.attributes
        sample.set_metainfo(meta)
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(attributes={self.attributes}, '
                f'meta_keys={self.meta_keys})')
