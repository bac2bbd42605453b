"""Every input type and mask convention the inferencer accepts."""
import cv2
import numpy as np
import pytest
from PIL import Image

from inpaint_toolbox.apis._inputs import as_mask, as_rgb, describe


def _rgb(h=6, w=7, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), np.uint8)


def _to(kind, rgb, tmp_path):
    """The same RGB picture handed over as ``kind``."""
    if kind == 'path':
        cv2.imwrite(str(tmp_path / 'img.png'), rgb[..., ::-1])
        return str(tmp_path / 'img.png'), {}
    if kind == 'pathlib':
        cv2.imwrite(str(tmp_path / 'img.png'), rgb[..., ::-1])
        return tmp_path / 'img.png', {}
    if kind == 'rgb_array':
        return rgb, {}
    if kind == 'bgr_array':
        return np.ascontiguousarray(rgb[..., ::-1]), dict(channel_order='bgr')
    if kind == 'pil_rgb':
        return Image.fromarray(rgb), {}
    if kind == 'pil_rgba_opaque':
        return Image.fromarray(rgb).convert('RGBA'), {}
    raise AssertionError(kind)


@pytest.mark.parametrize('kind', [
    'path', 'pathlib', 'rgb_array', 'bgr_array', 'pil_rgb', 'pil_rgba_opaque'
])
def test_every_image_type_gives_the_same_rgb(kind, tmp_path):
    rgb = _rgb()
    obj, kwargs = _to(kind, rgb, tmp_path)
    out = as_rgb(obj, **kwargs)
    assert out.dtype == np.uint8 and out.shape == (6, 7, 3)
    np.testing.assert_array_equal(out, rgb)


def test_bgr_array_read_as_rgb_swaps_channels():
    rgb = _rgb()
    np.testing.assert_array_equal(
        as_rgb(rgb, channel_order='bgr'), rgb[..., ::-1])


@pytest.mark.parametrize('gray', [
    np.arange(42, dtype=np.uint8).reshape(6, 7),
    np.arange(42, dtype=np.uint8).reshape(6, 7, 1),
    Image.fromarray(np.arange(42, dtype=np.uint8).reshape(6, 7)),
])
def test_gray_inputs_repeat_to_three_channels(gray):
    out = as_rgb(gray)
    ref = np.arange(42, dtype=np.uint8).reshape(6, 7)
    for c in range(3):
        np.testing.assert_array_equal(out[..., c], ref)


def test_pil_alpha_is_composited_over_white_like_files(tmp_path):
    rgba = np.zeros((2, 2, 4), np.uint8)
    rgba[..., 0] = 200
    rgba[..., 3] = [[0, 255], [128, 64]]
    out = as_rgb(Image.fromarray(rgba, 'RGBA'))
    cv2.imwrite(str(tmp_path / 'a.png'), rgba[..., [2, 1, 0, 3]])
    np.testing.assert_array_equal(out, as_rgb(str(tmp_path / 'a.png')))
    np.testing.assert_array_equal(out[0, 0], [255, 255, 255])
    np.testing.assert_array_equal(out[0, 1], [200, 0, 0])


def test_pil_16_bit_gray_is_scaled_to_8_bit():
    arr = np.array([[0, 257, 65535]], np.uint16)
    out = as_rgb(Image.fromarray(arr, 'I;16'))
    np.testing.assert_array_equal(out[..., 0], [[0, 1, 255]])


@pytest.mark.parametrize('bad, err, match', [
    (np.zeros((4, 4, 3), np.float32), TypeError, 'uint8'),
    (np.zeros((4, 4, 4), np.uint8), ValueError, 'alpha'),
    (np.zeros((4, ), np.uint8), ValueError, r'\(H, W, 3\)'),
    ([[1, 2]], TypeError, 'list'),
])
def test_bad_images_are_clear_errors(bad, err, match):
    with pytest.raises(err, match=match):
        as_rgb(bad)


def test_bad_channel_order_is_named():
    with pytest.raises(ValueError, match="'rgba'"):
        as_rgb(_rgb(), channel_order='rgba')


def test_missing_image_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.png'):
        as_rgb(str(tmp_path / 'nope.png'))


HOLE = np.array([[0, 1, 1], [0, 0, 1]], np.uint8)


@pytest.mark.parametrize('kind', [
    'array01', 'bool', 'array01_hw1', 'white_u8', 'black_u8', 'white_file',
    'black_file', 'white_pil', 'black_pil'
])
def test_every_mask_convention_gives_one_hole(kind, tmp_path):
    white = HOLE * 255
    black = (1 - HOLE) * 255
    if kind == 'array01':
        obj, kw = HOLE, {}
    elif kind == 'bool':
        obj, kw = HOLE.astype(bool), {}
    elif kind == 'array01_hw1':
        obj, kw = HOLE[..., None], {}
    elif kind.endswith('_u8'):
        obj = white if kind.startswith('white') else black
        kw = dict(hole_value=kind.split('_')[0])
    elif kind.endswith('_file'):
        conv = kind.split('_')[0]
        path = tmp_path / f'{conv}.png'
        cv2.imwrite(str(path), white if conv == 'white' else black)
        obj, kw = str(path), dict(hole_value=conv)
    else:
        conv = kind.split('_')[0]
        obj = Image.fromarray(white if conv == 'white' else black)
        kw = dict(hole_value=conv)
    m = as_mask(obj, **kw)
    assert m.dtype == np.uint8 and m.shape == (2, 3)
    np.testing.assert_array_equal(m, HOLE)


@pytest.mark.parametrize('threshold, expected', [(50, 1), (127, 0)])
def test_threshold_separates_gray_levels(threshold, expected):
    m = as_mask(np.full((2, 2), 100, np.uint8), 'white', threshold)
    assert (m == expected).all()
    m = as_mask(np.full((2, 2), 100, np.uint8), 'black', threshold)
    assert (m == 1 - expected).all()


def test_pil_mode_1_mask_with_convention():
    img = Image.fromarray(HOLE.astype(bool))
    np.testing.assert_array_equal(as_mask(img, 'white'), HOLE)


@pytest.mark.parametrize('mask, kw, err, match', [
    (HOLE * 255, {}, ValueError, 'mask_hole_value'),
    (Image.fromarray(HOLE * 255), {}, ValueError, 'PIL mask'),
    ('m.png', {}, ValueError, "'m.png'.*mask_hole_value"),
    (HOLE, dict(hole_value='grey'), ValueError, "'grey'"),
    (HOLE, dict(hole_value='white', threshold=300), ValueError, '300'),
    (np.zeros((2, 3, 3), np.uint8), {}, ValueError, r'\(H, W\) mask'),
    (3, {}, TypeError, 'int'),
])
def test_bad_masks_are_clear_errors(mask, kw, err, match):
    with pytest.raises(err, match=match):
        as_mask(mask, **kw)


def test_describe_names_inputs():
    assert describe('a/b.png') == 'a/b.png'
    assert describe(np.zeros((3, 4, 3), np.uint8)) == '<ndarray (3, 4, 3)>'
    assert describe(Image.new('RGB', (5, 2))) == '<PIL RGB 5x2>'
