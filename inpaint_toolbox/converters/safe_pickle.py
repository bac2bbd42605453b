"""Read pickled checkpoints without running them: NVIDIA stylegan2-ada-pytorch
network pickles and torch checkpoints that hold a few data classes.

NVIDIA's ``network-snapshot-*.pkl`` files are plain pickles of
``dict(G=..., D=..., G_ema=..., augment_pipe=..., training_set_kwargs=...)``.
Their networks are "persistent" objects: each reduces to
``torch_utils.persistence._reconstruct_persistent_obj(meta)`` where ``meta``
holds the Python source code of the defining module (``module_src``), the
class name and the object's ``__dict__`` (``state``). The standard unpickler
would import and execute that source, so it must never be used on such a
file.

:class:`RestrictedUnpickler` resolves only an allow-list of globals:

- tensor rebuild helpers (``torch._utils._rebuild_tensor_v2`` and friends),
  ``torch.Size``, ``torch.Tensor``, ``torch.nn.Parameter``, torch dtypes;
- ``torch.storage._load_from_bytes``, replaced by a loader that reads the
  embedded storage with ``torch.load(weights_only=True)``;
- ``collections.OrderedDict``, ``builtins.set``/``frozenset``,
  ``_codecs.encode`` (bytes in protocol 2);
- numpy scalars and arrays (``numpy.dtype``, ``numpy.ndarray``,
  ``numpy.core.multiarray.scalar``/``_reconstruct``), which appear in the
  modules' ``__dict__`` (e.g. ``weight_gain`` is a ``numpy.float64``);
- ``torch_utils.persistence._reconstruct_persistent_obj``, mapped to
  :class:`PersistentRecord`, which only stores ``meta`` (``module_src`` stays
  a string and is never executed);
- dict-like config classes (``dnnlib.EasyDict``, mmengine's ``ConfigDict``)
  mapped to :class:`DictStandIn`, a plain ``dict`` subclass, and mmengine's
  ``HistoryBuffer`` (in runner checkpoints) mapped to
  :class:`ObjectStandIn`, which only records its state;
  ``argparse.Namespace`` (rosinality training checkpoints) is kept;
  ``getattr`` is allowed on stand-ins only and returns a placeholder;
- any other class of NVIDIA's code (``dnnlib``, ``torch_utils``,
  ``training``, ``metrics``) is mapped to :class:`ObjectStandIn` without
  importing it.

Any other global raises ``pickle.UnpicklingError`` naming it, before anything
is called. :func:`module_state_dict` then walks a captured module tree and
returns its parameters and buffers by module path, as ``state_dict()``
would. :func:`torch_load_restricted` reads a ``torch.save`` file with the
same unpickler.
"""
import argparse
import collections
import io
import os
import pickle
import types
from typing import Any, BinaryIO, Dict, Union

import numpy as np
import torch
import torch._tensor
import torch._utils

__all__ = [
    'PersistentRecord', 'DictStandIn', 'ObjectStandIn', 'RestrictedUnpickler',
    'load_pickle', 'torch_load_restricted', 'module_state_dict', 'plain_data'
]

PathOrFile = Union[str, os.PathLike, BinaryIO]


class PersistentRecord:
    """Data of one NVIDIA persistent object, kept without rebuilding it.

    Attributes:
        class_name (str): Name of the original class, e.g. ``'Generator'``.
        module_src (str): Source of the defining module; never executed.
        version: Persistence format version.
        state (dict): The object's ``__dict__`` (for a ``torch.nn.Module``:
            ``_parameters``, ``_buffers``, ``_modules``, ``_init_kwargs``
            and plain attributes).
    """

    def __init__(self, meta: Any):
        if not isinstance(meta, dict):
            raise pickle.UnpicklingError(
                f'persistent object meta must be a dict, got '
                f'{type(meta).__name__}')
        self.class_name = str(meta.get('class_name'))
        self.module_src = meta.get('module_src')
        self.version = meta.get('version')
        state = meta.get('state')
        self.state = dict(state) if isinstance(state, dict) else {}

    def __repr__(self) -> str:
        return f'PersistentRecord({self.class_name})'


class DictStandIn(dict):
    """A plain ``dict`` standing in for dict-like config classes."""

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):
            self.update(state)


class ObjectStandIn:
    """Records what a pickle gives an object of an unimported class:
    constructor arguments, state, dict items and list items."""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs
        self.state = None
        self.items = {}
        self.list_items = []

    def __setstate__(self, state: Any) -> None:
        self.state = state

    def __setitem__(self, key: Any, value: Any) -> None:
        self.items[key] = value

    def append(self, value: Any) -> None:
        self.list_items.append(value)

    def extend(self, values: Any) -> None:
        self.list_items.extend(values)


def _load_storage_bytes(data: bytes) -> Any:
    """Read a tensor storage embedded with ``torch.save`` (weights only)."""
    if not isinstance(data, (bytes, bytearray)):
        raise pickle.UnpicklingError(
            f'storage payload must be bytes, got {type(data).__name__}')
    try:
        return torch.load(
            io.BytesIO(data), map_location='cpu', weights_only=True)
    except Exception as err:  # any refusal or corruption -> unpickling error
        raise pickle.UnpicklingError(
            f'refused embedded tensor storage: {err}') from err


def _codecs_encode(obj: Any, encoding: str = 'utf-8') -> bytes:
    """``_codecs.encode`` limited to latin1 text (protocol-2 bytes)."""
    if not isinstance(obj, str) or encoding not in ('latin1', 'latin-1'):
        raise pickle.UnpicklingError(
            f'_codecs.encode is only allowed for latin1 text, got '
            f'{type(obj).__name__} with encoding {encoding!r}')
    return obj.encode('latin1')


def _standin_getattr(obj: Any, name: str) -> str:
    """``getattr`` for stand-ins only: returns a placeholder string."""
    standins = (DictStandIn, ObjectStandIn)
    is_standin = isinstance(obj, standins) or (isinstance(obj, type) and
                                               issubclass(obj, standins))
    if not is_standin or not isinstance(name, str):
        raise pickle.UnpicklingError(
            f'getattr is only allowed on stand-in objects, got '
            f'{type(obj).__name__}.{name}')
    return f'<{name}>'


def _allowed_globals() -> Dict[tuple, Any]:
    """``(module, name) -> object`` the unpickler may return."""
    allowed = {
        ('collections', 'OrderedDict'): collections.OrderedDict,
        ('_codecs', 'encode'): _codecs_encode,
        ('argparse', 'Namespace'): argparse.Namespace,
        ('torch.storage', '_load_from_bytes'): _load_storage_bytes,
        ('torch', 'Size'): torch.Size,
        ('torch', 'Tensor'): torch.Tensor,
        ('torch.nn.parameter', 'Parameter'): torch.nn.Parameter,
        ('torch._tensor', '_rebuild_from_type_v2'):
        torch._tensor._rebuild_from_type_v2,
        ('numpy', 'dtype'): np.dtype,
        ('numpy', 'ndarray'): np.ndarray,
        ('torch_utils.persistence', '_reconstruct_persistent_obj'):
        PersistentRecord,
    }
    for module in ('builtins', '__builtin__'):
        allowed[(module, 'set')] = set
        allowed[(module, 'frozenset')] = frozenset
        allowed[(module, 'getattr')] = _standin_getattr
    for name in ('_rebuild_tensor', '_rebuild_tensor_v2',
                 '_rebuild_tensor_v3', '_rebuild_parameter',
                 '_rebuild_parameter_with_state'):
        if hasattr(torch._utils, name):
            allowed[('torch._utils', name)] = getattr(torch._utils, name)
    for name in dir(torch):
        if isinstance(getattr(torch, name, None), torch.dtype):
            allowed[('torch', name)] = getattr(torch, name)
    multiarray = getattr(getattr(np, '_core', None), 'multiarray', None)
    if multiarray is None:  # numpy < 2
        from numpy.core import multiarray
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        allowed[(module, 'scalar')] = multiarray.scalar
        allowed[(module, '_reconstruct')] = multiarray._reconstruct
    for key in (('dnnlib', 'EasyDict'), ('dnnlib.util', 'EasyDict'),
                ('mmengine.config', 'ConfigDict'),
                ('mmengine.config.config', 'ConfigDict')):
        allowed[key] = DictStandIn
    for key in (('mmengine.logging', 'HistoryBuffer'),
                ('mmengine.logging.history_buffer', 'HistoryBuffer')):
        allowed[key] = ObjectStandIn
    return allowed


_ALLOWED = _allowed_globals()
# Top-level packages of NVIDIA's training code; their classes are stood in.
_NVIDIA_PACKAGES = ('dnnlib', 'torch_utils', 'training', 'metrics')


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that returns only allow-listed globals (see module doc).

    Persistent ids (used by ``torch.save`` for storages) are refused by the
    base class unless a ``persistent_load`` is assigned, as
    :func:`torch_load_restricted` lets ``torch.load`` do.

    Args:
        file: Binary file object.
        source (str): Name used in error messages.
        **kwargs: ``pickle.Unpickler`` options (e.g. ``encoding``).
    """

    source = '<pickle>'

    def __init__(self, file: BinaryIO, source: str = None, **kwargs):
        super().__init__(file, **kwargs)
        if source is not None:
            self.source = source

    def find_class(self, module: str, name: str) -> Any:
        obj = _ALLOWED.get((module, name))
        if obj is None and module.split('.')[0] in _NVIDIA_PACKAGES:
            obj = ObjectStandIn  # NVIDIA's own classes: record, never import
        if obj is None:
            raise pickle.UnpicklingError(
                f'{self.source}: refusing to load global {module}.{name}; '
                f'only tensors, plain containers and NVIDIA persistent '
                f'network records are read from checkpoints')
        return obj


def load_pickle(path_or_file: PathOrFile) -> Any:
    """Load a plain pickle (e.g. an NVIDIA ``.pkl``) with
    :class:`RestrictedUnpickler`.

    Args:
        path_or_file: File path or binary file object.

    Returns:
        The unpickled object; persistent networks are
        :class:`PersistentRecord` objects. For a legacy (non-zip)
        ``torch.save`` file this is its first record, the magic number.

    Raises:
        FileNotFoundError: If the path does not exist.
        pickle.UnpicklingError: On a refused global or a broken file.
    """
    if hasattr(path_or_file, 'read'):
        return RestrictedUnpickler(path_or_file).load()
    path = os.fspath(path_or_file)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'no such file: {path}')
    with open(path, 'rb') as f:
        return RestrictedUnpickler(f, source=path).load()


def torch_load_restricted(path: Union[str, os.PathLike]) -> Any:
    """``torch.load`` with :class:`RestrictedUnpickler` for the pickle part.

    Use for checkpoints that ``torch.load(weights_only=True)`` refuses only
    because they hold known data classes (mmengine runner checkpoints).

    Raises:
        pickle.UnpicklingError: On a refused global.
    """
    path = os.fspath(path)
    unpickler = type('Unpickler', (RestrictedUnpickler, ),
                     {'source': path})
    module = types.SimpleNamespace(
        __name__='restricted_pickle', Unpickler=unpickler,
        load=lambda f, **kw: unpickler(f, **kw).load())
    return torch.load(
        path, map_location='cpu', weights_only=False, pickle_module=module)


def module_state_dict(record: PersistentRecord,
                      prefix: str = '') -> 'collections.OrderedDict':
    """Parameters and buffers of a captured module tree by module path.

    Args:
        record: A captured ``torch.nn.Module`` (e.g. ``pkl['G_ema']``).
        prefix: Prefix for the keys.

    Returns:
        OrderedDict ``{'mapping.fc0.weight': tensor, ...}`` (detached,
        non-persistent buffers left out).

    Raises:
        ValueError: If the record does not look like a module.
    """
    if not isinstance(record, PersistentRecord):
        raise ValueError(f'expected a persistent network record at '
                         f'{prefix or "<root>"}, got {type(record).__name__}')
    state = record.state
    if not isinstance(state.get('_modules'), dict):
        raise ValueError(f'{record.class_name} at {prefix or "<root>"} is not '
                         f'a torch module (no _modules in its state)')
    out = collections.OrderedDict()
    skip = set(state.get('_non_persistent_buffers_set') or ())
    for group in ('_parameters', '_buffers'):
        for name, value in (state.get(group) or {}).items():
            if value is None or (group == '_buffers' and name in skip):
                continue
            if not isinstance(value, torch.Tensor):
                raise ValueError(f'{prefix}{name} is not a tensor '
                                 f'({type(value).__name__})')
            out[prefix + name] = value.detach()
    for name, child in state['_modules'].items():
        if child is not None:
            out.update(module_state_dict(child, f'{prefix}{name}.'))
    return out


def plain_data(obj: Any) -> Any:
    """Convert stand-in dicts (and nested containers) to plain Python data.

    numpy scalars become Python numbers; other objects are kept.
    """
    if isinstance(obj, dict):
        return {k: plain_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(plain_data(v) for v in obj)
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
