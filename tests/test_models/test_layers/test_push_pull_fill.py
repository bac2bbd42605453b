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


def _laplace_residual(x, mask):
    """max |x - mean of 4 neighbours| over interior hole pixels."""
    nb = (x[..., :-2, 1:-1] + x[..., 2:, 1:-1] + x[..., 1:-1, :-2] +
          x[..., 1:-1, 2:]) / 4
    inner = mask[..., 1:-1, 1:-1].expand_as(nb) > 0
    return (x[..., 1:-1, 1:-1] - nb).abs()[inner].max().item()


@pytest.mark.parametrize('shape', [(1, 3, 17, 29), (2, 1, 40, 33)])
def test_smoothing_keeps_known_pixels(shape):
    g = torch.Generator().manual_seed(1)
    img = torch.rand(*shape, generator=g)
    mask = (torch.rand(shape[0], 1, *shape[2:], generator=g) > 0.5).float()
    out = push_pull_fill(img, mask, smooth_iters=6)
    known = mask.expand_as(img) == 0
    assert torch.equal(out[known], img[known])
    assert torch.isfinite(out).all()
    const = torch.full(shape, 0.7)
    assert torch.allclose(push_pull_fill(const, mask, smooth_iters=6),
                          const, atol=1e-5)


def test_smoothing_converges_to_the_harmonic_fill():
    # known left and right columns 0 and 1, everything between is hole:
    # the harmonic (membrane) fill is the straight ramp between them
    h, w = 24, 40
    img = torch.zeros(1, 1, h, w)
    img[..., -1] = 1
    mask = torch.ones(1, 1, h, w)
    mask[..., 0] = 0
    mask[..., -1] = 0
    ramp = torch.linspace(0, 1, w).expand(1, 1, h, w)
    errors = [(push_pull_fill(img, mask, smooth_iters=n) - ramp).abs().max()
              for n in (0, 4, 64)]
    assert errors[0] > 0.05  # the plain pyramid fill is not the ramp
    assert errors[1] < errors[0]
    assert errors[2] < 0.01
    g = torch.Generator().manual_seed(2)
    img = torch.rand(1, 3, 48, 64, generator=g)
    mask = torch.zeros(1, 1, 48, 64)
    mask[..., 8:40, 10:50] = 1
    harmonic = push_pull_fill(img, mask, smooth_iters=500)
    assert _laplace_residual(harmonic, mask) < 1e-4
    err = [(push_pull_fill(img, mask, smooth_iters=n) - harmonic).abs().max()
           for n in (0, 2, 16)]
    assert err[0] > err[1] > err[2]
    # Gauss-Seidel (omega 1) converges too, only slower
    gs = push_pull_fill(img, mask, smooth_iters=16, omega=1.0)
    assert err[2] < (gs - harmonic).abs().max() < err[0]


@pytest.mark.parametrize('kwargs,match', [
    (dict(smooth_iters=-1), 'smooth_iters'),
    (dict(smooth_iters=1.5), 'smooth_iters'),
    (dict(smooth_iters=True), 'smooth_iters'),
    (dict(smooth_iters=2, omega=2.0), 'omega'),
    (dict(smooth_iters=2, omega=0.0), 'omega'),
])
def test_bad_smoothing_arguments(kwargs, match):
    img, mask = torch.zeros(1, 3, 8, 8), torch.zeros(1, 1, 8, 8)
    with pytest.raises(ValueError, match=match):
        push_pull_fill(img, mask, **kwargs)
    with pytest.raises(ValueError, match=match):
        PushPullFill(**kwargs)


@pytest.mark.parametrize('box', [(20, 30, 40, 50), (0, 9, 0, 64),
                                 (50, 64, 70, 80)])
def test_relaxing_the_hole_window_equals_relaxing_the_image(box):
    from inpaint_toolbox.models.layers.push_pull_fill import _relax
    g = torch.Generator().manual_seed(3)
    x = torch.rand(2, 3, 64, 80, generator=g)
    alpha = torch.ones(2, 1, 64, 80)
    y0, y1, x0, x1 = box
    alpha[0, :, y0:y1, x0:x1] = torch.rand(1, y1 - y0, x1 - x0, generator=g)
    alpha[1, :, y0 + 2:y1 - 1, x0 + 1:x1 - 2] = 0
    filled = torch.rand(2, 3, 64, 80, generator=g)
    x = torch.where(alpha >= 1, filled, x)
    full = _relax(x, filled, alpha, 5, 1.8, crop=False)
    cropped = _relax(x, filled, alpha, 5, 1.8, crop=True)
    torch.testing.assert_close(cropped, full, rtol=0, atol=1e-6)
    assert not torch.equal(full, x)
