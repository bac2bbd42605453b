"""AlexNet and VGG16 feature stacks as LPIPS uses them, rebuilt by hand so
torchvision's ImageNet weight files load by key name (``features.{i}.*``)
without torchvision."""
from typing import Callable, List, NamedTuple, Optional, Tuple

import torch
import torch.nn as nn

from .random_init import init_random_
from .weight_files import (ALEXNET, VGG16, WeightFile, check_weight_file,
                           load_by_key_names, read_state_dict)


def _conv_relu(in_ch: int,
               out_ch: int,
               kernel: int,
               stride: int = 1,
               padding: int = 0) -> List[nn.Module]:
    return [
        nn.Conv2d(in_ch, out_ch, kernel, stride=stride, padding=padding),
        nn.ReLU(inplace=False)
    ]


def _alexnet_features() -> List[nn.Module]:
    """torchvision ``alexnet().features`` (indices 0-12)."""
    return (_conv_relu(3, 64, 11, stride=4, padding=2)  # 0, 1
            + [nn.MaxPool2d(3, 2)]  # 2
            + _conv_relu(64, 192, 5, padding=2)  # 3, 4
            + [nn.MaxPool2d(3, 2)]  # 5
            + _conv_relu(192, 384, 3, padding=1)  # 6, 7
            + _conv_relu(384, 256, 3, padding=1)  # 8, 9
            + _conv_relu(256, 256, 3, padding=1))  # 10, 11


def _vgg16_features() -> List[nn.Module]:
    """torchvision ``vgg16().features`` (config D) up to ``relu5_3``."""
    modules, in_ch = [], 3
    for v in (64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512,
              'M', 512, 512, 512):
        if v == 'M':
            modules.append(nn.MaxPool2d(2, 2))
        else:
            modules += _conv_relu(in_ch, v, 3, padding=1)
            in_ch = v
    return modules


class BackboneSpec(NamedTuple):
    """How LPIPS uses one ImageNet network.

    Attributes:
        build (Callable): Returns the modules of torchvision's
            ``features`` up to the last tap.
        slice_ends (tuple[int, ...]): Index after each tap's ReLU.
        channels (tuple[int, ...]): Channels at each tap.
        weights (WeightFile): torchvision's weight file.
        min_size (int): Smallest input side giving a non-empty last tap.
    """

    build: Callable[[], List[nn.Module]]
    slice_ends: Tuple[int, ...]
    channels: Tuple[int, ...]
    weights: WeightFile
    min_size: int


class LPIPSBackbone(nn.Module):
    """The five feature taps of an ImageNet network used by LPIPS.

    ``alex``: after relu1 .. relu5 (64, 192, 384, 256, 256 channels).
    ``vgg``: after relu1_2, relu2_2, relu3_3, relu4_3, relu5_3 (64, 128,
    256, 512, 512 channels). Layers are kept under torchvision's indices so
    ``features.{i}.weight`` keys load directly; the classifier of the file
    is skipped.

    Args:
        net (str): ``'alex'`` or ``'vgg'``.
        weights (str | None): Path of torchvision's file
            (``alexnet-owt-7be5be79.pth`` / ``vgg16-397923af.pth``).
            Required unless ``random_init``. Default: None.
        random_init (bool): Seeded random weights instead of a file; for
            tests only. Default: False.
        seed (int): Seed of the random initialization. Default: 0.
    """

    #: Per network: layers, taps, their channels, weight file, min side.
    SPECS = {
        'alex':
        BackboneSpec(
            build=_alexnet_features,
            slice_ends=(2, 5, 8, 10, 12),
            channels=(64, 192, 384, 256, 256),
            weights=ALEXNET,
            min_size=31),
        'vgg':
        BackboneSpec(
            build=_vgg16_features,
            slice_ends=(4, 9, 16, 23, 30),
            channels=(64, 128, 256, 512, 512),
            weights=VGG16,
            min_size=16),
    }

    def __init__(self,
                 net: str = 'alex',
                 weights: Optional[str] = None,
                 random_init: bool = False,
                 seed: int = 0):
        super().__init__()
        if net not in self.SPECS:
            raise ValueError(
                f'net must be one of {sorted(self.SPECS)}, got {net!r}')
        spec = self.SPECS[net]
        if not random_init:
            check_weight_file(weights, spec.weights, 'backbone_weights')
        self.net = net
        self.slice_ends = spec.slice_ends
        self.channels = spec.channels
        self.min_size = spec.min_size
        self._weight_file = spec.weights
        self.features = nn.Sequential(*spec.build())
        if random_init:
            init_random_(self, seed)
        else:
            self.load_weights(weights)

    def load_weights(self, path: str) -> None:
        """Load ``features.*`` from torchvision's file.

        Args:
            path (str): The file.

        Raises:
            FileNotFoundError: If it does not exist.
            ValueError: If its ``features`` keys or shapes differ.
        """
        check_weight_file(path, self._weight_file, 'backbone_weights')
        load_by_key_names(
            self,
            read_state_dict(path),
            path,
            ignore_prefixes=('classifier.', ))

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Feature maps at the five taps.

        Args:
            x (torch.Tensor): ``(N, 3, H, W)``, already scaled as the
                network expects; ``H, W >= min_size``.

        Returns:
            list[torch.Tensor]: Five ``(N, C_k, H_k, W_k)`` maps.
        """
        if min(x.shape[-2:]) < self.min_size:
            raise ValueError(f'LPIPS-{self.net} needs images of at least '
                             f'{self.min_size}x{self.min_size} pixels, got '
                             f'{tuple(x.shape[-2:])}')
        outs, start = [], 0
        for end in self.slice_ends:
            for layer in self.features[start:end]:
                x = layer(x)
            outs.append(x)
            start = end
        return outs
