"""Benchmark paper-scale IN² against a Big-LaMa-sized generator on CPU.

Both generators run forward only (eval mode, ``torch.no_grad()``, batch 1,
``torch.set_num_threads(--threads)``) on a random ``[1, 4, H, W]`` input
(masked image + mask) at several resolutions:

* ``in2``: the generator of ``configs/_base_/models/in2.py`` (built with
  mmengine's ``Config.fromfile`` and ``MODELS``), output ``out_size=(H, W)``;
* ``biglama``: a generator with Big-LaMa's layout built from the toolbox's
  FFC layers (defined below, about 51 M parameters like LaMa's): 7x7
  reflect-padded stem 4 -> 64, three stride-2 convs 64 -> 128 -> 256 -> 512
  with BN + ReLU, 18 :class:`FFCResBlock` at 512 channels (global ratio
  0.75), three transposed convs back to 64, 7x7 conv to 3 and tanh.

Every (model, size) case runs in a fresh subprocess with
``MALLOC_ARENA_MAX=1``. The child builds the model, runs a tiny forward to
initialise thread pools, reads its RSS, then runs the first full-size
forward (which doubles as the timing warm-up) and reports
``ru_maxrss - RSS before`` as the peak memory of the forward. The timed
runs follow in the same process: the median of ``--repeats`` runs when
``max(H, W) <= --small-max-side``, otherwise ``--large-repeats`` runs
(default: a single timed run). Forward hooks time the generator's parts
(encoder, bottleneck, decoder and, for IN², each decoder level). A failure
in the child (e.g. out of memory) is reported, not raised.

Usage::

    python benchmarks/bench_in2_resolution.py \
        [--sizes 512x512 2048x2048] [--models in2 biglama] \
        [--out work_dirs/bench/in2_resolution.json]
"""
import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import torch
from terminaltables import AsciiTable
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
try:
    from inpaint_toolbox.models.layers.ffc import FFCResBlock
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, ROOT)
    from inpaint_toolbox.models.layers.ffc import FFCResBlock

DEFAULT_SIZES = ('512x512', '768x1024', '1024x1024', '1536x2048',
                 '2048x2048')
MODEL_NAMES = ('in2', 'biglama')
IN2_CONFIG = os.path.join(ROOT, 'configs', '_base_', 'models', 'in2.py')
# submodules timed with forward hooks: (module name, label)
PARTS = {
    'in2': [('encoder', 'encoder'),
            ('encoder.stem', 'encoder stem (stride 1)'),
            ('encoder.levels.0', 'encoder level stride 2'),
            ('encoder.levels.1', 'encoder level stride 4'),
            ('encoder.levels.2', 'encoder level stride 8'),
            ('bottleneck', 'bottleneck'), ('decoder', 'decoder'),
            ('decoder.queries.0', 'decoder level stride 4 (query)'),
            ('decoder.queries.1', 'decoder level stride 2 (query)'),
            ('decoder.queries.2', 'decoder level stride 1 (query)')],
    'biglama': [('encoder', 'encoder'), ('bottleneck', 'bottleneck'),
                ('decoder', 'decoder')],
}


def _conv_bn_relu(conv: nn.Module, channels: int) -> nn.Sequential:
    return nn.Sequential(conv, nn.BatchNorm2d(channels), nn.ReLU(True))


class BigLaMaGenerator(nn.Module):
    """Big-LaMa's generator layout from the toolbox's FFC blocks.

    Args:
        in_channels (int): Input channels (image + mask). Default: 4.
        base_channels (int): Stem width. Default: 64.
        num_downsamples (int): Stride-2 stages. Default: 3.
        num_blocks (int): FFC residual blocks. Default: 18.
        ratio (float): Global share of the block channels. Default: 0.75.
    """

    def __init__(self,
                 in_channels: int = 4,
                 base_channels: int = 64,
                 num_downsamples: int = 3,
                 num_blocks: int = 18,
                 ratio: float = 0.75) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.size_divisor = 2**num_downsamples
        down = [
            _conv_bn_relu(
                nn.Conv2d(in_channels, base_channels, 7, padding=3,
                          padding_mode='reflect', bias=False), base_channels)
        ]
        ch = base_channels
        for _ in range(num_downsamples):
            down.append(_conv_bn_relu(
                nn.Conv2d(ch, 2 * ch, 3, stride=2, padding=1, bias=False),
                2 * ch))
            ch *= 2
        self.encoder = nn.Sequential(*down)
        self.bottleneck = nn.Sequential(
            *[FFCResBlock(ch, ratio=ratio) for _ in range(num_blocks)])
        up = []
        for _ in range(num_downsamples):
            up.append(_conv_bn_relu(
                nn.ConvTranspose2d(ch, ch // 2, 3, stride=2, padding=1,
                                   output_padding=1, bias=False), ch // 2))
            ch //= 2
        up += [nn.Conv2d(ch, 3, 7, padding=3, padding_mode='reflect'),
               nn.Tanh()]
        self.decoder = nn.Sequential(*up)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Inpaint.

        Args:
            x (Tensor): ``[B, 4, H, W]``, masked image in [-1, 1] and mask
                (1 = hole); H, W multiples of ``size_divisor``.

        Returns:
            Tensor: ``[B, 3, H, W]`` in [-1, 1].
        """
        if (x.dim() != 4 or x.shape[1] != self.in_channels
                or x.shape[-1] % self.size_divisor
                or x.shape[-2] % self.size_divisor):
            raise ValueError(
                f'BigLaMaGenerator expects [B, {self.in_channels}, H, W] '
                f'with H, W multiples of {self.size_divisor}, got '
                f'{tuple(x.shape)}')
        return self.decoder(self.bottleneck(self.encoder(x)))


def build_model(name: str) -> nn.Module:
    """Build ``'in2'`` (paper config) or ``'biglama'`` in eval mode."""
    if name == 'biglama':
        model = BigLaMaGenerator()
    elif name == 'in2':
        from mmengine.config import Config

        from inpaint_toolbox.registry import MODELS
        from inpaint_toolbox.utils import register_all_modules
        register_all_modules()
        model = MODELS.build(Config.fromfile(IN2_CONFIG).model.generator)
    else:
        raise ValueError(f'unknown model {name!r}; choose from {MODEL_NAMES}')
    return model.eval()


def _forward(model: nn.Module, name: str, x: torch.Tensor) -> torch.Tensor:
    if name == 'in2':
        return model(x, out_size=tuple(x.shape[-2:]))
    return model(x)


def _rss_bytes() -> int:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def _add_timers(model: nn.Module, name: str, record: dict) -> None:
    modules = dict(model.named_modules())
    for mod_name, label in PARTS[name]:
        if mod_name not in modules:
            continue

        def pre(_m, _i, label=label):
            record[label] = -time.perf_counter()

        def post(_m, _i, _o, label=label):
            record[label] += time.perf_counter()

        modules[mod_name].register_forward_pre_hook(pre)
        modules[mod_name].register_forward_hook(post)


def run_child(name: str, h: int, w: int, args) -> dict:
    """Measure one (model, size) case in this process; return a dict."""
    torch.set_num_threads(args.threads)
    model = build_model(name)
    res = dict(model=name, size=[h, w], ok=False,
               params=sum(p.numel() for p in model.parameters()))
    with torch.no_grad():  # one-off initialisation (thread pools, caches)
        _forward(model, name, torch.zeros(1, 4, 64, 64))
    x = torch.randn(1, 4, h, w, generator=torch.Generator().manual_seed(0))
    x[:, 3] = (x[:, 3] > 0).float()
    gc.collect()
    try:  # reset VmHWM too (kept as a cross-check of ru_maxrss)
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass
    before = _rss_bytes()
    parts = {}
    try:
        with torch.no_grad():
            t0 = time.perf_counter()
            out = _forward(model, name, x)
            first = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        with open('/proc/self/status') as f:
            hwm = [int(line.split()[1]) * 1024 for line in f
                   if line.startswith('VmHWM:')][0]
        if tuple(out.shape) != (1, 3, h, w):
            raise RuntimeError(f'output shape {tuple(out.shape)}')
        del out
        repeats = (args.repeats if max(h, w) <= args.small_max_side else
                   args.large_repeats)
        _add_timers(model, name, parts)
        times, part_times = [], {}
        with torch.no_grad():
            for _ in range(repeats):
                parts.clear()
                t0 = time.perf_counter()
                _forward(model, name, x)
                times.append(time.perf_counter() - t0)
                for k, v in parts.items():
                    part_times.setdefault(k, []).append(v)
    except (RuntimeError, MemoryError) as err:  # e.g. allocation failure
        res['error'] = f'{type(err).__name__}: {err}'[:500]
        return res
    res.update(
        ok=True, rss_before_mib=before / 2**20,
        peak_mib=(peak - before) / 2**20,
        vmhwm_peak_mib=(hwm - before) / 2**20,
        bytes_per_pixel=(peak - before) / (h * w),
        first_forward_s=first, timed_runs=len(times), times_s=times,
        latency_s=statistics.median(times),
        parts_s={k: statistics.median(v) for k, v in part_times.items()})
    return res


def measure(name: str, h: int, w: int, args) -> dict:
    """Run one case in a fresh subprocess; failures become entries."""
    cmd = [sys.executable, os.path.abspath(__file__), '--child', name,
           f'{h}x{w}', '--threads', str(args.threads), '--repeats',
           str(args.repeats), '--large-repeats', str(args.large_repeats),
           '--small-max-side', str(args.small_max_side)]
    env = dict(os.environ, MALLOC_ARENA_MAX='1')
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        return json.loads(lines[-1])
    return dict(model=name, size=[h, w], ok=False,
                error=f'child exited with {proc.returncode} (negative: '
                f'killed by signal, e.g. -9 by the OOM killer): '
                f'{proc.stderr.strip()[-500:]}')


def parse_size(text: str):
    try:
        h, w = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'size must look like 768x1024 (HxW), got {text!r}') from None
    if h <= 0 or w <= 0 or h % 8 or w % 8:
        raise argparse.ArgumentTypeError(
            f'H and W must be positive multiples of 8, got {text!r}')
    return h, w


def machine_info(threads: int) -> dict:
    cpu = platform.processor()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(line.split(':', 1)[1].strip() for line in f
                       if line.startswith('model name'))
        with open('/proc/meminfo') as f:
            mem_kib = int(f.readline().split()[1])
    except (OSError, StopIteration):
        mem_kib = None
    return dict(cpu=cpu, machine=platform.machine(), cores=os.cpu_count(),
                mem_gib=None if mem_kib is None else mem_kib / 2**20,
                torch=torch.__version__, python=platform.python_version(),
                threads=threads)


def summarize(results: list) -> dict:
    """Memory-per-pixel ratios and the three requirements."""
    by = {(r['model'], tuple(r['size'])): r for r in results}
    out = dict(mem_per_pixel_ratio_2048_vs_512={})
    for name in MODEL_NAMES:
        big, small = by.get((name, (2048, 2048))), by.get((name, (512, 512)))
        if big and small and big['ok'] and small['ok']:
            out['mem_per_pixel_ratio_2048_vs_512'][name] = (
                big['bytes_per_pixel'] / small['bytes_per_pixel'])
    ours, lama = by.get(('in2', (1024, 1024))), by.get(
        ('biglama', (1024, 1024)))
    if ours and lama and ours['ok'] and lama['ok']:
        out['a_in2_not_slower_than_biglama_1024'] = (
            ours['latency_s'] <= lama['latency_s'])
        out['latency_ratio_in2_over_biglama_1024'] = (
            ours['latency_s'] / lama['latency_s'])
    ratio = out['mem_per_pixel_ratio_2048_vs_512'].get('in2')
    if ratio is not None:
        out['b_in2_mem_per_pixel_ratio_le_1_3'] = ratio <= 1.3
    big = by.get(('in2', (2048, 2048)))
    if big:
        out['c_in2_runs_at_2048'] = bool(big['ok'])
    return out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='work_dirs/bench/in2_resolution.json')
    parser.add_argument('--sizes', nargs='+', type=parse_size,
                        default=[parse_size(s) for s in DEFAULT_SIZES],
                        help='HxW sizes, e.g. 512x512 768x1024')
    parser.add_argument('--models', nargs='+', choices=MODEL_NAMES,
                        default=list(MODEL_NAMES))
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=2,
                        help='timed runs when max(H, W) <= small-max-side')
    parser.add_argument('--large-repeats', type=int, default=1,
                        help='timed runs at larger sizes')
    parser.add_argument('--small-max-side', type=int, default=1024)
    parser.add_argument('--child', nargs=2, metavar=('MODEL', 'SIZE'),
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _row(r: dict) -> list:
    size = f"{r['size'][0]}x{r['size'][1]}"
    if not r['ok']:
        return [r['model'], size, 'failed', '-', '-', '-']
    return [r['model'], size, f"{r['latency_s']:.2f}", str(r['timed_runs']),
            f"{r['peak_mib']:.0f}", f"{r['bytes_per_pixel']:.0f}"]


def main():
    args = parse_args()
    if args.child:
        h, w = parse_size(args.child[1])
        print(json.dumps(run_child(args.child[0], h, w, args)))
        return
    load_before = os.getloadavg()
    if load_before[0] > 0.5 * os.cpu_count():
        print(f'warning: 1-min load average {load_before[0]:.2f} on '
              f'{os.cpu_count()} cores; other processes skew timings')
    result = dict(
        config=dict(
            threads=args.threads, batch=1, models=args.models,
            sizes=[list(s) for s in args.sizes], in2_config=IN2_CONFIG,
            timing=(f'first full-size forward = warm-up (and the memory '
                    f'measurement); then median of {args.repeats} timed '
                    f'runs when max(H, W) <= {args.small_max_side}, else '
                    f'{args.large_repeats} timed run(s)'),
            memory=('fresh subprocess per case, MALLOC_ARENA_MAX=1; '
                    'ru_maxrss after the first full-size forward minus '
                    'RSS before it (input already allocated)')),
        machine=machine_info(args.threads),
        load_avg_before=list(load_before), results=[])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    printed = set()
    for h, w in args.sizes:
        for name in args.models:
            res = measure(name, h, w, args)
            result['results'].append(res)
            if name not in printed and 'params' in res:
                printed.add(name)
                print(f"{name}: {res['params'] / 1e6:.2f} M parameters")
            status = (f"{res['latency_s']:.2f} s, {res['peak_mib']:.0f} MiB"
                      if res['ok'] else res['error'])
            print(f'{name} {h}x{w}: {status}', flush=True)
            with open(args.out, 'w') as f:  # keep partial results
                json.dump(result, f, indent=2)
    result['load_avg_after'] = list(os.getloadavg())
    result['summary'] = summarize(result['results'])
    rows = [['model', 'H x W', 'latency s', 'timed runs', 'peak MiB',
             'bytes / pixel']] + [_row(r) for r in result['results']]
    print(AsciiTable(rows, 'Forward, no_grad, B=1').table)
    part_rows = [['model', 'H x W', 'part', 's']]
    for r in result['results']:
        for k, v in r.get('parts_s', {}).items():
            part_rows.append([r['model'], f"{r['size'][0]}x{r['size'][1]}",
                              k, f'{v:.2f}'])
    print(AsciiTable(part_rows, 'Parts (median)').table)
    print(json.dumps(result['summary'], indent=2))
    print(f'load average before/after: {load_before} / '
          f"{tuple(result['load_avg_after'])}")
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
