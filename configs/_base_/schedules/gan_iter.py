# Iteration-based GAN schedule: one Adam per sub-network.
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999))))
# mmengine's IterBasedTrainLoop, but a resumed run replays the samplers
# instead of loading every batch it skips
train_cfg = dict(type='FastForwardIterBasedTrainLoop', max_iters=100_000,
                 val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
