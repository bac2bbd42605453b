"""LatentDirection: layer-range edits, linearity, files and errors."""
import pytest
import torch

from inpaint_toolbox.models.editors import (LatentDirection, load_direction,
                                            save_direction)

N_LATENT, W_DIM = 6, 8


def _ws(batch=3, seed=0):
    return torch.randn(batch, N_LATENT, W_DIM,
                       generator=torch.Generator().manual_seed(seed))


def _vec(shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize('shape', [(W_DIM, ), (N_LATENT, W_DIM)])
@pytest.mark.parametrize('layers', [None, (0, 1), (2, 5), (3, 6)])
def test_apply_changes_only_the_layer_range(shape, layers):
    vec = _vec(shape)
    direction = LatentDirection(vec, layers=layers, name='smile')
    ws = _ws()
    out = direction.apply(ws, 2.5)
    start, stop = layers or (0, N_LATENT)
    outside = [i for i in range(N_LATENT) if not start <= i < stop]
    assert torch.equal(out[:, outside], ws[:, outside])
    expected = torch.zeros(N_LATENT, W_DIM)
    expected[start:stop] = vec[start:stop] if len(shape) == 2 else vec
    torch.testing.assert_close(out - ws, 2.5 * expected.expand(3, -1, -1))


@pytest.mark.parametrize('shape', [(W_DIM, ), (N_LATENT, W_DIM)])
def test_apply_is_linear_in_strength_and_zero_is_identity(shape):
    direction = LatentDirection(_vec(shape), layers=(1, 4))
    ws = _ws()
    assert torch.equal(direction.apply(ws, 0.0), ws)
    d1 = direction.apply(ws, 1.0) - ws
    for s in (-3.0, 0.5, 2.0):
        torch.testing.assert_close(direction.apply(ws, s) - ws, s * d1)
    # strengths add up: apply(apply(ws, a), b) == apply(ws, a + b)
    torch.testing.assert_close(
        direction.apply(direction.apply(ws, 1.5), -0.5),
        direction.apply(ws, 1.0))


def test_per_sample_strength_and_gradient_and_no_inplace():
    direction = LatentDirection(_vec((W_DIM, )), layers=(0, 2))
    ws = _ws().requires_grad_(True)
    before = ws.detach().clone()
    strength = torch.tensor([0.0, 1.0, -2.0])
    out = direction.apply(ws, strength)
    torch.testing.assert_close(out[0], ws[0])
    torch.testing.assert_close(out[2] - ws[2], -2 * (out[1] - ws[1]))
    out.sum().backward()
    assert torch.equal(ws.grad, torch.ones_like(ws))
    assert torch.equal(ws.detach(), before)


def test_apply_follows_dtype_and_keeps_a_float32_cpu_copy():
    vec = _vec((W_DIM, )).double()
    direction = LatentDirection(vec)
    assert direction.direction.dtype == torch.float32
    vec.zero_()  # the direction holds its own copy
    assert direction.direction.abs().sum() > 0
    out = direction.apply(_ws().double(), 1.0)
    assert out.dtype == torch.float64


@pytest.mark.parametrize('layers', [None, (1, 3)])
@pytest.mark.parametrize('shape', [(W_DIM, ), (N_LATENT, W_DIM)])
def test_save_load_round_trip(tmp_path, shape, layers):
    direction = LatentDirection(_vec(shape), layers=layers, name='smile')
    path = save_direction(tmp_path / 'sub' / 'smile.pth', direction)
    loaded = load_direction(path, w_dim=W_DIM, n_latent=N_LATENT)
    assert loaded.name == 'smile'
    assert loaded.layers == layers
    assert torch.equal(loaded.direction, direction.direction)
    ws = _ws()
    assert torch.equal(loaded.apply(ws, 1.3), direction.apply(ws, 1.3))
    # plain data only: loads with the weights-only loader
    raw = torch.load(path, weights_only=True)
    assert set(raw) == {'format', 'version', 'name', 'direction', 'layers'}


def test_load_bare_tensor_file_takes_the_file_name(tmp_path):
    torch.save(_vec((W_DIM, )), tmp_path / 'age.pth')
    loaded = load_direction(tmp_path / 'age.pth')
    assert loaded.name == 'age' and loaded.layers is None


def test_load_errors_name_the_file(tmp_path):
    missing = tmp_path / 'nope.pth'
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_direction(missing)
    bad = tmp_path / 'bad.pth'
    torch.save(dict(direction=torch.zeros(2, 3, 4)), bad)
    with pytest.raises(ValueError, match='bad.pth.*shape'):
        load_direction(bad)
    other = tmp_path / 'other.pth'
    torch.save(dict(weights=torch.zeros(3)), other)
    with pytest.raises(ValueError, match='other.pth.*not a latent'):
        load_direction(other)
    good = save_direction(tmp_path / 'good.pth',
                          LatentDirection(_vec((W_DIM, )), layers=(2, 6)))
    with pytest.raises(ValueError, match='good.pth.*w_dim 16'):
        load_direction(good, w_dim=16)
    with pytest.raises(ValueError, match='good.pth.*past the 4 codes'):
        load_direction(good, n_latent=4)
    per_code = save_direction(tmp_path / 'pc.pth',
                              LatentDirection(_vec((N_LATENT, W_DIM))))
    with pytest.raises(ValueError, match='pc.pth.*6 codes.*10'):
        load_direction(per_code, n_latent=10)
    newer = tmp_path / 'newer.pth'
    torch.save(dict(direction=torch.zeros(3), version=99), newer)
    with pytest.raises(ValueError, match='newer.pth.*version 99'):
        load_direction(newer)


@pytest.mark.parametrize('kwargs,error,match', [
    (dict(direction=torch.zeros(2, 3, 4)), ValueError, r'\(2, 3, 4\)'),
    (dict(direction=torch.zeros(4, dtype=torch.long)), TypeError,
     'floating'),
    (dict(direction=[0.0, 1.0]), TypeError, 'list'),
    (dict(direction=torch.tensor([0.0, float('nan')])), ValueError,
     'non-finite'),
    (dict(direction=torch.zeros(4), layers=(3, 3)), ValueError,
     r'start < stop, got \(3, 3\)'),
    (dict(direction=torch.zeros(4), layers=(-1, 2)), ValueError,
     r'\(-1, 2\)'),
    (dict(direction=torch.zeros(4), layers=(0.0, 2)), TypeError, 'pair'),
    (dict(direction=torch.zeros(N_LATENT, W_DIM), layers=(0, 7)),
     ValueError, 'past its 6 codes'),
])
def test_constructor_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        LatentDirection(**kwargs)


def test_apply_errors():
    direction = LatentDirection(_vec((W_DIM, )), layers=(2, 8), name='x')
    with pytest.raises(ValueError, match=r"'x'.*\(B, n_latent, 8\)"):
        direction.apply(torch.zeros(2, 6, 5), 1.0)
    with pytest.raises(ValueError, match=r'\(2, 8\) go past the 6 codes'):
        direction.apply(torch.zeros(2, 6, W_DIM), 1.0)
    ok = LatentDirection(_vec((W_DIM, )), name='y')
    with pytest.raises(ValueError, match=r'\(2,\) tensor'):
        ok.apply(torch.zeros(2, 6, W_DIM), torch.ones(3))
    with pytest.raises(TypeError, match='strength'):
        ok.apply(torch.zeros(2, 6, W_DIM), 'strong')
    with pytest.raises(ValueError, match='finite'):
        ok.apply(torch.zeros(2, 6, W_DIM), float('inf'))
    per_code = LatentDirection(_vec((N_LATENT, W_DIM)), name='z')
    with pytest.raises(ValueError, match="'z' has 6 codes"):
        per_code.apply(torch.zeros(2, 4, W_DIM), 1.0)
    with pytest.raises(TypeError, match='LatentDirection'):
        save_direction('x.pth', torch.zeros(3))
