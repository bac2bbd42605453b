"""StyleGAN2SkipFusion: identity at init, gated fusion, errors."""
import pytest
import torch

from inpaint_toolbox.models.generators import (GatedFeatureFusion,
                                               StyleGAN2Generator,
                                               StyleGAN2SkipFusion)


def _generator():
    torch.manual_seed(0)
    return StyleGAN2Generator(
        z_dim=8,
        w_dim=8,
        img_resolution=16,
        channel_max=16,
        num_mapping_layers=1).eval()


@pytest.mark.parametrize('resolutions', [(8, ), (8, 16), (4, 16)])
def test_untrained_fusion_is_identity_then_changes_output(resolutions):
    gen = _generator()
    fusion = StyleGAN2SkipFusion(
        16, gen.channels, resolutions, base_channels=4, max_channels=8)
    x = torch.randn(2, 4, 16, 16)
    feats = fusion(x)
    assert sorted(feats) == sorted(resolutions)
    for r, f in feats.items():
        assert f.shape == (2, fusion.encoder.channels[r], r, r)
    ws = torch.randn(2, gen.num_ws, 8)
    plain = gen.synthesis(ws)
    fused = gen.synthesis(ws, feature_fn=fusion.feature_fn(feats))
    assert torch.equal(plain, fused)
    for mod in fusion.fusions.values():
        torch.nn.init.normal_(mod.align[-1].weight, std=0.1)
    fused = gen.synthesis(ws, feature_fn=fusion.feature_fn(fusion(x)))
    assert not torch.allclose(plain, fused)


def test_gradients_reach_the_skip_path_not_a_frozen_generator():
    gen = _generator().requires_grad_(False)
    fusion = StyleGAN2SkipFusion(16, gen.channels, (8, ), base_channels=4)
    ws = torch.randn(2, gen.num_ws, 8)
    img = gen.synthesis(
        ws, feature_fn=fusion.feature_fn(fusion(torch.randn(2, 4, 16, 16))))
    img.square().sum().backward()
    assert fusion.fusions['8'].align[-1].weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in gen.parameters())


def test_gated_fusion_formula():
    torch.manual_seed(0)
    fuse = GatedFeatureFusion(3, 2, hidden_channels=4)
    torch.nn.init.normal_(fuse.align[-1].weight)
    x, skip = torch.randn(1, 3, 5, 5), torch.randn(1, 2, 5, 5)
    residual, gate = fuse.align(torch.cat([skip, x], 1)).chunk(2, 1)
    assert torch.allclose(fuse(x, skip), x + torch.sigmoid(gate) * residual)
    with pytest.raises(ValueError, match='skip'):
        fuse(x, torch.randn(1, 2, 4, 4))
    with pytest.raises(ValueError, match='expected x'):
        fuse(torch.randn(1, 4, 5, 5), skip)


@pytest.mark.parametrize('resolutions', [(32, ), (2, ), (12, ), ()])
def test_bad_fusion_resolutions(resolutions):
    with pytest.raises(ValueError, match='fusion_resolutions'):
        StyleGAN2SkipFusion(16, _generator().channels, resolutions)


def test_default_resolution_and_missing_features():
    fusion = StyleGAN2SkipFusion(16, _generator().channels)
    assert fusion.fusion_resolutions == (4, )
    with pytest.raises(ValueError, match='missing'):
        fusion.feature_fn({})
    with pytest.raises(ValueError, match=r'\[B, 4, 16, 16\]'):
        fusion(torch.zeros(1, 4, 8, 8))
