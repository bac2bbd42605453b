from .inpaint_inferencer import InpaintInferencer, resolve_config

__all__ = ['InpaintInferencer', 'resolve_config']
