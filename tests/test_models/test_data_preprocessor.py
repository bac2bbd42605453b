import pytest
import torch

from inpaint_toolbox.models.data_preprocessors import InpaintDataPreprocessor
from inpaint_toolbox.structures import InpaintDataSample


def _batch(shapes, hole=True):
    imgs, samples = [], []
    g = torch.Generator().manual_seed(0)
    for h, w in shapes:
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        s = InpaintDataSample(metainfo=dict(gt_path=f'{h}x{w}'))
        s.gt_img = img
        m = torch.zeros(1, h, w, dtype=torch.uint8)
        if hole:
            m[:, h // 4:h // 2, w // 4:w // 2] = 1
        s.mask = m
        imgs.append(img)
        samples.append(s)
    return dict(inputs=imgs, data_samples=samples)


def test_normalize_pad_and_crop_back():
    pre = InpaintDataPreprocessor(size_divisor=8)
    data = _batch([(75, 131), (60, 100)])
    out = pre(data)
    img, gt, mask = (out['inputs'][k] for k in ('img', 'gt', 'mask'))
    assert img.shape == (2, 4, 80, 136)
    assert gt.shape == (2, 3, 80, 136) and mask.shape == (2, 1, 80, 136)
    assert gt.min() >= -1 and gt.max() <= 1
    # the masked image is zero in the hole, the 4th channel is the mask
    assert torch.all(img[:, :3][mask.expand(-1, 3, -1, -1) > 0] == 0)
    torch.testing.assert_close(img[:, 3:], mask)
    # padded area is reflected image content and counts as known
    assert mask[1, :, 60:].sum() == 0 and mask[1, :, :, 100:].sum() == 0
    torch.testing.assert_close(gt[0, :, 75, :131], gt[0, :, 73, :131])
    # crop back: exact original pixels
    back = pre.postprocess(gt, out['data_samples'])
    assert back[0].shape == (3, 75, 131) and back[1].shape == (3, 60, 100)
    for b, s in zip(back, out['data_samples']):
        torch.testing.assert_close(b, s.gt_img.float(), atol=1e-4, rtol=0)
    up = pre.postprocess(
        torch.zeros(2, 3, 160, 272), out['data_samples'], scale=2.0)
    assert up[0].shape == (3, 150, 262)


def test_errors_name_the_problem():
    pre = InpaintDataPreprocessor(size_divisor=8)
    data = _batch([(32, 32)])
    data['data_samples'][0].mask = torch.zeros(1, 16, 32, dtype=torch.uint8)
    with pytest.raises(ValueError, match='mask size'):
        pre(data)
    data = _batch([(32, 32)])
    del data['data_samples'][0].mask
    with pytest.raises(ValueError, match='GenerateMask'):
        pre(data)
    with pytest.raises(ValueError, match='size_divisor'):
        InpaintDataPreprocessor(size_divisor=0)


@pytest.mark.parametrize('fill', [0, 1])
def test_all_zero_and_all_one_masks(fill):
    pre = InpaintDataPreprocessor(size_divisor=4)
    data = _batch([(12, 20)], hole=False)
    data['data_samples'][0].mask.fill_(fill)
    out = pre(data)
    assert out['inputs']['mask'][0, :, :12, :20].eq(fill).all()


def test_low_res_input_gives_full_res_targets():
    pre = InpaintDataPreprocessor(size_divisor=8)
    data = _batch([(60, 100)])
    s = data['data_samples'][0]
    s.lq_img = s.gt_img[:, ::2, ::2].clone()  # (3, 30, 50)
    s.mask = s.mask[:, ::2, ::2].clone()
    s.set_metainfo(dict(scale=2.0))
    out = pre(data)
    assert out['inputs']['img'].shape == (1, 4, 32, 56)
    assert out['inputs']['gt'].shape == (1, 3, 64, 112)
    assert out['inputs']['mask'].shape == (1, 1, 64, 112)
    assert out['inputs']['scale'] == 2.0
    # the full-res mask is the input mask upsampled with nearest neighbour
    torch.testing.assert_close(out['inputs']['mask'][0, 0, :60:2, :100:2],
                               s.mask[0].float())
    back = pre.postprocess(out['inputs']['gt'], out['data_samples'], 2.0)
    torch.testing.assert_close(back[0], s.gt_img.float(), atol=1e-4, rtol=0)
    s.set_metainfo(dict(scale=0.5))
    with pytest.raises(ValueError, match='scale'):
        pre(data)
