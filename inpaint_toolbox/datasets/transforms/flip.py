"""Horizontal flips that keep landmark and part semantics."""
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from inpaint_toolbox.registry import TRANSFORMS
from ._utils import (as_landmarks, check_seed, describe, get_image, get_mask,
                     hflip_attributes, hflip_boxes, sample_rng)

# 5-point order: left eye, right eye, nose tip, left and right mouth corner.
FIVE_POINT_FLIP_PAIRS = ((0, 1), (3, 4))


@TRANSFORMS.register_module()
class RandomFlip(BaseTransform):
    """Mirror the sample left-right with probability ``prob``.

    Images and masks are mirrored; landmarks move to ``x' = W - 1 - x``
    (pixel centres at integers) and the rows in ``flip_pairs`` swap, so
    ``left_eye`` keeps meaning the eye on the image's left; part boxes
    ``[x1, y1, x2, y2]`` become ``[W - 1 - x2, y1, W - 1 - x1, y2]`` and
    names with ``left``/``right`` swap (``left_eye`` <-> ``right_eye``).
    The synthetic faces' geometric attributes follow: ``face_box`` is
    mirrored, ``roll`` and ``gaze[0]`` change sign.

    Only horizontal flips are offered: a vertical flip turns a face upside
    down, which no face pipeline here wants.

    Required keys: ``gt``. Modified keys: ``gt``, ``mask``, ``lq`` (if
    present), ``landmarks``, ``part_boxes``, ``attributes``. Added keys:
    ``flip`` (bool), ``flip_direction``.

    Args:
        prob (float): flip probability in [0, 1]. Defaults to 0.5.
        direction (str): only ``'horizontal'``. Defaults to
            ``'horizontal'``.
        flip_pairs (sequence of (int, int)): landmark rows to swap.
            Defaults to the 5-point layout ``((0, 1), (3, 4))``.
        seed (int, optional): if set, the decision is a pure function of
            ``(seed, sample_idx)``; otherwise drawn from numpy's global RNG.
            Defaults to None.
    """

    def __init__(self,
                 prob: float = 0.5,
                 direction: str = 'horizontal',
                 flip_pairs: Sequence[Tuple[int, int]] = FIVE_POINT_FLIP_PAIRS,
                 seed: Optional[int] = None):
        if not 0 <= prob <= 1:
            raise ValueError(f'RandomFlip: prob must be in [0, 1], got {prob}')
        if direction != 'horizontal':
            raise ValueError("RandomFlip: direction must be 'horizontal', "
                             f'got {direction!r}')
        self.prob = float(prob)
        self.direction = direction
        self.flip_pairs = tuple((int(a), int(b)) for a, b in flip_pairs)
        self.seed = check_seed(seed, 'RandomFlip')

    def _flip_landmarks(self, landmarks, width: int,
                        results: dict) -> np.ndarray:
        lm = as_landmarks(landmarks, results)
        lm[:, 0] = width - 1 - lm[:, 0]
        for a, b in self.flip_pairs:
            if max(a, b) >= len(lm):
                raise ValueError(
                    f'RandomFlip: flip pair {(a, b)} is out of range for '
                    f'{len(lm)} landmarks ({describe(results)})')
            lm[[a, b]] = lm[[b, a]]
        return lm

    def transform(self, results: dict) -> dict:
        """Maybe flip the sample.

        Args:
            results (dict): the sample.

        Returns:
            dict: the (maybe) flipped sample.
        """
        gt = get_image(results)
        width = gt.shape[1]
        mask = get_mask(results, gt.shape)
        rng = sample_rng(self.seed, results, 'RandomFlip')
        flip = bool(rng.random() < self.prob)
        results['flip'] = flip
        results['flip_direction'] = self.direction if flip else None
        if not flip:
            return results
        results['gt'] = np.ascontiguousarray(gt[:, ::-1])
        if mask is not None:
            results['mask'] = np.ascontiguousarray(mask[:, ::-1])
        if results.get('lq') is not None:
            results['lq'] = np.ascontiguousarray(results['lq'][:, ::-1])
        if results.get('landmarks') is not None:
            results['landmarks'] = self._flip_landmarks(
                results['landmarks'], width, results)
        if results.get('part_boxes') is not None:
            results['part_boxes'] = hflip_boxes(results['part_boxes'], width,
                                                results)
        if results.get('attributes') is not None:
            results['attributes'] = hflip_attributes(results['attributes'],
                                                     width, results)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob={self.prob}, '
                f'direction={self.direction!r}, '
                f'flip_pairs={self.flip_pairs}, seed={self.seed})')
