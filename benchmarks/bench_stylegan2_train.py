"""CPU time of one StyleGAN2 training iteration, with baselines side by side.

Builds the model of a StyleGAN2 config (default: the 64x64 synthetic-faces
config) and times, in the same process and on the same batch:

- ``iter_plain``: a full ``train_step`` (D step, G step, EMA) at an iteration
  where no regularization is due (15 of 16 D steps, 3 of 4 G steps);
- ``iter_pl``: the same with the path-length penalty due (every 4th);
- ``iter_r1_pl``: with R1 and path length both due (every 16th);
- ``iter_mean``: the schedule average,
  ``(12 * plain + 3 * pl + 1 * r1_pl) / 16``, i.e. what a long run costs
  per iteration (data loading excluded);
- baselines: ``g_forward`` (the generator alone, no autograd, same batch)
  and ``d_forward_backward`` (the discriminator's forward and backward on
  the real batch).

Each entry is the median (and best) of ``--repeats`` runs after
``--warmup`` runs. The machine load average is recorded: other processes
skew CPU timings.

Example::

    python benchmarks/bench_stylegan2_train.py --threads 2 \
        --out work_dirs/bench/stylegan2_train.json
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

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

DEFAULT_CONFIG = 'configs/stylegan2/stylegan2_c16-64_synthetic-faces-64.py'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Time one StyleGAN2 training iteration')
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--batch-size', type=int, default=None,
                        help='default: the config\'s train batch size')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=7)
    parser.add_argument(
        '--out', default='work_dirs/bench/stylegan2_train.json')
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.warmup < 0 or args.threads < 1:
        parser.error('need --repeats >= 1, --warmup >= 0, --threads >= 1')
    return args


def _time(fn, warmup: int, repeats: int):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def build(config: str):
    """Model and optimizer wrappers of a config (registers components)."""
    from mmengine.config import Config

    from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils import register_all_modules
    register_all_modules()
    import inpaint_toolbox.models.gans  # noqa: F401
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model).train()
    wrappers = dict(cfg.optim_wrapper)
    wrappers.pop('constructor', None)
    optim = MultiOptimWrapperConstructor(wrappers)(model)
    return cfg, model, optim


def run(args) -> dict:
    from mmengine.logging import MessageHub
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg, model, optim = build(args.config)
    gen = model.generator
    res = gen.img_resolution
    batch = args.batch_size or cfg.train_dataloader.batch_size
    g = torch.Generator().manual_seed(0)
    data = dict(inputs=[
        torch.randint(0, 256, (gen.img_channels, res, res), generator=g,
                      dtype=torch.uint8) for _ in range(batch)
    ])
    real = model.data_preprocessor(data, True)['inputs']['img']
    r1_every = model.r1_loss.interval if model.r1_loss else 0
    pl_every = model.path_length_loss.interval \
        if model.path_length_loss else 0
    hub = MessageHub.get_instance('bench-stylegan2-train')

    def step_at(it):
        def fn():
            hub.update_info('iter', it)
            model.train_step(data, optim)
        return fn

    # iterations where exactly the named regularizers are due
    plain_it = next(i for i in range(1, 10_000)
                    if (not r1_every or i % r1_every)
                    and (not pl_every or i % pl_every))
    cases = {'iter_plain': step_at(plain_it)}
    if pl_every:
        cases['iter_pl'] = step_at(next(
            i for i in range(1, 10_000) if i % pl_every == 0 and (
                not r1_every or i % r1_every)))
    if r1_every:
        cases['iter_r1_pl'] = step_at(0)

    def g_forward():
        with torch.no_grad():
            model._run_generator(gen, batch, model.step_generator(0), False)

    def d_forward_backward():
        model.discriminator(real).sum().backward()
        model.discriminator.zero_grad(set_to_none=True)

    cases['g_forward'] = g_forward
    cases['d_forward_backward'] = d_forward_backward

    load_before = os.getloadavg()
    results = {}
    for name, fn in cases.items():
        median, best = _time(fn, args.warmup, args.repeats)
        results[name] = dict(median_s=round(median, 4), best_s=round(best, 4))
    # schedule average over lcm(r1, pl) iterations (16 with 16 and 4)
    period = max(r1_every, pl_every, 1)
    weights = {'iter_plain': 0, 'iter_pl': 0, 'iter_r1_pl': 0}
    for i in range(period):
        r1 = bool(r1_every) and i % r1_every == 0
        pl = bool(pl_every) and i % pl_every == 0
        key = 'iter_r1_pl' if r1 else 'iter_pl' if pl else 'iter_plain'
        weights[key] += 1
    mean = sum(results[k]['median_s'] * w
               for k, w in weights.items() if w) / period
    results['iter_mean'] = dict(median_s=round(mean, 4), best_s=None,
                                weights=weights)
    return dict(
        benchmark='stylegan2_train_iteration_cpu',
        config=args.config,
        torch=torch.__version__,
        threads=args.threads,
        cpu=platform.machine(),
        batch_size=batch,
        resolution=res,
        generator_params=sum(p.numel() for p in gen.parameters()),
        discriminator_params=sum(
            p.numel() for p in model.discriminator.parameters()),
        r1_interval=r1_every,
        pl_interval=pl_every,
        warmup=args.warmup,
        repeats=args.repeats,
        load_average_before=list(load_before),
        load_average_after=list(os.getloadavg()),
        results=results)


def table(report: dict) -> str:
    plain = report['results']['iter_plain']['median_s']
    lines = [f"{'case':<20} {'median s':>9} {'best s':>8} {'x plain':>8}"]
    for name, r in report['results'].items():
        best = '-' if r['best_s'] is None else f"{r['best_s']:.4f}"
        lines.append(f"{name:<20} {r['median_s']:>9.4f} {best:>8} "
                     f"{r['median_s'] / plain:>8.2f}")
    return '\n'.join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    report = run(args)
    print(f"{report['config']}: batch {report['batch_size']}, "
          f"{report['resolution']}x{report['resolution']}, "
          f"{report['threads']} thread(s), load average "
          f"{report['load_average_before'][0]:.2f}")
    print(table(report))
    out_dir = osp.dirname(osp.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(report, f, indent=1)
    print(f'written to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
