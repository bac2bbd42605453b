"""The evaluation protocol configs and the test configs built on them."""
import glob
import os.path as osp
import warnings

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.utils import register_all_modules

register_all_modules()
ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PROTOCOLS = osp.join(ROOT, 'configs', '_base_', 'datasets')
# test configs of the protocol: the baselines (not the conv baseline's
# training config) and every ``*_protocol*`` config
MODEL_CONFIGS = sorted(
    [p for p in glob.glob(osp.join(ROOT, 'configs', 'baselines', '*.py'))
     if '_quick_' not in osp.basename(p)] +
    glob.glob(osp.join(ROOT, 'configs', '*', '*_protocol*.py')))


def _id(path):
    return osp.relpath(path, osp.join(ROOT, 'configs'))


def _loader(loader_cfg):
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        return Runner.build_dataloader(loader_cfg, seed=0)


def _pairs(loader_cfg):
    return [(s.gt_img.clone(), s.mask.clone()) for batch in _loader(
        loader_cfg) for s in batch['data_samples']]


@pytest.mark.parametrize('path', MODEL_CONFIGS, ids=_id)
def test_test_configs_use_the_protocol(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'inpaint_toolbox'
    # nothing of an inherited test set survives the swap
    assert cfg.test_dataloader == cfg.protocol.dataloader
    assert cfg.test_evaluator == cfg.protocol.evaluator
    assert cfg.test_cfg.type == 'TestLoop'


def test_synthetic_pairs_are_identical_for_every_run():
    cfg = Config.fromfile(osp.join(PROTOCOLS, 'protocol_synthetic-faces.py'))
    loader = cfg.protocol.dataloader.to_dict()
    loader['dataset'].update(num_samples=3, img_size=(40, 72))
    first, second = _pairs(loader), _pairs(loader)
    assert len(first) == 3
    for (img_a, m_a), (img_b, m_b) in zip(first, second):
        assert img_a.shape == (3, 40, 72) and m_a.shape == (1, 40, 72)
        assert torch.equal(img_a, img_b) and torch.equal(m_a, m_b)
        assert 0.2 <= m_a.float().mean() <= 0.5  # the protocol's holes
    assert not torch.equal(first[0][1], first[1][1])


def _image_folder(tmp_path, size=(30, 44)):
    rng = np.random.default_rng(0)
    (tmp_path / 'images').mkdir()
    (tmp_path / 'masks').mkdir()
    for i in range(2):
        cv2.imwrite(str(tmp_path / 'images' / f'{i}.png'),
                    rng.integers(0, 256, (*size, 3), dtype=np.uint8))
        mask = np.zeros(size, np.uint8)
        mask[4:12, 6:20] = 255  # white = hole
        cv2.imwrite(str(tmp_path / 'masks' / f'{i}.png'), mask)


def test_image_folder_protocols(tmp_path):
    _image_folder(tmp_path)
    crop = Config.fromfile(osp.join(PROTOCOLS, 'protocol_image-folder.py'))
    loader = crop.protocol.dataloader.to_dict()
    loader.update(num_workers=0)
    loader['dataset']['data_root'] = str(tmp_path)
    loader['dataset']['pipeline'][1]['size'] = (24, 16)
    loader['dataset']['pipeline'][2]['generator']['folder'] = str(
        tmp_path / 'masks')
    pairs = _pairs(loader)
    assert [tuple(m.shape) for _, m in pairs] == [(1, 24, 16)] * 2
    assert all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
               for a, b in zip(pairs, _pairs(loader)))
    paired = Config.fromfile(
        osp.join(PROTOCOLS, 'protocol_image-folder-paired.py'))
    loader = paired.protocol.dataloader.to_dict()
    loader.update(num_workers=0)
    loader['dataset']['data_root'] = str(tmp_path)
    (img, mask), _ = _pairs(loader)
    assert img.shape == (3, 30, 44)
    assert mask[0, 4:12, 6:20].all() and mask.sum() == 8 * 14


def test_missing_mask_folder_is_named(tmp_path):
    cfg = Config.fromfile(osp.join(PROTOCOLS, 'protocol_image-folder.py'))
    loader = cfg.protocol.dataloader.to_dict()
    loader['dataset']['pipeline'][2]['generator']['folder'] = str(
        tmp_path / 'no_masks')
    with pytest.raises(FileNotFoundError, match='no_masks'):
        _loader(loader)


@pytest.mark.parametrize('path', [p for p in MODEL_CONFIGS
                                  if 'two-stage' in p], ids=_id)
def test_two_stage_configs_build(path, tmp_path):
    cfg = Config.fromfile(path)
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        cfg.model.checkpoint = str(tmp_path / 'missing.pth')
        with pytest.raises(FileNotFoundError, match='missing.pth'):
            MODELS.build(cfg.model)
        cfg.model.checkpoint = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            model = MODELS.build(cfg.model)
    assert model.needs_checkpoint is True
    assert any('random weights' in str(w.message) for w in caught)
    assert model.size == (128, 128)


@pytest.mark.parametrize('method', ['telea', 'ns'])
def test_opencv_configs_build_without_parameters(method):
    cfg = Config.fromfile(osp.join(
        ROOT, 'configs', 'baselines',
        f'opencv-{method}_protocol_synthetic-faces.py'))
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        model = MODELS.build(cfg.model)
    assert model.method == method and model.needs_checkpoint is False
