"""IN² generator: any output size, gradients, ablations, config building."""
import pytest
import torch
import torch.nn.functional as F

from inpaint_toolbox.models.attention import NHAB
from inpaint_toolbox.models.decoders import (ConvUpsampleDecoder,
                                             ImplicitPyramidDecoder)
from inpaint_toolbox.models.generators.in2_generator import IN2Generator
from inpaint_toolbox.models.layers import ConvMixer2d, NeighborhoodAttention2d
from inpaint_toolbox.registry import MODELS


def tiny_cfg(attn='NeighborhoodAttention2d',
             decoder='ImplicitPyramidDecoder'):
    dec = dict(type=decoder, level_channels=(12, 8, 4))
    if decoder == 'ImplicitPyramidDecoder':
        dec.update(num_frequencies=2)
    return dict(
        type='IN2Generator',
        # squeeze_factor=4 keeps >= 2 hidden units in the tiny SE gates
        encoder=dict(
            type='DownsampleProcessingEncoder', base_channels=8,
            max_channels=16, cab=dict(type='CAB', squeeze_factor=4)),
        bottleneck=dict(
            type='NHAB', num_heads=2, kernel_size=3, attn=dict(type=attn),
            cab=dict(type='CAB', squeeze_factor=4)),
        num_blocks=2,
        decoder=dec)


def _pad_input(h, w, divisor, batch=1, seed=0):
    """A masked image + mask of size h x w, reflect-padded to the divisor."""
    g = torch.Generator().manual_seed(seed)
    img = torch.rand(batch, 3, h, w, generator=g) * 2 - 1
    mask = (torch.rand(batch, 1, h, w, generator=g) > 0.7).float()
    x = torch.cat([img * (1 - mask), mask], dim=1)
    ph, pw = -h % divisor, -w % divisor
    return F.pad(x, (0, pw, 0, ph), mode='reflect')


@pytest.fixture(scope='module')
def gen():
    torch.manual_seed(0)
    return MODELS.build(tiny_cfg())


def test_builds_from_dict(gen):
    assert isinstance(gen, IN2Generator)
    assert gen.size_divisor == 8
    assert all(isinstance(b, NHAB) for b in gen.bottleneck)
    assert isinstance(gen.bottleneck[0].attn, NeighborhoodAttention2d)
    assert isinstance(gen.decoder, ImplicitPyramidDecoder)
    assert gen.decoder.in_channels == gen.encoder.out_channels


def test_odd_output_size_from_padded_input(gen):
    x = _pad_input(75, 131, gen.size_divisor)
    assert x.shape[-2:] == (80, 136)
    out = gen(x, out_size=(75, 131))
    assert out.shape == (1, 3, 75, 131)
    assert out.abs().max() <= 1


@pytest.mark.parametrize('scale', [1, 2, 3, 1.5])
def test_scales(gen, scale):
    x = _pad_input(20, 30, gen.size_divisor)  # -> 24 x 32
    out = gen(x, scale=scale)
    assert out.shape == (1, 3, round(24 * scale), round(32 * scale))


def test_default_output_is_input_size(gen):
    x = _pad_input(16, 40, gen.size_divisor, batch=2)
    assert gen(x).shape == (2, 3, 16, 40)


def test_gradients_reach_every_parameter():
    torch.manual_seed(0)
    gen = MODELS.build(tiny_cfg())
    out = gen(_pad_input(24, 32, 8, batch=2), scale=1.5)
    out.square().mean().backward()
    for name, p in gen.named_parameters():
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, name


def test_eval_is_deterministic(gen):
    gen.eval()
    x = _pad_input(24, 24, 8)
    with torch.no_grad():
        assert torch.equal(gen(x), gen(x))
    gen.train()


@pytest.mark.parametrize('attn,decoder,attn_cls,dec_cls', [
    ('ConvMixer2d', 'ImplicitPyramidDecoder', ConvMixer2d,
     ImplicitPyramidDecoder),
    ('NeighborhoodAttention2d', 'ConvUpsampleDecoder',
     NeighborhoodAttention2d, ConvUpsampleDecoder),
    ('ConvMixer2d', 'ConvUpsampleDecoder', ConvMixer2d, ConvUpsampleDecoder),
])
def test_ablation_variants(attn, decoder, attn_cls, dec_cls):
    gen = MODELS.build(tiny_cfg(attn, decoder))
    assert isinstance(gen.bottleneck[0].attn, attn_cls)
    assert isinstance(gen.decoder, dec_cls)
    x = _pad_input(30, 21, 8)
    assert gen(x, out_size=(30, 21)).shape == (1, 3, 30, 21)
    assert gen(x, scale=2).shape == (1, 3, 64, 48)


def test_errors(gen):
    x = _pad_input(16, 16, 8)
    with pytest.raises(ValueError, match='not both'):
        gen(x, out_size=(16, 16), scale=2)
    with pytest.raises(ValueError, match='scale must be > 0'):
        gen(x, scale=0)
    with pytest.raises(ValueError, match=r'\[B, 4, H, W\]'):
        gen(x[:, :3])
    with pytest.raises(ValueError, match='size_divisor 8'):
        gen(x[..., :12])
    cfg = tiny_cfg()
    cfg['bottleneck']['dim'] = 8
    with pytest.raises(ValueError, match='bottleneck dim 8'):
        MODELS.build(cfg)
    cfg = tiny_cfg()
    cfg['decoder']['in_channels'] = (8, 8, 8, 8)
    with pytest.raises(ValueError, match='decoder in_channels'):
        MODELS.build(cfg)


@pytest.mark.parametrize('smooth_iters', [0, 4])
def test_coarse_fill_starts_from_the_fill_and_learns_a_residual(smooth_iters):
    from inpaint_toolbox.models.layers import push_pull_fill
    cfg = tiny_cfg()
    cfg['coarse_fill'] = dict(type='PushPullFill', smooth_iters=smooth_iters)
    torch.manual_seed(0)
    gen = MODELS.build(cfg)
    assert gen.decoder.out_act is None
    x = _pad_input(24, 32, 8, batch=2)
    fill = push_pull_fill(x[:, :3], x[:, 3:], smooth_iters=smooth_iters)
    out = gen(x)
    # zero-initialized to_rgb: the untrained network returns the fill
    assert torch.allclose(out, fill, atol=1e-6)
    # the encoder sees the fill, not zeros: changing a hole pixel's value
    # in the input changes nothing (holes are ignored by the fill)
    x2 = x.clone()
    x2[:, :3] += x[:, 3:] * 0.5
    assert torch.equal(gen(x2), out)
    out.sub(fill).add(torch.linspace(0, 1, 32)).square().mean().backward()
    assert gen.decoder.to_rgb.weight.grad.abs().sum() > 0
    assert gen(x, scale=2).shape == (2, 3, 48, 64)


def test_coarse_fill_refuses_a_tanh_decoder():
    cfg = tiny_cfg()
    cfg['coarse_fill'] = dict(type='PushPullFill')
    cfg['decoder']['out_act'] = 'tanh'
    with pytest.raises(ValueError, match='residual'):
        MODELS.build(cfg)
