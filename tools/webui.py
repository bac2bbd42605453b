"""Serve the inpainting web page on localhost.

Example::

    pip install -e ".[web]"
    python tools/webui.py \
        --model in2=configs/in2/in2_quick_synthetic-faces.py:work_dirs/in2_quick_synthetic-faces/iter_600.pth \
        --port 7860

then open http://127.0.0.1:7860: upload a photo, paint the hole with the
brush, choose a model, press Inpaint, browse the samples, download. Give
``--model`` once per model; a model without ``:CKPT`` has random weights.
"""  # noqa: E501
import argparse
import os
import sys

import _bootstrap  # noqa: F401 (puts the repo on sys.path)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description='Serve the inpainting web page')
    p.add_argument(
        '--model',
        action='append',
        required=True,
        metavar='NAME=CONFIG[:CKPT]',
        help='a model to offer (repeatable); CONFIG is a config '
        'file or name')
    p.add_argument(
        '--port', type=int, default=7860, help='port (default: 7860)')
    p.add_argument(
        '--host',
        default='127.0.0.1',
        help='interface to listen on (localhost only by default)')
    p.add_argument(
        '--device', default='cpu', help='torch device (default: cpu)')
    p.add_argument(
        '--max-pixels',
        type=int,
        default=None,
        help='most output pixels per model call (default: '
        '2048*2048); larger photos are tiled or refused')
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
    from inpaint_toolbox.apis.web import (build_app, launch, load_models,
                                          require_gradio)
    try:
        require_gradio()
    except ImportError as e:
        raise SystemExit(str(e))
    from inpaint_toolbox.apis import DEFAULT_MAX_PIXELS
    try:
        models = load_models(
            args.model,
            device=args.device,
            max_pixels=args.max_pixels or DEFAULT_MAX_PIXELS)
    except (ValueError, FileNotFoundError) as e:
        raise SystemExit(str(e))
    launch(build_app(models), host=args.host, port=args.port)


if __name__ == '__main__':
    sys.exit(main())
