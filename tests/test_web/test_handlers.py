"""What the web page does, tested without a page or gradio."""
import importlib.util
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from inpaint_toolbox.apis import InpaintInferencer
from inpaint_toolbox.apis.web import (editor_to_image_and_mask, load_models,
                                      model_controls, parse_model_spec,
                                      run_inpaint)
from inpaint_toolbox.apis.web.handlers import directions_union
from inpaint_toolbox.utils.image_io import imread_rgb

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(REPO, 'tests', 'data', 'configs', 'tiny_baseline.py')


def _load_fakes():
    spec = importlib.util.spec_from_file_location(
        '_inpaint_fake_models',
        osp.join(REPO, 'tests', 'test_apis', '_fake_models.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FAKES = _load_fakes()


@pytest.fixture(scope='module')
def tiny():
    return load_models([f'tiny={TINY}'])['tiny']


@pytest.fixture(scope='module')
def sampler():
    cfg = Config(
        dict(
            model=dict(type=FAKES.FakeSampler, directions=dict(
                smile='s.pth'))))
    with pytest.warns(UserWarning):
        return InpaintInferencer(cfg)


@pytest.mark.parametrize('spec, expected', [
    ('in2=configs/in2/a.py:work_dirs/a/iter_600.pth',
     ('in2', 'configs/in2/a.py', 'work_dirs/a/iter_600.pth')),
    ('tiny=tests/data/configs/tiny_baseline.py',
     ('tiny', 'tests/data/configs/tiny_baseline.py', None)),
    ('q=in2_quick_synthetic-faces:ckpt.pth',
     ('q', 'in2_quick_synthetic-faces', 'ckpt.pth')),
    (' my model = cfg.py ', ('my model', 'cfg.py', None)),
])
def test_parse_model_spec(spec, expected):
    assert parse_model_spec(spec) == expected


@pytest.mark.parametrize('spec', ['cfg.py', '=cfg.py', 'a=', ''])
def test_bad_model_spec_is_named(spec):
    with pytest.raises(ValueError, match='NAME=CONFIG'):
        parse_model_spec(spec)


def test_load_models_errors(tmp_path):
    with pytest.raises(ValueError, match="'a' given twice"):
        load_models([f'a={TINY}', f'a={TINY}'])
    with pytest.raises(FileNotFoundError, match='none.pth'):
        load_models([f'a={TINY}:{tmp_path / "none.pth"}'])
    with pytest.raises(ValueError, match='at least one'):
        load_models([])


def _editor_value(h=20, w=30, alpha_bg=255):
    rng = np.random.default_rng(0)
    bg = np.concatenate([
        rng.integers(0, 256, (h, w, 3), np.uint8),
        np.full((h, w, 1), alpha_bg, np.uint8)
    ], -1)
    layer = np.zeros((h, w, 4), np.uint8)
    layer[5:9, 4:20] = (255, 0, 255, 153)
    layer[9, 4:20, 3] = 1  # faint anti-aliased edge still counts
    return dict(background=bg, layers=[layer], composite=bg)


def test_editor_value_gives_photo_and_painted_hole():
    value = _editor_value()
    rgb, mask = editor_to_image_and_mask(value)
    np.testing.assert_array_equal(rgb, value['background'][..., :3])
    expected = np.zeros((20, 30), np.uint8)
    expected[5:10, 4:20] = 1
    np.testing.assert_array_equal(mask, expected)


def test_transparent_photo_is_flattened_on_white():
    rgb, _ = editor_to_image_and_mask(_editor_value(alpha_bg=0))
    assert (rgb == 255).all()


@pytest.mark.parametrize('value, match', [
    (None, 'upload a photo'),
    (dict(background=None, layers=[]), 'upload a photo'),
    (dict(background=np.zeros(
        (4, 4, 4), np.uint8), layers=[]), 'paint the hole'),
    (dict(
        background=np.zeros((4, 4, 4), np.uint8),
        layers=[np.full((5, 4, 4), 255, np.uint8)]), 'layer size'),
])
def test_editor_value_errors(value, match):
    with pytest.raises(ValueError, match=match):
        editor_to_image_and_mask(value)


def test_controls_follow_the_model(tiny, sampler):
    assert model_controls(tiny) == dict(
        samples=False, max_scale=1.0, directions=[])
    assert model_controls(sampler) == dict(
        samples=True, max_scale=1.0, directions=['smile'])
    assert directions_union(dict(a=tiny, b=sampler)) == ['smile']


def test_run_deterministic_model_saves_one_png(tiny, tmp_path):
    rgb, mask = editor_to_image_and_mask(_editor_value())
    # controls the model lacks are dropped, not errors
    res = run_inpaint(
        tiny,
        rgb,
        mask,
        str(tmp_path),
        scale=1,
        num_samples=4,
        seed=0,
        edits=dict(smile=1.0))
    assert len(res['images']) == len(res['files']) == 1
    np.testing.assert_array_equal(
        imread_rgb(res['files'][0]), res['images'][0])
    np.testing.assert_array_equal(res['images'][0][mask == 0], rgb[mask == 0])
    assert res['info'].startswith('1 result(s), 30x20')


def test_run_sampling_model_gives_a_gallery_and_edits(sampler, tmp_path):
    rgb, mask = editor_to_image_and_mask(_editor_value())
    res = run_inpaint(
        sampler,
        rgb,
        mask,
        str(tmp_path),
        num_samples=3,
        seed=4,
        edits=dict(smile=0.0))
    assert len(res['files']) == 3 and len(set(res['files'])) == 3
    assert 'seed 4' in res['info'] and 'edits' not in res['info']
    edited = run_inpaint(
        sampler,
        rgb,
        mask,
        str(tmp_path),
        num_samples=3,
        seed=4,
        edits=dict(smile=2.0))
    assert "edits {'smile': 2.0}" in edited['info']
    hole = mask == 1
    assert not np.array_equal(edited['images'][0][hole],
                              res['images'][0][hole])
    again = run_inpaint(
        sampler, rgb, mask, str(tmp_path), num_samples=3, seed=4)
    for a, b in zip(again['images'], res['images']):
        np.testing.assert_array_equal(a, b)
