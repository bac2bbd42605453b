"""StyleGAN2 residual discriminator."""
import pytest
import torch

from inpaint_toolbox.models.discriminators.stylegan2_discriminator import \
    StyleGAN2Discriminator
from inpaint_toolbox.registry import MODELS

SMALL = dict(img_resolution=16, channel_base=256, channel_max=32)


def _img(n, res=16, seed=0):
    return torch.randn(n, 3, res, res,
                       generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize('res,n', [(16, 4), (32, 8), (16, 2)])
def test_logits_shape_and_blocks(res, n):
    torch.manual_seed(0)
    d = StyleGAN2Discriminator(res, channel_base=256, channel_max=32)
    out = d(_img(n, res))
    assert out.shape == (n, 1) and torch.isfinite(out).all()
    assert d.block_resolutions == [r for r in (32, 16, 8) if r <= res]
    keys = set(d.state_dict())
    assert f'b{res}.fromrgb.weight' in keys and 'b4.out.weight' in keys
    assert 'b8.skip.weight' in keys and 'b8.skip.bias' not in keys


def test_minibatch_stddev_couples_samples():
    torch.manual_seed(0)
    d = StyleGAN2Discriminator(**SMALL).eval()
    imgs = _img(4)
    changed = imgs.clone()
    changed[3] = -changed[3] * 3
    a, b = d(imgs), d(changed)
    # sample 0 shares its stddev group with sample 3 (G = 4)
    assert not torch.allclose(a[0], b[0])
    torch.manual_seed(0)
    d0 = StyleGAN2Discriminator(**SMALL, mbstd_num_channels=0).eval()
    torch.testing.assert_close(d0(imgs)[:3], d0(changed)[:3])


def test_r1_double_backward():
    torch.manual_seed(0)
    d = StyleGAN2Discriminator(**SMALL)
    real = _img(4).requires_grad_(True)
    grad, = torch.autograd.grad(d(real).sum(), real, create_graph=True)
    grad.square().sum().backward()
    assert d.b16.fromrgb.weight.grad.abs().sum() > 0


def test_errors_and_registry():
    d = MODELS.build(dict(type='StyleGAN2Discriminator', **SMALL))
    with pytest.raises(ValueError, match=r'img must be \[N, 3, 16, 16\]'):
        d(_img(4, 32))
    with pytest.raises(ValueError, match='divisible by the minibatch'):
        d(_img(6))
    with pytest.raises(ValueError, match='power of two'):
        StyleGAN2Discriminator(20)
