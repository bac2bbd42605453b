"""Frechet distance between two Gaussians (the arithmetic of FID)."""
import numpy as np


def feature_stats(feats):
    """Mean and covariance of a feature set, as FID uses them.

    Args:
        feats (array-like): ``(N, D)`` features, ``N >= 2``.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``mu`` ``(D,)`` and ``sigma``
        ``(D, D)`` (unbiased, ``ddof=1``), float64.

    Raises:
        ValueError: If ``feats`` is not 2-D or has fewer than 2 rows.
    """
    feats = np.asarray(feats, dtype=np.float64)
    if feats.ndim != 2 or feats.shape[0] < 2:
        raise ValueError('feature statistics need an (N, D) array with '
                         f'N >= 2, got shape {feats.shape}')
    return feats.mean(axis=0), np.cov(feats, rowvar=False)


def _psd_sqrt(matrix):
    """Symmetric square root of a symmetric positive semi-definite matrix
    (negative rounding-error eigenvalues clipped to 0)."""
    vals, vecs = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def trace_sqrt_product(sigma1, sigma2):
    """``trace(sqrtm(sigma1 @ sigma2))`` for covariance matrices.

    ``sigma1 @ sigma2`` is similar to the symmetric PSD matrix
    ``S @ sigma2 @ S`` with ``S = sqrtm(sigma1)``, so the trace is the sum
    of the square roots of that matrix's eigenvalues. This route needs
    only symmetric eigen-decompositions and stays real and finite for
    singular covariances (fewer samples than dimensions).

    Args:
        sigma1 (np.ndarray): ``(D, D)`` symmetric PSD.
        sigma2 (np.ndarray): ``(D, D)`` symmetric PSD.

    Returns:
        float: The trace, >= 0.
    """
    root1 = _psd_sqrt(sigma1)
    middle = root1 @ sigma2 @ root1
    vals = np.linalg.eigvalsh((middle + middle.T) / 2)
    return float(np.sqrt(np.clip(vals, 0, None)).sum())


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Frechet (2-Wasserstein) distance between two Gaussians.

    ``|mu1 - mu2|^2 + tr(sigma1) + tr(sigma2) - 2 tr(sqrtm(sigma1
    sigma2))``; FID is this distance between Inception-feature Gaussians
    of real and generated images.

    Args:
        mu1 (array-like): ``(D,)`` mean of the first set.
        sigma1 (array-like): ``(D, D)`` covariance of the first set.
        mu2 (array-like): ``(D,)`` mean of the second set.
        sigma2 (array-like): ``(D, D)`` covariance of the second set.

    Returns:
        float: The squared distance, >= 0 up to rounding.

    Raises:
        ValueError: On inconsistent shapes or non-finite values.
    """
    mu1, mu2 = (np.asarray(m, dtype=np.float64) for m in (mu1, mu2))
    sigma1, sigma2 = (
        np.asarray(s, dtype=np.float64) for s in (sigma1, sigma2))
    dim = mu1.shape[0] if mu1.ndim == 1 else -1
    for name, arr, shape in (('mu1', mu1, (dim, )), ('mu2', mu2, (dim, )),
                             ('sigma1', sigma1, (dim, dim)), ('sigma2', sigma2,
                                                              (dim, dim))):
        if dim < 1 or arr.shape != shape:
            raise ValueError(f'{name} must have shape {shape} (D from mu1 '
                             f'{mu1.shape}), got {arr.shape}')
        if not np.isfinite(arr).all():
            raise ValueError(f'{name} has non-finite values')
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2 * trace_sqrt_product(sigma1, sigma2))


def frechet_distance_of_features(feats1, feats2):
    """Frechet distance between the Gaussians fit to two feature sets.

    Equal to ``frechet_distance(*feature_stats(feats1),
    *feature_stats(feats2))``. When both sets have fewer rows than
    dimensions (FID from a small evaluation set) it avoids the ``(D, D)``
    matrices: with centred, ``1 / sqrt(N - 1)``-scaled features ``A`` and
    ``B`` (so ``sigma1 = A^T A``), ``tr(sqrtm(sigma1 sigma2))`` is the sum
    of the singular values of ``A B^T``, an ``(N1, N2)`` matrix.

    Args:
        feats1 (array-like): ``(N1, D)`` features, ``N1 >= 2``.
        feats2 (array-like): ``(N2, D)`` features, ``N2 >= 2``.

    Returns:
        float: The squared Frechet distance, >= 0 up to rounding.

    Raises:
        ValueError: On bad shapes or different feature dimensions.
    """
    feats1 = np.asarray(feats1, dtype=np.float64)
    feats2 = np.asarray(feats2, dtype=np.float64)
    for name, feats in (('feats1', feats1), ('feats2', feats2)):
        if feats.ndim != 2 or feats.shape[0] < 2:
            raise ValueError(f'{name} must be (N, D) with N >= 2, got shape '
                             f'{feats.shape}')
    if feats1.shape[1] != feats2.shape[1]:
        raise ValueError('feature dimensions differ: '
                         f'{feats1.shape} and {feats2.shape}')
    if max(len(feats1), len(feats2)) >= feats1.shape[1]:
        return frechet_distance(*feature_stats(feats1), *feature_stats(feats2))
    mu1, mu2 = feats1.mean(axis=0), feats2.mean(axis=0)
    a = (feats1 - mu1) / np.sqrt(len(feats1) - 1)
    b = (feats2 - mu2) / np.sqrt(len(feats2) - 1)
    diff = mu1 - mu2
    trace_sqrt = np.linalg.svd(a @ b.T, compute_uv=False).sum()
    return float(diff @ diff + (a * a).sum() + (b * b).sum() - 2 * trace_sqrt)
