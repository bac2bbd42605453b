"""StyleGAN2 ops against direct references (zero insertion + conv2d with the
flipped kernel, per-sample modulated weights)."""
import math

import pytest
import torch
import torch.nn.functional as F

from inpaint_toolbox.models.layers.stylegan2_layers import (
    Conv2dLayer, FullyConnected, MinibatchStdLayer, check_stylegan2_resolution,
    stylegan2_channels)
from inpaint_toolbox.models.layers.stylegan2_ops import (bias_act,
                                                         minibatch_stddev,
                                                         modulated_conv2d,
                                                         normalize_2nd_moment)
from inpaint_toolbox.models.layers.stylegan2_resample import (conv2d_resample,
                                                              downsample2d,
                                                              filter2d,
                                                              setup_filter,
                                                              upfirdn2d,
                                                              upsample2d)


def _rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def _ref_upfirdn2d(x, f2d, up, down, pad, gain=1.0):
    """Zero insertion, zero pad/crop, conv2d with the flipped 2D kernel."""
    n, c, h, w = x.shape
    x0, x1, y0, y1 = pad
    big = torch.zeros(n, c, h * up, w * up, dtype=x.dtype)
    big[:, :, ::up, ::up] = x
    big = F.pad(big, [max(x0, 0), max(x1, 0), max(y0, 0), max(y1, 0)])
    big = big[:, :, max(-y0, 0):big.shape[2] - max(-y1, 0),
              max(-x0, 0):big.shape[3] - max(-x1, 0)]
    kernel = (f2d * gain).flip([0, 1])[None, None].repeat(c, 1, 1, 1)
    out = F.conv2d(big, kernel, groups=c)
    return out[:, :, ::down, ::down]


def test_setup_filter_normalizes():
    f = setup_filter([1, 3, 3, 1])
    taps = torch.tensor([1., 3., 3., 1.]) / 8
    torch.testing.assert_close(f, torch.outer(taps, taps))
    sep = setup_filter([1, 3, 3, 1], separable=True)
    torch.testing.assert_close(sep, taps)
    assert setup_filter(list(range(1, 9))).shape == (8, )  # long: separable
    f2 = setup_filter(torch.ones(2, 3), gain=4)
    assert f2.shape == (2, 3) and f2.sum().item() == pytest.approx(4.0)
    with pytest.raises(ValueError, match='1D or 2D'):
        setup_filter(torch.ones(2, 2, 2))


@pytest.mark.parametrize('up,down,pad', [
    (1, 1, (1, 2, 2, 1)),
    (2, 1, (2, 1, 2, 1)),
    (1, 2, (1, 1, 1, 1)),
    (2, 2, (1, 2, 0, 3)),
    (3, 1, (0, 0, -1, 2)),
])
@pytest.mark.parametrize('separable', [True, False])
def test_upfirdn2d_matches_direct_convolution(up, down, pad, separable):
    x = _rand(2, 3, 7, 10)
    taps = torch.tensor([1., 2., 5., 1.])
    f2d = torch.outer(taps, taps) / taps.sum()**2
    f = setup_filter(taps, separable=True) if separable else f2d
    out = upfirdn2d(x, f, up=up, down=down, padding=pad, gain=up * up)
    ref = _ref_upfirdn2d(x, f2d, up, down, pad, gain=up * up)
    assert out.shape == ref.shape
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)


def test_asymmetric_2d_filter_is_convolved_not_correlated():
    x = torch.zeros(1, 1, 5, 5)
    x[0, 0, 2, 2] = 1  # an impulse returns the kernel itself, unflipped
    f = torch.arange(9.).reshape(3, 3)
    out = upfirdn2d(x, f, padding=1)
    torch.testing.assert_close(out[0, 0, 1:4, 1:4], f)
    out = upfirdn2d(x, f, padding=1, flip_filter=True)
    torch.testing.assert_close(out[0, 0, 1:4, 1:4], f.flip([0, 1]))


def test_resampling_shapes_and_constant_signal():
    f = setup_filter([1, 3, 3, 1])
    x = torch.ones(1, 2, 8, 6)
    up = upsample2d(x, f)
    down = downsample2d(x, f)
    same = filter2d(x, f)
    assert up.shape == (1, 2, 16, 12) and down.shape == (1, 2, 4, 3)
    assert same.shape == x.shape
    # interior of a constant image stays constant (DC gain 1)
    torch.testing.assert_close(up[..., 2:-2, 2:-2], torch.ones(1, 2, 12, 8))
    torch.testing.assert_close(down[..., 1:-1, 1:-1], torch.ones(1, 2, 2, 1))


def test_upfirdn2d_errors():
    f = setup_filter([1, 3, 3, 1])
    with pytest.raises(ValueError, match=r'\[N, C, H, W\]'):
        upfirdn2d(torch.ones(3, 4, 4), f)
    with pytest.raises(ValueError, match='up must be an int'):
        upfirdn2d(torch.ones(1, 1, 4, 4), f, up=0)
    with pytest.raises(ValueError, match='padding'):
        upfirdn2d(torch.ones(1, 1, 4, 4), f, padding=[1, 2, 3])


def _ref_conv2d_resample(x, w, f2d, up, down, padding, groups, flip_weight):
    """upfirdn2d(up) -> plain conv -> upfirdn2d(down), NVIDIA paddings."""
    fw = f2d.shape[0]
    p0 = p1 = padding
    if up > 1:
        p0 += (fw + up - 1) // 2
        p1 += (fw - up) // 2
    if down > 1:
        p0 += (fw - down + 1) // 2
        p1 += (fw - down) // 2
    if up > 1:
        x = _ref_upfirdn2d(x, f2d, up, 1, (p0, p1, p0, p1), gain=up * up)
    else:
        x = F.pad(x, [p0, p1, p0, p1])
    w = w if flip_weight else w.flip([2, 3])
    x = F.conv2d(x, w, groups=groups)
    if down > 1:
        x = _ref_upfirdn2d(x, f2d, 1, down, (0, 0, 0, 0))
    return x


@pytest.mark.parametrize('up,down,k', [(1, 1, 3), (2, 1, 3), (1, 2, 3),
                                       (2, 1, 1), (1, 2, 1)])
@pytest.mark.parametrize('flip_weight', [True, False])
@pytest.mark.parametrize('groups', [1, 2])
def test_conv2d_resample_matches_reference(up, down, k, flip_weight, groups):
    x = _rand(2, 4, 6, 6, seed=1)
    w = _rand(6, 4 // groups, k, k, seed=2)
    taps = setup_filter([1, 3, 3, 1], separable=True)
    f2d = torch.outer(taps, taps)
    out = conv2d_resample(x, w, f=taps, up=up, down=down, padding=k // 2,
                          groups=groups, flip_weight=flip_weight)
    ref = _ref_conv2d_resample(x, w, f2d, up, down, k // 2, groups,
                               flip_weight)
    assert out.shape == (2, 6, 6 * up // down, 6 * up // down)
    torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)


def test_conv2d_resample_errors():
    with pytest.raises(ValueError, match='resampling filter'):
        conv2d_resample(torch.ones(1, 2, 4, 4), torch.ones(2, 2, 3, 3), up=2)
    with pytest.raises(ValueError, match='weight expects 3'):
        conv2d_resample(torch.ones(1, 2, 4, 4), torch.ones(2, 3, 3, 3))


def _ref_modconv(x, weight, styles, demodulate, up, down, f, flip_weight):
    """Per sample: scale the weight, demodulate, plain resampling conv."""
    outs = []
    for n in range(x.shape[0]):
        w = weight * styles[n].reshape(1, -1, 1, 1)
        if demodulate:
            w = w / (w.square().sum(dim=[1, 2, 3], keepdim=True) +
                     1e-8).sqrt()
        outs.append(
            conv2d_resample(x[n:n + 1], w, f=f, up=up, down=down,
                            padding=weight.shape[-1] // 2,
                            flip_weight=flip_weight))
    return torch.cat(outs)


@pytest.mark.parametrize('up,down', [(1, 1), (2, 1), (1, 2)])
@pytest.mark.parametrize('demodulate', [True, False])
@pytest.mark.parametrize('fused', [True, False])
def test_modulated_conv2d_matches_per_sample_reference(up, down, demodulate,
                                                       fused):
    x = _rand(3, 5, 8, 8, seed=3)
    weight = _rand(4, 5, 3, 3, seed=4)
    styles = _rand(3, 5, seed=5) + 1
    f = setup_filter([1, 3, 3, 1])
    flip = up == 1
    out = modulated_conv2d(x, weight, styles, up=up, down=down, padding=1,
                           resample_filter=f, demodulate=demodulate,
                           flip_weight=flip, fused_modconv=fused)
    ref = _ref_modconv(x, weight, styles, demodulate, up, down, f, flip)
    assert out.shape == (3, 4, 8 * up // down, 8 * up // down)
    torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)
    if demodulate and up == down == 1:  # unit-norm weights keep the scale
        assert 0.5 < out.std().item() < 2.0


def test_modulated_conv2d_adds_noise_and_checks_shapes():
    x = _rand(2, 3, 4, 4)
    weight = _rand(2, 3, 3, 3, seed=1)
    styles = torch.ones(2, 3)
    noise = _rand(4, 4, seed=2)
    base = modulated_conv2d(x, weight, styles, padding=1)
    for fused in (True, False):
        out = modulated_conv2d(x, weight, styles, noise=noise, padding=1,
                               fused_modconv=fused)
        torch.testing.assert_close(out - base, noise.expand_as(out),
                                   atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match=r'styles must be \[2, 3\]'):
        modulated_conv2d(x, weight, torch.ones(2, 4))
    with pytest.raises(ValueError, match=r'x must be \[N, 3, H, W\]'):
        modulated_conv2d(torch.ones(2, 5, 4, 4), weight, styles)


def test_bias_act_values():
    x = torch.tensor([[-2.0, 1.0], [3.0, -0.5]])
    b = torch.tensor([1.0, -2.0])
    out = bias_act(x, b, act='lrelu')
    ref = F.leaky_relu(x + b, 0.2) * math.sqrt(2)
    torch.testing.assert_close(out, ref)
    out = bias_act(x, b, act='lrelu', clamp=0.5)
    assert out.abs().max().item() == pytest.approx(0.5)
    torch.testing.assert_close(bias_act(x, gain=3.0), x * 3)
    with pytest.raises(ValueError, match='act must be one of'):
        bias_act(x, act='gelu')
    with pytest.raises(ValueError, match=r'bias must be \[2\]'):
        bias_act(x, torch.ones(3))


def test_normalize_2nd_moment():
    z = _rand(4, 16) * 5
    out = normalize_2nd_moment(z)
    torch.testing.assert_close(out.square().mean(dim=1), torch.ones(4))


@pytest.mark.parametrize('n,group,channels', [(8, 4, 1), (4, 4, 2),
                                              (2, 4, 1), (6, None, 1)])
def test_minibatch_stddev_matches_loop(n, group, channels):
    x = _rand(n, 4, 3, 3)
    out = minibatch_stddev(x, group, channels)
    g = n if group is None else min(group, n)
    m = n // g
    assert out.shape == (n, 4 + channels, 3, 3)
    for i in range(n):
        members = x[i % m::m]  # samples i, i +- m, ... share a group
        for c in range(channels):
            part = members[:, c * 4 // channels:(c + 1) * 4 // channels]
            std = (part.var(dim=0, unbiased=False) + 1e-8).sqrt().mean()
            torch.testing.assert_close(out[i, 4 + c],
                                       std.expand(3, 3), atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match='divisible by the minibatch'):
        MinibatchStdLayer(4)(_rand(6, 4, 2, 2))


def test_fully_connected_equalized_lr():
    fc = FullyConnected(8, 3, lr_multiplier=0.01, bias_init=1,
                        activation='lrelu')
    x = _rand(5, 8)
    w = fc.weight * 0.01 / math.sqrt(8)
    ref = F.leaky_relu(x @ w.t() + fc.bias * 0.01, 0.2) * math.sqrt(2)
    torch.testing.assert_close(fc(x), ref)
    assert fc.bias.detach().eq(1).all()
    lin = FullyConnected(8, 3)
    torch.testing.assert_close(
        lin(x), x @ (lin.weight / math.sqrt(8)).t() + lin.bias)
    with pytest.raises(ValueError, match=r'expected \[N, 8\]'):
        fc(_rand(5, 7))


def test_conv2d_layer_shapes_and_gain():
    conv = Conv2dLayer(3, 4, 3, activation='lrelu', down=2)
    x = _rand(2, 3, 8, 6)
    assert conv(x).shape == (2, 4, 4, 3)
    plain = Conv2dLayer(3, 4, 1, bias=False)
    ref = F.conv2d(x, plain.weight / math.sqrt(3))
    torch.testing.assert_close(plain(x, gain=2.0), 2 * ref)


@pytest.mark.parametrize('res', [8, 24, 2048, True, '16'])
def test_resolution_check(res):
    with pytest.raises(ValueError, match='power of two from 16 to 1024'):
        check_stylegan2_resolution(res)


def test_channel_dict():
    assert stylegan2_channels(256) == {4: 512, 8: 512, 16: 512, 32: 512,
                                       64: 512, 128: 256, 256: 128}
    assert stylegan2_channels(16, channels={'4': 8, 8: 4, 16: 2}) == \
        {4: 8, 8: 4, 16: 2}
    with pytest.raises(ValueError, match=r'missing \[16\]'):
        stylegan2_channels(16, channels={4: 8, 8: 4})
    with pytest.raises(ValueError, match='channel counts must be >= 1'):
        stylegan2_channels(32, channel_base=16)
