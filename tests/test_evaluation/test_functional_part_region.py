import numpy as np
import pytest

from inpaint_toolbox.evaluation.functional import part_region_error

BOXES = {
    'left_eye': [4, 6, 14, 12],
    'right_eye': [20, 6, 30, 12],
    'nose': [14.4, 12.6, 19.6, 22.4],  # rounds to [14, 13, 20, 22]
    'mouth': [10, 24, 26, 30],
}


def _images():
    a = np.full((36, 34, 3), 120, np.uint8)
    b = a.copy()
    b[6:12, 4:14] += 51  # left eye: error 51 / 255 = 0.2
    b[13:22, 14:20] -= 102  # nose: error 0.4
    return a, b


def test_per_part_errors_and_mean():
    a, b = _images()
    errors = part_region_error(a, b, BOXES)
    assert errors['left_eye'] == pytest.approx(0.2)
    assert errors['right_eye'] == 0.0
    assert errors['nose'] == pytest.approx(0.4)
    assert errors['mouth'] == 0.0
    assert errors['mean'] == pytest.approx(0.15)
    assert set(errors) == set(BOXES) | {'mean'}


def test_reduction_none_and_float_input():
    a, b = _images()
    errors = part_region_error(
        a.astype(np.float32), b.astype(np.float64), BOXES, reduction='none')
    assert set(errors) == set(BOXES)
    assert errors['nose'] == pytest.approx(0.4)


def test_boxes_are_clipped_and_empty_ones_dropped():
    a, b = _images()
    boxes = {'left_eye': [-10, -3, 14, 12], 'gone': [40, 40, 50, 50]}
    errors = part_region_error(a, b, boxes)
    # left eye clipped to [0, 0, 14, 12]: 60 of its 168 pixels differ.
    assert errors['left_eye'] == pytest.approx(0.2 * 60 / 168)
    assert 'gone' not in errors
    with pytest.raises(ValueError, match='no part box overlaps'):
        part_region_error(a, b, {'gone': [40, 40, 50, 50]})


@pytest.mark.parametrize('boxes, match', [
    ({
        'nose': [1, 2, 3]
    }, 'nose'),
    ({
        'nose': [5, 5, 2, 8]
    }, 'x1 <= x2'),
    ({}, 'non-empty dict'),
    ({
        'mean': [0, 0, 4, 4]
    }, 'reserved'),
])
def test_bad_boxes(boxes, match):
    a, b = _images()
    with pytest.raises(ValueError, match=match):
        part_region_error(a, b, boxes)


def test_bad_reduction_and_shapes():
    a, b = _images()
    with pytest.raises(ValueError, match='reduction'):
        part_region_error(a, b, BOXES, reduction='sum')
    with pytest.raises(ValueError, match=r'\(36, 34, 3\)'):
        part_region_error(a, b[:-1], BOXES)
