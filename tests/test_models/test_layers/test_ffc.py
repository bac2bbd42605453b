"""Fourier unit, spectral transform, FFC and FFC residual block."""
import pytest
import torch
from torch import nn

from inpaint_toolbox.models.layers import (FFC, FFCResBlock, FourierUnit,
                                           SpectralTransform)
from inpaint_toolbox.registry import MODELS


@pytest.mark.parametrize('size', [(8, 8), (7, 9), (5, 12), (1, 3)])
def test_fourier_unit_odd_sizes(size):
    unit = FourierUnit(6, 4, norm_cfg=None).eval()
    out = unit(torch.randn(2, 6, *size))
    assert out.shape == (2, 4, *size)


def test_fourier_unit_identity_spectrum_roundtrips():
    """A 1x1 conv that copies real/imag parts makes the unit the identity."""
    unit = FourierUnit(3, 3, norm_cfg=None, act_cfg=None)
    with torch.no_grad():
        unit.conv.weight.copy_(torch.eye(6).view(6, 6, 1, 1))
        unit.conv.bias.zero_()
    x = torch.randn(2, 3, 7, 10)
    assert torch.allclose(unit(x), x, atol=1e-5)


def test_fourier_unit_has_a_global_receptive_field():
    torch.manual_seed(0)
    unit = FourierUnit(4, 4, norm_cfg=None)
    x = torch.randn(1, 4, 16, 16)
    x2 = x.clone()
    x2[0, :, 3, 5] += 1.0
    changed = (unit(x2) - unit(x)).abs().amax(dim=1)[0] > 1e-5
    assert changed.float().mean() > 0.5  # most pixels react, not a window


def test_spectral_transform_shapes_and_errors():
    st = SpectralTransform(8, 6)
    assert st(torch.randn(2, 8, 9, 7)).shape == (2, 6, 9, 7)
    with pytest.raises(ValueError, match='out_channels >= 2'):
        SpectralTransform(8, 1)
    with pytest.raises(ValueError, match=r'\[B, 8, H, W\]'):
        st(torch.randn(2, 4, 9, 7))


@pytest.mark.parametrize('ratio_in,ratio_out', [(0.75, 0.75), (0.0, 0.5),
                                                (0.5, 0.0), (1.0, 1.0)])
def test_ffc_channel_split(ratio_in, ratio_out):
    ffc = FFC(16, 12, ratio_in=ratio_in, ratio_out=ratio_out)
    assert ffc.in_global == int(16 * ratio_in)
    assert ffc.out_global == int(12 * ratio_out)
    assert ffc.out_local + ffc.out_global == 12
    assert (ffc.g2g is None) == (ffc.in_global == 0 or ffc.out_global == 0)
    assert (ffc.l2l is None) == (ffc.in_local == 0 or ffc.out_local == 0)
    out = ffc(torch.randn(2, 16, 9, 11))
    assert out.shape == (2, 12, 9, 11)


def test_ffc_local_output_is_local_without_global_input():
    """ratio_in=0, ratio_out=0: a plain 3x3 conv (local receptive field)."""
    ffc = FFC(4, 4, ratio_in=0., ratio_out=0., norm_cfg=None, act_cfg=None)
    x = torch.randn(1, 4, 12, 12)
    x2 = x.clone()
    x2[0, :, 0, 0] += 1.0
    diff = (ffc(x2) - ffc(x)).abs().amax(dim=1)[0]
    assert diff[2:, :].abs().max() == 0 and diff[:, 2:].abs().max() == 0


@pytest.mark.parametrize('ratio', [-0.1, 1.5])
def test_ffc_rejects_bad_ratio(ratio):
    with pytest.raises(ValueError, match='ratio_in'):
        FFC(8, 8, ratio_in=ratio)


def test_ffc_res_block_is_residual_and_trainable():
    block = MODELS.build(dict(type='FFCResBlock', channels=16, ratio=0.75))
    assert isinstance(block, FFCResBlock)
    x = torch.randn(2, 16, 10, 7)
    out = block(x)
    assert out.shape == x.shape
    out.square().mean().backward()
    for name, p in block.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
    # zeroing the last FFC's norm scale makes the block the identity
    for m in block.conv2.modules():
        if isinstance(m, nn.BatchNorm2d):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)
    block.eval()
    assert torch.allclose(block(x), x)
