"""Latent directions for editing StyleGAN2 codes in W+.

A direction is a ``(w_dim,)`` vector (the same offset for every W+ code) or
an ``(n_latent, w_dim)`` tensor (one offset per code), restricted to a range
of W+ layers ``[start, stop)``. Editing adds ``strength * direction`` to the
codes of that range and leaves the others untouched, so an edit is linear
in the strength and a zero strength is the identity.

Files hold plain tensors, ints and strings (see :func:`save_direction`) and
load with :func:`inpaint_toolbox.utils.checkpoint.safe_load`.
"""
import os
import os.path as osp
from numbers import Integral, Real
from typing import Optional, Sequence, Tuple, Union

import torch

from inpaint_toolbox.utils.checkpoint import atomic_save, safe_load

__all__ = ['LatentDirection', 'save_direction', 'load_direction']

PathLike = Union[str, os.PathLike]
FORMAT = 'inpaint_toolbox.LatentDirection'
FORMAT_VERSION = 1


def _check_layers(layers: Optional[Sequence[int]],
                  name: str) -> Optional[Tuple[int, int]]:
    """Validate a ``(start, stop)`` W+ layer range (None: all layers)."""
    if layers is None:
        return None
    if (not isinstance(layers, (tuple, list)) or len(layers) != 2
            or not all(isinstance(v, Integral) and not isinstance(v, bool)
                       for v in layers)):
        raise TypeError(f'direction {name!r}: layers must be None or a '
                        f'(start, stop) pair of ints, got {layers!r}')
    start, stop = int(layers[0]), int(layers[1])
    if not 0 <= start < stop:
        raise ValueError(f'direction {name!r}: layers must satisfy 0 <= '
                         f'start < stop, got {(start, stop)}')
    return start, stop


class LatentDirection:
    """An edit direction in W+ with a layer range.

    Args:
        direction (Tensor): ``(w_dim,)`` offset shared by every code, or
            ``(n_latent, w_dim)`` per-code offsets; finite floats. Stored as
            a float32 copy on the CPU.
        layers (tuple[int, int], optional): W+ codes ``[start, stop)`` that
            the edit changes (Python slice semantics, ``0 <= start <
            stop``). None: every code.
        name (str): Name used in messages and files (e.g. ``'smile'``).

    Raises:
        TypeError: ``direction`` is not a floating tensor, ``layers`` is not
            a pair of ints or ``name`` not a string.
        ValueError: wrong number of dimensions, non-finite values, an empty
            or reversed layer range, or a range past a per-code direction's
            ``n_latent``.
    """

    def __init__(self,
                 direction: torch.Tensor,
                 layers: Optional[Sequence[int]] = None,
                 name: str = ''):
        if not isinstance(name, str):
            raise TypeError(f'name must be a str, got {name!r}')
        if not isinstance(direction, torch.Tensor) or \
                not direction.is_floating_point():
            raise TypeError(f'direction {name!r} must be a floating-point '
                            f'tensor, got {type(direction).__name__} '
                            f'{getattr(direction, "dtype", "")}')
        if direction.ndim not in (1, 2) or direction.numel() == 0:
            raise ValueError(f'direction {name!r} must be (w_dim,) or '
                             f'(n_latent, w_dim), got shape '
                             f'{tuple(direction.shape)}')
        if not torch.isfinite(direction).all():
            raise ValueError(f'direction {name!r} has non-finite values')
        self.name = name
        self.direction = direction.detach().to('cpu', torch.float32).clone()
        self.layers = _check_layers(layers, name)
        if self.layers is not None and self.n_latent is not None \
                and self.layers[1] > self.n_latent:
            raise ValueError(
                f'direction {name!r}: layers {self.layers} go past its '
                f'{self.n_latent} codes')

    @property
    def w_dim(self) -> int:
        """Size of one W code."""
        return int(self.direction.shape[-1])

    @property
    def n_latent(self) -> Optional[int]:
        """Number of codes of a per-code direction; None for ``(w_dim,)``."""
        return int(self.direction.shape[0]) if self.direction.ndim == 2 \
            else None

    def layer_slice(self, n_latent: int) -> slice:
        """The codes changed in a W+ of ``n_latent`` codes.

        Args:
            n_latent (int): Number of W+ codes of the generator.

        Returns:
            slice: ``[start, stop)`` (``[0, n_latent)`` for all layers).

        Raises:
            ValueError: the range or a per-code direction does not fit
                ``n_latent``.
        """
        if self.n_latent is not None and self.n_latent != n_latent:
            raise ValueError(
                f'direction {self.name!r} has {self.n_latent} codes, the '
                f'latent has {n_latent}')
        if self.layers is None:
            return slice(0, n_latent)
        start, stop = self.layers
        if stop > n_latent:
            raise ValueError(
                f'direction {self.name!r}: layers {self.layers} go past the '
                f'{n_latent} codes of the latent')
        return slice(start, stop)

    def offset(self, n_latent: int) -> torch.Tensor:
        """The edit for unit strength as a full W+ offset.

        Args:
            n_latent (int): Number of W+ codes.

        Returns:
            Tensor: ``(n_latent, w_dim)`` float32, zero outside the layer
            range.
        """
        sl = self.layer_slice(n_latent)
        out = torch.zeros(n_latent, self.w_dim)
        out[sl] = self.direction[sl] if self.n_latent is not None \
            else self.direction
        return out

    def apply(self, ws: torch.Tensor,
              strength: Union[float, torch.Tensor]) -> torch.Tensor:
        """Move latents along the direction.

        Args:
            ws (Tensor): ``(B, n_latent, w_dim)`` W+ codes.
            strength (float | Tensor): one strength, or ``(B,)`` strengths
                (one per latent).

        Returns:
            Tensor: ``(B, n_latent, w_dim)``, ``ws + strength * direction``
            on the layer range and ``ws`` elsewhere; a new tensor (``ws`` is
            not modified) that keeps the autograd graph of ``ws``.

        Raises:
            TypeError: ``ws`` is not a floating tensor or ``strength`` is
                neither a real number nor a tensor.
            ValueError: shapes that do not fit (named in the message) or a
                non-finite strength.
        """
        if not isinstance(ws, torch.Tensor) or not ws.is_floating_point():
            raise TypeError(f'ws must be a floating-point tensor, got '
                            f'{type(ws).__name__}')
        if ws.ndim != 3 or ws.shape[2] != self.w_dim:
            raise ValueError(
                f'direction {self.name!r}: ws must be (B, n_latent, '
                f'{self.w_dim}), got {tuple(ws.shape)}')
        batch, n_latent = ws.shape[:2]
        if isinstance(strength, torch.Tensor):
            if strength.numel() != 1 and tuple(strength.shape) != (batch, ):
                raise ValueError(
                    f'direction {self.name!r}: strength must be a number or '
                    f'a ({batch},) tensor, got {tuple(strength.shape)}')
            scale = strength.to(ws).reshape(-1, 1, 1)
        elif isinstance(strength, Real) and not isinstance(strength, bool):
            scale = float(strength)
        else:
            raise TypeError(f'strength must be a number or a tensor, got '
                            f'{strength!r}')
        if not torch.isfinite(torch.as_tensor(scale)).all():
            raise ValueError(f'direction {self.name!r}: strength must be '
                             f'finite, got {strength!r}')
        offset = self.offset(n_latent).to(ws)
        return ws + scale * offset

    def to_dict(self) -> dict:
        """Plain tensors, ints and strings for :func:`save_direction`."""
        return dict(
            format=FORMAT,
            version=FORMAT_VERSION,
            name=self.name,
            direction=self.direction.clone(),
            layers=None if self.layers is None else list(self.layers))

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(name={self.name!r}, shape='
                f'{tuple(self.direction.shape)}, layers={self.layers})')


def save_direction(path: PathLike, direction: LatentDirection) -> str:
    """Write a direction to a torch file (atomically; folders are made).

    The file holds ``dict(format, version, name, direction, layers)``:
    strings, ints, a float32 tensor and None or ``[start, stop]``.

    Args:
        path (str | PathLike): Target file, usually ``*.pth``.
        direction (LatentDirection): The direction.

    Returns:
        str: The path written.

    Raises:
        TypeError: ``direction`` is not a :class:`LatentDirection`.
    """
    if not isinstance(direction, LatentDirection):
        raise TypeError(f'expected a LatentDirection, got '
                        f'{type(direction).__name__}')
    path = os.fspath(path)
    atomic_save(direction.to_dict(), path)
    return path


def load_direction(path: PathLike,
                   w_dim: Optional[int] = None,
                   n_latent: Optional[int] = None) -> LatentDirection:
    """Read a direction written by :func:`save_direction`.

    A bare tensor file (``torch.save(tensor)``) also loads: it becomes a
    direction on every layer named after the file.

    Args:
        path (str | PathLike): Direction file.
        w_dim (int, optional): If given, the W size the direction must have.
        n_latent (int, optional): If given, the number of W+ codes of the
            generator it will edit: a per-code direction must have as many,
            and the layer range must fit.

    Returns:
        LatentDirection: The direction (float32, CPU).

    Raises:
        FileNotFoundError: ``path`` does not exist (named in the message).
        ValueError: the file is not a direction, or its shape or layer range
            is wrong or does not fit ``w_dim`` / ``n_latent``; the message
            names the file.
    """
    path = os.fspath(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'direction file not found: {path}')
    obj = safe_load(path)
    stem = osp.splitext(osp.basename(path))[0]
    if isinstance(obj, torch.Tensor):
        obj = dict(direction=obj, layers=None, name=stem)
    if not isinstance(obj, dict) or 'direction' not in obj:
        keys = sorted(obj)[:8] if isinstance(obj, dict) else \
            type(obj).__name__
        raise ValueError(f'{path} is not a latent direction file (expected '
                         f"a dict with 'direction' written by "
                         f'save_direction, found {keys})')
    version = obj.get('version', FORMAT_VERSION)
    if obj.get('format', FORMAT) != FORMAT or isinstance(version, bool) \
            or not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(f'{path}: unsupported direction format '
                         f'{obj.get("format")!r} version {version!r} '
                         f'(this toolbox reads {FORMAT!r} up to version '
                         f'{FORMAT_VERSION})')
    try:
        direction = LatentDirection(obj['direction'], layers=obj.get(
            'layers'), name=obj.get('name') or stem)
    except (TypeError, ValueError) as err:
        raise ValueError(f'{path}: invalid direction: {err}') from None
    if w_dim is not None and direction.w_dim != w_dim:
        raise ValueError(f'{path}: direction {direction.name!r} has shape '
                         f'{tuple(direction.direction.shape)}, expected '
                         f'w_dim {w_dim}')
    if n_latent is not None:
        try:
            direction.layer_slice(n_latent)
        except ValueError as err:
            raise ValueError(f'{path}: {err}') from None
    return direction
