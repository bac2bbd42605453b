"""Diversity of the several completions a stochastic model gives."""
import logging
from typing import Optional

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from inpaint_toolbox.registry import METRICS
from ..feature_nets import LPIPSNet
from ..functional import diversity
from ..functional.diversity import DISTANCES
from .base_image_metric import check_mask_mode
from .feature_net_utils import lpips_net_args, resolve_device
from .sample_utils import as_sample_dict, get_mask


def get_sample_stack(sample: dict, key: str) -> np.ndarray:
    """An ``(N, 3, H, W)`` field as quantized ``(N, H, W, 3)`` uint8.

    Args:
        sample (dict): Data sample fields.
        key (str): Field name, e.g. ``'outputs'``.

    Returns:
        np.ndarray: ``(N, H, W, 3)`` uint8, clipped and rounded like saved
        images.
    """
    if key not in sample:
        raise KeyError(f'data sample has no {key!r}; keys: {sorted(sample)}')
    value = sample[key]
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    value = np.asarray(value)
    if value.ndim != 4 or value.shape[1] != 3:
        raise ValueError(
            f'{key!r} must be (N, 3, H, W), got shape {value.shape}')
    if value.dtype != np.uint8:
        value = np.clip(np.rint(value.astype(np.float64)), 0, 255)
        value = value.astype(np.uint8)
    return value.transpose(0, 2, 3, 1)


@METRICS.register_module()
class Diversity(BaseMetric):
    """Mean pairwise distance between the samples of each input, averaged
    over the evaluation set (higher = more diverse).

    Each data sample carries its completions in ``samples_key`` (default
    ``'outputs'``, ``(N, 3, H, W)`` in [0, 255], ``N >= 2``); see
    :func:`inpaint_toolbox.evaluation.functional.diversity`. Reported as
    ``Diversity_LPIPS`` or ``Diversity_L1``, with ``_hole`` appended for
    ``mask_mode='hole'`` (distance over the hole only; samples with an
    empty mask are skipped).

    Args:
        distance (str): ``'lpips'`` or ``'l1'`` (mean absolute difference
            / 255). Default: ``'lpips'``.
        mask_mode (str): ``'all'`` or ``'hole'``. Default: ``'all'``.
        samples_key (str): Field of the samples. Default: ``'outputs'``.
        mask_key (str): Field of the mask. Default: ``'mask'``.
        net (str): LPIPS backbone, ``'alex'`` or ``'vgg'``.
        backbone_weights (str | None): See :class:`LPIPS`.
        lin_weights (str | None): See :class:`LPIPS`.
        random_init (bool): Untrained LPIPS network; tests only.
        seed (int): Seed of ``random_init``.
        device (str): ``'auto'``, ``'cpu'``, ``'cuda'``, ...
        collect_device (str): Where results are gathered in distributed
            runs. Default: ``'cpu'``.
        prefix (str, optional): Prefix of the reported name.
        collect_dir (str, optional): Temporary folder for gathering.
    """

    default_prefix = ''

    def __init__(self,
                 distance: str = 'lpips',
                 mask_mode: str = 'all',
                 samples_key: str = 'outputs',
                 mask_key: str = 'mask',
                 net: str = 'alex',
                 backbone_weights: Optional[str] = None,
                 lin_weights: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0,
                 device: str = 'auto',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None):
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        if distance not in DISTANCES:
            raise ValueError(
                f'distance must be one of {DISTANCES}, got {distance!r}')
        self.distance = distance
        self.mask_mode = check_mask_mode(mask_mode)
        self.samples_key = samples_key
        self.mask_key = mask_key
        self._net_args = None
        if distance == 'lpips':
            self._net_args = lpips_net_args(net, backbone_weights, lin_weights,
                                            random_init, seed)
        self.device = resolve_device(device)
        self._net = None
        suffix = '_hole' if mask_mode == 'hole' else ''
        self.name = f'Diversity_{distance.upper()}{suffix}'

    @property
    def net(self) -> Optional[LPIPSNet]:
        """The LPIPS network (built on first use), None for ``'l1'``."""
        if self._net is None and self._net_args is not None:
            self._net = LPIPSNet(**self._net_args).to(self.device)
        return self._net

    def process(self, data_batch, data_samples) -> None:
        """Score each data sample's completions (None when skipped).

        Args:
            data_batch (Any): The batch from the dataloader (unused).
            data_samples (Sequence[dict]): Data samples as dicts.
        """
        for sample in data_samples:
            sample = as_sample_dict(sample)
            samples = get_sample_stack(sample, self.samples_key)
            mask = None
            if self.mask_mode == 'hole':
                mask = get_mask(sample, self.mask_key)
                if not np.any(mask):
                    self.results.append(None)
                    continue
            self.results.append(
                diversity(samples, mask, self.distance, self.net))

    def compute_metrics(self, results: list) -> dict:
        """Average the per-input scores.

        Args:
            results (list[float | None]): One entry per data sample.

        Returns:
            dict[str, float]: ``{name: mean}``, or ``{}`` if none scored.
        """
        values = [v for v in results if v is not None]
        skipped = len(results) - len(values)
        if skipped:
            print_log(
                f'{self.name}: skipped {skipped} of {len(results)} samples '
                'whose mask has no hole pixels',
                logger='current',
                level=logging.WARNING)
        if not values:
            return {}
        return {self.name: float(np.mean(values))}
