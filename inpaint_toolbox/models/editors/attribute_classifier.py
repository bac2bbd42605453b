"""A small CNN that predicts binary face attributes.

It labels generated images for InterFaceGAN direction finding
(``tools/find_directions.py``) and measures whether an edit moves its
attribute. It is trained with ``tools/train.py`` on the synthetic faces'
renderer labels (``configs/inversion/attribute_classifier_*.py``).
"""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel

# Registration side effects: the transform and the metric that this model's
# configs use live outside the packages the registries import lazily.
import inpaint_toolbox.datasets.transforms.attribute_packing  # noqa: F401
import inpaint_toolbox.evaluation.metrics.attribute_accuracy  # noqa: F401
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample

__all__ = ['AttributeClassifier']


def _conv_bn_relu(in_channels: int, out_channels: int,
                  stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


@MODELS.register_module()
class AttributeClassifier(BaseModel):
    """Multi-label binary attribute classifier for ``[-1, 1]`` RGB images.

    A stem conv, then ``num_stages`` stages of (stride-2 conv, conv), each
    conv followed by batch norm and ReLU, global average pooling and a
    linear layer giving one logit per attribute. Any image size works.

    Args:
        attributes (sequence of str): Attribute names, in the order of the
            outputs; the dataset's ``PackAttributeInputs`` must use the same
            order. Defaults to ``('smiling', 'glasses', 'beard')``.
        in_channels (int): Image channels.
        base_channels (int): Channels of the stem; stage ``i`` has
            ``min(base_channels * 2 ** (i + 1), max_channels)``.
        num_stages (int): Stride-2 stages (at least 1).
        max_channels (int): Channel cap.
        dropout (float): Dropout before the linear layer, in [0, 1).
        data_preprocessor (dict | nn.Module, optional): Defaults to
            ``GANDataPreprocessor`` (uint8 batch to ``[-1, 1]``).
        init_cfg (dict, optional): mmengine weight initialization.
    """

    def __init__(self,
                 attributes: Sequence[str] = ('smiling', 'glasses', 'beard'),
                 in_channels: int = 3,
                 base_channels: int = 16,
                 num_stages: int = 4,
                 max_channels: int = 128,
                 dropout: float = 0.0,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = dict(type='GANDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            # our registry, so it builds without a default scope as well
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if isinstance(attributes, str):
            attributes = (attributes, )
        attributes = tuple(attributes)
        if not attributes or not all(isinstance(a, str) for a in attributes) \
                or len(set(attributes)) != len(attributes):
            raise ValueError('attributes must be a non-empty sequence of '
                             f'distinct names, got {attributes!r}')
        for name, value in (('in_channels', in_channels),
                            ('base_channels', base_channels),
                            ('num_stages', num_stages),
                            ('max_channels', max_channels)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'{name} must be a positive int, got '
                                 f'{value!r}')
        if not 0 <= dropout < 1:
            raise ValueError(f'dropout must be in [0, 1), got {dropout}')
        self.attributes = attributes
        self.in_channels = in_channels
        layers = [_conv_bn_relu(in_channels, base_channels)]
        channels = base_channels
        for i in range(num_stages):
            out = min(base_channels * 2**(i + 1), max_channels)
            layers += [_conv_bn_relu(channels, out, stride=2),
                       _conv_bn_relu(out, out)]
            channels = out
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(channels, len(attributes))

    @property
    def num_attributes(self) -> int:
        """K, the number of outputs."""
        return len(self.attributes)

    def attribute_index(self, name: str) -> int:
        """Output index of attribute ``name``.

        Raises:
            ValueError: unknown name; the message lists the known ones.
        """
        if name not in self.attributes:
            raise ValueError(f'unknown attribute {name!r}; this classifier '
                             f'predicts {list(self.attributes)}')
        return self.attributes.index(name)

    def logits(self, img: torch.Tensor) -> torch.Tensor:
        """``(B, C, H, W)`` images in [-1, 1] -> ``(B, K)`` logits."""
        if not isinstance(img, torch.Tensor) or img.ndim != 4 or \
                img.shape[1] != self.in_channels:
            raise ValueError(
                f'img must be (B, {self.in_channels}, H, W), got '
                f'{tuple(getattr(img, "shape", ())) or type(img).__name__}')
        feats = self.features(img.float()).mean(dim=(2, 3))
        return self.head(self.dropout(feats))

    def predict_proba(self, img: torch.Tensor) -> torch.Tensor:
        """Attribute probabilities.

        Args:
            img (Tensor): ``(B, C, H, W)`` images in [-1, 1].

        Returns:
            Tensor: ``(B, K)`` probabilities in [0, 1], in the order of
            ``attributes``.
        """
        return torch.sigmoid(self.logits(img))

    def _targets(self, data_samples: List[InpaintDataSample],
                 batch: int) -> torch.Tensor:
        if data_samples is None or len(data_samples) != batch:
            raise ValueError(f'loss mode needs {batch} data samples with '
                             'gt_attributes')
        for sample in data_samples:
            names = sample.metainfo.get('attribute_names')
            if names is not None and tuple(names) != self.attributes:
                raise ValueError(
                    f'the data gives attributes {tuple(names)}, the model '
                    f'predicts {self.attributes}: use the same names in '
                    'PackAttributeInputs and the model')
        target = torch.stack([s.gt_attributes for s in data_samples])
        if target.shape != (batch, self.num_attributes):
            raise ValueError(f'gt_attributes must be ({self.num_attributes},)'
                             f' per sample, got {tuple(target.shape[1:])}')
        return target.float()

    def forward(self,
                inputs: Union[dict, torch.Tensor],
                data_samples: Optional[List[InpaintDataSample]] = None,
                mode: str = 'tensor'):
        """Run the classifier.

        Args:
            inputs (dict | Tensor): ``{'img': (B, C, H, W)}`` as the data
                preprocessor gives, or the tensor itself; values in
                [-1, 1].
            data_samples (list, optional): With ``gt_attributes`` ``(K,)``
                for ``mode='loss'``.
            mode (str): ``'tensor'`` (logits ``(B, K)``), ``'loss'``
                (``{'loss_bce', 'acc'}``) or ``'predict'`` (data samples
                with ``pred_attributes`` ``(K,)`` probabilities and
                ``attribute_names``).

        Returns:
            Tensor, dict or list of :class:`InpaintDataSample`.
        """
        img = inputs['img'] if isinstance(inputs, dict) else inputs
        logits = self.logits(img)
        if mode == 'tensor':
            return logits
        if mode == 'loss':
            target = self._targets(data_samples, logits.shape[0])
            loss = F.binary_cross_entropy_with_logits(logits, target)
            acc = ((logits > 0).float() == target).float().mean()
            return dict(loss_bce=loss, acc=acc.detach())
        if mode == 'predict':
            probs = torch.sigmoid(logits).detach().cpu()
            if data_samples is None:
                data_samples = [InpaintDataSample() for _ in probs]
            for sample, prob in zip(data_samples, probs):
                sample.pred_attributes = prob
                sample.set_metainfo(dict(attribute_names=self.attributes))
            return data_samples
        raise ValueError(f'mode must be "tensor", "loss" or "predict", got '
                         f'{mode!r}')
