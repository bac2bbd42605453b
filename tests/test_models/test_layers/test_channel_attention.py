"""Squeeze-and-excitation gate and HAT's channel attention block."""
import pytest
import torch

from inpaint_toolbox.models.layers import CAB, ChannelAttention
from inpaint_toolbox.registry import MODELS


@pytest.mark.parametrize('channels,squeeze', [(16, 16), (8, 30), (3, 1)])
def test_channel_attention_gates_each_channel_in_unit_interval(
        channels, squeeze):
    ca = ChannelAttention(channels, squeeze)
    x = torch.randn(2, channels, 5, 7)
    out = ca(x)
    ratio = out / x
    # one gate per (sample, channel), constant over pixels, in (0, 1)
    gate = ratio[..., :1, :1]
    assert torch.allclose(ratio, gate.expand_as(ratio), atol=1e-5)
    assert (gate > 0).all() and (gate < 1).all()


def test_channel_attention_gate_depends_on_global_average():
    ca = ChannelAttention(4, 2)
    x = torch.randn(1, 4, 6, 6)
    shuffled = x.flatten(2)[:, :, torch.randperm(36)].view_as(x)
    g1 = ca(x) / x
    g2 = ca(shuffled) / shuffled
    assert torch.allclose(g1[..., 0, 0], g2[..., 0, 0], atol=1e-6)


@pytest.mark.parametrize('size', [(6, 6), (5, 9), (1, 1)])
def test_cab_shapes_and_gradients(size):
    cab = MODELS.build(dict(type='CAB', channels=12, compress_ratio=3))
    assert isinstance(cab, CAB)
    x = torch.randn(2, 12, *size, requires_grad=True)
    out = cab(x)
    assert out.shape == x.shape
    out.sum().backward()
    assert all(p.grad is not None for p in cab.parameters())


def test_errors():
    with pytest.raises(ValueError, match='compress_ratio'):
        CAB(8, compress_ratio=0)
    with pytest.raises(ValueError, match='squeeze_factor'):
        ChannelAttention(8, 0)
    with pytest.raises(ValueError, match=r'\[B, 8, H, W\]'):
        CAB(8)(torch.randn(1, 3, 4, 4))
