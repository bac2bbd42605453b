"""Batching and normalization of real images for unconditional GANs."""
from typing import List, Optional, Sequence, Union

import torch
from mmengine.model import BaseDataPreprocessor

from inpaint_toolbox.registry import MODELS

__all__ = ['GANDataPreprocessor', 'to_pixel_range']


def to_pixel_range(img: torch.Tensor) -> torch.Tensor:
    """Map generator output in about [-1, 1] to floats in [0, 255].

    Uses NVIDIA's ``img * 127.5 + 128`` (so 0 maps to 128, as in
    ``generate.py``), clamped to [0, 255].

    Args:
        img: any shape, about [-1, 1].

    Returns:
        Tensor: same shape, float32 in [0, 255].
    """
    return (img.float() * 127.5 + 128.0).clamp(0.0, 255.0)


@MODELS.register_module()
class GANDataPreprocessor(BaseDataPreprocessor):
    """Stack real images into a ``[-1, 1]`` batch; masks are ignored.

    Input ``data``: ``{'inputs': [uint8 (C, H, W)] or uint8 (B, C, H, W),
    'data_samples': [...] (optional)}`` as packed by ``PackInpaintInputs``
    (its masks are not used). Every image of a batch must have the same
    size: GAN configs use a fixed-size dataset at the generator's
    resolution. Nothing is resized or padded.

    Output: ``{'inputs': {'img': (B, C, H, W) float32 in [-1, 1]},
    'data_samples': list or None}``.
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        """Batch and normalize.

        Args:
            data: see the class docstring.
            training: unused (the same conversion in every mode).

        Returns:
            dict: ``inputs`` (with ``img``) and ``data_samples``.

        Raises:
            TypeError: ``inputs`` is not a tensor or a sequence of tensors.
            ValueError: wrong shapes, or images of different sizes.
        """
        if not isinstance(data, dict) or 'inputs' not in data:
            raise TypeError('GANDataPreprocessor expects a dict with '
                            f"'inputs', got {type(data).__name__}")
        data = self.cast_data(data)
        imgs = data['inputs']
        samples: Optional[List] = data.get('data_samples')
        batch = self._stack(imgs)
        if samples is not None and len(samples) != batch.shape[0]:
            raise ValueError(f'{batch.shape[0]} images but {len(samples)} '
                             'data samples')
        x = batch.to(torch.float32) / 127.5 - 1.0
        return dict(inputs=dict(img=x), data_samples=samples)

    @staticmethod
    def _stack(imgs: Union[torch.Tensor, Sequence[torch.Tensor]]
               ) -> torch.Tensor:
        """``(B, C, H, W)`` tensor from a tensor or a list of ``(C, H, W)``.
        """
        if isinstance(imgs, torch.Tensor):
            if imgs.ndim != 4:
                raise ValueError(f'inputs must be (B, C, H, W), got shape '
                                 f'{tuple(imgs.shape)}')
            return imgs
        if not isinstance(imgs, (list, tuple)) or not imgs or not all(
                isinstance(i, torch.Tensor) for i in imgs):
            raise TypeError('inputs must be a (B, C, H, W) tensor or a '
                            'non-empty list of (C, H, W) tensors, got '
                            f'{type(imgs).__name__}')
        shapes = [tuple(i.shape) for i in imgs]
        if any(len(s) != 3 for s in shapes):
            raise ValueError(f'each image must be (C, H, W), got {shapes}')
        if len(set(shapes)) != 1:
            raise ValueError(
                f'all images of a GAN batch must have one size, got '
                f'{sorted(set(shapes))}: use a fixed-size dataset at the '
                "generator's resolution")
        return torch.stack(list(imgs))
