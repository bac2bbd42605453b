"""Train a model from a config.

Example::

    python tools/train.py configs/in2/in2_quick_synthetic-faces.py
"""
import argparse
import os
import os.path as osp

import _bootstrap  # noqa: F401
import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from inpaint_toolbox.utils import register_all_modules


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train an inpainting model')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--work-dir', help='where logs and checkpoints go '
                        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        help='resume from a checkpoint; with no value, from the latest one '
        'in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='mixed precision (needs CUDA)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. train_cfg.max_iters=10')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher for distributed training')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def build_config(args) -> Config:
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a CUDA device; none is available')
        wrappers = cfg.optim_wrapper
        if 'constructor' in wrappers and 'optimizer' not in wrappers:
            for name, sub in wrappers.items():
                if isinstance(sub, dict):
                    sub['type'] = 'AmpOptimWrapper'
                    sub.setdefault('loss_scale', 'dynamic')
        else:
            wrappers['type'] = 'AmpOptimWrapper'
            wrappers.setdefault('loss_scale', 'dynamic')
    if not torch.cuda.is_available():
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
        cfg.env_cfg.dist_cfg['backend'] = 'gloo'
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise SystemExit(f'--resume: checkpoint not found: {args.resume}')
        cfg.resume, cfg.load_from = True, args.resume
    return cfg


def init_cpu_distributed(launcher: str) -> None:
    """Start a gloo process group for a torchrun launch without CUDA.

    mmengine's own initialization selects a CUDA device first, which fails
    on CPU-only builds; the runner skips it when a group already exists.
    """
    import torch.distributed as dist
    if launcher == 'pytorch' and not torch.cuda.is_available() \
            and not dist.is_initialized():
        dist.init_process_group(backend='gloo')


def main(argv=None):
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = build_config(args)
    init_cpu_distributed(args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


if __name__ == '__main__':
    main()
