default_scope = 'inpaint_toolbox'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    # iteration-based runs: log validation metrics at their iteration
    logger=dict(type='LoggerHook', interval=10, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic_local: checkpoints go to a temp file that is then renamed, so a
    # killed run never leaves a truncated checkpoint behind.
    checkpoint=dict(
        type='CheckpointHook',
        interval=500,
        by_epoch=False,
        save_last=True,
        max_keep_ckpts=3,
        backend_args=dict(backend='atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # stores the logged history as plain tensors, so checkpoints load with
    # torch.load(weights_only=True)
    safe_checkpoint=dict(type='SafeCheckpointHook'),
)
custom_hooks = [dict(type='InpaintVisualizationHook', max_samples=8)]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),  # tools/train.py uses gloo without CUDA
)
# distributed runs wrap each sub-network in its own DDP (works on gloo/CPU);
# the scope prefix is needed: the runner looks the wrapper up with get()
model_wrapper_cfg = dict(type='inpaint_toolbox.InpaintSeparateDDP')
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=False)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
