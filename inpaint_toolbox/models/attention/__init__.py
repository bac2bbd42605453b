"""Attention blocks."""
from .nhab import NHAB

__all__ = ['NHAB']
