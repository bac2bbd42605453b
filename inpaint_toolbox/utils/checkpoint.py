"""Safe checkpoint reading and atomic checkpoint writing.

Every checkpoint the toolbox reads goes through :func:`safe_load`, which calls
``torch.load(weights_only=True)`` with an explicit allow-list of the few
non-tensor classes our checkpoints hold (mmengine's ``HistoryBuffer`` and the
numpy arrays and scalars inside it). A file whose unpickling would import or
call anything else is refused with :class:`UnsafeCheckpointError`; nothing in
it runs, and there is no fallback to full unpickling.

:func:`install` makes mmengine use :func:`safe_load` for local files (resume,
``load_from``, ``tools/test.py``) and registers the ``atomic_local`` file
backend whose writes go to a temporary file in the same folder that is then
renamed over the target, so a killed run never leaves a truncated checkpoint.
"""
import io
import os
import os.path as osp
import pickle
from typing import Callable, List, Optional, Union

import numpy as np
import torch
from mmengine.fileio import LocalBackend, register_backend
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .atomic import atomic_write

__all__ = [
    'UnsafeCheckpointError', 'safe_load', 'atomic_save', 'install',
    'safe_globals'
]


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects outside the allow-list; nothing was run."""


def safe_globals() -> List:
    """The exact classes and functions a toolbox checkpoint may reference.

    Returns:
        list: objects for :func:`torch.serialization.safe_globals`.
    """
    # numpy arrays and scalars (HistoryBuffer keeps its history in arrays).
    try:
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct, scalar
    dtype_classes = [type(np.dtype(t)) for t in (
        np.float64, np.float32, np.float16, np.int64, np.int32, np.int16,
        np.int8, np.uint8, np.bool_)]
    return [HistoryBuffer, _reconstruct, scalar, np.ndarray, np.dtype
            ] + dtype_classes


def safe_load(source: Union[str, os.PathLike, 'io.BufferedIOBase'],
              map_location: Optional[Union[str, Callable,
                                           torch.device]] = 'cpu'):
    """Load a checkpoint without running code from it.

    Args:
        source: a path or a binary file object.
        map_location: as in :func:`torch.load`.

    Returns:
        The loaded object (usually a dict of tensors and plain containers).

    Raises:
        FileNotFoundError: the path does not exist.
        UnsafeCheckpointError: unpickling would import or call something
            that is not on the allow-list; the message names it.
        ValueError: the file is not a readable torch checkpoint.
    """
    name = str(source) if isinstance(source, (str, os.PathLike)) else \
        getattr(source, 'name', '<stream>')
    if isinstance(source, (str, os.PathLike)) and not osp.isfile(source):
        raise FileNotFoundError(f'checkpoint not found: {name}')
    try:
        with torch.serialization.safe_globals(safe_globals()):
            return torch.load(
                source, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(
            f'refusing to load {name}: it references objects outside the '
            'allow-list of toolbox checkpoints, and loading them could run '
            f'code. Nothing from the file was executed. Details: {err}'
        ) from None
    except (RuntimeError, EOFError, OSError) as err:
        raise ValueError(
            f'{name} is not a readable checkpoint (truncated or corrupt?): '
            f'{err}') from None


def atomic_save(obj, path: Union[str, os.PathLike]) -> None:
    """``torch.save`` to a temporary file, then rename it over ``path``.

    Args:
        obj: what to save.
        path: target file; its folder is created if needed.
    """
    with io.BytesIO() as buf:
        torch.save(obj, buf)
        atomic_write(path, buf.getvalue())


class AtomicLocalBackend(LocalBackend):
    """Local file backend whose writes are atomic (temp file + rename).

    Select it with ``backend_args=dict(backend='atomic_local')`` in the
    ``CheckpointHook`` config (the toolbox's default runtime does).
    """

    def put(self, obj: bytes, filepath) -> None:
        atomic_write(filepath, obj)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write(filepath, obj.encode(encoding))


def _load_from_local(filename, map_location):
    filename = osp.expanduser(filename)
    return safe_load(filename, map_location=map_location)


_INSTALLED = False


def install() -> None:
    """Route mmengine's local checkpoint loading through :func:`safe_load`
    and register the ``atomic_local`` file backend. Idempotent."""
    global _INSTALLED
    if _INSTALLED:
        return
    CheckpointLoader.register_scheme(
        prefixes='', loader=_load_from_local, force=True)
    register_backend('atomic_local', AtomicLocalBackend, force=True)
    _INSTALLED = True
