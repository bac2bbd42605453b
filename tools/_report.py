"""Tables (terminal and Markdown) and charts of a methods x settings
comparison, as written by ``tools/compare.py``.

A comparison is a dict::

    {'methods': [{'name': ...}, ...],
     'settings': [Setting.to_dict(), ...],
     'results': {method: {setting: {metric: value}}}, ...}
"""
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence

from terminaltables import AsciiTable

# metric name prefix -> True when higher is better
_HIGHER_IS_BETTER = {'PSNR': True, 'SSIM': True, 'P-IDS': True,
                     'U-IDS': True, 'MAE': False, 'part_err': False,
                     'FID': False, 'LPIPS': False, 'seconds': False}
TIME_KEY = 'seconds_per_image'


def higher_is_better(metric: str) -> Optional[bool]:
    """True / False for known metrics (by name prefix), else None."""
    for prefix, up in _HIGHER_IS_BETTER.items():
        if metric.startswith(prefix):
            return up
    return None


def label(metric: str) -> str:
    """``'PSNR_hole ↑'``; time as ``'s / image'``."""
    if metric == TIME_KEY:
        return 's / image'
    up = higher_is_better(metric)
    return metric + ('' if up is None else (' ↑' if up else ' ↓'))


def table_metrics(comparison: dict) -> List[str]:
    """Metric keys to tabulate: every key found except the per-part errors
    (``part_err_mean`` stays), in first-seen order, time last."""
    keys = []
    for per_setting in comparison['results'].values():
        for values in per_setting.values():
            for k in values:
                if k not in keys:
                    keys.append(k)
    keys = [k for k in keys if not k.startswith('part_err_')
            or k == 'part_err_mean']
    if TIME_KEY in keys:
        keys.remove(TIME_KEY)
        keys.append(TIME_KEY)
    return keys


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '-'
    if isinstance(value, float):
        return f'{value:.2f}' if abs(value) >= 10 else f'{value:.4f}'
    return str(value)


def _mean(values: Sequence[Optional[float]]) -> Optional[float]:
    vals = [v for v in values if v is not None and math.isfinite(v)]
    return sum(vals) / len(vals) if vals else None


def metric_rows(comparison: dict, metric: str) -> List[List]:
    """Rows ``[setting, (H x W), value per method]`` plus a mean row per
    setting group with more than one setting."""
    methods = [m['name'] for m in comparison['methods']]
    res = comparison['results']
    rows = []
    groups: Dict[str, List[str]] = {}
    for s in comparison['settings']:
        size = 'x'.join(map(str, s['size'])) if s.get('size') else 'own'
        rows.append([s['name'], size] + [
            res.get(m, {}).get(s['name'], {}).get(metric) for m in methods
        ])
        groups.setdefault(s['group'], []).append(s['name'])
    for group, names in groups.items():
        if len(names) > 1:
            rows.append([f'mean {group}', f'{len(names)} settings'] + [
                _mean([res.get(m, {}).get(n, {}).get(metric)
                       for n in names]) for m in methods
            ])
    return rows


def summary_rows(comparison: dict, metric: str) -> List[List]:
    """Methods x (each non-real-world setting, the mean over aspect ratios
    of every real-world long side, the mean of all real-world settings).

    Returns:
        list[list]: a header row, then one row per method.
    """
    settings = comparison['settings']
    other = [s['name'] for s in settings if s['group'] != 'real-world']
    real = [s for s in settings if s['group'] == 'real-world']
    sides = sorted({s['long_side'] for s in real})
    header = ['method'] + other + [f'real-world {side}' for side in sides]
    header += ['mean real-world'] if real else []
    rows = [header]
    for method in (m['name'] for m in comparison['methods']):
        values = comparison['results'].get(method, {})

        def get(name):
            return values.get(name, {}).get(metric)
        row = [method] + [get(n) for n in other]
        row += [_mean([get(s['name']) for s in real
                       if s['long_side'] == side]) for side in sides]
        row += [_mean([get(s['name']) for s in real])] if real else []
        rows.append(row)
    return rows


def terminal_tables(comparison: dict) -> str:
    """Per metric a terminal table settings x methods, then per metric a
    summary methods x setting groups."""
    methods = [m['name'] for m in comparison['methods']]
    out = []
    for metric in table_metrics(comparison):
        rows = [['setting', 'H x W'] + methods]
        rows += [r[:2] + [_fmt(v) for v in r[2:]]
                 for r in metric_rows(comparison, metric)]
        out.append(AsciiTable(rows, title=label(metric)).table)
    for metric in table_metrics(comparison):
        rows = summary_rows(comparison, metric)
        rows = rows[:1] + [r[:1] + [_fmt(v) for v in r[1:]]
                           for r in rows[1:]]
        out.append(AsciiTable(rows, title=f'summary: {label(metric)}').table)
    return '\n'.join(out)


def _best(values: List[Optional[float]], up: Optional[bool]):
    vals = [v for v in values if v is not None and math.isfinite(v)]
    if up is None or len(vals) < 2:
        return None
    return max(vals) if up else min(vals)


def markdown(comparison: dict, title: Optional[str] = None) -> str:
    """Markdown: a summary table per metric (methods x setting groups),
    then a table per metric (settings x methods); best in bold."""
    methods = [m['name'] for m in comparison['methods']]
    lines = [f'# {title}', ''] if title else []
    lines += ['## Summary', '', 'Real-world columns: mean over the aspect '
              'ratios at each long side.', '']
    for metric in table_metrics(comparison):
        rows = summary_rows(comparison, metric)
        up = higher_is_better(metric) if metric != TIME_KEY else None
        columns = list(zip(*rows[1:]))[1:]
        best = [_best(list(col), up) for col in columns]
        lines += [f'**{label(metric)}**', '',
                  '| ' + ' | '.join(rows[0]) + ' |',
                  '|---' * len(rows[0]) + '|']
        for row in rows[1:]:
            cells = [f'**{_fmt(v)}**' if b is not None and v == b else
                     _fmt(v) for v, b in zip(row[1:], best)]
            lines.append(f'| {row[0]} | ' + ' | '.join(cells) + ' |')
        lines.append('')
    lines += ['## Per setting', '']
    for metric in table_metrics(comparison):
        up = higher_is_better(metric)
        lines += [f'**{label(metric)}**', '',
                  '| setting | H x W | ' + ' | '.join(methods) + ' |',
                  '|---|---|' + '---|' * len(methods)]
        for row in metric_rows(comparison, metric):
            best = _best(row[2:], up) if metric != TIME_KEY else None
            cells = [f'**{_fmt(v)}**' if best is not None and v == best
                     else _fmt(v) for v in row[2:]]
            lines.append(f'| {row[0]} | {row[1]} | ' + ' | '.join(cells) +
                         ' |')
        lines.append('')
    return '\n'.join(lines)


def plot_quality_vs_resolution(comparison: dict, metric: str,
                               path: str) -> Optional[str]:
    """Draw ``metric`` against the long side, one line per method.

    Panels: the mean over aspect ratios, then one per aspect ratio. The
    ideal setting(s) appear as hollow markers in the mean panel.

    Args:
        comparison (dict): see the module docstring.
        metric (str): a metric key.
        path (str): PNG file to write.

    Returns:
        str | None: ``path``, or None when there are no real-world
        settings to draw.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    settings = comparison['settings']
    real = [s for s in settings if s['group'] == 'real-world']
    if not real:
        return None
    ratios = list(dict.fromkeys(s['aspect_ratio'] for s in real))
    sides = sorted({s['long_side'] for s in real})
    methods = [m['name'] for m in comparison['methods']]
    res = comparison['results']
    ncols = min(3, len(ratios) + 1)
    nrows = math.ceil((len(ratios) + 1) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 3.2 * nrows),
                             squeeze=False)
    panels = [('mean over aspect ratios', ratios)]
    panels += [(r, [r]) for r in ratios]

    def value(method, ratio, side):
        for s in real:
            if s['aspect_ratio'] == ratio and s['long_side'] == side:
                return res.get(method, {}).get(s['name'], {}).get(metric)
        return None

    for ax, (title, panel_ratios) in zip(axes.flat, panels):
        for i, method in enumerate(methods):
            ys = [_mean([value(method, r, side) for r in panel_ratios])
                  for side in sides]
            pts = [(x, y) for x, y in zip(sides, ys) if y is not None]
            if not pts:
                continue
            color = f'C{i % 10}'
            ax.plot(*zip(*pts), marker='o', color=color, label=method)
            if len(panel_ratios) > 1:
                for s in settings:
                    v = res.get(method, {}).get(s['name'], {}).get(metric)
                    if s['group'] == 'ideal' and v is not None:
                        ax.plot([s['long_side']], [v], marker='s',
                                markerfacecolor='none', color=color,
                                linestyle='none')
        ax.set_xscale('log', base=2)
        ax.set_xticks(sides)
        ax.set_xticklabels([str(s) for s in sides])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel('long side (px)')
        ax.set_ylabel(label(metric))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis('off')
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc='lower center', fontsize=8,
               ncol=min(3, max(1, len(labels))))
    fig.suptitle(f'{label(metric)} against resolution'
                 ' (hollow squares: ideal setting)', fontsize=11)
    legend_rows = math.ceil(len(labels) / 3)
    fig.tight_layout(rect=(0, 0.05 * legend_rows / nrows + 0.02, 1, 1))
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return osp.abspath(path)
