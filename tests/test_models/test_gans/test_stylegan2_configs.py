"""Every config in configs/stylegan2 loads, and its model builds."""
import copy
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from tiny_gan import tiny_optim

from inpaint_toolbox.models.layers.stylegan2_layers import stylegan2_channels
from inpaint_toolbox.registry import DATASETS, MODELS
from inpaint_toolbox.utils.image_io import imwrite_rgb

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', 'stylegan2', '*.py')))
# the layouts of the public config-F checkpoints
PUBLIC_CHANNELS = {
    256: {4: 512, 8: 512, 16: 512, 32: 512, 64: 512, 128: 256, 256: 128},
    1024: {4: 512, 8: 512, 16: 512, 32: 512, 64: 512, 128: 256, 256: 128,
           512: 64, 1024: 32},
}


def _name(path):
    return osp.splitext(osp.basename(path))[0]


def test_all_configs_are_found():
    assert {_name(p) for p in CONFIGS} >= {
        'stylegan2_c16-64_synthetic-faces-64', 'stylegan2_config-f_ffhq-256',
        'stylegan2_config-f_ffhq-1024'}


@pytest.mark.parametrize('path', CONFIGS, ids=_name)
def test_config_is_a_gan_config(path):
    cfg = Config.fromfile(path)
    assert cfg.model.type == 'StyleGAN2GAN'
    # no validation/test loops: sample grids come from GANSampleHook
    assert cfg.val_cfg is None and cfg.val_dataloader is None
    assert cfg.test_cfg is None and cfg.test_evaluator is None
    assert [h['type'] for h in cfg.custom_hooks] == ['GANSampleHook']
    # lazy-regularization correction of Adam
    for key, interval in (('generator', cfg.model.path_length_loss.interval),
                          ('discriminator', cfg.model.r1_loss.interval)):
        ratio = interval / (interval + 1)
        opt = cfg.optim_wrapper[key].optimizer
        assert opt.betas[0] == 0
        assert opt.betas[1] == pytest.approx(0.99**ratio)
    lr_g = cfg.optim_wrapper.generator.optimizer.lr
    lr_d = cfg.optim_wrapper.discriminator.optimizer.lr
    assert lr_g / lr_d == pytest.approx((4 / 5) / (16 / 17))
    # EMA momentum from a half-life in images
    assert 0 < cfg.model.ema.momentum < 0.01


@pytest.mark.parametrize('res', [256, 1024])
def test_ffhq_configs_match_public_checkpoints(res):
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'stylegan2',
                 f'stylegan2_config-f_ffhq-{res}.py'))
    gen, disc = cfg.model.generator, cfg.model.discriminator
    assert (gen.img_resolution, gen.z_dim, gen.w_dim) == (res, 512, 512)
    assert gen.num_mapping_layers == 8
    for net in (gen, disc):
        assert net.img_resolution == res
        assert stylegan2_channels(res, net.channel_base,
                                  net.channel_max) == PUBLIC_CHANNELS[res]
    assert cfg.train_dataloader.dataset.type == 'ImageFolderDataset'
    # every key of the model config is a valid argument: build it at 16x16
    small = copy.deepcopy(cfg.model)
    for net in (small.generator, small.discriminator):
        net.update(img_resolution=16, channel_max=8)
    small.generator.update(z_dim=8, w_dim=8)
    model = MODELS.build(small)
    assert model.generator.channels == {4: 8, 8: 8, 16: 8}


def test_synthetic_config_builds_and_trains_one_step():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'stylegan2',
                 'stylegan2_c16-64_synthetic-faces-64.py'))
    model = MODELS.build(cfg.model)
    assert model.generator.channels == {4: 64, 8: 64, 16: 64, 32: 32,
                                        64: 16}
    assert model.generator.z_dim == 128
    assert cfg.train_dataloader.dataset.img_size == (64, 64)
    MessageHub.get_instance('gan-config-step').update_info('iter', 1)
    imgs = [torch.zeros(3, 64, 64, dtype=torch.uint8) for _ in range(2)]
    logs = model.train_step(dict(inputs=imgs), tiny_optim(model))
    assert torch.isfinite(logs['loss_g']) and torch.isfinite(logs['loss_d'])


@pytest.mark.parametrize('res', [256, 1024])
def test_ffhq_pipeline_feeds_the_gan_preprocessor(res, tmp_path):
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'stylegan2',
                 f'stylegan2_config-f_ffhq-{res}.py'))
    folder = tmp_path / cfg.train_dataloader.dataset.data_prefix.gt
    img = np.random.default_rng(0).integers(0, 256, (16, 16, 3), np.uint8)
    imwrite_rgb(folder / '00000.png', img)
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    ds_cfg.data_root = str(tmp_path)
    item = DATASETS.build(ds_cfg)[0]
    out = MODELS.build(cfg.model.data_preprocessor)(
        dict(inputs=[item['inputs']], data_samples=[item['data_samples']]))
    x = out['inputs']['img'][0]
    ref = torch.from_numpy(img).permute(2, 0, 1).float() / 127.5 - 1
    # the image, possibly mirrored; nothing else changed
    assert torch.equal(x, ref) or torch.equal(x, ref.flip(-1))
