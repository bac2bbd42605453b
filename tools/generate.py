"""Generate images with a StyleGAN2 generator, one PNG per seed.

Example::

    python tools/generate.py checkpoints/stylegan2_ffhq-1024.pth \
        --seeds 0 1 2 --trunc 0.7 --outdir work_dirs/samples

As NVIDIA's ``generate.py``: ``z = RandomState(seed).randn(1, z_dim)``,
``img = (G(z) * 127.5 + 128).clamp(0, 255)`` as uint8, saved as
``OUTDIR/seed0000.png``. The generator is rebuilt from the checkpoint's
``meta['stylegan2']`` (written by ``tools/convert_stylegan2.py``); for a
training checkpoint without it, give the config and the key of the
generator in it (``--config cfg.py --config-key model.generator``).
"""
import argparse
import os
import os.path as osp
import sys

import _bootstrap  # noqa: F401 (puts the repo on sys.path)
import numpy as np
import torch
from PIL import Image

from inpaint_toolbox.converters.stylegan2 import (build_stylegan2_generator,
                                                  load_stylegan2_checkpoint,
                                                  load_stylegan2_generator,
                                                  read_checkpoint)
from inpaint_toolbox.models.generators.stylegan2 import NOISE_MODES


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate images with a StyleGAN2 generator')
    parser.add_argument('checkpoint', help='converted checkpoint (.pth)')
    parser.add_argument(
        '--seeds', type=int, nargs='+', required=True,
        help='one image per seed (0 <= seed < 2**32)')
    parser.add_argument(
        '--trunc', type=float, default=1.0, help='truncation psi')
    parser.add_argument(
        '--trunc-cutoff', type=int, default=None,
        help='truncate only the first this many W codes')
    parser.add_argument(
        '--noise-mode', choices=NOISE_MODES, default='const',
        help='noise inputs (default: const)')
    parser.add_argument('--outdir', required=True, help='output folder')
    parser.add_argument(
        '--prefix', default='generator_ema',
        help='weights to use: generator_ema (default) or generator')
    parser.add_argument(
        '--config', default=None,
        help='config to build the generator from when the checkpoint has '
        'no StyleGAN2 meta')
    parser.add_argument(
        '--config-key', default='model.generator',
        help='dotted key of the generator dict in --config')
    parser.add_argument('--device', default='cpu', help='torch device')
    return parser.parse_args(argv)


def _generator_from_config(args):
    from mmengine.config import Config

    from inpaint_toolbox.registry import MODELS
    cfg = Config.fromfile(args.config)
    node = cfg
    for part in args.config_key.split('.'):
        if part not in node:
            raise SystemExit(f'{args.config} has no {args.config_key!r}')
        node = node[part]
    generator = MODELS.build(node)
    ckpt = read_checkpoint(args.checkpoint)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    head = args.prefix.rstrip('.') + '.'
    state = {k[len(head):]: v for k, v in state.items()
             if k.startswith(head)}
    if not state:
        raise SystemExit(f'{args.checkpoint} has no {head!r} weights')
    generator.load_state_dict(state, strict=True)
    return generator


def load_generator(args) -> torch.nn.Module:
    """Build the generator and load its weights (eval mode)."""
    if args.config is not None:
        generator = _generator_from_config(args)
    else:
        ckpt = load_stylegan2_checkpoint(args.checkpoint)
        generator = build_stylegan2_generator(ckpt['meta'])
        load_stylegan2_generator(ckpt, generator, prefix=args.prefix)
    return generator.eval().requires_grad_(False)


def generate(generator, seed: int, trunc: float = 1.0, trunc_cutoff=None,
             noise_mode: str = 'const', device='cpu') -> np.ndarray:
    """Image ``(H, W, C)`` uint8 for ``seed``, as NVIDIA's generate.py."""
    if not 0 <= seed < 2**32:
        raise ValueError(f'seed must be in [0, 2**32), got {seed}')
    z = torch.from_numpy(
        np.random.RandomState(seed).randn(1, generator.z_dim)).to(device)
    c = torch.zeros(1, generator.c_dim, device=device) \
        if generator.c_dim else None
    with torch.no_grad():
        img = generator(z, c, truncation_psi=trunc,
                        truncation_cutoff=trunc_cutoff,
                        noise_mode=noise_mode)
    img = (img.permute(0, 2, 3, 1) * 127.5 + 128).clamp(0, 255)
    return img.to(torch.uint8)[0].cpu().numpy()


def main(argv=None) -> int:
    args = parse_args(argv)
    bad = [s for s in args.seeds if not 0 <= s < 2**32]
    if bad:
        raise SystemExit(f'seeds must be in [0, 2**32), got {bad}')
    generator = load_generator(args).to(args.device)
    os.makedirs(args.outdir, exist_ok=True)
    for seed in args.seeds:
        img = generate(generator, seed, args.trunc, args.trunc_cutoff,
                       args.noise_mode, args.device)
        mode = 'L' if img.shape[2] == 1 else 'RGB'
        path = osp.join(args.outdir, f'seed{seed:04d}.png')
        Image.fromarray(img[:, :, 0] if mode == 'L' else img, mode).save(path)
        print(f'seed {seed} -> {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
