"""Inference: the one door that tools and the web page use.

The web page lives in :mod:`inpaint_toolbox.apis.web` and is imported only
on demand (it needs the optional ``gradio`` extra).
"""
from .inpaint_inferencer import (DEFAULT_MAX_PIXELS, PREDICT_OPTIONS,
                                 InpaintInferencer, predict_options,
                                 resolve_config)

__all__ = [
    'DEFAULT_MAX_PIXELS', 'PREDICT_OPTIONS', 'InpaintInferencer',
    'predict_options', 'resolve_config'
]
