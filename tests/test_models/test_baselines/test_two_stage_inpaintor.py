"""TwoStageInpaintor: fixed-size inpainting, back to any size, SR path."""
import warnings

import pytest
import torch
import torch.nn.functional as F

from inpaint_toolbox.models.baselines import (ESPCN, TwoStageInpaintor,
                                              masked_resize)
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

CONV = dict(type='OneStageInpaintor',
            generator=dict(type='ConvEncoderDecoder', base_channels=8,
                           num_downsamples=2, num_res_blocks=1))
OPENCV = dict(type='OpenCVInpaintor', method='telea', radius=3)


def _batch(shapes, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs, samples = [], []
    for h, w in shapes:
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        mask = torch.zeros(1, h, w, dtype=torch.uint8)
        mask[:, h // 4:h // 2 + 1, w // 3:w // 2 + 1] = 1
        imgs.append(img)
        samples.append(InpaintDataSample(gt_img=img, mask=mask))
    return dict(inputs=imgs, data_samples=samples)


@pytest.mark.parametrize('inner', [OPENCV, CONV], ids=['opencv', 'conv'])
@pytest.mark.parametrize('upsampler', ['bicubic', dict(type='ESPCN', scale=2,
                                                       mid_channels=(8, 4))],
                         ids=['bicubic', 'espcn'])
def test_original_size_and_known_pixels(inner, upsampler):
    with warnings.catch_warnings():  # random weights: tested below
        warnings.simplefilter('ignore')
        model = TwoStageInpaintor(inpaintor=inner, size=(16, 24),
                                  upsampler=upsampler)
    shapes = [(37, 53), (9, 70), (16, 24)]
    outs = model.test_step(_batch(shapes))
    for o, (h, w) in zip(outs, shapes):
        assert o.output.shape == o.pred_img.shape == (3, h, w)
        known = o.mask.expand(3, -1, -1) == 0
        assert torch.equal(o.output[known], o.gt_img.float()[known])
        hole = ~known
        assert torch.equal(o.output[hole], o.pred_img[hole])
        assert 0 <= o.output.min() and o.output.max() <= 255


def test_same_size_equals_the_inner_model():
    data = _batch([(24, 24)], seed=2)
    two = TwoStageInpaintor(inpaintor=OPENCV, size=24)
    one = MODELS.build(OPENCV)
    assert torch.equal(two.test_step(data)[0].output,
                       one.test_step(_batch([(24, 24)], seed=2))[0].output)


def test_masked_resize_never_leaks_hole_pixels():
    img = torch.zeros(3, 40, 60)
    mask = torch.zeros(1, 40, 60)
    mask[:, 10:17, 21:33] = 1
    img[mask.expand(3, -1, -1) > 0] = 255  # hole content must not leak
    for size in [(16, 16), (64, 96), (40, 60)]:
        low, low_mask = masked_resize(img, mask, size)
        assert low.shape == (3, *size) and low_mask.shape == (1, *size)
        assert low.dtype == low_mask.dtype == torch.uint8
        assert low.max() == 0  # known pixels only from known pixels
        # every target pixel touched by the hole is a hole
        touched = F.interpolate(mask[None], size=size, mode='area')[0] > 0
        assert bool(low_mask.bool()[touched].all())


@pytest.mark.filterwarnings('ignore:TwoStageInpaintor')
@pytest.mark.parametrize('target, passes', [((70, 45), 3), ((32, 16), 1),
                                            ((8, 40), 2), ((10, 12), 0)])
def test_sr_path_shapes_and_passes(target, passes):
    model = TwoStageInpaintor(
        inpaintor=OPENCV, size=16,
        upsampler=dict(type='ESPCN', scale=2, mid_channels=(8, 4)))
    calls = []
    model.upsampler.register_forward_hook(
        lambda m, i, o: calls.append(tuple(o.shape[-2:])))
    out = model.upscale(torch.rand(3, 16, 16) * 255, target)
    assert out.shape == (3, *target)
    assert len(calls) == passes
    assert 0 <= out.min() and out.max() <= 255


def test_untrained_residual_espcn_is_bicubic():
    x = torch.rand(2, 3, 7, 5) * 2 - 1
    net = ESPCN(scale=3, mid_channels=(8, 4))
    expected = F.interpolate(x, scale_factor=3, mode='bicubic',
                             align_corners=False)
    torch.testing.assert_close(net(x), expected)
    plain = ESPCN(scale=2, residual=False)
    assert plain(x).shape == (2, 3, 14, 10)
    with pytest.raises(ValueError, match=r'expects \[B, 3, H, W\]'):
        net(torch.zeros(1, 4, 8, 8))
    with pytest.raises(ValueError, match='scale must be an int >= 2'):
        ESPCN(scale=1)


def test_checkpoints_load_and_needs_checkpoint(tmp_path):
    inner = MODELS.build(CONV)
    ckpt = tmp_path / 'inner.pth'
    torch.save(dict(state_dict=inner.state_dict()), ckpt)
    sr = ESPCN(scale=2, mid_channels=(8, 4))
    torch.nn.init.normal_(sr.conv3.weight)
    sr_ckpt = tmp_path / 'sr.pth'
    torch.save({'upsampler.' + k: v for k, v in sr.state_dict().items()},
               sr_ckpt)
    model = TwoStageInpaintor(
        inpaintor=CONV, checkpoint=str(ckpt), size=16,
        upsampler=dict(type='ESPCN', scale=2, mid_channels=(8, 4)),
        upsampler_checkpoint=str(sr_ckpt))
    assert model.needs_checkpoint is False
    for k, v in inner.state_dict().items():
        assert torch.equal(model.inpaintor.state_dict()[k], v)
    assert torch.equal(model.upsampler.conv3.weight, sr.conv3.weight)
    assert not model.inpaintor.training and not model.train().\
        upsampler.training
    assert TwoStageInpaintor(inpaintor=OPENCV).needs_checkpoint is False
    with pytest.warns(UserWarning, match='random weights'):
        assert TwoStageInpaintor(inpaintor=CONV).needs_checkpoint is True


def test_bad_checkpoints(tmp_path):
    missing = tmp_path / 'nope.pth'
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        TwoStageInpaintor(inpaintor=CONV, checkpoint=str(missing))
    wrong = tmp_path / 'wrong.pth'
    torch.save(dict(state_dict={'foo': torch.zeros(1)}), wrong)
    with pytest.raises(ValueError, match='weights missing'):
        TwoStageInpaintor(inpaintor=CONV, checkpoint=str(wrong))


@pytest.mark.parametrize('kwargs, error, match', [
    (dict(size=0), ValueError, 'size must be a positive int'),
    (dict(size=(16, 'a')), ValueError, 'size must be a positive int'),
    (dict(upsampler='lanczos'), ValueError, "'bicubic' or a network"),
    (dict(upsampler_checkpoint='x.pth'), ValueError,
     "upsampler is 'bicubic'"),
    (dict(upsampler=dict(type='ConvEncoderDecoder')), ValueError,
     'needs an int attribute scale >= 2'),
    (dict(inpaintor='OpenCVInpaintor'), TypeError, 'config dict'),
])
def test_bad_arguments(kwargs, error, match):
    args = dict(inpaintor=OPENCV)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        TwoStageInpaintor(**args)


def test_scale_and_training_are_refused():
    model = TwoStageInpaintor(inpaintor=OPENCV, size=8)
    data = model.data_preprocessor(_batch([(12, 12)]), False)
    with pytest.raises(ValueError, match='scale must be 1, got 2'):
        model.predict(data['inputs'], data['data_samples'], scale=2.0)
    with pytest.raises(ValueError, match='only predicts'):
        model(data['inputs'], data['data_samples'], mode='tensor')
    with pytest.raises(RuntimeError, match='not trained as a whole'):
        model.train_step(data, None)
