"""Inpainting quality on a held-out set of synthetic faces, against OpenCV.

Every method sees the same image-mask pairs: faces rendered with fixed seeds
at non-square sizes (never seen in training: a different dataset seed), and
free-form masks covering 20-50% of the image drawn from fixed seeds. Reports,
per method, hole PSNR (dB, higher is better), SSIM of the composite, hole MAE
and the eyes / nose / mouth part-region error (mean absolute error inside the
part boxes, [0, 1], lower is better). Then compares the model image by image
with its own first guess (the config's ``coarse_fill``, when it has one) and
with OpenCV Telea: the mean improvement per metric, its 95% bootstrap
interval and how many images got better, so the network's share is a
measured interval, not a difference of two means. Writes all of it as JSON.

Usage::

    python benchmarks/bench_inpaint_quality.py \\
        configs/in2/in2_quick_synthetic-faces.py \\
        work_dirs/in2_quick_synthetic-faces [--num 48] [--out FILE.json]
"""
import argparse
import json
import os
import os.path as osp
import platform
import statistics
import sys
import time

import cv2
import numpy as np
from terminaltables import AsciiTable

try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

SIZES = ((128, 128), (120, 168), (168, 120), (96, 176), (144, 112))
HELD_OUT_SEED = 777_777  # training uses seed 0, validation 10_000


def held_out_set(num: int, sizes=SIZES):
    """``num`` (face, mask) pairs, a pure function of the constants above."""
    from inpaint_toolbox.datasets.synthetic_faces import render_face
    from inpaint_toolbox.masks import FreeFormMask
    gen = FreeFormMask(hole_range=(0.2, 0.5))
    for i in range(num):
        h, w = sizes[i % len(sizes)]
        face = render_face(h, w, np.random.default_rng([HELD_OUT_SEED, i]))
        rng = np.random.default_rng([HELD_OUT_SEED, i, 1])
        mask = gen(shape=(h, w), rng=rng)
        yield face, mask


def opencv_method(flag, radius=5):
    def run(img, mask):
        bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
        out = cv2.inpaint(bgr, mask * 255, radius, flag)
        return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)
    return run


def fill_method(fill_cfg=None):
    """A parameter-free first guess (a ``coarse_fill`` config) alone;
    the plain push-pull fill by default."""
    import torch

    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils import register_all_modules
    register_all_modules()
    fill = MODELS.build(dict(fill_cfg or dict(type='PushPullFill')))

    def run(img, mask):
        x = torch.from_numpy(img).permute(2, 0, 1)[None].float()
        m = torch.from_numpy(mask.reshape(1, 1, *img.shape[:2])).float()
        out = fill(x, m)[0].permute(1, 2, 0)
        out = out.round().clamp(0, 255).byte().numpy()
        known = mask.reshape(img.shape[:2]) == 0
        out[known] = img[known]
        return out
    return run


def model_method(config, checkpoint):
    from inpaint_toolbox.apis import InpaintInferencer
    inf = InpaintInferencer(config, checkpoint)

    def run(img, mask):
        return inf(img, mask)['output']
    return run


def evaluate(run, pairs):
    from inpaint_toolbox.evaluation.functional import (mae, part_region_error,
                                                       psnr, ssim)
    rows = dict(psnr_hole=[], ssim=[], mae_hole=[], part_err=[], seconds=[])
    for face, mask in pairs:
        img = face['img']
        t0 = time.perf_counter()
        out = run(img, mask)
        rows['seconds'].append(time.perf_counter() - t0)
        known = mask == 0
        assert np.array_equal(out[known], img[known]), 'known pixels changed'
        rows['psnr_hole'].append(psnr(out, img, mask))
        rows['ssim'].append(ssim(out, img))
        rows['mae_hole'].append(mae(out, img, mask))
        rows['part_err'].append(
            part_region_error(out, img, face['part_boxes'])['mean'])
    means = {k: float(statistics.mean(v)) for k, v in rows.items()}
    per_image = {k: v for k, v in rows.items() if k != 'seconds'}
    return dict(means, per_image=per_image)


# metric -> higher is better
PAIRED_METRICS = dict(psnr_hole=True, mae_hole=False, part_err=False)


def paired_table(results, base, other):
    """``other`` against ``base`` image by image: the mean improvement, its
    95% bootstrap interval and how many images improved."""
    from inpaint_toolbox.evaluation.functional import paired_difference
    out = {}
    for key, higher in PAIRED_METRICS.items():
        out[key] = paired_difference(results[base]['per_image'][key],
                                     results[other]['per_image'][key],
                                     higher_is_better=higher)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint', help='checkpoint file or work dir')
    p.add_argument('--num', type=int, default=48)
    p.add_argument('--out', default='work_dirs/bench/inpaint_quality.json')
    args = p.parse_args(argv)
    import torch
    from mmengine.config import Config
    from mmengine.runner import find_latest_checkpoint
    torch.set_num_threads(2)
    ckpt = args.checkpoint
    if osp.isdir(ckpt):
        ckpt = find_latest_checkpoint(ckpt)
    pairs = list(held_out_set(args.num))
    first_guess = None
    plain_fill = 'push-pull fill (no network)'
    methods = {
        'OpenCV Telea': opencv_method(cv2.INPAINT_TELEA),
        'OpenCV Navier-Stokes': opencv_method(cv2.INPAINT_NS),
        plain_fill: fill_method(),
    }
    # the model's own first guess alone, so the network's share is visible
    fill_cfg = Config.fromfile(args.config).model.get(
        'generator', {}).get('coarse_fill')
    if fill_cfg is not None and dict(fill_cfg) != dict(type='PushPullFill'):
        args_txt = ', '.join(f'{k}={v}' for k, v in fill_cfg.items()
                             if k != 'type')
        first_guess = (f"{fill_cfg['type']}({args_txt}) alone (the model's "
                       'first guess)')
        methods[first_guess] = fill_method(fill_cfg.to_dict())
    elif fill_cfg is not None:
        first_guess = plain_fill
    model_name = osp.splitext(osp.basename(args.config))[0]
    methods[model_name] = model_method(args.config, ckpt)
    results = {name: evaluate(run, pairs) for name, run in methods.items()}
    table = [['method', 'PSNR hole (dB) ↑', 'SSIM ↑', 'MAE hole ↓',
              'part error ↓', 's / image']]
    for name, r in results.items():
        table.append([name, f"{r['psnr_hole']:.2f}", f"{r['ssim']:.4f}",
                      f"{r['mae_hole']:.4f}", f"{r['part_err']:.4f}",
                      f"{r['seconds']:.3f}"])
    print(AsciiTable(table, title=f'{args.num} held-out synthetic faces, '
                     'free-form masks 20-50%').table)
    # the network's share: the model against its own first guess and
    # against Telea, image by image
    paired = {}
    for base in filter(None, (first_guess, 'OpenCV Telea')):
        paired[base] = paired_table(results, base, model_name)
        table = [['metric', 'mean improvement', '95% interval',
                  'images better / worse']]
        for key, r in paired[base].items():
            table.append([key, f"{r['mean']:+.5f}",
                          f"[{r['ci_low']:+.5f}, {r['ci_high']:+.5f}]",
                          f"{r['better']} / {r['worse']}"])
        # a title longer than the table would be dropped: print it above
        print(f'{model_name} against {base} (paired, per image; positive '
              '= better)')
        print(AsciiTable(table).table)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(dict(config=args.config, checkpoint=ckpt, num=args.num,
                       sizes=SIZES, held_out_seed=HELD_OUT_SEED,
                       results=results, paired=paired,
                       machine=dict(platform=platform.platform(),
                                    cpus=os.cpu_count(),
                                    torch=torch.__version__)), f, indent=2)
    print(f'written {args.out}')
    return results


if __name__ == '__main__':
    main()
