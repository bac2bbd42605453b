import pytest
import torch

from inpaint_toolbox.models.gans.gan_data_preprocessor import (
    GANDataPreprocessor, to_pixel_range)
from inpaint_toolbox.structures import InpaintDataSample


def _imgs(n, shape=(3, 8, 8), seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 256, shape, generator=g, dtype=torch.uint8)
            for _ in range(n)]


@pytest.mark.parametrize('as_tensor', [False, True])
def test_maps_uint8_to_unit_range_and_ignores_masks(as_tensor):
    imgs = _imgs(3)
    imgs[0][:] = 0
    imgs[1][:] = 255
    samples = [InpaintDataSample(mask=torch.ones(1, 8, 8, dtype=torch.uint8))
               for _ in imgs]
    inputs = torch.stack(imgs) if as_tensor else imgs
    out = GANDataPreprocessor()(dict(inputs=inputs, data_samples=samples))
    x = out['inputs']['img']
    assert set(out['inputs']) == {'img'}
    assert x.shape == (3, 3, 8, 8) and x.dtype == torch.float32
    assert torch.all(x[0] == -1) and torch.all(x[1] == 1)
    torch.testing.assert_close(x[2], imgs[2].float() / 127.5 - 1)
    # samples pass through (masks untouched, unused)
    assert len(out['data_samples']) == 3
    assert torch.equal(out['data_samples'][0].mask, samples[0].mask)


def test_data_samples_are_optional():
    out = GANDataPreprocessor()(dict(inputs=_imgs(2)))
    assert out['data_samples'] is None
    assert out['inputs']['img'].shape == (2, 3, 8, 8)


@pytest.mark.parametrize('inputs,error,match', [
    ([torch.zeros(3, 8, 8), torch.zeros(3, 8, 12)], ValueError,
     r'one size, got \[\(3, 8, 8\), \(3, 8, 12\)\]'),
    ([torch.zeros(8, 8)], ValueError, r'\(C, H, W\)'),
    (torch.zeros(3, 8, 8), ValueError, r'\(B, C, H, W\), got shape'),
    ([], TypeError, 'non-empty list'),
    ('img.png', TypeError, 'got str'),
])
def test_bad_inputs_are_rejected(inputs, error, match):
    with pytest.raises(error, match=match):
        GANDataPreprocessor()(dict(inputs=inputs))


def test_sample_count_must_match():
    with pytest.raises(ValueError, match='2 images but 1 data samples'):
        GANDataPreprocessor()(
            dict(inputs=_imgs(2), data_samples=[InpaintDataSample()]))


def test_not_a_dict_is_a_type_error():
    with pytest.raises(TypeError, match="dict with 'inputs'"):
        GANDataPreprocessor()(_imgs(2))


def test_to_pixel_range_matches_nvidia_conversion():
    x = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0])
    torch.testing.assert_close(
        to_pixel_range(x), torch.tensor([0.0, 0.5, 128.0, 255.0, 255.0]))
