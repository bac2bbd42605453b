"""Draw loss and metric curves of training runs and summarize them.

Reads mmengine's scalar logs: ``<work_dir>/<timestamp>/vis_data/
scalars.json`` (one JSON record per line; a resumed run has several
timestamp folders, read in order, a later record replacing an earlier one
of the same iteration) or any such file given directly, including the
``<timestamp>.json`` / ``*.log.json`` copies. Training records carry
``iter``; the others are validation metrics, drawn at the iteration of the
training record before them. Several runs are overlaid.

Example::

    python tools/analyze_logs.py work_dirs/in2_quick_synthetic-faces \\
        work_dirs/in2-fixed-square_quick_synthetic-faces \\
        --keys loss_g loss_pixel --metrics PSNR_hole --out work_dirs/logs
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from terminaltables import AsciiTable

# bookkeeping entries that are neither losses nor metrics
_NOT_CURVES = {'step', 'iter', 'epoch', 'time', 'data_time', 'memory',
               'mode'}


def find_scalar_files(path: str) -> List[str]:
    """The scalar log files of a run: ``path`` itself if it is a file,
    else every ``*/vis_data/scalars.json`` under it, in folder order.

    Raises:
        FileNotFoundError: nothing found.
    """
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise FileNotFoundError(f'no such work dir or log file: {path!r}')
    files = sorted(glob.glob(osp.join(path, '*', 'vis_data', 'scalars.json')))
    if not files and osp.isfile(osp.join(path, 'vis_data', 'scalars.json')):
        files = [osp.join(path, 'vis_data', 'scalars.json')]
    if not files:
        raise FileNotFoundError(
            f'no */vis_data/scalars.json under {path!r}: is it a work dir '
            'of tools/train.py?')
    return files


def read_run(path: str) -> Dict[str, Dict[int, dict]]:
    """Training and validation records of one run.

    Args:
        path (str): a work dir or a scalar log file.

    Returns:
        dict: ``{'train': {iter: record}, 'val': {iter: record}}``.

    Raises:
        FileNotFoundError: no log file.
        ValueError: a line that is not JSON (file and line number given).
    """
    train: Dict[int, dict] = {}
    val: Dict[int, dict] = {}
    for file in find_scalar_files(path):
        last_iter = None
        with open(file, encoding='utf-8') as f:
            for line_no, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(
                        f'{file}:{line_no}: not a JSON record ({e})') from None
                mode = rec.get('mode')
                is_train = mode == 'train' if mode else 'iter' in rec
                if is_train:
                    last_iter = int(rec.get('iter', rec.get('step', 0)))
                    train[last_iter] = rec
                else:
                    step = last_iter if last_iter is not None else int(
                        rec.get('step', rec.get('iter', 0)))
                    val[step] = rec
    return dict(train=dict(sorted(train.items())),
                val=dict(sorted(val.items())))


def curve_keys(records: Dict[int, dict]) -> List[str]:
    """Numeric keys of records, bookkeeping and learning rates excluded."""
    keys = []
    for rec in records.values():
        for k, v in rec.items():
            if (k not in _NOT_CURVES and not k.endswith('lr')
                    and isinstance(v, (int, float)) and k not in keys):
                keys.append(k)
    return keys


def smooth(values: Sequence[float], window: int) -> List[float]:
    """Trailing moving average over ``window`` points (1 = unchanged)."""
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1):i + 1]
        out.append(sum(chunk) / len(chunk))
    return out


def plot_curves(runs: Dict[str, Dict[int, dict]], keys: Sequence[str],
                path: str, title: str, window: int = 1) -> str:
    """One panel per key, one line per run; writes a PNG.

    Args:
        runs (dict): ``{run name: {iter: record}}``.
        keys (sequence of str): the keys to draw.
        path (str): PNG file.
        title (str): figure title.
        window (int): moving-average window.

    Returns:
        str: ``path``.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    ncols = min(3, len(keys))
    nrows = math.ceil(len(keys) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols,
                                                    3.0 * nrows),
                             squeeze=False)
    for ax, key in zip(axes.flat, keys):
        for i, (name, records) in enumerate(runs.items()):
            pts = [(it, r[key]) for it, r in records.items() if key in r]
            if not pts:
                continue
            xs, ys = zip(*pts)
            ys = smooth(list(ys), window)
            ax.plot(xs, ys, color=f'C{i % 10}', label=name,
                    marker='o' if len(xs) < 12 else None)
        ax.set_title(key, fontsize=10)
        ax.set_xlabel('iteration')
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(keys):]:
        ax.axis('off')
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def summary_rows(runs: Dict[str, Dict[str, Dict[int, dict]]],
                 loss_keys: Sequence[str],
                 metric_keys: Sequence[str]) -> List[List]:
    """Per run: iterations, median s / iter, mean of each loss over the
    last 10 % of the logged iterations, and the last value of each
    metric."""
    rows = [['run', 'iterations', 's / iter'] +
            [f'{k} (last 10 %)' for k in loss_keys] +
            [f'{k} (last)' for k in metric_keys]]
    for name, run in runs.items():
        train, val = run['train'], run['val']
        recs = list(train.values())
        tail = recs[-max(1, len(recs) // 10):] if recs else []
        times = sorted(r['time'] for r in recs if 'time' in r)
        row = [name, max(train) if train else 0,
               f'{times[len(times) // 2]:.3f}' if times else '-']
        for k in loss_keys:
            vals = [r[k] for r in tail if k in r]
            row.append(f'{sum(vals) / len(vals):.4f}' if vals else '-')
        last_val = list(val.values())[-1] if val else {}
        for k in metric_keys:
            row.append(f'{last_val[k]:.4f}' if k in last_val else '-')
        rows.append(row)
    return rows


def _run_names(paths: Sequence[str],
               names: Optional[Sequence[str]]) -> List[str]:
    if names:
        if len(names) != len(paths):
            raise ValueError(f'{len(names)} --names for {len(paths)} runs')
        return list(names)
    out = [osp.basename(osp.normpath(p)) for p in paths]
    if osp.isfile(paths[0]) or len(set(out)) != len(out):
        out = [osp.normpath(p) for p in paths]
    return out


def _check_keys(keys, available, what):
    unknown = [k for k in keys if k not in available]
    if unknown:
        raise ValueError(f'{what} {unknown} not in the logs; available: '
                         f'{available}')


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Loss and metric curves (PNG) and a summary table of '
        'training runs.')
    p.add_argument('runs', nargs='+', help='work dirs or scalar log files')
    p.add_argument('--names', nargs='+', help='run names for the legends')
    p.add_argument('--keys', nargs='+',
                   help='training keys to draw (default: every loss_*)')
    p.add_argument('--metrics', nargs='+',
                   help='validation keys to draw (default: all but the '
                   'per-part errors)')
    p.add_argument('--smooth', type=int, default=1,
                   help='moving-average window for training curves')
    p.add_argument('--out', default='work_dirs/analyze_logs',
                   help='output folder')
    args = p.parse_args(argv)
    if args.smooth < 1:
        p.error(f'--smooth must be >= 1, got {args.smooth}')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    try:
        names = _run_names(args.runs, args.names)
        runs = {n: read_run(p) for n, p in zip(names, args.runs)}
        train_avail, val_avail = [], []
        for run in runs.values():
            train_avail += [k for k in curve_keys(run['train'])
                            if k not in train_avail]
            val_avail += [k for k in curve_keys(run['val'])
                          if k not in val_avail]
        keys = args.keys or [k for k in train_avail if k.startswith('loss')]
        metrics = args.metrics if args.metrics is not None else [
            k for k in val_avail
            if not k.startswith('part_err_') or k == 'part_err_mean']
        _check_keys(keys, train_avail, 'training keys')
        _check_keys(metrics, val_avail, 'validation keys')
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(f'error: {e}') from None
    os.makedirs(args.out, exist_ok=True)
    written = []
    if keys:
        written.append(plot_curves(
            {n: r['train'] for n, r in runs.items()}, keys,
            osp.join(args.out, 'losses.png'), 'training losses',
            args.smooth))
    if metrics and any(r['val'] for r in runs.values()):
        written.append(plot_curves(
            {n: r['val'] for n, r in runs.items()}, metrics,
            osp.join(args.out, 'metrics.png'), 'validation metrics'))
    rows = summary_rows(runs, keys, metrics)
    print(AsciiTable(rows, title='runs').table)
    summary = dict(columns=rows[0], rows=rows[1:],
                   runs=dict(zip(names, args.runs)))
    with open(osp.join(args.out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)
    with open(osp.join(args.out, 'summary.md'), 'w') as f:
        f.write('| ' + ' | '.join(map(str, rows[0])) + ' |\n')
        f.write('|' + '---|' * len(rows[0]) + '\n')
        for row in rows[1:]:
            f.write('| ' + ' | '.join(map(str, row)) + ' |\n')
    written += [osp.join(args.out, 'summary.json'),
                osp.join(args.out, 'summary.md')]
    for path in written:
        print(f'written {path}')
    return summary


if __name__ == '__main__':
    main()
