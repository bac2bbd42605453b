"""Checks shared by the decoders."""
from typing import List, Sequence, Tuple

from torch import Tensor


def check_feats(feats: Sequence[Tensor], in_channels: Sequence[int],
                name: str) -> None:
    """Raise ValueError unless ``feats`` matches ``in_channels``."""
    if not isinstance(feats, (list, tuple)) or len(feats) != len(in_channels):
        raise ValueError(f'{name} expects a list of {len(in_channels)} '
                         f'feature maps, got {type(feats).__name__} of '
                         f'length {len(feats)}')
    for i, (f, c) in enumerate(zip(feats, in_channels)):
        if f.dim() != 4 or f.shape[1] != c:
            raise ValueError(f'{name}: feats[{i}] should be [B, {c}, h, w],'
                             f' got {tuple(f.shape)}')


def check_out_size(out_size: Sequence[int]) -> Tuple[int, int]:
    """Return ``out_size`` as two positive ints or raise ValueError."""
    try:
        h, w = (int(s) for s in out_size)
    except (TypeError, ValueError):
        raise ValueError(f'out_size must be (H, W), got {out_size!r}')
    if h < 1 or w < 1:
        raise ValueError(f'out_size must be positive, got {out_size!r}')
    return h, w


def as_list(value, length: int, name: str) -> List:
    """Broadcast a scalar to ``length`` or check a sequence's length."""
    if isinstance(value, (list, tuple)):
        if len(value) != length:
            raise ValueError(f'{name} needs {length} entries, got {value}')
        return list(value)
    return [value] * length
