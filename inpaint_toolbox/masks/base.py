"""Base class of the drawn (procedural) mask generators."""
from abc import ABCMeta, abstractmethod

import numpy as np

from .utils import (as_generator, check_hole_range, check_shape,
                    fit_hole_count, pixel_count_bounds)


class BaseMaskGenerator(metaclass=ABCMeta):
    """Draws a mask, then makes its hole fraction land in ``hole_range``.

    Subclasses implement :meth:`_generate` (one mask with the configured
    number of strokes or boxes) and :meth:`_add_unit` (one more stroke or
    box, optionally smaller). A call then:

    1. draws a mask with :meth:`_generate`;
    2. while it has too little hole, adds units; a unit that would overshoot
       the upper bound is discarded and the next one is drawn at half the
       size (at most ``max_extra_units`` tries);
    3. returns the mask if its hole fraction is in range, otherwise retries
       from step 1 (at most ``max_attempts`` times);
    4. as a last resort, grows or shrinks the last mask ring by ring
       (:func:`fit_hole_count`), which always succeeds.

    The work is bounded and the result depends only on the generator state.

    Args:
        hole_range (Sequence[float]): ``(lo, hi)``, allowed hole fraction of
            ``H * W``, ``0 <= lo <= hi <= 1``. Default: ``(0.0, 1.0)``.
        max_attempts (int): Fresh draws before the fallback. Default: 10.
        max_extra_units (int): Units added per draw to reach ``lo``.
            Default: 64.
    """

    def __init__(self,
                 hole_range=(0.0, 1.0),
                 max_attempts=10,
                 max_extra_units=64):
        self.hole_range = check_hole_range(hole_range)
        if int(max_attempts) < 1 or int(max_extra_units) < 0:
            raise ValueError('max_attempts must be >= 1 and max_extra_units '
                             f'>= 0, got {max_attempts}, {max_extra_units}')
        self.max_attempts = int(max_attempts)
        self.max_extra_units = int(max_extra_units)

    def __call__(self, shape, rng):
        """Generate one mask.

        Args:
            shape (Sequence[int]): ``(H, W)``, any positive sizes.
            rng (np.random.Generator | int): Random source or seed. The same
                generator state gives the same mask.

        Returns:
            np.ndarray: ``(H, W)`` uint8 in {0, 1}, 1 = hole, with
            ``lo <= mask.mean() <= hi``.
        """
        shape = check_shape(shape)
        rng = as_generator(rng)
        k_min, k_max = pixel_count_bounds(shape, self.hole_range)
        mask = None
        for _ in range(self.max_attempts):
            mask = self._generate(shape, rng)
            mask, count = self._grow(mask, rng, k_min, k_max)
            if k_min <= count <= k_max:
                return mask
        return fit_hole_count(mask, k_min, k_max, rng)

    def _grow(self, mask, rng, k_min, k_max):
        """Add units until the hole count reaches ``k_min`` if possible."""
        count = int(np.count_nonzero(mask))
        scale = 1.0
        for _ in range(self.max_extra_units):
            if count >= k_min:
                break
            candidate = mask.copy()
            self._add_unit(candidate, rng, scale)
            new_count = int(np.count_nonzero(candidate))
            if new_count > k_max:
                scale *= 0.5
                continue
            mask, count = candidate, new_count
        return mask, count

    @abstractmethod
    def _generate(self, shape, rng):
        """Draw one mask with the configured number of units.

        Args:
            shape (tuple[int, int]): ``(H, W)``.
            rng (np.random.Generator): Random source.

        Returns:
            np.ndarray: ``(H, W)`` uint8 in {0, 1}.
        """

    @abstractmethod
    def _add_unit(self, mask, rng, scale=1.0):
        """Draw one more stroke or box into ``mask`` in place.

        Args:
            mask (np.ndarray): ``(H, W)`` uint8 canvas in {0, 1}.
            rng (np.random.Generator): Random source.
            scale (float): Extra size factor in (0, 1], smaller after a unit
                overshot the upper bound.
        """

    def __repr__(self):
        return f'{type(self).__name__}(hole_range={self.hole_range})'
