"""Downsample processing encoder."""
import pytest
import torch

from inpaint_toolbox.models.encoders import DownsampleProcessingEncoder
from inpaint_toolbox.models.layers import CAB, FFCResBlock
from inpaint_toolbox.registry import MODELS


@pytest.mark.parametrize('num_down,size', [(3, (16, 24)), (2, (12, 20)),
                                           (1, (6, 4))])
def test_feature_pyramid_shapes(num_down, size):
    enc = MODELS.build(
        dict(type='DownsampleProcessingEncoder', base_channels=8,
             num_downsamples=num_down, max_channels=24))
    assert enc.size_divisor == 2**num_down
    feats = enc(torch.randn(2, 4, *size))
    assert len(feats) == num_down + 1 == len(enc.out_channels)
    assert enc.out_channels == [min(8 * 2**i, 24) for i in range(num_down + 1)]
    for i, (f, c) in enumerate(zip(feats, enc.out_channels)):
        assert f.shape == (2, c, size[0] // 2**i, size[1] // 2**i)


@pytest.mark.parametrize('use_cab,num_blocks', [(True, 2), (False, 0)])
def test_level_composition(use_cab, num_blocks):
    enc = DownsampleProcessingEncoder(
        base_channels=8, num_downsamples=2, num_ffc_blocks=num_blocks,
        use_cab=use_cab, ffc_ratio=0.5)
    for level in enc.levels:
        blocks = [m for m in level if isinstance(m, FFCResBlock)]
        assert len(blocks) == num_blocks
        assert all(b.conv1.in_global == b.channels // 2 for b in blocks)
        assert isinstance(level[-1], CAB) == use_cab


def test_blocks_per_level():
    enc = DownsampleProcessingEncoder(
        base_channels=8, num_downsamples=3, num_ffc_blocks=(0, 1, 3))
    counts = [sum(isinstance(m, FFCResBlock) for m in level)
              for level in enc.levels]
    assert counts == [0, 1, 3]
    feats = enc(torch.randn(1, 4, 16, 24))
    assert feats[-1].shape == (1, enc.out_channels[-1], 2, 3)


@pytest.mark.parametrize('blocks', [(1, 2), (1, -1, 1)])
def test_blocks_per_level_errors(blocks):
    with pytest.raises(ValueError, match='num_ffc_blocks'):
        DownsampleProcessingEncoder(num_downsamples=3, num_ffc_blocks=blocks)


@pytest.mark.parametrize('size', [(15, 16), (16, 20), (9, 8)])
def test_rejects_sizes_not_divisible(size):
    enc = DownsampleProcessingEncoder(base_channels=4, num_downsamples=3)
    with pytest.raises(ValueError, match='size_divisor 8'):
        enc(torch.randn(1, 4, *size))


@pytest.mark.parametrize('num_down,size,minimum', [(3, (8, 64), 16),
                                                   (1, (2, 8), 4),
                                                   (0, (3, 3), 4)])
def test_rejects_too_small_inputs(num_down, size, minimum):
    enc = DownsampleProcessingEncoder(base_channels=4,
                                      num_downsamples=num_down)
    assert enc.min_size == minimum
    with pytest.raises(ValueError, match=f'minimum {minimum}'):
        enc(torch.randn(1, 4, *size))


def test_rejects_wrong_channels():
    enc = DownsampleProcessingEncoder(base_channels=4, num_downsamples=1)
    with pytest.raises(ValueError, match=r'\[B, 4, H, W\]'):
        enc(torch.randn(1, 3, 8, 8))
