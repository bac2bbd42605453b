import copy

import pytest
import torch
from mmengine.logging import MessageHub

from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

TINY = dict(
    type='OneStageInpaintor',
    generator=dict(type='ConvEncoderDecoder', base_channels=8,
                   num_downsamples=2, num_res_blocks=1),
    discriminator=dict(type='PatchDiscriminator', base_channels=8,
                       num_layers=2),
    pixel_loss=dict(type='MaskedL1Loss', weight_known=10.0, weight_hole=1.0),
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=0.1),
    r1_loss=dict(type='R1Penalty', gamma=0.01, interval=2),
    feature_matching_loss=dict(type='FeatureMatchingLoss', loss_weight=1.0),
    perceptual_loss=dict(type='PerceptualLoss', allow_random=True,
                         layer_weights={'relu1_1': 1.0}),
    ema=dict(momentum=0.5),
)


def _batch(shapes, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs, samples = [], []
    for h, w in shapes:
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        mask = torch.zeros(1, h, w, dtype=torch.uint8)
        mask[:, h // 3:2 * h // 3, w // 4:3 * w // 4] = 1
        s = InpaintDataSample(gt_img=img, mask=mask)
        imgs.append(img)
        samples.append(s)
    return dict(inputs=imgs, data_samples=samples)


def _optim(model):
    return MultiOptimWrapperConstructor(
        dict(generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
             discriminator=dict(optimizer=dict(type='Adam', lr=1e-3))))(model)


def test_train_step_updates_both_networks_and_ema():
    # lazy R1 follows the runner's iteration, kept in the message hub
    hub = MessageHub.get_current_instance()
    hub.update_info('iter', 0)
    model = MODELS.build(TINY)
    optim = _optim(model)
    g0 = copy.deepcopy(model.generator.state_dict())
    d0 = copy.deepcopy(model.discriminator.state_dict())
    ema0 = copy.deepcopy(model.generator_ema.module.state_dict())
    logs = model.train_step(_batch([(36, 52)] * 2), optim)
    for key in ('loss_g', 'loss_d', 'loss_pixel', 'loss_g_adv', 'loss_fm',
                'loss_perceptual', 'loss_d_real', 'loss_d_fake', 'loss_r1'):
        assert key in logs, key
        assert torch.isfinite(torch.as_tensor(logs[key])), key
    changed = [k for k, v in model.generator.state_dict().items()
               if v.dtype.is_floating_point and not torch.equal(v, g0[k])]
    assert len(changed) > 0
    assert any(not torch.equal(v, d0[k])
               for k, v in model.discriminator.state_dict().items()
               if v.dtype.is_floating_point)
    assert any(not torch.equal(v, ema0[k])
               for k, v in model.generator_ema.module.state_dict().items()
               if v.dtype.is_floating_point)
    # the discriminator is trainable again after the generator step
    assert all(p.requires_grad for p in model.discriminator.parameters())
    # lazy R1 (interval 2): not due at the next step
    hub.update_info('iter', 1)
    logs = model.train_step(_batch([(36, 52)] * 2, seed=1), optim)
    assert 'loss_r1' not in logs


def test_predict_keeps_known_pixels_for_odd_sizes():
    model = MODELS.build(TINY).eval()
    data = model.data_preprocessor(_batch([(37, 53), (30, 41)]), False)
    out = model.predict(data['inputs'], data['data_samples'])
    for s in out:
        h, w = s.gt_img.shape[-2:]
        assert s.output.shape == (3, h, w) and s.pred_img.shape == (3, h, w)
        known = s.mask.expand(3, -1, -1) == 0
        torch.testing.assert_close(s.output[known], s.gt_img.float()[known])
        assert s.output.min() >= 0 and s.output.max() <= 255


def test_losses_needing_a_discriminator_are_rejected():
    cfg = dict(TINY, discriminator=None)
    with pytest.raises(ValueError, match='need a discriminator'):
        MODELS.build(cfg)


def test_optim_constructor_rejects_unknown_submodule():
    model = MODELS.build(TINY)
    ctor = MultiOptimWrapperConstructor(
        dict(decoder=dict(optimizer=dict(type='Adam', lr=1e-3))))
    with pytest.raises(ValueError, match='no sub-module'):
        ctor(model)


def test_scale_two_training_targets_full_resolution():
    model = MODELS.build(TINY)
    optim = _optim(model)
    data = _batch([(64, 96)] * 2)
    for s in data['data_samples']:
        s.lq_img = s.gt_img[:, ::2, ::2].clone()
        s.mask = s.mask[:, ::2, ::2].clone()
        s.set_metainfo(dict(scale=2.0))
    logs = model.train_step(data, optim)
    assert torch.isfinite(torch.as_tensor(logs['loss_g']))
    model.eval()
    pre = model.data_preprocessor(data, False)
    out = model.predict(pre['inputs'], pre['data_samples'])
    assert out[0].output.shape == (3, 64, 96)


def test_gradient_accumulation_goes_through_the_wrappers():
    MessageHub.get_current_instance().update_info('iter', 1)
    model = MODELS.build(dict(TINY, r1_loss=None))
    optim = MultiOptimWrapperConstructor(
        dict(generator=dict(optimizer=dict(type='Adam', lr=1e-3),
                            accumulative_counts=2),
             discriminator=dict(optimizer=dict(type='Adam', lr=1e-3),
                                accumulative_counts=2)))(model)
    for wrapper in optim.values():
        wrapper.initialize_count_status(model, 0, 4)
    g0 = copy.deepcopy(model.generator.state_dict())
    model.train_step(_batch([(32, 32)] * 2), optim)
    # first of two accumulated steps: gradients kept, weights unchanged
    assert all(torch.equal(v, g0[k])
               for k, v in model.generator.state_dict().items()
               if v.dtype.is_floating_point and 'running' not in k)
    assert any(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.generator.parameters())
    model.train_step(_batch([(32, 32)] * 2, seed=1), optim)
    assert any(not torch.equal(v, g0[k])
               for k, v in model.generator.state_dict().items()
               if v.dtype.is_floating_point)
