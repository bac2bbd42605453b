"""CPU throughput of the StyleGAN2 generator, with baselines side by side.

For each configuration and batch size, in the same process:

- ``fused``: our generator in eval mode (grouped-conv modulation, the
  default for inference);
- ``unfused``: the same weights with ``fused_modconv=False`` (the training
  path; same numbers);
- ``plain``: an equally deep plain conv stack with the same channels and
  skip to-RGB outputs but no mapping network, modulation, demodulation, noise
  or FIR filtering (nearest upsampling), i.e. the cost floor of the convs.

Configurations: ``256``: config F (channel_base 32768, channel_max 512,
z/w 512); ``64``: the small config used for synthetic data (channel_base
4096, channel_max 128, so 128 channels up to 32x32 and 64 at 64x64; z/w
512).

Example::

    python benchmarks/bench_stylegan2.py --threads 2 \
        --out work_dirs/benchmarks/bench_stylegan2.json

Images/second come from the best of ``--repeats`` runs after one warm-up
run (the median is recorded too); the machine load average is recorded
because other processes skew CPU timings, a lot with several threads.
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
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    '64': dict(img_resolution=64, channel_base=4096, channel_max=128),
    '256': dict(img_resolution=256, channel_base=32768, channel_max=512),
}


class PlainConvStack(nn.Module):
    """Same depth and channels as the synthesis network, plain convs only.

    Args:
        channels: ``{res: channels}`` from 4 to the output resolution.
    """

    def __init__(self, channels: dict):
        super().__init__()
        self.resolutions = sorted(channels)
        self.const = nn.Parameter(torch.randn(channels[4], 4, 4))
        self.blocks = nn.ModuleList()
        for res in self.resolutions:
            c_in = channels[res // 2] if res > 4 else channels[4]
            convs = [nn.Conv2d(c_in, channels[res], 3, padding=1)] \
                if res > 4 else []
            convs.append(nn.Conv2d(channels[res], channels[res], 3,
                                   padding=1))
            self.blocks.append(nn.ModuleDict(dict(
                convs=nn.ModuleList(convs),
                torgb=nn.Conv2d(channels[res], 3, 1))))

    def forward(self, n: int) -> torch.Tensor:
        """Return ``[n, 3, res, res]``."""
        x = self.const.unsqueeze(0).repeat(n, 1, 1, 1)
        img = None
        for i, block in enumerate(self.blocks):
            if i > 0:
                x = F.interpolate(x, scale_factor=2, mode='nearest')
            for conv in block['convs']:
                x = F.leaky_relu(conv(x), 0.2)
            y = block['torgb'](x)
            img = y if img is None else F.interpolate(
                img, scale_factor=2, mode='nearest') + y
        return img


def _time(fn, repeats: int) -> tuple:
    """Best and median seconds of ``repeats`` calls after one warm-up."""
    fn()  # warm-up (allocations, oneDNN primitive creation)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def run(configs, batches, repeats, seed=0) -> list:
    """Measure every (config, batch, variant); returns result rows."""
    try:
        import inpaint_toolbox  # noqa: F401
    except ImportError:  # run from a checkout that is not installed
        sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator
    rows = []
    for name in configs:
        torch.manual_seed(seed)
        generator = StyleGAN2Generator(**CONFIGS[name]).eval()
        plain = PlainConvStack(generator.channels).eval()
        params = sum(p.numel() for p in generator.parameters())
        for batch in batches:
            z = torch.randn(batch, generator.z_dim,
                            generator=torch.Generator().manual_seed(seed))
            variants = {
                'fused': lambda: generator(z, fused_modconv=True),
                'unfused': lambda: generator(z, fused_modconv=False),
                'plain': lambda: plain(batch),
            }
            with torch.no_grad():
                for variant, fn in variants.items():
                    best, median = _time(fn, repeats)
                    rows.append(dict(
                        config=name, resolution=generator.img_resolution,
                        batch=batch, variant=variant,
                        best_seconds_per_batch=round(best, 4),
                        median_seconds_per_batch=round(median, 4),
                        images_per_second=round(batch / best, 3),
                        median_images_per_second=round(batch / median, 3),
                        generator_params=params))
                    print(f'{name:>4} batch {batch}: {variant:<8} '
                          f'{batch / best:8.3f} img/s (best), '
                          f'{batch / median:8.3f} (median)', flush=True)
    return rows


def print_table(rows: list) -> None:
    """Print best-of images/second per (config, batch), variants side by
    side."""
    variants = ['fused', 'unfused', 'plain']
    print(f'\n{"config":>6} {"batch":>5} ' +
          ' '.join(f'{v + " img/s":>14}' for v in variants) +
          f' {"fused/plain":>12}')
    keys = sorted({(r['resolution'], r['batch']) for r in rows})
    for res, batch in keys:
        ips = {r['variant']: r['images_per_second'] for r in rows
               if r['resolution'] == res and r['batch'] == batch}
        ratio = ips['fused'] / ips['plain']
        print(f'{res:>6} {batch:>5} ' +
              ' '.join(f'{ips[v]:>14.3f}' for v in variants) +
              f' {ratio:>12.2f}')


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+', default=list(CONFIGS),
                        choices=list(CONFIGS))
    parser.add_argument('--batches', type=int, nargs='+', default=[1, 4])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch threads (default: torch default)')
    parser.add_argument('--out', default='work_dirs/benchmarks/'
                        'bench_stylegan2.json', help='JSON output')
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    rows = run(args.configs, args.batches, args.repeats)
    result = dict(
        benchmark='stylegan2_generator_cpu', torch=torch.__version__,
        threads=torch.get_num_threads(), cpu=platform.processor() or
        platform.machine(), load_average_before=load_before,
        load_average_after=os.getloadavg(), repeats=args.repeats,
        configs={k: CONFIGS[k] for k in args.configs}, results=rows)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print_table(rows)
    print(f'\nthreads={result["threads"]}, load average before/after '
          f'{load_before[0]:.2f}/{result["load_average_after"][0]:.2f}; '
          f'written to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
