"""StyleGAN2 generator: latent shapes, truncation, noise, feature hooks."""
import pytest
import torch

from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator
from inpaint_toolbox.registry import MODELS

SMALL = dict(z_dim=32, w_dim=32, img_resolution=16, channel_base=256,
             channel_max=32)


def _generator(seed=0, **kwargs):
    torch.manual_seed(seed)
    g = StyleGAN2Generator(**{**SMALL, **kwargs}).eval()
    with torch.no_grad():  # non-trivial noise strengths and w_avg
        for name, p in g.named_parameters():
            if name.endswith('noise_strength'):
                p.fill_(0.3)
        g.mapping.w_avg.normal_()
    return g


def _z(n=2, dim=32, seed=1):
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize('res,num_ws', [(16, 6), (32, 8), (64, 10)])
def test_num_ws_and_shapes(res, num_ws):
    g = StyleGAN2Generator(z_dim=8, w_dim=8, img_resolution=res,
                           channel_base=128, channel_max=8)
    assert g.num_ws == g.n_latent == num_ws == 2 * res.bit_length() - 4
    ws = g.mapping(_z(3, 8))
    assert ws.shape == (3, num_ws, 8)
    img = g.synthesis(ws)
    assert img.shape == (3, 3, res, res)
    assert sorted(g.channels) == [2**i for i in range(2, res.bit_length())]


def test_default_is_config_f_256():
    g = StyleGAN2Generator()
    assert g.num_ws == 14 and g.channels[256] == 128 and g.channels[64] == 512
    shapes = {k: tuple(v.shape) for k, v in g.state_dict().items()}
    assert shapes['synthesis.b64.conv1.weight'] == (512, 512, 3, 3)
    assert shapes['synthesis.b128.conv0.weight'] == (256, 512, 3, 3)
    assert shapes['synthesis.b256.torgb.weight'] == (3, 128, 1, 1)
    assert shapes['synthesis.b256.conv1.noise_const'] == (256, 256)
    assert shapes['mapping.fc7.weight'] == (512, 512)
    assert 'mapping.fc8.weight' not in shapes


@pytest.mark.parametrize('res', [8, 48, 2048])
def test_bad_resolution(res):
    with pytest.raises(ValueError, match='power of two from 16 to 1024'):
        StyleGAN2Generator(**{**SMALL, 'img_resolution': res})


def test_w_and_w_plus_agree_and_fused_matches_unfused():
    g = _generator()
    with torch.no_grad():
        ws = g.mapping(_z())
        a = g.synthesis(ws[:, 0])
        b = g.synthesis(ws)
        c = g.synthesis(ws, fused_modconv=False)
    torch.testing.assert_close(a, b)
    torch.testing.assert_close(b, c, atol=1e-4, rtol=1e-4)
    assert b.abs().max() > 0.01


def test_truncation_around_w_avg():
    g = _generator()
    with torch.no_grad():
        ws = g.mapping(_z())
        full = g.mapping(_z(), truncation_psi=0.0)
        half = g.mapping(_z(), truncation_psi=0.5, truncation_cutoff=2)
    torch.testing.assert_close(full, g.mapping.w_avg.expand_as(full))
    torch.testing.assert_close(half[:, :2],
                               g.mapping.w_avg + 0.5 * (ws[:, :2] -
                                                        g.mapping.w_avg))
    torch.testing.assert_close(half[:, 2:], ws[:, 2:])


def test_w_avg_tracked_only_in_training():
    g = _generator()
    before = g.mapping.w_avg.clone()
    with torch.no_grad():
        g.mapping(_z())
        assert torch.equal(g.mapping.w_avg, before)
        g.train()
        w = g.mapping(_z())[:, 0]
    torch.testing.assert_close(g.mapping.w_avg,
                               w.mean(0).lerp(before, 0.995))


def test_noise_modes():
    g = _generator()
    z = _z()
    with torch.no_grad():
        const1, const2 = g(z), g(z, noise_mode='const')
        none = g(z, noise_mode='none')
        r1 = g(z, noise_mode='random',
               generator=torch.Generator().manual_seed(5))
        r2 = g(z, noise_mode='random',
               generator=torch.Generator().manual_seed(5))
        r3 = g(z, noise_mode='random',
               generator=torch.Generator().manual_seed(6))
    assert torch.equal(const1, const2)
    assert torch.equal(r1, r2)
    assert not torch.allclose(r1, r3) and not torch.allclose(const1, none)
    with pytest.raises(ValueError, match='noise_mode must be one of'):
        g(z, noise_mode='fixed')


def test_feature_fn_sees_every_block_and_edits_the_output():
    g = _generator()
    ws = g.mapping(_z()).detach()
    seen = []

    def record(res, x):
        seen.append((res, tuple(x.shape)))
        return x

    with torch.no_grad():
        base, feats = g.synthesis(ws, return_features=True)
        same = g.synthesis(ws, feature_fn=record)
        edited = g.synthesis(
            ws, feature_fn=lambda res, x: x * 0 if res == 8 else x)
    assert seen == [(4, (2, 32, 4, 4)), (8, (2, 32, 8, 8)),
                    (16, (2, 16, 16, 16))]
    assert {r: tuple(f.shape) for r, f in feats.items()} == \
        {r: s for r, s in seen}
    torch.testing.assert_close(same, base)
    assert not torch.allclose(edited, base)
    with pytest.raises(ValueError, match='feature_fn must return'):
        g.synthesis(ws, feature_fn=lambda res, x: x[:, :1])


def test_gradients_reach_ws_and_weights_in_training_mode():
    g = _generator().train()
    ws = g.mapping(_z()).detach().requires_grad_(True)
    img = g.synthesis(ws, noise_mode='random')
    grad, = torch.autograd.grad((img * torch.randn_like(img)).sum(), ws,
                                create_graph=True)
    assert grad.shape == ws.shape and grad.abs().sum() > 0
    grad.square().sum().backward()  # path-length style double backward
    assert g.synthesis.b16.conv0.weight.grad is not None


def test_input_errors():
    g = _generator()
    with pytest.raises(ValueError, match=r'z must be \[N, 32\]'):
        g(torch.zeros(2, 16))
    with pytest.raises(ValueError, match=r'ws must be \[N, 32\] or'):
        g.synthesis(torch.zeros(2, 5, 32))


def test_registry_build_and_channels_override():
    g = MODELS.build(dict(type='StyleGAN2Generator', **SMALL,
                          channels={4: 8, 8: 8, 16: 4}))
    assert isinstance(g, StyleGAN2Generator)
    assert g.synthesis.b16.conv1.weight.shape == (4, 4, 3, 3)
    assert 'resample_filter' not in ''.join(g.state_dict())
