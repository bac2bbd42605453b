"""Resuming without loading the skipped data: the batches after a fast
skip are the batches after mmengine's plain skip."""
import mmengine.runner.loops as mmengine_loops
import pytest
import torch
from mmengine.dataset import DefaultSampler, InfiniteSampler
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import (BatchSampler, DataLoader, Dataset,
                              IterableDataset, Sampler)

from inpaint_toolbox.datasets import AdaptiveShapeBatchSampler
from inpaint_toolbox.engine import (EndlessIterator,
                                    FastForwardIterBasedTrainLoop,
                                    skip_batches_without_loading)

NUM_SAMPLES = 10
BATCH = 4  # 3 batches a pass, the last one partial


class _Echo(Dataset):
    """Returns what it was asked for and counts loads (in this process)."""

    def __init__(self, num=NUM_SAMPLES):
        self.num = num
        self.loads = 0

    def __len__(self):
        return self.num

    def __getitem__(self, item):
        self.loads += 1
        index, shape = item if isinstance(item, tuple) else (item, None)
        return dict(index=int(index), shape=shape)


def _collate(items):
    return [(d['index'], d['shape']) for d in items]


class _OddBatches(Sampler):
    """A batch sampler the fast skip does not know."""

    def __init__(self, sampler, batch_size):
        self.sampler = sampler
        self.batch_size = batch_size

    def __iter__(self):
        batch = []
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def __len__(self):
        return -(-len(self.sampler) // self.batch_size)


def _loader(kind, num_workers=0, drop_last=False):
    dataset = _Echo()
    index_cls = InfiniteSampler if 'infinite' in kind else DefaultSampler
    sampler = index_cls(dataset, shuffle=True, seed=3)
    common = dict(
        collate_fn=_collate,
        num_workers=num_workers,
        persistent_workers=num_workers > 0)
    if kind.startswith('adaptive'):
        batch_sampler = AdaptiveShapeBatchSampler(
            sampler, BATCH, drop_last=drop_last, size_range=(16, 96))
        return DataLoader(dataset, batch_sampler=batch_sampler, **common)
    if kind == 'odd':
        return DataLoader(
            dataset, batch_sampler=_OddBatches(sampler, BATCH), **common)
    return DataLoader(
        dataset,
        batch_size=BATCH,
        sampler=sampler,
        drop_last=drop_last,
        **common)


@pytest.fixture(autouse=True)
def _no_pause_between_passes(monkeypatch):
    monkeypatch.setattr(EndlessIterator, 'pass_pause_s', 0.0)


def _draw(iterator, num):
    return [next(iterator) for _ in range(num)]


KINDS = ['adaptive', 'torch', 'infinite', 'adaptive-infinite']


@pytest.mark.parametrize('kind', KINDS)
@pytest.mark.parametrize('skip', [0, 1, 2, 3, 5, 6, 7, 13])
def test_fast_skip_gives_the_plain_skips_batches(kind, skip):
    plain = EndlessIterator(_loader(kind))
    expected = _draw(plain, skip + 5)[skip:]
    loader = _loader(kind)
    fast = EndlessIterator(loader)
    assert fast.skip(skip) is True
    assert fast.epoch == (0 if 'infinite' in kind else skip // 3)
    assert _draw(fast, 5) == expected
    assert fast.epoch == plain.epoch
    # nothing was loaded for the skipped batches: 5 batches of at most 4
    assert loader.dataset.loads <= 5 * BATCH
    if kind.startswith('adaptive'):
        assert len({shape for batch in expected for _, shape in batch}) > 1


@pytest.mark.parametrize('kind', ['adaptive', 'torch'])
def test_fast_skip_with_dropped_last_batch(kind):
    # 2 full batches a pass, the partial one dropped
    plain = EndlessIterator(_loader(kind, drop_last=True))
    expected = _draw(plain, 9)[5:]
    fast = EndlessIterator(_loader(kind, drop_last=True))
    fast.skip(5)
    assert fast.epoch == 2
    assert _draw(fast, 4) == expected
    assert all(len(batch) == BATCH for batch in expected)


@pytest.mark.parametrize('kind', ['adaptive', 'torch'])
def test_fast_skip_with_worker_processes(kind):
    plain = EndlessIterator(_loader(kind, num_workers=2))
    expected = _draw(plain, 12)[7:]
    fast = EndlessIterator(_loader(kind, num_workers=2))
    assert fast.skip(7)
    assert _draw(fast, 5) == expected


def test_endless_iterator_matches_mmengines(monkeypatch):
    # mmengine pauses 2 s at every pass boundary; not needed to compare
    monkeypatch.setattr(mmengine_loops.time, 'sleep', lambda s: None)
    for kind in ('adaptive', 'torch'):
        ours = _draw(EndlessIterator(_loader(kind)), 8)
        theirs = _draw(
            mmengine_loops._InfiniteDataloaderIterator(_loader(kind)), 8)
        assert ours == theirs
        # passes differ: the epoch really reaches the sampler
        assert sorted(i for b in ours[:3] for i, _ in b) == list(range(10))
        assert [i for b in ours[:3] for i, _ in b] != \
            [i for b in ours[3:6] for i, _ in b]


def test_unknown_batch_sampler_falls_back_to_loading():
    plain = EndlessIterator(_loader('odd'))
    expected = _draw(plain, 9)[4:]
    loader = _loader('odd')
    assert skip_batches_without_loading(loader, 4) is None
    fast = EndlessIterator(loader)
    assert fast.skip(4) is False
    assert loader.dataset.loads > 0  # the skipped batches were loaded
    assert _draw(fast, 5) == expected


def test_samplers_that_cannot_be_replayed_fall_back():
    dataset = _Echo()
    # a permutation from the global random state: a pass depends on what
    # was drawn before it, so it cannot be replayed alone
    loader = DataLoader(
        dataset, batch_size=BATCH, shuffle=True, collate_fn=_collate)
    assert skip_batches_without_loading(loader, 2) is None

    class Stream(IterableDataset):

        def __iter__(self):
            return iter(range(100))

    assert skip_batches_without_loading(
        DataLoader(Stream(), batch_size=BATCH), 2) is None
    # a sequential pass is the same every time: it can be replayed
    seq = DataLoader(dataset, batch_size=BATCH, collate_fn=_collate)
    assert skip_batches_without_loading(seq, 1) == 0
    assert [i for i, _ in next(iter(seq))] == [4, 5, 6, 7]


def test_index_skip_is_one_shot_and_restores_the_sampler():
    loader = _loader('torch')
    sampler = loader.batch_sampler.sampler
    assert type(loader.batch_sampler) is BatchSampler
    assert skip_batches_without_loading(loader, 4) == 1
    # until the next pass the stand-in forwards to the real sampler
    assert loader.batch_sampler.sampler.epoch == 1
    assert len(loader.batch_sampler.sampler) == NUM_SAMPLES
    first = list(loader)
    assert loader.batch_sampler.sampler is sampler
    assert len(first) == 2 and sum(map(len, first)) == NUM_SAMPLES - BATCH
    assert sum(map(len, list(loader))) == NUM_SAMPLES  # next pass is whole


def test_adaptive_skip_batches():
    dataset = _Echo()
    bs = AdaptiveShapeBatchSampler(
        DefaultSampler(dataset, shuffle=True, seed=1), BATCH)
    whole = list(bs)
    bs.skip_batches(2)
    assert list(bs) == whole[2:]
    assert list(bs) == whole  # once only
    bs.skip_batches(10)
    assert list(bs) == []
    for bad in (-1, 1.5, True, '2'):
        with pytest.raises(ValueError, match='non-negative int'):
            bs.skip_batches(bad)
    with pytest.raises(ValueError, match='>= 0'):
        skip_batches_without_loading(_loader('torch'), -1)


# ---------------------------------------------------------------- runner


class _Toy(BaseModel):

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))

    def forward(self, batch, mode='loss'):
        indices = torch.tensor([float(i) for i, _ in batch])
        return dict(loss=((self.weight - indices)**2).mean())


class _Record(Hook):

    def __init__(self):
        self.batches = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.batches.append((batch_idx, data_batch))


def _collate_dict(items):
    return dict(batch=_collate(items))


def _runner(work_dir, max_iters, record, resume=False):
    dataset = _Echo()
    loader = DataLoader(
        dataset,
        batch_sampler=AdaptiveShapeBatchSampler(
            DefaultSampler(dataset, shuffle=True, seed=5),
            BATCH,
            size_range=(16, 96)),
        collate_fn=_collate_dict)
    runner = Runner(
        model=_Toy(),
        work_dir=str(work_dir),
        train_dataloader=loader,
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(
            type='FastForwardIterBasedTrainLoop',
            max_iters=max_iters,
            val_interval=1000),
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=4, by_epoch=False),
            logger=dict(type='LoggerHook', interval=1),
            safe_checkpoint=dict(type='SafeCheckpointHook')),
        custom_hooks=[record],
        default_scope='inpaint_toolbox',
        resume=resume,
        randomness=dict(seed=0),
        experiment_name=f'ff_{work_dir.name}_{max_iters}_{resume}')
    return runner, dataset


def test_resumed_run_trains_on_the_same_batches(tmp_path, caplog):
    whole = _Record()
    runner, _ = _runner(tmp_path / 'whole', 10, whole)
    assert isinstance(runner.train_loop, FastForwardIterBasedTrainLoop)
    runner.train()

    first = _Record()
    _runner(tmp_path / 'split', 4, first)[0].train()
    second = _Record()
    runner, dataset = _runner(tmp_path / 'split', 10, second, resume=True)
    runner.train()
    assert [i for i, _ in second.batches] == list(range(4, 10))
    assert first.batches + second.batches == whole.batches
    # only the 6 trained batches were loaded, none of the 4 skipped
    assert dataset.loads == sum(len(b['batch']) for _, b in second.batches)
    assert runner.train_loop.dataloader_iterator.epoch == 3


def test_resume_skip_benchmark_runs(tmp_path):
    import importlib.util
    import os.path as osp
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    spec = importlib.util.spec_from_file_location(
        'bench_resume_skip',
        osp.join(root, 'benchmarks', 'bench_resume_skip.py'))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / 'skip.json'
    result = bench.main([
        osp.join(root, 'tests', 'data', 'configs', 'tiny_baseline.py'),
        '--skips', '3', '40', '--workers', '0', '--out',
        str(out)
    ])
    # 40 batches of 2 cross the 32-batch pass of the tiny config's 64 faces
    assert [c['skipped'] for c in result['cases']] == [3, 40]
    assert out.exists()
