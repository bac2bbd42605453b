"""Compare inpainting methods over the settings of an evaluation protocol.

Model mode: every ``CONFIG[:CHECKPOINT]`` (a checkpoint file or a work dir;
none for models with ``needs_checkpoint = False``, such as
``OpenCVInpaintor``) runs over the same image-mask pairs of every setting of
``--protocol``; one methods x settings table per metric is printed and
written as JSON and Markdown, and ``--plot`` draws quality against
resolution (PNG)::

    CKPT=work_dirs/in2_quick_synthetic-faces/iter_600.pth
    python tools/compare.py \\
        configs/baselines/opencv-telea_protocol_synthetic-faces.py \\
        configs/in2/in2_quick_synthetic-faces_protocol.py:$CKPT \\
        --long-sides 128 256 512 --ideal-sizes 128x128 --num-samples 8 \\
        --out work_dirs/compare --plot

Prediction-folder mode: metrics between folders of saved predictions and
ground truth (paired by relative path without extension)::

    python tools/compare.py --pred-dir results/method_a results/method_b \\
        --gt-dir data/eval/images --mask-dir data/eval/masks \\
        --mask-hole-value white --out work_dirs/compare_folders
"""
import argparse
import json
import os
import os.path as osp
import platform
import time
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import _bootstrap  # noqa: F401
import torch
from _protocol import protocol_settings, select_settings, setting_dataloader
from _report import (TIME_KEY, markdown, plot_quality_vs_resolution,
                     table_metrics, terminal_tables)
from mmengine.config import Config, DictAction
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, find_latest_checkpoint

from inpaint_toolbox.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_PROTOCOL = osp.join(ROOT, 'configs', '_base_', 'datasets',
                            'protocol_synthetic-faces.py')
MAX_LISTED = 50


# ------------------------------------------------------------------ methods
def parse_method(spec: str) -> Tuple[str, Optional[str]]:
    """``'a.py'`` -> ``('a.py', None)``; ``'a.py:ckpt'`` -> ``('a.py',
    'ckpt')``."""
    if '.py:' in spec:
        config, _, ckpt = spec.partition('.py:')
        return config + '.py', ckpt or None
    return spec, None


def resolve_checkpoint(path: str) -> str:
    """A checkpoint file, or the latest checkpoint of a work dir."""
    if osp.isdir(path):
        latest = find_latest_checkpoint(path)
        if latest is None:
            raise FileNotFoundError(f'no checkpoint found in work dir {path}')
        return latest
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {path}')
    return path


def build_method(config: str, checkpoint: Optional[str],
                 device: str = 'cpu') -> torch.nn.Module:
    """Build a config's model in eval mode, with its checkpoint loaded.

    Raises:
        ValueError: the model needs a checkpoint and none was given, or the
            checkpoint does not fit.
    """
    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils import safe_load
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        model = MODELS.build(cfg.model)
    if checkpoint is None:
        if getattr(model, 'needs_checkpoint', True):
            raise ValueError(
                f'{config}: {type(model).__name__} needs a checkpoint; give '
                'it as CONFIG:CHECKPOINT (a file or a work dir)')
    else:
        path = resolve_checkpoint(checkpoint)
        state = safe_load(path, map_location='cpu')
        state = state.get('state_dict', state)
        missing, _ = model.load_state_dict(state, strict=False)
        missing = [k for k in missing
                   if not k.startswith('data_preprocessor')]
        if missing:
            raise ValueError(f'{path} does not fit {config}: '
                             f'{len(missing)} weights missing, e.g. '
                             f'{missing[:5]}')
    return model.to(device).eval()


def evaluate(model: torch.nn.Module, loader_cfg: dict,
             metrics: Sequence[dict]) -> Dict[str, float]:
    """Metrics of one model on one dataloader, plus seconds per image.

    Returns:
        dict: ``{metric: value}`` and ``seconds_per_image`` (model time,
        data loading excluded).
    """
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        loader = Runner.build_dataloader(loader_cfg, seed=0)
        evaluator = Evaluator([dict(m) for m in metrics])
    seconds, count = 0.0, 0
    for batch in loader:
        start = time.perf_counter()
        with torch.no_grad():
            outputs = model.test_step(batch)
        seconds += time.perf_counter() - start
        count += len(outputs)
        evaluator.process(data_samples=outputs, data_batch=batch)
    values = evaluator.evaluate(len(loader.dataset))
    values = {k: float(v) for k, v in values.items()}
    values[TIME_KEY] = seconds / max(count, 1)
    return values


def method_names(specs: Sequence[str],
                 names: Optional[Sequence[str]]) -> List[str]:
    if names:
        if len(names) != len(specs):
            raise ValueError(f'{len(names)} --names for {len(specs)} '
                             'methods')
        out = list(names)
    else:
        out = [osp.splitext(osp.basename(s))[0] for s in specs]
    if len(set(out)) != len(out):
        raise ValueError(f'method names must differ, got {out}: use --names')
    return out


def compare_models(args) -> dict:
    """Run every method over the selected settings (model mode)."""
    register_all_modules(init_default_scope=False)
    proto_cfg = Config.fromfile(args.protocol)
    if args.protocol_options:
        proto_cfg.merge_from_dict(args.protocol_options)
    if 'protocol' not in proto_cfg:
        raise ValueError(f'{args.protocol} has no `protocol` entry (see '
                         'configs/_base_/datasets/protocol_*.py)')
    protocol = proto_cfg.protocol.to_dict()
    settings = select_settings(
        protocol_settings(protocol, args.ideal_sizes, args.aspect_ratios,
                          args.long_sides), args.settings)
    specs = [parse_method(m) for m in args.methods]
    names = method_names([c for c, _ in specs], args.names)
    comparison = dict(
        protocol=dict(file=args.protocol, name=protocol.get('name'),
                      num_samples=args.num_samples),
        settings=[s.to_dict() for s in settings], methods=[],
        results={}, machine=machine())
    for name, (config, ckpt) in zip(names, specs):
        model = build_method(config, ckpt, args.device)
        comparison['methods'].append(
            dict(name=name, config=config, checkpoint=ckpt))
        comparison['results'][name] = {}
        for setting in settings:
            loader = setting_dataloader(protocol, setting, args.num_samples)
            start = time.perf_counter()
            values = evaluate(model, loader, protocol['evaluator'])
            comparison['results'][name][setting.name] = values
            print(f'[{name}] {setting.name}: ' + ', '.join(
                f'{k}={v:.4g}' for k, v in values.items()
                if not k.startswith('part_err_') or k == 'part_err_mean') +
                f' ({time.perf_counter() - start:.1f} s)', flush=True)
        del model
    return comparison


# ------------------------------------------------------ prediction folders
def _by_stem(folder: str) -> Dict[str, str]:
    from inpaint_toolbox.datasets import scan_images
    files = scan_images(folder)
    by_stem: Dict[str, str] = {}
    for rel in files:
        stem = osp.splitext(rel)[0]
        if stem in by_stem:
            raise ValueError(f'{folder!r} holds two files named {stem!r}: '
                             f'{by_stem[stem]!r} and {rel!r}')
        by_stem[stem] = rel
    return by_stem


def _listing(names: Sequence[str]) -> str:
    shown = ', '.join(names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return shown + (f' ... and {more} more' if more > 0 else '')


def pair_folders(pred_dir: str, gt_dir: str,
                 mask_dir: Optional[str] = None) -> List[Tuple]:
    """Pair predictions, ground truth (and masks) by relative path without
    extension.

    Returns:
        list[tuple]: ``(pred_path, gt_path, mask_path or None)`` in ground
        truth order.

    Raises:
        FileNotFoundError: a folder is missing or empty, or predictions
            (masks) are missing for some ground-truth images; the message
            lists them.
        ValueError: two files of one folder share a name.
    """
    gts = _by_stem(gt_dir)
    if not gts:
        raise FileNotFoundError(f'no images in ground-truth folder {gt_dir!r}')
    preds = _by_stem(pred_dir)
    missing = [gts[s] for s in gts if s not in preds]
    if missing:
        raise FileNotFoundError(
            f'prediction folder {pred_dir!r} lacks {len(missing)} of '
            f'{len(gts)} ground-truth images of {gt_dir!r}: '
            f'{_listing(missing)}')
    extra = [preds[s] for s in preds if s not in gts]
    if extra:
        warnings.warn(f'{pred_dir!r}: {len(extra)} predictions without '
                      f'ground truth are ignored: {_listing(extra)}')
    masks = _by_stem(mask_dir) if mask_dir else {}
    if mask_dir:
        no_mask = [gts[s] for s in gts if s not in masks]
        if no_mask:
            raise FileNotFoundError(
                f'mask folder {mask_dir!r} lacks masks for {len(no_mask)} '
                f'ground-truth images: {_listing(no_mask)}')
    return [(osp.join(pred_dir, preds[s]), osp.join(gt_dir, gts[s]),
             osp.join(mask_dir, masks[s]) if mask_dir else None)
            for s in gts]


def folder_metrics(with_masks: bool) -> List[dict]:
    """Default metrics of the prediction-folder mode."""
    if with_masks:
        return [dict(type='PSNR', mask_mode='hole'), dict(type='PSNR'),
                dict(type='SSIM'), dict(type='MAE', mask_mode='hole')]
    return [dict(type='PSNR'), dict(type='SSIM'), dict(type='MAE')]


def evaluate_folders(pred_dir: str, gt_dir: str,
                     mask_dir: Optional[str] = None,
                     hole_value: Optional[str] = None,
                     metrics: Optional[Sequence[dict]] = None
                     ) -> Dict[str, float]:
    """Metrics between a prediction folder and a ground-truth folder.

    Args:
        pred_dir (str): predictions (any image format).
        gt_dir (str): ground truth.
        mask_dir (str, optional): masks (1 = hole after reading with
            ``hole_value``); needed by hole-only metrics.
        hole_value (str, optional): ``'white'`` or ``'black'``; required
            with ``mask_dir``.
        metrics (sequence of dict, optional): metric configs; defaults to
            :func:`folder_metrics`.

    Returns:
        dict: ``{metric: value}`` and ``num_images``.
    """
    from inpaint_toolbox.utils import imread_mask, imread_rgb
    if mask_dir and hole_value not in ('white', 'black'):
        raise ValueError("--mask-dir needs --mask-hole-value 'white' or "
                         f"'black' (the files' hole colour), got "
                         f'{hole_value!r}')
    metrics = list(metrics or folder_metrics(bool(mask_dir)))
    if not mask_dir:
        hole = [m['type'] for m in metrics if m.get('mask_mode') == 'hole']
        if hole:
            raise ValueError(f'hole-only metrics {hole} need --mask-dir')
    pairs = pair_folders(pred_dir, gt_dir, mask_dir)
    register_all_modules(init_default_scope=False)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        evaluator = Evaluator([dict(m) for m in metrics])
    for pred_path, gt_path, mask_path in pairs:
        pred, gt = imread_rgb(pred_path), imread_rgb(gt_path)
        if pred.shape != gt.shape:
            raise ValueError(f'{pred_path!r} is {pred.shape[:2]} but '
                             f'{gt_path!r} is {gt.shape[:2]}')
        sample = dict(output=pred.transpose(2, 0, 1),
                      gt_img=gt.transpose(2, 0, 1), gt_path=gt_path)
        if mask_path:
            mask = imread_mask(mask_path, hole_value)
            if mask.shape != gt.shape[:2]:
                raise ValueError(f'mask {mask_path!r} is {mask.shape} but '
                                 f'{gt_path!r} is {gt.shape[:2]}')
            sample['mask'] = mask[None]
        evaluator.process(data_samples=[sample])
    values = {k: float(v) for k, v in evaluator.evaluate(len(pairs)).items()}
    values['num_images'] = len(pairs)
    return values


def compare_folders(args) -> dict:
    """Prediction-folder mode: one method per prediction folder."""
    metrics = None
    if args.protocol_given:
        metrics = Config.fromfile(args.protocol).protocol.evaluator
    names = method_names(args.pred_dir, args.names)
    setting = dict(name='folder', group='native', size=None,
                   aspect_ratio=None, long_side=None)
    comparison = dict(
        protocol=dict(name='prediction folders', gt_dir=args.gt_dir,
                      mask_dir=args.mask_dir),
        settings=[setting], methods=[], results={}, machine=machine())
    for name, pred_dir in zip(names, args.pred_dir):
        values = evaluate_folders(pred_dir, args.gt_dir, args.mask_dir,
                                  args.mask_hole_value, metrics)
        comparison['methods'].append(dict(name=name, pred_dir=pred_dir))
        comparison['results'][name] = {'folder': values}
    return comparison


# --------------------------------------------------------------------- main
def machine() -> dict:
    return dict(platform=platform.platform(), cpus=os.cpu_count(),
                torch=torch.__version__, threads=torch.get_num_threads())


def write_outputs(comparison: dict, out_dir: str,
                  plot: Optional[Sequence[str]] = None) -> List[str]:
    """Write ``comparison.json``, ``comparison.md`` and, with ``plot`` (a
    list of metrics; empty for all), ``quality_vs_resolution_<metric>.png``
    per metric."""
    os.makedirs(out_dir, exist_ok=True)
    written = [osp.join(out_dir, 'comparison.json'),
               osp.join(out_dir, 'comparison.md')]
    with open(written[0], 'w') as f:
        json.dump(comparison, f, indent=2)
    title = f"{comparison['protocol'].get('name')}: methods x settings"
    with open(written[1], 'w') as f:
        f.write(markdown(comparison, title))
    if plot is not None:
        metrics = table_metrics(comparison)
        unknown = [m for m in plot if m not in metrics]
        if unknown:
            raise ValueError(f'--plot {unknown}: not among the metrics '
                             f'{metrics}')
        for metric in plot or metrics:
            path = osp.join(out_dir, f'quality_vs_resolution_{metric}.png')
            if plot_quality_vs_resolution(comparison, metric, path):
                written.append(path)
    return written


def _size(text: str) -> Tuple[int, int]:
    try:
        h, w = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'expected HxW, e.g. 512x512, got {text!r}') from None
    return h, w


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Compare methods over protocol settings, or prediction '
        'folders against ground truth.',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('methods', nargs='*', metavar='CONFIG[:CHECKPOINT]')
    p.add_argument('--names', nargs='+', help='method names for the table')
    p.add_argument('--protocol', help='protocol config (default: '
                   'configs/_base_/datasets/protocol_synthetic-faces.py)')
    p.add_argument('--protocol-options', nargs='+', action=DictAction,
                   help='override protocol config entries, e.g. '
                   'protocol.dataloader.dataset.seed=1')
    p.add_argument('--settings', nargs='+', help='setting names, shell '
                   "patterns ('*-1024') or groups (ideal, real-world)")
    p.add_argument('--ideal-sizes', nargs='+', type=_size, metavar='HxW')
    p.add_argument('--aspect-ratios', nargs='+', metavar='H:W')
    p.add_argument('--long-sides', nargs='+', type=int)
    p.add_argument('--num-samples', type=int,
                   help='images per setting (synthetic protocols)')
    p.add_argument('--device', default='cpu')
    p.add_argument('--pred-dir', nargs='+', help='prediction folder(s)')
    p.add_argument('--gt-dir', help='ground-truth folder (with --pred-dir)')
    p.add_argument('--mask-dir', help='mask folder (with --pred-dir)')
    p.add_argument('--mask-hole-value', choices=('white', 'black'))
    p.add_argument('--out', default='work_dirs/compare',
                   help='output folder (JSON, Markdown, PNG)')
    p.add_argument('--plot', nargs='*', metavar='METRIC',
                   help='draw quality against resolution (matplotlib): the '
                   'given metrics, or all')
    args = p.parse_args(argv)
    args.protocol_given = args.protocol is not None
    args.protocol = args.protocol or DEFAULT_PROTOCOL
    if bool(args.pred_dir) == bool(args.methods):
        p.error('give either CONFIG[:CHECKPOINT] methods or --pred-dir')
    if args.pred_dir and not args.gt_dir:
        p.error('--pred-dir needs --gt-dir')
    if args.num_samples is not None and args.num_samples < 1:
        p.error(f'--num-samples must be >= 1, got {args.num_samples}')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    try:
        comparison = (compare_folders(args) if args.pred_dir else
                      compare_models(args))
    except (FileNotFoundError, ValueError, KeyError) as e:
        raise SystemExit(f'error: {e}') from None
    print(terminal_tables(comparison))
    try:
        written = write_outputs(comparison, args.out, args.plot)
    except ValueError as e:
        raise SystemExit(f'error: {e}') from None
    for path in written:
        print(f'written {path}')
    return comparison


if __name__ == '__main__':
    main()
