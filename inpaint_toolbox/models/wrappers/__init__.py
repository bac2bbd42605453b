from .separate_ddp import InpaintSeparateDDP

__all__ = ['InpaintSeparateDDP']
