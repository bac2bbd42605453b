"""Distributed wrapper for models with several separately optimized
sub-networks, on CUDA or CPU (gloo)."""
import torch
from mmengine.device import get_device
from mmengine.model import (MMDistributedDataParallel,
                            MMSeparateDistributedDataParallel)
from torch.nn.parallel import DistributedDataParallel

from inpaint_toolbox.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class InpaintSeparateDDP(MMSeparateDistributedDataParallel):
    """Wrap each trainable sub-network (generator, discriminator, ...) in its
    own DDP and call the model's own ``train_step``, so the GAN steps keep
    their separate optimizer wrappers.

    Unlike mmengine's wrapper it runs on CPU too (without CUDA the
    ``device_ids`` the runner passes are dropped, as DDP requires for CPU
    modules), and it tolerates optional sub-modules that are ``None``.
    Sub-modules without trainable parameters (EMA copies, frozen feature
    networks) are moved to the device but not wrapped.
    """

    def __init__(self, module, broadcast_buffers=False,
                 find_unused_parameters=False, **kwargs):
        if not torch.cuda.is_available():
            kwargs.pop('device_ids', None)
        # skip MMSeparateDistributedDataParallel.__init__ (it cannot handle
        # None sub-modules) and DDP's own, as mmengine's wrapper does.
        super(DistributedDataParallel, self).__init__()
        self.module = module
        device = get_device()
        for name, sub in module._modules.items():
            if sub is None:
                continue
            if not any(p.requires_grad for p in sub.parameters()):
                module._modules[name] = sub.to(device)
            else:
                module._modules[name] = MMDistributedDataParallel(
                    module=sub.to(device),
                    broadcast_buffers=broadcast_buffers,
                    find_unused_parameters=find_unused_parameters,
                    **kwargs)
