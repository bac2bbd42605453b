"""The page's layout and events (built, not served), and the clear error
when gradio is missing."""
import importlib.util
import os.path as osp
import sys

import numpy as np
import pytest
from mmengine.config import Config

from inpaint_toolbox.apis import InpaintInferencer
from inpaint_toolbox.apis.web import build_app, load_models, require_gradio

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(REPO, 'tests', 'data', 'configs', 'tiny_baseline.py')
HAS_GRADIO = importlib.util.find_spec('gradio') is not None


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FAKES = _load('_inpaint_fake_models',
              osp.join(REPO, 'tests', 'test_apis', '_fake_models.py'))


@pytest.fixture
def no_gradio(monkeypatch):
    monkeypatch.setitem(sys.modules, 'gradio', None)  # import fails


def test_missing_gradio_says_how_to_install(no_gradio):
    with pytest.raises(ImportError, match=r'pip install -e "\.\[web\]"'):
        require_gradio()
    with pytest.raises(ImportError, match='gradio'):
        build_app({})


def test_webui_tool_exits_with_the_install_hint(no_gradio, monkeypatch):
    monkeypatch.syspath_prepend(osp.join(REPO, 'tools'))
    tool = _load('webui_tool', osp.join(REPO, 'tools', 'webui.py'))
    with pytest.raises(SystemExit, match=r'pip install -e "\.\[web\]"'):
        tool.main(['--model', f'tiny={TINY}'])


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    if not HAS_GRADIO:
        pytest.skip('gradio is not installed (optional web extra)')
    cfg = Config(
        dict(
            model=dict(
                type=FAKES.FakeSampler,
                directions=dict(smile='s.pth', age='a.pth'))))
    models = load_models([f'tiny={TINY}'])
    with pytest.warns(UserWarning):
        models['sampler'] = InpaintInferencer(cfg)
    return build_app(models, out_dir=str(tmp_path_factory.mktemp('web')))


def _by_id(demo):
    return {
        b.elem_id: b
        for b in demo.blocks.values() if getattr(b, 'elem_id', None)
    }


def _fn(demo, name):
    return next(f.fn for f in demo.fns.values() if f.name == name)


def test_page_has_the_controls(demo):
    ids = _by_id(demo)
    for key in ('editor', 'model', 'scale', 'num_samples', 'seed', 'run',
                'results', 'files', 'info', 'edit_age', 'edit_smile'):
        assert key in ids, key
    assert ids['model'].choices == [('tiny', 'tiny'), ('sampler', 'sampler')]
    # the first model is deterministic: no sample or edit controls
    assert not ids['num_samples'].visible and not ids['edit_smile'].visible
    assert ids['editor'].format == 'png'  # lossless: known pixels exact


def test_choosing_a_model_shows_its_controls(demo):
    updates = _fn(demo, 'updates')
    scale, n, seed, age, smile = updates('sampler')
    assert n['visible'] and seed['visible'] and not scale['visible']
    assert age['visible'] and smile['visible']
    scale, n, seed, age, smile = updates('tiny')
    assert not n['visible'] and not age['visible']


def test_run_returns_gallery_files_and_info(demo):
    run = _fn(demo, 'run')
    rng = np.random.default_rng(0)
    bg = np.concatenate([
        rng.integers(0, 256, (16, 24, 3), np.uint8),
        np.full((16, 24, 1), 255, np.uint8)
    ], -1)
    layer = np.zeros((16, 24, 4), np.uint8)
    layer[4:8, 4:12, 3] = 255
    value = dict(background=bg, layers=[layer], composite=bg)
    gallery, files, info = run('sampler', value, 1, 3, 5, 0.0, 1.5)
    assert len(files) == 3 and info.startswith('3 result(s), 24x16')
    assert gallery.selected_index == 0
    import gradio as gr
    with pytest.raises(gr.Error, match='paint the hole'):
        run('tiny', dict(background=bg, layers=[]), 1, 1, 0, 0.0, 0.0)
