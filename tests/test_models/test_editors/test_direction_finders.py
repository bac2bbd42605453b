"""GANSpace and InterFaceGAN direction finders on synthetic codes."""
import pytest
import torch

from inpaint_toolbox.models.editors import (fit_logistic_regression,
                                            ganspace_directions,
                                            interfacegan_direction,
                                            project_out)


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _unit(dim, seed):
    v = torch.randn(dim, generator=_gen(seed))
    return v / v.norm()


def _anisotropic_codes(n=400, dim=12, seed=0, offset=3.0):
    """Codes with std 5 along a random axis, 2 along a second, 0.5 else."""
    axes = torch.linalg.qr(torch.randn(dim, dim, generator=_gen(seed)))[0].T
    scales = torch.full((dim, ), 0.5)
    scales[0], scales[1] = 5.0, 2.0
    coeff = torch.randn(n, dim, generator=_gen(seed + 1)) * scales
    return coeff @ axes + offset, axes


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_ganspace_recovers_the_dominant_axes(seed):
    ws, axes = _anisotropic_codes(seed=seed)
    res = ganspace_directions(ws, 3)
    assert res.directions.shape == (3, 12)
    torch.testing.assert_close(res.directions.norm(dim=1), torch.ones(3))
    assert abs(float(res.directions[0] @ axes[0])) > 0.99
    assert abs(float(res.directions[1] @ axes[1])) > 0.98
    # sorted by variance; variance close to the true 25 and 4
    assert torch.all(res.variance[:-1] >= res.variance[1:])
    assert 20 < res.variance[0] < 30 and 3 < res.variance[1] < 5
    total = ws.double().var(dim=0).sum()
    torch.testing.assert_close(res.variance_ratio.double(),
                               res.variance.double() / total, rtol=1e-4,
                               atol=0)
    torch.testing.assert_close(res.mean, ws.mean(0))
    # orthonormal
    gram = res.directions @ res.directions.T
    torch.testing.assert_close(gram, torch.eye(3), atol=1e-5, rtol=0)


def test_ganspace_sign_is_fixed_and_result_deterministic():
    ws, _ = _anisotropic_codes()
    a = ganspace_directions(ws, 4)
    b = ganspace_directions(ws.clone(), 4)
    assert torch.equal(a.directions, b.directions)
    # the entry of largest magnitude of each direction is positive
    idx = a.directions.abs().argmax(dim=1)
    assert torch.all(a.directions[torch.arange(4), idx] > 0)
    # negating the data does not flip the directions
    c = ganspace_directions(-ws, 4)
    torch.testing.assert_close(c.directions, a.directions, atol=1e-5,
                               rtol=0)


@pytest.mark.parametrize('seed,dim', [(0, 8), (1, 16), (2, 32)])
def test_interfacegan_recovers_the_normal_of_separable_codes(seed, dim):
    normal = _unit(dim, seed + 10)
    ws = torch.randn(600, dim, generator=_gen(seed)) * 1.5 + 0.7
    score = (ws - 0.7) @ normal - 0.2
    labels = score > 0
    direction = interfacegan_direction(ws, labels)
    assert direction.shape == (dim, ) and direction.dtype == torch.float32
    torch.testing.assert_close(direction.norm(), torch.tensor(1.0))
    assert float(direction @ normal) > 0.95  # points towards label 1


def test_logistic_regression_separates_and_is_deterministic():
    normal = _unit(10, 3)
    ws = torch.randn(300, 10, generator=_gen(4)) * 3
    labels = (ws @ normal > 1.0).long()
    weight, bias = fit_logistic_regression(ws, labels, l2=1e-3)
    pred = (ws.double() @ weight + bias) > 0
    assert (pred.long() == labels).float().mean() > 0.97
    # bias places the boundary near the true offset: x . n = 1
    assert abs(-bias / float(weight.norm()) - 1.0) < 0.3
    w2, b2 = fit_logistic_regression(ws.clone(), labels.clone(), l2=1e-3)
    assert torch.equal(weight, w2) and bias == b2
    # stronger regularization: smaller weights, same direction
    w3, _ = fit_logistic_regression(ws, labels, l2=1.0)
    assert w3.norm() < weight.norm()
    assert float(w3 @ weight / (w3.norm() * weight.norm())) > 0.95


def test_interfacegan_is_invariant_to_shift_and_scale_of_codes():
    normal = _unit(6, 5)
    ws = torch.randn(200, 6, generator=_gen(6))
    noise = torch.randn(200, generator=_gen(7)) * 0.5
    labels = ws @ normal + noise > 0
    a = interfacegan_direction(ws, labels)
    b = interfacegan_direction(ws * 10 + 4, labels)
    torch.testing.assert_close(a, b, atol=1e-4, rtol=0)
    assert float(a @ normal) > 0.9  # noisy labels: still close


@pytest.mark.parametrize('fn', ['ganspace', 'interfacegan'])
@pytest.mark.parametrize('ws,error,match', [
    (torch.zeros(5), ValueError, r'\(N, w_dim\)'),
    (torch.zeros(5, 3, dtype=torch.long), TypeError, 'floating'),
    (torch.full((5, 3), float('nan')), ValueError, 'non-finite'),
])
def test_bad_codes(fn, ws, error, match):
    with pytest.raises(error, match=match):
        if fn == 'ganspace':
            ganspace_directions(ws, 1)
        else:
            interfacegan_direction(ws, torch.zeros(5))


@pytest.mark.parametrize('k,error,match', [
    (0, ValueError, r'\[1, 4\]'),
    (5, ValueError, r'\[1, 4\] for 5 codes of size 8, got 5'),
    (1.0, TypeError, 'int')])
def test_ganspace_bad_num_components(k, error, match):
    ws = torch.randn(5, 8, generator=_gen(0))
    with pytest.raises(error, match=match):
        ganspace_directions(ws, k)


def test_ganspace_constant_codes():
    with pytest.raises(ValueError, match='no variance'):
        ganspace_directions(torch.ones(6, 3), 1)


@pytest.mark.parametrize('labels,match', [
    (torch.zeros(6), 'both classes, got 0 positive of 6'),
    (torch.ones(6, dtype=torch.bool), 'both classes, got 6 positive'),
    (torch.tensor([0, 1, 2, 0, 1, 0]), 'binary'),
    (torch.zeros(5), r'\(6,\)'),
])
def test_interfacegan_bad_labels(labels, match):
    ws = torch.randn(6, 3, generator=_gen(0))
    with pytest.raises(ValueError, match=match):
        interfacegan_direction(ws, labels)


def test_logistic_regression_bad_arguments():
    ws = torch.randn(6, 3, generator=_gen(0))
    labels = torch.tensor([0, 1, 0, 1, 0, 1])
    with pytest.raises(ValueError, match='l2 must be > 0'):
        fit_logistic_regression(ws, labels, l2=0.0)
    with pytest.raises(ValueError, match='max_iter'):
        fit_logistic_regression(ws, labels, max_iter=0)
    with pytest.raises(ValueError, match='no variance'):
        fit_logistic_regression(torch.ones(6, 3), labels)


def test_project_out_makes_the_direction_orthogonal():
    d = _unit(8, 0)
    others = torch.randn(3, 8, generator=_gen(1)) * 4
    out = project_out(d, others)
    torch.testing.assert_close(out.norm(), torch.tensor(1.0))
    torch.testing.assert_close(others @ out, torch.zeros(3), atol=1e-5,
                               rtol=0)
    # the part of d outside the span is kept (up to the norm)
    q = torch.linalg.qr(others.T.double())[0]
    rest = d.double() - q @ (q.T @ d.double())
    torch.testing.assert_close(out.double(), rest / rest.norm(), atol=1e-6,
                               rtol=0)
    # already orthogonal: unchanged
    e = torch.zeros(8)
    e[0] = 1.0
    torch.testing.assert_close(project_out(e, torch.eye(8)[1:3]), e)


def test_project_out_errors():
    d = _unit(4, 0)
    with pytest.raises(ValueError, match='span of the others'):
        project_out(d, d.unsqueeze(0) * 3)
    with pytest.raises(ValueError, match='linearly dependent'):
        project_out(d, torch.stack([_unit(4, 1), 2 * _unit(4, 1)]))
    with pytest.raises(ValueError, match=r'\(M, 4\) with M < 4'):
        project_out(d, torch.zeros(2, 5))
    with pytest.raises(ValueError, match=r'\(D,\) tensor'):
        project_out(d.unsqueeze(0), torch.zeros(1, 4))
