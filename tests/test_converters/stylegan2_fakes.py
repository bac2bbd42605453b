"""Test helpers: a small random StyleGAN2 generator and writers of fake source
checkpoints in the rosinality, NVIDIA and mmagic layouts.

The writers spell out each layout's key names independently of the
converter, from the formats' documented structure.
"""
import collections
import pickle
import sys
import types

import numpy as np
import torch

from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator

SMALL = dict(z_dim=32, w_dim=32, img_resolution=16, channel_base=256,
             channel_max=32)
RESOLUTIONS = (4, 8, 16)


def make_generator(seed=0, **kwargs):
    """Small generator with non-trivial noise strengths, biases, w_avg."""
    torch.manual_seed(seed)
    g = StyleGAN2Generator(**{**SMALL, **kwargs}).eval()
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith(('noise_strength', '.bias')):
                p.add_(torch.randn_like(p) * 0.2)
        g.mapping.w_avg.normal_()
    return g


def _layers(res):
    """(our layer name, rosinality/mmagic prefix, noise index) per conv."""
    if res == 4:
        return [('conv1', 'conv1', 0)]
    j = res.bit_length() - 4  # log2(res) - 3
    return [('conv0', f'convs.{2 * j}', 2 * j + 1),
            ('conv1', f'convs.{2 * j + 1}', 2 * j + 2)]


def _rgb_prefix(res):
    return 'to_rgb1' if res == 4 else f'to_rgbs.{res.bit_length() - 4}'


def _blur_kernel(gain):
    k = torch.tensor([1., 3., 3., 1.])
    return torch.outer(k, k) / 64 * gain


def rosinality_state(g):
    """rosinality ``g_ema`` state dict of ``g``."""
    sd = {k: v.clone() for k, v in g.state_dict().items()}
    out = {}
    for i in range(8):
        out[f'style.{i + 1}.weight'] = sd[f'mapping.fc{i}.weight']
        out[f'style.{i + 1}.bias'] = sd[f'mapping.fc{i}.bias']
    out['input.input'] = sd['synthesis.b4.const'][None]
    for res in RESOLUTIONS:
        for ours, theirs, n in _layers(res):
            p = f'synthesis.b{res}.{ours}'
            out[f'{theirs}.conv.weight'] = sd[f'{p}.weight'][None]
            out[f'{theirs}.conv.modulation.weight'] = sd[f'{p}.affine.weight']
            out[f'{theirs}.conv.modulation.bias'] = sd[f'{p}.affine.bias']
            out[f'{theirs}.noise.weight'] = sd[f'{p}.noise_strength'][None]
            out[f'{theirs}.activate.bias'] = sd[f'{p}.bias']
            out[f'noises.noise_{n}'] = sd[f'{p}.noise_const'][None, None]
            if ours == 'conv0':
                out[f'{theirs}.conv.blur.kernel'] = _blur_kernel(4)
        p, theirs = f'synthesis.b{res}.torgb', _rgb_prefix(res)
        out[f'{theirs}.conv.weight'] = sd[f'{p}.weight'][None]
        out[f'{theirs}.conv.modulation.weight'] = sd[f'{p}.affine.weight']
        out[f'{theirs}.conv.modulation.bias'] = sd[f'{p}.affine.bias']
        out[f'{theirs}.bias'] = sd[f'{p}.bias'].reshape(1, -1, 1, 1)
        if res > 4:
            out[f'{theirs}.upsample.kernel'] = _blur_kernel(4)
    return out


def mmagic_state(g):
    """mmagic ``StyleGAN2Generator`` state dict of ``g`` (no prefix)."""
    ros = rosinality_state(g)
    out = {}
    for key, value in ros.items():
        key = key.replace('style.', 'style_mapping.')
        key = key.replace('input.input', 'constant_input.input')
        key = key.replace('.conv.modulation.weight',
                          '.conv.style_modulation.linear.weight_orig')
        key = key.replace('.conv.modulation.bias',
                          '.conv.style_modulation.bias')
        key = key.replace('.conv.weight', '.conv.weight_orig')
        key = key.replace('.noise.weight', '.noise_injector.weight')
        key = key.replace('noises.noise_', 'injected_noise_')
        if key.startswith('style_mapping.') and key.endswith('.weight'):
            key = key[:-len('weight')] + 'linear.weight_orig'
        out[key] = value
    out['w_avg'] = g.mapping.w_avg.clone()
    return out


def write_rosinality(g, path, latent_avg=True, training=False):
    ckpt = {'g_ema': rosinality_state(g)}
    if latent_avg:
        ckpt['latent_avg'] = g.mapping.w_avg.clone()
    if training:  # what rosinality's train.py saves besides g_ema
        import argparse
        ckpt.update(g=rosinality_state(g), d={'convs.0.0.weight':
                                              torch.ones(1)},
                    args=argparse.Namespace(size=16, lr=0.002))
    torch.save(ckpt, path)


def write_mmagic(g, path, ema_wrapper=False, message_hub=False):
    sd = mmagic_state(g)
    prefix = 'generator_ema.module.' if ema_wrapper else 'generator_ema.'
    state = {prefix + k: v for k, v in sd.items()}
    state.update({'generator.' + k: v * 0 for k, v in sd.items()})
    if ema_wrapper:
        state['generator_ema.steps'] = torch.tensor([10])
    ckpt = {'meta': {'epoch': 1, 'iter': 10, 'mmengine': '0.10.7'},
            'state_dict': state}
    if message_hub:  # a runner checkpoint holds mmengine data classes
        from mmengine.logging import HistoryBuffer
        buf = HistoryBuffer()
        buf.update(1.5)
        ckpt['message_hub'] = {'log_scalars': {'loss': buf},
                               'runtime_info': {'lr': np.float64(0.1)}}
    torch.save(ckpt, path)


class FakeModules:
    """Fake ``torch_utils.persistence`` and ``dnnlib.util`` modules, present
    only while pickling, so that pickles refer to NVIDIA's global names."""

    def __init__(self, monkeypatch):
        persistence = types.ModuleType('torch_utils.persistence')
        dnnlib_util = types.ModuleType('dnnlib.util')

        def reconstruct(meta):
            raise AssertionError('the real reconstruct must never run')

        reconstruct.__module__ = 'torch_utils.persistence'
        reconstruct.__name__ = '_reconstruct_persistent_obj'
        reconstruct.__qualname__ = '_reconstruct_persistent_obj'
        persistence._reconstruct_persistent_obj = reconstruct

        class EasyDict(dict):
            pass

        EasyDict.__module__ = 'dnnlib.util'
        EasyDict.__qualname__ = EasyDict.__name__ = 'EasyDict'
        dnnlib_util.EasyDict = EasyDict
        self.reconstruct = reconstruct
        self.EasyDict = EasyDict
        for name, module in (('torch_utils', types.ModuleType('torch_utils')),
                             ('torch_utils.persistence', persistence),
                             ('dnnlib', types.ModuleType('dnnlib')),
                             ('dnnlib.util', dnnlib_util)):
            monkeypatch.setitem(sys.modules, name, module)


class _Persistent:
    """Pickles like an NVIDIA persistent object."""

    def __init__(self, reconstruct, meta):
        self.reconstruct = reconstruct
        self.meta = meta

    def __reduce__(self):
        return self.reconstruct, (self.meta, )


def _record(module, fakes, marker, init_kwargs=None):
    """Persistent stand-in of ``module`` with NVIDIA's buffers."""
    buffers = collections.OrderedDict(module._buffers)  # incl. 4x4 filters
    state = {
        'training': False,
        '_parameters': collections.OrderedDict(module._parameters),
        '_buffers': buffers,
        '_non_persistent_buffers_set': set(),
        '_modules': collections.OrderedDict(
            (n, _record(c, fakes, marker))
            for n, c in module._modules.items()),
        '_forward_hooks': collections.OrderedDict(),
        'weight_gain': np.float64(0.125),
        '_init_args': (),
        '_init_kwargs': fakes.EasyDict(init_kwargs or {}),
    }
    source = f'import pathlib\npathlib.Path({marker!r}).touch()\n'
    meta = dict(type='class', version=4, class_name=type(module).__name__,
                state=state, module_src=source)
    return _Persistent(fakes.reconstruct, meta)


def write_nvidia_pickle(g, path, fakes, marker, protocol=4, conv_clamp=None):
    init_kwargs = fakes.EasyDict(
        z_dim=g.z_dim, c_dim=0, w_dim=g.w_dim,
        img_resolution=g.img_resolution, img_channels=3,
        mapping_kwargs=fakes.EasyDict(num_layers=8),
        synthesis_kwargs=fakes.EasyDict(
            channel_base=256, channel_max=32, num_fp16_res=0,
            conv_clamp=conv_clamp, architecture='skip'))
    g_ema = _record(g, fakes, marker, init_kwargs)
    data = dict(G=g_ema, D=None, G_ema=g_ema, augment_pipe=None,
                training_set_kwargs=fakes.EasyDict(resolution=16))
    with open(path, 'wb') as f:
        pickle.dump(data, f, protocol=protocol)
