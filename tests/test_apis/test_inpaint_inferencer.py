import os.path as osp

import cv2
import numpy as np
import pytest

from inpaint_toolbox.apis import InpaintInferencer

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
        out = inferencer(str(tmp_path / 'img.png'), str(tmp_path / name),
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
    np.testing.assert_array_equal(a(img, mask)['output'],
                                  b(img, mask)['output'])
    with pytest.raises(FileNotFoundError):
        InpaintInferencer(TINY, checkpoint=str(tmp_path / 'none.pth'))
