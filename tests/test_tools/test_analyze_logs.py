"""Specification of tools/analyze_logs.py on synthetic mmengine logs."""
import importlib
import json
import os.path as osp
import sys

import cv2
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(ROOT, 'tools')


@pytest.fixture(scope='module')
def tool():
    if TOOLS not in sys.path:
        sys.path.insert(0, TOOLS)
    return importlib.import_module('analyze_logs')


def _write_run(folder, records):
    path = folder / 'vis_data' / 'scalars.json'
    path.parent.mkdir(parents=True)
    path.write_text('\n'.join(json.dumps(r) for r in records) + '\n')
    return path


def _train(it, loss_g, loss_d=1.0):
    return {'generator.lr': 1e-3, 'loss_g': loss_g, 'loss_d': loss_d,
            'time': 0.5, 'data_time': 0.01, 'iter': it, 'step': it}


def _val(psnr):
    # mmengine logs validation with step = epoch (0) in iteration runs
    return {'PSNR_hole': psnr, 'SSIM': 0.8, 'part_err_nose': 0.1,
            'part_err_mean': 0.05, 'time': 0.2, 'step': 0}


@pytest.fixture
def runs(tmp_path):
    a = tmp_path / 'run_a'
    # a resumed run: the second timestamp folder repeats iteration 20
    _write_run(a / '20240101_000000',
               [_train(10, 2.0), _train(20, 1.9), _val(15.0)])
    _write_run(a / '20240102_000000',
               [_train(20, 1.5), _train(30, 1.2), _train(40, 1.0),
                _val(18.0)])
    b = tmp_path / 'run_b'
    _write_run(b / '20240103_000000',
               [_train(10, 3.0), _train(20, 2.5), _val(12.0)])
    return a, b


def test_read_run_merges_resumed_logs(tool, runs):
    run = tool.read_run(str(runs[0]))
    assert list(run['train']) == [10, 20, 30, 40]
    assert run['train'][20]['loss_g'] == 1.5  # the later record wins
    # validation records sit at the iteration logged before them
    assert list(run['val']) == [20, 40]
    assert run['val'][40]['PSNR_hole'] == 18.0
    assert tool.curve_keys(run['train']) == ['loss_g', 'loss_d']


def test_smooth(tool):
    assert tool.smooth([1, 2, 3, 4], 1) == [1, 2, 3, 4]
    assert tool.smooth([1, 2, 3, 4], 2) == [1, 1.5, 2.5, 3.5]


def test_curves_and_summary(tool, runs, tmp_path, capsys):
    out = tmp_path / 'out'
    summary = tool.main([str(runs[0]), str(runs[1]), '--keys', 'loss_g',
                         '--out', str(out), '--smooth', '2'])
    for png in ('losses.png', 'metrics.png'):
        img = cv2.imread(str(out / png))
        assert img is not None and img.shape[1] > 200
    cols = summary['columns']
    assert cols[:4] == ['run', 'iterations', 's / iter',
                        'loss_g (last 10 %)']
    # per-part errors are left out by default, their mean stays
    assert 'part_err_mean (last)' in cols
    assert 'part_err_nose (last)' not in cols
    row_a, row_b = summary['rows']
    assert row_a[:4] == ['run_a', 40, '0.500', '1.0000']
    assert row_b[:4] == ['run_b', 20, '0.500', '2.5000']
    assert row_a[cols.index('PSNR_hole (last)')] == '18.0000'
    saved = json.loads((out / 'summary.json').read_text())
    assert saved['rows'] == summary['rows']
    assert '| run_a | 40 |' in (out / 'summary.md').read_text()
    assert 'run_b' in capsys.readouterr().out


def test_bad_input(tool, runs, tmp_path):
    with pytest.raises(SystemExit, match=r"training keys \['loss_x'\] not "
                       r"in the logs; available: \['loss_g', 'loss_d'\]"):
        tool.main([str(runs[0]), '--keys', 'loss_x', '--out',
                   str(tmp_path / 'o')])
    with pytest.raises(SystemExit, match='no such work dir'):
        tool.main([str(tmp_path / 'nope')])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(SystemExit, match='no \\*/vis_data/scalars.json'):
        tool.main([str(tmp_path / 'empty')])
    bad = _write_run(tmp_path / 'bad', [_train(1, 1.0)])
    bad.write_text(bad.read_text() + '{not json\n')
    with pytest.raises(ValueError, match='scalars.json:2: not a JSON'):
        tool.read_run(str(bad))
