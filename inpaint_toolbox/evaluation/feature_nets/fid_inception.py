"""Inception-v3 as used for FID by pytorch-fid, rebuilt by hand so that
its weight file (``pt_inception-2015-12-05-6726825d.pth``, a port of the
TensorFlow FID graph) loads by key name without torchvision.

It is torchvision's Inception-v3 layout with the FID graph's differences:
the average pools of the A, C and first E blocks ignore padded zeros, and
the last E block max-pools its pool branch. Only the 2048-d features of
the final average pool are computed (the 1008-way classifier of the file
is not used).
"""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from .random_init import init_random_
from .weight_files import (FID_INCEPTION, check_weight_file, load_by_key_names,
                           read_state_dict)

IntPair = Union[int, Sequence[int]]


class BasicConv2d(nn.Module):
    """Conv (no bias), BatchNorm (eps 1e-3), ReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int | tuple[int, int]): Kernel size.
        stride (int): Stride. Default: 1.
        padding (int | tuple[int, int]): Zero padding. Default: 0.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: IntPair,
                 stride: int = 1,
                 padding: IntPair = 0):
        super().__init__()
        self.conv = nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            stride=stride,
            padding=padding,
            bias=False)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)))


def _avg_pool_3x3(x: torch.Tensor) -> torch.Tensor:
    """3x3 stride-1 average that ignores padded zeros (TensorFlow's)."""
    return F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)


class InceptionA(nn.Module):
    """35x35 block: 1x1, 5x5, double 3x3 and pool branches.

    Output channels: ``224 + pool_features``.
    """

    def __init__(self, in_channels: int, pool_features: int):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 64, 1)
        self.branch5x5_1 = BasicConv2d(in_channels, 48, 1)
        self.branch5x5_2 = BasicConv2d(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, padding=1)
        self.branch_pool = BasicConv2d(in_channels, pool_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        pool = self.branch_pool(_avg_pool_3x3(x))
        return torch.cat([self.branch1x1(x), b5, b3, pool], 1)


class InceptionB(nn.Module):
    """Grid reduction 35 -> 17. Output channels: ``480 + in_channels``."""

    def __init__(self, in_channels: int):
        super().__init__()
        self.branch3x3 = BasicConv2d(in_channels, 384, 3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        pool = F.max_pool2d(x, 3, stride=2)
        return torch.cat([self.branch3x3(x), b3, pool], 1)


class InceptionC(nn.Module):
    """17x17 block with factorized 7x7 convolutions. Output: 768."""

    def __init__(self, in_channels: int, channels_7x7: int):
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(in_channels, 192, 1)
        self.branch7x7_1 = BasicConv2d(in_channels, c7, 1)
        self.branch7x7_2 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(in_channels, c7, 1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, (1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(in_channels, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        d7 = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3,
                      self.branch7x7dbl_4, self.branch7x7dbl_5):
            d7 = layer(d7)
        pool = self.branch_pool(_avg_pool_3x3(x))
        return torch.cat([self.branch1x1(x), b7, d7, pool], 1)


class InceptionD(nn.Module):
    """Grid reduction 17 -> 8. Output channels: ``512 + in_channels``."""

    def __init__(self, in_channels: int):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(in_channels, 192, 1)
        self.branch3x3_2 = BasicConv2d(192, 320, 3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(in_channels, 192, 1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = self.branch7x7x3_1(x)
        for layer in (self.branch7x7x3_2, self.branch7x7x3_3,
                      self.branch7x7x3_4):
            b7 = layer(b7)
        pool = F.max_pool2d(x, 3, stride=2)
        return torch.cat([b3, b7, pool], 1)


class InceptionE(nn.Module):
    """8x8 block with expanded 3x3 branches. Output: 2048.

    Args:
        in_channels (int): Input channels.
        pool (str): Pool branch: ``'avg'`` (zero-padding-free average,
            first E block of the FID graph) or ``'max'`` (second one).
    """

    def __init__(self, in_channels: int, pool: str):
        super().__init__()
        if pool not in ('avg', 'max'):
            raise ValueError(f"pool must be 'avg' or 'max', got {pool!r}")
        self.pool = pool
        self.branch1x1 = BasicConv2d(in_channels, 320, 1)
        self.branch3x3_1 = BasicConv2d(in_channels, 384, 1)
        self.branch3x3_2a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 448, 1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(in_channels, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        d3 = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        d3 = torch.cat([self.branch3x3dbl_3a(d3), self.branch3x3dbl_3b(d3)], 1)
        if self.pool == 'avg':
            pool = _avg_pool_3x3(x)
        else:
            pool = F.max_pool2d(x, 3, stride=1, padding=1)
        pool = self.branch_pool(pool)
        return torch.cat([self.branch1x1(x), b3, d3, pool], 1)


class FIDInceptionV3(nn.Module):
    """The FID Inception-v3 feature extractor (2048-d pool features).

    The input is resized to 299x299 (bilinear, ``align_corners=False``, no
    antialiasing) and mapped from [0, 1] to [-1, 1], as pytorch-fid's
    ``InceptionV3`` does, so images of any size and aspect ratio go in.

    Module names equal the keys of ``pt_inception-2015-12-05-6726825d.pth``
    (``Conv2d_1a_3x3.conv.weight``, ``Mixed_5b.branch1x1.bn.running_mean``,
    ...); the file's ``fc.*`` classifier is skipped on load.

    Args:
        weights (str | None): Path of the weight file. Required unless
            ``random_init``. Default: None.
        random_init (bool): Build with seeded random weights instead of
            loading a file. For tests only: its features are not those of
            FID. Default: False.
        seed (int): Seed of the random initialization. Default: 0.
    """

    #: Dimension of the output features.
    feature_dim = 2048
    #: Side of the square the input is resized to.
    input_size = 299

    def __init__(self,
                 weights: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0):
        super().__init__()
        if not random_init:
            check_weight_file(weights, FID_INCEPTION, 'inception_weights')
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, 3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, 3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, 1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, 3)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280, pool='avg')
        self.Mixed_7c = InceptionE(2048, pool='max')
        if random_init:
            init_random_(self, seed)
        else:
            self.load_weights(weights)
        self.eval().requires_grad_(False)

    def load_weights(self, path: str) -> None:
        """Load pytorch-fid's weight file by key name.

        Args:
            path (str): Path of ``pt_inception-2015-12-05-6726825d.pth``.

        Raises:
            FileNotFoundError: If the file does not exist.
            ValueError: If its keys or shapes differ, or its classifier is
                not the FID graph's 1008-way one (e.g. torchvision's
                ImageNet Inception file, whose features differ).
        """
        check_weight_file(path, FID_INCEPTION, 'inception_weights')
        state = read_state_dict(path)
        fc = state.get('fc.weight')
        if fc is not None and tuple(fc.shape) != (1008, 2048):
            raise ValueError(
                f'{path} has a {tuple(fc.shape)} classifier, not the FID '
                "Inception's (1008, 2048): it is not "
                f'{FID_INCEPTION.filename!r} (FID needs those weights).')
        load_by_key_names(self, state, path, ignore_prefixes=('fc.', ))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Features of a batch.

        Args:
            x (torch.Tensor): ``(N, 3, H, W)`` float RGB in [0, 1], any
                H, W.

        Returns:
            torch.Tensor: ``(N, 2048)`` float features.
        """
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f'expected (N, 3, H, W), got {tuple(x.shape)}')
        size = (self.input_size, self.input_size)
        x = F.interpolate(x, size=size, mode='bilinear', align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, 3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, 3, stride=2)
        for block in (self.Mixed_5b, self.Mixed_5c, self.Mixed_5d,
                      self.Mixed_6a, self.Mixed_6b, self.Mixed_6c,
                      self.Mixed_6d, self.Mixed_6e, self.Mixed_7a,
                      self.Mixed_7b, self.Mixed_7c):
            x = block(x)
        return x.mean(dim=(2, 3))  # [N, 2048]
