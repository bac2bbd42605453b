"""Settings of an evaluation protocol config (``configs/_base_/datasets/
protocol_*.py``) and the test dataloader of each setting."""
import copy
import fnmatch
from dataclasses import asdict, dataclass
from typing import List, Optional, Sequence, Tuple

from inpaint_toolbox.datasets.samplers import parse_aspect_ratio, shape_for

IDEAL, REAL_WORLD, NATIVE = 'ideal', 'real-world', 'native'


@dataclass
class Setting:
    """One evaluation setting.

    Attributes:
        name (str): e.g. ``'ideal-512x512'``, ``'9:16-1024'`` or
            ``'native'``.
        group (str): ``'ideal'``, ``'real-world'`` or ``'native'``.
        size (tuple, optional): ``(H, W)``; None for native sizes.
        aspect_ratio (str, optional): ``'H:W'`` of a real-world setting.
        long_side (int, optional): the longer side of ``size``.
    """

    name: str
    group: str
    size: Optional[Tuple[int, int]] = None
    aspect_ratio: Optional[str] = None
    long_side: Optional[int] = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d['size'] = list(self.size) if self.size else None
        return d


def _check_sizes(sizes, what: str) -> List[Tuple[int, int]]:
    out = []
    for size in sizes:
        try:
            h, w = (int(s) for s in size)
            ok = h > 0 and w > 0 and [h, w] == [int(s) for s in size]
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f'{what}: expected (h, w) pairs of positive '
                             f'ints, got {size!r}')
        out.append((h, w))
    return out


def protocol_settings(protocol: dict,
                      ideal_sizes: Optional[Sequence] = None,
                      aspect_ratios: Optional[Sequence[str]] = None,
                      long_sides: Optional[Sequence[int]] = None
                      ) -> List[Setting]:
    """The settings of a protocol, optionally with other sizes.

    Args:
        protocol (dict): the config's ``protocol`` entry (``ideal_sizes``,
            ``aspect_ratios``, ``long_sides``, ``size_divisor``,
            ``size_keys``).
        ideal_sizes, aspect_ratios, long_sides: replace the protocol's
            values (e.g. smaller sides for a CPU run).

    Returns:
        list[Setting]: the ideal settings, then the real-world ones by long
        side and aspect ratio; ``[native]`` for a protocol without
        ``size_keys``.

    Raises:
        ValueError: a malformed size, ratio, or a long side that is not a
            multiple of ``size_divisor``.
    """
    if not protocol.get('size_keys'):
        return [Setting('native', NATIVE)]
    divisor = int(protocol.get('size_divisor', 8))
    ideal = _check_sizes(
        protocol.get('ideal_sizes', ()) if ideal_sizes is None
        else ideal_sizes, 'ideal sizes')
    ratios = list(protocol.get('aspect_ratios', ())
                  if aspect_ratios is None else aspect_ratios)
    sides = list(protocol.get('long_sides', ())
                 if long_sides is None else long_sides)
    settings = [
        Setting(f'ideal-{h}x{w}', IDEAL, (h, w), None, max(h, w))
        for h, w in ideal
    ]
    for side in sides:
        if isinstance(side, bool) or int(side) != side or side < divisor \
                or side % divisor:
            raise ValueError(f'long side {side!r} must be a positive '
                             f'multiple of the size divisor {divisor}')
        for ratio in ratios:
            h, w = shape_for(parse_aspect_ratio(ratio), int(side), divisor)
            settings.append(
                Setting(f'{ratio}-{side}', REAL_WORLD, (h, w), ratio,
                        int(side)))
    if not settings:
        raise ValueError('the protocol has no settings (no ideal sizes, '
                         'aspect ratios or long sides)')
    return settings


def select_settings(settings: List[Setting],
                    patterns: Optional[Sequence[str]]) -> List[Setting]:
    """Keep the settings whose name or group matches a pattern.

    Args:
        settings (list[Setting]): all settings.
        patterns (sequence of str, optional): shell patterns on names
            (``'*-1024'``) or group names (``'ideal'``, ``'real-world'``);
            None keeps everything.

    Returns:
        list[Setting]: the matches, in protocol order.

    Raises:
        ValueError: a pattern matches nothing (the message lists the
            names).
    """
    if not patterns:
        return list(settings)
    keep = set()
    for pat in patterns:
        hits = [s.name for s in settings
                if fnmatch.fnmatchcase(s.name, pat) or s.group == pat]
        if not hits:
            raise ValueError(
                f'setting {pat!r} matches none of '
                f'{[s.name for s in settings]} (groups ideal, real-world)')
        keep.update(hits)
    return [s for s in settings if s.name in keep]


def set_by_path(cfg, path: str, value) -> None:
    """Set ``cfg[a][b][0][c] = value`` for the dotted path ``a.b.0.c``.

    Raises:
        KeyError: a part of the path does not exist.
    """
    parts = path.split('.')
    node = cfg
    for i, part in enumerate(parts):
        key = int(part) if isinstance(node, (list, tuple)) else part
        try:
            if i == len(parts) - 1:
                if key not in node and not isinstance(node, list):
                    raise KeyError(key)
                node[key] = value
            else:
                node = node[key]
        except (KeyError, IndexError, ValueError):
            raise KeyError(f'{path!r}: no entry {part!r} in the protocol '
                           'dataloader') from None


def setting_dataloader(protocol: dict, setting: Setting,
                       num_samples: Optional[int] = None) -> dict:
    """The test dataloader config of one setting.

    Args:
        protocol (dict): with ``dataloader``, ``size_keys`` and
            ``num_samples_key``.
        setting (Setting): writes ``setting.size`` to every size key.
        num_samples (int, optional): fewer (or more) samples; only for
            protocols with a ``num_samples_key``.

    Returns:
        dict: a deep copy of ``protocol['dataloader']`` with the changes.
    """
    loader = copy.deepcopy(protocol['dataloader'])
    loader = loader.to_dict() if hasattr(loader, 'to_dict') else loader
    if setting.size is not None:
        for key in protocol.get('size_keys', ()):
            set_by_path(loader, key, tuple(setting.size))
    if num_samples is not None:
        key = protocol.get('num_samples_key')
        if not key:
            raise ValueError(f'protocol {protocol.get("name")!r} takes every '
                             'image of its folder: --num-samples does not '
                             'apply')
        set_by_path(loader, key, int(num_samples))
    return loader
