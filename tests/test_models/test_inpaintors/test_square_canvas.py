"""Square canvas: aspect ratio kept, border is hole, no hole leakage."""
import pytest
import torch

from inpaint_toolbox.models.inpaintors.square_canvas import (canvas_box,
                                                             from_canvas,
                                                             to_canvas)


@pytest.mark.parametrize('h,w,box', [(16, 16, (0, 0, 16, 16)),
                                     (8, 16, (4, 0, 8, 16)),
                                     (30, 10, (0, 5, 16, 5)),
                                     (4, 4, (0, 0, 16, 16)),
                                     (1, 100, (7, 0, 1, 16))])
def test_canvas_box(h, w, box):
    assert canvas_box(h, w, 16) == box


def test_canvas_box_rejects_empty_images():
    with pytest.raises(ValueError, match='0x5'):
        canvas_box(0, 5, 16)


@pytest.mark.parametrize('size', [(16, 16), (24, 40), (7, 5)])
def test_border_is_hole_and_hole_values_never_leak(size):
    torch.manual_seed(0)
    h, w = size
    img = torch.rand(3, h, w) * 2 - 1
    mask = (torch.rand(1, h, w) < 0.3).float()
    img_poisoned = img + 100 * mask  # hole pixels hold garbage
    canvas, cmask, (top, left, bh, bw) = to_canvas(img_poisoned, mask, 16)
    assert canvas.shape == (3, 16, 16) and cmask.shape == (1, 16, 16)
    assert set(cmask.unique().tolist()) <= {0.0, 1.0}
    border = torch.ones(1, 16, 16, dtype=torch.bool)
    border[:, top:top + bh, left:left + bw] = False
    assert (cmask[border] == 1).all() and (canvas[:, border[0]] == 0).all()
    assert canvas.abs().max() <= 1.0 + 1e-6
    assert (canvas[cmask.expand(3, -1, -1).bool()] == 0).all()


def test_same_size_round_trip_is_exact():
    img = torch.rand(3, 16, 16)
    mask = torch.zeros(1, 16, 16)
    canvas, cmask, box = to_canvas(img, mask, 16)
    assert torch.equal(canvas, img) and cmask.sum() == 0
    assert torch.equal(from_canvas(canvas[None], box, (16, 16))[0], img)


def test_from_canvas_restores_the_original_size():
    # a smooth image survives the down- and up-sampling
    ramp = torch.linspace(-1, 1, 30)
    img = torch.stack(
        [ramp.expand(12, 30), -ramp.expand(12, 30),
         torch.zeros(12, 30)])
    canvas, _, box = to_canvas(img, torch.zeros(1, 12, 30), 16)
    back = from_canvas(canvas[None].repeat(2, 1, 1, 1), box, (12, 30))
    assert back.shape == (2, 3, 12, 30)
    assert (back - img).abs().mean() < 0.02


def test_shape_errors():
    with pytest.raises(ValueError, match='mask'):
        to_canvas(torch.zeros(3, 8, 8), torch.zeros(1, 8, 9), 16)
