"""Time to skip the batches a resumed run has already trained on.

For a config's training dataloader, times, in one process and for each skip
count: mmengine's way (draw and drop every skipped batch, so every sample is
loaded and transformed again) and ``FastForwardIterBasedTrainLoop``'s way
(replay the samplers only), each up to and including the first batch after
the skip. Checks that both give that batch the same shape.

Usage::

    python benchmarks/bench_resume_skip.py \\
        configs/in2/in2_quick_synthetic-faces.py \\
        [--skips 100 400] [--workers N] [--out FILE.json]
"""
import argparse
import json
import os
import os.path as osp
import platform
import sys
import time

import torch
from terminaltables import AsciiTable

try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--skips', type=int, nargs='+', default=[100, 400])
    p.add_argument(
        '--workers',
        type=int,
        default=None,
        help="dataloader workers (default: the config's)")
    p.add_argument('--out', default='work_dirs/bench/resume_skip.json')
    return p.parse_args(argv)


def _first_shape(batch):
    inputs = batch['inputs'] if isinstance(batch, dict) else batch
    return tuple(inputs[0].shape[-2:])


def main(argv=None):
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner

    from inpaint_toolbox.engine import EndlessIterator
    from inpaint_toolbox.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    loader_cfg = cfg.train_dataloader.copy()
    if args.workers is not None:
        loader_cfg.update(
            num_workers=args.workers, persistent_workers=args.workers > 0)

    def fresh():
        with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
            return EndlessIterator(Runner.build_dataloader(loader_cfg, seed=0))

    rows = [[
        'skipped batches', 'load and drop (s)', 'replay samplers (s)',
        'speed-up'
    ]]
    cases = []
    for num in args.skips:
        plain = fresh()
        start = time.perf_counter()
        for _ in range(num):
            next(plain)
        plain_shape = _first_shape(next(plain))
        plain_s = time.perf_counter() - start
        fast = fresh()
        start = time.perf_counter()
        assert fast.skip(num), 'these samplers cannot be replayed'
        fast_shape = _first_shape(next(fast))
        fast_s = time.perf_counter() - start
        if plain_shape != fast_shape:
            raise RuntimeError(f'after {num} batches the skips disagree: '
                               f'{plain_shape} vs {fast_shape}')
        del plain, fast
        cases.append(
            dict(
                skipped=num,
                load_and_drop_s=plain_s,
                replay_samplers_s=fast_s,
                batch_shape_after=list(fast_shape)))
        rows.append([
            num, f'{plain_s:.2f}', f'{fast_s:.2f}', f'{plain_s / fast_s:.0f}x'
        ])
    result = dict(
        config=args.config,
        batch_size=loader_cfg.batch_size,
        num_workers=loader_cfg.get('num_workers', 0),
        cases=cases,
        machine=dict(
            platform=platform.platform(),
            processor=platform.processor(),
            cpus=os.cpu_count(),
            torch=torch.__version__))
    print(AsciiTable(rows, title=osp.basename(args.config)).table)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'written {args.out}')
    return result


if __name__ == '__main__':
    main()
