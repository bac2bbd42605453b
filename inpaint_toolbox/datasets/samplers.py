"""A batch sampler that gives every batch one random shape (IN2's adaptive
training strategy): aspect ratios and sizes vary across batches, never
inside one."""
import itertools
import math
from numbers import Integral
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.dist import sync_random_seed
from torch.utils.data import Sampler

from inpaint_toolbox.registry import DATA_SAMPLERS

DEFAULT_ASPECT_RATIOS = ('1:1', '3:4', '4:3', '2:3', '3:2', '9:16', '16:9')

AspectRatio = Union[str, Sequence[int]]


def parse_aspect_ratio(ratio: AspectRatio) -> Tuple[int, int]:
    """``'h:w'`` or ``(h, w)`` -> ``(h, w)`` positive ints.

    Raises:
        ValueError: anything else.
    """
    parts = ratio.split(':') if isinstance(ratio, str) else ratio
    try:
        h, w = (int(p) for p in parts)
        valid = h > 0 and w > 0 and [str(h), str(w)
                                     ] == [str(p).strip() for p in parts]
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            f"aspect ratio must be 'h:w' or (h, w) with positive ints, got "
            f'{ratio!r}')
    return h, w


def shape_for(ratio: Tuple[int, int], long_side: int,
              size_divisor: int) -> Tuple[int, int]:
    """The ``(h, w)`` of an aspect ratio with a given longer side.

    The shorter side is ``long_side * short / long`` rounded to the nearest
    multiple of ``size_divisor`` (at least one multiple).

    Args:
        ratio (tuple[int, int]): ``(h, w)`` aspect ratio.
        long_side (int): the longer side, a multiple of ``size_divisor``.
        size_divisor (int): both sides are multiples of it.

    Returns:
        tuple[int, int]: ``(h, w)``.
    """
    rh, rw = ratio
    short = long_side * min(rh, rw) / max(rh, rw)
    short = max(1, int(math.floor(short / size_divisor + 0.5))) * size_divisor
    return (long_side, short) if rh >= rw else (short, long_side)


@DATA_SAMPLERS.register_module()
class AdaptiveShapeBatchSampler(Sampler):
    """Batches of ``(index, (h, w))`` where one batch shares one shape.

    Wraps an index sampler (mmengine's ``DefaultSampler`` or
    ``InfiniteSampler``) the way ``torch.utils.data.BatchSampler`` does, and
    draws for every batch an aspect ratio ``h:w`` from ``aspect_ratios`` and
    a longer side uniformly among the multiples of ``size_divisor`` in
    ``size_range``; the shorter side follows the ratio (see
    :func:`shape_for`). The dataset puts the shape into ``crop_shape`` and
    ``RandomCrop(adaptive=True)`` crops to it (crops, never resizes).

    The shapes are a pure function of ``(seed, epoch)``: ``seed`` defaults
    to the wrapped sampler's seed (which ``Runner.build_dataloader`` sets
    from its ``seed``), and the epoch is the wrapped sampler's ``epoch``,
    which mmengine's loops and ``DistSamplerSeedHook`` set through
    ``dataloader.batch_sampler.sampler.set_epoch``. In distributed training
    the seed is shared, so batch ``i`` has the same shape on every rank.

    Config (``Runner.build_dataloader`` passes ``sampler`` and
    ``batch_size``)::

        train_dataloader = dict(
            batch_size=8,
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_sampler=dict(type='AdaptiveShapeBatchSampler',
                               size_range=(128, 256)),
            ...)

    Args:
        sampler (Sampler): yields dataset indices.
        batch_size (int): samples per batch, >= 1.
        drop_last (bool): drop the last incomplete batch. Defaults to False.
        aspect_ratios (sequence): ``'h:w'`` strings or ``(h, w)`` pairs.
            Defaults to ``DEFAULT_ASPECT_RATIOS`` (1:1, 3:4, 4:3, 2:3, 3:2,
            9:16, 16:9).
        size_range (tuple[int, int]): ``(min_side, max_side)`` bounds of the
            longer side, inclusive. Defaults to ``(128, 256)``.
        size_divisor (int): every side is a multiple of it. Defaults to 8.
        seed (int, optional): shape seed; None takes the sampler's
            ``seed``, or a seed shared by all ranks. Defaults to None.
    """

    def __init__(self,
                 sampler: Sampler,
                 batch_size: int,
                 drop_last: bool = False,
                 aspect_ratios: Sequence[AspectRatio] = DEFAULT_ASPECT_RATIOS,
                 size_range: Tuple[int, int] = (128, 256),
                 size_divisor: int = 8,
                 seed: Optional[int] = None) -> None:
        if not isinstance(sampler, Sampler):
            raise TypeError('sampler must be a torch Sampler, got '
                            f'{type(sampler).__name__}')
        if (isinstance(batch_size, bool)
                or not isinstance(batch_size, Integral) or batch_size < 1):
            raise ValueError(
                f'batch_size must be a positive int, got {batch_size!r}')
        if (isinstance(size_divisor, bool)
                or not isinstance(size_divisor, Integral) or size_divisor < 1):
            raise ValueError(
                f'size_divisor must be a positive int, got {size_divisor!r}')
        if isinstance(aspect_ratios, str):
            aspect_ratios = (aspect_ratios, )
        self.aspect_ratios = [parse_aspect_ratio(r) for r in aspect_ratios]
        if not self.aspect_ratios:
            raise ValueError('aspect_ratios must not be empty')
        try:
            low, high = (int(s) for s in size_range)
        except (TypeError, ValueError):
            raise ValueError('size_range must be (min_side, max_side), got '
                             f'{size_range!r}') from None
        if not 0 < low <= high:
            raise ValueError('size_range must be (min_side, max_side) with '
                             f'0 < min_side <= max_side, got {size_range!r}')
        d = int(size_divisor)
        self.long_sides = list(range(-(-low // d) * d, high // d * d + 1, d))
        if not self.long_sides:
            raise ValueError(f'size_range {size_range!r} holds no multiple '
                             f'of size_divisor={size_divisor}')
        if seed is None:
            seed = getattr(sampler, 'seed', None)
        if seed is None:
            seed = sync_random_seed()
        if isinstance(seed, bool) or not isinstance(seed, Integral) \
                or seed < 0:
            raise ValueError(f'seed must be a non-negative int, got {seed!r}')
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)
        self.size_range = (low, high)
        self.size_divisor = d
        self.seed = int(seed)
        self._epoch = 0
        self._skip = 0

    @property
    def epoch(self) -> int:
        """The wrapped sampler's epoch if it has one, else our own."""
        return int(getattr(self.sampler, 'epoch', self._epoch))

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch here and on the wrapped sampler.

        mmengine calls ``batch_sampler.sampler.set_epoch`` directly; the
        shapes follow that too, since :attr:`epoch` reads the sampler's.

        Args:
            epoch (int): epoch number.
        """
        self._epoch = int(epoch)
        if hasattr(self.sampler, 'set_epoch'):
            self.sampler.set_epoch(epoch)

    def shapes(self, epoch: Optional[int] = None) -> Iterator[Tuple[int, int]]:
        """The endless sequence of batch shapes of an epoch.

        Args:
            epoch (int, optional): defaults to :attr:`epoch`.

        Yields:
            tuple[int, int]: ``(h, w)`` of each successive batch.
        """
        epoch = self.epoch if epoch is None else int(epoch)
        rng = np.random.default_rng([self.seed, epoch])
        while True:
            ratio = self.aspect_ratios[rng.integers(len(self.aspect_ratios))]
            long_side = self.long_sides[rng.integers(len(self.long_sides))]
            yield shape_for(ratio, long_side, self.size_divisor)

    def skip_batches(self, num_batches: int) -> None:
        """Make the next pass (only) start at batch ``num_batches``: the
        skipped batches' indices and shapes are drawn, so the rest of the
        pass is what it would have been, but they are not yielded and the
        dataset loads nothing for them. A resumed training run uses this
        (see ``FastForwardIterBasedTrainLoop``).

        Args:
            num_batches (int): batches to skip, >= 0.
        """
        if (isinstance(num_batches, bool)
                or not isinstance(num_batches, Integral) or num_batches < 0):
            raise ValueError('num_batches must be a non-negative int, got '
                             f'{num_batches!r}')
        self._skip = int(num_batches)

    def __iter__(self) -> Iterator[List[Tuple[int, Tuple[int, int]]]]:
        # read at the first draw, not when the iterator is made: a
        # DataLoader with workers makes one that it never draws from
        skip, self._skip = self._skip, 0
        yield from itertools.islice(self._batches(), skip, None)

    def _batches(self) -> Iterator[List[Tuple[int, Tuple[int, int]]]]:
        shapes = self.shapes()
        batch: List[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                shape = next(shapes)
                yield [(i, shape) for i in batch]
                batch = []
        if batch and not self.drop_last:
            shape = next(shapes)
            yield [(i, shape) for i in batch]

    def __len__(self) -> int:
        n = len(self.sampler)
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(batch_size={self.batch_size}, '
                f'drop_last={self.drop_last}, '
                f'aspect_ratios={self.aspect_ratios}, '
                f'size_range={self.size_range}, '
                f'size_divisor={self.size_divisor}, seed={self.seed})')
