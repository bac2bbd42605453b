"""Benchmark neighborhood attention (NA) on CPU: speed and peak memory.

Compares the package's tiled NA (``neighborhood_attention_2d``) with

* ``shift``: accumulation over the k^2 window shifts (one shifted copy of K
  and V at a time; the other fast-path candidate),
* ``unfold``: ``F.unfold`` of K and V, which materializes k^2 copies (the
  slow baseline),
* ``global``: ``F.scaled_dot_product_attention`` over all H*W pixels.

All NA variants implement the same window rule (NATTEN's clamped windows)
and are checked against each other. Inputs are the attention core's
``q, k, v: [1, heads, H, W, C / heads]`` and the relative position bias; the
q/k/v projections are common to all variants and left out. Forward only,
under ``torch.no_grad()``, ``torch.set_num_threads(2)``, median of
``--repeats`` runs after one warm-up, the variants interleaved.

Peak memory: each (variant, size) runs once in a fresh subprocess (after a
tiny warm-up call), which resets the kernel's peak-RSS counter
(``/proc/self/clear_refs``) right before the call and reports
``VmHWM - VmRSS``: the increase over the inputs already in memory. By
default the subprocess runs with ``MALLOC_ARENA_MAX=1`` and
``MALLOC_MMAP_THRESHOLD_=65536`` so that freed tensors leave the RSS and the
number reflects the tensors alive at the peak; glibc's default per-thread
arenas otherwise keep freed blocks resident and inflate every variant by a
varying amount (``--default-malloc`` measures that instead).

Usage::

    python benchmarks/bench_neighborhood_attention.py \
        [--out work_dirs/bench/neighborhood_attention.json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F
from terminaltables import AsciiTable

try:
    from inpaint_toolbox.models.layers.neighborhood_attention import \
        neighborhood_attention_2d
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    from inpaint_toolbox.models.layers.neighborhood_attention import \
        neighborhood_attention_2d


def _window_starts(n, k, device):
    kn = min(k, n)
    return (torch.arange(n, device=device) - k // 2).clamp(0, n - kn), kn


def na_shift(q, k, v, rpb, kernel_size):
    """NA by accumulating over the window shifts (no k^2 copies at once)."""
    _, _, h, w, _ = q.shape
    sy, kh = _window_starts(h, kernel_size, q.device)
    sx, kw = _window_starts(w, kernel_size, q.device)
    ys, xs = torch.arange(h), torch.arange(w)
    logits = q.new_empty(*q.shape[:-1], kh * kw)  # [B, heads, H, W, K]
    for dy in range(kh):
        k_rows = k.index_select(2, sy + dy)
        by = rpb.index_select(1, sy + dy - ys + kernel_size - 1)
        for dx in range(kw):
            k_shift = k_rows.index_select(3, sx + dx)
            bias = by.index_select(2, sx + dx - xs + kernel_size - 1)
            logits[..., dy * kw + dx] = (q * k_shift).sum(-1) + bias
    attn = logits.softmax(dim=-1)
    out = torch.zeros_like(q)
    for dy in range(kh):
        v_rows = v.index_select(2, sy + dy)
        for dx in range(kw):
            out += attn[..., dy * kw + dx, None] * v_rows.index_select(
                3, sx + dx)
    return out


def na_unfold(q, k, v, rpb, kernel_size):
    """NA with ``F.unfold``: materializes k^2 copies of K and V."""
    b, heads, h, w, d = q.shape
    sy, kh = _window_starts(h, kernel_size, q.device)
    sx, kw = _window_starts(w, kernel_size, q.device)

    def windows(x):  # -> [B, heads, d, kh*kw, H, W]
        x = x.permute(0, 1, 4, 2, 3).reshape(b, heads * d, h, w)
        x = F.unfold(x, (kh, kw)).view(b, heads, d, kh * kw, h - kh + 1,
                                       w - kw + 1)
        return x[:, :, :, :, sy][:, :, :, :, :, sx]

    ry = sy[None] + torch.arange(kh)[:, None] - torch.arange(h)[None]
    rx = sx[None] + torch.arange(kw)[:, None] - torch.arange(w)[None]
    index = ((ry[:, None, :, None] + kernel_size - 1) *
             (2 * kernel_size - 1) + rx[None, :, None, :] + kernel_size - 1)
    bias = rpb.flatten(1)[:, index.reshape(kh * kw, h, w)]  # [heads, K, H, W]
    qq = q.permute(0, 1, 4, 2, 3)[:, :, :, None]  # [B, heads, d, 1, H, W]
    attn = ((qq * windows(k)).sum(2) + bias).softmax(dim=2)
    out = (attn[:, :, None] * windows(v)).sum(3)  # [B, heads, d, H, W]
    return out.permute(0, 1, 3, 4, 2)


def global_attention(q, k, v, rpb, kernel_size):
    """Dense attention over all pixels (no bias, no window)."""
    b, heads, h, w, d = q.shape
    out = F.scaled_dot_product_attention(
        q.reshape(b, heads, h * w, d),
        k.reshape(b, heads, h * w, d),
        v.reshape(b, heads, h * w, d),
        scale=1.0)
    return out.view(b, heads, h, w, d)


IMPLS = {
    'tiled': neighborhood_attention_2d,
    'shift': na_shift,
    'unfold': na_unfold,
    'global': global_attention,
}


def make_inputs(size, args, seed=0):
    g = torch.Generator().manual_seed(seed)
    d = args.dim // args.heads
    q, k, v = torch.randn(
        3, 1, args.heads, size, size, d, generator=g).unbind(0)
    span = 2 * args.kernel_size - 1
    rpb = torch.randn(args.heads, span, span, generator=g) * 0.02
    return q * d**-0.5, k, v, rpb


def time_impls(names, size, args):
    """Median forward time (s) and output of each variant.

    Repeats are interleaved across the variants, so that load from other
    processes affects all of them alike.
    """
    inputs = make_inputs(size, args)
    outs, times = {}, {name: [] for name in names}
    with torch.no_grad():
        for name in names:  # warm-up
            outs[name] = IMPLS[name](*inputs, args.kernel_size)
        for _ in range(args.repeats):
            for name in names:
                t0 = time.perf_counter()
                IMPLS[name](*inputs, args.kernel_size)
                times[name].append(time.perf_counter() - t0)
    return {
        name: (statistics.median(times[name]), min(times[name]), outs[name])
        for name in names
    }


def _status_kib():
    with open('/proc/self/status') as f:
        text = f.read()
    return {
        key: int(re.search(key + r':\s+(\d+) kB', text).group(1))
        for key in ('VmRSS', 'VmHWM')
    }


def child_memory(name, size, args):
    """Run one call and print the peak RSS increase (MiB) as JSON."""
    with torch.no_grad():  # one-off initialization (thread pools, caches)
        IMPLS[name](*make_inputs(args.kernel_size + 1, args),
                    args.kernel_size)
    inputs = make_inputs(size, args)
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # reset VmHWM to the current RSS
    before = _status_kib()['VmRSS']
    with torch.no_grad():
        IMPLS[name](*inputs, args.kernel_size)
    peak = _status_kib()['VmHWM']
    print(json.dumps(dict(peak_mib=(peak - before) / 1024)))


def measure_memory(name, size, args):
    cmd = [
        sys.executable, os.path.abspath(__file__), '--child', name,
        str(size), '--dim',
        str(args.dim), '--heads',
        str(args.heads), '--kernel-size',
        str(args.kernel_size), '--threads',
        str(args.threads)
    ]
    env = dict(os.environ)
    if not args.default_malloc:
        env.update(MALLOC_ARENA_MAX='1', MALLOC_MMAP_THRESHOLD_='65536')
    res = subprocess.run(
        cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(res.stdout.strip().splitlines()[-1])['peak_mib']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out',
                        default='work_dirs/bench/neighborhood_attention.json')
    parser.add_argument('--dim', type=int, default=64)
    parser.add_argument('--heads', type=int, default=4)
    parser.add_argument('--kernel-size', type=int, default=7)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument(
        '--skip-memory', action='store_true', help='only time the variants')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument(
        '--memory-sizes', type=int, nargs='+', default=[64, 128, 256, 512])
    parser.add_argument(
        '--baseline-max-size', type=int, default=256,
        help='largest map for the unfold and global memory runs')
    parser.add_argument(
        '--memory-impls', nargs='+', default=['tiled', 'shift', 'unfold',
                                              'global'])
    parser.add_argument(
        '--default-malloc', action='store_true',
        help='measure memory with glibc\'s default arenas')
    parser.add_argument('--child', nargs=2, metavar=('IMPL', 'SIZE'),
                        help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    if args.child:
        child_memory(args.child[0], int(args.child[1]), args)
        return
    load_before = os.getloadavg()[0]
    if load_before > 0.5 * os.cpu_count():
        print(f'warning: 1-min load average {load_before:.2f} on '
              f'{os.cpu_count()} cores; other processes will skew timings '
              '(multi-threaded small ops suffer most)')
    result = dict(
        config=dict(
            dim=args.dim,
            heads=args.heads,
            kernel_size=args.kernel_size,
            batch=1,
            threads=args.threads,
            repeats=args.repeats,
            memory_malloc_env=not args.default_malloc,
            torch=torch.__version__),
        speed=[],
        memory=[])
    # speed: (size, variants); the first variant is the reference output
    cases = [(128, ['tiled', 'shift', 'unfold']),
             (256, ['tiled', 'shift', 'global'])]
    rows = [['size', 'variant', 'median ms', 'min ms', 'tiled speed-up',
             'max |diff| vs tiled']]
    for size, names in cases:
        timed = time_impls(names, size, args)
        base_t, _, base_out = timed['tiled']
        for name in names:
            t, t_min, out = timed[name]
            diff = None if name == 'global' else float(
                (out - base_out).abs().max())
            entry = dict(size=size, variant=name, median_ms=t * 1e3,
                         min_ms=t_min * 1e3, tiled_speedup=t / base_t,
                         max_abs_diff=diff)
            result['speed'].append(entry)
            rows.append([
                f'{size}x{size}', name, f'{t * 1e3:.1f}',
                f'{t_min * 1e3:.1f}', f'{t / base_t:.1f}x',
                '-' if diff is None else f'{diff:.1e}'
            ])
    print(AsciiTable(rows, 'Forward time (no_grad, B=1)').table)

    mem_rows = [['variant'] + [f'{s}x{s} MiB' for s in args.memory_sizes] +
                ['MiB per 1k px (largest)']]
    for name in [] if args.skip_memory else args.memory_impls:
        sizes = [
            s for s in args.memory_sizes
            if name in ('tiled', 'shift') or s <= args.baseline_max_size
        ]
        peaks = [measure_memory(name, s, args) for s in sizes]
        for s, p in zip(sizes, peaks):
            result['memory'].append(dict(size=s, variant=name, peak_mib=p))
        cells = [f'{p:.1f}' for p in peaks]
        cells += ['-'] * (len(args.memory_sizes) - len(cells))
        mem_rows.append([name] + cells +
                        [f'{peaks[-1] / (sizes[-1]**2 / 1000):.3f}'])
    if not args.skip_memory:
        print(
            AsciiTable(mem_rows, 'Peak RSS increase (fresh process)').table)
    # other processes on the machine skew timings; record the 1-min load
    result['config']['load_avg_1min'] = [load_before, os.getloadavg()[0]]
    print(f'1-min load average before/after: {load_before:.2f} / '
          f'{os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)')

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
