"""Drawing a random mask for each sample."""
from typing import Callable, Optional, Union

import numpy as np
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import MASK_GENERATORS, TRANSFORMS
from ._utils import check_seed, describe, get_image, sample_rng


@TRANSFORMS.register_module()
class GenerateMask(BaseTransform):
    """Draw a mask of the model input's size with a mask generator.

    The mask marks holes of what the model sees: the image ``gt``, or its
    low-resolution copy ``lq`` when ``RescaleToLowRes`` ran before (scale > 1
    training), in which case the mask has ``lq``'s size.

    With ``seed`` set, the mask is a pure function of ``(seed,
    sample_idx)`` (``np.random.default_rng([seed, sample_idx])``), which is
    what validation and test sets want. Without it, every call seeds a fresh
    generator from numpy's global RNG, so mmengine's ``randomness`` config
    makes training reproducible.

    Required keys: ``gt`` (or ``lq``, for the size); ``sample_idx`` when
    seeded.
    Added keys: ``mask`` ``(H, W, 1)`` uint8 in {0, 1}, 1 = hole.

    Args:
        generator (dict | callable): config of a ``MASK_GENERATORS``
            component, or a built one; called as ``gen(shape=(H, W),
            rng=np.random.Generator)`` and returning ``(H, W)`` uint8 in
            {0, 1}. Defaults to ``dict(type='FreeFormMask')``.
        seed (int, optional): see above. Defaults to None.
    """

    def __init__(self,
                 generator: Union[dict, Callable] = dict(type='FreeFormMask'),
                 seed: Optional[int] = None):
        if isinstance(generator, dict):
            generator = MASK_GENERATORS.build(generator)
        if not callable(generator):
            raise TypeError('GenerateMask: generator must be a config dict '
                            f'or a callable, got {type(generator).__name__}')
        self.generator = generator
        self.seed = check_seed(seed, 'GenerateMask')

    def transform(self, results: dict) -> dict:
        """Draw the mask.

        Args:
            results (dict): the sample.

        Returns:
            dict: the sample with ``mask`` ``(H, W, 1)`` uint8.
        """
        key = 'lq' if results.get('lq') is not None else 'gt'
        h, w = get_image(results, key).shape[:2]
        rng = sample_rng(self.seed, results, 'GenerateMask')
        mask = np.asarray(self.generator(shape=(h, w), rng=rng))
        if mask.ndim == 3 and mask.shape[2] == 1:
            mask = mask[..., 0]
        if mask.shape != (h, w):
            raise ValueError(
                f'mask generator {self.generator!r} returned shape '
                f'{mask.shape} for image size {(h, w)} ({describe(results)})')
        if mask.dtype == np.bool_:
            mask = mask.astype(np.uint8)
        if mask.dtype != np.uint8 or mask.max(initial=0) > 1:
            raise ValueError(
                f'mask generator {self.generator!r} must return uint8 in '
                f'{{0, 1}}, got {mask.dtype} with max '
                f'{mask.max(initial=0)} ({describe(results)})')
        results['mask'] = np.ascontiguousarray(mask[..., None])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(generator={self.generator!r}, '
                f'seed={self.seed})')
