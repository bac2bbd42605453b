"""IN2Inpaintor end to end on odd, non-square sizes."""
import pytest
import torch
from mmengine.logging import MessageHub

from inpaint_toolbox.engine.optimizers import MultiOptimWrapperConstructor
from inpaint_toolbox.registry import MODELS
from inpaint_toolbox.structures import InpaintDataSample
from inpaint_toolbox.utils import register_all_modules

register_all_modules()

TINY_IN2 = dict(
    type='IN2Inpaintor',
    generator=dict(
        type='IN2Generator',
        encoder=dict(type='DownsampleProcessingEncoder', base_channels=8,
                     max_channels=32, cab=dict(type='CAB', squeeze_factor=4)),
        bottleneck=dict(type='NHAB', num_heads=2, kernel_size=3,
                        cab=dict(type='CAB', squeeze_factor=4)),
        num_blocks=1,
        decoder=dict(type='ImplicitPyramidDecoder',
                     level_channels=(16, 8, 8))),
    discriminator=dict(type='PatchDiscriminator', base_channels=8,
                       num_layers=2),
    pixel_loss=dict(type='MaskedL1Loss', weight_known=1.0, weight_hole=1.0),
    adv_loss=dict(type='NonSaturatingGANLoss', loss_weight=0.1),
    r1_loss=dict(type='R1Penalty', gamma=0.01, interval=1),
    feature_matching_loss=dict(type='FeatureMatchingLoss'),
    ema=dict(momentum=0.5),
)


def _batch(shapes, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs, samples = [], []
    for h, w in shapes:
        img = torch.randint(0, 256, (3, h, w), generator=g, dtype=torch.uint8)
        mask = (torch.rand(1, h, w, generator=g) < 0.3).to(torch.uint8)
        imgs.append(img)
        samples.append(InpaintDataSample(gt_img=img, mask=mask))
    return dict(inputs=imgs, data_samples=samples)


@pytest.fixture(scope='module')
def model():
    return MODELS.build(TINY_IN2).eval()


@pytest.mark.parametrize('shape', [(75, 131), (200, 328), (257, 171)])
def test_known_pixels_unchanged_at_scale_one(model, shape):
    data = model.data_preprocessor(_batch([shape]), False)
    out = model.predict(data['inputs'], data['data_samples'])[0]
    assert out.output.shape == (3, *shape)
    known = out.mask.expand(3, -1, -1) == 0
    torch.testing.assert_close(out.output[known], out.gt_img.float()[known])


@pytest.mark.parametrize('scale', [2.0, 3.0])
def test_scales_give_exact_output_sizes(model, scale):
    data = model.data_preprocessor(_batch([(75, 131)]), False)
    out = model.predict(data['inputs'], data['data_samples'], scale=scale)
    assert out[0].output.shape == (3, round(75 * scale), round(131 * scale))
    with pytest.raises(ValueError, match='scale'):
        model.predict(data['inputs'], data['data_samples'], scale=5.0)


def test_gradients_reach_every_parameter_in_one_train_step():
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(TINY_IN2)
    optim = MultiOptimWrapperConstructor(
        dict(generator=dict(optimizer=dict(type='Adam', lr=1e-4)),
             discriminator=dict(optimizer=dict(type='Adam', lr=1e-4))))(
                 model)
    reached = set()
    for prefix in ('generator', 'discriminator'):
        for name, p in getattr(model, prefix).named_parameters():
            p.register_hook(
                lambda grad, n=f'{prefix}.{name}': reached.add(n)
                if grad.abs().sum() > 0 else None)
    logs = model.train_step(_batch([(40, 56), (40, 56)]), optim)
    assert 'loss_r1' in logs
    expected = {f'{prefix}.{n}' for prefix in ('generator', 'discriminator')
                for n, _ in getattr(model, prefix).named_parameters()}
    assert expected - reached == set()
