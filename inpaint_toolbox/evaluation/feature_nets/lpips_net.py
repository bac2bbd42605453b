"""LPIPS (learned perceptual image patch similarity, Zhang et al. 2018,
v0.1 as in the ``lpips`` package), written by hand.

Distance between two images: scale the [-1, 1] input by LPIPS's fixed
constants, take five feature maps of an ImageNet AlexNet or VGG16,
unit-normalize each pixel's feature vector over channels, square the
difference, weight the channels with the learned 1x1 "linear" layer of
that tap, average over space and sum over the five taps.
"""
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from .lpips_backbones import LPIPSBackbone
from .weight_files import (LPIPS_LIN_ALEX, LPIPS_LIN_VGG, check_weight_file,
                           load_by_key_names, read_state_dict)

#: LPIPS's input scaling: ``(x - shift) / scale`` per RGB channel.
LPIPS_SHIFT = (-0.030, -0.088, -0.188)
LPIPS_SCALE = (0.458, 0.448, 0.450)

_LIN_FILES = {'alex': LPIPS_LIN_ALEX, 'vgg': LPIPS_LIN_VGG}


class LPIPSLinear(nn.Module):
    """A tap's learned channel weights: dropout, then a 1x1 conv to one
    channel without bias (``lin{k}.model.1.weight``, ``(1, C, 1, 1)``).

    Args:
        channels (int): Channels of the tap.
    """

    def __init__(self, channels: int):
        super().__init__()
        self.model = nn.Sequential(nn.Dropout(),
                                   nn.Conv2d(channels, 1, 1, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


def unit_normalize(x: torch.Tensor, eps: float = 1e-10) -> torch.Tensor:
    """Divide each pixel's feature vector by its L2 norm (plus ``eps``).

    Args:
        x (torch.Tensor): ``(N, C, H, W)``.
        eps (float): Added to the norm. Default: 1e-10.

    Returns:
        torch.Tensor: Same shape.
    """
    return x / (x.pow(2).sum(dim=1, keepdim=True).sqrt() + eps)


class LPIPSNet(nn.Module):
    """LPIPS distance network.

    Args:
        net (str): Backbone, ``'alex'`` or ``'vgg'``. Default: ``'alex'``.
        backbone_weights (str | None): torchvision's
            ``alexnet-owt-7be5be79.pth`` / ``vgg16-397923af.pth``.
            Required unless ``random_init``.
        lin_weights (str | None): The ``lpips`` package's ``alex.pth`` /
            ``vgg.pth`` (keys ``lin0.model.1.weight`` ...). Required
            unless ``random_init``.
        random_init (bool): Seeded random backbone and non-negative random
            linear weights (the published ones are non-negative too), so
            the distance keeps its form (zero for equal inputs, symmetric,
            positive otherwise) but not its meaning. For tests only.
            Default: False.
        seed (int): Seed of the random initialization. Default: 0.
    """

    def __init__(self,
                 net: str = 'alex',
                 backbone_weights: Optional[str] = None,
                 lin_weights: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0):
        super().__init__()
        if net not in _LIN_FILES:
            raise ValueError(
                f'net must be one of {sorted(_LIN_FILES)}, got {net!r}')
        if not random_init:
            check_weight_file(backbone_weights,
                              LPIPSBackbone.SPECS[net].weights,
                              'backbone_weights')
            check_weight_file(lin_weights, _LIN_FILES[net], 'lin_weights')
        self.net = net
        self.backbone = LPIPSBackbone(net, backbone_weights, random_init, seed)
        self.lins = nn.ModuleDict({
            f'lin{k}': LPIPSLinear(c)
            for k, c in enumerate(self.backbone.channels)
        })
        self.register_buffer(
            'shift',
            torch.tensor(LPIPS_SHIFT).view(1, 3, 1, 1),
            persistent=False)
        self.register_buffer(
            'scale',
            torch.tensor(LPIPS_SCALE).view(1, 3, 1, 1),
            persistent=False)
        if random_init:
            gen = torch.Generator().manual_seed(int(seed) + 1)
            with torch.no_grad():
                for lin in self.lins.values():
                    weight = lin.model[1].weight
                    weight.copy_(
                        torch.rand(weight.shape, generator=gen) * 2 /
                        weight.shape[1])
        else:
            self.load_lin_weights(lin_weights)
        self.eval().requires_grad_(False)

    @property
    def min_size(self) -> int:
        """Smallest image side the backbone accepts."""
        return self.backbone.min_size

    def load_lin_weights(self, path: str) -> None:
        """Load the linear layers from the ``lpips`` package's file.

        Args:
            path (str): ``alex.pth`` or ``vgg.pth``.

        Raises:
            FileNotFoundError: If it does not exist.
            ValueError: If its keys or shapes differ (e.g. ``vgg.pth`` for
                an AlexNet backbone).
        """
        check_weight_file(path, _LIN_FILES[self.net], 'lin_weights')
        load_by_key_names(self.lins, read_state_dict(path), path)

    def features(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Unit-normalized feature maps of a batch.

        Args:
            x (torch.Tensor): ``(N, 3, H, W)`` RGB in [-1, 1].

        Returns:
            list[torch.Tensor]: Five ``(N, C_k, H_k, W_k)`` maps.
        """
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f'expected (N, 3, H, W), got {tuple(x.shape)}')
        x = (x - self.shift) / self.scale
        return [unit_normalize(f) for f in self.backbone(x)]

    def distance_from_features(
            self,
            feats0: List[torch.Tensor],
            feats1: List[torch.Tensor],
            mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """LPIPS from the outputs of :meth:`features`.

        Args:
            feats0 (list[torch.Tensor]): Features of the first images.
            feats1 (list[torch.Tensor]): Features of the second images,
                same shapes (or batch 1, broadcast).
            mask (torch.Tensor, optional): ``(N or 1, 1, H, W)`` image-size
                weights in [0, 1] (1 = hole). Each tap's distance map is
                then averaged with the mask's area-pooled fraction at that
                tap's resolution as weights, instead of uniformly. The
                mask must not be all zero. Default: None.

        Returns:
            torch.Tensor: ``(N,)`` distances, >= 0.
        """
        total = 0
        for k, (f0, f1) in enumerate(zip(feats0, feats1)):
            dist = self.lins[f'lin{k}']((f0 - f1).pow(2))  # [N, 1, h, w]
            if mask is None:
                total = total + dist.mean(dim=(1, 2, 3))
            else:
                weight = F.adaptive_avg_pool2d(mask.to(dist), dist.shape[-2:])
                total = total + (dist * weight).sum(dim=(1, 2, 3)) / \
                    weight.sum(dim=(1, 2, 3))
        return total

    def forward(self,
                x0: torch.Tensor,
                x1: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """LPIPS distance between two batches.

        Args:
            x0 (torch.Tensor): ``(N, 3, H, W)`` RGB in [-1, 1], with
                ``H, W >= min_size`` (31 for AlexNet, 16 for VGG16).
            x1 (torch.Tensor): Same shape as ``x0``.
            mask (torch.Tensor, optional): ``(N, 1, H, W)`` in {0, 1},
                1 = hole; restricts the spatial average to the hole, see
                :meth:`distance_from_features`. Default: None.

        Returns:
            torch.Tensor: ``(N,)`` distances, >= 0 with the published
            weights (0 for identical inputs).
        """
        if x0.shape != x1.shape:
            raise ValueError('inputs must have the same shape, got '
                             f'{tuple(x0.shape)} and {tuple(x1.shape)}')
        if mask is not None:
            expected = (x0.shape[0], 1) + tuple(x0.shape[-2:])
            if tuple(mask.shape) != expected:
                raise ValueError(f'mask must be {expected}, got '
                                 f'{tuple(mask.shape)}')
            if not bool((mask.flatten(1).sum(1) > 0).all()):
                raise ValueError('mask has no hole pixels')
        return self.distance_from_features(
            self.features(x0), self.features(x1), mask)
