"""Channel LayerNorm on [B, C, H, W] maps."""
import pytest
import torch

from inpaint_toolbox.models.layers import LayerNorm2d


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
