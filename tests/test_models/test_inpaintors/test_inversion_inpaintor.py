"""InversionInpaintor on a tiny random StyleGAN2: loading the generator,
both training stages, diverse and deterministic inference, edits."""
import copy

import pytest
import torch
from tiny_inversion import (RES, SKIP, build_tiny, make_batch, run_predict,
                            save_generator, tiny_optim)

from inpaint_toolbox.models.editors import LatentDirection, save_direction


@pytest.fixture
def gen_path(tmp_path):
    path = tmp_path / 'tiny_g.pth'
    save_generator(path)
    return path


def _generator_state(model):
    return {k: v.clone() for k, v in model.generator.state_dict().items()}


@pytest.mark.parametrize('layout', ['training', 'converted'])
def test_generator_loads_from_both_layouts(tmp_path, layout):
    path = tmp_path / f'{layout}.pth'
    ref = save_generator(path, layout=layout, seed=3)
    model = build_tiny(path)
    assert not bool(model.generator_loaded)
    model.init_weights()
    assert bool(model.generator_loaded)
    for k, v in ref.state_dict().items():
        assert torch.equal(model.generator.state_dict()[k], v), k


@pytest.mark.parametrize('layout', ['training', 'converted'])
def test_generator_resolution_mismatch_is_a_clear_error(tmp_path, layout):
    path = tmp_path / 'g32.pth'
    save_generator(path, resolution=32, layout=layout)
    model = build_tiny(path)
    with pytest.raises(ValueError, match=r'resolution 32.*configured for 16'):
        model.init_weights()


def test_missing_generator_file_and_config_mismatch(tmp_path):
    model = build_tiny(tmp_path / 'missing.pth')
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        model.train_step(make_batch(), tiny_optim(model))
    with pytest.raises(ValueError, match='encoder.resolution=32'):
        build_tiny(None, encoder=dict(resolution=32))
    with pytest.raises(ValueError, match='encoder.w_dim=8'):
        build_tiny(None, encoder=dict(w_dim=8))


def test_trained_model_does_not_reread_the_generator_file(tmp_path, gen_path):
    model = build_tiny(gen_path)
    model.init_weights()
    state = copy.deepcopy(model.state_dict())
    fresh = build_tiny(tmp_path / 'gone.pth')
    fresh.load_state_dict(state)
    fresh.init_weights()  # no FileNotFoundError: the weights came along
    batch = make_batch(2)
    a = run_predict(model.eval(), batch)[0].output
    b = run_predict(fresh.eval(), batch)[0].output
    assert torch.equal(a, b)


def test_stage1_generator_gets_no_gradient(gen_path):
    model = build_tiny(gen_path)
    model.init_weights()
    before = _generator_state(model)
    optim = tiny_optim(model)
    model.train()
    inv_before = [p.clone() for p in model.inverter.parameters()]
    for _ in range(2):
        logs = model.train_step(make_batch(), optim)
    assert not model.generator.training
    for p in model.generator.parameters():
        assert not p.requires_grad and p.grad is None
    for k, v in _generator_state(model).items():
        assert torch.equal(v, before[k]), k  # w_avg too
    assert any(not torch.equal(a, b)
               for a, b in zip(inv_before, model.inverter.parameters()))
    assert torch.isfinite(logs['loss_inv'])


@pytest.mark.parametrize('p', [0.0, 1.0])
def test_both_stage1_branches(gen_path, p):
    model = build_tiny(gen_path, train_cfg=dict(true_code_prob=p))
    model.init_weights()
    mask = make_batch()['data_samples'][0].mask.float()[None].repeat(
        4, 1, 1, 1)
    out = model.forward_train(mask, model.step_generator(0))
    assert out['use_true'].all() if p == 1 else not out['use_true'].any()
    # full-image loss region for the true code, known region otherwise
    expected = torch.ones_like(mask) if p == 1 else 1 - mask
    assert torch.equal(out['region'], expected)
    assert out['pred'].shape == out['x'].shape == (4, 3, RES, RES)
    logs = model.train_step(make_batch(), tiny_optim(model))
    assert float(logs['true_code_frac']) == p
    for key in ('loss_pixel', 'loss_g_adv', 'loss_d', 'loss_inv'):
        assert torch.isfinite(logs[key]), key
    # the adversarial term judges random-code samples only
    assert (float(logs['loss_g_adv'].detach()) > 0) == (p == 0)


def test_stage2_starts_as_stage1_and_trains_the_skip_path(gen_path):
    stage1 = build_tiny(gen_path)
    stage1.init_weights()
    stage2 = build_tiny(gen_path, skip_fusion=SKIP)
    missing, _ = stage2.load_state_dict(stage1.state_dict(), strict=False)
    assert missing and all('skip_fusion' in k for k in missing)
    batch = make_batch(2)
    assert torch.equal(
        run_predict(stage1.eval(), batch)[0].output,
        run_predict(stage2.eval(), batch)[0].output)
    skip_before = [p.clone() for p in stage2.skip_fusion.parameters()]
    gen_before = _generator_state(stage2)
    stage2.train()
    optim = tiny_optim(stage2)
    # step 1 moves the zero-initialized output convs, step 2 reaches the
    # layers before them
    for _ in range(2):
        logs = stage2.train_step(make_batch(), optim)
        assert torch.isfinite(logs['loss_inv'])
    changed = [
        not torch.equal(a, b)
        for a, b in zip(skip_before, stage2.skip_fusion.parameters())
    ]
    assert all(changed)
    for k, v in _generator_state(stage2).items():
        assert torch.equal(v, gen_before[k]), k


@pytest.mark.parametrize('size', [(RES, RES), (20, 12), (9, 30)])
def test_predict_shapes_diversity_and_determinism(gen_path, size):
    model = build_tiny(gen_path)
    model.init_weights()
    model.eval()
    batch = make_batch(2, size)
    out = run_predict(model, batch, num_samples=3, seed=7)
    for sample in out:
        assert sample.outputs.shape == sample.pred_imgs.shape == (3, 3, *size)
        assert torch.equal(sample.output, sample.outputs[0])
        assert torch.equal(sample.pred_img, sample.pred_imgs[0])
        assert 0 <= sample.outputs.min() and sample.outputs.max() <= 255
        hole = sample.mask.bool().expand(3, -1, -1)
        gt = sample.gt_img.float()
        for comp in sample.outputs:  # known pixels kept exactly
            assert torch.equal(comp[~hole], gt[~hole])
        # different seeds, different fillings
        diff = (sample.outputs[0] - sample.outputs[1]).abs()
        assert diff[hole].mean() > 1e-3
    again = run_predict(model, batch, num_samples=3, seed=7)
    assert torch.equal(again[1].outputs, out[1].outputs)
    # sample k uses seed + k, whatever num_samples is
    single = run_predict(model, batch, num_samples=1, seed=8)
    assert torch.equal(single[0].outputs[0], out[0].outputs[1])


def test_predict_uses_test_seed_and_rejects_bad_arguments(gen_path):
    model = build_tiny(gen_path, test_cfg=dict(seed=5, num_samples=2))
    model.init_weights()
    model.eval()
    batch = make_batch(1)
    default = run_predict(model, batch)[0]
    assert default.outputs.shape[0] == 2 and default.seed == 5
    assert torch.equal(default.outputs,
                       run_predict(model, batch, seed=5)[0].outputs)
    with pytest.raises(ValueError, match='scale=1'):
        run_predict(model, batch, scale=2.0)
    with pytest.raises(ValueError, match='num_samples'):
        run_predict(model, batch, num_samples=0)


def test_edits(tmp_path, gen_path):
    direction = LatentDirection(torch.ones(16), layers=(0, 3), name='smile')
    path = tmp_path / 'smile.pth'
    save_direction(path, direction)
    model = build_tiny(gen_path, directions=dict(smile=str(path)))
    model.init_weights()
    model.eval()
    batch = make_batch(1)
    plain = run_predict(model, batch, seed=3)[0]
    zero = run_predict(model, batch, seed=3, edits=dict(smile=0.0))[0]
    edited = run_predict(model, batch, seed=3, edits=dict(smile=3.0))[0]
    assert torch.equal(plain.pred_img, zero.pred_img)
    assert not torch.allclose(plain.pred_img, edited.pred_img)
    with pytest.raises(ValueError, match=r"frown.*available: \['smile'\]"):
        run_predict(model, batch, edits=dict(frown=1.0))
