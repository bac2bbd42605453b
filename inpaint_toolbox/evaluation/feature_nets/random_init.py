"""Seeded random initialization of the metric networks (tests only)."""
import torch
import torch.nn as nn


def init_random_(module: nn.Module, seed: int) -> nn.Module:
    """Re-initialize the convolutions and linear layers of ``module``.

    Kaiming-normal weights (fan-in, ReLU gain) keep activations of order
    one through deep stacks, so features of an untrained network still
    vary with the input. BatchNorm layers keep PyTorch's defaults
    (identity statistics). Deterministic for a seed.

    Args:
        module (nn.Module): Network to initialize in place.
        seed (int): Seed of the generator.

    Returns:
        nn.Module: ``module``.
    """
    gen = torch.Generator().manual_seed(int(seed))
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(
                m.weight, nonlinearity='relu', generator=gen)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return module
