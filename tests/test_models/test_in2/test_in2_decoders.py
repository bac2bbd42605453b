"""Implicit pyramid decoder and its convolutional ablation."""
import pytest
import torch

from inpaint_toolbox.models.decoders import (ConvUpsampleDecoder,
                                             ImplicitPyramidDecoder)
from inpaint_toolbox.registry import MODELS

IN_CHANNELS = (8, 12, 16, 24)


def _feats(h=16, w=24, batch=2):
    return [
        torch.randn(batch, c, h // 2**i, w // 2**i)
        for i, c in enumerate(IN_CHANNELS)
    ]


def _implicit(**kwargs):
    cfg = dict(type='ImplicitPyramidDecoder', in_channels=IN_CHANNELS,
               level_channels=(12, 8, 4), num_frequencies=2)
    cfg.update(kwargs)
    return MODELS.build(cfg)


@pytest.mark.parametrize('out_size', [(16, 24), (15, 23), (32, 48), (47, 61),
                                      (5, 3)])
@pytest.mark.parametrize('decoder_type', ['implicit', 'conv'])
def test_any_output_size(out_size, decoder_type):
    if decoder_type == 'implicit':
        dec = _implicit()
    else:
        dec = MODELS.build(
            dict(type='ConvUpsampleDecoder', in_channels=IN_CHANNELS,
                 level_channels=(12, 8, 4)))
    out = dec(_feats(), out_size)
    assert out.shape == (2, 3, *out_size)
    assert out.abs().max() <= 1  # tanh


def test_implicit_skips_follow_strides():
    dec = _implicit(level_strides=(4, 2, 1))
    assert isinstance(dec, ImplicitPyramidDecoder)
    assert dec.skip_index == [2, 1, 0]
    dec = _implicit(level_strides=(8, 3, 1), use_skips=True)
    assert dec.skip_index == [None, None, 0]  # stride 8 is the latent itself
    dec = _implicit(use_skips=False)
    assert dec.skip_index == [None, None, None]
    assert dec(_feats(), (9, 10)).shape == (2, 3, 9, 10)


def test_implicit_skips_reach_the_output():
    """Changing a skip feature changes the output (and only via skips)."""
    torch.manual_seed(0)
    dec = _implicit()
    feats = _feats()
    out = dec(feats, (16, 24))
    feats[0] = feats[0] + 1
    assert not torch.allclose(dec(feats, (16, 24)), out)


def test_implicit_unconstrained_output_and_gradients():
    dec = _implicit(out_act=None)
    feats = [f.requires_grad_() for f in _feats()]
    out = dec(feats, (33, 50))
    out.square().mean().backward()
    for name, p in dec.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    assert all(f.grad is not None for f in feats)


def test_conv_decoder_resizes_only_at_the_end():
    torch.manual_seed(0)
    dec = ConvUpsampleDecoder(IN_CHANNELS, (12, 8, 4))
    feats = _feats()
    base = dec(feats, (16, 24))
    up = dec(feats, (32, 48))
    expected = torch.nn.functional.interpolate(
        base, size=(32, 48), mode='bilinear', align_corners=False)
    assert torch.allclose(up, expected, atol=1e-6)


@pytest.mark.parametrize('kwargs,match', [
    (dict(level_strides=(2, 4, 1)), 'decreasing'),
    (dict(level_strides=(4, 2)), 'end with 1'),
    (dict(out_act='sigmoid'), 'out_act'),
    (dict(hidden_channels=(4, 4)), 'hidden_channels needs 3'),
])
def test_implicit_rejects_bad_config(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _implicit(**kwargs)


def test_bad_forward_inputs():
    dec = _implicit()
    with pytest.raises(ValueError, match='list of 4'):
        dec(_feats()[:3], (8, 8))
    bad = _feats()
    bad[1] = bad[1][:, :5]
    with pytest.raises(ValueError, match=r'feats\[1\]'):
        dec(bad, (8, 8))
    with pytest.raises(ValueError, match='positive'):
        dec(_feats(), (0, 8))
    with pytest.raises(ValueError, match='out_size'):
        dec(_feats(), 8)
    with pytest.raises(ValueError, match='one per encoder'):
        ConvUpsampleDecoder(IN_CHANNELS, (8, 4))
