"""Write procedurally drawn faces to a folder of PNGs plus annotations.

Example::

    python tools/make_synthetic_faces.py --num 100 --size 128x96 \\
        --seed 0 --out data/synthetic_faces

writes ``000000.png ...`` (RGB) and ``annotations.json``: the seed, the size
``[H, W]`` and one record per file with its landmarks (``[x, y]`` pixel
coordinates), part boxes (``[x1, y1, x2, y2]``) and attributes. Image ``i``
equals item ``i`` of ``SyntheticFaceDataset(img_size=(H, W), seed=S)``.
"""
import argparse
import json
import os
import os.path as osp
import re
import sys
from typing import List, Optional, Tuple

try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

MIN_SIDE = 16  # the renderer's smallest side (checked again there)


def parse_size(text: str) -> Tuple[int, int]:
    """Parse ``'HxW'`` into ``(H, W)``; both sides >= 16.

    Raises:
        argparse.ArgumentTypeError: For anything else, naming the value.
    """
    match = re.fullmatch(r'\s*(\d+)\s*[xX]\s*(\d+)\s*', text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f'size must look like HxW (e.g. 128x96), got {text!r}')
    h, w = int(match.group(1)), int(match.group(2))
    if h < MIN_SIDE or w < MIN_SIDE:
        raise argparse.ArgumentTypeError(
            f'both sides of the size must be >= {MIN_SIDE}, got {text!r}')
    return h, w


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f'expected a positive integer, got {text!r}')
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f'expected a non-negative integer, got {text!r}')
    return value


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Render synthetic faces (a test bed for '
        'position-sensitive inpainting, not real photos) to PNG files.')
    parser.add_argument('--num', type=_positive, required=True,
                        help='number of images')
    parser.add_argument('--size', type=parse_size, default=(128, 128),
                        help='image size HxW, e.g. 128x96 (default 128x128)')
    parser.add_argument('--seed', type=_non_negative, default=0,
                        help='dataset seed (default 0)')
    parser.add_argument('--out', required=True, help='output folder')
    return parser.parse_args(argv)


def _to_json(face: dict) -> dict:
    return dict(
        landmarks=face['landmarks'].astype(float).round(3).tolist(),
        part_boxes={
            k: [round(float(v), 3) for v in box]
            for k, box in face['part_boxes'].items()
        },
        attributes=face['attributes'])


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    # Imported here so that ``--help`` and argument errors stay instant.
    import cv2
    from mmengine.utils import ProgressBar

    from inpaint_toolbox.datasets.synthetic_faces import SyntheticFaceDataset

    height, width = args.size
    dataset = SyntheticFaceDataset(
        num_samples=args.num, img_size=(height, width), seed=args.seed)
    os.makedirs(args.out, exist_ok=True)
    records = []
    progress = ProgressBar(args.num, file=sys.stderr)
    for i in range(args.num):
        info = dataset.get_data_info(i)
        name = f'{i:06d}.png'
        path = osp.join(args.out, name)
        # cv2 writes BGR: flip the RGB image so the file holds true colours.
        if not cv2.imwrite(path, info['gt'][..., ::-1]):
            raise OSError(f'could not write {path}')
        records.append(dict(file=name, index=i, **_to_json(info)))
        progress.update()
    sys.stderr.write('\n')
    annotations = dict(
        seed=args.seed,
        size=[height, width],
        num=args.num,
        landmark_names=list(dataset.metainfo['landmark_names']),
        records=records)
    with open(osp.join(args.out, 'annotations.json'), 'w') as f:
        json.dump(annotations, f)
    print(f'wrote {args.num} images and annotations.json to {args.out}')


if __name__ == '__main__':
    main()
