"""2-D neighborhood attention with NATTEN's border semantics.

Reference: Hassani et al., "Neighborhood Attention Transformer", CVPR 2023
(arXiv 2204.07143).

Window rule (one axis; the other is the same). For a map of length ``n`` and
an odd kernel ``k``, let ``kn = min(k, n)``. The query at position ``i``
attends to the keys ``[s(i), s(i) + kn)`` with

    s(i) = clamp(i - k // 2, 0, n - kn)

so a query near the border uses the nearest full window (clamped, never
zero-padded). When ``n >= k`` this is exactly NATTEN. When ``n < k`` the window
is the whole axis: the result equals padding the map to ``k`` and masking the
padded keys out, i.e. attention over the real pixels only. The relative
position bias of a (query, key) pair is ``rpb[:, key_y - query_y + k - 1,
key_x - query_x + k - 1]``; border queries reach offsets up to ``k - 1``, which
is why the table is ``(2k - 1) x (2k - 1)``.

Implementation: queries are split into ``tile x tile`` blocks. Each block
gathers the union of its queries' windows, a halo of at most
``(tile + k - 1)^2`` keys, computes dense scores against it with an additive
mask that keeps exactly each query's window (plus the bias), and applies a
softmax and a matmul. Blocks whose (bias, mask) pattern is identical are
processed together, in chunks of bounded size, from strided views of K and
V, so no ``k^2`` copies of K or V are ever made and the bias is built once
per pattern, not per pixel. The backward recomputes the scores per chunk
(as flash attention does) instead of storing them.
"""
import functools
import math
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from inpaint_toolbox.registry import MODELS

__all__ = ['NeighborhoodAttention2d', 'neighborhood_attention_2d']

# A run of consecutive tiles along one axis that share one window pattern:
# (first tile, end tile, halo start of the first tile,
#  relative index (tile, halo) in [0, 2k - 2], valid mask (tile, halo)).
_Run = Tuple[int, int, int, Tensor, Tensor]


@functools.lru_cache(maxsize=256)
def _axis_runs(size: int, kernel_size: int,
               tile_size: int) -> Tuple[int, List[_Run]]:
    """Split one axis into runs of tiles with identical window patterns.

    Args:
        size (int): Length of the axis (>= 1).
        kernel_size (int): Odd window size ``k``.
        tile_size (int): Queries per tile along this axis.

    Returns:
        tuple: ``(halo, runs)``: the halo length ``min(tile + k - 1, size)``
        and the list of runs. Within a run the halo start advances by exactly
        ``tile_size`` per tile, so its keys are a strided view.
    """
    k, t = kernel_size, tile_size
    kn = min(k, size)
    halo = min(t + k - 1, size)
    num_tiles = math.ceil(size / t)
    tile_start = torch.arange(num_tiles) * t
    halo_start = (tile_start - k // 2).clamp(0, size - halo)
    # queries past the end (padding of the last tile) repeat the last one
    query = (tile_start[:, None] + torch.arange(t)).clamp(max=size - 1)
    win_start = (query - k // 2).clamp(0, size - kn)
    key = halo_start[:, None] + torch.arange(halo)  # (tiles, halo)
    key, win_start = key[:, None, :], win_start[:, :, None]
    valid = (key >= win_start) & (key < win_start + kn)  # (tiles, t, halo)
    rel = (key - query[:, :, None] + k - 1).masked_fill(~valid, 0)
    runs = []
    first = 0
    for i in range(1, num_tiles + 1):
        if (i == num_tiles or not torch.equal(rel[i], rel[first])
                or not torch.equal(valid[i], valid[first])):
            runs.append(
                (first, i, int(halo_start[first]), rel[first], valid[first]))
            first = i
    return halo, runs


# One group of tiles sharing a bias pattern: bias index and mask
# (tile**2, halo_h * halo_w), and its chunks (qy0, qy1, qx0, qx1, ky0, kx0):
# query rows/cols of the chunk on the padded grid, halo start of its keys.
_Group = Tuple[Tensor, Tensor, List[Tuple[int, int, int, int, int, int]]]


@functools.lru_cache(maxsize=256)
def _plan(h: int, w: int, batch_heads: int, kernel_size: int, tile: int,
          max_chunk_elements: int) -> Tuple[Tuple[int, int], List[_Group]]:
    """Groups of tiles with one bias pattern, split into bounded chunks."""
    t, span = tile, 2 * kernel_size - 1
    halo_h, row_runs = _axis_runs(h, kernel_size, t)
    halo_w, col_runs = _axis_runs(w, kernel_size, t)
    per_tile = batch_heads * t * t * halo_h * halo_w
    tiles_per_chunk = max(1, max_chunk_elements // per_tile)
    groups = []
    for ty0, ty1, hy0, rel_y, valid_y in row_runs:
        for tx0, tx1, hx0, rel_x, valid_x in col_runs:
            index = rel_y[:, None, :, None] * span + rel_x[None, :, None, :]
            valid = valid_y[:, None, :, None] & valid_x[None, :, None, :]
            step_x = min(tx1 - tx0, tiles_per_chunk)
            step_y = max(1, tiles_per_chunk // step_x)
            chunks = []
            for a0 in range(ty0, ty1, step_y):
                a1 = min(a0 + step_y, ty1)
                for c0 in range(tx0, tx1, step_x):
                    c1 = min(c0 + step_x, tx1)
                    chunks.append((a0 * t, a1 * t, c0 * t, c1 * t,
                                   hy0 + (a0 - ty0) * t, hx0 + (c0 - tx0) * t))
            groups.append((index.reshape(t * t, halo_h * halo_w),
                           valid.reshape(t * t, halo_h * halo_w), chunks))
    return (halo_h, halo_w), groups


def _to_tiles(x: Tensor, tile: int) -> Tensor:
    """``[B, h, ty*T, tx*T, d]`` -> ``[B, h, ty, tx, T*T, d]``."""
    b, heads, qh, qw, d = x.shape
    x = x.reshape(b, heads, qh // tile, tile, qw // tile, tile, d)
    return x.permute(0, 1, 2, 4, 3, 5, 6).reshape(b, heads, qh // tile,
                                                  qw // tile, tile * tile, d)


def _from_tiles(x: Tensor, tile: int) -> Tensor:
    """``[B, h, ty, tx, T*T, d]`` -> ``[B, h, ty*T, tx*T, d]``."""
    b, heads, ty, tx, _, d = x.shape
    x = x.reshape(b, heads, ty, tx, tile, tile, d).permute(0, 1, 2, 4, 3, 5, 6)
    return x.reshape(b, heads, ty * tile, tx * tile, d)


def _halos(x: Tensor, y0: int, x0: int, ty: int, tx: int,
           halo: Tuple[int, int], tile: int) -> Tensor:
    """Key halos of ``ty x tx`` tiles (a strided view, then one copy).

    Args:
        x (Tensor): ``[B, heads, H, W, d]``.

    Returns:
        Tensor: ``[B, heads, ty, tx, halo_h * halo_w, d]``.
    """
    hh, hw = halo
    x = x[:, :, y0:y0 + (ty - 1) * tile + hh, x0:x0 + (tx - 1) * tile + hw]
    # [B, heads, ty, tx, d, hh, hw] -> channels innermost for a fast copy
    x = x.unfold(2, hh, tile).unfold(3, hw, tile).permute(0, 1, 2, 3, 5, 6, 4)
    return x.reshape(*x.shape[:4], hh * hw, x.shape[-1])


def _fold_halos(g: Tensor, halo: Tuple[int, int], tile: int) -> Tensor:
    """Adjoint of :func:`_halos`: sum overlapping halos back onto the map.

    A halo spans ``ceil(halo / tile)`` tile-sized blocks per axis; for a
    fixed block offset the blocks of all tiles do not overlap, so each
    offset is one strided add.

    Args:
        g (Tensor): ``[B, heads, ty, tx, halo_h * halo_w, d]``.

    Returns:
        Tensor: ``[B, heads, (ty-1)*tile + halo_h, (tx-1)*tile + halo_w,
        d]``.
    """
    b, heads, ty, tx, _, d = g.shape
    hh, hw = halo
    my, mx = -(-hh // tile), -(-hw // tile)
    g = g.view(b, heads, ty, tx, hh, hw, d)
    g = F.pad(g, (0, 0, 0, mx * tile - hw, 0, my * tile - hh))
    out = g.new_zeros(b, heads, (ty + my - 1) * tile, (tx + mx - 1) * tile,
                      d)
    for i in range(my):
        for j in range(mx):
            block = g[:, :, :, :, i * tile:(i + 1) * tile,
                      j * tile:(j + 1) * tile]
            out[:, :, i * tile:(i + ty) * tile,
                j * tile:(j + tx) * tile] += block.permute(
                    0, 1, 2, 4, 3, 5, 6).reshape(b, heads, ty * tile,
                                                 tx * tile, d)
    return out[:, :, :(ty - 1) * tile + hh, :(tx - 1) * tile + hw]


def _scores(q: Tensor, k: Tensor, bias: Tensor) -> Tensor:
    """Softmax attention of query tiles over their halos (masked)."""
    attn = torch.matmul(q, k.transpose(-1, -2))
    attn += bias
    return attn.softmax(dim=-1)


def _pad_to(x: Tensor, qh: int, qw: int) -> Tensor:
    h, w = x.shape[2:4]
    if (qh, qw) == (h, w):
        return x
    return F.pad(x, (0, 0, 0, qw - w, 0, qh - h))


class _NeighborhoodAttention(torch.autograd.Function):
    """Tiled neighborhood attention; the backward recomputes the scores.

    Only q, k, v, rpb and the output are kept for the backward, which
    visits the same chunks and sums the key/value gradients of overlapping
    halos chunk by chunk (no per-chunk full-size buffers).
    """

    @staticmethod
    def forward(ctx, q, k, v, rpb, kernel_size, tile, backward_tile,
                max_chunk_elements):
        b, heads, h, w, d = q.shape
        halo, groups = _plan(h, w, b * heads, kernel_size, tile,
                             max_chunk_elements)
        qh, qw = -(-h // tile) * tile, -(-w // tile) * tile
        qp = _pad_to(q, qh, qw)
        out = q.new_empty(b, heads, qh, qw, d)
        table = rpb.flatten(1)
        for index, valid, chunks in groups:
            bias = table[:, index.to(q.device)].masked_fill(
                ~valid.to(q.device), float('-inf'))[:, None, None]
            for qy0, qy1, qx0, qx1, ky0, kx0 in chunks:
                ty, tx = (qy1 - qy0) // tile, (qx1 - qx0) // tile
                qt = _to_tiles(qp[:, :, qy0:qy1, qx0:qx1], tile)
                attn = _scores(qt, _halos(k, ky0, kx0, ty, tx, halo, tile),
                               bias)
                ot = torch.matmul(attn,
                                  _halos(v, ky0, kx0, ty, tx, halo, tile))
                out[:, :, qy0:qy1, qx0:qx1] = _from_tiles(ot, tile)
        out = out[:, :, :h, :w]
        ctx.save_for_backward(q, k, v, rpb, out)
        ctx.config = (kernel_size, backward_tile, max_chunk_elements)
        return out

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_out):
        q, k, v, rpb, out = ctx.saved_tensors
        kernel_size, tile, max_chunk_elements = ctx.config
        b, heads, h, w, d = q.shape
        halo, groups = _plan(h, w, b * heads, kernel_size, tile,
                             max_chunk_elements)
        qh, qw = -(-h // tile) * tile, -(-w // tile) * tile
        qp, op = _pad_to(q, qh, qw), _pad_to(out, qh, qw)
        gp = _pad_to(grad_out, qh, qw)  # zero for padded queries
        dq = q.new_empty(b, heads, qh, qw, d)
        dk, dv = torch.zeros_like(k), torch.zeros_like(v)
        table = rpb.flatten(1)
        drpb = torch.zeros_like(table)
        for index, valid, chunks in groups:
            index, valid = index.to(q.device), valid.to(q.device)
            bias = table[:, index].masked_fill(~valid,
                                               float('-inf'))[:, None, None]
            dbias = None
            for qy0, qy1, qx0, qx1, ky0, kx0 in chunks:
                ty, tx = (qy1 - qy0) // tile, (qx1 - qx0) // tile
                qt = _to_tiles(qp[:, :, qy0:qy1, qx0:qx1], tile)
                gt = _to_tiles(gp[:, :, qy0:qy1, qx0:qx1], tile)
                ot = _to_tiles(op[:, :, qy0:qy1, qx0:qx1], tile)
                kt = _halos(k, ky0, kx0, ty, tx, halo, tile)
                vt = _halos(v, ky0, kx0, ty, tx, halo, tile)
                attn = _scores(qt, kt, bias)
                dvt = torch.matmul(attn.transpose(-1, -2), gt)
                ds = torch.matmul(gt, vt.transpose(-1, -2))
                ds -= (gt * ot).sum(dim=-1, keepdim=True)
                ds *= attn  # softmax backward; 0 outside the windows
                dq[:, :, qy0:qy1, qx0:qx1] = _from_tiles(
                    torch.matmul(ds, kt), tile)
                dkt = torch.matmul(ds.transpose(-1, -2), qt)
                region = (slice(None), slice(None),
                          slice(ky0, ky0 + (ty - 1) * tile + halo[0]),
                          slice(kx0, kx0 + (tx - 1) * tile + halo[1]))
                dk[region] += _fold_halos(dkt, halo, tile)
                dv[region] += _fold_halos(dvt, halo, tile)
                part = ds.sum(dim=(0, 2, 3))  # [heads, T*T, halo]
                dbias = part if dbias is None else dbias + part
            drpb.index_add_(1, index[valid], dbias[:, valid])
        return (dq[:, :, :h, :w], dk, dv, drpb.view_as(rpb), None, None,
                None, None)


def neighborhood_attention_2d(q: Tensor,
                              k: Tensor,
                              v: Tensor,
                              rpb: Tensor,
                              kernel_size: int,
                              tile_size: int = 4,
                              backward_tile_size: int = 8,
                              max_chunk_elements: int = 2**18) -> Tensor:
    """Neighborhood attention ``softmax(q k^T + rpb) v`` over k x k windows.

    ``q`` is used as given: scale it (``head_dim ** -0.5``) beforehand. See
    the module docstring for the window rule. Differentiable in q, k, v and
    rpb; the backward recomputes the scores chunk by chunk, so training
    memory is that of q, k, v and the output.

    Args:
        q (Tensor): Queries ``[B, heads, H, W, d]``.
        k (Tensor): Keys, same shape as ``q``.
        v (Tensor): Values, same shape as ``q``.
        rpb (Tensor): Relative position bias ``[heads, 2k - 1, 2k - 1]``.
        kernel_size (int): Odd window size ``k``.
        tile_size (int): Query tile side of the forward. Only speed depends
            on it (4 is fastest on CPU for head dims 16-64).
        backward_tile_size (int): Query tile side of the backward, which
            favours larger tiles (fewer overlapping halos to sum).
        max_chunk_elements (int): Upper bound on the score elements computed
            at once (bounds peak memory; at least one tile).

    Returns:
        Tensor: ``[B, heads, H, W, d]``.
    """
    if q.dim() != 5 or k.shape != q.shape or v.shape != q.shape:
        raise ValueError('q, k, v must share one [B, heads, H, W, d] shape, '
                         f'got {tuple(q.shape)}, {tuple(k.shape)}, '
                         f'{tuple(v.shape)}')
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f'kernel_size must be odd and >= 1, got '
                         f'{kernel_size}')
    span = 2 * kernel_size - 1
    if rpb.shape != (q.shape[1], span, span):
        raise ValueError(f'rpb must have shape {(q.shape[1], span, span)}, '
                         f'got {tuple(rpb.shape)}')
    if tile_size < 1 or backward_tile_size < 1:
        raise ValueError(f'tile sizes must be >= 1, got {tile_size}, '
                         f'{backward_tile_size}')
    rpb = rpb.to(q.dtype)
    return _NeighborhoodAttention.apply(q, k, v, rpb, kernel_size, tile_size,
                                        backward_tile_size,
                                        max_chunk_elements)


@MODELS.register_module()
class NeighborhoodAttention2d(nn.Module):
    """Multi-head 2-D neighborhood attention with relative position bias.

    Each pixel attends to the ``k x k`` window around it (the nearest full
    window at borders, NATTEN semantics; see the module docstring of
    ``neighborhood_attention``). Any ``H, W >= 1`` works; along an axis
    shorter than ``k`` the window is the whole axis.

    Args:
        dim (int): Channels ``C``; divisible by ``num_heads``.
        num_heads (int): Attention heads.
        kernel_size (int): Odd window size ``k``. Default: 7.
        qkv_bias (bool): Bias in the q, k, v projection. Default: True.
        proj (bool): Apply an output projection. Default: True.
        tile_size (int): Query tile side of the forward. Default: 4.
        backward_tile_size (int): Query tile side of the backward.
            Default: 8.
        max_chunk_elements (int): Score elements computed at once.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 kernel_size: int = 7,
                 qkv_bias: bool = True,
                 proj: bool = True,
                 tile_size: int = 4,
                 backward_tile_size: int = 8,
                 max_chunk_elements: int = 2**18) -> None:
        super().__init__()
        if dim < 1 or num_heads < 1 or dim % num_heads != 0:
            raise ValueError(f'dim ({dim}) must be a positive multiple of '
                             f'num_heads ({num_heads})')
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd and >= 1, got '
                             f'{kernel_size}')
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.kernel_size = kernel_size
        self.tile_size = tile_size
        self.backward_tile_size = backward_tile_size
        self.max_chunk_elements = max_chunk_elements
        self.scale = self.head_dim**-0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        span = 2 * kernel_size - 1
        self.rpb = nn.Parameter(torch.zeros(num_heads, span, span))
        nn.init.trunc_normal_(self.rpb, std=0.02)
        self.proj = nn.Linear(dim, dim) if proj else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:
        """Attend within neighborhoods.

        Args:
            x (Tensor): ``[B, C, H, W]`` features.

        Returns:
            Tensor: ``[B, C, H, W]``.
        """
        if x.dim() != 4 or x.shape[1] != self.dim:
            raise ValueError(f'expected [B, {self.dim}, H, W], got '
                             f'{tuple(x.shape)}')
        b, c, h, w = x.shape
        qkv = self.qkv(x.permute(0, 2, 3, 1))  # [B, H, W, 3C]
        qkv = qkv.reshape(b, h, w, 3, self.num_heads, self.head_dim)
        q, k, v = qkv.permute(3, 0, 4, 1, 2, 5).unbind(0)  # [B, h, H, W, d]
        out = neighborhood_attention_2d(
            q * self.scale,
            k,
            v,
            self.rpb,
            self.kernel_size,
            tile_size=self.tile_size,
            backward_tile_size=self.backward_tile_size,
            max_chunk_elements=self.max_chunk_elements)
        out = out.permute(0, 2, 3, 1, 4).reshape(b, h, w, c)
        return self.proj(out).permute(0, 3, 1, 2)

    def extra_repr(self) -> str:
        return (f'dim={self.dim}, num_heads={self.num_heads}, '
                f'kernel_size={self.kernel_size}, '
                f'tile_size={self.tile_size}')
