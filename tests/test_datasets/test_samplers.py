"""AdaptiveShapeBatchSampler: one shape per batch, varied across batches."""
import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from mmengine.dataset import DefaultSampler, InfiniteSampler
from mmengine.hooks import DistSamplerSeedHook
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, set_random_seed
from torch.utils.data import SequentialSampler

from inpaint_toolbox.datasets import AdaptiveShapeBatchSampler
from inpaint_toolbox.datasets.samplers import parse_aspect_ratio, shape_for

RATIOS = {(1, 1), (3, 4), (4, 3), (2, 3), (3, 2), (9, 16), (16, 9)}


def _sampler(n=50, batch_size=4, seed=0, shuffle=True, **kwargs):
    base = DefaultSampler(list(range(n)), shuffle=shuffle, seed=seed)
    return AdaptiveShapeBatchSampler(base, batch_size, **kwargs)


def _closest_ratio(h, w):
    return min(RATIOS, key=lambda r: abs(np.log(h / w) - np.log(r[0] / r[1])))


def test_batches_share_one_shape_and_cover_all_indices():
    batches = list(_sampler(n=50, batch_size=4))
    assert len(batches) == 13 and [len(b) for b in batches][-1] == 2
    indices = [i for b in batches for i, _ in b]
    assert sorted(indices) == list(range(50))
    for batch in batches:
        assert len({shape for _, shape in batch}) == 1


@pytest.mark.parametrize('size_range,divisor', [((128, 256), 8),
                                                ((30, 70), 16), ((64, 64), 8)])
def test_shapes_respect_range_divisor_and_ratios(size_range, divisor):
    bs = _sampler(size_range=size_range, size_divisor=divisor)
    shapes = list(itertools.islice(bs.shapes(), 300))
    for h, w in shapes:
        assert h % divisor == 0 and w % divisor == 0
        assert size_range[0] <= max(h, w) <= size_range[1]
        rh, rw = _closest_ratio(h, w)
        # rounding to the divisor moves the short side by at most d / 2
        assert abs(min(h, w) - max(h, w) * min(rh, rw) / max(rh, rw)) \
            <= divisor / 2
    long_sides = list(range(size_range[0], size_range[1] + 1))
    assert {max(s)
            for s in shapes} == {s
                                 for s in long_sides if s % divisor == 0}
    if size_range == (128, 256):
        assert {_closest_ratio(h, w) for h, w in shapes} == RATIOS


def test_shape_for_and_ratio_parsing():
    assert shape_for((9, 16), 256, 8) == (144, 256)
    assert shape_for((16, 9), 64, 8) == (64, 40)  # 36 rounds half up to 40
    assert shape_for((1, 1), 128, 8) == (128, 128)
    assert shape_for((1, 9), 16, 8) == (8, 16)  # at least one multiple
    assert parse_aspect_ratio('3:4') == (3, 4)
    assert parse_aspect_ratio((2, 3)) == (2, 3)
    for bad in ['3/4', '3:4:5', '0:1', 'a:b', (1.5, 2), '-1:2']:
        with pytest.raises(ValueError, match='aspect ratio'):
            parse_aspect_ratio(bad)


def test_only_listed_ratios_are_drawn():
    bs = _sampler(aspect_ratios=['9:16'], size_range=(128, 256))
    shapes = set(itertools.islice(bs.shapes(), 50))
    assert all(w > h and abs(h / w - 9 / 16) < 0.05 for h, w in shapes)


@pytest.mark.parametrize('n,batch_size,drop_last,expected',
                         [(50, 4, False, 13), (50, 4, True, 12),
                          (48, 4, True, 12), (3, 4, True, 0),
                          (3, 4, False, 1)])
def test_len_matches_iteration(n, batch_size, drop_last, expected):
    bs = _sampler(n=n, batch_size=batch_size, drop_last=drop_last)
    assert len(bs) == expected == len(list(bs))
    if drop_last:
        assert all(len(b) == batch_size for b in bs)


def test_deterministic_per_seed_and_epoch():
    a, b = _sampler(seed=3), _sampler(seed=3)
    assert list(a) == list(b)
    assert list(a) == list(a)  # iterating again repeats the epoch
    first = list(a)
    a.set_epoch(1)
    assert a.sampler.epoch == 1  # forwarded to the wrapped sampler
    second = list(a)
    assert [s for _, s in (x[0] for x in first)] != \
        [s for _, s in (x[0] for x in second)]
    # mmengine sets the epoch on the wrapped sampler only; shapes follow
    b.sampler.set_epoch(1)
    assert list(b) == second
    assert list(_sampler(seed=4)) != first


def test_seed_defaults_to_the_wrapped_samplers_seed():
    assert _sampler(seed=11).seed == 11
    explicit = AdaptiveShapeBatchSampler(
        DefaultSampler(list(range(8)), seed=11), 2, seed=5)
    assert explicit.seed == 5
    # a sampler without a seed: a shared seed drawn from numpy's global RNG
    seeds = []
    for _ in range(2):
        np.random.seed(0)
        seeds.append(
            AdaptiveShapeBatchSampler(SequentialSampler(range(8)), 2).seed)
    assert seeds[0] == seeds[1]


def test_infinite_sampler_is_supported():
    base = InfiniteSampler(list(range(5)), shuffle=True, seed=0)
    bs = AdaptiveShapeBatchSampler(base, 3, size_range=(16, 32))
    batches = list(itertools.islice(iter(bs), 7))
    assert all(len(b) == 3 and len({s for _, s in b}) == 1 for b in batches)


@pytest.mark.parametrize('kwargs,error,match', [
    (dict(batch_size=0), ValueError, 'batch_size'),
    (dict(size_range=(200, 100)), ValueError, 'size_range'),
    (dict(size_range=(9, 15), size_divisor=16), ValueError, 'multiple'),
    (dict(size_divisor=0), ValueError, 'size_divisor'),
    (dict(aspect_ratios=[]), ValueError, 'aspect_ratios'),
    (dict(aspect_ratios=['wide']), ValueError, 'wide'),
    (dict(seed=-1), ValueError, 'seed'),
    (dict(sampler=[0, 1, 2]), TypeError, 'Sampler'),
])
def test_argument_errors(kwargs, error, match):
    args = dict(sampler=DefaultSampler(list(range(8)), seed=0), batch_size=2)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        AdaptiveShapeBatchSampler(**args)


def _build_loader(seed):
    cfg = dict(
        batch_size=4,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=True),
        batch_sampler=dict(
            type='AdaptiveShapeBatchSampler', size_range=(32, 64)),
        dataset=dict(
            type='SyntheticFaceDataset',
            num_samples=32,
            img_size=(48, 40),
            pipeline=[
                dict(type='RandomCrop', adaptive=True),
                dict(type='RandomFlip'),
                dict(type='GenerateMask', generator=dict(type='BoxMask')),
                dict(type='PackInpaintInputs'),
            ]),
        collate_fn=dict(type='pseudo_collate'))
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        return Runner.build_dataloader(cfg, seed=seed)


def _run_epoch(loader, seed):
    set_random_seed(seed)  # what the runner's `randomness` does
    out = []
    for batch in loader:
        shapes = {tuple(x.shape) for x in batch['inputs']}
        assert len(shapes) == 1, shapes
        for x, s in zip(batch['inputs'], batch['data_samples']):
            assert tuple(s.mask.shape[-2:]) == tuple(x.shape[-2:])
        samples = batch['data_samples']
        indices = [s.sample_idx for s in samples]
        pixel_sums = [int(x.sum()) for x in batch['inputs']]
        hole_sums = [int(s.mask.sum()) for s in samples]
        out.append((shapes.pop(), indices, pixel_sums, hole_sums))
    return out


def test_runner_dataloader_gives_one_shape_per_batch_and_repeats():
    loader = _build_loader(seed=0)
    assert isinstance(loader.batch_sampler, AdaptiveShapeBatchSampler)
    assert loader.batch_sampler.seed == 0
    epoch0 = _run_epoch(loader, 0)
    shapes = [e[0] for e in epoch0]
    assert len(epoch0) == 8 and len(set(shapes)) >= 4
    assert len({_closest_ratio(h, w) for _, h, w in shapes}) >= 3
    # a second build with the same seed repeats shapes, order and pixels
    assert _run_epoch(_build_loader(seed=0), 0) == epoch0
    # mmengine's DistSamplerSeedHook reaches batch_sampler.sampler.set_epoch
    runner = SimpleNamespace(
        epoch=1, train_loop=SimpleNamespace(dataloader=loader))
    DistSamplerSeedHook().before_train_epoch(runner)
    assert loader.batch_sampler.epoch == 1
    epoch1 = _run_epoch(loader, 0)
    assert [e[0] for e in epoch1] != shapes
    assert _run_epoch(_build_loader(seed=1), 0) != epoch0
