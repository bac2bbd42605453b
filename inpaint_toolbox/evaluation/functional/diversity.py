"""Diversity of several completions of one input."""
import numpy as np
import torch

from ._checks import as_hole_mask
from .lpips import images_to_lpips_input, mask_to_lpips_input, net_device

DISTANCES = ('l1', 'lpips')


def _as_sample_stack(samples):
    samples = np.asarray(samples)
    if samples.ndim != 4 or samples.shape[0] < 2 or samples.shape[-1] != 3:
        raise ValueError('diversity needs (N, H, W, 3) samples with N >= 2, '
                         f'got shape {samples.shape}')
    return samples


def diversity(samples, mask=None, distance='l1', net=None):
    """Mean pairwise distance between the samples of one input.

    Args:
        samples (array-like): ``(N, H, W, 3)``, ``N >= 2`` completions of
            the same input, uint8 or float in [0, 255].
        mask (array-like, optional): ``(H, W)`` or ``(H, W, 1)`` in {0, 1},
            1 = hole; restricts the distance to the hole (``'l1'``: mean
            over hole pixels; ``'lpips'``: hole-weighted spatial average,
            see :func:`lpips`). Default: None (whole image).
        distance (str): ``'l1'`` (mean absolute difference divided by 255,
            in [0, 1]) or ``'lpips'``. Default: ``'l1'``.
        net (LPIPSNet, optional): Required for ``'lpips'``.

    Returns:
        float: Mean over the ``N (N - 1) / 2`` unordered pairs; 0 when all
        samples are equal.

    Raises:
        ValueError: On a bad shape, an unknown distance, a missing
            network, or a mask without hole pixels.
    """
    if distance not in DISTANCES:
        raise ValueError(
            f'distance must be one of {DISTANCES}, got {distance!r}')
    samples = _as_sample_stack(samples)
    hole = None if mask is None else as_hole_mask(mask, samples.shape[1:])
    n = samples.shape[0]
    if distance == 'l1':
        flat = samples.astype(np.float64)
        if hole is not None:
            flat = flat[:, hole]
        flat = flat.reshape(n, -1)
        pair_means = [
            np.abs(flat[i] - flat[i + 1:]).mean(axis=1) for i in range(n - 1)
        ]
        return float(np.concatenate(pair_means).mean()) / 255.0
    if net is None:
        raise ValueError("distance='lpips' needs an LPIPS network (net=...)")
    device = net_device(net)
    weights = None if hole is None else mask_to_lpips_input(hole, device)
    with torch.no_grad():
        feats = net.features(images_to_lpips_input(samples, device))
        dists = []
        for i in range(n - 1):
            first = [f[i:i + 1].expand_as(f[i + 1:]) for f in feats]
            rest = [f[i + 1:] for f in feats]
            dists.append(net.distance_from_features(first, rest, weights))
    return float(torch.cat(dists).mean())
