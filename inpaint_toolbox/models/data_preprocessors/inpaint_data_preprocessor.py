"""Batching, normalization and padding between transforms and models."""
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseDataPreprocessor

from inpaint_toolbox.registry import MODELS


def _pad_to(x: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Pad ``[C, H, W]`` at the bottom/right to ``height x width``.

    Reflect padding where the pad is shorter than the image side (the usual
    case), replicate padding otherwise (reflect cannot pad that far).
    """
    _, h, w = x.shape
    ph, pw = height - h, width - w
    if ph == 0 and pw == 0:
        return x
    mode = 'reflect' if ph < h and pw < w else 'replicate'
    return F.pad(x[None], (0, pw, 0, ph), mode=mode)[0]


@MODELS.register_module()
class InpaintDataPreprocessor(BaseDataPreprocessor):
    """Turn packed uint8 samples into the model's batched input.

    Input ``data``: ``{'inputs': [uint8 (3, H_i, W_i)], 'data_samples':
    [InpaintDataSample]}`` where every sample has a ``mask`` (1 = hole).

    With ``lq_img`` in the samples (scale > 1 training, see
    ``RescaleToLowRes``) the model input is ``lq_img`` with its mask, and
    ``gt``/``mask`` are at the full resolution (``scale`` times the padded
    input size; the mask upsampled with nearest neighbour); ``inputs`` then
    also holds ``scale``.

    Output: ``{'inputs': dict, 'data_samples': list}`` with

    - ``img``: ``(B, 4, Hp, Wp)`` masked image in [-1, 1] (hole pixels 0)
      concatenated with the mask: the generator's input;
    - ``gt``: ``(B, 3, Hp, Wp)`` ground truth in [-1, 1];
    - ``mask``: ``(B, 1, Hp, Wp)`` float, 1 = hole.

    ``Hp x Wp`` is the largest image of the batch rounded up to
    ``size_divisor``; padding is reflect (replicate where reflect cannot
    reach) and padded pixels count as known. Each sample records
    ``img_shape`` (its own size) and ``pad_shape``; :meth:`postprocess` crops
    predictions back.

    Args:
        size_divisor (int): pad H, W to a multiple of this (the
            generator's ``size_divisor``). Defaults to 8.
    """

    def __init__(self, size_divisor: int = 8):
        super().__init__()
        if size_divisor < 1:
            raise ValueError(f'size_divisor must be >= 1, got {size_divisor}')
        self.size_divisor = size_divisor

    def _padded_shape(self, shapes: Sequence[Tuple[int, int]]):
        d = self.size_divisor
        h = max(s[0] for s in shapes)
        w = max(s[1] for s in shapes)
        return (h + d - 1) // d * d, (w + d - 1) // d * d

    def forward(self, data: dict, training: bool = False) -> dict:
        data = self.cast_data(data)
        gts_in: List[torch.Tensor] = list(data['inputs'])
        samples = list(data['data_samples'])
        if len(gts_in) != len(samples):
            raise ValueError(
                f'{len(gts_in)} images but {len(samples)} samples')
        with_lq = ['lq_img' in s for s in samples]
        if any(with_lq) and not all(with_lq):
            raise ValueError('a batch mixes samples with and without lq_img')
        scale = 1.0
        if any(with_lq):
            scales = {float(s.metainfo.get('scale', 0)) for s in samples}
            if len(scales) != 1 or min(scales) < 1:
                raise ValueError('samples with lq_img need one common '
                                 f'scale >= 1 in their metainfo, got {scales}')
            scale = scales.pop()
        use_lq = all(with_lq)
        imgs = [s.lq_img for s in samples] if use_lq else gts_in
        for img, sample in zip(imgs, samples):
            name = sample.metainfo.get('gt_path')
            if img.ndim != 3 or img.shape[0] != 3:
                raise ValueError(
                    f'expected an image tensor of shape (3, H, W), got '
                    f'{tuple(img.shape)} ({name})')
            if 'mask' not in sample:
                raise ValueError(
                    'sample has no mask: add GenerateMask or LoadMaskFromFile '
                    f'to the pipeline ({name})')
            if tuple(sample.mask.shape[-2:]) != tuple(img.shape[-2:]):
                raise ValueError(
                    f'mask size {tuple(sample.mask.shape[-2:])} differs from '
                    f'image size {tuple(img.shape[-2:])} ({name})')
        hp, wp = self._padded_shape([tuple(i.shape[-2:]) for i in imgs])
        inp, masks = [], []
        for img, sample in zip(imgs, samples):
            sample.set_metainfo(
                dict(img_shape=tuple(img.shape[-2:]), pad_shape=(hp, wp)))
            inp.append(_pad_to(img.float(), hp, wp))
            m = (sample.mask.float().reshape(1, *img.shape[-2:]) > 0.5)
            masks.append(F.pad(m.float(), (0, wp - img.shape[-1], 0,
                                           hp - img.shape[-2])))
        x = torch.stack(inp) / 127.5 - 1.0
        mask = torch.stack(masks)
        img = torch.cat([x * (1.0 - mask), mask], dim=1)
        if not use_lq:
            return dict(inputs=dict(img=img, gt=x, mask=mask),
                        data_samples=samples)
        # scale > 1: the target is the full-resolution image, the mask is
        # the input's mask upsampled (nearest) to the target grid
        hs, ws = round(hp * scale), round(wp * scale)
        gt = torch.stack([_pad_to(g.float(), hs, ws) for g in gts_in])
        gt = gt / 127.5 - 1.0
        mask_full = F.interpolate(mask, size=(hs, ws), mode='nearest')
        return dict(
            inputs=dict(img=img, gt=gt, mask=mask_full, scale=scale),
            data_samples=samples)

    @staticmethod
    def postprocess(pred: torch.Tensor,
                    data_samples: Sequence,
                    scale: float = 1.0) -> List[torch.Tensor]:
        """Crop ``(B, 3, H', W')`` predictions in [-1, 1] back to each
        sample's (scaled) size and map them to [0, 255] floats.

        Returns:
            list[Tensor]: ``(3, round(h * scale), round(w * scale))`` each.
        """
        outs = []
        for p, sample in zip(pred, data_samples):
            h, w = sample.metainfo['img_shape']
            oh, ow = round(h * scale), round(w * scale)
            outs.append(((p[:, :oh, :ow].float() + 1.0) * 127.5).clamp(0, 255))
        return outs


__all__ = ['InpaintDataPreprocessor']
