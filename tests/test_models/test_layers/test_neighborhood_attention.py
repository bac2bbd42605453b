"""Neighborhood attention: exact against a plain reference, locality, grads.

Window rule under test (per axis, length n, odd kernel k, kn = min(k, n)):
the query at i attends to keys [s, s + kn) with
s = clamp(i - k // 2, 0, n - kn); the bias of a pair is
rpb[:, key_y - query_y + k - 1, key_x - query_x + k - 1].
"""
import pytest
import torch

from inpaint_toolbox.models.layers import (NeighborhoodAttention2d,
                                           neighborhood_attention_2d)
from inpaint_toolbox.registry import MODELS


def _window_start(i, n, k):
    return min(max(i - k // 2, 0), n - min(k, n))


def neighborhood_attention_reference(q, k, v, rpb, kernel_size):
    """Plain gather of every query's window; q, k, v: [B, heads, H, W, d].

    Materializes all windows (fine for test sizes).
    """
    _, _, h, w, _ = q.shape
    kh, kw = min(kernel_size, h), min(kernel_size, w)
    sy = torch.tensor([_window_start(i, h, kernel_size) for i in range(h)])
    sx = torch.tensor([_window_start(j, w, kernel_size) for j in range(w)])
    # absolute key coordinates of every query's window
    key_y = (sy[:, None] + torch.arange(kh))[:, None, :, None]  # H,1,kh,1
    key_x = (sx[:, None] + torch.arange(kw))[None, :, None, :]  # 1,W,1,kw
    keys = k[:, :, key_y, key_x]  # [B, heads, H, W, kh, kw, d]
    vals = v[:, :, key_y, key_x]
    rel_y = key_y - torch.arange(h)[:, None, None, None] + kernel_size - 1
    rel_x = key_x - torch.arange(w)[None, :, None, None] + kernel_size - 1
    bias = rpb[:, rel_y, rel_x]  # [heads, H, W, kh, kw]
    logits = torch.einsum('bhijd,bhijyxd->bhijyx', q, keys) + bias
    attn = logits.flatten(-2).softmax(dim=-1).view_as(logits)
    return torch.einsum('bhijyx,bhijyxd->bhijd', attn, vals)


def _inputs(h, w, heads, kernel_size, seed=0, batch=2, dim=4):
    g = torch.Generator().manual_seed(seed)
    q, k, v = torch.randn(3, batch, heads, h, w, dim, generator=g).unbind(0)
    span = 2 * kernel_size - 1
    rpb = torch.randn(heads, span, span, generator=g)
    return q, k, v, rpb


@pytest.mark.parametrize('size', [(7, 7), (9, 13), (20, 17), (31, 8)])
@pytest.mark.parametrize('kernel_size', [3, 5, 7])
@pytest.mark.parametrize('heads', [1, 2])
def test_matches_reference(size, kernel_size, heads):
    q, k, v, rpb = _inputs(*size, heads, kernel_size)
    expected = neighborhood_attention_reference(q, k, v, rpb, kernel_size)
    out = neighborhood_attention_2d(q, k, v, rpb, kernel_size)
    assert out.shape == q.shape
    assert (out - expected).abs().max() <= 1e-5


@pytest.mark.parametrize('size', [(3, 5), (1, 1), (6, 2), (2, 11)])
def test_maps_smaller_than_kernel_attend_over_real_pixels(size):
    """H or W < k: the window is the whole (real) axis, no padded keys."""
    q, k, v, rpb = _inputs(*size, 2, 7)
    expected = neighborhood_attention_reference(q, k, v, rpb, 7)
    out = neighborhood_attention_2d(q, k, v, rpb, 7)
    assert (out - expected).abs().max() <= 1e-5
    if size == (1, 1):  # a single key gets all the weight
        assert torch.allclose(out, v, atol=1e-6)


@pytest.mark.parametrize('tile_size,max_chunk', [(1, 1), (3, 50), (8, 2**20),
                                                 (16, 2**18)])
def test_tiling_and_chunking_do_not_change_the_result(tile_size, max_chunk):
    q, k, v, rpb = _inputs(23, 18, 2, 5, seed=3)
    expected = neighborhood_attention_reference(q, k, v, rpb, 5)
    out = neighborhood_attention_2d(
        q, k, v, rpb, 5, tile_size=tile_size, max_chunk_elements=max_chunk)
    assert (out - expected).abs().max() <= 1e-5


def test_border_queries_use_far_bias_entries():
    """A corner query's window starts at the corner: offsets reach k - 1."""
    h = w = 9
    kernel = 5
    q, k, v, rpb = _inputs(h, w, 1, kernel, batch=1)
    q = torch.zeros_like(q)  # logits = bias only
    v = torch.zeros_like(v)
    v[0, 0, 4, 4, 0] = 1.0  # marks key (4, 4)
    rpb = torch.zeros_like(rpb)
    rpb[0, 4 + kernel - 1, 4 + kernel - 1] = 10.0  # offset (+4, +4)
    out = neighborhood_attention_2d(q, k, v, rpb, kernel)
    # only query (0, 0) sees key (4, 4) at offset (+4, +4)
    weight = out[0, 0, :, :, 0]
    assert weight[0, 0] > 0.9
    weight[0, 0] = 0
    assert weight.max() < 0.1


def _expected_changed(h, w, kernel, py, px):
    expected = torch.zeros(h, w, dtype=torch.bool)
    kh, kw = min(kernel, h), min(kernel, w)
    for i in range(h):
        si = _window_start(i, h, kernel)
        for j in range(w):
            sj = _window_start(j, w, kernel)
            expected[i, j] = si <= py < si + kh and sj <= px < sj + kw
    return expected


@pytest.mark.parametrize('size,kernel,pixel', [((12, 15), 5, (0, 14)),
                                               ((12, 15), 5, (6, 7)),
                                               ((9, 20), 7, (8, 3)),
                                               ((5, 16), 7, (2, 15))])
def test_locality_of_the_module(size, kernel, pixel):
    torch.manual_seed(0)
    attn = NeighborhoodAttention2d(8, 2, kernel_size=kernel).double()
    x = torch.randn(1, 8, *size, dtype=torch.float64)
    x2 = x.clone()
    x2[0, :, pixel[0], pixel[1]] += torch.randn(8, dtype=torch.float64)
    with torch.no_grad():
        changed = (attn(x2) - attn(x)).abs().amax(dim=(0, 1)) > 0
    assert torch.equal(changed, _expected_changed(*size, kernel, *pixel))


@pytest.mark.parametrize('size,kernel,tiles,max_chunk', [
    ((10, 13), 5, (4, 8), 2**18),
    ((11, 9), 3, (3, 2), 1),  # many chunks with overlapping halos
    ((4, 17), 7, (4, 5), 40),  # H < k
])
def test_gradients_match_reference(size, kernel, tiles, max_chunk):
    q, k, v, rpb = (t.double().requires_grad_()
                    for t in _inputs(*size, 2, kernel, seed=1))
    grad_out = torch.randn(q.shape, dtype=torch.float64)
    out = neighborhood_attention_2d(
        q, k, v, rpb, kernel, tile_size=tiles[0],
        backward_tile_size=tiles[1], max_chunk_elements=max_chunk)
    grads = torch.autograd.grad((out * grad_out).sum(), (q, k, v, rpb))
    ref = neighborhood_attention_reference(q, k, v, rpb, kernel)
    ref_grads = torch.autograd.grad((ref * grad_out).sum(), (q, k, v, rpb))
    for g, r in zip(grads, ref_grads):
        assert torch.allclose(g, r, atol=1e-10)


def test_gradcheck():
    q, k, v, rpb = (t.double().requires_grad_()
                    for t in _inputs(5, 4, 1, 3, seed=2, batch=1, dim=1))
    assert torch.autograd.gradcheck(
        lambda *a: neighborhood_attention_2d(
            *a, 3, tile_size=2, backward_tile_size=3), (q, k, v, rpb))


def test_module_shapes_and_gradients():
    attn = MODELS.build(
        dict(type='NeighborhoodAttention2d', dim=16, num_heads=4,
             kernel_size=5))
    x = torch.randn(2, 16, 11, 6, requires_grad=True)
    out = attn(x)
    assert out.shape == x.shape
    out.square().mean().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    for name, p in attn.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    assert attn.rpb.shape == (4, 9, 9)


def test_module_without_projection_is_attention_over_values():
    attn = NeighborhoodAttention2d(4, 1, kernel_size=3, proj=False)
    with torch.no_grad():
        attn.qkv.weight.zero_()
        attn.qkv.bias.zero_()
        attn.qkv.bias[8:] = torch.arange(4.)  # constant values
    out = attn(torch.randn(1, 4, 5, 6))
    assert torch.allclose(out, torch.arange(4.).view(1, 4, 1, 1).expand_as(
        out))


@pytest.mark.parametrize('kwargs,match', [
    (dict(dim=10, num_heads=4), 'multiple of num_heads'),
    (dict(dim=8, num_heads=2, kernel_size=4), 'odd'),
    (dict(dim=8, num_heads=2, kernel_size=0), 'odd'),
])
def test_module_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NeighborhoodAttention2d(**kwargs)


def test_bad_inputs_raise():
    attn = NeighborhoodAttention2d(8, 2)
    with pytest.raises(ValueError, match=r'\[B, 8, H, W\]'):
        attn(torch.randn(1, 4, 8, 8))
    q, k, v, rpb = _inputs(8, 8, 2, 3)
    with pytest.raises(ValueError, match='rpb must have shape'):
        neighborhood_attention_2d(q, k, v, rpb[:, :4], 3)
    with pytest.raises(ValueError, match='share one'):
        neighborhood_attention_2d(q, k[..., :2], v, rpb, 3)
    with pytest.raises(ValueError, match='odd'):
        neighborhood_attention_2d(q, k, v, rpb, 2)
