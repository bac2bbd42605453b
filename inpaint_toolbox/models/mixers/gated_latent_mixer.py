"""Per-layer gated mixing of an encoded and a random StyleGAN2 code."""
from typing import Optional, Tuple, Union

import torch
import torch.nn as nn

from inpaint_toolbox.registry import MODELS

__all__ = ['GatedLatentMixer']


@MODELS.register_module()
class GatedLatentMixer(nn.Module):
    """``w = g * w_enc + (1 - g) * w_rand`` with a learned per-layer gate.

    ``g = sigmoid(MLP([w_enc, w_rand, e_l]))`` for each W+ layer ``l``,
    where ``e_l`` is a learned embedding of the layer index; the gate has
    one value per channel of the code. The encoded code carries what the
    known pixels say, the random (mapped) code what they leave open, so
    different random codes give different fillings. The last layer of the
    MLP starts at zero weights and bias ``gate_bias_init``, so every gate
    starts at ``sigmoid(gate_bias_init)``.

    The inversion-inpainting paper (arXiv 2307.15033) does not publish the
    mixer's exact form; this is the toolbox's default, a
    registered component so that variants are config changes.

    Args:
        n_latent: number of W+ codes.
        w_dim: code size.
        hidden_channels: MLP width (default ``w_dim``).
        num_layers: MLP layers (>= 1).
        layer_embed_dim: size of the layer embedding (default
            ``min(w_dim, 32)``).
        gate_bias_init: initial gate logit.
    """

    def __init__(self,
                 n_latent: int,
                 w_dim: int = 512,
                 hidden_channels: Optional[int] = None,
                 num_layers: int = 2,
                 layer_embed_dim: Optional[int] = None,
                 gate_bias_init: float = 0.0):
        super().__init__()
        if n_latent < 1 or w_dim < 1 or num_layers < 1:
            raise ValueError(f'need n_latent, w_dim, num_layers >= 1, got '
                             f'{n_latent}, {w_dim}, {num_layers}')
        self.n_latent = int(n_latent)
        self.w_dim = int(w_dim)
        hidden = self.w_dim if hidden_channels is None else hidden_channels
        embed = min(self.w_dim, 32) if layer_embed_dim is None \
            else layer_embed_dim
        self.layer_embed = nn.Parameter(torch.randn(self.n_latent, embed))
        layers, width = [], 2 * self.w_dim + embed
        for _ in range(num_layers - 1):
            layers += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
            width = hidden
        last = nn.Linear(width, self.w_dim)
        nn.init.zeros_(last.weight)
        nn.init.constant_(last.bias, gate_bias_init)
        self.mlp = nn.Sequential(*layers, last)

    def forward(
        self,
        w_enc: torch.Tensor,
        w_rand: torch.Tensor,
        return_gate: bool = False
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """Mix.

        Args:
            w_enc: ``[B, n_latent, w_dim]`` encoded codes.
            w_rand: ``[B, n_latent, w_dim]`` random codes (or ``[B,
                w_dim]``, used for every layer).
            return_gate: also return the gate.

        Returns:
            Tensor: ``[B, n_latent, w_dim]`` mixed codes (and the gate
            ``[B, n_latent, w_dim]`` in (0, 1) with ``return_gate``).
        """
        shape = (self.n_latent, self.w_dim)
        if w_enc.ndim != 3 or tuple(w_enc.shape[1:]) != shape:
            raise ValueError(f'w_enc must be [B, {shape[0]}, {shape[1]}], '
                             f'got {tuple(w_enc.shape)}')
        if w_rand.ndim == 2:
            w_rand = w_rand.unsqueeze(1).expand(-1, self.n_latent, -1)
        if w_rand.shape != w_enc.shape:
            raise ValueError(f'w_rand must be [{w_enc.shape[0]}, '
                             f'{shape[0]}, {shape[1]}] or '
                             f'[{w_enc.shape[0]}, {shape[1]}], got '
                             f'{tuple(w_rand.shape)}')
        embed = self.layer_embed.unsqueeze(0).expand(w_enc.shape[0], -1, -1)
        gate = torch.sigmoid(
            self.mlp(torch.cat([w_enc, w_rand, embed.to(w_enc)], dim=-1)))
        mixed = gate * w_enc + (1 - gate) * w_rand
        return (mixed, gate) if return_gate else mixed

    def extra_repr(self) -> str:
        return f'n_latent={self.n_latent}, w_dim={self.w_dim}'
