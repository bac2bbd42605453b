"""FID with the P-IDS / U-IDS discriminative scores."""
import importlib.util
import logging
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from inpaint_toolbox.registry import METRICS
from ..feature_nets import FID_INCEPTION, FIDInceptionV3, check_weight_file
from ..functional import frechet_distance_of_features, pids_uids
from .feature_net_utils import file_sha256, resolve_device
from .real_feature_cache import RealFeatureCache, image_hash
from .sample_utils import as_sample_dict, get_image


@METRICS.register_module()
class FID(BaseMetric):
    """Frechet Inception distance between the predictions and the ground
    truths of the evaluation set, plus P-IDS and U-IDS.

    Each data sample gives a prediction (``pred_key``, default the
    composite ``'output'``, ``(3, H, W)`` in [0, 255]) and its ground truth
    (``gt_key``, ``(3, H, W)`` uint8); both are rounded to uint8 first (the
    score of the saved images). Images of any size and aspect ratio go in:
    the FID Inception-v3 resizes each to 299x299 as pytorch-fid does, and
    prediction and ground truth may differ in size.

    Reported keys: ``FID`` (Frechet distance of the 2048-d pool features,
    see :func:`~inpaint_toolbox.evaluation.functional.frechet_distance`)
    and, with ``ids=True``, ``P-IDS`` and ``U-IDS`` (linear SVM on the same
    features, prediction ``i`` paired with ground truth ``i``, see
    :func:`~inpaint_toolbox.evaluation.functional.pids_uids`). Values from
    fewer images than feature dimensions (2048) are biased and only
    comparable with values from the same number of images; a warning says
    so.

    Args:
        inception_weights (str | None): pytorch-fid's
            ``pt_inception-2015-12-05-6726825d.pth``. None means
            ``data/pretrained/pt_inception-2015-12-05-6726825d.pth``. A
            missing file is an error at construction. Default: None.
        ids (bool): Also report P-IDS and U-IDS (needs scikit-learn).
            Default: True.
        real_stats_path (str, optional): File caching the ground truths'
            features (per image, keyed by pixel hash and by the feature
            extractor's identity, written atomically); a later run skips
            the network for cached images. Default: None (no cache).
        random_init (bool): Seeded untrained Inception instead of the
            file. For tests only: the values are not FID. Default: False.
        seed (int): Seed of ``random_init``. Default: 0.
        feature_extractor (Callable, optional): Replaces the Inception
            network: maps ``(n, 3, H, W)`` float RGB in [0, 1] to
            ``(n, D)`` features. To use ``real_stats_path`` it needs a
            ``cache_id`` string attribute. Default: None.
        device (str): Where the network runs: ``'auto'`` (CUDA if
            available), ``'cpu'``, ``'cuda'``, ... Default: ``'auto'``.
        pred_key (str): Field of the prediction. Default: ``'output'``.
        gt_key (str): Field of the ground truth. Default: ``'gt_img'``.
        collect_device (str): Where results are gathered in distributed
            runs. Default: ``'cpu'``.
        prefix (str, optional): Prefix of the reported names.
        collect_dir (str, optional): Temporary folder for gathering.
    """

    default_prefix = ''

    def __init__(self,
                 inception_weights: Optional[str] = None,
                 ids: bool = True,
                 real_stats_path: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0,
                 feature_extractor: Optional[Callable] = None,
                 device: str = 'auto',
                 pred_key: str = 'output',
                 gt_key: str = 'gt_img',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None):
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        if feature_extractor is None and not random_init:
            if inception_weights is None:
                inception_weights = FID_INCEPTION.default_path
            check_weight_file(inception_weights, FID_INCEPTION,
                              'inception_weights')
        if feature_extractor is not None and not callable(feature_extractor):
            raise TypeError('feature_extractor must be callable, got '
                            f'{type(feature_extractor).__name__}')
        if (real_stats_path is not None and feature_extractor is not None
                and not isinstance(
                    getattr(feature_extractor, 'cache_id', None), str)):
            raise ValueError(
                'real_stats_path needs to know the feature extractor: give '
                'the custom feature_extractor a `cache_id` string attribute')
        if ids and importlib.util.find_spec('sklearn') is None:
            raise ImportError(
                'FID(ids=True) needs scikit-learn for P-IDS/U-IDS: '
                'pip install scikit-learn, or set ids=False')
        self.inception_weights = inception_weights
        self.ids = ids
        self.random_init = random_init
        self.seed = seed
        self.device = resolve_device(device)
        self.pred_key = pred_key
        self.gt_key = gt_key
        self._custom_extractor = feature_extractor
        self._extractor = feature_extractor
        self._cache = None
        if real_stats_path is not None:
            self._cache = RealFeatureCache(real_stats_path,
                                           self._extractor_id())

    def _extractor_id(self) -> str:
        if self._custom_extractor is not None:
            return self._custom_extractor.cache_id
        if self.random_init:
            return f'FIDInceptionV3:random_init:seed={self.seed}'
        return (f'FIDInceptionV3:{FID_INCEPTION.filename}:sha256='
                f'{file_sha256(self.inception_weights)}')

    def _get_extractor(self) -> Callable:
        if self._extractor is None:
            net = FIDInceptionV3(self.inception_weights, self.random_init,
                                 self.seed)
            self._extractor = net.to(self.device)
        return self._extractor

    def _features(self, images: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Features of ``(H, W, 3)`` uint8 images, batched by shape."""
        extractor = self._get_extractor()
        out: List[Optional[np.ndarray]] = [None] * len(images)
        by_shape = {}
        for i, img in enumerate(images):
            if img.ndim != 3 or img.shape[-1] != 3:
                raise ValueError(
                    f'FID needs RGB images, got (H, W, C) = {img.shape}')
            by_shape.setdefault(img.shape, []).append(i)
        for idx in by_shape.values():
            batch = np.stack([images[i] for i in idx])
            batch = torch.from_numpy(batch).to(self.device)
            batch = batch.permute(0, 3, 1, 2).float() / 255.0
            with torch.no_grad():
                feats = extractor(batch)
            if feats.ndim != 2 or feats.shape[0] != len(idx):
                raise ValueError(
                    f'the feature extractor returned shape '
                    f'{tuple(feats.shape)} for {len(idx)} images; expected '
                    '(n, D)')
            feats = feats.float().cpu().numpy()
            for row, i in enumerate(idx):
                out[i] = feats[row]
        return out

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Extract the features of each sample's prediction and ground
        truth (the latter from the cache when possible).

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence[dict]): Data samples as dicts.
        """
        fakes, reals, hashes, real_feats = [], [], [], []
        for sample in data_samples:
            sample = as_sample_dict(sample)
            fakes.append(get_image(sample, self.pred_key))
            real = get_image(sample, self.gt_key)
            key = image_hash(real)
            hashes.append(key)
            cached = self._cache.lookup(key) if self._cache else None
            real_feats.append(cached)
            if cached is None:
                reals.append(real)
        fake_feats = self._features(fakes)
        computed = iter(self._features(reals) if reals else [])
        for fake, real, key in zip(fake_feats, real_feats, hashes):
            self.results.append(
                dict(
                    fake=fake,
                    real=next(computed) if real is None else real,
                    real_hash=key,
                    real_cached=real is not None))

    def compute_metrics(self, results: list) -> dict:
        """FID (and P-IDS/U-IDS) over all samples; updates the cache.

        Args:
            results (list[dict]): Per-sample features from
                :meth:`process`.

        Returns:
            dict[str, float]: ``FID`` and, with ``ids``, ``P-IDS`` and
            ``U-IDS``.

        Raises:
            ValueError: With fewer than 2 samples.
        """
        if len(results) < 2:
            raise ValueError('FID needs at least 2 images, got '
                             f'{len(results)}')
        real = np.stack([r['real'] for r in results])
        fake = np.stack([r['fake'] for r in results])
        if len(results) < real.shape[1]:
            print_log(
                f'FID from {len(results)} images of {real.shape[1]}-d '
                'features: the covariances are rank-deficient, so FID is '
                'biased upwards and only comparable at the same image '
                'count',
                logger='current',
                level=logging.WARNING)
        metrics = dict(FID=frechet_distance_of_features(fake, real))
        if self.ids:
            metrics['P-IDS'], metrics['U-IDS'] = pids_uids(real, fake)
        if self._cache is not None and not all(r['real_cached']
                                               for r in results):
            self._cache.save([r['real_hash'] for r in results], real)
        return metrics
