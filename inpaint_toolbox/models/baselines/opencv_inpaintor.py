"""OpenCV's classical inpainting (Telea; Navier-Stokes) as a model."""
from typing import List, Optional, Sequence

import cv2
import numpy as np
import torch
from mmengine.model import BaseModel

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from ._utils import check_scale, set_outputs, unpadded_inputs

_FLAGS = {'telea': cv2.INPAINT_TELEA, 'ns': cv2.INPAINT_NS}


def opencv_inpaint(img: np.ndarray, mask: np.ndarray, method: str = 'telea',
                   radius: float = 5.0) -> np.ndarray:
    """Inpaint one RGB image with ``cv2.inpaint``.

    Args:
        img (np.ndarray): ``(H, W, 3)`` uint8 RGB.
        mask (np.ndarray): ``(H, W)`` in {0, 1}, 1 = hole.
        method (str): ``'telea'`` (fast marching, Telea 2004) or ``'ns'``
            (Navier-Stokes, Bertalmio et al. 2001).
        radius (float): neighbourhood radius in pixels.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB; known pixels unchanged.
    """
    if img.ndim != 3 or img.shape[2] != 3 or img.dtype != np.uint8:
        raise ValueError('expected an (H, W, 3) uint8 image, got '
                         f'{img.shape} {img.dtype}')
    if mask.shape != img.shape[:2]:
        raise ValueError(f'mask shape {mask.shape} differs from image size '
                         f'{img.shape[:2]}')
    hole = (mask > 0).astype(np.uint8)
    if not hole.any():
        return img.copy()
    bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    out = cv2.inpaint(bgr, hole * 255, float(radius), _FLAGS[method])
    return cv2.cvtColor(out, cv2.COLOR_BGR2RGB)


@MODELS.register_module()
class OpenCVInpaintor(BaseModel):
    """Classical diffusion-style inpainting, a baseline with no parameters.

    Works on any image size without padding or resizing, so it runs under
    ``tools/test.py`` and ``tools/compare.py`` without a checkpoint
    (``needs_checkpoint`` is False). The model sees only the masked image
    and the mask (channel 4 of the preprocessed input), like every other
    inpaintor.

    Args:
        method (str): ``'telea'`` or ``'ns'``. Defaults to ``'telea'``.
        radius (float): neighbourhood radius in pixels, > 0. Defaults to 5.
        data_preprocessor (dict, optional): defaults to
            ``InpaintDataPreprocessor`` with ``size_divisor=1``.
        init_cfg (dict, optional).
    """

    needs_checkpoint = False

    def __init__(self,
                 method: str = 'telea',
                 radius: float = 5.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if method not in _FLAGS:
            raise ValueError(f'method must be one of {sorted(_FLAGS)}, got '
                             f'{method!r}')
        if isinstance(radius, bool) or not isinstance(
                radius, (int, float)) or not radius > 0:
            raise ValueError(f'radius must be a number > 0, got {radius!r}')
        super().__init__(
            data_preprocessor=data_preprocessor or dict(
                type='InpaintDataPreprocessor', size_divisor=1),
            init_cfg=init_cfg)
        self.method = method
        self.radius = float(radius)

    def inpaint(self, inputs: dict,
                data_samples: Sequence[InpaintDataSample]
                ) -> List[torch.Tensor]:
        """Inpaint each sample at its own size.

        Returns:
            list[Tensor]: ``(3, h, w)`` float in [0, 255] per sample.
        """
        preds = []
        for rgb, mask in unpadded_inputs(inputs, data_samples):
            img = rgb.round().byte().permute(1, 2, 0).cpu().numpy()
            hole = mask[0].byte().cpu().numpy()
            out = opencv_inpaint(img, hole, self.method, self.radius)
            preds.append(
                torch.from_numpy(out).permute(2, 0, 1).float().to(rgb.device))
        return preds

    def predict(self, inputs: dict,
                data_samples: Sequence[InpaintDataSample],
                scale: Optional[float] = None) -> List[InpaintDataSample]:
        """Inpaint a preprocessed batch.

        Args:
            inputs (dict): from ``InpaintDataPreprocessor``.
            data_samples (sequence): with ``gt_img`` and ``mask``.
            scale (float, optional): must be None or 1.

        Returns:
            list[InpaintDataSample]: ``pred_img`` and ``output`` (the
            composite), ``(3, h, w)`` floats in [0, 255].
        """
        check_scale(scale, type(self).__name__)
        return set_outputs(self.inpaint(inputs, data_samples), data_samples)

    def forward(self, inputs: dict,
                data_samples: Optional[Sequence[InpaintDataSample]] = None,
                mode: str = 'predict'):
        """``mode='predict'``: see :meth:`predict`; ``mode='tensor'``:
        ``(B, 3, Hp, Wp)`` in [-1, 1] (needs ``data_samples`` for the
        sizes). There is no ``'loss'`` mode: nothing trains."""
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            pred = inputs['img'][:, :3].clone()
            for i, p in enumerate(self.inpaint(inputs, data_samples)):
                pred[i, :, :p.shape[1], :p.shape[2]] = p / 127.5 - 1.0
            return pred
        raise ValueError(f'{type(self).__name__} has nothing to train: mode '
                         f'must be "predict" or "tensor", got "{mode}"')

    def train_step(self, data, optim_wrapper):
        raise RuntimeError(f'{type(self).__name__} has no parameters to '
                           'train; use it with tools/test.py or '
                           'tools/compare.py')
