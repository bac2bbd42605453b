"""The web page: upload a photo, paint the hole, inpaint, edit, download.

Start it with ``python tools/webui.py --model NAME=CONFIG[:CKPT]``. Building
the page needs the optional ``web`` extra (``pip install -e ".[web]"``);
importing this package does not.
"""
from .app import build_app, launch, require_gradio
from .handlers import (editor_to_image_and_mask, load_models, model_controls,
                       parse_model_spec, run_inpaint)

__all__ = [
    'build_app', 'launch', 'require_gradio', 'editor_to_image_and_mask',
    'load_models', 'model_controls', 'parse_model_spec', 'run_inpaint'
]
