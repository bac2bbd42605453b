"""Inversion inpainting on held-out synthetic faces: fidelity, diversity,
edits.

A fixed held-out set: faces rendered at the generator's resolution with
their own seed (never seen in training or validation) and free-form masks
covering 20-50% of the image, drawn from fixed seeds. For each checkpoint
(stage 1, stage 2) it reports

- known-region PSNR of the raw prediction (before the known pixels are
  pasted back: how faithfully the latent path reproduces what it was shown),
  hole PSNR, SSIM and hole MAE of the composite;
- diversity: the mean pairwise L1 distance ([0, 1] scale) between 4 samples
  (seeds 0-3) in the hole of the composites, and, for contrast, in the known
  region of the raw predictions (in the composites it is exactly 0);
- with ``--direction NAME=FILE`` and an attribute classifier
  (``--classifier-config``/``--classifier-checkpoint``): how an edit of
  strength ``+-s`` moves the classifier's probability of the attribute (on
  the raw prediction and on the composite), and how much it changes the raw
  prediction in the known region and in the hole (mean ``|plus - minus|``,
  [0, 1] scale).

Usage::

    S1=inversion-stage1_c16-64_synthetic-faces-64
    S2=inversion-stage2_c16-64_synthetic-faces-64
    python benchmarks/bench_inversion.py \\
        --stage1 configs/inversion/$S1.py work_dirs/$S1/iter_1000.pth \\
        --stage2 configs/inversion/$S2.py work_dirs/$S2/iter_500.pth \\
        [--direction smiling=work_dirs/directions/smiling/smiling.pth \\
         --attribute smiling --classifier-config CFG \\
         --classifier-checkpoint CKPT] [--num 32] [--out FILE.json]
"""
import argparse
import itertools
import json
import os
import os.path as osp
import platform
import statistics
import sys
import time

import numpy as np
from terminaltables import AsciiTable

try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

HELD_OUT_SEED = 888_888  # training uses seed 0, validation 10_000
NUM_DIVERSITY = 4


def held_out_set(num: int, size: int):
    """``num`` (face, mask) pairs at ``size x size``, a pure function of
    ``HELD_OUT_SEED``."""
    from inpaint_toolbox.datasets.synthetic_faces import render_face
    from inpaint_toolbox.masks import FreeFormMask
    gen = FreeFormMask(hole_range=(0.2, 0.5))
    for i in range(num):
        face = render_face(size, size,
                           np.random.default_rng([HELD_OUT_SEED, i]))
        mask = gen(
            shape=(size, size),
            rng=np.random.default_rng([HELD_OUT_SEED, i, 1]))
        yield face['img'], mask


def build_model(config, checkpoint, directions=None):
    """An inversion model with the checkpoint's weights, in eval mode."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils import register_all_modules
    from inpaint_toolbox.utils.checkpoint import safe_load
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(config)
    cfg.model.pop('init_cfg', None)
    if directions:
        cfg.model.directions = dict(directions)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        model = MODELS.build(cfg.model)
    state = safe_load(checkpoint)
    state = state.get('state_dict', state)
    missing, _ = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith('data_preprocessor')]
    if missing:
        raise ValueError(f'{checkpoint} does not fit {config}: missing '
                         f'{missing[:5]}')
    return model.eval()


def run_model(model, img, mask, num_samples=1, seed=0, edits=None):
    """Raw predictions and composites ``(N, H, W, 3)`` uint8."""
    import torch

    from inpaint_toolbox.structures import InpaintDataSample
    gt = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))
    sample = InpaintDataSample(metainfo=dict(img_shape=img.shape[:2]))
    sample.gt_img = gt
    sample.mask = torch.from_numpy(mask[None].astype(np.uint8))
    data = model.data_preprocessor(
        dict(inputs=[gt], data_samples=[sample]), False)
    out = model.predict(
        data['inputs'],
        data['data_samples'],
        num_samples=num_samples,
        seed=seed,
        edits=edits)[0]

    def to_np(t):
        return t.permute(0, 2, 3, 1).round().clamp(0, 255).byte().numpy()

    return to_np(out.pred_imgs), to_np(out.outputs)


def mean_pairwise_l1(samples, region):
    """Mean over sample pairs of the mean |a - b| / 255 inside ``region``
    (``(H, W)`` bool)."""
    dists = [
        np.abs(a.astype(np.float64) - b.astype(np.float64))[region].mean() /
        255.0 for a, b in itertools.combinations(samples, 2)
    ]
    return float(np.mean(dists))


def evaluate(model, pairs):
    from inpaint_toolbox.evaluation.functional import mae, psnr, ssim
    rows = dict(
        psnr_known_raw=[],
        psnr_hole=[],
        ssim=[],
        mae_hole=[],
        div_hole=[],
        div_known_raw=[],
        div_known_comp=[],
        seconds=[])
    for img, mask in pairs:
        t0 = time.perf_counter()
        raw, comp = run_model(model, img, mask, NUM_DIVERSITY, seed=0)
        rows['seconds'].append((time.perf_counter() - t0) / NUM_DIVERSITY)
        known, hole = mask == 0, mask == 1
        assert all(np.array_equal(c[known], img[known]) for c in comp)
        rows["psnr_known_raw"].append(
            psnr(raw[0], img, known.astype(np.uint8)))
        rows['psnr_hole'].append(psnr(comp[0], img, mask))
        rows['ssim'].append(ssim(comp[0], img))
        rows['mae_hole'].append(mae(comp[0], img, mask))
        rows['div_hole'].append(mean_pairwise_l1(comp, hole))
        rows['div_known_raw'].append(mean_pairwise_l1(raw, known))
        rows['div_known_comp'].append(mean_pairwise_l1(comp, known))
    return {k: float(statistics.mean(v)) for k, v in rows.items()}


def load_classifier(config, checkpoint):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    from inpaint_toolbox.registry import MODELS
    from inpaint_toolbox.utils.checkpoint import safe_load
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        clf = MODELS.build(cfg.model)
    state = safe_load(checkpoint)
    clf.load_state_dict(state.get('state_dict', state))
    return clf.eval()


def evaluate_edit(model, pairs, name, attribute, strength, classifier):
    """Attribute probability and pixel change of ``+-strength`` edits."""
    import torch
    idx = classifier.attribute_index(attribute)

    def prob(images):
        x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float()
        with torch.no_grad():
            p = classifier.predict_proba(x / 127.5 - 1.0)
        return p[:, idx].numpy()

    rows = {f'prob_{s}': [] for s in ('minus', 'plain', 'plus')}
    rows.update({f'prob_comp_{s}': [] for s in ('minus', 'plain', 'plus')})
    rows.update(change_known_raw=[], change_hole_raw=[], change_hole_comp=[])
    for img, mask in pairs:
        known, hole = mask == 0, mask == 1
        raws, comps = {}, {}
        for key, s in (('minus', -strength), ('plain', 0.0), ('plus',
                                                              strength)):
            raw, comp = run_model(model, img, mask, 1, seed=0, edits={name: s})
            raws[key], comps[key] = raw[0], comp[0]
        for key in raws:
            rows[f'prob_{key}'].append(float(prob([raws[key]])[0]))
            rows[f'prob_comp_{key}'].append(float(prob([comps[key]])[0]))
        diff_raw = np.abs(raws['plus'].astype(np.float64) -
                          raws['minus'].astype(np.float64)) / 255.0
        diff_comp = np.abs(comps['plus'].astype(np.float64) -
                           comps['minus'].astype(np.float64)) / 255.0
        rows['change_known_raw'].append(float(diff_raw[known].mean()))
        rows['change_hole_raw'].append(float(diff_raw[hole].mean()))
        rows['change_hole_comp'].append(float(diff_comp[hole].mean()))
    return {k: float(statistics.mean(v)) for k, v in rows.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--stage1', nargs=2, metavar=('CONFIG', 'CHECKPOINT'))
    p.add_argument('--stage2', nargs=2, metavar=('CONFIG', 'CHECKPOINT'))
    p.add_argument('--direction', help='NAME=FILE of a latent direction')
    p.add_argument(
        '--attribute',
        help='classifier attribute of the edit '
        '(default: the direction name)')
    p.add_argument('--strength', type=float, default=2.0)
    p.add_argument('--classifier-config')
    p.add_argument('--classifier-checkpoint')
    p.add_argument('--num', type=int, default=32)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', default='work_dirs/bench/inversion.json')
    args = p.parse_args(argv)
    import torch
    torch.set_num_threads(args.threads)
    stages = {
        k: v
        for k, v in (('stage 1', args.stage1), ('stage 2', args.stage2)) if v
    }
    if not stages:
        p.error('give --stage1 and/or --stage2')
    directions = None
    if args.direction:
        name, _, path = args.direction.partition('=')
        directions = {name: path}
    results, edits, size = {}, {}, None
    for stage, (config, ckpt) in stages.items():
        model = build_model(config, ckpt, directions)
        size = model.resolution
        pairs = list(held_out_set(args.num, size))
        results[stage] = evaluate(model, pairs)
        if directions and args.classifier_config:
            clf = load_classifier(args.classifier_config,
                                  args.classifier_checkpoint)
            edits[stage] = evaluate_edit(model, pairs, name, args.attribute
                                         or name, args.strength, clf)
    table = [[
        'checkpoint', 'PSNR known, raw (dB)', 'PSNR hole (dB)', 'SSIM',
        'MAE hole', 'diversity hole (L1)', 'diversity known, raw (L1)',
        's / sample'
    ]]
    for stage, r in results.items():
        table.append([
            stage, f"{r['psnr_known_raw']:.2f}", f"{r['psnr_hole']:.2f}",
            f"{r['ssim']:.4f}", f"{r['mae_hole']:.4f}", f"{r['div_hole']:.4f}",
            f"{r['div_known_raw']:.4f}", f"{r['seconds']:.3f}"
        ])
    print(
        AsciiTable(
            table,
            title=f'{args.num} held-out synthetic faces '
            f'{size}x{size}, free-form masks 20-50%').table)
    if edits:
        attr = args.attribute or name
        table = [[
            'checkpoint', f'P({attr}) raw, at -s / 0 / +s',
            f'P({attr}) composite', 'change known, raw', 'change hole, raw',
            'change hole, composite'
        ]]
        for stage, r in edits.items():
            table.append([
                stage, ' / '.join(f"{r[f'prob_{k}']:.3f}"
                                  for k in ('minus', 'plain', 'plus')),
                ' / '.join(f"{r[f'prob_comp_{k}']:.3f}"
                           for k in ('minus', 'plain', 'plus')),
                f"{r['change_known_raw']:.4f}", f"{r['change_hole_raw']:.4f}",
                f"{r['change_hole_comp']:.4f}"
            ])
        print(
            AsciiTable(
                table, title=f'edit {name}, strength '
                f'+-{args.strength}').table)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(
            dict(
                stages=stages,
                num=args.num,
                size=size,
                held_out_seed=HELD_OUT_SEED,
                num_diversity_samples=NUM_DIVERSITY,
                results=results,
                direction=args.direction,
                attribute=args.attribute,
                strength=args.strength,
                edits=edits,
                machine=dict(
                    platform=platform.platform(),
                    cpus=os.cpu_count(),
                    threads=args.threads,
                    torch=torch.__version__)),
            f,
            indent=2)
    print(f'written {args.out}')
    return results, edits


if __name__ == '__main__':
    main()
