"""Convert a StyleGAN2 generator checkpoint to inpaint_toolbox's format.

Examples::

    python tools/convert_stylegan2.py stylegan2-ffhq-config-f.pt \
        checkpoints/stylegan2_ffhq-1024.pth
    python tools/convert_stylegan2.py network-snapshot.pkl out.pth \
        --src-format nvidia-ada

The source is read without running code stored in it (NVIDIA pickles go
through a restricted unpickler). The output holds ``generator.*`` and
``generator_ema.*`` weights and ``meta['stylegan2']`` (resolution, channels,
latent sizes) and loads with ``torch.load(weights_only=True)``; see
``inpaint_toolbox/converters/stylegan2.py``.
"""
import argparse
import sys

import _bootstrap  # noqa: F401 (puts the repo on sys.path)

from inpaint_toolbox.converters.stylegan2 import (SRC_FORMATS,
                                                  convert_stylegan2,
                                                  save_stylegan2_checkpoint)


def _clamp(value: str):
    if value in ('auto', 'none', 'None'):
        return None if value != 'auto' else 'auto'
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--conv-clamp must be 'auto', 'none' or a number, got {value!r}")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert a StyleGAN2 generator checkpoint (rosinality, '
        'NVIDIA stylegan2-ada or mmagic) to inpaint_toolbox format')
    parser.add_argument('src', help='source checkpoint (.pt/.pth/.pkl)')
    parser.add_argument('dst', help='output checkpoint (.pth)')
    parser.add_argument(
        '--src-format', choices=SRC_FORMATS, default='auto',
        help='source layout (default: detect from the keys)')
    parser.add_argument(
        '--mapping-lr-multiplier', type=float, default=None,
        help='learning-rate multiplier of the mapping network (default: '
        'from the NVIDIA pickle, else 0.01)')
    parser.add_argument(
        '--conv-clamp', type=_clamp, default='auto',
        help="clamp of the synthesis convs: 'auto' (from the NVIDIA "
        "pickle, else none), 'none' or a number")
    parser.add_argument(
        '--w-avg-samples', type=int, default=4096,
        help='latents used to estimate w_avg when the source lacks it')
    parser.add_argument(
        '--seed', type=int, default=0,
        help='seed for the w_avg estimate and missing noise buffers')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.w_avg_samples < 1:
        raise SystemExit(f'--w-avg-samples must be >= 1, got '
                         f'{args.w_avg_samples}')
    ckpt = convert_stylegan2(
        args.src, src_format=args.src_format,
        mapping_lr_multiplier=args.mapping_lr_multiplier,
        conv_clamp=args.conv_clamp, w_avg_samples=args.w_avg_samples,
        seed=args.seed)
    save_stylegan2_checkpoint(ckpt, args.dst)
    meta = ckpt['meta']['stylegan2']
    print(f'{args.src} ({meta["source_format"]}) -> {args.dst}: '
          f'{meta["img_resolution"]}x{meta["img_resolution"]}, '
          f'z_dim={meta["z_dim"]}, w_dim={meta["w_dim"]}, '
          f'num_ws={meta["num_ws"]}, channels={meta["channels"]}, '
          f'w_avg: {meta["w_avg"]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
