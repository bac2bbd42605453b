import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

from inpaint_toolbox.apis import DEFAULT_MAX_PIXELS, InpaintInferencer

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(ROOT, 'tests', 'data', 'configs', 'tiny_baseline.py')


@pytest.fixture(scope='module')
def inferencer():
    with pytest.warns(UserWarning, match='random weights'):
        return InpaintInferencer(TINY, checkpoint=None)


def _image(h, w, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), np.uint8)


@pytest.mark.parametrize('shape', [(37, 61), (64, 48), (5, 9)])
def test_any_size_keeps_known_pixels(inferencer, shape):
    img = _image(*shape)
    mask = np.zeros(shape, np.uint8)
    mask[shape[0] // 4:shape[0] // 2 + 1, 1:shape[1] // 2] = 1
    out = inferencer(img, mask)
    assert out['output'].shape == img.shape and out['output'].dtype == np.uint8
    np.testing.assert_array_equal(out['output'][mask == 0], img[mask == 0])
    assert not np.array_equal(out['output'][mask == 1], img[mask == 1])


@pytest.mark.parametrize('fill', [0, 1])
def test_all_zero_and_all_one_masks(inferencer, fill):
    img = _image(24, 40)
    mask = np.full((24, 40), fill, np.uint8)
    out = inferencer(img, mask)
    if fill == 0:
        np.testing.assert_array_equal(out['output'], img)
    else:
        np.testing.assert_array_equal(out['output'], out['pred'])


def test_paths_and_mask_conventions(inferencer, tmp_path):
    img = _image(32, 48)
    hole = np.zeros((32, 48), np.uint8)
    hole[8:20, 10:30] = 1
    cv2.imwrite(str(tmp_path / 'img.png'), img[..., ::-1])
    cv2.imwrite(str(tmp_path / 'white.png'), hole * 255)
    cv2.imwrite(str(tmp_path / 'black.png'), (1 - hole) * 255)
    ref = inferencer(img, hole)['output']
    for name, conv in (('white.png', 'white'), ('black.png', 'black')):
        out = inferencer(
            str(tmp_path / 'img.png'),
            str(tmp_path / name),
            mask_hole_value=conv)
        np.testing.assert_array_equal(out['mask'], hole)
        np.testing.assert_array_equal(out['output'], ref)
    # 8-bit mask arrays need the convention; file masks too
    with pytest.raises(ValueError, match='mask_hole_value'):
        inferencer(img, hole * 255)
    with pytest.raises(ValueError, match='mask_hole_value'):
        inferencer(img, str(tmp_path / 'white.png'))


def test_bad_inputs_are_clear_errors(inferencer, tmp_path):
    img = _image(32, 48)
    with pytest.raises(ValueError, match='differs from image size'):
        inferencer(img, np.zeros((32, 40), np.uint8))
    with pytest.raises(FileNotFoundError, match='missing.png'):
        inferencer(str(tmp_path / 'missing.png'), np.zeros((32, 48), np.uint8))
    corrupt = tmp_path / 'corrupt.png'
    corrupt.write_bytes(b'not an image')
    with pytest.raises(ValueError, match='corrupt.png'):
        inferencer(str(corrupt), np.zeros((32, 48), np.uint8))
    with pytest.raises(ValueError, match=r'\(H, W, 3\)'):
        inferencer(np.zeros((32, 48, 4), np.uint8), np.zeros((32, 48)))


def test_checkpoint_round_trip(tmp_path):
    import torch
    with pytest.warns(UserWarning):
        a = InpaintInferencer(TINY)
    path = tmp_path / 'ckpt.pth'
    torch.save({'state_dict': a.model.state_dict()}, path)
    b = InpaintInferencer(TINY, checkpoint=str(path))
    img, mask = _image(40, 40), np.zeros((40, 40), np.uint8)
    mask[10:30, 10:30] = 1
    np.testing.assert_array_equal(
        a(img, mask)['output'],
        b(img, mask)['output'])
    with pytest.raises(FileNotFoundError):
        InpaintInferencer(TINY, checkpoint=str(tmp_path / 'none.pth'))


# --------------------------------------------------------------------------
# input types, batches, options, limits
# --------------------------------------------------------------------------
def _load_fakes():
    spec = importlib.util.spec_from_file_location(
        '_inpaint_fake_models',
        osp.join(osp.dirname(__file__), '_fake_models.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FAKES = _load_fakes()


@pytest.fixture(scope='module')
def sampler():
    cfg = Config(
        dict(
            model=dict(
                type=FAKES.FakeSampler,
                directions=dict(smile='s.pth', age='a.pth'))))
    with pytest.warns(UserWarning, match='random weights'):
        return InpaintInferencer(cfg)


def _pointwise(**kwargs):
    cfg = Config(dict(model=dict(type=FAKES.FakePointwise)))
    with pytest.warns(UserWarning, match='random weights'):
        return InpaintInferencer(cfg, **kwargs)


def _hole(h, w):
    m = np.zeros((h, w), np.uint8)
    m[h // 4:h // 2 + 1, w // 3:2 * w // 3] = 1
    return m


@pytest.mark.parametrize('kind', ['path', 'rgb', 'bgr', 'pil', 'gray'])
def test_every_input_type_gives_the_same_result(inferencer, kind, tmp_path):
    img, mask = _image(24, 32), _hole(24, 32)
    if kind == 'gray':
        img = np.repeat(img[..., :1], 3, axis=-1)
    ref = inferencer(img, mask)
    kw = {}
    if kind == 'path':
        cv2.imwrite(str(tmp_path / 'i.png'), img[..., ::-1])
        obj = str(tmp_path / 'i.png')
    elif kind == 'bgr':
        obj, kw = np.ascontiguousarray(
            img[..., ::-1]), dict(channel_order='bgr')
    elif kind == 'pil':
        obj = Image.fromarray(img)
    elif kind == 'gray':
        obj = img[..., 0]
    else:
        obj = img
    out = inferencer(obj, mask, **kw)
    np.testing.assert_array_equal(out['output'], ref['output'])
    np.testing.assert_array_equal(out['output'][mask == 0], img[mask == 0])


@pytest.mark.parametrize('hole_value', ['white', 'black'])
def test_pil_masks_need_and_follow_the_convention(inferencer, hole_value):
    img, hole = _image(24, 32), _hole(24, 32)
    gray = hole * 255 if hole_value == 'white' else (1 - hole) * 255
    out = inferencer(img, Image.fromarray(gray), mask_hole_value=hole_value)
    np.testing.assert_array_equal(out['mask'], hole)
    with pytest.raises(ValueError, match='mask_hole_value'):
        inferencer(img, Image.fromarray(gray))


def test_metadata(inferencer):
    img, mask = _image(20, 28), _hole(20, 28)
    out = inferencer(img, mask)
    assert out['scale'] == 1.0 and out['seed'] is None
    assert out['num_samples'] == 1 and out['edits'] == {}
    assert out['input_shape'] == (20, 28) and out['tiles'] == (1, 1)
    assert out['source'] == '<ndarray (20, 28, 3)>'
    assert len(out['outputs']) == 1 and len(out['preds']) == 1
    np.testing.assert_array_equal(out['outputs'][0], out['output'])


def test_batch_of_any_sizes_equals_single_calls(inferencer):
    shapes = [(20, 28), (33, 17), (20, 28)]
    imgs = [_image(*s, seed=i) for i, s in enumerate(shapes)]
    masks = [_hole(*s) for s in shapes]
    outs = inferencer(imgs, masks)
    assert isinstance(outs, list) and len(outs) == 3
    for img, mask, out in zip(imgs, masks, outs):
        single = inferencer(img, mask)['output']
        diff = np.abs(out['output'].astype(int) - single.astype(int))
        assert diff.max() <= 1  # batched convs may round differently
        np.testing.assert_array_equal(out['output'][mask == 0], img[mask == 0])


def test_batch_groups_equal_sizes_into_one_call():
    inf = _pointwise()
    imgs = [_image(8, 12, seed=i) for i in range(3)] + [_image(9, 9)]
    outs = inf(imgs, [_hole(8, 12)] * 3 + [_hole(9, 9)])
    assert sorted(inf.model.calls) == [(1, 3, 12, 12), (3, 3, 8, 12)]
    for img, out in zip(imgs, outs):
        m = out['mask'].astype(bool)
        np.testing.assert_array_equal(out['output'][m], 255 - img[m])


def test_batch_with_one_mask_for_all_and_errors(inferencer):
    imgs = [_image(16, 16, seed=i) for i in range(2)]
    outs = inferencer(imgs, _hole(16, 16))
    assert all((o['mask'] == _hole(16, 16)).all() for o in outs)
    with pytest.raises(ValueError, match='2 images but 3 masks'):
        inferencer(imgs, [_hole(16, 16)] * 3)
    with pytest.raises(ValueError, match='no images'):
        inferencer([], [])


def test_scale_is_forwarded_to_models_that_take_it():
    inf = _pointwise()
    img, mask = _image(6, 10), _hole(6, 10)
    out = inf(img, mask, scale=2)
    assert out['output'].shape == (12, 20, 3) and out['scale'] == 2.0
    np.testing.assert_array_equal(out['output'][::2, ::2], 255 - img)


@pytest.mark.parametrize(
    'option', [dict(seed=0),
               dict(num_samples=2),
               dict(edits={'smile': 1.0})])
def test_options_the_model_does_not_take_are_type_errors(inferencer, option):
    name = next(iter(option))
    with pytest.raises(
            TypeError, match=f'does not accept {name} '
            r'\(it takes: scale\)'):
        inferencer(_image(8, 8), _hole(8, 8), **option)


@pytest.mark.parametrize('option, match',
                         [(dict(num_samples=0), 'num_samples'),
                          (dict(seed=-1), 'seed'), (dict(scale=0), 'scale'),
                          (dict(edits=[1]), 'edits')])
def test_bad_option_values(sampler, option, match):
    with pytest.raises((ValueError, TypeError), match=match):
        sampler(_image(8, 8), _hole(8, 8), **option)


def test_sampling_model_gets_num_samples_seed_and_edits(sampler):
    assert sampler.is_sampling and sampler.direction_names == ['age', 'smile']
    assert not sampler.accepts('scale') and sampler.accepts('edits')
    img, mask = _image(12, 20), _hole(12, 20)
    three = sampler(img, mask, seed=5, num_samples=3)
    assert three['num_samples'] == 3 and len(three['outputs']) == 3
    for o in three['outputs']:
        np.testing.assert_array_equal(o[mask == 0], img[mask == 0])
    holes = [o[mask == 1][0] for o in three['outputs']]
    assert len({tuple(h) for h in holes}) == 3  # different samples
    # sample k does not depend on num_samples; sample k of s is sample 0
    # of s + k
    one = sampler(img, mask, seed=5)
    np.testing.assert_array_equal(one['output'], three['outputs'][0])
    shifted = sampler(img, mask, seed=6)
    np.testing.assert_array_equal(shifted['output'], three['outputs'][1])
    edited = sampler(img, mask, seed=5, edits={'smile': 2.0})
    assert edited['edits'] == {'smile': 2.0}
    assert not np.array_equal(edited['output'], one['output'])
    with pytest.raises(ValueError, match=r"\['frown'\].*'age', 'smile'"):
        sampler(img, mask, edits={'frown': 1.0})
    with pytest.raises(TypeError, match='does not accept scale'):
        sampler(img, mask, scale=2)


def test_a_drawn_seed_is_reported_so_a_call_can_be_repeated(sampler):
    img, mask = _image(12, 20), _hole(12, 20)
    first = sampler(img, mask, num_samples=2)
    assert isinstance(first['seed'], int)
    again = sampler(img, mask, num_samples=2, seed=first['seed'])
    for a, b in zip(first['outputs'], again['outputs']):
        np.testing.assert_array_equal(a, b)


def test_batch_of_a_sampling_model_uses_the_seed_per_image(sampler):
    imgs = [_image(12, 20, seed=i) for i in range(2)]
    outs = sampler(imgs, _hole(12, 20), seed=3, num_samples=2)
    for img, out in zip(imgs, outs):
        alone = sampler(img, _hole(12, 20), seed=3, num_samples=2)
        for a, b in zip(out['outputs'], alone['outputs']):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('scale', [1, 2])
def test_image_above_the_limit_is_tiled_like_a_whole_run(scale):
    whole = _pointwise()
    tiled = _pointwise(max_pixels=(16 * scale)**2, tile_overlap=4)
    img = _image(40, 70)
    mask = np.zeros((40, 70), np.uint8)
    mask[2:9, 3:12] = 1  # only a corner holds a hole
    ref = whole(img, mask, scale=scale)
    out = tiled(img, mask, scale=scale)
    np.testing.assert_array_equal(out['output'], ref['output'])
    run, total = out['tiles']
    assert total == 3 * 6  # starts 0, 12, 24 and 0, 12, ..., 48, 54
    assert run == (1 if scale == 1 else total)  # hole-free tiles skipped
    assert all(c[2] * c[3] * scale**2 <= 16 * 16 * scale**2
               for c in tiled.model.calls)


def test_real_model_tiles_keep_known_pixels():
    with pytest.warns(UserWarning):
        inf = InpaintInferencer(TINY, max_pixels=32 * 32)
    img, mask = _image(48, 80), _hole(48, 80)
    out = inf(img, mask)
    assert out['output'].shape == img.shape and out['tiles'][0] >= 2
    np.testing.assert_array_equal(out['output'][mask == 0], img[mask == 0])
    assert not np.array_equal(out['output'][mask == 1], img[mask == 1])


def test_image_above_the_limit_is_refused_when_not_tiled(sampler):
    inf = _pointwise(max_pixels=256, tile=False)
    with pytest.raises(
            ValueError,
            match=r'70x40 pixels.*max_pixels=256 '
            r'\(about 16x16\) and tiling is off.*--max-pixels'):
        inf(_image(40, 70), _hole(40, 70))
    sampler.max_pixels = 256
    try:
        with pytest.raises(ValueError, match='draw samples are not tiled'):
            sampler(_image(40, 70), _hole(40, 70))
    finally:
        sampler.max_pixels = DEFAULT_MAX_PIXELS


def test_out_of_memory_becomes_a_clear_memory_error(monkeypatch):
    inf = _pointwise()

    def boom(*args, **kwargs):
        raise RuntimeError('CUDA out of memory. Tried to allocate 8 GiB')

    monkeypatch.setattr(inf.model, 'predict', boom)
    with pytest.raises(MemoryError, match='lower max_pixels'):
        inf(_image(8, 8), _hole(8, 8))


@pytest.mark.parametrize('kwargs, match', [(dict(max_pixels=0), 'max_pixels'),
                                           (dict(tile_overlap=-1), 'overlap')])
def test_bad_limits_are_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        InpaintInferencer(TINY, **kwargs)
