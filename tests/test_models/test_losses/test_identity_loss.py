"""IdentityLoss: TorchScript and state-dict networks, value, errors."""
import pytest
import torch
import torch.nn as nn

from inpaint_toolbox.models.losses import IdentityLoss
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.utils import register_all_modules

register_all_modules()


class _Embed(nn.Module):

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, 2, 1)

    def forward(self, x):
        return self.conv(x).mean(dim=(2, 3))


@pytest.fixture
def script_path(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / 'face_net.pt'
    torch.jit.save(torch.jit.script(_Embed()), str(path))
    return str(path)


@pytest.mark.parametrize('crop', [None, (0.1, 0.9, 0.2, 0.8)])
def test_torchscript_loss_values(script_path, crop):
    loss = IdentityLoss(script_path, input_size=16, crop=crop)
    torch.manual_seed(1)
    x = torch.rand(2, 3, 24, 24) * 2 - 1
    assert loss(x, x).abs() < 1e-6
    pred = (-x).requires_grad_(True)
    value = loss(pred, x)
    assert 0 < value <= 2
    value.backward()
    assert pred.grad.abs().sum() > 0
    assert all(not p.requires_grad for p in loss.net.parameters())
    loss.train()
    assert not loss.net.training


def test_state_dict_with_registered_backbone(tmp_path):
    backbone = dict(
        type='StyleGAN2Discriminator', img_resolution=16, channel_max=16)
    torch.manual_seed(0)
    net = MODELS.build(backbone)
    path = tmp_path / 'face_net.pth'
    torch.save(
        {'state_dict': {
            'net.' + k: v
            for k, v in net.state_dict().items()
        }}, path)
    loss = IdentityLoss(
        str(path), backbone=backbone, input_size=16, state_dict_prefix='net.')
    x = torch.rand(4, 3, 16, 16) * 2 - 1
    assert torch.allclose(loss.embed(x), net.eval()(x).flatten(1))
    with pytest.raises(ValueError, match='does not fit'):
        IdentityLoss(str(path), backbone=backbone, input_size=16)


def test_missing_and_wrong_files(tmp_path, script_path):
    missing = str(tmp_path / 'nope.pt')
    with pytest.raises(FileNotFoundError, match='nope.pt'):
        IdentityLoss(missing)
    bad = tmp_path / 'plain.pth'
    torch.save({'w': torch.zeros(1)}, bad)
    with pytest.raises(ValueError, match='not a TorchScript file'):
        IdentityLoss(str(bad))
    with pytest.raises(ValueError, match='crop'):
        IdentityLoss(script_path, crop=(0.5, 0.4, 0, 1))
