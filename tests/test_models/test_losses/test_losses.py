import pytest
import torch

from inpaint_toolbox.models.losses import (FeatureMatchingLoss, MaskedL1Loss,
                                           MaskedMSELoss, NonSaturatingGANLoss,
                                           PerceptualLoss, R1Penalty)


def test_masked_l1_weights_regions():
    pred = torch.zeros(1, 3, 4, 4)
    gt = torch.ones(1, 3, 4, 4)
    mask = torch.zeros(1, 1, 4, 4)
    mask[..., :2, :] = 1  # half hole
    assert MaskedL1Loss(1.0, 0.0)(pred, gt, mask).item() == pytest.approx(0.5)
    assert MaskedL1Loss(0.0, 2.0)(pred, gt, mask).item() == pytest.approx(1.0)
    with pytest.raises(ValueError, match='shape'):
        MaskedL1Loss()(pred, gt[:, :2], mask)


def test_masked_mse_squares_the_error_per_region():
    pred = torch.zeros(1, 3, 4, 4)
    gt = torch.full((1, 3, 4, 4), 2.0)
    gt[..., 2:, :] = 0.5
    mask = torch.zeros(1, 1, 4, 4)
    mask[..., :2, :] = 1  # hole rows have error 2, known rows 0.5
    # hole only: mean over all elements of 4 * 1 on half of them
    assert MaskedMSELoss(0.0, 1.0)(pred, gt, mask).item() == \
        pytest.approx(2.0)
    assert MaskedMSELoss(1.0, 0.0)(pred, gt, mask).item() == \
        pytest.approx(0.125)
    # the gradient grows with the error (L1's does not)
    pred = torch.tensor([[[[0.0, 1.5]]]], requires_grad=True)
    target = torch.full((1, 1, 1, 2), 2.0)
    MaskedMSELoss(0.0, 1.0)(pred, target, torch.ones(1, 1, 1, 2)).backward()
    assert pred.grad[0, 0, 0, 0] == pytest.approx(4 * pred.grad[0, 0, 0, 1])
    with pytest.raises(ValueError, match='shape'):
        MaskedMSELoss()(pred, target[..., :1], torch.ones(1, 1, 1, 2))


def test_non_saturating_loss_values():
    loss = NonSaturatingGANLoss()
    logits = torch.tensor([0.0, 2.0])
    expected_real = torch.nn.functional.softplus(-logits).mean()
    torch.testing.assert_close(loss(logits, True), expected_real)
    torch.testing.assert_close(
        loss(logits, False), torch.nn.functional.softplus(logits).mean())


def test_r1_penalty_matches_analytic_gradient():
    # D(x) = sum(w * x): grad = w, penalty = gamma / 2 * |w|^2 * interval
    w = torch.randn(1, 3, 5, 5)
    x = torch.randn(2, 3, 5, 5, requires_grad=True)
    logits = (x * w).flatten(1).sum(1)
    r1 = R1Penalty(gamma=2.0, interval=4)
    expected = 0.5 * 2.0 * w.pow(2).sum() * 4
    torch.testing.assert_close(r1(logits, x), expected)
    assert r1.is_due(0) and not r1.is_due(1) and r1.is_due(8)


def test_feature_matching_is_mean_l1_and_blocks_real_grads():
    fake = [torch.ones(1, 2, 3, 3, requires_grad=True), torch.zeros(1, 4)]
    real = [torch.zeros(1, 2, 3, 3, requires_grad=True), torch.ones(1, 4)]
    loss = FeatureMatchingLoss()(fake, real)
    assert loss.item() == pytest.approx(1.0)
    loss.backward()
    assert real[0].grad is None and fake[0].grad is not None


def test_perceptual_loss_disabled_without_weights_and_random_on_request():
    off = PerceptualLoss(vgg_weights=None)
    assert not off.enabled
    x = torch.rand(1, 3, 16, 16) * 2 - 1
    assert off(x, x).item() == 0.0
    on = PerceptualLoss(
        allow_random=True, layer_weights={'relu1_1': 1.0, 'relu2_1': 1.0})
    assert on(x, x).item() == pytest.approx(0.0, abs=1e-6)
    assert on(x, -x).item() > 0
    with pytest.raises(FileNotFoundError, match='vgg19'):
        PerceptualLoss(vgg_weights='/nonexistent/vgg19.pth')


def test_perceptual_loss_loads_torchvision_layout(tmp_path):
    from inpaint_toolbox.models.layers.vgg import VGG19Features
    src = VGG19Features(['relu2_1'])
    state = {f'features.{k}': v for k, v in src.features.state_dict().items()}
    state['classifier.0.weight'] = torch.zeros(2, 2)
    path = tmp_path / 'vgg19.pth'
    torch.save(state, path)
    loaded = VGG19Features(['relu2_1'], weights=str(path))
    x = torch.rand(1, 3, 8, 8)
    torch.testing.assert_close(loaded(x)['relu2_1'], src(x)['relu2_1'])
