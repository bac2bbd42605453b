"""Masks sampled from a folder of mask images (a real mask set)."""
import numbers
import os
import os.path as osp

import cv2
import numpy as np

from inpaint_toolbox.registry import MASK_GENERATORS
from .utils import (as_generator, check_hole_range, check_shape,
                    pixel_count_bounds)

_HOLE_VALUES = ('white', 'black')


@MASK_GENERATORS.register_module()
class FolderMask:
    """Sample masks from image files, e.g. the NVIDIA irregular mask set.

    Mask sets store holes differently (NVIDIA's irregular masks: white =
    hole; others: black = hole), so the convention is a required argument.
    A file is read as 8-bit grayscale; a pixel is *white* when its value is
    greater than ``threshold``. With ``hole_value='white'`` white pixels
    are holes, with ``'black'`` the other pixels are. The binary mask is
    resized to the requested shape with nearest-neighbour interpolation
    (so it stays binary; the aspect ratio is not kept).

    Files are listed once, sorted, at construction. Each call picks one
    with ``rng``. With ``hole_range`` set, a file whose resized mask is
    outside the range is skipped and the others are tried in a random
    order.

    Args:
        folder (str): Directory of mask images.
        hole_value (str): ``'white'`` or ``'black'``: which pixels of the
            files are holes. Required, there is no default.
        threshold (int): Gray level in [0, 254]; values above it are white.
            Default: 127.
        extensions (Sequence[str]): File suffixes to use, case-insensitive.
            Default: ``('.png', '.jpg', '.bmp')``.
        recursive (bool): Also list files in sub-folders. Default: True.
        hole_range (Sequence[float], optional): Keep only masks whose hole
            fraction is within ``(lo, hi)``. Default: None (keep all).

    Raises:
        FileNotFoundError: If ``folder`` does not exist or holds no file
            with one of ``extensions``.
        ValueError: If ``hole_value`` or ``threshold`` is invalid.
    """

    def __init__(self,
                 folder,
                 hole_value,
                 threshold=127,
                 extensions=('.png', '.jpg', '.bmp'),
                 recursive=True,
                 hole_range=None):
        if hole_value not in _HOLE_VALUES:
            raise ValueError(f'hole_value must be one of {_HOLE_VALUES}, '
                             f'got {hole_value!r}')
        if (isinstance(threshold, bool)
                or not isinstance(threshold, numbers.Integral)
                or not 0 <= threshold <= 254):
            raise ValueError(
                f'threshold must be an int in [0, 254], got {threshold!r}')
        if isinstance(extensions, str):
            extensions = (extensions, )
        self.folder = str(folder)
        self.hole_value = hole_value
        self.threshold = int(threshold)
        self.extensions = tuple(ext.lower() for ext in extensions)
        self.recursive = bool(recursive)
        self.hole_range = (None if hole_range is None else
                           check_hole_range(hole_range))
        self.files = self._list_files()

    def _list_files(self):
        if not osp.isdir(self.folder):
            raise FileNotFoundError(f'mask folder not found: {self.folder}')
        files = []
        for root, dirs, names in os.walk(self.folder):
            dirs.sort()
            files.extend(
                osp.join(root, name) for name in sorted(names)
                if name.lower().endswith(self.extensions))
            if not self.recursive:
                break
        if not files:
            raise FileNotFoundError(
                f'no mask files with extensions {self.extensions} in '
                f'{self.folder}')
        return files

    def __len__(self):
        return len(self.files)

    def load(self, path, shape):
        """Read one mask file with this set's convention.

        Args:
            path (str): Mask image path.
            shape (tuple[int, int]): Output ``(H, W)``.

        Returns:
            np.ndarray: ``(H, W)`` uint8 in {0, 1}, 1 = hole.

        Raises:
            ValueError: If the file cannot be decoded as an image.
        """
        data = np.fromfile(path, dtype=np.uint8)
        gray = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
        if gray is None:
            raise ValueError(f'cannot decode mask file: {path}')
        white = gray > self.threshold
        hole = white if self.hole_value == 'white' else ~white
        mask = hole.astype(np.uint8)
        if mask.shape != shape:
            mask = cv2.resize(
                mask, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
        return mask

    def __call__(self, shape, rng):
        """Sample one mask.

        Args:
            shape (Sequence[int]): ``(H, W)``, any positive sizes.
            rng (np.random.Generator | int): Random source or seed.

        Returns:
            np.ndarray: ``(H, W)`` uint8 in {0, 1}, 1 = hole.

        Raises:
            ValueError: If a file is corrupt, or ``hole_range`` is set and
                no file gives a mask inside it.
        """
        shape = check_shape(shape)
        rng = as_generator(rng)
        first = int(rng.integers(len(self.files)))
        mask = self.load(self.files[first], shape)
        if self.hole_range is None:
            return mask
        k_min, k_max = pixel_count_bounds(shape, self.hole_range)
        if k_min <= np.count_nonzero(mask) <= k_max:
            return mask
        for index in rng.permutation(len(self.files)):
            if index == first:
                continue
            mask = self.load(self.files[index], shape)
            if k_min <= np.count_nonzero(mask) <= k_max:
                return mask
        raise ValueError(
            f'none of the {len(self.files)} masks in {self.folder} has a '
            f'hole fraction in {self.hole_range} at shape {shape}')

    def __repr__(self):
        return (f'{type(self).__name__}(folder={self.folder!r}, '
                f'hole_value={self.hole_value!r}, num_files={len(self)}, '
                f'hole_range={self.hole_range})')
