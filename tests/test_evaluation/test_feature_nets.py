"""FID Inception and LPIPS networks: weight files, errors, LPIPS form."""
import pytest
import torch

from inpaint_toolbox.evaluation.feature_nets import (ALEXNET, FID_INCEPTION,
                                                     LPIPS_LIN_ALEX,
                                                     LPIPS_LIN_VGG, VGG16,
                                                     FIDInceptionV3,
                                                     LPIPSBackbone, LPIPSNet)


@pytest.fixture(scope='module')
def inception():
    return FIDInceptionV3(random_init=True, seed=0)


def _perturb_norm_stats(state, seed):
    """Non-trivial BatchNorm statistics, so loading them is checked."""
    gen = torch.Generator().manual_seed(seed)
    for key, value in state.items():
        if key.endswith(('running_var', 'bn.weight')):
            value.copy_(torch.rand(value.shape, generator=gen) + 0.5)
        elif key.endswith(('running_mean', 'bn.bias')):
            value.copy_(torch.randn(value.shape, generator=gen) * 0.1)
    return state


def test_inception_public_key_names(inception):
    keys = set(inception.state_dict())
    for key in ('Conv2d_1a_3x3.conv.weight', 'Conv2d_4a_3x3.bn.running_var',
                'Mixed_5b.branch_pool.conv.weight',
                'Mixed_6e.branch7x7dbl_5.bn.bias',
                'Mixed_7a.branch7x7x3_4.conv.weight',
                'Mixed_7c.branch3x3dbl_3b.conv.weight'):
        assert key in keys
    assert not any(k.startswith(('fc.', 'AuxLogits')) for k in keys)
    # torchvision's Inception-v3 without the aux head and classifier.
    assert sum(p.numel() for p in inception.parameters()) == 21785568


def test_inception_file_round_trip(inception, tmp_path):
    state = _perturb_norm_stats(
        {
            k: v.clone()
            for k, v in inception.state_dict().items()
            if not k.endswith('num_batches_tracked')
        },
        seed=1)
    state['fc.weight'] = torch.zeros(1008, 2048)  # the file's classifier
    state['fc.bias'] = torch.zeros(1008)
    path = tmp_path / FID_INCEPTION.filename
    torch.save(state, path)
    loaded = FIDInceptionV3(str(path))
    inception.load_state_dict(state, strict=False)
    x = torch.rand(1, 3, 37, 52)  # any size: resized to 299 inside
    with torch.no_grad():
        feats = loaded(x)
        expected = inception(x)
    assert feats.shape == (1, 2048)
    assert torch.equal(feats, expected)
    assert feats.std() > 0


@pytest.mark.parametrize('state,message', [
    ({
        'fc.weight': torch.zeros(1000, 2048)
    }, 'not the FID'),
    ({
        'Conv2d_1a_3x3.conv.weight': torch.zeros(32, 3, 3, 3)
    }, 'missing keys'),
    ({
        'AuxLogits.fc.weight': torch.zeros(1)
    }, 'unexpected keys'),
    ({
        'Conv2d_1a_3x3.conv.weight': torch.zeros(32, 3, 5, 5)
    }, r'shape mismatches \[.Conv2d_1a_3x3.conv.weight: file \(32, 3, 5, 5\)'),
])
def test_inception_rejects_other_files(inception, tmp_path, state, message):
    path = tmp_path / 'other.pth'
    torch.save(state, path)
    with pytest.raises(ValueError, match=message) as err:
        inception.load_weights(str(path))
    assert str(path) in str(err.value)


@pytest.mark.parametrize('build,spec', [
    (lambda p: FIDInceptionV3(p), FID_INCEPTION),
    (lambda p: LPIPSBackbone('alex', p), ALEXNET),
    (lambda p: LPIPSBackbone('vgg', p), VGG16),
])
@pytest.mark.parametrize('given', [None, 'missing'])
def test_missing_backbone_file_errors(build, spec, given, tmp_path):
    path = None if given is None else str(tmp_path / spec.filename)
    with pytest.raises(FileNotFoundError) as err:
        build(path)
    msg = str(err.value)
    assert spec.filename in msg and spec.url in msg
    assert spec.default_path in msg and 'never downloads' in msg
    if path is not None:
        assert path in msg
    else:
        assert 'no path was given' in msg


@pytest.mark.parametrize('net,spec', [('alex', LPIPS_LIN_ALEX),
                                      ('vgg', LPIPS_LIN_VGG)])
def test_missing_lin_file_error(net, spec, tmp_path):
    backbone_path = tmp_path / 'backbone.pth'
    backbone_path.write_bytes(b'')  # files are checked before reading
    lin_path = str(tmp_path / 'nowhere' / spec.filename)
    with pytest.raises(FileNotFoundError, match='lin_weights') as err:
        LPIPSNet(net, str(backbone_path), lin_path)
    assert lin_path in str(err.value) and spec.url in str(err.value)


def test_lpips_files_round_trip(tmp_path):
    ref = LPIPSNet('alex', random_init=True, seed=5)
    backbone = {
        f'features.{k[len("backbone.features."):]}': v
        for k, v in ref.state_dict().items() if k.startswith('backbone.')
    }
    backbone['classifier.1.weight'] = torch.zeros(4, 4)  # skipped on load
    lins = {
        k[len('lins.'):]: v
        for k, v in ref.state_dict().items() if k.startswith('lins.')
    }
    assert sorted(lins) == [f'lin{k}.model.1.weight' for k in range(5)]
    torch.save(backbone, tmp_path / ALEXNET.filename)
    torch.save(lins, tmp_path / LPIPS_LIN_ALEX.filename)
    loaded = LPIPSNet('alex', str(tmp_path / ALEXNET.filename),
                      str(tmp_path / LPIPS_LIN_ALEX.filename))
    gen = torch.Generator().manual_seed(0)
    x0 = torch.rand(2, 3, 33, 40, generator=gen) * 2 - 1
    x1 = torch.rand(2, 3, 33, 40, generator=gen) * 2 - 1
    assert torch.equal(loaded(x0, x1), ref(x0, x1))


def test_lpips_lin_file_of_other_backbone_is_rejected(tmp_path):
    vgg_lins = {
        f'lin{k}.model.1.weight': torch.zeros(1, c, 1, 1)
        for k, c in enumerate((64, 128, 256, 512, 512))
    }
    torch.save(vgg_lins, tmp_path / 'vgg.pth')
    torch.save(
        LPIPSBackbone('alex', random_init=True).state_dict(),
        tmp_path / 'alex_backbone.pth')
    with pytest.raises(ValueError, match='shape mismatches'):
        LPIPSNet('alex', str(tmp_path / 'alex_backbone.pth'),
                 str(tmp_path / 'vgg.pth'))


@pytest.fixture(scope='module', params=['alex', 'vgg'])
def lpips_net(request):
    return LPIPSNet(request.param, random_init=True, seed=0)


def _images(seed, n=2, shape=(32, 36)):
    gen = torch.Generator().manual_seed(seed)
    return torch.rand((n, 3) + shape, generator=gen) * 2 - 1


def test_lpips_is_a_distance(lpips_net):
    x0, x1 = _images(0), _images(1)
    d01, d10 = lpips_net(x0, x1), lpips_net(x1, x0)
    assert d01.shape == (2, )
    assert torch.all(d01 > 0)
    assert torch.allclose(d01, d10, rtol=1e-6, atol=0)
    assert torch.all(lpips_net(x0, x0) == 0)


def test_lpips_grows_with_the_difference(lpips_net):
    x0 = _images(0, n=1)
    noise = _images(1, n=1)
    small = lpips_net(x0, (x0 + 0.05 * noise).clamp(-1, 1))
    large = lpips_net(x0, (x0 + 0.5 * noise).clamp(-1, 1))
    assert 0 < small.item() < large.item()


def test_lpips_mask(lpips_net):
    x0 = _images(0, n=1, shape=(48, 48))
    mask = torch.zeros(1, 1, 48, 48)
    mask[..., 8:40, 8:40] = 1
    # A change outside the hole only weighs where it bleeds into the hole.
    x1 = torch.where(mask.bool(), x0, _images(1, n=1, shape=(48, 48)))
    whole = lpips_net(x0, x1)
    in_hole = lpips_net(x0, x1, mask)
    assert 0 < in_hole.item() < whole.item()
    full = torch.ones(1, 1, 48, 48)
    assert torch.allclose(lpips_net(x0, x1, full), whole, rtol=1e-5)
    with pytest.raises(ValueError, match='no hole pixels'):
        lpips_net(x0, x1, torch.zeros_like(mask))
    with pytest.raises(ValueError, match='mask must be'):
        lpips_net(x0, x1, mask[..., :40])


def test_backbone_keys_are_torchvision_features(lpips_net):
    conv_indices = {
        'alex': (0, 3, 6, 8, 10),
        'vgg': (0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28)
    }[lpips_net.net]
    keys = list(lpips_net.backbone.state_dict())
    assert keys == [
        f'features.{i}.{p}' for i in conv_indices for p in ('weight', 'bias')
    ]


def test_lpips_too_small_input_error(lpips_net):
    size = {'alex': 31, 'vgg': 16}[lpips_net.net]
    assert lpips_net.min_size == size
    x = torch.zeros(1, 3, size - 1, 64)
    with pytest.raises(ValueError, match=f'at least {size}x{size}'):
        lpips_net(x, x)
    x = torch.zeros(1, 3, size, 64)
    assert lpips_net(x, x).item() == 0


def test_bad_net_name():
    with pytest.raises(ValueError, match="'squeeze'"):
        LPIPSNet('squeeze', random_init=True)
