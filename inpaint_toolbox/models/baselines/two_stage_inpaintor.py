"""The two-stage baseline: inpaint at a fixed size, then resize back."""
import math
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from ._utils import check_scale, load_weights, set_outputs, unpadded_inputs

_EPS = 1e-3


def _parse_size(size) -> Tuple[int, int]:
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size, size)
    try:
        h, w = (int(s) for s in size)
        ok = (h, w) == tuple(size) and h > 0 and w > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f'size must be a positive int or a pair (h, w) of '
                         f'positive ints, got {size!r}')
    return h, w


def _has_params(module: Optional[nn.Module]) -> bool:
    return module is not None and any(p.numel() for p in module.parameters())


def masked_resize(img: torch.Tensor, mask: torch.Tensor,
                  size: Tuple[int, int]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Resize an image and its mask so that holes never leak into pixels.

    Known pixels are resized with a normalized (hole-excluding) bilinear
    filter, anti-aliased when shrinking; a target pixel is a hole as soon
    as any hole pixel contributes to it.

    Args:
        img (Tensor): ``(3, h, w)`` float in [0, 255].
        mask (Tensor): ``(1, h, w)`` float in {0, 1}, 1 = hole.
        size (tuple): target ``(H, W)``.

    Returns:
        tuple: image ``(3, H, W)`` uint8 (holes 0) and mask ``(1, H, W)``
        uint8 in {0, 1}.
    """
    def resize(x):
        return F.interpolate(x[None], size=size, mode='bilinear',
                             align_corners=False, antialias=True)[0]

    known = 1.0 - mask
    hole = resize(mask) > _EPS
    num, den = resize(img * known), resize(known)
    out = torch.where(hole, torch.zeros_like(num),
                      num / den.clamp(min=_EPS))
    return out.round().clamp(0, 255).byte(), hole.byte()


@MODELS.register_module()
class TwoStageInpaintor(BaseModel):
    """Inpaint at a fixed size, then go back to the input's size.

    The pipeline that methods trained on 512x512 squares use on real
    images: the masked image and mask are resized to ``size`` (see
    :func:`masked_resize`), any inpaintor fills the holes there, and its
    composite is brought back to the input size with bicubic interpolation
    or a super-resolution network (applied as many times as needed to reach
    at least the input size, then bicubic to the exact size). The result is
    composited with the known pixels at full resolution, so only hole
    pixels come from the pipeline.

    Its weights come from its own ``checkpoint`` and
    ``upsampler_checkpoint``; ``needs_checkpoint`` is True only when a part
    with parameters has no weights file (it then warns at construction).

    Args:
        inpaintor (dict): config of any inpaintor model with a
            ``data_preprocessor`` and ``predict(inputs, data_samples)``
            (``OneStageInpaintor``, ``IN2Inpaintor``, ``OpenCVInpaintor``).
        checkpoint (str, optional): its weights (a training checkpoint or a
            plain state dict). Defaults to None.
        size (int | tuple): the fixed ``(h, w)`` (an int means a square).
            Defaults to 512.
        upsampler (str | dict): ``'bicubic'`` or the config of a registered
            super-resolution network with an int ``scale`` attribute that
            maps ``[B, 3, h, w]`` in [-1, 1] to ``[B, 3, h * scale, w *
            scale]`` (e.g. ``dict(type='ESPCN', scale=4)``). Defaults to
            ``'bicubic'``.
        upsampler_checkpoint (str, optional): the network's weights.
        data_preprocessor (dict, optional): defaults to
            ``InpaintDataPreprocessor`` with ``size_divisor=1``.
        init_cfg (dict, optional).
    """

    def __init__(self,
                 inpaintor: dict,
                 checkpoint: Optional[str] = None,
                 size: Union[int, Sequence[int]] = 512,
                 upsampler: Union[str, dict] = 'bicubic',
                 upsampler_checkpoint: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor or dict(
                type='InpaintDataPreprocessor', size_divisor=1),
            init_cfg=init_cfg)
        if not isinstance(inpaintor, dict):
            raise TypeError('inpaintor must be a config dict, got '
                            f'{type(inpaintor).__name__}')
        self.size = _parse_size(size)
        self.inpaintor = MODELS.build(inpaintor)
        if not callable(getattr(self.inpaintor, 'predict', None)):
            raise TypeError(f'inpaintor {inpaintor.get("type")!r} has no '
                            'predict(inputs, data_samples) method')
        if checkpoint is not None:
            load_weights(self.inpaintor, checkpoint, 'inpaintor')
        if isinstance(upsampler, str):
            if upsampler != 'bicubic':
                raise ValueError("upsampler must be 'bicubic' or a network "
                                 f'config dict, got {upsampler!r}')
            if upsampler_checkpoint is not None:
                raise ValueError('upsampler_checkpoint is given but the '
                                 "upsampler is 'bicubic'")
            self.upsampler = None
        elif isinstance(upsampler, dict):
            self.upsampler = MODELS.build(upsampler)
            scale = getattr(self.upsampler, 'scale', None)
            if isinstance(scale, bool) or not isinstance(
                    scale, int) or scale < 2:
                raise ValueError(
                    f'upsampler {upsampler.get("type")!r} needs an int '
                    f'attribute scale >= 2, got {scale!r}')
            if upsampler_checkpoint is not None:
                load_weights(self.upsampler, upsampler_checkpoint,
                             'upsampler')
        else:
            raise TypeError("upsampler must be 'bicubic' or a config dict, "
                            f'got {type(upsampler).__name__}')
        self.checkpoint = checkpoint
        self.upsampler_checkpoint = upsampler_checkpoint
        for part in (self.inpaintor, self.upsampler):
            if part is not None:
                part.eval().requires_grad_(False)
        if self.needs_checkpoint:
            warnings.warn('TwoStageInpaintor: a part with parameters has no '
                          'checkpoint (inpaintor: '
                          f'{checkpoint!r}, upsampler: '
                          f'{upsampler_checkpoint!r}); it has random weights '
                          'until a checkpoint of the whole model is loaded')

    @property
    def needs_checkpoint(self) -> bool:
        """True when some part with parameters was built without weights."""
        return ((_has_params(self.inpaintor) and self.checkpoint is None)
                or (_has_params(self.upsampler)
                    and self.upsampler_checkpoint is None))

    def train(self, mode: bool = True):
        """Both parts stay in eval mode: the pipeline is not trained."""
        super().train(mode)
        for part in (self.inpaintor, self.upsampler):
            if part is not None:
                part.eval()
        return self

    # -------------------------------------------------------------- stages
    def inpaint_fixed_size(self, images: Sequence[torch.Tensor],
                           masks: Sequence[torch.Tensor]) -> torch.Tensor:
        """Stage 1: resize to ``size`` and inpaint.

        Args:
            images: ``(3, h_i, w_i)`` floats in [0, 255] (holes arbitrary).
            masks: ``(1, h_i, w_i)`` floats in {0, 1}.

        Returns:
            Tensor: ``(B, 3, *size)`` composites in [0, 255].
        """
        low_imgs, low_samples = [], []
        for img, mask in zip(images, masks):
            low, low_mask = masked_resize(img, mask, self.size)
            sample = InpaintDataSample(
                metainfo=dict(ori_shape=self.size, img_shape=self.size))
            sample.gt_img = low
            sample.mask = low_mask
            low_imgs.append(low)
            low_samples.append(sample)
        data = self.inpaintor.data_preprocessor(
            dict(inputs=low_imgs, data_samples=low_samples), False)
        with torch.no_grad():
            outs = self.inpaintor.predict(data['inputs'],
                                          data['data_samples'])
        result = torch.stack([o.output.float() for o in outs])
        assert result.shape[-2:] == self.size, result.shape
        return result

    def upscale(self, low: torch.Tensor,
                size: Tuple[int, int]) -> torch.Tensor:
        """Stage 2: bring a fixed-size result to ``size``.

        Args:
            low (Tensor): ``(3, h, w)`` in [0, 255].
            size (tuple): target ``(H, W)``.

        Returns:
            Tensor: ``(3, H, W)`` in [0, 255].
        """
        x = low[None]
        if self.upsampler is not None:
            factor = max(size[0] / x.shape[-2], size[1] / x.shape[-1])
            passes = max(0, math.ceil(
                math.log(factor) / math.log(self.upsampler.scale) - 1e-9))
            x = x / 127.5 - 1.0
            with torch.no_grad():
                for _ in range(passes):
                    x = self.upsampler(x.clamp(-1, 1))
            x = (x.clamp(-1, 1) + 1.0) * 127.5
        if tuple(x.shape[-2:]) != tuple(size):
            x = F.interpolate(x, size=size, mode='bicubic',
                              align_corners=False, antialias=True)
        return x[0].clamp(0, 255)

    # ----------------------------------------------------------- inference
    def predict(self, inputs: dict,
                data_samples: Sequence[InpaintDataSample],
                scale: Optional[float] = None) -> List[InpaintDataSample]:
        """Inpaint a preprocessed batch of any sizes.

        Args:
            inputs (dict): from ``InpaintDataPreprocessor``.
            data_samples (sequence): with ``gt_img`` and ``mask``.
            scale (float, optional): must be None or 1.

        Returns:
            list[InpaintDataSample]: ``pred_img`` (the upscaled stage-1
            result) and ``output`` (its composite with the known pixels),
            ``(3, h, w)`` floats in [0, 255] at each sample's size.
        """
        check_scale(scale, type(self).__name__)
        pairs = unpadded_inputs(inputs, data_samples)
        low = self.inpaint_fixed_size([p[0] for p in pairs],
                                      [p[1] for p in pairs])
        preds = [
            self.upscale(lo, tuple(img.shape[-2:]))
            for lo, (img, _) in zip(low, pairs)
        ]
        return set_outputs(preds, data_samples)

    def forward(self, inputs: dict,
                data_samples: Optional[Sequence[InpaintDataSample]] = None,
                mode: str = 'predict'):
        """Only ``mode='predict'``: see :meth:`predict`."""
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'{type(self).__name__} only predicts: mode must be '
                         f'"predict", got "{mode}"')

    def train_step(self, data, optim_wrapper):
        raise RuntimeError(
            f'{type(self).__name__} is not trained as a whole: train the '
            'inpaintor and the super-resolution network on their own and '
            'give their checkpoints')
