"""Local weight files of the metric feature networks: where they are
expected, where they come from, and loading them by key name.

The toolbox never downloads them. Each file is named by the public format
it is in, so a user who already has it (from pytorch-fid, torchvision or
the ``lpips`` package) can point the config at it.
"""
import os.path as osp
from typing import Dict, NamedTuple, Optional, Sequence

import torch
import torch.nn as nn

from inpaint_toolbox.utils.checkpoint import safe_load

#: Folder where the configs and docs expect pretrained files by default.
DEFAULT_WEIGHTS_DIR = 'data/pretrained'


class WeightFile(NamedTuple):
    """A public weight file.

    Attributes:
        filename (str): Its published file name.
        description (str): What it holds, for error messages.
        url (str): Where to get it (text only; never fetched).
    """

    filename: str
    description: str
    url: str

    @property
    def default_path(self) -> str:
        """``data/pretrained/<filename>``, relative to the working dir."""
        return osp.join(DEFAULT_WEIGHTS_DIR, self.filename)


FID_INCEPTION = WeightFile(
    'pt_inception-2015-12-05-6726825d.pth',
    "pytorch-fid's FID Inception-v3 weights",
    'https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/'
    'pt_inception-2015-12-05-6726825d.pth')
ALEXNET = WeightFile(
    'alexnet-owt-7be5be79.pth', "torchvision's ImageNet AlexNet weights",
    'https://download.pytorch.org/models/alexnet-owt-7be5be79.pth')
VGG16 = WeightFile('vgg16-397923af.pth',
                   "torchvision's ImageNet VGG16 weights",
                   'https://download.pytorch.org/models/vgg16-397923af.pth')
LPIPS_LIN_ALEX = WeightFile(
    'alex.pth', 'LPIPS v0.1 linear layers for AlexNet (lpips package, '
    'lpips/weights/v0.1/alex.pth)',
    'https://github.com/richzhang/PerceptualSimilarity/raw/master/lpips/'
    'weights/v0.1/alex.pth')
LPIPS_LIN_VGG = WeightFile(
    'vgg.pth', 'LPIPS v0.1 linear layers for VGG16 (lpips package, '
    'lpips/weights/v0.1/vgg.pth)',
    'https://github.com/richzhang/PerceptualSimilarity/raw/master/lpips/'
    'weights/v0.1/vgg.pth')


def check_weight_file(path: Optional[str], spec: WeightFile,
                      option: str) -> str:
    """Return ``path`` if it is an existing file, else raise a clear error.

    Args:
        path (str | None): The configured path.
        spec (WeightFile): The file expected there.
        option (str): Name of the config option that sets the path, for
            the message.

    Returns:
        str: ``path``.

    Raises:
        FileNotFoundError: If ``path`` is None or not a file. The message
            names the file, the expected place, where to get it, and the
            option to set.
    """
    how = (f"Download it from {spec.url} (the toolbox never downloads "
           f"weights) and put it at {spec.default_path!r}, or set "
           f"`{option}=` in the metric config to its path. "
           '(`random_init=True` builds an untrained network, for tests '
           'only.)')
    if path is None:
        raise FileNotFoundError(
            f'{spec.description} ({spec.filename!r}) are needed but no '
            f'path was given. {how}')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{spec.description} ({spec.filename!r}) not found at '
            f'{path!r} (absolute: {osp.abspath(path)!r}). {how}')
    return path


def read_state_dict(path: str) -> Dict[str, torch.Tensor]:
    """Read a state dict with :func:`safe_load` (no code runs).

    A ``{'state_dict': ...}`` wrapper is unwrapped.

    Args:
        path (str): File path.

    Returns:
        dict[str, torch.Tensor]: The tensors by key name.

    Raises:
        ValueError: If the file holds no dict of tensors.
    """
    state = safe_load(path)
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    if not isinstance(state, dict) or not all(
            torch.is_tensor(v) for v in state.values()):
        raise ValueError(f'{path} does not hold a state dict of tensors')
    return state


def load_by_key_names(
    module: nn.Module,
    state: Dict[str, torch.Tensor],
    path: str,
    ignore_prefixes: Sequence[str] = (),
    optional_suffixes: Sequence[str] = ('num_batches_tracked', )
) -> None:
    """Copy ``state`` into ``module``, matching every key and shape.

    Args:
        module (nn.Module): Target; its ``state_dict()`` names are the
            public names of the file format.
        state (dict[str, torch.Tensor]): Tensors read from ``path``.
        path (str): The file, for messages.
        ignore_prefixes (Sequence[str]): Keys of the file that the module
            does not use (e.g. a classifier head), skipped.
        optional_suffixes (Sequence[str]): Module keys that may be absent
            from the file (BatchNorm's counter).

    Raises:
        ValueError: If keys are missing, unexpected, or of another shape.
    """
    own = module.state_dict()
    state = {
        k: v
        for k, v in state.items() if not k.startswith(tuple(ignore_prefixes))
    }
    missing = [
        k for k in own
        if k not in state and not k.endswith(tuple(optional_suffixes))
    ]
    unexpected = [k for k in state if k not in own]
    wrong = [
        f'{k}: file {tuple(v.shape)} vs model {tuple(own[k].shape)}'
        for k, v in state.items() if k in own and v.shape != own[k].shape
    ]
    problems = []
    if missing:
        problems.append(f'missing keys {missing[:5]} ({len(missing)} in all)')
    if unexpected:
        problems.append(f'unexpected keys {unexpected[:5]} '
                        f'({len(unexpected)} in all)')
    if wrong:
        problems.append(f'shape mismatches {wrong[:3]}')
    if problems:
        raise ValueError(f'{path} does not match {type(module).__name__}: ' +
                         '; '.join(problems))
    module.load_state_dict(state, strict=False)
