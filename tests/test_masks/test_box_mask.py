import cv2
import pytest

from inpaint_toolbox.masks import BoxMask


@pytest.mark.parametrize('shape', [(60, 200), (200, 60)])
def test_single_box_size_is_relative_to_each_side(shape):
    gen = BoxMask(num_boxes=(1, 1), box_size=(0.25, 0.25))
    mask = gen(shape, 0)
    x, y, w, h = cv2.boundingRect(mask)
    assert (h, w) == (round(0.25 * shape[0]), round(0.25 * shape[1]))
    assert mask.sum() == w * h  # a filled rectangle
    assert 0 <= x and x + w <= shape[1] and 0 <= y and y + h <= shape[0]


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_boxes=(2, 1)), 'num_boxes'),
    (dict(box_size=(0.0, 0.5)), 'box_size'),
    (dict(box_size=(0.5, 1.5)), 'box_size'),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BoxMask(**kwargs)
