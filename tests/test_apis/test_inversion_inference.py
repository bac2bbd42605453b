"""The real inversion model through InpaintInferencer: samples, seeds,
edits, any size (a tiny random 16x16 StyleGAN2)."""
import copy
import importlib.util
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from inpaint_toolbox.apis import InpaintInferencer
from inpaint_toolbox.models.editors import LatentDirection, save_direction


def _tiny_module():
    path = osp.join(
        osp.dirname(osp.dirname(__file__)), 'test_models',
        'test_inpaintors', 'tiny_inversion.py')
    spec = importlib.util.spec_from_file_location('_tiny_inversion', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TINY = _tiny_module()


@pytest.fixture(scope='module')
def inferencer(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('inversion')
    gen_path = tmp / 'generator.pth'
    gen = TINY.save_generator(gen_path)
    g = torch.Generator().manual_seed(3)
    direction = LatentDirection(
        torch.randn(gen.w_dim, generator=g), layers=(0, gen.n_latent),
        name='smile')
    dir_path = save_direction(tmp / 'smile.pth', direction)
    model = copy.deepcopy(TINY.TINY)
    model.update(generator_ckpt=str(gen_path),
                 directions=dict(smile=str(dir_path)))
    return InpaintInferencer(Config(dict(model=model)))


def _pair(h=20, w=28, seed=0):
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    mask = np.zeros((h, w), np.uint8)
    mask[5:14, 6:20] = 1
    return img, mask


def test_samples_differ_in_the_hole_only(inferencer):
    img, mask = _pair()
    out = inferencer(img, mask, num_samples=3, seed=5)
    outputs = out['outputs']
    assert len(outputs) == 3
    assert np.array_equal(out['output'], outputs[0])
    hole, known = mask == 1, mask == 0
    for o in outputs:
        assert o.shape == img.shape and o.dtype == np.uint8
        assert np.array_equal(o[known], img[known])
    assert not np.array_equal(outputs[0][hole], outputs[1][hole])
    assert not np.array_equal(outputs[1][hole], outputs[2][hole])


def test_same_seed_same_samples_and_sample_k_is_stable(inferencer):
    img, mask = _pair(seed=1)
    a = inferencer(img, mask, num_samples=2, seed=7)['outputs']
    b = inferencer(img, mask, num_samples=3, seed=7)['outputs']
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_edits_change_the_hole_and_keep_known_pixels(inferencer):
    img, mask = _pair(seed=2)
    plain = inferencer(img, mask, seed=0)['output']
    edited = inferencer(img, mask, seed=0, edits={'smile': 3.0})['output']
    assert np.array_equal(edited[mask == 0], img[mask == 0])
    assert not np.array_equal(edited[mask == 1], plain[mask == 1])
    with pytest.raises(ValueError, match='smile'):
        inferencer(img, mask, seed=0, edits={'frown': 1.0})


def test_non_square_input_keeps_its_size(inferencer):
    img, mask = _pair(h=23, w=41, seed=3)
    out = inferencer(img, mask, num_samples=2, seed=0)
    assert all(o.shape == (23, 41, 3) for o in out['outputs'])
