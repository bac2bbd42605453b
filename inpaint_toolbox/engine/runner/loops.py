"""An iteration-based train loop that resumes without loading the data it
skips.

mmengine's ``IterBasedTrainLoop`` resumes at iteration ``n`` by drawing and
discarding ``n`` batches, so every skipped sample is read (or, for the
synthetic faces, rendered) and transformed again: minutes at a few thousand
iterations, hours at a few hundred thousand. Which samples a batch holds is
decided by the samplers alone, so the same position can be reached by
replaying the samplers and loading nothing.
"""
import collections
import itertools
import logging
import time
from typing import Iterator, Optional, Sequence

from mmengine.dataset import DefaultSampler, InfiniteSampler
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop
from torch.utils.data import (BatchSampler, DataLoader, IterableDataset,
                              Sampler, SequentialSampler)

from inpaint_toolbox.registry import LOOPS


class _SkipFirstIndices(Sampler):
    """Stands in for ``owner.sampler`` for one iteration: yields the wrapped
    sampler's indices from the ``num_indices``-th on, then puts the wrapped
    sampler back."""

    def __init__(self, owner, num_indices: int) -> None:
        self.owner = owner
        self.wrapped = owner.sampler
        self.num_indices = num_indices

    def __iter__(self) -> Iterator:
        # a generator: this runs at the first draw, not when the iterator is
        # made (a DataLoader with workers makes one it never draws from)
        self.owner.sampler = self.wrapped
        indices = iter(self.wrapped)
        collections.deque(
            itertools.islice(indices, self.num_indices), maxlen=0)
        yield from indices

    def __len__(self) -> int:
        return len(self.wrapped)

    def __getattr__(self, name):
        # set_epoch, epoch, seed, ...: the wrapped sampler's
        if name in ('owner', 'wrapped', 'num_indices'):
            raise AttributeError(name)
        return getattr(self.wrapped, name)


def _index_sampler(dataloader: DataLoader) -> Optional[Sampler]:
    batch_sampler = getattr(dataloader, 'batch_sampler', None)
    return getattr(batch_sampler, 'sampler', None)


# index samplers whose order is a pure function of (seed, epoch): a pass
# can be replayed without the passes before it
_REPLAYABLE = (DefaultSampler, InfiniteSampler, SequentialSampler)


def _set_epoch(dataloader: DataLoader, epoch: int) -> None:
    """Set the epoch where mmengine's endless iterator sets it on a new
    pass: on the loader's sampler if it takes one, else on the batch
    sampler's."""
    for sampler in (getattr(dataloader, 'sampler',
                            None), _index_sampler(dataloader)):
        if hasattr(sampler, 'set_epoch'):
            sampler.set_epoch(epoch)
            return


def skip_batches_without_loading(dataloader: DataLoader,
                                 num_batches: int) -> Optional[int]:
    """Arrange for the next ``iter(dataloader)`` to start where ``num_batches``
    draws from an endless iterator over ``dataloader`` would have left off,
    without loading a sample.

    An endless iterator (mmengine's, or :class:`EndlessIterator`) runs
    through one pass of the loader, then sets the next epoch on the sampler
    and starts again. After ``num_batches`` draws it is therefore at batch
    ``num_batches % len(dataloader)`` of epoch
    ``num_batches // len(dataloader)`` (a single endless pass for
    mmengine's ``InfiniteSampler``). This function sets that epoch and
    makes the batch sampler skip that many batches on its next pass, by
    drawing their indices (and, for a batch sampler with a
    ``skip_batches(n)`` method such as ``AdaptiveShapeBatchSampler``, their
    shapes) and nothing else.

    The batches that follow hold the same samples as after the plain skip.
    Random transforms draw from worker random states, which differ from a
    plain skip's (as they do between any two runs with workers).

    Only samplers whose order is a pure function of their seed and epoch
    can be replayed: mmengine's ``DefaultSampler`` and ``InfiniteSampler``
    and torch's ``SequentialSampler``, under torch's ``BatchSampler`` or a
    batch sampler with ``skip_batches``. Anything else (a sampler drawing
    from the global random state, an iterable dataset) returns None.

    Args:
        dataloader (DataLoader): a loader with a batch sampler.
        num_batches (int): batches to skip, >= 0.

    Returns:
        int or None: the epoch the endless iterator is now in, or None if
        the samplers cannot be replayed (nothing was changed then; skip by
        loading).
    """
    if num_batches < 0:
        raise ValueError(f'num_batches must be >= 0, got {num_batches}')
    batch_sampler = getattr(dataloader, 'batch_sampler', None)
    native = callable(getattr(batch_sampler, 'skip_batches', None))
    index_sampler = _index_sampler(dataloader)
    if (not native and type(batch_sampler) is not BatchSampler) \
            or isinstance(dataloader.dataset, IterableDataset) \
            or not isinstance(index_sampler, _REPLAYABLE) \
            or len(dataloader) == 0:
        return None
    if isinstance(index_sampler, InfiniteSampler):
        epoch, position = 0, num_batches
    else:
        epoch, position = divmod(num_batches, len(dataloader))
    _set_epoch(dataloader, epoch)
    if native:
        batch_sampler.skip_batches(position)
    elif position:
        # every batch before the last one of a pass is full
        batch_sampler.sampler = _SkipFirstIndices(
            batch_sampler, position * batch_sampler.batch_size)
    return epoch


class EndlessIterator:
    """Draws batches from a dataloader forever, setting the next epoch on
    its sampler at the end of every pass (what mmengine's iteration-based
    loop does), and can be moved forward without loading data.

    Args:
        dataloader (DataLoader): the training loader.
    """

    #: seconds to wait before a new pass, as mmengine's loop does (a guard
    #: it keeps against a worker deadlock at pass boundaries)
    pass_pause_s = 2.0

    def __init__(self, dataloader: DataLoader) -> None:
        self.dataloader = dataloader
        self.epoch = 0
        self._iterator: Optional[Iterator] = None  # made on the first draw

    def __iter__(self) -> 'EndlessIterator':
        return self

    def __next__(self) -> Sequence[dict]:
        if self._iterator is None:
            self._iterator = iter(self.dataloader)
        try:
            return next(self._iterator)
        except StopIteration:
            pass
        self.epoch += 1
        _set_epoch(self.dataloader, self.epoch)
        time.sleep(self.pass_pause_s)
        self._iterator = iter(self.dataloader)
        return next(self._iterator)

    def skip(self, num_batches: int) -> bool:
        """Move forward by ``num_batches`` batches from the start of the
        current epoch's pass (call it before the first draw).

        Replays the samplers only (see :func:`skip_batches_without_loading`)
        where the batch sampler allows it, else draws and drops the batches.

        Args:
            num_batches (int): batches to skip, >= 0.

        Returns:
            bool: True if nothing was loaded for the skipped batches.
        """
        epoch = skip_batches_without_loading(self.dataloader, num_batches)
        if epoch is None:
            for _ in range(num_batches):
                next(self)
            return False
        self.epoch = epoch
        self._iterator = None
        return True


@LOOPS.register_module()
class FastForwardIterBasedTrainLoop(IterBasedTrainLoop):
    """mmengine's ``IterBasedTrainLoop`` whose resume replays the samplers
    instead of loading every skipped batch.

    A run resumed at iteration ``n`` trains on the same samples, in the same
    order and (with ``AdaptiveShapeBatchSampler``) at the same batch shapes
    as the plain loop would after its skip, and starts at once. Batch
    samplers other than ``AdaptiveShapeBatchSampler`` and torch's
    ``BatchSampler`` fall back to the plain skip, with a log line. Takes the
    same arguments as ``IterBasedTrainLoop``::

        train_cfg = dict(type='FastForwardIterBasedTrainLoop',
                         max_iters=100_000, val_interval=5000)
    """

    def __init__(self, runner, dataloader, *args, **kwargs) -> None:
        super().__init__(runner, dataloader, *args, **kwargs)
        self.dataloader_iterator = EndlessIterator(self.dataloader)

    def run(self):
        """Train from the current iteration to ``max_iters``."""
        self.runner.call_hook('before_train')
        # the whole run is one long epoch for the hooks
        self.runner.call_hook('before_train_epoch')
        if self._iter > 0:
            self._skip_trained_batches()
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter(next(self.dataloader_iterator))
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def _skip_trained_batches(self) -> None:
        start = time.perf_counter()
        fast = self.dataloader_iterator.skip(self._iter)
        batch_sampler = self.dataloader.batch_sampler
        how = ('by replaying the samplers' if fast else
               'by loading them (these samplers cannot be replayed: '
               f'{type(batch_sampler).__name__} over '
               f'{type(getattr(batch_sampler, "sampler", None)).__name__})')
        print_log(
            f'Skipped the {self._iter} batches trained before the resume '
            f'{how} in {time.perf_counter() - start:.1f} s; the data is now '
            f'at epoch {self.dataloader_iterator.epoch}',
            logger='current',
            level=logging.INFO if fast else logging.WARNING)
