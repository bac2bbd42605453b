"""The one Python door to inference: tools and the web page call this."""
import glob
import inspect
import math
import os.path as osp
import warnings
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils.checkpoint import safe_load
from . import _tiling
from ._inputs import as_mask, as_rgb, describe

_CONFIG_ROOT = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs')

#: Default pixel limit of one model call: 2048 x 2048 output pixels. The
#: paper-scale IN2 peaks at about 5.4 GiB there on the CPU (about 1.4 KB per
#: pixel, see benchmarks/README.md).
DEFAULT_MAX_PIXELS = 2048 * 2048

#: Options that ``__call__`` forwards to ``model.predict`` when given.
PREDICT_OPTIONS = ('scale', 'num_samples', 'seed', 'edits')

_OOM_MARKERS = ('out of memory', "can't allocate memory")


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


def predict_options(model) -> Optional[frozenset]:
    """The options of :data:`PREDICT_OPTIONS` that ``model.predict``
    accepts, or None when it takes ``**kwargs`` (anything)."""
    params = inspect.signature(model.predict).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return None
    return frozenset(o for o in PREDICT_OPTIONS if o in params)


def _to_uint8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x), 0, 255).astype(np.uint8)


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _check_options(scale, num_samples, seed, edits) -> None:
    if scale is not None:
        ok = isinstance(scale, (int, float)) and not isinstance(scale, bool)
        if not ok or not math.isfinite(scale) or scale <= 0:
            raise ValueError(f'scale must be a positive number, got '
                             f'{scale!r}')
    if num_samples is not None and not (_is_int(num_samples)
                                        and num_samples >= 1):
        raise ValueError(
            f'num_samples must be an int >= 1, got {num_samples!r}')
    if seed is not None and not (_is_int(seed) and seed >= 0):
        raise ValueError(f'seed must be an int >= 0, got {seed!r}')
    if edits is not None:
        if not isinstance(edits, dict):
            raise TypeError(f'edits must be a dict {{name: strength}}, got '
                            f'{type(edits).__name__}')
        for k, v in edits.items():
            if not isinstance(k, str) or isinstance(v, bool) or \
                    not isinstance(v, (int, float)):
                raise TypeError(f'edits must map names to numbers, got '
                                f'{k!r}: {v!r}')


class InpaintInferencer:
    """Inpaint images with a model built from a config.

    Args:
        config (str | Config): config path, config name, or object.
        checkpoint (str, optional): weights; None keeps random weights (with
            a warning).
        device (str): torch device. Defaults to ``'cpu'``.
        max_pixels (int): the most output pixels one model call may
            produce (``H * W * scale**2``, summed over a batch). Larger
            images are inpainted by overlapping tiles when ``tile`` is True
            and the model is deterministic; otherwise they are refused with
            a ValueError. Defaults to :data:`DEFAULT_MAX_PIXELS`
            (2048 x 2048).
        tile (bool): tile images above ``max_pixels`` (True) or refuse them
            (False). Models that draw samples (their ``predict`` takes
            ``num_samples``) are never tiled: independent samples per tile
            would not make one picture. Defaults to True.
        tile_overlap (int): overlap of neighbouring tiles in input pixels;
            predictions are blended across it with linear ramps.
            Defaults to 32.

    Example::

        >>> inf = InpaintInferencer('in2_quick_synthetic-faces', 'ckpt.pth')
        >>> out = inf(img, mask)          # img (H, W, 3) RGB uint8
        >>> out['output'].shape           # (H, W, 3) uint8
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu',
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 tile: bool = True,
                 tile_overlap: int = 32):
        from inpaint_toolbox.registry import MODELS
        from inpaint_toolbox.utils import register_all_modules
        if int(max_pixels) < 1:
            raise ValueError(f'max_pixels must be >= 1, got {max_pixels!r}')
        if int(tile_overlap) < 0:
            raise ValueError(
                f'tile_overlap must be >= 0, got {tile_overlap!r}')
        register_all_modules(init_default_scope=False)
        self.cfg = resolve_config(config)
        with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
            self.model = MODELS.build(self.cfg.model)
        self.checkpoint = checkpoint
        if checkpoint is None:
            warnings.warn('InpaintInferencer: no checkpoint given, the model '
                          'has random weights')
        else:
            self._load(checkpoint)
        self.device = torch.device(device)
        self.model.to(self.device).eval()
        self.max_pixels = int(max_pixels)
        self.tile = bool(tile)
        self.tile_overlap = int(tile_overlap)
        self._options = predict_options(self.model)

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

    # ----------------------------------------------------------- model facts
    def accepts(self, option: str) -> bool:
        """Whether the model's ``predict`` takes ``option`` (one of
        ``'scale'``, ``'num_samples'``, ``'seed'``, ``'edits'``)."""
        if option not in PREDICT_OPTIONS:
            raise ValueError(f'option must be one of {PREDICT_OPTIONS}, got '
                             f'{option!r}')
        return self._options is None or option in self._options

    @property
    def is_sampling(self) -> bool:
        """True for models that draw several samples (inversion models)."""
        return self._options is not None and 'num_samples' in self._options

    @property
    def direction_names(self) -> List[str]:
        """Names usable in ``edits``: the keys of the model config's
        ``directions`` (empty for models without editing)."""
        dirs = self.cfg.model.get('directions', None)
        return sorted(dirs) if isinstance(dirs, dict) else []

    @property
    def size_divisor(self) -> int:
        pre = getattr(self.model, 'data_preprocessor', None)
        return int(getattr(pre, 'size_divisor', 1))

    @property
    def default_scale(self) -> float:
        """The scale the model uses when none is given."""
        test_cfg = getattr(self.model, 'test_cfg', None) or {}
        return float(test_cfg.get('scale', 1.0))

    # --------------------------------------------------------------- calling
    @torch.no_grad()
    def __call__(self,
                 img,
                 mask,
                 scale: Optional[float] = None,
                 seed: Optional[int] = None,
                 mask_hole_value: Optional[str] = None,
                 mask_threshold: float = 127,
                 *,
                 num_samples: Optional[int] = None,
                 edits: Optional[Dict[str, float]] = None,
                 channel_order: str = 'rgb') -> Union[dict, List[dict]]:
        """Inpaint one image, or a list of images (a batch).

        Args:
            img: an image path, a uint8 array (``(H, W, 3)`` in
                ``channel_order``, or gray ``(H, W)``), a PIL image, or a
                list of these (each any size).
            mask: ``(H, W)`` array with 1 = hole (or an 8-bit mask with
                ``mask_hole_value``), a mask file path or a PIL image (then
                ``mask_hole_value`` is required); for a list of images a
                list of masks of the same length, or one mask for all.
            scale (float, optional): output scale (models whose ``predict``
                takes ``scale``, e.g. IN2: 1 to 4).
            seed (int, optional): sample k uses seed ``seed + k`` (models
                that take ``seed``). Every image of a batch uses the same
                seed, so a result does not depend on its batch.
            mask_hole_value (str, optional): ``'white'`` or ``'black'``:
                which gray value marks the hole in 8-bit masks.
            mask_threshold (float): gray level in [0, 255) separating black
                from white. Defaults to 127.
            num_samples (int, optional): samples per image (models that take
                ``num_samples``).
            edits (dict, optional): ``{direction name: strength}`` (models
                that take ``edits``; names from :attr:`direction_names`).
            channel_order (str): ``'rgb'`` or ``'bgr'``, the order of
                3-channel array inputs. Outputs are always RGB.

        ``scale``, ``seed``, ``num_samples`` and ``edits`` are passed to
        ``model.predict`` only when given; one the model does not take is a
        TypeError.

        Returns:
            dict (a list of dicts for a list input) with

            - ``output``: ``(H', W', 3)`` uint8 RGB, the composite ``img *
              (1 - mask) + pred * mask`` (at scale 1; the raw prediction at
              other scales, where no input pixel exists) of the first sample;
            - ``pred``: ``(H', W', 3)`` uint8 raw prediction;
            - ``outputs`` / ``preds``: lists of ``num_samples`` such arrays
              (one entry for deterministic models);
            - ``mask``: ``(H, W)`` uint8 {0, 1}, the mask used (1 = hole);
            - ``scale`` (float); ``seed``: the one used (a sampling model
              that drew a random seed reports it, so the call can be
              repeated), else the one given or None; ``num_samples`` (int),
              ``edits`` (dict), ``input_shape`` ``(H, W)``, ``source`` (the
              path, or a short description of the object);
            - ``tiles``: ``(run, total)``, the tiles the model ran and the
              tile count (``(1, 1)`` when the image fit in one call).

        Raises:
            TypeError: an option the model does not take, bad input types.
            ValueError: bad values, mismatched sizes, an image above
                ``max_pixels`` that cannot be tiled.
            FileNotFoundError: a missing image or mask file.
            MemoryError: the device ran out of memory (lower
                ``max_pixels``).
        """
        opts = self._options_for_call(scale, num_samples, seed, edits)
        batch = isinstance(img, (list, tuple))
        imgs = list(img) if batch else [img]
        if batch and isinstance(mask, (list, tuple)):
            if len(mask) != len(imgs):
                raise ValueError(f'{len(imgs)} images but {len(mask)} masks')
            masks = list(mask)
        else:
            masks = [mask] * len(imgs)
        if not imgs:
            raise ValueError('no images given')
        items = []
        for im, mk in zip(imgs, masks):
            rgb = as_rgb(im, channel_order)
            m = as_mask(mk, mask_hole_value, mask_threshold)
            if m.shape != rgb.shape[:2]:
                raise ValueError(
                    f'mask size {m.shape} differs from image size '
                    f'{rgb.shape[:2]} ({describe(im)})')
            items.append((rgb, m, describe(im)))
        results = self._run(items, opts)
        eff_scale = float(opts.get('scale', self.default_scale))
        out = []
        for (rgb, m, name), (outs, preds, tiles,
                             seed_used) in zip(items, results):
            outputs = [_to_uint8(o) for o in outs]
            preds_u8 = [_to_uint8(p) for p in preds]
            out.append(
                dict(
                    output=outputs[0],
                    pred=preds_u8[0],
                    outputs=outputs,
                    preds=preds_u8,
                    mask=m,
                    scale=eff_scale,
                    seed=seed_used,
                    num_samples=len(outputs),
                    edits=dict(opts.get('edits') or {}),
                    input_shape=tuple(rgb.shape[:2]),
                    source=name,
                    tiles=tiles))
        return out if batch else out[0]

    def _options_for_call(self, scale, num_samples, seed, edits) -> dict:
        _check_options(scale, num_samples, seed, edits)
        given = dict(
            scale=scale, num_samples=num_samples, seed=seed, edits=edits)
        opts = {k: v for k, v in given.items() if v is not None}
        refused = [k for k in opts if not self.accepts(k)]
        if refused:
            takes = sorted(self._options or ())
            raise TypeError(
                f'{type(self.model).__name__}.predict does not accept '
                f'{", ".join(refused)} (it takes: '
                f'{", ".join(takes) if takes else "no options"})')
        names = self.direction_names
        if edits and names:
            unknown = sorted(set(edits) - set(names))
            if unknown:
                raise ValueError(f'unknown edit direction(s) {unknown}; '
                                 f'available: {names}')
        if 'scale' in opts:
            opts['scale'] = float(opts['scale'])
        return opts

    # ------------------------------------------------------------- planning
    def _limit_error(self, shape: Tuple[int, int], scale: float,
                     reason: str) -> ValueError:
        side = math.isqrt(self.max_pixels)
        h, w = shape
        return ValueError(
            f'image of {w}x{h} pixels ({h * w * scale * scale / 1e6:.1f} M '
            f'output pixels at scale {scale:g}) exceeds max_pixels='
            f'{self.max_pixels} (about {side}x{side}) and {reason}; raise '
            'the limit with InpaintInferencer(..., max_pixels=N) or '
            '--max-pixels N of tools/inpaint.py and tools/webui.py (memory '
            'grows with it: about '
            '1.4 KB per pixel for the paper-scale IN2 on the CPU), or '
            'downscale the image')

    def _run(self, items, opts) -> list:
        scale = float(opts.get('scale', self.default_scale))
        results: list = [None] * len(items)
        groups: Dict[Tuple[int, int], List[int]] = {}
        for i, (rgb, _, _) in enumerate(items):
            shape = rgb.shape[:2]
            if shape[0] * shape[1] * scale * scale <= self.max_pixels:
                groups.setdefault(shape, []).append(i)
                continue
            if self.is_sampling:
                raise self._limit_error(
                    shape, scale, 'models that draw samples are not tiled')
            if not self.tile:
                raise self._limit_error(shape, scale, 'tiling is off')
            results[i] = self._run_tiled(items[i][0], items[i][1], opts, scale)
        for shape, idx in groups.items():
            per_call = 1 if self.is_sampling else max(
                1, int(self.max_pixels //
                       (shape[0] * shape[1] * scale * scale)))
            for s in range(0, len(idx), per_call):
                chunk = idx[s:s + per_call]
                outs = self._predict([items[i][0] for i in chunk],
                                     [items[i][1] for i in chunk], opts)
                for i, (o, p, sd) in zip(chunk, outs):
                    results[i] = (o, p, (1, 1), sd)
        return results

    def _run_tiled(self, rgb: np.ndarray, mask: np.ndarray, opts: dict,
                   scale: float):
        """Inpaint one large image tile by tile (deterministic models)."""
        h, w = rgb.shape[:2]
        side = _tiling.tile_side(self.max_pixels, scale, self.size_divisor)
        overlap = min(self.tile_overlap, side // 4)
        boxes = _tiling.tile_boxes(h, w, side, overlap)
        out_hw = (round(h * scale), round(w * scale))
        blender = _tiling.TileBlender(out_hw, round(overlap * scale))
        run = 0
        for box in boxes:
            y0, x0, th, tw = box
            m = mask[y0:y0 + th, x0:x0 + tw]
            if scale == 1.0 and not m.any():
                continue  # the composite of a tile without holes is input
            _, preds, _ = self._predict([rgb[y0:y0 + th, x0:x0 + tw]], [m],
                                        opts)[0]
            blender.add(_tiling.scaled_box(box, scale), preds[0])
            run += 1
        fill = rgb if scale == 1.0 else np.zeros((*out_hw, 3), np.float32)
        pred = blender.result(fill)
        if scale == 1.0:
            m = mask[..., None].astype(np.float32)
            output = rgb.astype(np.float32) * (1 - m) + pred * m
        else:
            output = pred
        return [output], [pred], (run, len(boxes)), opts.get('seed')

    # ------------------------------------------------------------ the model
    def _predict(self, rgbs: Sequence[np.ndarray], masks: Sequence[np.ndarray],
                 opts: dict) -> List[Tuple[list, list, Optional[int]]]:
        """One ``model.predict`` call on a batch.

        Returns:
            list: per image ``(outputs, preds, seed)``: lists of
            ``(H', W', 3)`` float32 arrays in [0, 255], and the seed the
            model reports in the sample's metainfo (else the one given).
        """
        samples, gts = [], []
        for rgb, m in zip(rgbs, masks):
            sample = InpaintDataSample(
                metainfo=dict(
                    ori_shape=rgb.shape[:2], img_shape=rgb.shape[:2]))
            gt = torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))
            sample.gt_img = gt
            sample.mask = torch.from_numpy(m[None].copy())
            samples.append(sample)
            gts.append(gt)
        try:
            data = self.model.data_preprocessor(
                dict(inputs=gts, data_samples=samples), False)
            results = self.model.predict(data['inputs'], data['data_samples'],
                                         **opts)
        except RuntimeError as e:  # torch.OutOfMemoryError included
            if not any(k in str(e) for k in _OOM_MARKERS):
                raise
            h, w = rgbs[0].shape[:2]
            raise MemoryError(
                f'out of memory inpainting {len(rgbs)} image(s) of {w}x{h} '
                f'on {self.device}; lower max_pixels (now '
                f'{self.max_pixels}) so large images run in smaller '
                'tiles') from e

        def to_np(t: torch.Tensor) -> np.ndarray:
            assert t.ndim == 4 and t.shape[1] == 3, tuple(t.shape)
            return t.permute(0, 2, 3, 1).float().cpu().numpy()

        out = []
        for r in results:
            outs = r.outputs if 'outputs' in r else r.output[None]
            preds = r.pred_imgs if 'pred_imgs' in r else r.pred_img[None]
            seed = r.metainfo.get('seed', opts.get('seed'))
            out.append((list(to_np(outs)), list(to_np(preds)), seed))
        return out
