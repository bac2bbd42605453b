"""Paired comparison of two methods scored on the same images."""
from typing import Dict, Sequence

import numpy as np

__all__ = ['paired_difference']


def paired_difference(base: Sequence[float],
                      other: Sequence[float],
                      higher_is_better: bool,
                      num_resamples: int = 10_000,
                      confidence: float = 0.95,
                      seed: int = 0) -> Dict[str, float]:
    """How much ``other`` improves on ``base``, image by image.

    Both methods are scored on the same images (``base[i]`` and
    ``other[i]`` belong to image ``i``), so the per-image differences carry
    the comparison: a shared hard image moves both scores and cancels out.
    The confidence interval of the mean difference is a percentile
    bootstrap over images with a fixed seed, so a report is reproducible.

    Args:
        base (sequence of float): Per-image scores of the reference method.
        other (sequence of float): Per-image scores of the compared method.
        higher_is_better (bool): ``True`` for PSNR-like scores, ``False``
            for errors. The difference is signed so that positive always
            means ``other`` is better.
        num_resamples (int): Bootstrap resamples. Defaults to 10000.
        confidence (float): Interval mass in (0, 1). Defaults to 0.95.
        seed (int): Bootstrap seed. Defaults to 0.

    Returns:
        dict: ``mean`` (mean improvement), ``ci_low`` / ``ci_high`` (its
        interval), ``better`` / ``worse`` / ``num`` (image counts).
    """
    a = np.asarray(base, dtype=np.float64)
    b = np.asarray(other, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ValueError('paired_difference needs two non-empty 1-D score '
                         f'lists of the same length, got shapes {a.shape} '
                         f'and {b.shape}')
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError('paired_difference got a non-finite score')
    if not 0.0 < confidence < 1.0:
        raise ValueError(f'confidence must be in (0, 1), got {confidence}')
    if num_resamples < 1:
        raise ValueError(f'num_resamples must be >= 1, got {num_resamples}')
    diff = b - a if higher_is_better else a - b
    rng = np.random.default_rng(seed)
    # resample in chunks: at most about 4M indices in memory at once
    step = max(1, (1 << 22) // diff.size)
    chunks = []
    for start in range(0, num_resamples, step):
        n = min(step, num_resamples - start)
        idx = rng.integers(0, diff.size, size=(n, diff.size))
        chunks.append(diff[idx].mean(axis=1))
    means = np.concatenate(chunks)
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return dict(
        mean=float(diff.mean()),
        ci_low=float(low),
        ci_high=float(high),
        better=int((diff > 0).sum()),
        worse=int((diff < 0).sum()),
        num=int(diff.size))
