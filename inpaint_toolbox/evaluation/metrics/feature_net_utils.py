"""Building the metric feature networks from metric arguments: default
weight paths, early file checks, device choice."""
import hashlib
from typing import Optional

import torch

from ..feature_nets import LPIPSBackbone, check_weight_file
from ..feature_nets.lpips_net import _LIN_FILES


def resolve_device(device: str) -> torch.device:
    """``'auto'`` -> CUDA if available, else CPU; other names as given.

    Args:
        device (str): ``'auto'``, ``'cpu'``, ``'cuda'``, ``'cuda:1'`` ...

    Returns:
        torch.device: The device.
    """
    if device == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f'unknown device {device!r}: {err}') from None


def lpips_net_args(net: str, backbone_weights: Optional[str],
                   lin_weights: Optional[str], random_init: bool,
                   seed: int) -> dict:
    """Arguments of :class:`LPIPSNet`, with None paths replaced by the
    default ones under ``data/pretrained/`` and the files checked now.

    Args:
        net (str): ``'alex'`` or ``'vgg'``.
        backbone_weights (str | None): torchvision backbone file; None for
            ``data/pretrained/<its published name>``.
        lin_weights (str | None): ``lpips`` linear-layer file; None for
            ``data/pretrained/alex.pth`` / ``vgg.pth``.
        random_init (bool): Untrained networks, no files (tests only).
        seed (int): Seed of the random initialization.

    Returns:
        dict: Keyword arguments of ``LPIPSNet``.

    Raises:
        ValueError: For an unknown ``net``.
        FileNotFoundError: If a needed file is missing.
    """
    if net not in _LIN_FILES:
        raise ValueError(
            f'net must be one of {sorted(_LIN_FILES)}, got {net!r}')
    if not random_init:
        backbone_spec = LPIPSBackbone.SPECS[net].weights
        if backbone_weights is None:
            backbone_weights = backbone_spec.default_path
        if lin_weights is None:
            lin_weights = _LIN_FILES[net].default_path
        check_weight_file(backbone_weights, backbone_spec, 'backbone_weights')
        check_weight_file(lin_weights, _LIN_FILES[net], 'lin_weights')
    return dict(
        net=net,
        backbone_weights=backbone_weights,
        lin_weights=lin_weights,
        random_init=random_init,
        seed=seed)


def file_sha256(path: str) -> str:
    """Hex SHA-256 of a file's bytes (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()
