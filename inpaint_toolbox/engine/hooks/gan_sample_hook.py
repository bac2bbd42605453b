"""Write grids of GAN samples from fixed seeds during training."""
import math
import os.path as osp
from typing import Optional, Sequence

import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from inpaint_toolbox.registry import HOOKS
from inpaint_toolbox.utils.image_io import imwrite_rgb

__all__ = ['GANSampleHook', 'tile_images']


def tile_images(imgs: torch.Tensor, ncols: int, gap: int = 2) -> np.ndarray:
    """Tile images in about [-1, 1] into a grid on a white background.

    Pixels are mapped as NVIDIA's ``generate.py`` does:
    ``clamp(img * 127.5 + 128, 0, 255)``, truncated to uint8.

    Args:
        imgs: ``[N, C, H, W]`` with C = 1 or 3, about [-1, 1].
        ncols: images per row (>= 1).
        gap: white pixels between images.

    Returns:
        np.ndarray: ``(rows * H + gaps, ncols * W + gaps, 3)`` uint8 RGB.
    """
    if imgs.ndim != 4 or imgs.shape[1] not in (1, 3) or imgs.shape[0] == 0:
        raise ValueError(f'imgs must be [N, 1 or 3, H, W] with N >= 1, got '
                         f'{tuple(imgs.shape)}')
    if ncols < 1:
        raise ValueError(f'ncols must be >= 1, got {ncols}')
    pix = (imgs.detach().float().cpu() * 127.5 + 128).clamp(0, 255)
    pix = pix.to(torch.uint8).permute(0, 2, 3, 1).numpy()
    if pix.shape[-1] == 1:
        pix = np.repeat(pix, 3, axis=-1)
    h = pix.shape[1]
    rows = []
    for start in range(0, len(pix), ncols):
        parts = []
        for tile in pix[start:start + ncols]:
            parts += [tile, np.full((h, gap, 3), 255, np.uint8)]
        rows.append(np.concatenate(parts[:-1], axis=1))
    return _stack_rows(rows, gap)


def _stack_rows(rows: Sequence[np.ndarray], gap: int) -> np.ndarray:
    """Stack rows (the last may be shorter) with white gaps."""
    width = max(r.shape[1] for r in rows)
    parts = []
    for r in rows:
        pad = np.full((r.shape[0], width - r.shape[1], 3), 255, np.uint8)
        parts += [np.concatenate([r, pad], axis=1),
                  np.full((gap, width, 3), 255, np.uint8)]
    return np.concatenate(parts[:-1], axis=0)


@HOOKS.register_module()
class GANSampleHook(Hook):
    """Save a grid of samples from fixed seeds every ``interval`` iterations
    and after training.

    The grid goes to ``{out_dir}/iter_{N}.png`` (``out_dir`` defaults to
    ``{work_dir}/samples``; ``N`` counts finished iterations). Sample ``i``
    uses seed ``seed + i`` (the latent of NVIDIA's ``generate.py`` for that
    seed), the EMA generator when the model has one, and
    ``noise_mode='const'``, so grids of different iterations are comparable.
    Only the main process writes. The model must provide
    ``sample_images(seeds, noise_mode=..., truncation_psi=...)`` (as
    ``StyleGAN2GAN`` does).

    Args:
        interval: iterations between grids (>= 1).
        num_samples: images per grid (>= 1).
        ncols: images per row; default ``ceil(sqrt(num_samples))``.
        seed: seed of the first sample.
        noise_mode: ``'const'``, ``'random'`` or ``'none'``.
        truncation_psi: truncation strength (1: none).
        out_dir: output folder; default ``{work_dir}/samples``.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 1000,
                 num_samples: int = 16,
                 ncols: Optional[int] = None,
                 seed: int = 0,
                 noise_mode: str = 'const',
                 truncation_psi: float = 1.0,
                 out_dir: Optional[str] = None):
        if int(interval) != interval or interval < 1:
            raise ValueError(f'interval must be an int >= 1, got {interval}')
        if int(num_samples) != num_samples or num_samples < 1:
            raise ValueError(
                f'num_samples must be an int >= 1, got {num_samples}')
        if ncols is not None and ncols < 1:
            raise ValueError(f'ncols must be >= 1, got {ncols}')
        if not 0 <= seed < 2**32 - num_samples:
            raise ValueError(f'seed must be in [0, 2**32 - num_samples), '
                             f'got {seed}')
        self.interval = int(interval)
        self.num_samples = int(num_samples)
        self.ncols = ncols or math.ceil(math.sqrt(self.num_samples))
        self.seed = int(seed)
        self.noise_mode = noise_mode
        self.truncation_psi = float(truncation_psi)
        self.out_dir = out_dir
        self._last_written: Optional[int] = None

    @staticmethod
    def _model(runner):
        model = runner.model
        model = model.module if is_model_wrapper(model) else model
        if not callable(getattr(model, 'sample_images', None)):
            raise TypeError(f'GANSampleHook needs a model with '
                            f'sample_images(seeds, ...), got '
                            f'{type(model).__name__}')
        return model

    def before_train(self, runner) -> None:
        self._model(runner)  # fail early with a clear message

    def sample_grid(self, runner) -> np.ndarray:
        """The grid of the current model, ``(H', W', 3)`` uint8."""
        model = self._model(runner)
        seeds = range(self.seed, self.seed + self.num_samples)
        imgs = model.sample_images(seeds, noise_mode=self.noise_mode,
                                   truncation_psi=self.truncation_psi)
        return tile_images(imgs, self.ncols)

    def _write(self, runner, num_iters: int) -> None:
        if self._last_written == num_iters:
            return
        self._last_written = num_iters
        if not is_main_process():
            return
        folder = self.out_dir or osp.join(runner.work_dir, 'samples')
        path = osp.join(folder, f'iter_{num_iters}.png')
        imwrite_rgb(path, self.sample_grid(runner))
        runner.logger.info(f'GAN samples written to {path}')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval):
            self._write(runner, runner.iter + 1)

    def after_train(self, runner) -> None:
        self._write(runner, runner.iter)
