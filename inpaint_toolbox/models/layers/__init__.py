"""Small reusable layers (one concept per file)."""
from .channel_attention import CAB, ChannelAttention
from .conv_mixer import ConvMixer2d
from .ffc import FFC, FFCResBlock, FourierUnit, SpectralTransform
from .implicit_query import LocalImplicitQuery
from .layer_norm import LayerNorm2d
from .push_pull_fill import PushPullFill, push_pull_fill
from .neighborhood_attention import (NeighborhoodAttention2d,
                                     neighborhood_attention_2d)

__all__ = [
    'CAB', 'ChannelAttention', 'ConvMixer2d', 'FFC', 'FFCResBlock',
    'FourierUnit', 'SpectralTransform', 'LocalImplicitQuery', 'LayerNorm2d',
    'PushPullFill', 'push_pull_fill',
    'NeighborhoodAttention2d', 'neighborhood_attention_2d'
]
