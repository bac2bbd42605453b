"""Specification of tools/inpaint.py on a tiny random-weights model."""
import importlib.util
import json
import os
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch

from inpaint_toolbox.apis import InpaintInferencer
from inpaint_toolbox.utils.image_io import imread_rgb

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'tools', 'inpaint.py')
TINY = osp.join(REPO, 'tests', 'data', 'configs', 'tiny_baseline.py')


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FAKES = _load('_inpaint_fake_models',
              osp.join(REPO, 'tests', 'test_apis', '_fake_models.py'))


@pytest.fixture(scope='module')
def tool():
    sys.path.insert(0, osp.join(REPO, 'tools'))
    try:
        return _load('inpaint_tool', SCRIPT)
    finally:
        sys.path.remove(osp.join(REPO, 'tools'))


@pytest.fixture(scope='module')
def ckpt(tmp_path_factory):
    with pytest.warns(UserWarning, match='random weights'):
        inf = InpaintInferencer(TINY)
    path = tmp_path_factory.mktemp('ckpt') / 'tiny.pth'
    torch.save(dict(state_dict=inf.model.state_dict()), path)
    return str(path)


def _img(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), np.uint8)


def _hole(h, w):
    m = np.zeros((h, w), np.uint8)
    m[h // 4:h // 2, w // 4:w // 2] = 1
    return m


@pytest.fixture
def folders(tmp_path):
    """imgs/{a.png, b.jpg, c.png (corrupt)}, masks/{a,b,c}.png, white hole.
    """
    imgs, masks = tmp_path / 'imgs', tmp_path / 'masks'
    imgs.mkdir()
    masks.mkdir()
    cv2.imwrite(str(imgs / 'a.png'), _img(24, 40, 0))
    cv2.imwrite(str(imgs / 'b.jpg'), _img(32, 24, 1))
    (imgs / 'c.png').write_bytes(b'\x89PNG\r\n\x1a\n broken')
    (imgs / 'notes.txt').write_text('not an image')
    for name, (h, w) in (('a', (24, 40)), ('b', (32, 24)), ('c', (8, 8))):
        cv2.imwrite(str(masks / f'{name}.png'), _hole(h, w) * 255)
    return imgs, masks


def _snapshot(folder):
    return {f: (folder / f).read_bytes() for f in os.listdir(folder)}


def test_folder_with_a_corrupt_file_goes_on_and_fails(tool, folders, ckpt,
                                                      tmp_path, capsys):
    imgs, masks = folders
    before = _snapshot(imgs), _snapshot(masks)
    out = tmp_path / 'out'
    rc = tool.main([
        TINY, '--checkpoint', ckpt, '--input',
        str(imgs), '--mask',
        str(masks), '--mask-hole-value', 'white', '--out',
        str(out)
    ])
    res = capsys.readouterr()
    assert rc == 1, res.err[-2000:]
    assert 'c.png' in res.err and 'cannot decode' in res.err
    assert '2 of 3 images inpainted' in res.out
    assert sorted(
        os.listdir(out)) == ['a.png', 'b.png', 'inpaint_results.json']
    a = imread_rgb(str(out / 'a.png'))
    src = imread_rgb(str(imgs / 'a.png'))
    known = _hole(24, 40) == 0
    np.testing.assert_array_equal(a[known], src[known])
    assert not np.array_equal(a[~known], src[~known])
    assert imread_rgb(str(out / 'b.png')).shape == (32, 24, 3)
    log = json.loads((out / 'inpaint_results.json').read_text())
    status = {osp.basename(r['input']): r['status'] for r in log['results']}
    assert status == {'a.png': 'ok', 'b.jpg': 'ok', 'c.png': 'failed'}
    failed = [r for r in log['results'] if r['status'] == 'failed'][0]
    assert 'c.png' in failed['error'] and 'ValueError' in failed['error']
    assert (_snapshot(imgs), _snapshot(masks)) == before


def test_grid_shows_input_mask_and_output(tool, folders, ckpt, tmp_path):
    imgs, masks = folders
    out = tmp_path / 'out'
    rc = tool.main([
        TINY, '--checkpoint', ckpt, '--input',
        str(imgs / 'a.png'), '--mask',
        str(masks / 'a.png'), '--mask-hole-value', 'white', '--out',
        str(out), '--grid'
    ])
    assert rc == 0
    grid = imread_rgb(str(out / 'a_grid.png'))
    assert grid.shape == (24, 3 * 40 + 2 * 4, 3)
    np.testing.assert_array_equal(grid[:, :40],
                                  imread_rgb(str(imgs / 'a.png')))
    np.testing.assert_array_equal(grid[:, 44:84, 0], _hole(24, 40) * 255)
    np.testing.assert_array_equal(grid[:, 88:], imread_rgb(str(out / 'a.png')))
    assert (grid[:, 40:44] == 255).all()


@pytest.mark.parametrize('where', ['imgs', 'masks'])
def test_out_in_an_input_folder_is_refused(tool, folders, ckpt, where):
    imgs, masks = folders
    target = imgs if where == 'imgs' else masks
    before = _snapshot(imgs), _snapshot(masks)
    with pytest.raises(SystemExit, match='inputs are never overwritten'):
        tool.main([
            TINY, '--checkpoint', ckpt, '--input',
            str(imgs), '--mask',
            str(masks), '--mask-hole-value', 'white', '--out',
            str(target)
        ])
    assert (_snapshot(imgs), _snapshot(masks)) == before


def test_output_path_equal_to_an_input_is_refused(tool, tmp_path):
    src = tmp_path / 'x.png'
    src.write_bytes(b'data')
    msg = tool._check_no_overwrite(
        str(tmp_path / 'elsewhere'), [str(src)], [str(tmp_path / 'x.png')])
    assert 'would overwrite the input' in msg and 'x.png' in msg
    assert tool._check_no_overwrite(
        str(tmp_path / 'o'), [str(src)],
        [str(tmp_path / 'o' / 'x.png')]) is None


def test_mask_generator_masks_are_saved_and_seeded(tool, folders, ckpt,
                                                   tmp_path):
    imgs, _ = folders
    runs = []
    for k in range(2):
        out = tmp_path / f'out{k}'
        rc = tool.main([
            TINY, '--checkpoint', ckpt, '--input',
            str(imgs), '--mask-generator', 'BoxMask', '--mask-seed', '3',
            '--out',
            str(out)
        ])
        assert rc == 1  # c.png is corrupt
        runs.append(out)
    for name in ('a', 'b'):
        m0 = cv2.imread(str(runs[0] / f'{name}_mask.png'), 0)
        m1 = cv2.imread(str(runs[1] / f'{name}_mask.png'), 0)
        np.testing.assert_array_equal(m0, m1)
        assert set(np.unique(m0)) <= {0, 255} and m0.max() == 255
        o = imread_rgb(str(runs[0] / f'{name}.png'))
        src = imread_rgb(str(imgs / ('a.png' if name == 'a' else 'b.jpg')))
        np.testing.assert_array_equal(o[m0 == 0], src[m0 == 0])


def test_unpaired_file_is_reported_and_the_rest_processed(
        tool, folders, ckpt, tmp_path, capsys):
    imgs, masks = folders
    os.remove(masks / 'b.png')
    rc = tool.main([
        TINY, '--checkpoint', ckpt, '--input',
        str(imgs), '--mask',
        str(masks), '--mask-hole-value', 'white', '--out',
        str(tmp_path / 'out')
    ])
    assert rc == 1
    err = capsys.readouterr().err
    assert 'b.jpg' in err and 'no mask named b.*' in err
    assert (tmp_path / 'out' / 'a.png').is_file()


@pytest.mark.parametrize('extra, match', [
    (['--seed', '1'], r'does not take --seed'),
    (['--num-samples', '2', '--edit', 'smile=1'
      ], r'does not take --num-samples, --edit'),
])
def test_options_the_model_does_not_take(tool, folders, ckpt, tmp_path, extra,
                                         match):
    imgs, masks = folders
    with pytest.raises(SystemExit, match=match):
        tool.main([
            TINY, '--checkpoint', ckpt, '--input',
            str(imgs), '--mask',
            str(masks), '--mask-hole-value', 'white', '--out',
            str(tmp_path / 'out')
        ] + extra)


@pytest.mark.parametrize('args, match', [
    (['--mask', 'M'], '--mask-hole-value'),
    (['--mask-generator', 'NoSuchMask'], "'NoSuchMask' is not registered"),
])
def test_usage_errors(tool, folders, ckpt, tmp_path, args, match):
    imgs, masks = folders
    args = [str(masks) if a == 'M' else a for a in args]
    with pytest.raises(SystemExit, match=match):
        tool.main([
            TINY, '--checkpoint', ckpt, '--input',
            str(imgs), '--out',
            str(tmp_path / 'o')
        ] + args)


@pytest.mark.parametrize('text', ['smile', '=2', 'smile=big'])
def test_bad_edit_is_a_usage_error(tool, text):
    with pytest.raises(tool.argparse.ArgumentTypeError, match=repr(text)):
        tool._edit(text)


def test_samples_and_edits_of_a_sampling_model(tool, folders, tmp_path):
    imgs, masks = folders
    cfg = tmp_path / 'sampler.py'
    cfg.write_text("model = dict(type='_TestFakeSampler', "
                   "directions=dict(smile='smile.pth'))\n")
    with FAKES.registered():
        ckpt = tmp_path / 'sampler.pth'
        torch.save(FAKES.FakeSampler().state_dict(), ckpt)
        common = [
            str(cfg), '--checkpoint',
            str(ckpt), '--input',
            str(imgs / 'a.png'), '--mask',
            str(masks / 'a.png'), '--mask-hole-value', 'white',
            '--num-samples', '2', '--seed', '7'
        ]
        assert tool.main(common +
                         ['--out', str(tmp_path / 'o'), '--grid']) == 0
        assert tool.main(
            common +
            ['--out', str(tmp_path / 'e'), '--edit', 'smile=3']) == 0
    names = sorted(os.listdir(tmp_path / 'o'))
    assert names == [
        'a_0.png', 'a_1.png', 'a_grid.png', 'inpaint_results.json'
    ]
    s0, s1 = (
        imread_rgb(str(tmp_path / 'o' / n)) for n in ('a_0.png', 'a_1.png'))
    hole = _hole(24, 40) == 1
    assert not np.array_equal(s0[hole], s1[hole])
    grid = imread_rgb(str(tmp_path / 'o' / 'a_grid.png'))
    assert grid.shape == (24, 4 * 40 + 3 * 4, 3)
    e0 = imread_rgb(str(tmp_path / 'e' / 'a_0.png'))
    assert not np.array_equal(e0[hole], s0[hole])
    log = json.loads((tmp_path / 'e' / 'inpaint_results.json').read_text())
    assert log['options'] == dict(num_samples=2, seed=7, edits=dict(smile=3.0))
