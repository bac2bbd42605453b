"""tools/convert_stylegan2.py and tools/generate.py on a tiny checkpoint."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image
from stylegan2_fakes import write_rosinality

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool(name, monkeypatch):
    monkeypatch.syspath_prepend(osp.join(ROOT, 'tools'))
    spec = importlib.util.spec_from_file_location(
        f'_tool_{name}', osp.join(ROOT, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def converted(tmp_path, monkeypatch, generator, capsys):
    src, dst = tmp_path / 'ros.pt', tmp_path / 'g.pth'
    write_rosinality(generator, src)
    convert = _tool('convert_stylegan2', monkeypatch)
    assert convert.main([str(src), str(dst), '--src-format', 'rosinality',
                         '--conv-clamp', 'none']) == 0
    assert 'rosinality' in capsys.readouterr().out
    return dst


def test_generate_is_deterministic_and_matches_the_generator(
        tmp_path, monkeypatch, generator, converted):
    gen = _tool('generate', monkeypatch)
    args = [str(converted), '--seeds', '0', '3', '--trunc', '0.7']
    assert gen.main(args + ['--outdir', str(tmp_path / 'a')]) == 0
    assert gen.main(args + ['--outdir', str(tmp_path / 'b')]) == 0
    for seed in (0, 3):
        a = (tmp_path / 'a' / f'seed{seed:04d}.png').read_bytes()
        b = (tmp_path / 'b' / f'seed{seed:04d}.png').read_bytes()
        assert a == b
    z = torch.from_numpy(np.random.RandomState(3).randn(1, 32))
    with torch.no_grad():
        img = generator(z, truncation_psi=0.7, noise_mode='const')
    expected = (img.permute(0, 2, 3, 1) * 127.5 + 128).clamp(0, 255).to(
        torch.uint8)[0].numpy()
    png = np.asarray(Image.open(tmp_path / 'a' / 'seed0003.png'))
    assert png.shape == (16, 16, 3) and png.dtype == np.uint8
    assert np.abs(png.astype(int) - expected.astype(int)).max() <= 1
    seed0 = np.asarray(Image.open(tmp_path / 'a' / 'seed0000.png'))
    assert not np.array_equal(seed0, png)


def test_generate_from_repo_root_in_a_new_process(tmp_path, monkeypatch,
                                                  converted):
    gen = _tool('generate', monkeypatch)
    gen.main([str(converted), '--seeds', '5', '--outdir',
              str(tmp_path / 'here')])
    env = dict(os.environ, OMP_NUM_THREADS='1')  # same arithmetic as here
    result = subprocess.run(
        [sys.executable, 'tools/generate.py', str(converted), '--seeds', '5',
         '--outdir', str(tmp_path / 'there')], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / 'here' / 'seed0005.png').read_bytes() == \
        (tmp_path / 'there' / 'seed0005.png').read_bytes()


def test_tool_errors(tmp_path, monkeypatch, converted):
    gen = _tool('generate', monkeypatch)
    with pytest.raises(SystemExit, match=r'seeds must be in \[0, 2\*\*32\)'):
        gen.main([str(converted), '--seeds', '-1', '--outdir',
                  str(tmp_path)])
    with pytest.raises(FileNotFoundError, match='nothing.pth'):
        gen.main([str(tmp_path / 'nothing.pth'), '--seeds', '0',
                  '--outdir', str(tmp_path)])
    convert = _tool('convert_stylegan2', monkeypatch)
    with pytest.raises(SystemExit):  # argparse rejects the format
        convert.main([str(converted), str(tmp_path / 'x.pth'),
                      '--src-format', 'tensorflow'])
    with pytest.raises(SystemExit):
        convert.main([str(converted), str(tmp_path / 'x.pth'),
                      '--conv-clamp', 'big'])


def test_generate_with_a_config(tmp_path, monkeypatch, converted):
    cfg = tmp_path / 'cfg.py'
    cfg.write_text(
        "model = dict(generator=dict(type='StyleGAN2Generator', z_dim=32, "
        "w_dim=32, img_resolution=16, channel_base=256, channel_max=32))\n")
    gen = _tool('generate', monkeypatch)
    gen.main([str(converted), '--seeds', '1', '--outdir', str(tmp_path / 'm')])
    gen.main([str(converted), '--seeds', '1', '--outdir', str(tmp_path / 'c'),
              '--config', str(cfg)])
    assert (tmp_path / 'm' / 'seed0001.png').read_bytes() == \
        (tmp_path / 'c' / 'seed0001.png').read_bytes()
    with pytest.raises(SystemExit, match="no 'model.mapper'"):
        gen.main([str(converted), '--seeds', '1', '--outdir', str(tmp_path),
                  '--config', str(cfg), '--config-key', 'model.mapper'])
