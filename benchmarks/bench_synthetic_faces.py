"""Faces per second of the synthetic face renderer, on one thread.

Each size is timed next to a baseline measured in the same process: making a
noise image of that size (``Generator.integers`` plus one
``cv2.GaussianBlur``), so the numbers can be compared across machines.

Usage::

    python benchmarks/bench_synthetic_faces.py \\
        [--out work_dirs/bench/synthetic_faces.json] [--min-time 1.0]
"""
import argparse
import json
import os
import os.path as osp
import platform
import sys
import time

import cv2
import numpy as np
from terminaltables import AsciiTable

try:
    import inpaint_toolbox  # noqa: F401
except ImportError:  # run from a checkout without ``pip install -e .``
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from inpaint_toolbox.datasets.synthetic_faces import render_face  # noqa: E402

SIZES = ((64, 64), (128, 128), (256, 256), (512, 384))


def _noise_image(height: int, width: int, index: int) -> np.ndarray:
    img = np.random.default_rng([0, index]).integers(
        0, 256, (height, width, 3), dtype=np.uint8)
    return cv2.GaussianBlur(img, (5, 5), 0)


def _face_image(height: int, width: int, index: int) -> np.ndarray:
    return render_face(height, width, np.random.default_rng([0, index]))


def per_second(fn, height: int, width: int, min_time: float) -> float:
    """Calls of ``fn(height, width, index)`` per second (best of rounds)."""
    fn(height, width, 0)  # warm up
    best = 0.0
    deadline = time.perf_counter() + min_time
    index = 1
    while True:
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < min_time / 5:
            fn(height, width, index)
            index += 1
            n += 1
        best = max(best, n / (time.perf_counter() - start))
        if time.perf_counter() >= deadline:
            return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--out', default='work_dirs/bench/synthetic_faces.json')
    parser.add_argument('--min-time', type=float, default=1.0,
                        help='seconds spent per measurement')
    args = parser.parse_args()
    if args.min_time <= 0:
        parser.error(f'--min-time must be > 0, got {args.min_time}')

    cv2.setNumThreads(1)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass

    rows = [['size (HxW)', 'faces/s', 'noise baseline/s', 'face / baseline',
             'ms per face']]
    results = []
    for height, width in SIZES:
        faces = per_second(_face_image, height, width, args.min_time)
        noise = per_second(_noise_image, height, width, args.min_time)
        results.append(dict(height=height, width=width, faces_per_s=faces,
                            baseline_per_s=noise, ratio=faces / noise))
        rows.append([f'{height}x{width}', f'{faces:.0f}', f'{noise:.0f}',
                     f'{faces / noise:.3f}', f'{1000 / faces:.2f}'])
    table = AsciiTable(rows, title=' synthetic faces, 1 thread ')
    print(table.table)

    report = dict(
        benchmark='synthetic_faces',
        threads=1,
        baseline='default_rng.integers(0, 256, (H, W, 3), uint8) + '
        'cv2.GaussianBlur 5x5',
        python=platform.python_version(),
        numpy=np.__version__,
        opencv=cv2.__version__,
        machine=platform.machine(),
        processor=platform.processor(),
        results=results)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(report, f, indent=2)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
