"""The one Python door to inference: tools and the web page call this."""
import glob
import os
import os.path as osp
import warnings
from typing import Optional, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils.checkpoint import safe_load
from inpaint_toolbox.utils.image_io import imread_mask, imread_rgb

_CONFIG_ROOT = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs')


def resolve_config(config: Union[str, Config]) -> Config:
    """A ``Config`` from an object, a file path, or a config name (the file
    name without ``.py`` of any config under the checkout's ``configs/``)."""
    if isinstance(config, Config):
        return config
    if osp.isfile(config):
        return Config.fromfile(config)
    name = osp.splitext(osp.basename(config))[0]
    hits = glob.glob(
        osp.join(_CONFIG_ROOT, '**', name + '.py'), recursive=True)
    if len(hits) == 1:
        return Config.fromfile(hits[0])
    raise FileNotFoundError(
        f'config {config!r} is neither a file nor the name of a config '
        f'under {_CONFIG_ROOT}' + (f' (ambiguous: {hits})' if hits else ''))


def _as_rgb(img) -> np.ndarray:
    if isinstance(img, (str, os.PathLike)):
        return imread_rgb(img)
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=-1)
    if arr.ndim != 3 or arr.shape[-1] != 3:
        raise ValueError(f'expected an (H, W, 3) RGB image, got shape '
                         f'{arr.shape}')
    if arr.dtype != np.uint8:
        raise TypeError(f'expected a uint8 image, got {arr.dtype}')
    return arr


def _as_mask(mask, hole_value: Optional[str], threshold: float) -> np.ndarray:
    if isinstance(mask, (str, os.PathLike)):
        if hole_value is None:
            raise ValueError(
                f'mask file {mask!r} needs an explicit convention: pass '
                "mask_hole_value='white' or 'black'")
        return imread_mask(mask, hole_value, threshold)
    m = np.asarray(mask)
    if m.ndim == 3 and m.shape[-1] == 1:
        m = m[..., 0]
    if m.ndim != 2:
        raise ValueError(f'expected an (H, W) mask, got shape {m.shape}')
    if hole_value is None:
        values = np.unique(m)
        if not np.isin(values, (0, 1)).all():
            raise ValueError(
                'mask array must hold 0 (known) and 1 (hole) only, found '
                f'values {values[:6].tolist()}; for an 8-bit mask image pass '
                "mask_hole_value='white' or 'black'")
        return m.astype(np.uint8)
    if hole_value not in ('white', 'black'):
        raise ValueError(
            f"mask_hole_value must be 'white' or 'black', got {hole_value!r}")
    white = m.astype(np.float64) > threshold
    return (white if hole_value == 'white' else ~white).astype(np.uint8)


class InpaintInferencer:
    """Inpaint images with a model built from a config.

    Args:
        config (str | Config): config path, config name, or object.
        checkpoint (str, optional): weights; None keeps random weights (with
            a warning).
        device (str): torch device. Defaults to ``'cpu'``.

    Example::

        >>> inf = InpaintInferencer('in2_quick_synthetic-faces', 'ckpt.pth')
        >>> out = inf(img, mask)          # img (H, W, 3) RGB uint8
        >>> out['output'].shape           # (H, W, 3) uint8
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu'):
        from inpaint_toolbox.registry import MODELS
        from inpaint_toolbox.utils import register_all_modules
        register_all_modules(init_default_scope=False)
        self.cfg = resolve_config(config)
        with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
            self.model = MODELS.build(self.cfg.model)
        if checkpoint is None:
            warnings.warn('InpaintInferencer: no checkpoint given, the model '
                          'has random weights')
        else:
            self._load(checkpoint)
        self.device = torch.device(device)
        self.model.to(self.device).eval()

    def _load(self, checkpoint: str) -> None:
        state = safe_load(checkpoint, map_location='cpu')
        state = state.get('state_dict', state)
        missing, unexpected = self.model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.startswith('data_preprocessor')]
        if missing:
            raise ValueError(
                f'{checkpoint} does not fit the config: {len(missing)} '
                f'weights missing, e.g. {missing[:5]}')
        if unexpected:
            warnings.warn(f'{checkpoint}: {len(unexpected)} unused entries, '
                          f'e.g. {unexpected[:5]}')

    @torch.no_grad()
    def __call__(self,
                 img,
                 mask,
                 scale: float = 1.0,
                 seed: Optional[int] = None,
                 mask_hole_value: Optional[str] = None,
                 mask_threshold: float = 127) -> dict:
        """Inpaint one image.

        Args:
            img: ``(H, W, 3)`` RGB uint8 array, or an image path.
            mask: ``(H, W)`` array with 1 = hole (or an 8-bit mask with
                ``mask_hole_value``), or a mask file path (then
                ``mask_hole_value`` is required).
            scale (float): output scale (models that support it).
            seed (int, optional): seeds torch for stochastic models.
            mask_hole_value (str, optional): ``'white'`` or ``'black'``.
            mask_threshold (float): binarization threshold for 8-bit masks.

        Returns:
            dict: ``output`` (H', W', 3) uint8 RGB (the composite at scale
            1), ``pred`` the raw prediction, ``mask`` the (H, W) {0, 1} mask
            used, and ``scale``.
        """
        rgb = _as_rgb(img)
        m = _as_mask(mask, mask_hole_value, mask_threshold)
        if m.shape != rgb.shape[:2]:
            raise ValueError(f'mask size {m.shape} differs from image size '
                             f'{rgb.shape[:2]}')
        if seed is not None:
            torch.manual_seed(seed)
        sample = InpaintDataSample(
            metainfo=dict(ori_shape=rgb.shape[:2], img_shape=rgb.shape[:2]))
        gt = torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))
        sample.gt_img = gt
        sample.mask = torch.from_numpy(m[None].copy())
        data = self.model.data_preprocessor(
            dict(inputs=[gt], data_samples=[sample]), False)
        result = self.model.predict(
            data['inputs'], data['data_samples'], scale=scale)[0]

        def to_np(t):
            return t.permute(1, 2, 0).round().clamp(0, 255).byte().cpu(
            ).numpy()

        return dict(
            output=to_np(result.output),
            pred=to_np(result.pred_img),
            mask=m,
            scale=scale)
