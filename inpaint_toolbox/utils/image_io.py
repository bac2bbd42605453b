"""Reading and writing images and mask files.

Everything the toolbox reads from disk goes through these functions, so the
conventions hold in one place:

- images come back as ``(H, W, 3)`` uint8 **RGB**;
- masks come back as ``(H, W)`` uint8 in {0, 1}, **1 = hole**, and the file's
  convention (white = hole or black = hole) is always stated by the caller;
- files are read with ``open()`` and decoded from memory, so paths with
  non-ASCII characters work on every platform;
- a missing file raises ``FileNotFoundError`` and a file that cannot be
  decoded raises ``ValueError``, both naming the path.

Decisions worth knowing:

- **Alpha** is composited over a **white** background (what image viewers
  and browsers show for transparent regions), then dropped. Opaque images
  are unchanged.
- **16-bit** images are scaled to 8 bit by ``round(v / 257)`` (65535 maps
  to 255 exactly).
- **Palette** and 1-bit PNGs are expanded by the decoder.
- **EXIF orientation** is not applied: pixels come back in stored order, so
  coordinates in annotation files keep their meaning.
"""
import os
import os.path as osp
from typing import Union

import cv2
import numpy as np

from .atomic import atomic_write

PathOrBytes = Union[str, os.PathLike, bytes, bytearray, memoryview]

_HOLE_VALUES = ('white', 'black')


def _read_bytes(path: Union[str, os.PathLike]) -> bytes:
    """Read a whole file, raising FileNotFoundError that names ``path``."""
    path = os.fspath(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'image file not found: {path!r}')
    with open(path, 'rb') as f:
        return f.read()


def _decode(source: PathOrBytes) -> np.ndarray:
    """Decode an image file (or its bytes) as stored, without conversion.

    Returns:
        np.ndarray: ``(H, W)``, ``(H, W, 3)`` (BGR) or ``(H, W, 4)`` (BGRA),
        uint8 or uint16.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        name, data = '<bytes>', bytes(source)
    else:
        name, data = repr(os.fspath(source)), _read_bytes(source)
    img = None
    if len(data) > 0:
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ValueError(f'cannot decode image {name}: the file is empty, '
                         'corrupt or not an image format OpenCV reads')
    if img.dtype not in (np.uint8, np.uint16):
        raise ValueError(f'unsupported pixel type {img.dtype} in image '
                         f'{name}: only 8- and 16-bit images are supported')
    if img.ndim == 3 and img.shape[2] not in (1, 3, 4):
        raise ValueError(f'unsupported channel count {img.shape[2]} in '
                         f'image {name}')
    return img


def _to_unit_float(img: np.ndarray) -> np.ndarray:
    """Map uint8/uint16 values to float64 in [0, 1]."""
    return img.astype(np.float64) / float(np.iinfo(img.dtype).max)


def _to_uint8(img: np.ndarray) -> np.ndarray:
    """Scale a uint8/uint16 array to uint8 (16 bit: ``round(v / 257)``)."""
    if img.dtype == np.uint8:
        return img
    return np.floor(img.astype(np.float64) / 257.0 + 0.5).astype(np.uint8)


def imread_rgb(source: PathOrBytes) -> np.ndarray:
    """Read an image file as RGB.

    Grayscale is repeated to three channels; alpha is composited over white
    and dropped; 16-bit values are scaled to 8 bit by ``round(v / 257)``.

    Args:
        source (str | PathLike | bytes): a file path, or the file's bytes.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB in [0, 255].

    Raises:
        FileNotFoundError: the path does not exist.
        ValueError: the file cannot be decoded or has an unsupported type.
    """
    img = _decode(source)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        img = np.repeat(_to_uint8(img)[..., None], 3, axis=2)
        return np.ascontiguousarray(img)
    if img.shape[2] == 4:
        color = _to_unit_float(img[..., :3])
        alpha = _to_unit_float(img[..., 3:])
        blended = color * alpha + (1.0 - alpha)
        img = np.floor(blended * 255.0 + 0.5).astype(np.uint8)
    else:
        img = _to_uint8(img)
    rgb = np.ascontiguousarray(img[..., ::-1])
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.dtype == np.uint8
    return rgb


def imread_mask(source: PathOrBytes,
                hole_value: str,
                threshold: float = 127) -> np.ndarray:
    """Read a mask file and binarize it with an explicit convention.

    Color masks are converted to grayscale (ITU-R 601 luma), alpha is
    ignored, 16-bit values are scaled to 8 bit first. A pixel is *white*
    when its 8-bit gray value is ``> threshold`` and *black* otherwise.

    Args:
        source (str | PathLike | bytes): a file path, or the file's bytes.
        hole_value (str): ``'white'`` if white pixels mark the hole in this
            file, ``'black'`` if black pixels do. Required: files differ.
        threshold (float): gray level in [0, 255) separating black from
            white. Defaults to 127.

    Returns:
        np.ndarray: ``(H, W)`` uint8 in {0, 1}, 1 = hole.

    Raises:
        FileNotFoundError: the path does not exist.
        ValueError: bad ``hole_value``/``threshold``, or the file cannot be
            decoded.
    """
    if hole_value not in _HOLE_VALUES:
        raise ValueError(f'hole_value must be one of {_HOLE_VALUES}, got '
                         f'{hole_value!r}')
    if not 0 <= threshold < 255:
        raise ValueError(f'threshold must be in [0, 255), got {threshold!r}')
    img = _decode(source)
    if img.ndim == 3:
        if img.shape[2] == 1:
            img = img[..., 0]
        else:
            img = cv2.cvtColor(
                np.ascontiguousarray(img[..., :3]), cv2.COLOR_BGR2GRAY)
    gray = _to_uint8(img)
    white = gray > threshold
    hole = white if hole_value == 'white' else ~white
    return hole.astype(np.uint8)


def imwrite_rgb(path: Union[str, os.PathLike], img: np.ndarray) -> None:
    """Write an RGB (or grayscale) uint8 image atomically.

    The image is encoded in memory (format from the file extension), written
    to a temporary file in the destination folder and moved into place with
    ``os.replace``, so readers never see a half-written file. Parent folders
    are created.

    Args:
        path (str | PathLike): destination, e.g. ``'out/0001.png'``.
        img (np.ndarray): ``(H, W, 3)`` uint8 RGB, or ``(H, W)`` /
            ``(H, W, 1)`` uint8 grayscale, values in [0, 255].

    Raises:
        TypeError: ``img`` is not a uint8 array.
        ValueError: wrong shape, or no encoder for the extension.
    """
    path = os.fspath(path)
    if not isinstance(img, np.ndarray) or img.dtype != np.uint8:
        raise TypeError(f'imwrite_rgb expects a uint8 numpy array, got '
                        f'{type(img).__name__} '
                        f'{getattr(img, "dtype", "")} for {path!r}')
    if img.ndim == 3 and img.shape[2] == 3:
        data = np.ascontiguousarray(img[..., ::-1])
    elif img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 1):
        data = np.ascontiguousarray(img.reshape(img.shape[:2]))
    else:
        raise ValueError(f'imwrite_rgb expects (H, W, 3) or (H, W) uint8, '
                         f'got shape {img.shape} for {path!r}')
    ext = osp.splitext(path)[1]
    try:
        ok, buf = cv2.imencode(ext, data)
    except cv2.error as e:
        raise ValueError(f'cannot encode image for {path!r}: {e}') from e
    if not ok:
        raise ValueError(f'cannot encode image for {path!r}')
    atomic_write(path, buf.tobytes())


__all__ = ['imread_rgb', 'imread_mask', 'imwrite_rgb']
