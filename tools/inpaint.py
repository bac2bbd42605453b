"""Inpaint an image or a folder of images with a trained model.

Examples::

    # one image, a mask file where white marks the hole
    python tools/inpaint.py configs/in2/in2_quick_synthetic-faces.py \
        --checkpoint work_dirs/in2_quick_synthetic-faces/iter_600.pth \
        --input face.png --mask hole.png --mask-hole-value white --out out/

    # a folder, masks paired by file name, with input | mask | output grids
    python tools/inpaint.py CONFIG --checkpoint CKPT --input photos/ \
        --mask masks/ --mask-hole-value black --out out/ --grid

    # a folder with generated masks; 4 samples and an edit (inversion models)
    python tools/inpaint.py CONFIG --checkpoint CKPT --input photos/ \
        --mask-generator FreeFormMask --num-samples 4 --seed 0 \
        --edit smile=2 --out out/

Outputs, per input ``NAME.EXT``: ``OUT/NAME.png`` (``NAME_k.png`` for
sample k when ``--num-samples`` > 1), ``OUT/NAME_mask.png`` for generated
masks (white = hole), ``OUT/NAME_grid.png`` with ``--grid``, and
``OUT/inpaint_results.json`` listing every file's outputs or error. A file
that fails is reported and skipped; the exit code is 1 when any failed.
Inputs are never overwritten: an ``--out`` that is an input folder, or an
output path that is an input file, is refused before anything runs.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Tuple

import _bootstrap  # noqa: F401 (puts the repo on sys.path)
import numpy as np

IMAGE_EXTS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff')


def _edit(text: str) -> Tuple[str, float]:
    name, sep, value = text.partition('=')
    try:
        if not sep or not name:
            raise ValueError
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'expected NAME=STRENGTH (e.g. smile=2.0), got {text!r}')


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description='Inpaint images with a trained model')
    p.add_argument('config', help='config file or config name')
    p.add_argument(
        '--checkpoint',
        required=True,
        help='checkpoint file, or a work dir (latest checkpoint)')
    p.add_argument('--input', required=True, help='an image or a folder')
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        '--mask',
        help='a mask file (used for every input) or '
        'a folder of masks paired with inputs by file name')
    src.add_argument(
        '--mask-generator',
        metavar='NAME',
        help='draw masks with a registered mask generator, '
        'e.g. FreeFormMask, IrregularMask, BoxMask, MixedMask')
    p.add_argument(
        '--mask-hole-value',
        choices=['white', 'black'],
        help='which gray value marks the hole in mask files '
        '(required with --mask)')
    p.add_argument(
        '--mask-threshold',
        type=float,
        default=127,
        help='gray level separating black from white (default: 127)')
    p.add_argument(
        '--mask-seed',
        type=int,
        default=0,
        help='seed of --mask-generator: input i (sorted by name) uses '
        'seed + i (default: 0)')
    p.add_argument('--out', required=True, help='output folder')
    p.add_argument('--scale', type=float, help='output scale (IN2: 1 to 4)')
    p.add_argument(
        '--num-samples', type=int, help='samples per image (inversion models)')
    p.add_argument(
        '--seed', type=int, help='seed of the samples (inversion models)')
    p.add_argument(
        '--edit',
        type=_edit,
        action='append',
        default=[],
        metavar='NAME=STRENGTH',
        help='latent edit, repeatable (inversion models)')
    p.add_argument(
        '--grid',
        action='store_true',
        help='also write input | mask | outputs side by side')
    p.add_argument(
        '--device', default='cpu', help='torch device (default: cpu)')
    p.add_argument(
        '--max-pixels',
        type=int,
        default=None,
        help='most output pixels per model call; larger images '
        'are tiled (default: 2048*2048)')
    p.add_argument(
        '--no-tile',
        action='store_true',
        help='refuse images above --max-pixels instead of '
        'tiling them')
    return p.parse_args(argv)


# ------------------------------------------------------------------ files
def _list_images(folder: str) -> List[str]:
    return sorted(
        osp.join(folder, f) for f in os.listdir(folder)
        if not f.startswith('.') and osp.splitext(f)[1].lower() in IMAGE_EXTS
        and osp.isfile(osp.join(folder, f)))


def _stem(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def _pair_masks(inputs: List[str], mask: str) -> Dict[str, object]:
    """Each input's mask path, or an error message when it has none."""
    if not osp.isdir(mask):
        return {i: mask for i in inputs}
    by_stem: Dict[str, List[str]] = {}
    for m in _list_images(mask):
        by_stem.setdefault(_stem(m), []).append(m)
    paired = {}
    for i in inputs:
        hits = by_stem.get(_stem(i), [])
        if len(hits) == 1:
            paired[i] = hits[0]
        else:
            paired[i] = ValueError(
                f'no mask named {_stem(i)}.* in {mask}' if not hits else
                f'several masks named {_stem(i)}.* in {mask}: {hits}')
    return paired


def _output_names(inputs: List[str]) -> Dict[str, str]:
    """Output base names: the stem, or stem_ext where stems collide."""
    stems = [_stem(i) for i in inputs]
    return {
        i:
        s if stems.count(s) == 1 else
        f'{s}_{osp.splitext(i)[1].lstrip(".").lower()}'
        for i, s in zip(inputs, stems)
    }


def _same_file(a: str, b: str) -> bool:
    if osp.exists(a) and osp.exists(b):
        return osp.samefile(a, b)
    return osp.realpath(a) == osp.realpath(b)


def _check_no_overwrite(out: str, sources: List[str],
                        planned: List[str]) -> Optional[str]:
    """A message when writing ``planned`` would touch an input."""
    folders = {osp.dirname(osp.abspath(s)) for s in sources}
    for folder in sorted(folders):
        if osp.isdir(out) and _same_file(out, folder):
            return (f'--out {out} is the folder of the inputs or masks '
                    f'({folder}); choose another folder so inputs are never '
                    'overwritten or mixed with results')
    for path in planned:
        for src in sources:
            if _same_file(path, src):
                return (f'output {path} would overwrite the input {src}; '
                        'choose another --out')
    return None


# ------------------------------------------------------------------- grid
def make_grid(img: np.ndarray,
              mask: np.ndarray,
              outputs: List[np.ndarray],
              gap: int = 4) -> np.ndarray:
    """``input | mask | outputs`` side by side on a white background.

    Args:
        img (np.ndarray): ``(H, W, 3)`` uint8 RGB input.
        mask (np.ndarray): ``(H, W)`` {0, 1}, shown white where 1 (hole).
        outputs (list[np.ndarray]): ``(H', W', 3)`` uint8 RGB each; at
            scale > 1 the input and mask are enlarged (nearest) to H' x W'.
        gap (int): white pixels between panels.

    Returns:
        np.ndarray: ``(H', n * W' + (n - 1) * gap, 3)`` uint8.
    """
    import cv2
    oh, ow = outputs[0].shape[:2]
    panels = [img, np.repeat(mask[..., None] * 255, 3, axis=-1)]
    panels = [
        p if p.shape[:2] == (oh, ow) else cv2.resize(
            p, (ow, oh), interpolation=cv2.INTER_NEAREST) for p in panels
    ]
    panels += list(outputs)
    grid = np.full((oh, len(panels) * (ow + gap) - gap, 3), 255, np.uint8)
    for k, p in enumerate(panels):
        grid[:, k * (ow + gap):k * (ow + gap) + ow] = p
    return grid


# -------------------------------------------------------------------- run
def _build_mask_generator(name: str):
    from inpaint_toolbox.masks import build_mask_generator
    from inpaint_toolbox.registry import MASK_GENERATORS
    try:
        return build_mask_generator(dict(type=name))
    except KeyError:
        raise SystemExit(
            f'--mask-generator {name!r} is not registered; available: '
            f'{sorted(MASK_GENERATORS.module_dict)}')
    except TypeError as e:
        raise SystemExit(f'--mask-generator {name!r} needs arguments and '
                         f'cannot be used here: {e}')


def _resolve_checkpoint(path: str) -> str:
    from mmengine.runner import find_latest_checkpoint
    if osp.isdir(path):
        latest = find_latest_checkpoint(path)
        if latest is None:
            raise SystemExit(f'no checkpoint found in work dir {path}')
        return latest
    if not osp.isfile(path):
        raise SystemExit(f'checkpoint not found: {path}')
    return path


def main(argv=None) -> int:
    """Run the tool; returns the exit code (0: all done, 1: some failed)."""
    args = parse_args(argv)
    if args.mask is not None and args.mask_hole_value is None:
        raise SystemExit('--mask needs --mask-hole-value white|black: mask '
                         'files differ in which value marks the hole')
    if osp.exists(args.out) and not osp.isdir(args.out):
        raise SystemExit(f'--out {args.out} exists and is not a folder')
    if not osp.exists(args.input):
        raise SystemExit(f'--input not found: {args.input}')
    if args.mask is not None and not osp.exists(args.mask):
        raise SystemExit(f'--mask not found: {args.mask}')
    inputs = _list_images(args.input) if osp.isdir(args.input) \
        else [args.input]
    if not inputs:
        raise SystemExit(f'no images ({", ".join(IMAGE_EXTS)}) in '
                         f'{args.input}')
    masks = _pair_masks(inputs, args.mask) if args.mask else {}
    names = _output_names(inputs)
    n_out = max(1, args.num_samples or 1)
    planned = []
    for i in inputs:
        base = osp.join(args.out, names[i])
        planned += [base + '.png'] if n_out == 1 else [
            f'{base}_{k}.png' for k in range(n_out)
        ]
        planned += [base + '_grid.png', base + '_mask.png']
    planned.append(osp.join(args.out, 'inpaint_results.json'))
    sources = inputs + [m for m in masks.values() if isinstance(m, str)]
    problem = _check_no_overwrite(args.out, sources, planned)
    if problem:
        raise SystemExit(problem)

    from inpaint_toolbox.apis import DEFAULT_MAX_PIXELS, InpaintInferencer
    ckpt = _resolve_checkpoint(args.checkpoint)
    gen = _build_mask_generator(args.mask_generator) \
        if args.mask_generator else None
    inf = InpaintInferencer(
        args.config,
        ckpt,
        device=args.device,
        max_pixels=args.max_pixels or DEFAULT_MAX_PIXELS,
        tile=not args.no_tile)
    options = dict(
        scale=args.scale,
        num_samples=args.num_samples,
        seed=args.seed,
        edits=dict(args.edit) or None)
    refused = [
        k for k, v in options.items() if v is not None and not inf.accepts(k)
    ]
    if refused:
        flags = ', '.join('--' + k.replace('_', '-').replace('edits', 'edit')
                          for k in refused)
        raise SystemExit(f'{type(inf.model).__name__} does not take {flags}')
    options = {k: v for k, v in options.items() if v is not None}
    os.makedirs(args.out, exist_ok=True)
    records = _process(inputs, masks, names, gen, inf, options, args)
    with open(osp.join(args.out, 'inpaint_results.json'), 'w') as f:
        json.dump(
            dict(
                config=args.config,
                checkpoint=ckpt,
                options={
                    k: v
                    for k, v in options.items()
                },
                results=records),
            f,
            indent=2)
    failed = [r for r in records if r['status'] != 'ok']
    print(f'{len(records) - len(failed)} of {len(records)} images inpainted '
          f'into {args.out}' + (f'; {len(failed)} failed:' if failed else ''))
    for r in failed:
        print(f'  {r["input"]}: {r["error"]}', file=sys.stderr)
    return 1 if failed else 0


def _process(inputs, masks, names, gen, inf, options, args) -> List[dict]:
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress,
                               TextColumn, TimeRemainingColumn)

    from inpaint_toolbox.utils.image_io import imread_rgb, imwrite_rgb
    records = []
    progress = Progress(
        TextColumn('[progress.description]{task.description}'),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=len(inputs) < 2)
    with progress:
        task = progress.add_task('inpainting', total=len(inputs))
        for idx, path in enumerate(inputs):
            progress.update(task, description=escape(osp.basename(path)))
            rec = dict(input=path, status='ok')
            start = time.perf_counter()
            try:
                if gen is not None:
                    img = imread_rgb(path)
                    mask = gen(img.shape[:2],
                               np.random.default_rng(args.mask_seed + idx))
                    rec['mask'] = f'{args.mask_generator} seed ' \
                        f'{args.mask_seed + idx}'
                else:
                    img, mask = path, masks[path]
                    if isinstance(mask, Exception):
                        raise mask
                    rec['mask'] = mask
                res = inf(
                    img,
                    mask,
                    mask_hole_value=args.mask_hole_value,
                    mask_threshold=args.mask_threshold,
                    **options)
                base = osp.join(args.out, names[path])
                outs = [base + '.png'] if len(res['outputs']) == 1 else [
                    f'{base}_{k}.png' for k in range(len(res['outputs']))
                ]
                for p, o in zip(outs, res['outputs']):
                    imwrite_rgb(p, o)
                if gen is not None:
                    imwrite_rgb(base + '_mask.png', res['mask'] * 255)
                    outs.append(base + '_mask.png')
                if args.grid:
                    rgb = img if isinstance(img, np.ndarray) \
                        else imread_rgb(path)
                    imwrite_rgb(base + '_grid.png',
                                make_grid(rgb, res['mask'], res['outputs']))
                    outs.append(base + '_grid.png')
                rec.update(outputs=outs, tiles=list(res['tiles']))
            except Exception as e:  # report, skip, go on with the rest
                rec.update(status='failed', error=f'{type(e).__name__}: {e}')
                progress.console.print(
                    f'[red]failed[/red] {escape(path)}: '
                    f'{escape(rec["error"])}',
                    highlight=False)
            rec['seconds'] = round(time.perf_counter() - start, 3)
            records.append(rec)
            progress.advance(task)
    return records


if __name__ == '__main__':
    sys.exit(main())
