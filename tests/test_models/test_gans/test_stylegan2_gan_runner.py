"""A few StyleGAN2 iterations through a real mmengine Runner on CPU."""
import copy

import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner
from tiny_gan import TINY

import inpaint_toolbox.engine.hooks.gan_sample_hook  # noqa: F401
from inpaint_toolbox.utils.checkpoint import safe_load
from inpaint_toolbox.utils.image_io import imread_rgb

MAX_ITERS = 4


class _RecordOutputs(Hook):
    """Keep the keys of every ``train_step`` output and the finite flags."""

    def __init__(self):
        self.keys, self.finite = [], []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.keys.append(set(outputs))
        self.finite.append(all(
            bool(torch.isfinite(torch.as_tensor(v)).all())
            for v in outputs.values()))


def _runner(work_dir, recorder):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='GenerateMask',
             generator=dict(type='BoxMask', num_boxes=(1, 1))),
        dict(type='PackInpaintInputs', meta_keys=('sample_idx', )),
    ]
    return Runner(
        model=copy.deepcopy(TINY),
        work_dir=str(work_dir),
        train_dataloader=dict(
            batch_size=4,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            dataset=dict(type='SyntheticFaceDataset', num_samples=32,
                         img_size=(16, 16), seed=0, pipeline=pipeline)),
        optim_wrapper=dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(optimizer=dict(type='Adam', lr=2e-3,
                                          betas=(0.0, 0.99))),
            discriminator=dict(optimizer=dict(type='Adam', lr=2e-3,
                                              betas=(0.0, 0.99)))),
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=MAX_ITERS),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(type='CheckpointHook', interval=MAX_ITERS,
                            by_epoch=False),
            safe_checkpoint=dict(type='SafeCheckpointHook')),
        custom_hooks=[
            dict(type='GANSampleHook', interval=2, num_samples=3, ncols=2),
            recorder
        ],
        default_scope='inpaint_toolbox',
        randomness=dict(seed=0),
        log_level='WARNING',
        experiment_name=f'gan-runner-{id(recorder)}')


def test_runner_trains_regularizes_and_saves(tmp_path):
    recorder = _RecordOutputs()
    runner = _runner(tmp_path, recorder)
    runner.train()
    model = runner.model

    assert len(recorder.keys) == MAX_ITERS and all(recorder.finite)
    # R1 every 2 iterations, path length every 3 (0-based: 0, 3)
    r1_due = ['loss_r1' in k for k in recorder.keys]
    pl_due = ['loss_pl' in k for k in recorder.keys]
    assert r1_due == [True, False, True, False]
    assert pl_due == [True, False, False, True]
    for keys in recorder.keys:
        assert {'loss_d', 'loss_d_real', 'loss_d_fake', 'loss_g',
                'loss_g_adv'} <= keys

    pl_mean = model.path_length_loss.pl_mean
    assert float(pl_mean) > 0

    ema = model.generator_ema.module.state_dict()
    gen = model.generator.state_dict()
    assert any(not torch.equal(ema[k], v) for k, v in gen.items()
               if v.dtype.is_floating_point)

    # the checkpoint holds only tensors and plain containers
    ckpt = safe_load(tmp_path / f'iter_{MAX_ITERS}.pth')
    torch.testing.assert_close(
        ckpt['state_dict']['path_length_loss.pl_mean'], pl_mean)
    assert ckpt['meta']['iter'] == MAX_ITERS
    assert any(k.startswith('generator_ema.module.')
               for k in ckpt['state_dict'])

    # sample grids at iterations 2 and 4: 3 tiles of 16 px, 2 per row
    for it in (2, 4):
        grid = imread_rgb(tmp_path / 'samples' / f'iter_{it}.png')
        assert grid.shape == (16 * 2 + 2, 16 * 2 + 2, 3)
        assert grid.std() > 0
    assert sorted(p.name for p in (tmp_path / 'samples').iterdir()) == [
        'iter_2.png', 'iter_4.png']
