"""Finding edit directions from sampled W codes.

- GANSpace (Härkönen et al., "GANSpace: Discovering Interpretable GAN
  Controls", NeurIPS 2020): principal components of sampled ``w``.
- InterFaceGAN (Shen et al., "Interpreting the Latent Space of GANs for
  Semantic Face Editing", CVPR 2020): the normal of a linear boundary that
  separates ``w`` codes by a binary attribute. The boundary here is an
  L2-regularized logistic regression solved by Newton's method.
  :func:`project_out` is its conditional manipulation: removing from a
  normal its components along other attributes' normals, so moving along
  it leaves their linear scores unchanged.

Both are deterministic functions of their inputs (float64 arithmetic, no
random initialization); the randomness of direction finding lives in the
sampling of the codes, which takes a seed (see ``tools/find_directions.py``).
"""
from numbers import Integral
from typing import NamedTuple, Tuple

import torch
import torch.nn.functional as F

__all__ = [
    'GANSpaceResult', 'ganspace_directions', 'fit_logistic_regression',
    'interfacegan_direction', 'project_out'
]


class GANSpaceResult(NamedTuple):
    """Principal directions of sampled W codes.

    Attributes:
        directions (Tensor): ``(K, w_dim)`` float32 unit vectors, by
            decreasing variance.
        variance (Tensor): ``(K,)`` float32 variance of the codes along each
            direction (unbiased), decreasing.
        variance_ratio (Tensor): ``(K,)`` float32 share of the total
            variance, in [0, 1].
        mean (Tensor): ``(w_dim,)`` float32 mean code.
    """
    directions: torch.Tensor
    variance: torch.Tensor
    variance_ratio: torch.Tensor
    mean: torch.Tensor


def _check_codes(ws: torch.Tensor, min_rows: int) -> torch.Tensor:
    if not isinstance(ws, torch.Tensor) or not ws.is_floating_point():
        raise TypeError(f'ws must be a floating-point tensor, got '
                        f'{type(ws).__name__}')
    if ws.ndim != 2 or ws.shape[0] < min_rows or ws.shape[1] < 1:
        raise ValueError(f'ws must be (N, w_dim) with N >= {min_rows}, got '
                         f'{tuple(ws.shape)}')
    if not torch.isfinite(ws).all():
        raise ValueError('ws has non-finite values')
    return ws.detach().to('cpu', torch.float64)


def _fix_signs(vectors: torch.Tensor) -> torch.Tensor:
    """Flip each row so that its entry of largest magnitude is positive."""
    idx = vectors.abs().argmax(dim=1, keepdim=True)
    signs = torch.sign(vectors.gather(1, idx))
    signs[signs == 0] = 1
    return vectors * signs


def ganspace_directions(ws: torch.Tensor,
                        num_components: int) -> GANSpaceResult:
    """Principal components of sampled W codes (GANSpace).

    Args:
        ws (Tensor): ``(N, w_dim)`` codes, ``N >= 2``.
        num_components (int): K, in ``[1, min(N - 1, w_dim)]``.

    Returns:
        GANSpaceResult: unit directions ``(K, w_dim)`` sorted by decreasing
        variance, their variances and variance ratios ``(K,)`` and the mean
        code. The sign of each direction is fixed deterministically: its
        entry of largest magnitude is positive.

    Raises:
        TypeError: ``ws`` is not a floating tensor or ``num_components`` not
            an int.
        ValueError: bad shapes, non-finite values, ``num_components`` out of
            range, or codes with no variance.
    """
    x = _check_codes(ws, 2)
    n, dim = x.shape
    if isinstance(num_components, bool) or \
            not isinstance(num_components, Integral):
        raise TypeError(f'num_components must be an int, got '
                        f'{num_components!r}')
    limit = min(n - 1, dim)
    if not 1 <= num_components <= limit:
        raise ValueError(f'num_components must be in [1, {limit}] for '
                         f'{n} codes of size {dim}, got {num_components}')
    mean = x.mean(dim=0)
    centred = x - mean
    cov = centred.T @ centred / (n - 1)
    total = torch.trace(cov)
    if total <= 0:
        raise ValueError('the codes have no variance: every sample is the '
                         'same code')
    eigvals, eigvecs = torch.linalg.eigh(cov)  # ascending
    order = torch.arange(dim - 1, dim - 1 - num_components, -1)
    variance = eigvals[order].clamp_min(0)
    directions = _fix_signs(eigvecs[:, order].T)
    directions = directions / directions.norm(dim=1, keepdim=True)
    return GANSpaceResult(
        directions=directions.float(),
        variance=variance.float(),
        variance_ratio=(variance / total).float(),
        mean=mean.float())


def _check_labels(labels: torch.Tensor, n: int) -> torch.Tensor:
    if not isinstance(labels, torch.Tensor):
        raise TypeError(f'labels must be a tensor, got '
                        f'{type(labels).__name__}')
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError(f'labels must be ({n},), got '
                         f'{tuple(labels.shape)}')
    y = labels.detach().to('cpu', torch.float64)
    if not ((y == 0) | (y == 1)).all():
        raise ValueError('labels must be binary (bool or 0/1), got values '
                         f'{torch.unique(y)[:8].tolist()}')
    positives = int(y.sum())
    if positives in (0, n):
        raise ValueError(f'labels must contain both classes, got '
                         f'{positives} positive of {n}')
    return y


def _objective(x1: torch.Tensor, y_pm: torch.Tensor, theta: torch.Tensor,
               l2: float) -> torch.Tensor:
    margin = y_pm * (x1 @ theta)
    return F.softplus(-margin).mean() + 0.5 * l2 * theta[:-1].square().sum()


def fit_logistic_regression(x: torch.Tensor,
                            labels: torch.Tensor,
                            l2: float = 0.1,
                            max_iter: int = 100,
                            tol: float = 1e-10) -> Tuple[torch.Tensor, float]:
    """L2-regularized logistic regression by Newton's method.

    The features are centred and divided by one scalar (the root mean
    variance) before fitting, so ``l2`` does not depend on the scale of the
    codes; the result is mapped back to the original space. The objective
    is ``mean(log(1 + exp(-y (x . a + b)))) + l2 / 2 * |a|^2`` in the
    normalized space (``y`` in {-1, +1}); it is strictly convex for
    ``l2 > 0``, and each Newton step is damped by backtracking, so the
    solution is unique and the same for the same input.

    Args:
        x (Tensor): ``(N, D)`` features.
        labels (Tensor): ``(N,)`` bool or 0/1, both classes present.
        l2 (float): Regularization weight, > 0.
        max_iter (int): Maximum Newton steps.
        tol (float): Stop when the gradient's largest entry is below this.

    Returns:
        tuple: ``weight`` ``(D,)`` float64 and ``bias`` (float) such that
        ``x @ weight + bias > 0`` predicts label 1.

    Raises:
        TypeError / ValueError: bad shapes, values or arguments.
    """
    feats = _check_codes(x, 2)
    y = _check_labels(labels, feats.shape[0])
    if not l2 > 0:
        raise ValueError(f'l2 must be > 0, got {l2!r}')
    if isinstance(max_iter, bool) or not isinstance(max_iter, Integral) \
            or max_iter < 1:
        raise ValueError(f'max_iter must be a positive int, got {max_iter!r}')
    n, dim = feats.shape
    mean = feats.mean(dim=0)
    scale = (feats - mean).square().mean().sqrt()
    if scale <= 0:
        raise ValueError('the features have no variance: every sample is '
                         'the same point')
    x1 = torch.cat([(feats - mean) / scale, feats.new_ones(n, 1)], dim=1)
    y_pm = 2 * y - 1
    reg = torch.full((dim + 1, ), float(l2), dtype=torch.float64)
    reg[-1] = 0
    theta = torch.zeros(dim + 1, dtype=torch.float64)
    loss = _objective(x1, y_pm, theta, l2)
    for _ in range(max_iter):
        p = torch.sigmoid(x1 @ theta)
        grad = x1.T @ (p - y) / n + reg * theta
        if grad.abs().max() < tol:
            break
        hess = (x1.T * (p * (1 - p))) @ x1 / n + torch.diag(reg + 1e-12)
        step = torch.linalg.solve(hess, grad)
        t = 1.0
        while True:
            new_theta = theta - t * step
            new_loss = _objective(x1, y_pm, new_theta, l2)
            if new_loss <= loss - 1e-4 * t * (grad @ step) or t < 1e-8:
                break
            t *= 0.5
        theta, loss = new_theta, new_loss
    weight = theta[:-1] / scale
    bias = float(theta[-1] - weight @ mean)
    return weight, bias


def interfacegan_direction(ws: torch.Tensor,
                           labels: torch.Tensor,
                           l2: float = 0.1) -> torch.Tensor:
    """Unit normal of a linear boundary separating codes by an attribute.

    Args:
        ws (Tensor): ``(N, w_dim)`` codes.
        labels (Tensor): ``(N,)`` bool or 0/1 attribute labels, both
            classes present.
        l2 (float): Regularization of the logistic regression (see
            :func:`fit_logistic_regression`).

    Returns:
        Tensor: ``(w_dim,)`` float32 unit vector pointing towards label 1
        (moving along it raises the attribute).

    Raises:
        TypeError / ValueError: bad shapes, values or a single class.
    """
    weight, _ = fit_logistic_regression(ws, labels, l2=l2)
    norm = weight.norm()
    if norm <= 0:
        raise ValueError('the labels carry no linear signal: the boundary '
                         'normal is zero')
    return (weight / norm).float()


def project_out(direction: torch.Tensor,
                others: torch.Tensor) -> torch.Tensor:
    """Remove the span of other directions from a direction.

    InterFaceGAN's conditional manipulation: ``d' = d - Q Q^T d`` with
    ``Q`` an orthonormal basis of ``others``, renormalized, so that
    ``d' . o = 0`` for every row ``o`` of ``others``.

    Args:
        direction (Tensor): ``(D,)`` direction.
        others (Tensor): ``(M, D)`` directions to be orthogonal to, linearly
            independent, ``M < D``.

    Returns:
        Tensor: ``(D,)`` float32 unit vector.

    Raises:
        ValueError: bad shapes, dependent ``others``, or a direction that
            lies in their span.
    """
    if not isinstance(direction, torch.Tensor) or direction.ndim != 1:
        raise ValueError(f'direction must be a (D,) tensor, got '
                         f'{getattr(direction, "shape", type(direction))}')
    d = _check_codes(direction.reshape(1, -1), 1)[0]
    basis = _check_codes(others, 1)
    if basis.shape[1] != d.shape[0] or basis.shape[0] >= d.shape[0]:
        raise ValueError(f'others must be (M, {d.shape[0]}) with M < '
                         f'{d.shape[0]}, got {tuple(others.shape)}')
    q, r = torch.linalg.qr(basis.T)
    if r.diagonal().abs().min() <= 1e-8 * basis.norm(dim=1).max():
        raise ValueError('the directions to project out are linearly '
                         'dependent (or zero)')
    rest = d - q @ (q.T @ d)
    if rest.norm() <= 1e-6 * d.norm():
        raise ValueError('the direction lies in the span of the others: '
                         'nothing is left after projecting them out')
    return (rest / rest.norm()).float()
