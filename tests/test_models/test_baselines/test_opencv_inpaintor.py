"""OpenCVInpaintor: any size, known pixels kept, only the masked input used."""
import numpy as np
import pytest
import torch

from inpaint_toolbox.models.baselines import OpenCVInpaintor, opencv_inpaint
from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils import register_all_modules

register_all_modules()


def _batch(shapes, seed=0, hole_fill=None):
    g = torch.Generator().manual_seed(seed)
    imgs, samples = [], []
    for h, w in shapes:
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        mask = (torch.rand(1, h, w, generator=g) < 0.3).to(torch.uint8)
        if hole_fill is not None:
            img = torch.where(mask.bool(), torch.full_like(img, hole_fill),
                              img)
        imgs.append(img)
        samples.append(InpaintDataSample(gt_img=img, mask=mask))
    return dict(inputs=imgs, data_samples=samples)


@pytest.mark.parametrize('method', ['telea', 'ns'])
@pytest.mark.parametrize('shapes', [[(37, 53)], [(37, 53), (20, 61)],
                                    [(1, 9), (9, 1)]])
def test_odd_sizes_keep_known_pixels(method, shapes):
    model = OpenCVInpaintor(method=method, radius=3)
    outs = model.test_step(_batch(shapes))
    expected = [(3, h, w) for h, w in shapes]
    assert [tuple(o.output.shape) for o in outs] == expected
    for o in outs:
        known = o.mask.expand(3, -1, -1) == 0
        assert torch.equal(o.output[known], o.gt_img.float()[known])
        assert o.output.min() >= 0 and o.output.max() <= 255


@pytest.mark.parametrize('method', ['telea', 'ns'])
def test_matches_cv2_on_the_masked_input_only(method):
    # the ground truth's hole pixels must not matter: two images that differ
    # only inside the holes give the same output
    a = _batch([(40, 56)], seed=3)
    b = _batch([(40, 56)], seed=3, hole_fill=7)
    model = OpenCVInpaintor(method=method)
    out_a = model.test_step(a)[0].output
    out_b = model.test_step(b)[0].output
    assert torch.equal(out_a, out_b)
    img = a['inputs'][0].permute(1, 2, 0).numpy().copy()
    mask = a['data_samples'][0].mask[0].numpy()
    img[mask > 0] = 128  # the grey of a hole in the model input
    expected = opencv_inpaint(img, mask, method, 5)
    assert np.array_equal(out_a.permute(1, 2, 0).byte().numpy(), expected)


def test_methods_differ_and_no_hole_is_identity():
    data = _batch([(48, 40)], seed=1)
    telea = OpenCVInpaintor('telea').test_step(data)[0].output.clone()
    ns = OpenCVInpaintor('ns').test_step(_batch([(48, 40)], seed=1))[0]
    assert not torch.equal(telea, ns.output)
    img = torch.randint(0, 256, (3, 9, 11), dtype=torch.uint8)
    sample = InpaintDataSample(gt_img=img,
                               mask=torch.zeros(1, 9, 11, dtype=torch.uint8))
    out = OpenCVInpaintor().test_step(dict(inputs=[img],
                                           data_samples=[sample]))[0]
    assert torch.equal(out.output, img.float())


def test_tensor_mode_and_attributes():
    model = OpenCVInpaintor()
    data = model.data_preprocessor(_batch([(20, 30), (25, 18)]), False)
    out = model(data['inputs'], data['data_samples'], mode='tensor')
    assert out.shape == (2, 3, 25, 30)
    assert out.min() >= -1 and out.max() <= 1
    assert model.needs_checkpoint is False
    assert sum(p.numel() for p in model.parameters()) == 0


@pytest.mark.parametrize('kwargs, match', [
    (dict(method='fast'), "method must be one of .*'fast'"),
    (dict(radius=0), 'radius must be a number > 0, got 0'),
    (dict(radius='3'), "radius must be a number > 0, got '3'"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        OpenCVInpaintor(**kwargs)


def test_scale_loss_mode_and_training_are_refused():
    model = OpenCVInpaintor()
    data = model.data_preprocessor(_batch([(16, 16)]), False)
    with pytest.raises(ValueError, match='scale must be 1, got 2'):
        model.predict(data['inputs'], data['data_samples'], scale=2)
    with pytest.raises(ValueError, match='nothing to train'):
        model(data['inputs'], data['data_samples'], mode='loss')
    with pytest.raises(RuntimeError, match='no parameters to train'):
        model.train_step(data, None)
    with pytest.raises(ValueError, match='mask shape'):
        opencv_inpaint(np.zeros((4, 5, 3), np.uint8), np.zeros((5, 4)))
