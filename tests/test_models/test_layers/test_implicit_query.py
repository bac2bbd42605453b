"""LIIF-style local implicit query."""
import pytest
import torch

from inpaint_toolbox.models.layers import LocalImplicitQuery
from inpaint_toolbox.models.layers.implicit_query import axis_query


@pytest.mark.parametrize('n_out,n_lat', [(8, 8), (17, 5), (3, 7), (1, 1)])
@pytest.mark.parametrize('ensemble', [True, False])
def test_axis_query_weights_and_offsets(n_out, n_lat, ensemble):
    parts = axis_query(n_out, n_lat, ensemble)
    assert len(parts) == (2 if ensemble else 1)
    total = sum(w for _, _, w in parts)
    assert torch.allclose(total, torch.ones(n_out), atol=1e-6)
    y = (torch.arange(n_out) * 2 + 1).double() / n_out - 1
    for index, rel, _ in parts:
        assert index.min() >= 0 and index.max() < n_lat
        centre = (2 * index + 1).double() / n_lat - 1
        assert torch.allclose(rel.double(), (y - centre) * n_lat, atol=1e-5)
        assert rel.abs().max() <= 2 + 1e-5
    if not ensemble:  # the nearest latent: |offset| <= 1 half-pixel
        assert parts[0][1].abs().max() <= 1 + 1e-5


def test_same_grid_picks_the_own_latent():
    """At equal resolution the ensemble puts all weight on the own latent."""
    index_lo, _, w_lo = axis_query(6, 6, True)[0]
    index_hi, _, w_hi = axis_query(6, 6, True)[1]
    own = torch.arange(6)
    on_own = w_lo * (index_lo == own) + w_hi * (index_hi == own)
    assert torch.allclose(on_own, torch.ones(6))


@pytest.mark.parametrize('out_size', [(5, 9), (23, 7), (1, 1)])
@pytest.mark.parametrize('ensemble,unfold', [(True, True), (False, False)])
def test_shapes(out_size, ensemble, unfold):
    q = LocalImplicitQuery(
        6, 3, hidden_channels=8, local_ensemble=ensemble, feat_unfold=unfold)
    out = q(torch.randn(2, 6, 4, 6), out_size)
    assert out.shape == (2, 3, *out_size)


def test_row_chunking_does_not_change_the_result():
    torch.manual_seed(0)
    q = LocalImplicitQuery(4, 2, hidden_channels=8, num_frequencies=3)
    feat = torch.randn(2, 4, 5, 3)
    full = q(feat, (13, 11))
    q.chunk_pixels = 1  # one row at a time
    assert torch.allclose(q(feat, (13, 11)), full, atol=1e-6)


def test_matches_a_per_pixel_liif_mlp():
    """The factorized first layer equals LIIF's per-pixel MLP input."""
    torch.manual_seed(0)
    c, hid, nf = 3, 5, 2
    q = LocalImplicitQuery(c, 2, hidden_channels=hid, num_frequencies=nf,
                           local_ensemble=False).double()
    feat = torch.randn(1, c, 4, 3, dtype=torch.float64)
    out_h, out_w = 7, 5
    out = q(feat, (out_h, out_w))
    unfolded = torch.nn.functional.unfold(feat, 3, padding=1).view(
        1, c * 9, 4, 3)
    w_feat = q.latent_proj.weight.reshape(hid, c * 9)
    (iy, ry, _), = axis_query(out_h, 4, False)
    (ix, rx, _), = axis_query(out_w, 3, False)
    for i in range(out_h):
        for j in range(out_w):
            z = w_feat @ unfolded[0, :, iy[i], ix[j]] + q.latent_proj.bias
            z = z + q.pos_y(q._encode(ry[i:i + 1].double()))[0]
            z = z + q.pos_x(q._encode(rx[j:j + 1].double()))[0]
            z = z + q.cell_proj(
                torch.tensor([2 * 4 / out_h, 2 * 3 / out_w]).double())
            pred = q.mlp(z.view(1, hid, 1, 1)).flatten()
            assert torch.allclose(out[0, :, i, j], pred, atol=1e-10)


def test_errors():
    q = LocalImplicitQuery(4, 3)
    with pytest.raises(ValueError, match=r'\[B, 4, h, w\]'):
        q(torch.randn(1, 5, 3, 3), (4, 4))
    with pytest.raises(ValueError, match='positive'):
        q(torch.randn(1, 4, 3, 3), (0, 4))
    with pytest.raises(ValueError, match='num_frequencies'):
        LocalImplicitQuery(4, 3, num_frequencies=-1)
