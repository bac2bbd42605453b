"""Specification of tools/make_synthetic_faces.py."""
import argparse
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from inpaint_toolbox.datasets.synthetic_faces import render_face

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'tools', 'make_synthetic_faces.py')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('make_synthetic_faces',
                                                  SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('text, size', [('75x131', (75, 131)),
                                        ('16X16', (16, 16)),
                                        (' 512x288 ', (512, 288))])
def test_parse_size(tool, text, size):
    assert tool.parse_size(text) == size


@pytest.mark.parametrize('text', ['12x', '0x5', 'abc', '15x200', '-3x20',
                                  '', '16x16x3', '1.5x20'])
def test_parse_size_rejects(tool, text):
    with pytest.raises(argparse.ArgumentTypeError, match=repr(text)):
        tool.parse_size(text)


def test_writes_rgb_pngs_and_annotations(tool, tmp_path):
    out = tmp_path / 'faces'
    tool.main(['--num', '3', '--size', '20x28', '--seed', '4', '--out',
               str(out)])
    with open(out / 'annotations.json') as f:
        ann = json.load(f)
    assert ann['seed'] == 4 and ann['size'] == [20, 28] and ann['num'] == 3
    assert [r['file'] for r in ann['records']] == [
        '000000.png', '000001.png', '000002.png'
    ]
    assert sorted(p.name for p in out.glob('*.png')) == [
        r['file'] for r in ann['records']
    ]
    for i, record in enumerate(ann['records']):
        face = render_face(20, 28, np.random.default_rng([4, i]))
        bgr = cv2.imread(str(out / record['file']), cv2.IMREAD_UNCHANGED)
        assert bgr.shape == (20, 28, 3)
        # the file holds true RGB colours: reading back (BGR) and flipping
        # gives the renderer's RGB array exactly
        np.testing.assert_array_equal(bgr[..., ::-1], face['img'])
        np.testing.assert_allclose(record['landmarks'], face['landmarks'],
                                   atol=1e-3)
        for name, box in face['part_boxes'].items():
            np.testing.assert_allclose(record['part_boxes'][name], box,
                                       atol=1e-3)
        assert record['attributes'] == face['attributes']


@pytest.mark.parametrize('argv, message', [
    (['--num', '1', '--size', '12x'], "got '12x'"),
    (['--num', '1', '--size', '0x5'], ">= 16, got '0x5'"),
    (['--num', '0'], "positive integer, got '0'"),
    (['--num', '1', '--seed', '-2'], "non-negative integer, got '-2'"),
])
def test_bad_arguments_exit(tool, tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        tool.main(argv + ['--out', str(tmp_path)])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_runs_as_script_from_any_directory(tmp_path):
    # argument errors come before the heavy imports, so this stays fast
    result = subprocess.run(
        [sys.executable, SCRIPT, '--num', '1', '--size', 'abc', '--out',
         str(tmp_path)],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "size must look like HxW (e.g. 128x96), got 'abc'" in result.stderr
