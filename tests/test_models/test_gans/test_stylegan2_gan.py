import copy
import math

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import load_state_dict
from tiny_gan import TINY_D, TINY_G, build_tiny, tiny_optim

from inpaint_toolbox.models.gans.stylegan2_gan import (PathLengthRegularizer,
                                                       fixed_latents)
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample


def _batch(n=4, res=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return dict(inputs=[
        torch.randint(0, 256, (3, res, res), generator=g, dtype=torch.uint8)
        for _ in range(n)
    ])


def _state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _changed(module, before):
    return sorted(k for k, v in module.state_dict().items()
                  if not torch.equal(v, before[k]))


def _real(model, seed=0):
    return model.data_preprocessor(_batch(seed=seed), True)['inputs']['img']


# ----------------------------------------------------------- construction
@pytest.mark.parametrize('overrides,error,match', [
    (dict(discriminator=dict(TINY_D, img_resolution=32)), ValueError,
     'discriminator img_resolution=32 differs'),
    (dict(generator=dict(TINY_G, c_dim=3)), ValueError,
     'only unconditional generators'),
    (dict(generator=dict(type='PatchDiscriminator')), TypeError,
     'StyleGAN2Generator is needed'),
    (dict(style_mixing_prob=1.5), ValueError, r'style_mixing_prob .*1\.5'),
    (dict(adv_loss=None), ValueError, 'adv_loss is required'),
    (dict(generator='G'), TypeError, 'generator must be a config dict'),
    (dict(train_cfg=dict(seed=-1)), ValueError, 'seed must be >= 0'),
])
def test_bad_configs_are_rejected(overrides, error, match):
    with pytest.raises(error, match=match):
        build_tiny(**overrides)


@pytest.mark.parametrize('kwargs,match', [
    (dict(loss_weight=-1), 'loss_weight'),
    (dict(interval=0), 'interval'),
    (dict(decay=0.0), 'decay'),
    (dict(batch_shrink=0), 'batch_shrink'),
])
def test_path_length_arguments_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PathLengthRegularizer(**kwargs)


# ---------------------------------------------------------------- steps
def test_discriminator_step_leaves_generator_untouched():
    model = build_tiny()
    optim = tiny_optim(model)
    g0, d0 = _state(model.generator), _state(model.discriminator)
    logs = model.train_discriminator(_real(model), optim['discriminator'],
                                     step=1, rng=model.step_generator(1))
    assert _changed(model.generator, g0) == []  # params and w_avg
    assert all(p.grad is None for p in model.generator.parameters())
    assert len(_changed(model.discriminator, d0)) > 0
    assert {'loss_d', 'loss_d_real', 'loss_d_fake'} <= set(logs)
    assert 'loss_r1' not in logs  # interval 2: not due at step 1


def test_generator_step_leaves_discriminator_untouched():
    model = build_tiny()
    optim = tiny_optim(model)
    g0, d0 = _state(model.generator), _state(model.discriminator)
    logs = model.train_generator(4, optim['generator'], step=1,
                                 rng=model.step_generator(1))
    assert _changed(model.discriminator, d0) == []
    assert all(p.grad is None for p in model.discriminator.parameters())
    # D is trainable again afterwards
    assert all(p.requires_grad for p in model.discriminator.parameters())
    changed = _changed(model.generator, g0)
    assert 'mapping.w_avg' in changed
    assert any(k.startswith('synthesis.') for k in changed)
    assert set(logs) == {'loss_g', 'loss_g_adv'}  # pl: interval 3


@pytest.mark.parametrize('step,r1_due,pl_due', [
    (0, True, True), (1, False, False), (2, True, False), (3, False, True),
])
def test_lazy_regularizers_run_on_their_intervals(step, r1_due, pl_due):
    model = build_tiny()
    optim = tiny_optim(model)
    MessageHub.get_instance(f'gan-step-{step}').update_info('iter', step)
    logs = model.train_step(_batch(), optim)
    assert ('loss_r1' in logs) == r1_due
    assert ('loss_pl' in logs) == pl_due
    assert ('pl_mean' in logs) == pl_due
    for key, value in logs.items():
        assert torch.isfinite(torch.as_tensor(value)).all(), key
    total_g = logs['loss_g_adv'] + (logs['loss_pl'] if pl_due else 0)
    torch.testing.assert_close(logs['loss_g'], total_g)


def test_real_images_must_match_the_resolution():
    model = build_tiny()
    MessageHub.get_instance('gan-res').update_info('iter', 0)
    with pytest.raises(ValueError, match=r'real images must be \[N, 3, 16, '
                       r'16\].*got \(4, 3, 32, 32\)'):
        model.train_step(_batch(res=32), tiny_optim(model))


def test_train_step_updates_ema_and_is_reproducible():
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = build_tiny()
        optim = tiny_optim(model)
        hub = MessageHub.get_instance(f'gan-repro-{len(runs)}')
        for it in range(2):
            hub.update_info('iter', it)
            model.train_step(_batch(seed=it), optim)
        runs.append(model)
    a, b = runs
    for k, v in a.state_dict().items():
        assert torch.equal(v, b.state_dict()[k]), k
    ema = a.generator_ema.module.state_dict()
    gen = a.generator.state_dict()
    assert any(not torch.equal(ema[k], gen[k]) for k in gen
               if k.startswith('synthesis.') and 'weight' in k)
    # buffers are copied, not averaged
    assert torch.equal(ema['mapping.w_avg'], gen['mapping.w_avg'])


# ------------------------------------------------------- style mixing
def test_style_mixing_replaces_codes_after_the_cutoff():
    model = build_tiny()
    gen = model.generator
    z = torch.randn(3, 16, generator=torch.Generator().manual_seed(0))
    ws = gen.mapping(z, None, update_w_avg=False)
    cutoffs = set()
    for seed in range(12):
        mixed, cutoff = model.mix_styles(gen, ws, model.step_generator(seed),
                                         prob=1.0)
        assert 1 <= cutoff < gen.num_ws
        cutoffs.add(cutoff)
        assert torch.equal(mixed[:, :cutoff], ws[:, :cutoff])
        assert not torch.allclose(mixed[:, cutoff:], ws[:, cutoff:])
        # one code up to the cutoff, another one from it on
        assert not torch.allclose(mixed[:, cutoff - 1], mixed[:, cutoff])
        # the same iteration seed gives the same mixing
        again, cutoff2 = model.mix_styles(gen, ws,
                                          model.step_generator(seed), 1.0)
        assert cutoff2 == cutoff and torch.equal(again, mixed)
    assert len(cutoffs) > 1


def test_no_style_mixing_with_probability_zero():
    model = build_tiny(style_mixing_prob=0.0)
    ws = model.generator.mapping(torch.randn(2, 16), None)
    mixed, cutoff = model.mix_styles(model.generator, ws,
                                     model.step_generator(0))
    assert cutoff == model.generator.num_ws and mixed is ws


# -------------------------------------------------------- path length
@pytest.mark.parametrize('weight,interval', [(2.0, 4), (0.5, 1)])
def test_path_length_matches_the_closed_form(weight, interval):
    """img = s * sum(ws) on every pixel: J^T y = s * sum(y) per code."""
    n, num_ws, w_dim, hw = 3, 4, 5, 6
    reg = PathLengthRegularizer(loss_weight=weight, interval=interval,
                                decay=0.01)
    ws = torch.randn(n, num_ws, w_dim, requires_grad=True)
    s = 0.7
    img = (s * ws.sum(dim=(1, 2))).view(n, 1, 1, 1).expand(n, 3, hw, hw)
    loss, lengths = reg(img, ws, generator=torch.Generator().manual_seed(5))
    noise = torch.randn((n, 3, hw, hw),
                        generator=torch.Generator().manual_seed(5)) / hw
    expected = (s * noise.flatten(1).sum(1)).abs() * math.sqrt(w_dim)
    torch.testing.assert_close(lengths, expected)
    pl_mean = 0.01 * expected.mean()
    torch.testing.assert_close(reg.pl_mean, pl_mean)
    torch.testing.assert_close(
        loss, ((expected - pl_mean)**2).mean() * weight * interval)


def test_path_length_needs_codes_with_grad():
    reg = PathLengthRegularizer()
    with pytest.raises(ValueError, match='ws must require grad'):
        reg(torch.zeros(2, 3, 4, 4), torch.zeros(2, 4, 5))
    with pytest.raises(ValueError, match=r'expected img \[N, C, H, W\]'):
        reg(torch.zeros(3, 4, 4), torch.zeros(2, 4, 5, requires_grad=True))


def test_pl_mean_is_a_saved_buffer():
    model = build_tiny()
    assert 'path_length_loss.pl_mean' in model.state_dict()


# -------------------------------------------------------------- sampling
def test_fixed_latents_match_nvidia_generate():
    z = fixed_latents([3, 7], 16)
    ref = np.random.RandomState(7).randn(16)
    np.testing.assert_allclose(z[1].numpy(), ref.astype(np.float32))
    with pytest.raises(ValueError, match=r'\[0, 2\*\*32\), got \[-1\]'):
        fixed_latents([-1], 16)
    with pytest.raises(ValueError, match='at least one seed'):
        fixed_latents([], 16)


def test_tensor_mode_and_predict_are_deterministic():
    model = build_tiny().eval()
    z = torch.randn(2, 16)
    img = model(z, mode='tensor')
    assert img.shape == (2, 3, 16, 16)
    assert torch.equal(img, model(dict(z=z), mode='tensor'))
    samples = [InpaintDataSample(metainfo=dict(sample_idx=i))
               for i in (5, 6, 5)]
    out = model.predict(dict(img=torch.zeros(3, 3, 16, 16)), samples)
    fakes = [s.fake_img for s in out]
    assert fakes[0].shape == (3, 16, 16)
    assert all(f.min() >= 0 and f.max() <= 255 for f in fakes)
    assert torch.equal(fakes[0], fakes[2])  # same sample_idx, same seed
    assert not torch.equal(fakes[0], fakes[1])
    # seed test_cfg.seed + sample_idx is the latent of sample_images
    ref = model.sample_images([5]) * 127.5 + 128
    torch.testing.assert_close(fakes[0], ref[0].clamp(0, 255), atol=1e-3,
                               rtol=0)
    # without samples: one per image of the batch
    assert len(model.predict(dict(img=torch.zeros(2, 3, 16, 16)))) == 2


@pytest.mark.parametrize('inputs,mode,match', [
    (dict(img=torch.zeros(1, 3, 16, 16)), 'tensor', 'needs latents'),
    (torch.zeros(1, 16), 'loss', 'train_step'),
    (torch.zeros(1, 8), 'tensor', r'z must be \[N, 16\]'),
])
def test_forward_errors(inputs, mode, match):
    with pytest.raises(ValueError, match=match):
        build_tiny()(inputs, mode=mode)


def test_converted_checkpoints_load_into_the_ema_generator():
    """Converted files hold ``generator_ema.<key>`` without the EMA
    wrapper's ``module.``; both mmengine's loader and torch's accept it."""
    src = MODELS.build(TINY_G)
    state = {f'generator.{k}': v for k, v in src.state_dict().items()}
    state.update({f'generator_ema.{k}': v
                  for k, v in src.state_dict().items()})
    for loader in ('mmengine', 'torch'):
        model = build_tiny()
        if loader == 'mmengine':
            load_state_dict(model, copy.copy(state), strict=False)
        else:
            model.load_state_dict(copy.copy(state), strict=False)
        for k, v in src.state_dict().items():
            assert torch.equal(model.generator_ema.module.state_dict()[k],
                               v), (loader, k)
            assert torch.equal(model.generator.state_dict()[k], v)
