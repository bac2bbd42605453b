"""InversionEncoder: W+ shapes, w_avg + deltas, backbones, errors."""
import pytest
import torch

from inpaint_toolbox.models.encoders.inversion_encoder import (
    InversionEncoder, default_style_split)

TINY = dict(
    stage_channels=(8, 8, 16, 16), stage_blocks=(1, 1, 1, 1), fpn_channels=8)


@pytest.mark.parametrize('n_latent,split', [(6, (2, 4)), (8, (3, 6)),
                                            (10, (3, 7)), (14, (3, 7)),
                                            (18, (3, 7))])
def test_default_style_split(n_latent, split):
    assert default_style_split(n_latent) == split


@pytest.mark.parametrize('resolution,backbone,norm', [(16, 'ir_se', 'bn'),
                                                      (32, 'resnet', 'gn'),
                                                      (64, 'ir_se', 'none'),
                                                      (64, 'resnet', 'bn')])
def test_shapes_and_w_avg_offset(resolution, backbone, norm):
    torch.manual_seed(0)
    enc = InversionEncoder(
        resolution, w_dim=12, backbone=backbone, norm=norm, **TINY).eval()
    n = 2 * (resolution.bit_length() - 1) - 2
    assert enc.n_latent == n
    x = torch.randn(3, 4, resolution, resolution)
    deltas = enc(x)
    assert deltas.shape == (3, n, 12)
    w_avg = torch.randn(12)
    assert torch.allclose(enc(x, w_avg), deltas + w_avg, atol=1e-6)
    # heads start small: an untrained encoder stays near w_avg
    assert deltas.abs().mean() < 1.0


def test_codes_depend_on_input_and_get_gradients():
    torch.manual_seed(0)
    enc = InversionEncoder(32, w_dim=8, **TINY)
    x = torch.randn(2, 4, 32, 32)
    codes = enc(x)
    assert not torch.allclose(codes[0], codes[1])
    codes.square().sum().backward()
    assert all(p.grad is not None for p in enc.parameters())


def test_coarse_codes_come_from_the_smallest_map():
    torch.manual_seed(0)
    enc = InversionEncoder(32, w_dim=8, **TINY)
    coarse_end, _ = enc.style_split
    # zero the coarse head: its codes vanish, the others do not
    for p in enc.heads[2].linear.parameters():
        torch.nn.init.zeros_(p)
    codes = enc(torch.randn(2, 4, 32, 32))
    assert codes[:, :coarse_end].abs().max() == 0
    assert codes[:, coarse_end:].abs().max() > 0


@pytest.mark.parametrize('kwargs,match', [
    (dict(resolution=24), 'power of two'),
    (dict(resolution=16, backbone='vit'), 'backbone'),
    (dict(resolution=16, norm='ln'), 'norm'),
    (dict(resolution=16, stage_channels=(8, 8),
          stage_blocks=(1, 1)), '>= 3 stages'),
    (dict(resolution=8, stage_channels=(8, ) * 4,
          stage_blocks=(1, ) * 4), 'below 1 pixel'),
    (dict(resolution=16, style_split=(4, 2)), 'style_split'),
])
def test_bad_arguments(kwargs, match):
    args = dict(TINY, w_dim=8)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        InversionEncoder(**args)


@pytest.mark.parametrize('shape', [(1, 3, 16, 16), (1, 4, 32, 32)])
def test_bad_input_shape(shape):
    enc = InversionEncoder(16, w_dim=8, **TINY).eval()
    with pytest.raises(ValueError, match=r'\[B, 4, 16, 16\]'):
        enc(torch.zeros(shape))
    with pytest.raises(ValueError, match='w_avg'):
        enc(torch.zeros(1, 4, 16, 16), torch.zeros(7))
