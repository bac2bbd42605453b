"""Image/mask file reading and writing, and the loading transforms."""
import os

import cv2
import numpy as np
import pytest
from PIL import Image

from inpaint_toolbox.datasets.transforms import (LoadImageFromFile,
                                                 LoadMaskFromFile)
from inpaint_toolbox.utils.image_io import imread_mask, imread_rgb, imwrite_rgb

RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (6, 7, 3), dtype=np.uint8)


def _save_bgr(path, img):
    assert cv2.imwrite(str(path), img)
    return str(path)


# --------------------------------------------------------------------------
# imread_rgb
# --------------------------------------------------------------------------
@pytest.mark.parametrize('ext', ['.png', '.bmp', '.webp'])
def test_imread_rgb_lossless_formats_return_rgb(tmp_path, ext):
    path = _save_bgr(tmp_path / f'a{ext}', RGB[..., ::-1])
    if ext == '.webp':  # lossy by default in OpenCV
        assert cv2.imwrite(path, RGB[..., ::-1],
                           [cv2.IMWRITE_WEBP_QUALITY, 101])
    img = imread_rgb(path)
    assert img.dtype == np.uint8 and img.shape == (6, 7, 3)
    np.testing.assert_array_equal(img, RGB)


def test_imread_rgb_jpeg_keeps_channel_order(tmp_path):
    img = np.zeros((16, 16, 3), np.uint8)
    img[..., 0] = 255  # pure red in RGB
    path = _save_bgr(tmp_path / 'red.jpg', img[..., ::-1])
    out = imread_rgb(path)
    assert out[..., 0].min() > 240 and out[..., 2].max() < 15


@pytest.mark.parametrize('bits', [8, 16])
def test_imread_rgb_grayscale_becomes_three_equal_channels(tmp_path, bits):
    gray = RGB[..., 0]
    data = gray if bits == 8 else gray.astype(np.uint16) * 257
    out = imread_rgb(_save_bgr(tmp_path / 'g.png', data))
    assert out.shape == (6, 7, 3)
    for c in range(3):
        np.testing.assert_array_equal(out[..., c], gray)


def test_imread_rgb_16bit_scales_by_257_with_rounding(tmp_path):
    values = np.array([0, 128, 257, 32767, 32768, 65534, 65535], np.uint16)
    img16 = np.repeat(values[None, :, None], 3, axis=2)
    out = imread_rgb(_save_bgr(tmp_path / 'c16.png', img16))
    expected = np.floor(values / 257 + 0.5).astype(np.uint8)
    np.testing.assert_array_equal(out[0, :, 0], expected)
    assert list(expected) == [0, 0, 1, 127, 128, 255, 255]


@pytest.mark.parametrize('alpha,expected', [(255, 'color'), (0, 255),
                                            (128, 'blend')])
def test_imread_rgb_composites_alpha_over_white(tmp_path, alpha, expected):
    rgba = np.dstack([RGB, np.full((6, 7), alpha, np.uint8)])
    path = str(tmp_path / 'a.png')
    Image.fromarray(rgba, 'RGBA').save(path)
    out = imread_rgb(path)
    if expected == 'color':
        want = RGB
    elif expected == 255:
        want = np.full_like(RGB, 255)
    else:
        a = alpha / 255
        want = np.floor(RGB * a + 255 * (1 - a) + 0.5).astype(np.uint8)
    np.testing.assert_array_equal(out, want)


def test_imread_rgb_palette_png(tmp_path):
    colors = np.array([[255, 0, 0], [0, 128, 255], [10, 20, 30]], np.uint8)
    index = RNG.integers(0, 3, (5, 4))
    img = Image.fromarray(index.astype(np.uint8), 'P')
    img.putpalette(colors.flatten().tolist() + [0] * (768 - 9))
    path = str(tmp_path / 'p.png')
    img.save(path)
    np.testing.assert_array_equal(imread_rgb(path), colors[index])


def test_imread_rgb_bytes_and_non_ascii_path(tmp_path):
    path = _save_bgr(tmp_path / 'visage_été_脸.png', RGB[..., ::-1])
    np.testing.assert_array_equal(imread_rgb(path), RGB)
    with open(path, 'rb') as f:
        np.testing.assert_array_equal(imread_rgb(f.read()), RGB)


def test_imread_rgb_missing_file_names_path(tmp_path):
    path = str(tmp_path / 'nope.png')
    with pytest.raises(FileNotFoundError, match='nope.png'):
        imread_rgb(path)


@pytest.mark.parametrize('content', ['empty', 'garbage', 'truncated'])
def test_imread_rgb_corrupt_file_names_path(tmp_path, content):
    good = _save_bgr(tmp_path / 'good.png',
                     RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8))
    data = {
        'empty': b'',
        'garbage': b'this is not an image',
        'truncated': open(good, 'rb').read()[:200],
    }[content]
    path = tmp_path / f'bad_{content}.png'
    path.write_bytes(data)
    with pytest.raises(ValueError, match=f'bad_{content}.png'):
        imread_rgb(str(path))
    with pytest.raises(ValueError, match='<bytes>'):
        imread_rgb(data)


# --------------------------------------------------------------------------
# imread_mask
# --------------------------------------------------------------------------
HOLE = np.array([[1, 0, 0], [1, 1, 0]], np.uint8)


@pytest.mark.parametrize('hole_value', ['white', 'black'])
@pytest.mark.parametrize('mode', ['gray', 'rgb', 'rgba', 'gray16'])
def test_imread_mask_conventions(tmp_path, hole_value, mode):
    white = HOLE if hole_value == 'white' else 1 - HOLE
    gray = (white * 255).astype(np.uint8)
    if mode == 'gray':
        data = gray
    elif mode == 'gray16':
        data = gray.astype(np.uint16) * 257
    elif mode == 'rgb':
        data = np.dstack([gray] * 3)
    else:  # alpha is ignored, even where it is zero
        data = np.dstack([gray] * 3 + [np.zeros_like(gray)])
    path = _save_bgr(tmp_path / 'm.png', data)
    mask = imread_mask(path, hole_value=hole_value)
    assert mask.dtype == np.uint8 and mask.shape == HOLE.shape
    np.testing.assert_array_equal(mask, HOLE)


@pytest.mark.parametrize('threshold,expected', [(127, [0, 0, 1, 1]),
                                                (200, [0, 0, 0, 1]),
                                                (0, [0, 1, 1, 1])])
def test_imread_mask_threshold(tmp_path, threshold, expected):
    gray = np.array([[0, 100, 128, 255]], np.uint8)
    path = _save_bgr(tmp_path / 'm.png', gray)
    white = imread_mask(path, 'white', threshold=threshold)
    black = imread_mask(path, 'black', threshold=threshold)
    np.testing.assert_array_equal(white[0], expected)
    np.testing.assert_array_equal(black[0], 1 - np.array(expected))


def test_imread_mask_requires_a_convention(tmp_path):
    path = _save_bgr(tmp_path / 'm.png', HOLE * 255)
    with pytest.raises(TypeError):
        imread_mask(path)
    with pytest.raises(ValueError, match="'auto'"):
        imread_mask(path, 'auto')
    with pytest.raises(ValueError, match='threshold'):
        imread_mask(path, 'white', threshold=300)


def test_imread_mask_missing_and_corrupt(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing_mask.png'):
        imread_mask(str(tmp_path / 'missing_mask.png'), 'white')
    bad = tmp_path / 'broken_mask.png'
    bad.write_bytes(b'\x89PNG nonsense')
    with pytest.raises(ValueError, match='broken_mask.png'):
        imread_mask(str(bad), 'black')


# --------------------------------------------------------------------------
# imwrite_rgb
# --------------------------------------------------------------------------
@pytest.mark.parametrize('shape', [(6, 7, 3), (6, 7), (6, 7, 1)])
def test_imwrite_rgb_roundtrip_makes_dirs_and_leaves_no_temp(tmp_path, shape):
    img = RNG.integers(0, 256, shape, dtype=np.uint8)
    path = tmp_path / 'deep' / 'er' / 'ünï.png'
    imwrite_rgb(path, img)
    assert os.listdir(path.parent) == ['ünï.png']
    out = imread_rgb(str(path))
    want = img if img.ndim == 3 and img.shape[2] == 3 else np.dstack(
        [img.reshape(6, 7)] * 3)
    np.testing.assert_array_equal(out, want)
    # stored as BGR on disk: OpenCV's own reader sees the channels swapped
    raw = cv2.imread(str(tmp_path / 'deep' / 'er' / 'ünï.png'))
    if raw is not None and len(shape) == 3 and shape[2] == 3:
        np.testing.assert_array_equal(raw[..., ::-1], img)


def test_imwrite_rgb_replaces_existing_file(tmp_path):
    path = tmp_path / 'x.png'
    imwrite_rgb(path, np.zeros((4, 4, 3), np.uint8))
    imwrite_rgb(path, np.full((4, 4, 3), 9, np.uint8))
    assert imread_rgb(str(path)).min() == 9
    assert os.listdir(tmp_path) == ['x.png']


def test_imwrite_rgb_errors(tmp_path):
    with pytest.raises(TypeError, match='uint8'):
        imwrite_rgb(tmp_path / 'f.png', np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match='shape'):
        imwrite_rgb(tmp_path / 'f.png', np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match='f.unknown'):
        imwrite_rgb(tmp_path / 'f.unknown', np.zeros((4, 4, 3), np.uint8))
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------
# LoadImageFromFile / LoadMaskFromFile
# --------------------------------------------------------------------------
def test_load_image_from_file_reads_and_sets_shapes(tmp_path):
    path = _save_bgr(tmp_path / 'img.png', RGB[..., ::-1])
    out = LoadImageFromFile()(dict(gt_path=path))
    np.testing.assert_array_equal(out['gt'], RGB)
    assert out['ori_shape'] == (6, 7) and out['img_shape'] == (6, 7)


def test_load_image_from_file_skips_loading_given_arrays():
    results = dict(gt=RGB.copy(), gt_path='synthetic://0/does-not-exist')
    out = LoadImageFromFile()(results)
    assert out['gt'] is results['gt']
    assert out['img_shape'] == (6, 7)


@pytest.mark.parametrize('bad', [RGB[..., 0], RGB.astype(np.float32)])
def test_load_image_from_file_rejects_bad_arrays(bad):
    with pytest.raises(ValueError, match=r'\(H, W, 3\) uint8'):
        LoadImageFromFile()(dict(gt=bad))


def test_load_image_from_file_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing_face.jpg'):
        LoadImageFromFile()(dict(gt_path=str(tmp_path / 'missing_face.jpg')))
    with pytest.raises(ValueError, match='gt_path'):
        LoadImageFromFile()(dict())


@pytest.mark.parametrize('hole_value', ['white', 'black'])
def test_load_mask_from_file(tmp_path, hole_value):
    hole = np.zeros((6, 7), np.uint8)
    hole[1:4, 2:6] = 1
    pixels = hole if hole_value == 'white' else 1 - hole
    path = _save_bgr(tmp_path / 'mask.png', pixels * 255)
    out = LoadMaskFromFile(hole_value=hole_value)(
        dict(gt=RGB.copy(), mask_path=path))
    assert out['mask'].shape == (6, 7, 1) and out['mask'].dtype == np.uint8
    np.testing.assert_array_equal(out['mask'][..., 0], hole)


def test_load_mask_from_file_size_mismatch_names_sizes_and_file(tmp_path):
    path = _save_bgr(tmp_path / 'small_mask.png', np.zeros((5, 7), np.uint8))
    with pytest.raises(ValueError) as info:
        LoadMaskFromFile('white')(dict(gt=RGB.copy(), mask_path=path))
    msg = str(info.value)
    assert '(5, 7)' in msg and '(6, 7)' in msg and 'small_mask.png' in msg


def test_load_mask_from_file_errors(tmp_path):
    with pytest.raises(TypeError):
        LoadMaskFromFile()
    with pytest.raises(ValueError, match='hole_value'):
        LoadMaskFromFile('transparent')
    with pytest.raises(ValueError, match='GenerateMask'):
        LoadMaskFromFile('white')(dict(gt=RGB.copy()))
    with pytest.raises(FileNotFoundError, match='gone.png'):
        LoadMaskFromFile('white')(
            dict(gt=RGB.copy(), mask_path=str(tmp_path / 'gone.png')))
