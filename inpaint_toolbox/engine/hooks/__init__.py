from .safe_checkpoint_hook import SafeCheckpointHook
from .visualization_hook import InpaintVisualizationHook

__all__ = ['InpaintVisualizationHook', 'SafeCheckpointHook']
