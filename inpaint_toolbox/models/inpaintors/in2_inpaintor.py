"""IN² inpaintor (arXiv 2401.10537)."""
from typing import Optional

from inpaint_toolbox.registry import MODELS
from .one_stage_inpaintor import OneStageInpaintor


@MODELS.register_module()
class IN2Inpaintor(OneStageInpaintor):
    """Position-aware implicit neural inpainting.

    An ``IN2Generator`` (downsample-processing encoder, NHAB blocks,
    implicit neural pyramid decoder) trained as a GAN with a PatchGAN
    discriminator and LaMa-like losses: masked L1, non-saturating
    adversarial loss with lazy R1, discriminator feature matching and a VGG19
    perceptual loss; an EMA generator serves inference.

    The implicit decoder queries any output grid, so ``predict`` (and the
    inferencer) accept a ``scale`` in [1, 4]: the image is inpainted and
    upsampled in one pass. Training at scale > 1 feeds a low-resolution copy
    of each crop (``RescaleToLowRes`` in the pipeline) and supervises the
    full-resolution crop.

    Args:
        generator (dict): defaults to ``dict(type='IN2Generator')``.
        max_scale (float): largest ``scale`` accepted at inference.
            Defaults to 4.
        **kwargs: see :class:`OneStageInpaintor`.
    """

    def __init__(self,
                 generator: Optional[dict] = None,
                 max_scale: float = 4.0,
                 **kwargs):
        super().__init__(
            generator=generator or dict(type='IN2Generator'), **kwargs)
        self.max_scale = float(max_scale)

    def generate(self, inputs: dict, scale: float = 1.0,
                 use_ema: bool = False):
        if not 1.0 <= scale <= self.max_scale:
            raise ValueError(f'scale must be in [1, {self.max_scale:g}], '
                             f'got {scale}')
        return super().generate(inputs, scale=scale, use_ema=use_ema)
