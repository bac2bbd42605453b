import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from inpaint_toolbox.engine.hooks.safe_checkpoint_hook import (
    decode_history_buffers, encode_history_buffers)
from inpaint_toolbox.utils.checkpoint import (UnsafeCheckpointError,
                                              atomic_save, install, safe_load)


class _Evil:
    """Unpickling this would create a file through os.system."""

    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return os.system, (f'touch {self.target}', )


def test_safe_load_roundtrip_with_history_buffer(tmp_path):
    buf = HistoryBuffer()
    buf.update(1.5)
    buf.update(np.float64(2.5), count=2)
    obj = dict(
        state_dict={'w': torch.arange(4.)},
        meta=dict(iter=3, seed=7),
        message_hub=dict(log_scalars={'loss': buf}))
    encode_history_buffers(obj['message_hub'])
    path = tmp_path / 'ok.pth'
    atomic_save(obj, path)
    out = safe_load(path)
    decode_history_buffers(out['message_hub'])
    torch.testing.assert_close(out['state_dict']['w'], torch.arange(4.))
    assert out['meta']['iter'] == 3
    restored = out['message_hub']['log_scalars']['loss']
    assert isinstance(restored, HistoryBuffer)
    np.testing.assert_array_equal(restored.data[0], buf.data[0])
    np.testing.assert_array_equal(restored.data[1], buf.data[1])
    assert restored.mean() == buf.mean()


def test_raw_history_buffer_needs_getattr_and_is_refused(tmp_path):
    # a plain mmengine HistoryBuffer pickles its methods through getattr;
    # the loader does not allow that, which is why SafeCheckpointHook
    # encodes the buffers before saving.
    buf = HistoryBuffer()
    buf.update(1.0)
    path = tmp_path / 'raw.pth'
    torch.save({'b': buf}, path)
    with pytest.raises(UnsafeCheckpointError, match='getattr'):
        safe_load(path)


@pytest.mark.parametrize('loader', ['safe_load', 'mmengine'])
def test_malicious_checkpoint_is_refused_and_runs_nothing(tmp_path, loader):
    target = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'payload': _Evil(target)}, path)
    install()
    with pytest.raises(UnsafeCheckpointError, match='refusing to load'):
        if loader == 'safe_load':
            safe_load(path)
        else:
            _load_checkpoint(str(path), map_location='cpu')
    assert not target.exists()


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        safe_load(tmp_path / 'nope.pth')
    bad = tmp_path / 'truncated.pth'
    torch.save({'w': torch.zeros(1000)}, bad)
    data = bad.read_bytes()
    bad.write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match='truncated.pth'):
        safe_load(bad)


def test_atomic_save_leaves_old_file_when_interrupted(tmp_path, monkeypatch):
    path = tmp_path / 'ckpt.pth'
    atomic_save({'v': torch.ones(2)}, path)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt('killed')

    monkeypatch.setattr(torch, 'save', boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_save({'v': torch.zeros(2)}, path)
    monkeypatch.undo()
    torch.testing.assert_close(safe_load(path)['v'], torch.ones(2))
    assert sorted(os.listdir(tmp_path)) == ['ckpt.pth']


def test_atomic_local_backend_writes_by_rename(tmp_path):
    from mmengine.fileio import get_file_backend
    install()
    backend = get_file_backend(
        str(tmp_path), backend_args=dict(backend='atomic_local'))
    target = osp.join(tmp_path, 'a', 'last_checkpoint')
    backend.put_text('iter_5.pth', target)
    assert open(target).read() == 'iter_5.pth'
    assert os.listdir(osp.dirname(target)) == ['last_checkpoint']
