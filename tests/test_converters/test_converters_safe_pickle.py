"""The restricted unpickler refuses pickles that would run code, and reads
NVIDIA's persistent records as plain data."""
import io
import os
import pickle
import subprocess
import sys
import types

import pytest
import torch
from stylegan2_fakes import FakeModules, make_generator, write_nvidia_pickle

from inpaint_toolbox.converters.safe_pickle import (ObjectStandIn,
                                                    PersistentRecord,
                                                    load_pickle,
                                                    module_state_dict)
from inpaint_toolbox.converters.stylegan2 import (convert_stylegan2,
                                                  read_checkpoint)


class _Evil:
    """Pickles as a call to ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _touch_cmd(path):
    return f'touch {path}'


@pytest.mark.parametrize('make,name', [
    (lambda p: _Evil(os.system, _touch_cmd(p)), r'\S+\.system'),
    (lambda p: _Evil(eval, f'open({str(p)!r}, "w")'), r'\S+\.eval'),
    (lambda p: _Evil(subprocess.Popen, ['touch', str(p)]),
     r'\S+\.Popen'),
    (lambda p: _Evil(exec, f'open({str(p)!r}, "w")'), r'\S+\.exec'),
])
@pytest.mark.parametrize('protocol', [2, 4])
def test_refuses_code_execution(tmp_path, make, name, protocol):
    marker = tmp_path / 'pwned'
    src = tmp_path / 'evil.pkl'
    payload = {'G_ema': make(marker), 'D': None}
    src.write_bytes(pickle.dumps(payload, protocol=protocol))
    with pytest.raises(pickle.UnpicklingError,
                       match=f'refusing to load global {name};'):
        load_pickle(src)
    with pytest.raises(pickle.UnpicklingError, match=name):
        convert_stylegan2(src)
    assert not marker.exists()


def test_refuses_code_in_embedded_storage_bytes(tmp_path):
    """``torch.storage._load_from_bytes`` is replaced by a weights-only
    load, so a payload that would run code is refused too."""
    marker = tmp_path / 'pwned'
    inner = pickle.dumps(_Evil(os.system, _touch_cmd(marker)), protocol=2)

    class _Storage:
        def __reduce__(self):
            return torch.storage._load_from_bytes, (inner, )

    src = tmp_path / 'evil.pkl'
    src.write_bytes(pickle.dumps({'t': _Storage()}, protocol=4))
    with pytest.raises(pickle.UnpicklingError, match='refused embedded'):
        load_pickle(src)
    assert not marker.exists()


def test_refuses_code_inside_a_torch_checkpoint(tmp_path):
    marker = tmp_path / 'pwned'
    src = tmp_path / 'evil.pth'
    torch.save({'g_ema': {'w': torch.ones(1)},
                'extra': _Evil(os.system, _touch_cmd(marker))}, src)
    with pytest.raises(pickle.UnpicklingError, match='system'):
        read_checkpoint(src)
    assert not marker.exists()


def test_refuses_persistent_ids_in_plain_pickles():
    class _P(pickle.Pickler):
        def persistent_id(self, obj):
            return 'x' if obj == 'secret' else None

    buf = io.BytesIO()
    _P(buf, protocol=4).dump({'a': 'secret'})
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match='persistent'):
        load_pickle(buf)


def test_reads_persistent_records_without_running_their_source(
        tmp_path, monkeypatch):
    g = make_generator()
    marker = tmp_path / 'module_src_ran'
    src = tmp_path / 'net.pkl'
    with monkeypatch.context() as patch:
        write_nvidia_pickle(g, src, FakeModules(patch), str(marker))
    data = load_pickle(src)
    assert not marker.exists()
    record = data['G_ema']
    assert isinstance(record, PersistentRecord)
    assert record.class_name == 'StyleGAN2Generator'
    assert 'pathlib' in record.module_src  # kept as text only
    assert data['training_set_kwargs'] == {'resolution': 16}
    state = module_state_dict(record)
    expected = g.state_dict()
    assert set(expected) <= set(state)
    extra = set(state) - set(expected)
    assert extra and all(k.endswith('resample_filter') for k in extra)
    for key, value in expected.items():
        assert torch.equal(state[key], value), key
    with pytest.raises(ValueError, match='persistent network record'):
        module_state_dict({'_modules': {}})


def test_nvidia_classes_become_records(monkeypatch):
    module = types.ModuleType('training.augment')

    class Pipe:
        def __init__(self):
            self.p = 0.25

    Pipe.__module__ = 'training.augment'
    Pipe.__qualname__ = 'Pipe'
    module.Pipe = Pipe
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, 'training', module)
        patch.setitem(sys.modules, 'training.augment', module)
        data = pickle.dumps({'augment_pipe': Pipe()}, protocol=4)
    pipe = load_pickle(io.BytesIO(data))['augment_pipe']
    assert isinstance(pipe, ObjectStandIn) and pipe.state == {'p': 0.25}


def test_missing_file():
    with pytest.raises(FileNotFoundError, match='no_such.pkl'):
        load_pickle('no_such.pkl')
