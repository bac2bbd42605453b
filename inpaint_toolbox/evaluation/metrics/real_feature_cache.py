"""On-disk cache of the real images' Inception features for FID.

Features are stored per image, keyed by a hash of the image's pixels, next
to the identity of the feature extractor (class and weight-file hash). A
later run of the same extractor looks every ground-truth image up and only
runs the network on the ones it has not seen, so re-testing a model on the
same evaluation set (any order, any subset) skips the real half of FID. A
file written for another extractor is ignored with a warning and
replaced.
"""
import hashlib
import logging
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.logging import print_log

from inpaint_toolbox.utils.checkpoint import atomic_save, safe_load

CACHE_FORMAT = 'inpaint_toolbox.fid_real_features/1'


def image_hash(img: np.ndarray) -> str:
    """SHA-1 of an image's shape and pixels.

    Args:
        img (np.ndarray): ``(H, W, C)`` uint8 image.

    Returns:
        str: 40 hex digits.
    """
    digest = hashlib.sha1(str(img.shape).encode())
    digest.update(np.ascontiguousarray(img).tobytes())
    return digest.hexdigest()


class RealFeatureCache:
    """Per-image real features in one file, written atomically.

    Args:
        path (str): The cache file (``.pth``); created on first save.
        extractor_id (str): Identity of the feature extractor; features of
            a file with another id are not used.
    """

    def __init__(self, path: str, extractor_id: str):
        self.path = path
        self.extractor_id = extractor_id
        self._table: Optional[Dict[str, np.ndarray]] = None

    def _load(self) -> Dict[str, np.ndarray]:
        if not osp.isfile(self.path):
            return {}
        state = safe_load(self.path)
        if not isinstance(state, dict) or state.get('format') != \
                CACHE_FORMAT:
            raise ValueError(f'{self.path} is not an FID real-feature cache '
                             f'(expected format {CACHE_FORMAT!r})')
        if state['extractor'] != self.extractor_id:
            print_log(
                f'FID cache {self.path} was written for feature extractor '
                f"{state['extractor']!r}, not {self.extractor_id!r}; "
                'recomputing and replacing it',
                logger='current',
                level=logging.WARNING)
            return {}
        feats = state['feats'].numpy()
        return dict(zip(state['hashes'], feats))

    def lookup(self, key: str) -> Optional[np.ndarray]:
        """Cached features of an image, or None.

        Args:
            key (str): :func:`image_hash` of the image.

        Returns:
            np.ndarray | None: ``(D,)`` float32 features.
        """
        if self._table is None:
            self._table = self._load()
        return self._table.get(key)

    def save(self, hashes: List[str], feats: np.ndarray) -> None:
        """Write the features of one evaluation set (replaces the file).

        Args:
            hashes (list[str]): Image hashes, one per row.
            feats (np.ndarray): ``(N, D)`` features.
        """
        feats = np.asarray(feats, dtype=np.float32)
        if feats.ndim != 2 or len(hashes) != feats.shape[0]:
            raise ValueError(f'{len(hashes)} hashes for features of shape '
                             f'{feats.shape}')
        set_hash = hashlib.sha1(''.join(hashes).encode()).hexdigest()
        atomic_save(
            dict(
                format=CACHE_FORMAT,
                extractor=self.extractor_id,
                dataset_hash=set_hash,
                hashes=list(hashes),
                feats=torch.from_numpy(feats)), self.path)
        self._table = dict(zip(hashes, feats))
