"""Baselines the methods are compared against: OpenCV's classical
inpainting, the two-stage (inpaint at a fixed size, then resize or
super-resolve) pipeline, and a small super-resolution network for it."""
from .espcn import ESPCN
from .opencv_inpaintor import OpenCVInpaintor, opencv_inpaint
from .two_stage_inpaintor import TwoStageInpaintor, masked_resize

__all__ = [
    'ESPCN', 'OpenCVInpaintor', 'opencv_inpaint', 'TwoStageInpaintor',
    'masked_resize'
]
