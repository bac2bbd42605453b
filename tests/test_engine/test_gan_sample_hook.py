import logging
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from inpaint_toolbox.engine.hooks.gan_sample_hook import (GANSampleHook,
                                                          tile_images)
from inpaint_toolbox.utils.image_io import imread_rgb


class _FakeGAN:
    """Image ``i`` of a call is constant: ``(seed % 3) - 1`` in [-1, 1]."""

    def __init__(self):
        self.calls = []

    def sample_images(self, seeds, noise_mode='const', truncation_psi=1.0):
        seeds = list(seeds)
        self.calls.append((seeds, noise_mode, truncation_psi))
        values = torch.tensor([float(s % 3) - 1 for s in seeds])
        return values.view(-1, 1, 1, 1).expand(-1, 3, 4, 4).clone()


def _runner(tmp_path, model, it=0):
    return SimpleNamespace(model=model, work_dir=str(tmp_path), iter=it,
                           logger=logging.getLogger('gan-sample-hook-test'))


@pytest.mark.parametrize('num,ncols,shape', [
    (5, 3, (4 * 2 + 2, 4 * 3 + 2 * 2, 3)),
    (4, 4, (4, 4 * 4 + 2 * 3, 3)),
    (1, 2, (4, 4, 3)),
])
def test_tile_images_layout(num, ncols, shape):
    imgs = torch.zeros(num, 3, 4, 4)
    grid = tile_images(imgs, ncols)
    assert grid.shape == shape and grid.dtype == np.uint8
    assert (grid[:4, :4] == 128).all()  # 0 -> 128, as generate.py
    if num > 1 and ncols > 1:
        assert (grid[:4, 4:6] == 255).all()  # white gap


def test_tile_images_pixel_mapping_and_gray():
    imgs = torch.tensor([-1.5, -1.0, 1.0]).view(3, 1, 1, 1).expand(3, 1, 2, 2)
    grid = tile_images(imgs, 3, gap=0)
    assert grid.shape == (2, 6, 3)
    np.testing.assert_array_equal(grid[0, ::2, 0], [0, 0, 255])


@pytest.mark.parametrize('imgs,ncols,match', [
    (torch.zeros(2, 4, 4, 4), 2, r'\[N, 1 or 3, H, W\]'),
    (torch.zeros(0, 3, 4, 4), 2, 'N >= 1'),
    (torch.zeros(2, 3, 4, 4), 0, 'ncols must be >= 1'),
])
def test_tile_images_errors(imgs, ncols, match):
    with pytest.raises(ValueError, match=match):
        tile_images(imgs, ncols)


def test_hook_writes_on_interval_and_after_training(tmp_path):
    model = _FakeGAN()
    hook = GANSampleHook(interval=2, num_samples=3, ncols=3, seed=10,
                         truncation_psi=0.7)
    for it in range(4):  # iterations 1..4 finished
        hook.after_train_iter(_runner(tmp_path, model, it), it)
    hook.after_train(_runner(tmp_path, model, 4))  # already written at 4
    names = sorted(p.name for p in (tmp_path / 'samples').iterdir())
    assert names == ['iter_2.png', 'iter_4.png']
    assert len(model.calls) == 2
    assert model.calls[0] == ([10, 11, 12], 'const', 0.7)
    grid = imread_rgb(tmp_path / 'samples' / 'iter_2.png')
    # seeds 10, 11, 12 -> values 0, 1, -1 -> pixels 128, 255, 0
    assert grid.shape == (4, 4 * 3 + 4, 3)
    np.testing.assert_array_equal(grid[0, [0, 6, 12], 0], [128, 255, 0])


def test_hook_writes_the_last_iteration_when_off_interval(tmp_path):
    hook = GANSampleHook(interval=10, num_samples=2, out_dir=str(tmp_path))
    hook.after_train(_runner(tmp_path, _FakeGAN(), 7))
    assert (tmp_path / 'iter_7.png').is_file()


def test_hook_needs_a_sampling_model(tmp_path):
    hook = GANSampleHook()
    with pytest.raises(TypeError, match='sample_images'):
        hook.before_train(_runner(tmp_path, torch.nn.Linear(2, 2)))


@pytest.mark.parametrize('kwargs,match', [
    (dict(interval=0), 'interval'),
    (dict(num_samples=0), 'num_samples'),
    (dict(ncols=0), 'ncols'),
    (dict(seed=-1), 'seed'),
])
def test_hook_arguments_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GANSampleHook(**kwargs)
