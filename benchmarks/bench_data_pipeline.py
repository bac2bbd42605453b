"""Data pipeline time per batch against the train step's time.

Builds a config's training dataloader and model, then times, in one process
and on the same batches: fetching a batch from the dataloader in the main
process (``num_workers=0``, so the whole pipeline cost is visible) and one
``train_step`` on it. With workers the loading overlaps the step; the ratio
says how many workers hide it.

Usage::

    python benchmarks/bench_data_pipeline.py \\
        configs/baselines/conv-baseline_quick_synthetic-faces.py \\
        [--iters 10] [--out work_dirs/bench/data_pipeline.json]
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
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
    p.add_argument('--iters', type=int, default=10)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--out', default='work_dirs/bench/data_pipeline.json')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner

    from inpaint_toolbox.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
    from inpaint_toolbox.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg = Config.fromfile(args.config)
    loader_cfg = cfg.train_dataloader.copy()
    loader_cfg.update(num_workers=0, persistent_workers=False)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        loader = Runner.build_dataloader(loader_cfg, seed=0)
        model = MODELS.build(cfg.model)
        optim_cfg = cfg.optim_wrapper.copy()
        ctor = OPTIM_WRAPPER_CONSTRUCTORS.build(
            dict(type=optim_cfg.pop('constructor'),
                 optim_wrapper_cfg=optim_cfg))
        optim = ctor(model)
    model.train()
    load_t, step_t, shapes = [], [], []
    it = iter(loader)
    for i in range(args.iters + 1):
        t0 = time.perf_counter()
        batch = next(it)
        t1 = time.perf_counter()
        model.train_step(batch, optim)
        t2 = time.perf_counter()
        if i:  # the first iteration warms up
            load_t.append(t1 - t0)
            step_t.append(t2 - t1)
            shapes.append(tuple(batch['inputs'][0].shape[-2:]))
    load, step = statistics.median(load_t), statistics.median(step_t)
    result = dict(
        config=args.config,
        batch_size=loader_cfg.batch_size,
        iters=args.iters,
        threads=args.threads,
        load_s_per_batch=load,
        train_step_s=step,
        load_fraction_of_step=load / step,
        shapes=shapes,
        machine=dict(platform=platform.platform(),
                     processor=platform.processor(),
                     cpus=os.cpu_count(), torch=torch.__version__))
    rows = [['what', 'median s / batch', 'vs train step'],
            ['data pipeline (1 process)', f'{load:.4f}', f'{load / step:.1%}'],
            ['train step (baseline)', f'{step:.4f}', '100.0%']]
    print(AsciiTable(rows, title=osp.basename(args.config)).table)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'written {args.out}')
    return result


if __name__ == '__main__':
    main()
