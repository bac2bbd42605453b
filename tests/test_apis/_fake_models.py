"""Small stand-in models with known outputs for inference tests.

- ``FakeSampler`` follows the inversion model's ``predict`` contract
  (``num_samples``, ``seed``, ``edits``; ``outputs``/``pred_imgs``): sample k
  of seed s fills the hole with a colour drawn from
  ``torch.Generator().manual_seed(s + k)``, shifted by the edit strengths.
- ``FakePointwise`` predicts ``255 - img`` pixel by pixel (nearest
  upsampling at ``scale``), so a tiled run must equal a whole-image run.

The tests folder is not a package: test files load this one by path.
Configs name the fakes after :func:`registered` has added them to MODELS.
"""
import contextlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

from inpaint_toolbox.models.data_preprocessors import InpaintDataPreprocessor
from inpaint_toolbox.registry import MODELS


class FakeSampler(BaseModel):
    """Inversion-like model: random hole colours, editable."""

    def __init__(self, directions=None, data_preprocessor=None):
        super().__init__(
            data_preprocessor=data_preprocessor or InpaintDataPreprocessor(
                size_divisor=4))
        self.directions = dict(directions or {})
        self.bias = nn.Parameter(torch.zeros(3))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        raise NotImplementedError

    def predict(self,
                inputs,
                data_samples,
                num_samples=1,
                seed=None,
                edits=None):
        edits = dict(edits or {})
        unknown = sorted(set(edits) - set(self.directions))
        if unknown:
            raise ValueError(f'unknown edit {unknown}, available: '
                             f'{sorted(self.directions)}')
        gt = inputs['gt']
        if seed is None:  # like the inversion model: draw and report one
            seed = int(torch.randint(0, 2**31 - 1, ()).item())
        shift = 0.1 * sum(edits.values())
        preds = []
        for k in range(num_samples):
            g = torch.Generator().manual_seed(seed + k)
            color = torch.rand(3, generator=g) * 1.6 - 0.8 + shift
            color = (color + self.bias).view(1, 3, 1, 1)
            preds.append(color.expand_as(gt).clamp(-1, 1))
        out = []
        for b, sample in enumerate(data_samples):
            p = torch.stack(
                self.data_preprocessor.postprocess(
                    torch.stack([x[b] for x in preds]),
                    [sample] * num_samples))
            m = sample.mask.float()
            sample.pred_imgs = p
            sample.outputs = sample.gt_img.float() * (1 - m) + p * m
            sample.pred_img = p[0]
            sample.output = sample.outputs[0]
            sample.set_metainfo(dict(seed=seed))
            out.append(sample)
        return out


class FakePointwise(BaseModel):
    """Deterministic model predicting ``255 - img`` at any scale."""

    def __init__(self, data_preprocessor=None):
        super().__init__(
            data_preprocessor=data_preprocessor or InpaintDataPreprocessor(
                size_divisor=4))
        self.calls = []

    def forward(self, inputs, data_samples=None, mode='tensor'):
        raise NotImplementedError

    def predict(self, inputs, data_samples, scale=None):
        scale = 1.0 if scale is None else float(scale)
        self.calls.append(tuple(inputs['gt'].shape))
        pred = -inputs['gt']
        if scale != 1.0:
            h, w = pred.shape[-2:]
            pred = F.interpolate(
                pred,
                size=(round(h * scale), round(w * scale)),
                mode='nearest')
        preds = self.data_preprocessor.postprocess(pred, data_samples, scale)
        for p, sample in zip(preds, data_samples):
            sample.pred_img = p
            if scale == 1.0:
                m = sample.mask.float()
                sample.output = sample.gt_img.float() * (1 - m) + p * m
            else:
                sample.output = p
        return list(data_samples)


@contextlib.contextmanager
def registered():
    """Register the fakes in MODELS for config files, then remove them."""
    names = {
        '_TestFakeSampler': FakeSampler,
        '_TestFakePointwise': FakePointwise
    }
    for name, cls in names.items():
        MODELS.register_module(name=name, module=cls, force=True)
    try:
        yield
    finally:
        for name in names:
            MODELS._module_dict.pop(name, None)
