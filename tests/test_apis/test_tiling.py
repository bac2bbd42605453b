"""Tile layout and blending for images above the pixel limit."""
import numpy as np
import pytest

from inpaint_toolbox.apis import _tiling


@pytest.mark.parametrize('h, w, tile, overlap', [(100, 37, 32, 8),
                                                 (32, 32, 32, 4),
                                                 (65, 200, 64, 16),
                                                 (10, 10, 64, 8)])
def test_tiles_cover_the_image_with_overlap(h, w, tile, overlap):
    boxes = _tiling.tile_boxes(h, w, tile, overlap)
    cover = np.zeros((h, w), int)
    for y0, x0, th, tw in boxes:
        assert th <= tile and tw <= tile
        assert y0 + th <= h and x0 + tw <= w
        cover[y0:y0 + th, x0:x0 + tw] += 1
    assert cover.min() >= 1
    ys = sorted({b[0] for b in boxes})
    for a, b in zip(ys, ys[1:]):
        assert a + min(tile, h) - b >= overlap  # neighbours overlap


def test_bad_overlap_is_an_error():
    with pytest.raises(ValueError, match='overlap'):
        _tiling.tile_boxes(10, 10, 8, 8)


@pytest.mark.parametrize('max_pixels, scale, div, side',
                         [(4096 * 4096, 1.0, 8, 4096), (1000, 1.0, 8, 24),
                          (1024, 2.0, 4, 16)])
def test_tile_side_fits_the_limit(max_pixels, scale, div, side):
    got = _tiling.tile_side(max_pixels, scale, div)
    assert got == side
    assert (got * scale)**2 <= max_pixels and got % div == 0


def test_tile_side_refuses_a_limit_below_one_tile():
    with pytest.raises(ValueError, match='max_pixels=10 is too small'):
        _tiling.tile_side(10, 1.0, 8)


def test_window_ramps_only_towards_neighbours():
    win = _tiling.blend_window((0, 10, 8, 8), (8, 30), ramp=3)
    assert win.shape == (8, 8)
    np.testing.assert_allclose(win[:, 3:5], 1)  # no tile above or below
    np.testing.assert_allclose(win[0, :3], [0.25, 0.5, 0.75])
    np.testing.assert_allclose(win[0, 5:], [0.75, 0.5, 0.25])
    assert (win > 0).all()


@pytest.mark.parametrize('scale', [1.0, 2.0])
def test_blending_tiles_of_one_picture_gives_the_picture(scale):
    h, w, tile, overlap = 40, 70, 16, 4
    oh, ow = round(h * scale), round(w * scale)
    picture = np.random.default_rng(0).uniform(0, 255, (oh, ow, 3))
    blender = _tiling.TileBlender((oh, ow), round(overlap * scale))
    for box in _tiling.tile_boxes(h, w, tile, overlap):
        oy, ox, bh, bw = _tiling.scaled_box(box, scale)
        blender.add((oy, ox, bh, bw), picture[oy:oy + bh, ox:ox + bw])
    np.testing.assert_allclose(
        blender.result(np.zeros_like(picture)), picture, rtol=1e-5)


def test_uncovered_pixels_take_the_fill():
    blender = _tiling.TileBlender((4, 6), 1)
    blender.add((0, 0, 4, 3), np.full((4, 3, 3), 9.0))
    out = blender.result(np.full((4, 6, 3), 1.0))
    assert (out[:, :3] == 9).all() and (out[:, 3:] == 1).all()


def test_fit_crops_or_pads_a_tile_to_its_box():
    pred = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    assert _tiling.fit(pred, 1, 3).shape == (1, 3, 3)
    np.testing.assert_array_equal(_tiling.fit(pred, 3, 2)[2], pred[1])
