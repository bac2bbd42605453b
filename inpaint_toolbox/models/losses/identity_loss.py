"""Identity loss from a user-supplied face-recognition network."""
import os
import os.path as osp
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.utils.checkpoint import safe_load

__all__ = ['IdentityLoss']


@MODELS.register_module()
class IdentityLoss(nn.Module):
    """``1 - cos(f(pred), f(gt))`` with a frozen face-recognition net ``f``.

    The toolbox ships no face-recognition weights and downloads nothing:
    the network comes from a local file, either

    - a TorchScript file (``torch.jit.save``; ``backbone=None``), or
    - a state dict (optionally under ``'state_dict'``) loaded with
      :func:`~inpaint_toolbox.utils.checkpoint.safe_load` into the
      registered module built from ``backbone``.

    The network must map ``[B, 3, input_size, input_size]`` images in
    [-1, 1] to embeddings ``[B, D]`` (or any shape, flattened). Before it,
    images are cropped to ``crop`` (fractions of the side, e.g. pSp's
    ``(35/256, 223/256, 32/256, 220/256)`` face box of aligned FFHQ) and
    resized bilinearly to ``input_size``.

    Args:
        model_path: the network file.
        backbone: registered module config for a state-dict file, or None
            for a TorchScript file.
        input_size: side the network expects (ArcFace: 112).
        crop: ``(top, bottom, left, right)`` fractions in [0, 1], or None.
        state_dict_prefix: prefix to strip from the state dict keys.

    Raises:
        FileNotFoundError: ``model_path`` does not exist.
        ValueError: the file is not a TorchScript module (without
            ``backbone``) or does not fit the backbone.
    """

    def __init__(self,
                 model_path: str,
                 backbone: Optional[dict] = None,
                 input_size: int = 112,
                 crop: Optional[Sequence[float]] = None,
                 state_dict_prefix: str = ''):
        super().__init__()
        if model_path is None or not osp.isfile(os.fspath(model_path)):
            raise FileNotFoundError(
                f'IdentityLoss: face-recognition network file not found: '
                f'{model_path!r}. Give a local TorchScript file, or a state '
                'dict with a registered backbone config; nothing is '
                'downloaded.')
        model_path = os.fspath(model_path)
        if crop is not None:
            crop = tuple(float(c) for c in crop)
            if len(crop) != 4 or not (0 <= crop[0] < crop[1] <= 1
                                      and 0 <= crop[2] < crop[3] <= 1):
                raise ValueError(f'crop must be (top, bottom, left, right) '
                                 f'fractions with top < bottom and left < '
                                 f'right, got {crop}')
        self.crop = crop
        self.input_size = int(input_size)
        if backbone is None:
            try:
                net = torch.jit.load(model_path, map_location='cpu')
            except RuntimeError as err:
                raise ValueError(
                    f'IdentityLoss: {model_path} is not a TorchScript file '
                    f'({err.__class__.__name__}); for a state dict give '
                    'backbone=dict(type=...) too') from None
        else:
            net = MODELS.build(backbone)
            state = safe_load(model_path)
            if isinstance(state, dict) and isinstance(
                    state.get('state_dict'), dict):
                state = state['state_dict']
            if state_dict_prefix:
                state = {
                    k[len(state_dict_prefix):]: v
                    for k, v in state.items()
                    if k.startswith(state_dict_prefix)
                }
            try:
                net.load_state_dict(state, strict=True)
            except RuntimeError as err:
                raise ValueError(f'IdentityLoss: {model_path} does not fit '
                                 f'the backbone {backbone}: {err}') from None
        for param in net.parameters():
            param.requires_grad_(False)
        net.eval()
        self.net = net

    def train(self, mode: bool = True):
        super().train(mode)
        self.net.eval()  # the recognition network never trains
        return self

    def embed(self, img: torch.Tensor) -> torch.Tensor:
        """``[B, 3, H, W]`` in [-1, 1] -> embeddings ``[B, D]``."""
        if img.ndim != 4 or img.shape[1] != 3:
            raise ValueError(f'expected [B, 3, H, W], got {tuple(img.shape)}')
        if self.crop is not None:
            h, w = img.shape[-2:]
            top, bottom, left, right = self.crop
            img = img[:, :,
                      round(top *
                            h):max(round(bottom * h),
                                   round(top * h) + 1),
                      round(left *
                            w):max(round(right * w),
                                   round(left * w) + 1)]
        img = F.interpolate(
            img,
            size=(self.input_size, self.input_size),
            mode='bilinear',
            align_corners=False)
        return self.net(img).flatten(1)

    def forward(self, pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
        """
        Args:
            pred: ``[B, 3, H, W]`` in [-1, 1].
            gt: ``[B, 3, H, W]`` in [-1, 1].

        Returns:
            Tensor: scalar, mean of ``1 - cos`` over the batch.
        """
        if pred.shape != gt.shape:
            raise ValueError(f'pred {tuple(pred.shape)} and gt '
                             f'{tuple(gt.shape)} differ in shape')
        fp = self.embed(pred)
        with torch.no_grad():
            fg = self.embed(gt)
        return (1 - F.cosine_similarity(fp, fg, dim=1)).mean()
