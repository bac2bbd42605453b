"""RandomCrop: content, geometry, adaptive shapes and padding."""
import numpy as np
import pytest

from inpaint_toolbox.datasets.transforms import RandomCrop
from inpaint_toolbox.datasets.transforms.crop import crop_with_reflect


@pytest.mark.parametrize('size', [(16, 24), (40, 60), (1, 1), (33, 7)])
def test_crop_content_matches_crop_bbox(make_results, size):
    results = make_results(40, 60)
    gt, mask = results['gt'].copy(), results['mask'].copy()
    out = RandomCrop(size=size)(results)
    x1, y1, x2, y2 = out['crop_bbox']
    assert (y2 - y1, x2 - x1) == size
    assert out['gt'].shape == size + (3, ) and out['mask'].shape == size + (
        1, )
    assert out['img_shape'] == size and out['ori_shape'] == (40, 60)
    np.testing.assert_array_equal(out['gt'], gt[y1:y2, x1:x2])
    np.testing.assert_array_equal(out['mask'], mask[y1:y2, x1:x2])


def test_landmarks_stay_on_the_same_content(make_results, colours_at):
    for seed in range(20):
        results = make_results(40, 60, sample_idx=seed)
        before = colours_at(results['gt'], results['landmarks'])
        out = RandomCrop(size=(24, 32), seed=0)(results)
        lm = out['landmarks']
        assert lm.dtype == np.float32 and lm.shape == (5, 2)
        inside = ((lm >= 0) & (lm < [32, 24])).all(1)
        np.testing.assert_array_equal(
            colours_at(out['gt'], lm[inside]), before[inside])
        # points outside the crop keep their (out-of-frame) coordinates
        x1, y1 = out['crop_bbox'][:2]
        np.testing.assert_allclose(lm + [x1, y1],
                                   make_results(40, 60)['landmarks'])


def test_part_boxes_are_shifted_and_clipped(make_results):
    results = make_results(40, 60)
    boxes = {k: np.asarray(v, float) for k, v in results['part_boxes'].items()}
    out = RandomCrop(size=(20, 20), seed=3)(results)
    x1, y1 = out['crop_bbox'][:2]
    for name, box in boxes.items():
        want = box - [x1, y1, x1, y1]
        want[0::2] = np.clip(want[0::2], 0, 19)
        want[1::2] = np.clip(want[1::2], 0, 19)
        np.testing.assert_allclose(out['part_boxes'][name], want)
    # container types survive: arrays stay float32 arrays, int lists ints
    assert out['part_boxes']['left_eye'].dtype == np.float32
    assert all(isinstance(v, int) for v in out['part_boxes']['mouth'])
    face = np.array(out['attributes']['face_box'])
    assert (face[0::2] <= 19).all() and (face >= 0).all()


@pytest.mark.parametrize('crop_shape', [(8, 16), (32, 24), (40, 60)])
def test_adaptive_size_comes_from_crop_shape(make_results, crop_shape):
    results = make_results(40, 60)
    results['crop_shape'] = crop_shape
    out = RandomCrop(adaptive=True)(results)
    assert out['gt'].shape[:2] == crop_shape
    assert out['mask'].shape[:2] == crop_shape


def test_adaptive_without_crop_shape_is_an_error(make_results):
    with pytest.raises(ValueError, match='AdaptiveShapeBatchSampler'):
        RandomCrop(adaptive=True)(make_results())


def test_window_positions_cover_the_image_uniformly(make_results):
    np.random.seed(0)
    starts = [
        tuple(
            RandomCrop(size=(37, 57))(make_results(40, 60))['crop_bbox'][:2])
        for _ in range(400)
    ]
    xs, ys = zip(*starts)
    assert set(xs) == {0, 1, 2, 3} and set(ys) == {0, 1, 2, 3}


@pytest.mark.parametrize('size', [(50, 60), (40, 90), (64, 100)])
def test_smaller_image_is_reflect_padded_and_kept_whole(make_results, size):
    results = make_results(40, 60)
    gt = results['gt'].copy()
    out = RandomCrop(size=size, seed=1)(results)
    x1, y1, x2, y2 = out['crop_bbox']
    assert out['gt'].shape[:2] == size
    # along a padded axis the window covers the whole image
    if size[0] > 40:
        assert y1 <= 0 and y2 >= 40
    if size[1] > 60:
        assert x1 <= 0 and x2 >= 60
    # reflect padding depends only on position, so a wide pad shows it all
    big = 100
    padded = np.pad(gt, [(big, big), (big, big), (0, 0)], mode='reflect')
    np.testing.assert_array_equal(out['gt'], padded[y1 + big:y2 + big,
                                                    x1 + big:x2 + big])


def test_crop_with_reflect_matches_numpy_reflect():
    arr = np.arange(5 * 4).reshape(5, 4, 1)
    out = crop_with_reflect(arr, -2, 1, 9, 5)
    want = np.pad(arr, [(2, 2), (0, 2), (0, 0)], mode='reflect')[:, 1:6]
    np.testing.assert_array_equal(out, want)


def test_smaller_image_without_padding_is_an_error(make_results):
    with pytest.raises(ValueError, match=r'\(40, 60\).*\(50, 50\)'):
        RandomCrop(size=(50, 50), pad_if_smaller=False)(make_results(40, 60))


def test_seeded_crop_is_a_function_of_seed_and_index(make_results):
    t = RandomCrop(size=(10, 10), seed=4)
    bbox = [t(make_results(sample_idx=i))['crop_bbox'] for i in range(6)]
    again = [t(make_results(sample_idx=i))['crop_bbox'] for i in range(6)]
    assert bbox == again and len({tuple(b) for b in bbox}) > 1


@pytest.mark.parametrize('kwargs,match', [
    (dict(), 'size'),
    (dict(size=(8, 8), adaptive=True), 'either'),
    (dict(size=(0, 8)), 'positive'),
    (dict(size=(8, 8.5)), 'positive ints'),
    (dict(size=8), 'pair'),
    (dict(size=(8, 8), seed=-3), 'seed'),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomCrop(**kwargs)


def test_sample_errors(make_results):
    results = make_results()
    results['lq'] = results['gt'][::2, ::2]
    with pytest.raises(ValueError, match='RescaleToLowRes'):
        RandomCrop(size=(8, 8))(results)
    results = make_results()
    results['mask'] = results['mask'][:-1]
    with pytest.raises(ValueError, match='mask size'):
        RandomCrop(size=(8, 8))(results)
    results = make_results()
    results['crop_shape'] = (0, 4)
    with pytest.raises(ValueError, match='crop_shape'):
        RandomCrop(adaptive=True)(results)
