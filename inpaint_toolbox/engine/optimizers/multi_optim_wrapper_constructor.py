"""Build one optimizer wrapper per sub-module (generator, discriminator)."""
import copy

import torch.nn as nn
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from inpaint_toolbox.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MultiOptimWrapperConstructor:
    """Build an ``OptimWrapperDict`` whose keys name sub-modules.

    Config example::

        optim_wrapper = dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
            discriminator=dict(optimizer=dict(type='Adam', lr=1e-4)))

    Each entry is an ordinary single optimizer-wrapper config (``type``
    defaults to ``OptimWrapper``; ``paramwise_cfg`` allowed) applied to
    ``model.<key>``. A key naming no sub-module is an error.

    Args:
        optim_wrapper_cfg (dict): the entries as above.
        paramwise_cfg (dict, optional): must be None here; put it in each
            entry instead.
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        if paramwise_cfg is not None:
            raise ValueError('give paramwise_cfg inside each entry of '
                             'optim_wrapper, not at the top level')
        self.cfgs = {}
        for name, cfg in optim_wrapper_cfg.items():
            if not isinstance(cfg, dict):
                raise TypeError(f'optim_wrapper.{name} must be a dict, got '
                                f'{type(cfg).__name__}')
            cfg = copy.deepcopy(dict(cfg))
            cfg.setdefault('type', 'OptimWrapper')
            self.cfgs[name] = cfg

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if is_model_wrapper(model):
            model = model.module
        wrappers = {}
        for name, cfg in self.cfgs.items():
            sub = getattr(model, name, None)
            if not isinstance(sub, nn.Module):
                raise ValueError(
                    f'optim_wrapper has an entry "{name}" but the model '
                    f'{type(model).__name__} has no sub-module of that name')
            cfg = copy.deepcopy(cfg)
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[name] = DefaultOptimWrapperConstructor(cfg, paramwise)(
                sub)
        return OptimWrapperDict(**wrappers)
