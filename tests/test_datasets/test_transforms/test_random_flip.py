"""RandomFlip: mirrored pixels, landmarks and parts keep their meaning."""
import numpy as np
import pytest

from inpaint_toolbox.datasets.synthetic_faces import render_face
from inpaint_toolbox.datasets.transforms import RandomFlip


def test_flip_mirrors_image_and_mask(make_results):
    results = make_results(40, 60)
    gt, mask = results['gt'].copy(), results['mask'].copy()
    out = RandomFlip(prob=1.0)(results)
    assert out['flip'] is True and out['flip_direction'] == 'horizontal'
    np.testing.assert_array_equal(out['gt'], gt[:, ::-1])
    np.testing.assert_array_equal(out['mask'], mask[:, ::-1])
    assert out['gt'].flags.c_contiguous and out['mask'].flags.c_contiguous


def test_landmarks_follow_content_and_keep_left_right(make_results,
                                                      colours_at):
    results = make_results(40, 60)
    lm = results['landmarks'].copy()
    before = colours_at(results['gt'], lm)
    out = RandomFlip(prob=1.0)(results)
    new = out['landmarks']
    # row 0 is still the eye on the image's left, row 1 the one on the right
    assert new[0, 0] < new[1, 0] and new[3, 0] < new[4, 0]
    # each point shows the colour its mirrored partner showed before
    swap = [1, 0, 2, 4, 3]
    np.testing.assert_array_equal(colours_at(out['gt'], new), before[swap])
    np.testing.assert_allclose(new[:, 0], 59 - lm[swap, 0])
    np.testing.assert_allclose(new[:, 1], lm[swap, 1])


def test_boxes_and_attributes_are_mirrored(make_results):
    results = make_results(40, 60)
    boxes = {k: np.asarray(v, float) for k, v in results['part_boxes'].items()}
    out = RandomFlip(prob=1.0)(results)
    left = boxes['right_eye']
    np.testing.assert_allclose(out['part_boxes']['left_eye'],
                               [59 - left[2], left[1], 59 - left[0], left[3]])
    m = boxes['mouth']
    assert out['part_boxes']['mouth'] == [
        59 - int(m[2]), int(m[1]), 59 - int(m[0]),
        int(m[3])
    ]
    attrs = out['attributes']
    assert attrs['roll'] == -5.0 and attrs['gaze'] == [-0.5, -0.2]
    assert attrs['face_box'] == [59 - 55.0, 3.0, 59 - 2.0, 36.0]
    assert attrs['smiling'] is True


def test_flip_twice_is_identity(make_results):
    results = make_results(40, 60)
    ref = make_results(40, 60)
    flip = RandomFlip(prob=1.0)
    out = flip(flip(results))
    np.testing.assert_array_equal(out['gt'], ref['gt'])
    np.testing.assert_allclose(out['landmarks'], ref['landmarks'])
    for name, box in ref['part_boxes'].items():
        np.testing.assert_allclose(out['part_boxes'][name], box)
    assert out['attributes'] == ref['attributes']


def test_synthetic_face_landmarks_stay_on_the_face():
    face = render_face(48, 40, np.random.default_rng(3))
    results = dict(
        gt=face['img'],
        landmarks=face['landmarks'],
        part_boxes=face['part_boxes'],
        sample_idx=0)
    lm = face['landmarks']
    out = RandomFlip(prob=1.0)(dict(results, gt=face['img'].copy()))
    # left eye after the flip sits where the mirrored right eye was
    x, y = np.round(out['landmarks'][0]).astype(int)
    xr, yr = np.round(lm[1]).astype(int)
    np.testing.assert_array_equal(out['gt'][y, x], face['img'][yr, xr])
    assert out['landmarks'][0, 0] <= out['landmarks'][1, 0]
    box = out['part_boxes']['left_eye']
    assert box[0] <= out['landmarks'][0, 0] <= box[2]


def test_no_flip_leaves_sample_unchanged(make_results):
    results = make_results(40, 60)
    gt = results['gt']
    out = RandomFlip(prob=0.0)(results)
    assert out['flip'] is False and out['flip_direction'] is None
    assert out['gt'] is gt


def test_probability_and_seeding(make_results):
    np.random.seed(0)
    flips = [
        RandomFlip(prob=0.3)(make_results(4, 4))['flip'] for _ in range(400)
    ]
    assert 0.22 < np.mean(flips) < 0.38
    seeded = RandomFlip(prob=0.5, seed=2)
    a = [seeded(make_results(4, 4, sample_idx=i))['flip'] for i in range(30)]
    b = [seeded(make_results(4, 4, sample_idx=i))['flip'] for i in range(30)]
    assert a == b and 0 < sum(a) < 30


@pytest.mark.parametrize('kwargs,match', [
    (dict(prob=1.5), 'prob'),
    (dict(direction='vertical'), 'horizontal'),
    (dict(seed=1.5), 'seed'),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomFlip(**kwargs)


def test_flip_pairs_out_of_range(make_results):
    results = make_results()
    results['landmarks'] = results['landmarks'][:3]
    with pytest.raises(ValueError, match='flip pair'):
        RandomFlip(prob=1.0)(results)
    results = make_results()
    results['landmarks'] = results['landmarks'][:3]
    out = RandomFlip(prob=1.0, flip_pairs=[(0, 1)])(results)
    assert out['landmarks'].shape == (3, 2)
