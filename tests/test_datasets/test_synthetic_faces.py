"""Specification of the procedural synthetic faces and their dataset."""
import numpy as np
import pytest

from inpaint_toolbox.datasets.synthetic_faces import (BACKGROUNDS,
                                                      BEARD_STYLES,
                                                      EYE_COLORS, HAIR_COLORS,
                                                      HAIR_STYLES, PART_NAMES,
                                                      SyntheticFaceDataset,
                                                      render_face)
from inpaint_toolbox.registry import DATASETS

# landmark rows that each part box must contain
PART_LANDMARKS = dict(left_eye=[0], right_eye=[1], nose=[2], mouth=[3, 4])


def _render(h, w, seed=0, index=0):
    return render_face(h, w, np.random.default_rng([seed, index]))


@pytest.mark.parametrize('size', [(16, 16), (75, 131), (131, 75),
                                  (257, 171), (20, 200)])
@pytest.mark.parametrize('index', [0, 1, 2])
def test_render_geometry(size, index):
    h, w = size
    face = _render(h, w, seed=7, index=index)
    img, lm = face['img'], face['landmarks']
    assert img.shape == (h, w, 3) and img.dtype == np.uint8
    assert lm.shape == (5, 2) and lm.dtype == np.float32
    assert (lm >= 0).all()
    assert (lm[:, 0] <= w - 1).all() and (lm[:, 1] <= h - 1).all()
    # image-left eye is left of the image-right eye, eyes above nose above
    # mouth (head roll is small)
    assert lm[0, 0] < lm[1, 0] and lm[3, 0] < lm[4, 0]
    assert lm[:2, 1].max() < lm[2, 1] < lm[3:, 1].min()
    assert set(face['part_boxes']) == set(PART_NAMES)
    for name, rows in PART_LANDMARKS.items():
        box = face['part_boxes'][name]
        assert box.shape == (4, )
        x1, y1, x2, y2 = box
        assert 0 <= x1 < x2 <= w - 1 and 0 <= y1 < y2 <= h - 1
        for x, y in lm[rows]:
            assert x1 <= x <= x2 and y1 <= y <= y2, (name, box, (x, y))
    fx1, fy1, fx2, fy2 = face['attributes']['face_box']
    assert 0 <= fx1 < fx2 <= w - 1 and 0 <= fy1 < fy2 <= h - 1
    assert (lm[:, 0] >= fx1).all() and (lm[:, 0] <= fx2).all()


def test_render_attributes():
    faces = [_render(24, 24, seed=1, index=i) for i in range(60)]
    for face in faces:
        a = face['attributes']
        assert isinstance(a['smile'], float) and 0 <= a['smile'] <= 1
        assert a['smiling'] is (a['smile'] > 0.5)
        assert isinstance(a['glasses'], bool)
        assert a['beard'] is (a['beard_style'] != 'none')
        assert a['beard_style'] in BEARD_STYLES
        assert a['hair_color'] in HAIR_COLORS
        assert a['hair_style'] in HAIR_STYLES
        assert a['eye_color'] in EYE_COLORS
        assert a['background'] in BACKGROUNDS
        assert isinstance(a['skin_tone'], float) and 0 <= a['skin_tone'] <= 1
        assert isinstance(a['eyes_open'], float) and 0 <= a['eyes_open'] <= 1
        assert len(a['gaze']) == 2 and all(-1 <= g <= 1 for g in a['gaze'])
        assert all(isinstance(v, float) for v in a['face_box'])
    # the labels vary over faces
    attrs = [f['attributes'] for f in faces]
    assert {a['smiling'] for a in attrs} == {True, False}
    assert {a['glasses'] for a in attrs} == {True, False}
    assert {a['beard'] for a in attrs} == {True, False}
    assert len({a['hair_style'] for a in attrs}) >= 5
    assert len({a['hair_color'] for a in attrs}) >= 5
    # and so do the face position and scale in the frame
    nose = np.stack([f['landmarks'][2] for f in faces])
    assert nose.std(0).min() > 1.0
    eye_dist = [f['landmarks'][1, 0] - f['landmarks'][0, 0] for f in faces]
    assert max(eye_dist) > 1.4 * min(eye_dist)


def test_render_deterministic():
    a, b = _render(48, 40, index=3), _render(48, 40, index=3)
    np.testing.assert_array_equal(a['img'], b['img'])
    np.testing.assert_array_equal(a['landmarks'], b['landmarks'])
    assert a['attributes'] == b['attributes']
    np.random.seed(123)  # the global state plays no part
    c = _render(48, 40, index=3)
    np.testing.assert_array_equal(a['img'], c['img'])
    assert not np.array_equal(a['img'], _render(48, 40, index=4)['img'])
    other_seed = _render(48, 40, seed=1, index=3)
    assert not np.array_equal(a['img'], other_seed['img'])


def test_render_is_drawn_not_noise():
    img = _render(64, 64, index=5)['img'].astype(np.float32)
    # anti-aliased shapes: neighbouring pixels are mostly close
    step = np.abs(np.diff(img, axis=1)).mean()
    assert step < 12
    assert img.std() > 10


@pytest.mark.parametrize('h, w, err, match', [
    (15, 64, ValueError, 'height must be >= 16, got 15'),
    (64, 0, ValueError, 'width must be >= 16, got 0'),
    (64.0, 64, TypeError, 'height must be an int'),
])
def test_render_bad_size(h, w, err, match):
    with pytest.raises(err, match=match):
        render_face(h, w, np.random.default_rng(0))


def test_render_bad_rng():
    with pytest.raises(TypeError, match='numpy.random.Generator'):
        render_face(32, 32, np.random.RandomState(0))


# ---------------------------------------------------------------- dataset
def test_dataset_item_is_render_of_seed_and_index():
    ds = SyntheticFaceDataset(num_samples=4, img_size=(40, 56), seed=3)
    assert len(ds) == 4
    info = ds.get_data_info(2)
    assert info['gt_path'] == 'synthetic://seed3/000002'
    assert info['ori_shape'] == info['img_shape'] == (40, 56)
    assert info['sample_idx'] == 2
    expected = _render(40, 56, seed=3, index=2)
    np.testing.assert_array_equal(info['gt'], expected['img'])
    np.testing.assert_array_equal(info['landmarks'], expected['landmarks'])
    assert info['attributes'] == expected['attributes']
    assert set(info['part_boxes']) == set(PART_NAMES)
    # same item from a fresh, differently sized, serialized dataset
    other = SyntheticFaceDataset(
        num_samples=9, img_size=(40, 56), seed=3, serialize_data=True)
    np.testing.assert_array_equal(other[2]['gt'], info['gt'])
    assert not np.array_equal(ds[1]['gt'], ds[2]['gt'])
    assert ds.get_data_info(-1)['sample_idx'] == 3


def test_dataset_registry_and_pipeline():
    seen = []

    def record(results):
        seen.append(dict(results))
        return dict(shape=results['gt'].shape,
                    crop=results.get('crop_shape'))

    ds = DATASETS.build(
        dict(type='SyntheticFaceDataset', num_samples=3, img_size=[32, 24],
             pipeline=[record], lazy_init=True))
    assert isinstance(ds, SyntheticFaceDataset)
    assert ds[0] == dict(shape=(32, 24, 3), crop=None)
    assert ds[(1, (20, 16))] == dict(shape=(32, 24, 3), crop=(20, 16))
    assert seen[1]['crop_shape'] == (20, 16) and seen[1]['sample_idx'] == 1
    assert 'hair_colors' in ds.metainfo


def test_dataset_size_list():
    sizes = [(32, 48), (48, 32), (24, 24)]
    ds = SyntheticFaceDataset(num_samples=30, img_size=sizes, seed=5)
    shapes = [entry['img_shape'] for entry in ds.data_list]
    assert set(shapes) == set(sizes)
    # the size of item i does not depend on num_samples
    small = SyntheticFaceDataset(num_samples=12, img_size=sizes, seed=5)
    for i in range(12):
        info = small.get_data_info(i)
        assert info['img_shape'] == shapes[i]
        expected = _render(*shapes[i], seed=5, index=i)['img']
        np.testing.assert_array_equal(info['gt'], expected)


def test_dataset_pipeline_none_raises():
    ds = SyntheticFaceDataset(num_samples=2, img_size=(16, 16),
                              pipeline=[lambda results: None])
    with pytest.raises(RuntimeError, match='pipeline returned None'):
        ds[0]


@pytest.mark.parametrize('kwargs, err, match', [
    (dict(num_samples=0), ValueError, 'num_samples must be a positive int'),
    (dict(seed=-1), ValueError, 'seed must be a non-negative int'),
    (dict(img_size=(8, 64)), ValueError, r'>= 16, got \(8, 64\)'),
    (dict(img_size='abc'), TypeError, "got 'abc'"),
    (dict(img_size=[(32, 32), 32]), TypeError, 'img_size must be'),
])
def test_dataset_bad_args(kwargs, err, match):
    with pytest.raises(err, match=match):
        SyntheticFaceDataset(**kwargs)


@pytest.mark.parametrize('index, err, match', [
    (5, IndexError, 'index 5 out of range'),
    (-6, IndexError, 'index -6 out of range'),
    ((1, 2), TypeError, 'tuple index must be'),
    ((1, (0, 8)), ValueError, 'crop_shape must be positive'),
    ('1', TypeError, 'index must be an int'),
])
def test_dataset_bad_index(index, err, match):
    ds = SyntheticFaceDataset(num_samples=5, img_size=(16, 16))
    with pytest.raises(err, match=match):
        ds[index]
