"""VGG19 feature extractor that reads torchvision-format weights from a
local file (no download)."""
import os.path as osp
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.utils.checkpoint import safe_load

# (out_channels or 'M' for max-pool) of VGG19's ``features`` (config E).
_VGG19_CFG = (64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512,
              512, 512, 'M', 512, 512, 512, 512, 'M')


def _vgg19_layer_names():
    """Names (``relu3_1`` ...) of the modules of ``features``, in order."""
    names, block, idx = [], 1, 1
    for v in _VGG19_CFG:
        if v == 'M':
            names.append(f'pool{block}')
            block, idx = block + 1, 1
        else:
            names += [f'conv{block}_{idx}', f'relu{block}_{idx}']
            idx += 1
    return names


VGG19_LAYERS = tuple(_vgg19_layer_names())


class VGG19Features(nn.Module):
    """``torchvision.models.vgg19().features`` rebuilt by hand, up to the
    deepest requested layer, so weights load from torchvision's file
    (``features.{i}.weight``) without torchvision.

    Args:
        layers (Sequence[str]): layer names to return, e.g. ``('relu1_1',
            'relu2_1')``; see ``VGG19_LAYERS``.
        weights (str | None): path of a torchvision VGG19 state dict
            (``vgg19-dcbb9e9d.pth``). None keeps random weights.
    """

    def __init__(self, layers: Sequence[str], weights: Optional[str] = None):
        super().__init__()
        unknown = [n for n in layers if n not in VGG19_LAYERS]
        if unknown:
            raise ValueError(f'unknown VGG19 layers {unknown}; '
                             f'choose from {VGG19_LAYERS}')
        self.layers = tuple(layers)
        last = max(VGG19_LAYERS.index(n) for n in layers)
        modules, in_ch = [], 3
        for v in _VGG19_CFG:
            if v == 'M':
                modules.append(nn.MaxPool2d(2, 2))
            else:
                modules += [nn.Conv2d(in_ch, v, 3, padding=1),
                            nn.ReLU(inplace=False)]
                in_ch = v
        self.features = nn.Sequential(*modules[:last + 1])
        self.register_buffer(
            'mean', torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1),
            persistent=False)
        self.register_buffer(
            'std', torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1),
            persistent=False)
        if weights is not None:
            self.load_weights(weights)

    def load_weights(self, path: str) -> None:
        """Load ``features.*`` from a torchvision-format file."""
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'VGG19 weights not found at {path}. Put torchvision\'s '
                '"vgg19-dcbb9e9d.pth" (or any state dict with '
                '"features.N.weight" keys) there, or set the path to None '
                'to disable the perceptual loss.')
        state = safe_load(path)
        if 'state_dict' in state:
            state = state['state_dict']
        own = {k: v for k, v in state.items() if k.startswith('features.')}
        own = {k[len('features.'):]: v for k, v in own.items()
               if int(k.split('.')[1]) < len(self.features)}
        missing, _ = self.features.load_state_dict(own, strict=False)
        if missing:
            raise ValueError(f'{path} lacks VGG19 weights {missing[:4]}...')

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """
        Args:
            x: ``(B, 3, H, W)`` RGB in [-1, 1].

        Returns:
            dict: layer name -> feature map.
        """
        x = ((x + 1) / 2 - self.mean) / self.std
        out = {}
        for name, module in zip(VGG19_LAYERS, self.features):
            x = module(x)
            if name in self.layers:
                out[name] = x
        return out
