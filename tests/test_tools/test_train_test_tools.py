"""End-to-end runs of tools/train.py and tools/test.py on a tiny config."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch

from inpaint_toolbox.utils.checkpoint import safe_load

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(ROOT, 'tests', 'data', 'configs', 'tiny_baseline.py')


def _run(args, **kwargs):
    return subprocess.run([sys.executable] + args, cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          **kwargs)


def _env():
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop('LOCAL_RANK', None)
    return env


def test_train_then_test_writes_checkpoint_metrics_and_grids(tmp_path):
    work = tmp_path / 'work'
    res = _run(['tools/train.py', TINY, '--work-dir', str(work)], env=_env())
    assert res.returncode == 0, res.stderr[-3000:]
    ckpt = work / 'iter_4.pth'
    assert ckpt.is_file()
    assert (work / 'vis' / 'val_iter4.png').is_file()
    # checkpoints load with the weights-only loader
    state = safe_load(ckpt)
    assert state['meta']['iter'] == 4
    assert any(k.startswith('generator_ema.') for k in state['state_dict'])

    out = tmp_path / 'metrics.json'
    show = tmp_path / 'show'
    res = _run(['tools/test.py', TINY, str(work), '--work-dir',
                str(tmp_path / 'test'), '--out', str(out), '--show-dir',
                str(show)], env=_env())
    assert res.returncode == 0, res.stderr[-3000:]
    metrics = json.loads(out.read_text())['metrics']
    assert 'PSNR_hole' in metrics and 'SSIM' in metrics
    assert 0 < metrics['SSIM'] <= 1
    assert 'PSNR_hole' in res.stdout  # the terminal table
    assert sorted(os.listdir(show)) == ['000000.png', '000001.png',
                                        'test_grid.png']


def test_killed_run_resumes_at_the_right_iteration(tmp_path):
    work = tmp_path / 'work'
    cmd = [sys.executable, 'tools/train.py', TINY, '--work-dir', str(work),
           '--cfg-options', 'train_cfg.max_iters=1000',
           'train_cfg.val_interval=1000']
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    try:
        while not (work / 'iter_4.pth').exists():
            assert proc.poll() is None, 'training exited early'
            assert time.time() < deadline, 'no checkpoint in time'
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # a kill never leaves a truncated checkpoint: every file loads
    saved = sorted(int(f[5:-4]) for f in os.listdir(work)
                   if f.startswith('iter_') and f.endswith('.pth'))
    assert not [f for f in os.listdir(work) if f.endswith('.tmp')]
    for it in saved:
        assert safe_load(work / f'iter_{it}.pth')['meta']['iter'] == it
    last = max(saved)
    res = _run(['tools/train.py', TINY, '--work-dir', str(work), '--resume',
                '--cfg-options', f'train_cfg.max_iters={last + 2}',
                f'train_cfg.val_interval={last + 2}'], env=_env())
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert 'resumed' in log.lower()
    # the trained batches were skipped without rendering them again
    assert f'Skipped the {last} batches trained before the resume by ' \
        'replaying the samplers' in log
    assert f'Iter(train) [{last + 1}/{last + 2}]' in log
    assert 'Iter(train) [1/' not in log
    final = safe_load(work / f'iter_{last + 2}.pth')
    assert final['meta']['iter'] == last + 2
    # the logged history survived the round trip through the safe loader
    assert 'train/loss_g' in final['message_hub']['log_scalars']


def test_resume_from_missing_file_is_a_clear_error(tmp_path):
    res = _run(['tools/train.py', TINY, '--work-dir', str(tmp_path),
                '--resume', str(tmp_path / 'nope.pth')], env=_env())
    assert res.returncode != 0
    assert 'checkpoint not found' in res.stderr


def test_amp_without_cuda_is_refused(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('CUDA present')
    res = _run(['tools/train.py', TINY, '--work-dir', str(tmp_path),
                '--amp'], env=_env())
    assert res.returncode != 0 and '--amp needs a CUDA device' in res.stderr


def test_two_process_gloo_training(tmp_path):
    work = tmp_path / 'work'
    env = _env()
    env['PORT'] = str(29500 + os.getpid() % 1000)
    res = subprocess.run(
        ['bash', 'tools/dist_train.sh', TINY, '2', '--work-dir', str(work)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    log = res.stdout + res.stderr
    assert 'Distributed training: True' in log
    # each of the 2 ranks validated one of the 2 validation images
    assert 'Iter(val) [1/1]' in log
    state = safe_load(work / 'iter_4.pth')
    assert state['meta']['iter'] == 4


def _test_tool():
    """tools/test.py imported in this process (its name clashes with the
    standard library's ``test`` package, hence the explicit location)."""
    import importlib.util
    tools = osp.join(ROOT, 'tools')
    if tools not in sys.path:
        sys.path.insert(0, tools)
    spec = importlib.util.spec_from_file_location(
        'tools_test', osp.join(tools, 'test.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_parameter_free_model_runs_without_checkpoint(tmp_path, capsys):
    telea = osp.join(ROOT, 'configs', 'baselines',
                     'opencv-telea_protocol_synthetic-faces.py')
    out = tmp_path / 'metrics.json'
    metrics = _test_tool().main([
        telea, '--work-dir', str(tmp_path), '--out', str(out),
        '--cfg-options', 'test_dataloader.dataset.num_samples=2',
        'test_dataloader.dataset.img_size=(40,56)'])
    saved = json.loads(out.read_text())
    assert saved['checkpoint'] is None
    assert saved['metrics'] == metrics
    assert 10 < metrics['PSNR_hole'] < 60 and 0 < metrics['SSIM'] <= 1
    assert 'PSNR_hole' in capsys.readouterr().out


def test_model_with_parameters_needs_a_checkpoint(tmp_path):
    with pytest.raises(SystemExit, match='OneStageInpaintor needs a '
                       'checkpoint'):
        _test_tool().main([TINY, '--work-dir', str(tmp_path)])
