"""Channel LayerNorm on [B, C, H, W] maps and the conv mixer drop-in."""
import pytest
import torch

from inpaint_toolbox.models.layers import (ConvMixer2d, LayerNorm2d,
                                           NeighborhoodAttention2d)
from inpaint_toolbox.registry import MODELS


@pytest.mark.parametrize('shape', [(2, 8, 5, 7), (1, 3, 1, 1)])
def test_layer_norm_normalizes_over_channels(shape):
    ln = LayerNorm2d(shape[1])
    x = torch.randn(*shape) * 3 + 2
    out = ln(x)
    assert out.shape == x.shape
    if shape[1] > 1:
        assert torch.allclose(out.mean(1), torch.zeros(()), atol=1e-5)
        assert torch.allclose(
            out.var(1, unbiased=False), torch.ones(()), atol=1e-3)
    ref = torch.nn.functional.layer_norm(
        x.permute(0, 2, 3, 1), (shape[1], ), eps=1e-6).permute(0, 3, 1, 2)
    assert torch.allclose(out, ref, atol=1e-6)


def test_layer_norm_rejects_wrong_channels():
    with pytest.raises(ValueError, match=r'\[B, 4, H, W\]'):
        LayerNorm2d(4)(torch.randn(1, 5, 2, 2))


@pytest.mark.parametrize('cls', [ConvMixer2d, NeighborhoodAttention2d])
def test_conv_mixer_shares_the_attention_signature(cls):
    m = MODELS.build(
        dict(type=cls.__name__, dim=8, num_heads=2, kernel_size=5))
    x = torch.randn(2, 8, 3, 11)
    assert m(x).shape == x.shape


def test_conv_mixer_is_local():
    mixer = ConvMixer2d(4, kernel_size=3)
    x = torch.randn(1, 4, 9, 9)
    x2 = x.clone()
    x2[0, :, 4, 4] += 1
    changed = (mixer(x2) - mixer(x)).abs().amax(1)[0] > 0
    expected = torch.zeros(9, 9, dtype=torch.bool)
    expected[3:6, 3:6] = True
    assert torch.equal(changed, expected)
    with pytest.raises(ValueError, match='odd'):
        ConvMixer2d(4, kernel_size=4)
