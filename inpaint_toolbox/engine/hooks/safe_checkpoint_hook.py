"""Keep checkpoints loadable with ``torch.load(weights_only=True)``."""
import torch
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from inpaint_toolbox.registry import HOOKS

_TAG = '__history_buffer__'


def encode_history_buffers(message_hub_state: dict) -> None:
    """Replace each ``HistoryBuffer`` of ``log_scalars`` by a plain dict of
    tensors, in place.

    A pickled ``HistoryBuffer`` references its statistics methods through
    ``getattr``, which a weights-only load must not allow.
    """
    scalars = message_hub_state.get('log_scalars', {})
    for key, buf in list(scalars.items()):
        if isinstance(buf, HistoryBuffer):
            logs, counts = buf.data
            scalars[key] = {
                _TAG: True,
                'log_history': torch.as_tensor(logs, dtype=torch.float64),
                'count_history': torch.as_tensor(counts, dtype=torch.float64),
                'max_length': int(buf.max_length),
            }


def decode_history_buffers(message_hub_state: dict) -> None:
    """Inverse of :func:`encode_history_buffers`, in place."""
    scalars = message_hub_state.get('log_scalars', {})
    for key, value in list(scalars.items()):
        if isinstance(value, dict) and value.get(_TAG):
            scalars[key] = HistoryBuffer(
                value['log_history'].numpy(),
                value['count_history'].numpy(), value['max_length'])


@HOOKS.register_module()
class SafeCheckpointHook(Hook):
    """Store the message hub's history buffers as plain tensors when a
    checkpoint is saved, and rebuild them when one is loaded, so that
    checkpoints hold only tensors and plain containers and resume with the
    weights-only loader. The default runtime config registers it."""

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'message_hub' in checkpoint:
            encode_history_buffers(checkpoint['message_hub'])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'message_hub' in checkpoint:
            decode_history_buffers(checkpoint['message_hub'])
