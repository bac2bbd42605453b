"""Neighbor hybrid attention block."""
import pytest
import torch

from inpaint_toolbox.models.attention import NHAB
from inpaint_toolbox.models.layers import ConvMixer2d, NeighborhoodAttention2d
from inpaint_toolbox.registry import MODELS


@pytest.mark.parametrize('attn_type,cls', [
    ('NeighborhoodAttention2d', NeighborhoodAttention2d),
    ('ConvMixer2d', ConvMixer2d),
])
@pytest.mark.parametrize('size', [(8, 8), (5, 11), (2, 3)])
def test_nhab_builds_from_dict_and_keeps_shape(attn_type, cls, size):
    block = MODELS.build(
        dict(type='NHAB', dim=16, num_heads=2, kernel_size=5,
             attn=dict(type=attn_type)))
    assert isinstance(block.attn, cls)
    x = torch.randn(2, 16, *size, requires_grad=True)
    out = block(x)
    assert out.shape == x.shape
    out.square().mean().backward()
    for name, p in block.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name


def test_nhab_formula():
    """x + NA(LN x) + a CAB(LN x), then + MLP(LN x')."""
    torch.manual_seed(0)
    block = NHAB(8, 2, kernel_size=3, cab_scale=0.5)
    x = torch.randn(1, 8, 6, 7)
    y = block.norm1(x)
    mid = x + block.attn(y) + 0.5 * block.cab(y)
    expected = mid + block.mlp(block.norm2(mid))
    assert torch.allclose(block(x), expected, atol=1e-6)


def test_nhab_without_cab_and_zero_mlp_is_attention_residual():
    block = NHAB(8, 2, kernel_size=3, cab=None)
    torch.nn.init.zeros_(block.mlp[-1].weight)
    torch.nn.init.zeros_(block.mlp[-1].bias)
    x = torch.randn(1, 8, 4, 4)
    assert torch.allclose(block(x), x + block.attn(block.norm1(x)),
                          atol=1e-6)


def test_nhab_errors():
    with pytest.raises(ValueError, match='multiple of num_heads'):
        NHAB(10, 4)
    with pytest.raises(ValueError, match='mlp_ratio'):
        NHAB(8, 2, mlp_ratio=0.)
    with pytest.raises(ValueError, match=r'\[B, 8, H, W\]'):
        NHAB(8, 2)(torch.randn(1, 4, 3, 3))
