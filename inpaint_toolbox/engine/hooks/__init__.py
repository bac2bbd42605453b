from .gan_sample_hook import GANSampleHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .visualization_hook import InpaintVisualizationHook

__all__ = ['GANSampleHook', 'InpaintVisualizationHook', 'SafeCheckpointHook']
