"""Evaluate a checkpoint on a config's test set.

Example::

    python tools/test.py configs/in2/in2_quick_synthetic-faces.py \
        work_dirs/in2_quick_synthetic-faces/iter_3000.pth --out metrics.json

Models whose ``needs_checkpoint`` attribute is False (parameter-free
baselines such as ``OpenCVInpaintor``) run without a checkpoint::

    python tools/test.py \
        configs/baselines/opencv-telea_protocol_synthetic-faces.py

With ``--settings`` the model runs over the evaluation protocol's settings
instead of its own test set and prints one table per metric (settings as
columns; the one-method form of ``tools/compare.py``, whose other options
such as ``--protocol``, ``--long-sides`` or ``--num-samples`` pass
through)::

    python tools/test.py configs/in2/in2_quick_synthetic-faces_protocol.py \
        work_dirs/in2_quick_synthetic-faces --settings real-world \
        --long-sides 128 256 --num-samples 4 --out settings.json
"""
import argparse
import json
import os
import os.path as osp

import _bootstrap  # noqa: F401
from mmengine.config import Config, DictAction
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner, find_latest_checkpoint
from terminaltables import AsciiTable

from inpaint_toolbox.utils import register_all_modules


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test an inpainting model')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        'checkpoint', nargs='?', default=None,
        help='checkpoint file, or a work dir (its latest checkpoint is '
        'used); may be left out for models that need none')
    parser.add_argument('--work-dir', help='where logs go')
    parser.add_argument('--out', help='write the metrics to this JSON file')
    parser.add_argument(
        '--show-dir', help='write a (masked | output | gt) image per sample')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument(
        '--settings', nargs='+', metavar='SETTING',
        help='run over these protocol settings (names, patterns or the '
        'groups ideal / real-world) instead of the test set; further '
        'tools/compare.py options pass through')
    args, extra = parser.parse_known_args(argv)
    if extra and not args.settings:
        parser.error(f'unrecognized arguments: {" ".join(extra)}')
    if args.settings and (args.show_dir or args.cfg_options):
        parser.error('--show-dir and --cfg-options apply to the test set, '
                     'not to --settings (use --protocol-options there)')
    args.compare_args = extra
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def resolve_checkpoint(path: str) -> str:
    """A checkpoint file, or the latest checkpoint of a work dir."""
    if osp.isdir(path):
        latest = find_latest_checkpoint(path)
        if latest is None:
            raise SystemExit(f'no checkpoint found in work dir {path}')
        return latest
    if not osp.isfile(path):
        raise SystemExit(f'checkpoint not found: {path}')
    return path


def metrics_table(metrics: dict, title: str = 'metrics') -> str:
    """Format ``{name: value}`` as a terminal table."""
    rows = [['metric', 'value']]
    for k, v in metrics.items():
        rows.append([k, f'{v:.4f}' if isinstance(v, float) else str(v)])
    return AsciiTable(rows, title=title).table


def test_settings(args) -> dict:
    """One method over protocol settings, through ``tools/compare.py``."""
    import compare
    name = osp.splitext(osp.basename(args.config))[0]
    spec = args.config if args.checkpoint is None else \
        f'{args.config}:{args.checkpoint}'
    out_dir = args.work_dir or osp.join('work_dirs', name, 'settings')
    comparison = compare.main([
        spec, '--names', name, '--settings', *args.settings, '--out',
        out_dir, *args.compare_args
    ])
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(comparison, f, indent=2)
    return comparison


def main(argv=None):
    args = parse_args(argv)
    if args.checkpoint is not None:
        args.checkpoint = resolve_checkpoint(args.checkpoint)
    if args.settings:
        return test_settings(args)
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.show_dir:
        hooks = [h for h in cfg.get('custom_hooks', [])
                 if h.get('type') != 'InpaintVisualizationHook']
        hooks.append(dict(type='InpaintVisualizationHook',
                          show_dir=args.show_dir))
        cfg.custom_hooks = hooks
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    if args.checkpoint is None and getattr(model, 'needs_checkpoint', True):
        raise SystemExit(
            f'{args.config}: {type(model).__name__} needs a checkpoint (only '
            'models with needs_checkpoint=False, such as OpenCVInpaintor, '
            'run without one)')
    metrics = runner.test()
    metrics = {k: float(v) if hasattr(v, '__float__') else v
               for k, v in metrics.items()}
    print(metrics_table(metrics, osp.basename(args.config)))
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, checkpoint=args.checkpoint,
                           metrics=metrics), f, indent=2)
    return metrics


if __name__ == '__main__':
    main()
