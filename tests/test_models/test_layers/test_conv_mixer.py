"""Convolutional mixer: drop-in for neighborhood attention."""
import pytest
import torch

from inpaint_toolbox.models.layers import ConvMixer2d, NeighborhoodAttention2d
from inpaint_toolbox.registry import MODELS


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
