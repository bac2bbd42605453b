"""The inpainting web page (Gradio): upload a photo, paint the hole, run.

Needs the optional ``web`` extra (``pip install -e ".[web]"``); importing
this module does not import gradio, building the page does.
"""
import tempfile
from typing import Dict

from inpaint_toolbox.apis.inpaint_inferencer import InpaintInferencer
from .handlers import (directions_union, editor_to_image_and_mask,
                       model_controls, run_inpaint)

#: The brush paints the hole in this colour, half transparent so the photo
#: stays visible; any painted pixel is part of the hole.
BRUSH_COLOR = ('#ff00ff', 0.6)
#: Brush radius in photo pixels (changeable on the page).
BRUSH_SIZE = 16
EDIT_RANGE = (-5.0, 5.0)
MAX_SAMPLES = 8


def require_gradio():
    """Import gradio, or explain how to install it.

    Raises:
        ImportError: gradio is not installed.
    """
    try:
        import gradio
    except ImportError as e:
        raise ImportError(
            'the web page needs gradio, an optional dependency: install it '
            'with  pip install -e ".[web]"') from e
    return gradio


def _theme(gr):
    """The default theme with system fonts: the page loads nothing from
    outside the server."""
    return gr.themes.Default(
        font=['ui-sans-serif', 'system-ui', 'sans-serif'],
        font_mono=['ui-monospace', 'monospace'])


def build_app(models: Dict[str, InpaintInferencer], out_dir: str = None):
    """Build the page for the given models.

    Args:
        models (dict): ``{name: InpaintInferencer}``, shown in a dropdown in
            this order.
        out_dir (str, optional): where result PNGs are written for
            download; a new temporary folder by default.

    Returns:
        gradio.Blocks: the page; ``launch`` it (see :func:`launch`).
    """
    gr = require_gradio()
    if not models:
        raise ValueError('build_app needs at least one model')
    out_dir = out_dir or tempfile.mkdtemp(prefix='inpaint_web_')
    names = list(models)
    all_dirs = directions_union(models)

    def updates(name):
        c = model_controls(models[name])
        ups = [
            gr.update(
                visible=c['max_scale'] > 1,
                maximum=max(c['max_scale'], 1.01),
                value=1),
            gr.update(visible=c['samples']),
            gr.update(visible=c['samples'])
        ]
        ups += [
            gr.update(visible=d in c['directions'], value=0) for d in all_dirs
        ]
        return ups

    def run(name, value, scale, num_samples, seed, *strengths):
        try:
            rgb, mask = editor_to_image_and_mask(value)
            res = run_inpaint(
                models[name],
                rgb,
                mask,
                out_dir,
                scale=scale,
                num_samples=num_samples,
                seed=None if seed is None else int(seed),
                edits=dict(zip(all_dirs, strengths)))
        except (ValueError, TypeError, FileNotFoundError, MemoryError) as e:
            raise gr.Error(str(e))
        items = [(f, f'sample {k}') for k, f in enumerate(res['files'])]
        # open the first result large; the others are thumbnails below it
        return (gr.Gallery(value=items,
                           selected_index=0), res['files'], res['info'])

    first = model_controls(models[names[0]])
    with gr.Blocks(title='inpaint_toolbox', analytics_enabled=False) as demo:
        gr.Markdown('## Face inpainting\nUpload a photo, paint the part to '
                    'replace with the brush, choose a model and press '
                    '**Inpaint**.')
        with gr.Row():
            with gr.Column(scale=3):
                editor = gr.ImageEditor(
                    label='Photo: upload, then paint the hole',
                    type='numpy',
                    image_mode='RGBA',
                    format='png',
                    sources=('upload', 'clipboard'),
                    transforms=(),
                    layers=False,
                    elem_id='editor',
                    brush=gr.Brush(
                        colors=[BRUSH_COLOR],
                        default_color=BRUSH_COLOR,
                        color_mode='fixed',
                        default_size=BRUSH_SIZE),
                    eraser=gr.Eraser(default_size=BRUSH_SIZE))
            with gr.Column(scale=2):
                model = gr.Dropdown(
                    names, value=names[0], label='Model', elem_id='model')
                scale = gr.Slider(
                    1,
                    max(first['max_scale'], 1.01),
                    value=1,
                    step=0.25,
                    label='Scale (output size / input size)',
                    visible=first['max_scale'] > 1,
                    elem_id='scale')
                num_samples = gr.Slider(
                    1,
                    MAX_SAMPLES,
                    value=4,
                    step=1,
                    label='Samples',
                    visible=first['samples'],
                    elem_id='num_samples')
                seed = gr.Number(
                    value=0,
                    precision=0,
                    minimum=0,
                    label='Seed (same seed, same samples)',
                    visible=first['samples'],
                    elem_id='seed')
                sliders = [
                    gr.Slider(
                        *EDIT_RANGE,
                        value=0,
                        step=0.1,
                        label=f'Edit: {d}',
                        visible=d in first['directions'],
                        elem_id=f'edit_{d}') for d in all_dirs
                ]
                button = gr.Button('Inpaint', variant='primary', elem_id='run')
                info = gr.Markdown(elem_id='info')
        gallery = gr.Gallery(
            label='Results',
            format='png',
            columns=4,
            height=480,
            object_fit='contain',
            fit_columns=False,
            elem_id='results',
            buttons=['download', 'download_all'])
        files = gr.File(
            label='Download (PNG)', file_count='multiple', elem_id='files')
        model.change(updates, model, [scale, num_samples, seed] + sliders)
        button.click(run, [model, editor, scale, num_samples, seed] + sliders,
                     [gallery, files, info])
    demo.out_dir = out_dir
    return demo


def launch(demo,
           host: str = '127.0.0.1',
           port: int = 7860,
           block: bool = True):
    """Serve the page on ``http://host:port`` (localhost by default).

    Args:
        demo (gradio.Blocks): from :func:`build_app`.
        host (str): interface to listen on.
        port (int): port.
        block (bool): keep serving until interrupted.
    """
    gr = require_gradio()
    demo.queue(default_concurrency_limit=1)
    return demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        prevent_thread_lock=not block,
        show_error=True,
        ssr_mode=False,
        theme=_theme(gr),
        allowed_paths=[demo.out_dir],
        quiet=False)
