"""A tiny inversion model (16x16 StyleGAN2, 16 channels) for the tests."""
import copy

import torch

from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

RES = 16
TINY_G = dict(
    type='StyleGAN2Generator',
    img_resolution=RES,
    z_dim=16,
    w_dim=16,
    channel_max=16,
    num_mapping_layers=2)
TINY = dict(
    type='InversionInpaintor',
    generator=TINY_G,
    encoder=dict(
        type='InversionEncoder',
        resolution=RES,
        stage_channels=(8, 8, 16, 16),
        stage_blocks=(1, 1, 1, 1),
        fpn_channels=8),
    mixer=dict(type='GatedLatentMixer', hidden_channels=16),
    discriminator=dict(
        type='StyleGAN2Discriminator', img_resolution=RES, channel_max=16),
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=0.1),
    r1_loss=dict(type='R1Penalty', gamma=1.0, interval=2),
    train_cfg=dict(seed=0, true_code_prob=0.5),
    test_cfg=dict(seed=0))
SKIP = dict(
    type='StyleGAN2SkipFusion',
    fusion_resolutions=(8, 16),
    base_channels=4,
    max_channels=8)


def save_generator(path, resolution=RES, layout='training', seed=0):
    """Save a random tiny generator as a StyleGAN2GAN training checkpoint
    (``generator_ema.module.*``) or a converted file (with meta)."""
    cfg = dict(TINY_G, img_resolution=resolution)
    cfg.pop('type')
    torch.manual_seed(seed)
    gen = MODELS.build(dict(cfg, type='StyleGAN2Generator'))
    state = gen.state_dict()
    if layout == 'training':
        ckpt = {
            'state_dict': {
                f'generator_ema.module.{k}': v
                for k, v in state.items()
            }
        }
    else:
        meta = dict(cfg, c_dim=0, img_channels=3, channels=gen.channels)
        ckpt = {
            'state_dict': {
                f'generator_ema.{k}': v
                for k, v in state.items()
            },
            'meta': {
                'stylegan2': meta
            }
        }
    torch.save(ckpt, str(path))
    return gen


def build_tiny(generator_ckpt, **overrides):
    cfg = copy.deepcopy(TINY)
    cfg['generator_ckpt'] = None if generator_ckpt is None \
        else str(generator_ckpt)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(cfg.get(key), dict):
            cfg[key] = dict(cfg[key], **value)
        else:
            cfg[key] = value
    torch.manual_seed(1)
    return MODELS.build(cfg)


def tiny_optim(model, lr=1e-2):
    cfg = dict(inverter=dict(optimizer=dict(type='Adam', lr=lr)))
    if model.discriminator is not None:
        cfg['discriminator'] = dict(optimizer=dict(type='Adam', lr=lr))
    return MultiOptimWrapperConstructor(cfg)(model)


def make_batch(num=4, size=(RES, RES), seed=0):
    """Packed uint8 images with a box hole each."""
    g = torch.Generator().manual_seed(seed)
    h, w = size
    imgs, samples = [], []
    for _ in range(num):
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        mask = torch.zeros(1, h, w, dtype=torch.uint8)
        mask[:, h // 4:h // 2 + 2, w // 4:3 * w // 4] = 1
        sample = InpaintDataSample(metainfo=dict(img_shape=(h, w)))
        sample.gt_img, sample.mask = img, mask
        imgs.append(img)
        samples.append(sample)
    return dict(inputs=imgs, data_samples=samples)


def run_predict(model, batch, **kwargs):
    data = model.data_preprocessor(copy.deepcopy(batch), False)
    return model.predict(data['inputs'], data['data_samples'], **kwargs)
