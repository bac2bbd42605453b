"""Helpers shared by the transforms: randomness, checks and geometry.

Coordinate conventions (see ``docs`` and the data-info keys):

- one frame for every coordinate: the centre of pixel ``img[row, col]`` is
  ``x = col, y = row`` (so ``x`` runs over [0, W - 1]);
- ``landmarks``: ``(N, 2)`` float32 ``[x, y]`` in that frame;
- ``part_boxes``: ``{name: [x1, y1, x2, y2]}`` in that frame, inclusive
  (a box around pixel ``(r, c)`` alone is ``[c, r, c, r]``); a mirror maps
  ``x -> W - 1 - x`` for points and box edges alike;
- ``attributes['face_box']`` (synthetic faces) follows ``part_boxes``.
"""
from numbers import Integral
from typing import Dict, Optional, Sequence

import numpy as np


def check_seed(seed: Optional[int], name: str) -> Optional[int]:
    """Validate an optional non-negative integer seed."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(
            f'{name}: seed must be None or a non-negative int, got {seed!r}')
    return int(seed)


def sample_rng(seed: Optional[int], results: dict,
               name: str) -> np.random.Generator:
    """The random generator a transform uses for one sample.

    With a ``seed`` the result is a pure function of ``(seed, sample_idx)``
    (fixed validation/test masks and crops). Without one, a fresh generator
    is seeded from numpy's global RNG at every call, so mmengine's
    ``randomness`` seeding (which seeds numpy in every dataloader worker)
    makes training reproducible, and workers never share a stream.

    Args:
        seed (int | None): the transform's seed.
        results (dict): the sample; needs ``sample_idx`` when seeded.
        name (str): transform name for error messages.

    Returns:
        np.random.Generator: the generator for this sample.
    """
    if seed is None:
        entropy = np.random.randint(0, 2**32, size=4, dtype=np.int64)
        return np.random.default_rng(entropy)
    if results.get('sample_idx') is None:
        raise ValueError(f'{name}(seed={seed}) needs results["sample_idx"] '
                         'to make the sample a function of (seed, index)')
    return np.random.default_rng([seed, int(results['sample_idx'])])


def describe(results: dict) -> str:
    """A short name of the sample for error messages."""
    for key in ('gt_path', 'sample_idx'):
        if results.get(key) is not None:
            return f'{key}={results[key]!r}'
    return 'sample without gt_path'


def get_image(results: dict, key: str = 'gt') -> np.ndarray:
    """Return ``results[key]`` after checking it is ``(H, W, 3)`` uint8."""
    if key not in results:
        raise ValueError(f'results has no {key!r} image ({describe(results)})'
                         ': add LoadImageFromFile first')
    img = results[key]
    if (not isinstance(img, np.ndarray) or img.dtype != np.uint8
            or img.ndim != 3 or img.shape[2] != 3):
        raise ValueError(
            f'results[{key!r}] must be a (H, W, 3) uint8 array, got '
            f'{type(img).__name__} {getattr(img, "shape", "")} '
            f'{getattr(img, "dtype", "")} ({describe(results)})')
    return img


def get_mask(results: dict, shape: Sequence[int]) -> Optional[np.ndarray]:
    """Return ``results['mask']`` (checked ``(H, W, 1)`` uint8) or None."""
    mask = results.get('mask')
    if mask is None:
        return None
    if (not isinstance(mask, np.ndarray) or mask.dtype != np.uint8
            or mask.ndim != 3 or mask.shape[2] != 1):
        raise ValueError(
            'results["mask"] must be a (H, W, 1) uint8 array, got '
            f'{type(mask).__name__} {getattr(mask, "shape", "")} '
            f'{getattr(mask, "dtype", "")} ({describe(results)})')
    if tuple(mask.shape[:2]) != tuple(shape[:2]):
        raise ValueError(
            f'mask size {tuple(mask.shape[:2])} differs from image size '
            f'{tuple(shape[:2])} ({describe(results)})')
    return mask


def as_landmarks(landmarks, results: dict) -> np.ndarray:
    """Landmarks as a fresh ``(N, 2)`` float32 array."""
    arr = np.array(landmarks, dtype=np.float32)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f'landmarks must have shape (N, 2), got {arr.shape} '
                         f'({describe(results)})')
    return arr


def _box_like(box, values: Sequence[float]):
    """``values`` in the container type of ``box``.

    An array stays an array of its float dtype (float32 for int arrays), a
    list of ints stays a list of ints, anything else becomes a float list.
    """
    if isinstance(box, np.ndarray):
        dtype = box.dtype if box.dtype.kind == 'f' else np.float32
        return np.asarray(values, dtype=dtype)
    if all(isinstance(v, Integral) for v in box):
        return [int(round(v)) for v in values]
    return [float(v) for v in values]


def as_box(box, name: str, results: dict) -> np.ndarray:
    """One part box as a float64 ``(4,)`` array, checked."""
    arr = np.asarray(box, dtype=np.float64)
    if arr.shape != (4, ):
        raise ValueError(f'part box {name!r} must be [x1, y1, x2, y2], got '
                         f'{box!r} ({describe(results)})')
    return arr


def shift_and_clip_boxes(boxes: Dict[str,
                                     Sequence[float]], dx: float, dy: float,
                         width: int, height: int, results: dict) -> dict:
    """Move boxes by ``(-dx, -dy)`` and clip them to a ``width x height``
    image (``x`` to [0, width - 1], ``y`` to [0, height - 1]).

    Boxes that fall outside collapse onto the border (``x1 == x2`` or
    ``y1 == y2``); they are kept so every sample has the same box names.
    """
    out = {}
    for name, box in boxes.items():
        out[name] = shift_and_clip_box(box, dx, dy, width, height, name,
                                       results)
    return out


def shift_and_clip_box(box, dx: float, dy: float, width: int, height: int,
                       name: str, results: dict):
    """One box of :func:`shift_and_clip_boxes`."""
    arr = as_box(box, name, results) - np.array([dx, dy, dx, dy])
    arr[0::2] = np.clip(arr[0::2], 0, width - 1)
    arr[1::2] = np.clip(arr[1::2], 0, height - 1)
    return _box_like(box, arr)


def hflip_box(box, width: int, name: str, results: dict):
    """Mirror one box: ``[W - 1 - x2, y1, W - 1 - x1, y2]``."""
    x1, y1, x2, y2 = as_box(box, name, results)
    return _box_like(box, [width - 1 - x2, y1, width - 1 - x1, y2])


def hflip_boxes(boxes: Dict[str, Sequence[float]], width: int,
                results: dict) -> dict:
    """Mirror boxes horizontally and swap ``left``/``right`` names."""
    mirrored = {
        name: hflip_box(box, width, name, results)
        for name, box in boxes.items()
    }
    out = {}
    for name, box in mirrored.items():
        partner = swap_left_right(name)
        out[partner if partner in mirrored else name] = box
    return out


def swap_left_right(name: str) -> str:
    """``'left_eye'`` -> ``'right_eye'`` and back; other names unchanged."""
    if 'left' in name:
        return name.replace('left', 'right')
    if 'right' in name:
        return name.replace('right', 'left')
    return name


def crop_attributes(attributes, dx: float, dy: float, width: int, height: int,
                    results: dict):
    """Move the geometric attributes (``face_box``) with a crop."""
    if not isinstance(attributes, dict) or 'face_box' not in attributes:
        return attributes
    out = dict(attributes)
    out['face_box'] = shift_and_clip_box(attributes['face_box'], dx, dy, width,
                                         height, 'face_box', results)
    return out


def hflip_attributes(attributes, width: int, results: dict):
    """Mirror the geometric attributes of synthetic faces.

    ``face_box`` is mirrored, ``roll`` (degrees) and the horizontal gaze
    ``gaze[0]`` change sign; other attributes do not depend on the side.
    """
    if not isinstance(attributes, dict):
        return attributes
    out = dict(attributes)
    if 'face_box' in out:
        out['face_box'] = hflip_box(out['face_box'], width, 'face_box',
                                    results)
    if isinstance(out.get('roll'), (int, float)):
        out['roll'] = -out['roll']
    if isinstance(out.get('gaze'), (list, tuple)) and len(out['gaze']) == 2:
        out['gaze'] = [-out['gaze'][0], out['gaze'][1]]
    return out
