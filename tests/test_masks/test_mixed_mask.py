import numpy as np
import pytest

from inpaint_toolbox.masks import MixedMask


def test_mat_range_is_met_on_non_square_shapes():
    gen = MixedMask(hole_range=(0.2, 0.5))
    fractions = [gen((90, 160), s).mean() for s in range(20)]
    assert min(fractions) >= 0.2 and max(fractions) <= 0.5
    assert np.std(fractions) > 0.02  # not pinned to one value


def test_sub_generator_arguments_are_used():
    boxes_only = MixedMask(
        free_form=dict(num_strokes=(0, 0)),
        box=dict(num_boxes=(1, 1), box_size=(0.5, 0.5)))
    mask = boxes_only((40, 80), 1)
    assert mask.sum() == 20 * 40


def test_hole_range_belongs_to_the_mixture():
    with pytest.raises(ValueError, match='hole_range'):
        MixedMask(box=dict(hole_range=(0, 0.5)))
    with pytest.raises(ValueError, match='box_prob'):
        MixedMask(box_prob=1.5)
