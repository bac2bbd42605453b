"""Latency and peak memory against resolution for model configs, and the
training-step time, each beside a baseline measured in the same process.

For every ``CONFIG[:CHECKPOINT]`` and every ``--sizes`` entry, a fresh
subprocess (``MALLOC_ARENA_MAX=1``, ``torch.set_num_threads(--threads)``)
builds the model (random weights when no checkpoint is given: latency does
not depend on them; a two-stage model whose inner checkpoint file is
missing is built with random inner weights) and the baseline
(``--baseline``, default OpenCV Telea), runs a tiny call to initialise
thread pools, reads its RSS, then inpaints one synthetic face with a seeded
free-form mask (20-50 % holes) through ``data_preprocessor`` +
``predict``. That first call is the warm-up; its peak-RSS increase
(``ru_maxrss`` after minus RSS before, or ``torch.cuda.max_memory_allocated``
on CUDA) is the peak memory. Latency is the median of ``--repeats`` further
calls; the baseline is then timed the same way in the same process.

``--train-step`` adds, per trainable config, the median time of a
``train_step`` (batch ``--train-batch``, crops with long side
``--train-size``, one random aspect ratio from the config's sampler, built
by the config's own training dataloader), beside the generator's forward
pass (no grad) on the same batch.

Usage::

    python benchmarks/bench_models.py \\
        configs/in2/in2_quick_synthetic-faces_protocol.py \\
        configs/baselines/two-stage-bicubic_in2-quick-128_synthetic-faces.py \\
        --sizes 128x128 288x512 512x512 1024x1024 --train-step \\
        [--out work_dirs/bench/models.json]
"""
import argparse
import gc
import json
import os
import os.path as osp
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
from terminaltables import AsciiTable

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, ROOT)

DEFAULT_BASELINE = osp.join('configs', 'baselines',
                            'opencv-telea_protocol_synthetic-faces.py')
DEFAULT_SIZES = ('128x128', '288x512', '512x512', '1024x1024')


# ------------------------------------------------------------------- child
def _rss_bytes() -> int:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def build(spec: str, device: str):
    """Build ``CONFIG[:CHECKPOINT]`` in eval mode on ``device``."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils import register_all_modules, safe_load
    register_all_modules(init_default_scope=False)
    config, _, ckpt = spec.partition('.py:')
    config = config if config.endswith('.py') else config + '.py'
    cfg = Config.fromfile(config)
    inner = cfg.model.get('checkpoint')
    if cfg.model.type == 'TwoStageInpaintor' and inner and \
            not osp.isfile(inner):
        cfg.model.checkpoint = None  # random inner weights: same latency
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        model = MODELS.build(cfg.model)
    if ckpt:
        state = safe_load(ckpt, map_location='cpu')
        model.load_state_dict(state.get('state_dict', state), strict=False)
    return cfg, model.to(device).eval()


def face_and_mask(h: int, w: int, seed: int = 0):
    """A synthetic face ``(h, w, 3)`` uint8 and a free-form mask ``(h, w)``
    in {0, 1}, both pure functions of ``seed``."""
    from inpaint_toolbox.datasets.synthetic_faces import render_face
    from inpaint_toolbox.masks import FreeFormMask
    face = render_face(h, w, np.random.default_rng([seed, 0]))['img']
    mask = FreeFormMask(hole_range=(0.2, 0.5))(
        shape=(h, w), rng=np.random.default_rng([seed, 1]))
    return face, mask


def inpaint_once(model, img: np.ndarray, mask: np.ndarray, device: str):
    """One ``test_step`` on a single image; returns the output tensor."""
    from inpaint_toolbox.structures import InpaintDataSample
    gt = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
    sample = InpaintDataSample(
        metainfo=dict(ori_shape=img.shape[:2], img_shape=img.shape[:2]))
    sample.gt_img = gt
    sample.mask = torch.from_numpy(mask[None].copy())
    with torch.no_grad():
        out = model.test_step(dict(inputs=[gt], data_samples=[sample]))[0]
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return out.output


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_latency(spec: str, h: int, w: int, args) -> dict:
    """Latency and peak memory of one (config, size) case, and the
    baseline's latency, in this process."""
    torch.set_num_threads(args.threads)
    _, model = build(spec, args.device)
    _, baseline = build(args.baseline, args.device)
    res = dict(kind='latency', method=spec, size=[h, w], ok=False,
               params=sum(p.numel() for p in model.parameters()))
    tiny = face_and_mask(32, 32)
    inpaint_once(model, *tiny, args.device)  # thread pools, caches
    inpaint_once(baseline, *tiny, args.device)
    img, mask = face_and_mask(h, w)
    gc.collect()
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
    else:
        before = _rss_bytes()
    try:
        start = time.perf_counter()
        out = inpaint_once(model, img, mask, args.device)
        first = time.perf_counter() - start
        if args.device.startswith('cuda'):
            peak = torch.cuda.max_memory_allocated()
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if tuple(out.shape) != (3, h, w):
            raise RuntimeError(f'output shape {tuple(out.shape)}')
        latency = _median_time(
            lambda: inpaint_once(model, img, mask, args.device),
            args.repeats)
        base = _median_time(
            lambda: inpaint_once(baseline, img, mask, args.device),
            args.repeats)
    except (RuntimeError, MemoryError) as err:
        res['error'] = f'{type(err).__name__}: {err}'[:500]
        return res
    res.update(ok=True, first_call_s=first, latency_s=latency,
               peak_mib=max(0, peak - before) / 2**20,
               baseline_latency_s=base, ratio=latency / max(base, 1e-9))
    return res


def child_train(spec: str, args) -> dict:
    """Median ``train_step`` time and the generator forward beside it."""
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner

    from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
    torch.set_num_threads(args.threads)
    cfg, model = build(spec, args.device)
    res = dict(kind='train', method=spec, ok=False,
               batch=args.train_batch, long_side=args.train_size)
    if cfg.get('train_dataloader') is None or not hasattr(model,
                                                          'generator'):
        res['error'] = 'not trainable (no train_dataloader or generator)'
        return res
    loader_cfg = cfg.train_dataloader.copy()
    loader_cfg.update(batch_size=args.train_batch, num_workers=0,
                      persistent_workers=False)
    if loader_cfg.get('batch_sampler'):
        loader_cfg.batch_sampler.update(
            size_range=(args.train_size, args.train_size))
    for t in loader_cfg.dataset.pipeline:
        if t['type'] == 'RandomCrop' and t.get('size'):
            t['size'] = (args.train_size, args.train_size)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        loader = Runner.build_dataloader(loader_cfg, seed=0)
    batch = next(iter(loader))
    optim_cfg = {k: v for k, v in cfg.optim_wrapper.items()
                 if k != 'constructor'}
    optim = MultiOptimWrapperConstructor(optim_cfg)(model)
    model.train()
    model.train_step(batch, optim)  # warm-up
    step = _median_time(lambda: model.train_step(batch, optim), args.repeats)
    model.eval()
    data = model.data_preprocessor(batch, False)

    def forward():
        with torch.no_grad():
            model.generator(data['inputs']['img'])
    forward()
    fwd = _median_time(forward, args.repeats)
    res.update(ok=True, crop=list(data['inputs']['img'].shape[-2:]),
               train_step_s=step, generator_forward_s=fwd,
               ratio=step / max(fwd, 1e-9))
    return res


# ------------------------------------------------------------------ parent
def run_case(argv_tail, args) -> dict:
    """Run one case in a fresh subprocess; failures become entries."""
    cmd = [sys.executable, osp.abspath(__file__), '--child'] + argv_tail + [
        '--threads', str(args.threads), '--repeats', str(args.repeats),
        '--device', args.device, '--baseline', args.baseline,
        '--train-batch', str(args.train_batch), '--train-size',
        str(args.train_size)]
    env = dict(os.environ, MALLOC_ARENA_MAX='1',
               OMP_NUM_THREADS=str(args.threads))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          cwd=ROOT)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode == 0 and lines:
        return json.loads(lines[-1])
    return dict(method=argv_tail[0], ok=False, kind=argv_tail[1],
                error=f'child exited with {proc.returncode} (negative: '
                f'killed by a signal, e.g. -9 by the OOM killer): '
                f'{proc.stderr.strip()[-500:]}')


def _name(spec: str) -> str:
    return osp.splitext(osp.basename(spec.partition('.py:')[0]))[0]


def _size(text: str):
    try:
        h, w = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'expected HxW, e.g. 512x512, got {text!r}') from None
    return h, w


def tables(results) -> str:
    base = _name(results[0]['baseline']) if results else ''
    rows = [['method', 'H x W', 'latency s', 'peak MiB', f'{base} s',
             'x baseline']]
    train = [['method', 'batch', 'crop', 'train step s',
              'generator fwd s', 'x fwd']]
    for r in results:
        name = _name(r['method'])
        if r.get('kind') == 'train':
            if r['ok']:
                train.append([name, r['batch'], 'x'.join(map(str, r['crop'])),
                              f"{r['train_step_s']:.3f}",
                              f"{r['generator_forward_s']:.3f}",
                              f"{r['ratio']:.1f}"])
            elif 'not trainable' not in r.get('error', ''):
                train.append([name, '-', '-', 'failed', '-', '-'])
        elif r['ok']:
            rows.append([name, 'x'.join(map(str, r['size'])),
                         f"{r['latency_s']:.3f}", f"{r['peak_mib']:.0f}",
                         f"{r['baseline_latency_s']:.3f}",
                         f"{r['ratio']:.1f}"])
        else:
            rows.append([name, 'x'.join(map(str, r.get('size', []))),
                         'failed', '-', '-', '-'])
    out = AsciiTable(rows, title='inference (median)').table
    if len(train) > 1:
        out += '\n' + AsciiTable(train, title='training step (median)').table
    return out


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('methods', nargs='*', metavar='CONFIG[:CHECKPOINT]')
    p.add_argument('--sizes', nargs='+', type=_size,
                   default=[_size(s) for s in DEFAULT_SIZES])
    p.add_argument('--baseline', default=DEFAULT_BASELINE,
                   help='config timed beside every case')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--device', default='cpu')
    p.add_argument('--train-step', action='store_true')
    p.add_argument('--train-batch', type=int, default=8)
    p.add_argument('--train-size', type=int, default=128)
    p.add_argument('--out', default='work_dirs/bench/models.json')
    p.add_argument('--child', nargs='+', help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.child and not args.methods:
        p.error('give at least one CONFIG[:CHECKPOINT]')
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        spec, kind, *rest = args.child
        res = (child_train(spec, args) if kind == 'train' else
               child_latency(spec, *_size(rest[0]), args))
        res['baseline'] = args.baseline
        print(json.dumps(res))
        return res
    results = []
    for spec in args.methods:
        for h, w in args.sizes:
            res = run_case([spec, 'latency', f'{h}x{w}'], args)
            res['baseline'] = args.baseline
            results.append(res)
            print(f"{_name(spec)} {h}x{w}: " + (
                f"{res['latency_s']:.3f} s, {res['peak_mib']:.0f} MiB "
                f"(baseline {res['baseline_latency_s']:.3f} s)"
                if res['ok'] else res['error']), flush=True)
        if args.train_step:
            res = run_case([spec, 'train'], args)
            res['baseline'] = args.baseline
            results.append(res)
    print(tables(results))
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(dict(results=results, threads=args.threads,
                       repeats=args.repeats, device=args.device,
                       machine=dict(platform=platform.platform(),
                                    cpus=os.cpu_count(),
                                    torch=torch.__version__)), f, indent=2)
    print(f'written {args.out}')
    return results


if __name__ == '__main__':
    main()
