"""Push-pull hole filling: known pixels kept, holes interpolated."""
import pytest
import torch

from inpaint_toolbox.models.layers import PushPullFill, push_pull_fill


@pytest.mark.parametrize('shape', [(1, 3, 17, 29), (2, 1, 64, 48),
                                   (1, 2, 5, 3)])
def test_known_pixels_unchanged_and_holes_finite(shape):
    g = torch.Generator().manual_seed(0)
    img = torch.rand(*shape, generator=g)
    mask = (torch.rand(shape[0], 1, *shape[2:], generator=g) > 0.6).float()
    out = push_pull_fill(img, mask)
    assert out.shape == img.shape
    known = mask.expand_as(img) == 0
    assert torch.equal(out[known], img[known])
    assert torch.isfinite(out).all()
    # interpolation never leaves the range of the known values
    assert out.min() >= img[known].min() - 1e-6
    assert out.max() <= img[known].max() + 1e-6


def test_constant_image_filled_with_the_constant():
    img = torch.full((1, 3, 31, 45), 0.25)
    mask = torch.zeros(1, 1, 31, 45)
    mask[..., 5:25, 10:40] = 1  # a large hole
    out = push_pull_fill(img, mask)
    assert torch.allclose(out, img, atol=1e-6)


def test_hole_takes_the_nearer_side():
    # left half 0, right half 1, hole band in the middle: the fill rises
    # from left to right across the hole
    img = torch.zeros(1, 1, 16, 64)
    img[..., 32:] = 1
    mask = torch.zeros(1, 1, 16, 64)
    mask[..., 20:44] = 1
    row = push_pull_fill(img, mask)[0, 0, 8]
    assert row[21] < 0.5 < row[42]
    assert (row[20:44].diff() >= -1e-6).all()


def test_all_hole_image_is_zero_and_no_hole_is_identity():
    img = torch.rand(1, 3, 9, 7)
    assert torch.equal(push_pull_fill(img, torch.ones(1, 1, 9, 7)),
                       torch.zeros_like(img))
    assert torch.equal(push_pull_fill(img, torch.zeros(1, 1, 9, 7)), img)


def test_module_form_has_no_parameters_and_no_grad():
    img = torch.rand(1, 3, 8, 8, requires_grad=True)
    mask = torch.zeros(1, 1, 8, 8)
    mask[..., 2:5, 2:5] = 1
    module = PushPullFill()
    assert not list(module.parameters())
    assert not module(img, mask).requires_grad


@pytest.mark.parametrize('img_shape,mask_shape', [
    ((1, 3, 8, 8), (1, 3, 8, 8)),
    ((1, 3, 8, 8), (1, 1, 8, 9)),
    ((2, 3, 8, 8), (1, 1, 8, 8)),
    ((3, 8, 8), (1, 8, 8)),
])
def test_bad_shapes_are_clear_errors(img_shape, mask_shape):
    with pytest.raises(ValueError, match='push_pull_fill expects'):
        push_pull_fill(torch.zeros(img_shape), torch.zeros(mask_shape))
