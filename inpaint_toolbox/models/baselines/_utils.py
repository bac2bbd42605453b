"""Helpers shared by the baseline inpaintors."""
import os.path as osp
import warnings
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn

from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils.checkpoint import safe_load


def unpadded_inputs(inputs: dict, data_samples: Sequence[InpaintDataSample]
                    ) -> List[Tuple[torch.Tensor, torch.Tensor]]:
    """Each sample's masked image and mask, cropped back to its own size.

    Args:
        inputs (dict): preprocessed batch; ``img`` is ``(B, 4, Hp, Wp)``:
            the masked image in [-1, 1] (hole pixels 0) and the mask
            (1 = hole).
        data_samples (sequence): samples with ``img_shape`` ``(h, w)``.

    Returns:
        list[tuple]: ``(image (3, h, w) float in [0, 255], mask (1, h, w)
        float in {0, 1})`` per sample; hole pixels of the image hold the
        grey of the model input (127.5), never ground truth.
    """
    img = inputs['img']
    if img.ndim != 4 or img.shape[1] != 4:
        raise ValueError('expected inputs["img"] of shape (B, 4, H, W), got '
                         f'{tuple(img.shape)}')
    if img.shape[0] != len(data_samples):
        raise ValueError(f'{img.shape[0]} inputs but {len(data_samples)} '
                         'data samples')
    out = []
    for x, sample in zip(img, data_samples):
        h, w = sample.metainfo['img_shape']
        rgb = ((x[:3, :h, :w].float() + 1.0) * 127.5).clamp(0, 255)
        out.append((rgb, (x[3:, :h, :w] > 0.5).float()))
    return out


def set_outputs(preds: Sequence[torch.Tensor],
                data_samples: Sequence[InpaintDataSample]
                ) -> List[InpaintDataSample]:
    """Store ``pred_img`` and the composite ``output`` in each sample.

    Args:
        preds (sequence of Tensor): ``(3, h, w)`` floats in [0, 255], one
            per sample, at the sample's size.
        data_samples (sequence): samples with ``gt_img`` ``(3, h, w)`` and
            ``mask`` ``(1, h, w)`` (1 = hole).

    Returns:
        list[InpaintDataSample]: the samples, with ``pred_img`` and
        ``output = gt * (1 - m) + pred * m`` (known pixels exactly the
        input's).
    """
    out = []
    for pred, sample in zip(preds, data_samples):
        gt = sample.gt_img.to(pred.device).float()
        m = sample.mask.to(pred.device).float()
        if pred.shape != gt.shape:
            raise RuntimeError(f'prediction of shape {tuple(pred.shape)} for '
                               f'an image of shape {tuple(gt.shape)}')
        sample.pred_img = pred
        sample.output = gt * (1 - m) + pred * m
        out.append(sample)
    return out


def check_scale(scale, name: str) -> None:
    """Refuse output scales other than 1 (no known pixels exist there)."""
    if scale is not None and float(scale) != 1.0:
        raise ValueError(f'{name} inpaints at the input size only: scale '
                         f'must be 1, got {scale}')


def load_weights(module: nn.Module, path: str, what: str) -> None:
    """Load a checkpoint (``state_dict`` inside or a plain state dict).

    Keys may carry the prefix ``what + '.'`` (a checkpoint of a wrapper).
    Weights of the data preprocessor may be absent; any other missing weight
    is an error naming them; unused entries give a warning.

    Args:
        module (nn.Module): the module to fill.
        path (str): checkpoint file, read with the weights-only loader.
        what (str): name used in messages and as the optional key prefix.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the checkpoint does not fit ``module``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} checkpoint not found: {path!r}')
    state = safe_load(path, map_location='cpu')
    state = state.get('state_dict', state)
    prefix = what + '.'
    if state and all(k.startswith(prefix) for k in state):
        state = {k[len(prefix):]: v for k, v in state.items()}
    missing, unexpected = module.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith('data_preprocessor')]
    if missing:
        raise ValueError(f'{what} checkpoint {path!r} does not fit the '
                         f'config: {len(missing)} weights missing, e.g. '
                         f'{missing[:5]}')
    if unexpected:
        warnings.warn(f'{what} checkpoint {path!r}: {len(unexpected)} unused '
                      f'entries, e.g. {unexpected[:5]}')
