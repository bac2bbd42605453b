"""Every registered component builds from a config dict."""
import cv2
import numpy as np
import pytest
import torch
from torch.utils.data import SequentialSampler

import inpaint_toolbox.registry as registries
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

# Components whose constructors need arguments; everything else must build
# from ``dict(type=name)`` alone. ``None`` marks a component that cannot be
# built outside its context (the reason is given).
ARGS = {
    'DATASETS': {
        'ImageFolderDataset': lambda tmp: dict(
            data_root=str(tmp), data_prefix=dict(gt='imgs')),
    },
    'DATA_SAMPLERS': {
        'AdaptiveShapeBatchSampler': lambda tmp: dict(
            sampler=SequentialSampler(range(4)), batch_size=2, seed=0),
    },
    'TRANSFORMS': {
        'LoadMaskFromFile': dict(hole_value='white'),
        'RandomCrop': dict(size=(8, 8)),
        'RescaleToLowRes': dict(scale=2),
    },
    'MODELS': {
        'CAB': dict(channels=8),
        'ChannelAttention': dict(channels=8),
        'ConvMixer2d': dict(dim=8),
        'FFC': dict(in_channels=8, out_channels=8),
        'FFCResBlock': dict(channels=8),
        'FourierUnit': dict(in_channels=8, out_channels=8),
        'GatedFeatureFusion': dict(channels=8, skip_channels=4),
        'GatedLatentMixer': dict(n_latent=6, w_dim=8),
        'IdentityLoss': None,  # needs a face-recognition network file: see
        # tests/test_models/test_losses/test_identity_loss.py
        'InversionEncoder': dict(resolution=16, w_dim=8,
                                 stage_channels=(8, 8, 8),
                                 stage_blocks=(1, 1, 1), fpn_channels=8),
        'InversionInpaintor': dict(
            generator=dict(type='StyleGAN2Generator', img_resolution=16,
                           z_dim=16, w_dim=16, channel_max=16),
            encoder=dict(type='InversionEncoder', resolution=16,
                         stage_channels=(8, 8, 8), stage_blocks=(1, 1, 1),
                         fpn_channels=8)),
        'LayerNorm2d': dict(num_channels=8),
        'LocalImplicitQuery': dict(in_channels=8, out_channels=3),
        'NHAB': dict(dim=8, num_heads=2),
        'NeighborhoodAttention2d': dict(dim=8, num_heads=2),
        'OneStageInpaintor': dict(generator=dict(type='ConvEncoderDecoder')),
        'SkipFusion': dict(channels=8, skip_channels=4),
        'SpectralTransform': dict(in_channels=8, out_channels=8),
        'StyleGAN2Discriminator': dict(img_resolution=16, channel_max=16),
        'StyleGAN2GAN': dict(
            generator=dict(type='StyleGAN2Generator', img_resolution=16,
                           z_dim=16, w_dim=16, channel_max=16),
            discriminator=dict(type='StyleGAN2Discriminator',
                               img_resolution=16, channel_max=16)),
        'StyleGAN2Generator': dict(img_resolution=16, z_dim=16, w_dim=16,
                                   channel_max=16),
        'StyleGAN2SkipFusion': dict(resolution=16, generator_channels={
            4: 16, 8: 16, 16: 16}),
        'TwoStageInpaintor': dict(inpaintor=dict(type='OpenCVInpaintor'),
                                  size=16),
    },
    'MODEL_WRAPPERS': {
        'InpaintSeparateDDP': None,  # needs a process group: see
        # tests/test_tools/test_train_test_tools.py (2-process gloo run)
    },
    'LOOPS': {
        'FastForwardIterBasedTrainLoop': None,  # needs a runner: see
        # tests/test_engine/test_fast_forward_loop.py (a resumed run)
    },
    'OPTIM_WRAPPER_CONSTRUCTORS': {
        'MultiOptimWrapperConstructor': dict(optim_wrapper_cfg=dict(
            generator=dict(optimizer=dict(type='Adam', lr=1e-3)))),
    },
    'MASK_GENERATORS': {
        'FolderMask': lambda tmp: dict(folder=str(tmp / 'masks'),
                                       hole_value='white'),
    },
    'METRICS': {
        'Diversity': dict(random_init=True),
        'FID': dict(random_init=True),
        'LPIPS': dict(random_init=True),
    },
}


def _cases():
    for reg_name in registries.__all__:
        reg = getattr(registries, reg_name)
        for name in sorted(reg.module_dict):
            yield pytest.param(reg_name, name, id=f'{reg_name}.{name}')


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / 'imgs').mkdir()
    (tmp_path / 'masks').mkdir()
    cv2.imwrite(str(tmp_path / 'imgs' / 'a.png'), np.zeros((8, 8, 3)))
    cv2.imwrite(str(tmp_path / 'masks' / 'a.png'), np.full((8, 8), 255))
    return tmp_path


@pytest.mark.parametrize('reg_name,name', list(_cases()))
def test_builds_from_dict(reg_name, name, data_dir):
    reg = getattr(registries, reg_name)
    args = ARGS.get(reg_name, {}).get(name, {})
    if args is None:
        pytest.skip(f'{name} is built in its own end-to-end test')
    if callable(args):
        args = args(data_dir)
    obj = reg.build(dict(type=name, **args))
    assert isinstance(obj, reg.get(name))
    if isinstance(obj, torch.nn.Module):
        assert sum(p.numel() for p in obj.parameters()) >= 0


def test_argument_table_names_only_registered_components():
    for reg_name, table in ARGS.items():
        reg = getattr(registries, reg_name)
        for name in table:
            assert name in reg.module_dict, f'{reg_name}.{name} is stale'
