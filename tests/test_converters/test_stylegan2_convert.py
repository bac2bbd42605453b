"""Round trips: our generator -> fake source checkpoint -> convert -> load
into a fresh generator -> same images."""
import os.path as osp

import pytest
import torch
from stylegan2_fakes import (FakeModules, make_generator, rosinality_state,
                             write_mmagic, write_nvidia_pickle,
                             write_rosinality)

from inpaint_toolbox.converters.stylegan2 import (build_stylegan2_generator,
                                                  convert_stylegan2,
                                                  load_stylegan2_checkpoint,
                                                  load_stylegan2_generator,
                                                  save_stylegan2_checkpoint)
from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator


def _images(g, psi=1.0):
    z = torch.randn(2, g.z_dim, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        return g(z, truncation_psi=psi, noise_mode='const')


def _convert_and_load(src, dst, **kwargs):
    ckpt = convert_stylegan2(src, **kwargs)
    save_stylegan2_checkpoint(ckpt, dst)
    loaded = load_stylegan2_checkpoint(dst)  # weights_only=True inside
    fresh = build_stylegan2_generator(loaded['meta'])
    meta = load_stylegan2_generator(dst, fresh.eval())
    return fresh, meta, loaded


def _assert_same_generator(a, b):
    torch.testing.assert_close(_images(a), _images(b), atol=1e-5, rtol=0)
    torch.testing.assert_close(_images(a, 0.6), _images(b, 0.6), atol=1e-5,
                               rtol=0)
    for key, value in a.state_dict().items():
        torch.testing.assert_close(b.state_dict()[key], value, msg=key)


def test_rosinality_round_trip(tmp_path, generator):
    src, dst = tmp_path / 'ros.pt', tmp_path / 'out.pth'
    write_rosinality(generator, src, training=True)
    fresh, meta, loaded = _convert_and_load(src, dst)
    _assert_same_generator(generator, fresh)
    assert meta['source_format'] == 'rosinality' and meta['w_avg'] == 'source'
    assert meta['channels'] == {4: 32, 8: 32, 16: 16}
    assert meta['num_ws'] == 6 and meta['conv_clamp'] is None
    state = loaded['state_dict']
    assert set(state) == {f'{p}.{k}' for p in ('generator', 'generator_ema')
                          for k in generator.state_dict()}
    assert torch.equal(state['generator.synthesis.b4.const'],
                       state['generator_ema.synthesis.b4.const'])


def test_rosinality_without_latent_avg_estimates_it(tmp_path, generator):
    src = tmp_path / 'ros.pt'
    write_rosinality(generator, src, latent_avg=False)
    ckpt = convert_stylegan2(src, w_avg_samples=2000, seed=3)
    meta = ckpt['meta']['stylegan2']
    assert meta['w_avg'].startswith('estimated: mean over 2000')
    z = torch.randn(2000, 32, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = generator.mapping(z)[:, 0].mean(0)
    torch.testing.assert_close(ckpt['state_dict']['generator_ema.mapping'
                                                  '.w_avg'], expected,
                               atol=1e-4, rtol=1e-4)
    again = convert_stylegan2(src, w_avg_samples=2000, seed=3)
    assert torch.equal(again['state_dict']['generator.mapping.w_avg'],
                       ckpt['state_dict']['generator.mapping.w_avg'])


@pytest.mark.parametrize('protocol', [2, 4])
def test_nvidia_pickle_round_trip(tmp_path, monkeypatch, generator, protocol):
    marker = tmp_path / 'module_src_ran'
    src, dst = tmp_path / 'network-snapshot.pkl', tmp_path / 'out.pth'
    with monkeypatch.context() as patch:
        write_nvidia_pickle(generator, src, FakeModules(patch), str(marker),
                            protocol=protocol, conv_clamp=256)
    assert 'torch_utils.persistence' not in __import__('sys').modules
    fresh, meta, _ = _convert_and_load(src, dst)
    assert not marker.exists()  # the embedded source was never executed
    assert meta['source_format'] == 'nvidia-ada'
    assert meta['conv_clamp'] == 256.0 and fresh.conv_clamp == 256.0
    assert fresh.synthesis.b16.conv1.conv_clamp == 256.0
    _assert_same_generator(generator, fresh)  # clamp inactive at this scale
    unclamped = build_stylegan2_generator(meta, conv_clamp=None).eval()
    with pytest.warns(UserWarning, match='conv_clamp=256.0'):
        load_stylegan2_generator(dst, unclamped)
    _assert_same_generator(generator, unclamped)


def test_nvidia_state_dict_round_trip(tmp_path, generator):
    src, dst = tmp_path / 'G_ema.pt', tmp_path / 'out.pth'
    state = dict(generator.state_dict())
    taps = torch.tensor([1., 3., 3., 1.])
    state['synthesis.b8.resample_filter'] = torch.outer(taps, taps) / 64
    torch.save({'G_ema': state}, src)
    fresh, meta, _ = _convert_and_load(src, dst, src_format='nvidia-ada')
    _assert_same_generator(generator, fresh)
    assert meta['source_format'] == 'nvidia-ada'


@pytest.mark.parametrize('ema_wrapper,message_hub', [(False, False),
                                                     (True, True)])
def test_mmagic_round_trip(tmp_path, generator, ema_wrapper, message_hub):
    src, dst = tmp_path / 'mmagic.pth', tmp_path / 'out.pth'
    write_mmagic(generator, src, ema_wrapper=ema_wrapper,
                 message_hub=message_hub)
    fresh, meta, _ = _convert_and_load(src, dst)
    _assert_same_generator(generator, fresh)  # generator_ema, not generator
    assert meta['source_format'] == 'mmagic' and meta['w_avg'] == 'source'


def test_converted_upsampling_matches_rosinality_semantics(generator):
    """rosinality upsamples with conv_transpose2d + blur (pad 1, gain 4) and
    demodulates the scaled weight; our converted conv0 gives the same."""
    import math

    import torch.nn.functional as F
    ros = rosinality_state(generator)
    x = torch.randn(2, 32, 4, 4, generator=torch.Generator().manual_seed(1))
    w = torch.randn(2, 32, generator=torch.Generator().manual_seed(2))
    noise = ros['noises.noise_1'] * ros['convs.0.noise.weight']
    style = F.linear(w, ros['convs.0.conv.modulation.weight'] /
                     math.sqrt(32), ros['convs.0.conv.modulation.bias'])
    weight = ros['convs.0.conv.weight'] / math.sqrt(32 * 9)
    weight = weight * style.view(2, 1, 32, 1, 1)
    weight = weight * (weight.square().sum([2, 3, 4]) + 1e-8).rsqrt().view(
        2, -1, 1, 1, 1)
    weight = weight.transpose(1, 2).reshape(2 * 32, 32, 3, 3)
    out = F.conv_transpose2d(x.reshape(1, 64, 4, 4), weight, stride=2,
                             groups=2).reshape(2, 32, 9, 9)
    blur = ros['convs.0.conv.blur.kernel'].flip([0, 1])
    out = F.conv2d(F.pad(out, [1, 1, 1, 1]).reshape(64, 1, 11, 11),
                   blur[None, None]).reshape(2, 32, 8, 8)
    out = F.leaky_relu(out + noise + ros['convs.0.activate.bias'].view(
        1, -1, 1, 1), 0.2) * math.sqrt(2)
    with torch.no_grad():
        ours = generator.synthesis.b8.conv0(x, w, noise_mode='const')
    torch.testing.assert_close(ours, out, atol=1e-5, rtol=1e-4)


def test_unknown_layout_lists_keys(tmp_path):
    src = tmp_path / 'other.pth'
    torch.save({'encoder.weight': torch.ones(2),
                'decoder.bias': torch.ones(1)}, src)
    with pytest.raises(ValueError, match=r"unknown StyleGAN2.*'encoder"
                       r".weight'.*rosinality"):
        convert_stylegan2(src)
    torch.save({'misc': 1}, src)
    with pytest.raises(ValueError, match=r"found keys \['misc'\]"):
        convert_stylegan2(src)


def test_wrong_format_and_bad_files(tmp_path, generator):
    src = tmp_path / 'ros.pt'
    write_rosinality(generator, src)
    with pytest.raises(ValueError, match="looks like a 'rosinality'"):
        convert_stylegan2(src, src_format='mmagic')
    with pytest.raises(ValueError, match='src_format must be one of'):
        convert_stylegan2(src, src_format='tf')
    with pytest.raises(FileNotFoundError, match='missing.pt'):
        convert_stylegan2(tmp_path / 'missing.pt')
    broken = rosinality_state(generator)
    del broken['convs.1.activate.bias']
    torch.save({'g_ema': broken}, src)
    with pytest.raises(ValueError, match="missing 'convs.1.activate.bias'"):
        convert_stylegan2(src)
    broken = rosinality_state(generator)
    broken['convs.0.conv.blur.kernel'] = torch.ones(3, 3)
    torch.save({'g_ema': broken}, src)
    with pytest.raises(ValueError, match=r'not the \[1, 3, 3, 1\] FIR'):
        convert_stylegan2(src)


@pytest.mark.parametrize('change,what', [
    (dict(img_resolution=32), 'img_resolution'),
    (dict(channel_max=16), 'channels'),
    (dict(z_dim=16), 'z_dim'),
])
def test_load_into_mismatched_generator(tmp_path, generator, change, what):
    src, dst = tmp_path / 'ros.pt', tmp_path / 'out.pth'
    write_rosinality(generator, src)
    save_stylegan2_checkpoint(convert_stylegan2(src), dst)
    other = StyleGAN2Generator(**{**dict(
        z_dim=32, w_dim=32, img_resolution=16, channel_base=256,
        channel_max=32), **change})
    with pytest.raises(ValueError, match=f'{what}.*differ.*checkpoint has.*'
                       f'generator expects'):
        load_stylegan2_generator(dst, other)
    with pytest.raises(ValueError, match="no 'teacher.' weights"):
        load_stylegan2_generator(dst, make_generator(), prefix='teacher')


def test_load_rejects_unconverted_file(tmp_path, generator):
    path = tmp_path / 'plain.pth'
    torch.save(generator.state_dict(), path)
    with pytest.raises(ValueError, match='not a converted StyleGAN2'):
        load_stylegan2_generator(path, generator)
    with pytest.raises(FileNotFoundError):
        load_stylegan2_generator(osp.join(tmp_path, 'nope.pth'), generator)
