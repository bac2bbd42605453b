"""Latent mixing networks."""
from .gated_latent_mixer import GatedLatentMixer

__all__ = ['GatedLatentMixer']
