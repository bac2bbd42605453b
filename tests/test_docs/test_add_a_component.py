"""Run the code of docs/add_a_component.md exactly as written there."""
import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DOC = osp.join(ROOT, 'docs', 'add_a_component.md')


def _files_of_doc():
    text = open(DOC, encoding='utf-8').read()
    blocks = re.findall(r'```python\n(.*?)```', text, flags=re.S)
    files = {}
    for block in blocks:
        first = block.splitlines()[0]
        if first.startswith('# file: '):
            files[first[len('# file: '):].strip()] = block
    return files


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp('tutorial')
    shutil.copytree(osp.join(ROOT, 'configs'), root / 'configs')
    files = _files_of_doc()
    assert {'my_project/ellipse_mask.py', 'my_project/axial_attention.py',
            'my_project/__init__.py'} <= set(files)
    for rel, code in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m.startswith('my_project')]:
        del sys.modules[name]


def test_tutorial_components_keep_their_contracts(project):
    import my_project  # noqa: F401

    from inpaint_toolbox.registry import MASK_GENERATORS, MODELS
    gen = MASK_GENERATORS.build(dict(type='EllipseMask',
                                     hole_range=(0.1, 0.4)))
    for shape in [(75, 131), (200, 64)]:
        m = gen(shape=shape, rng=np.random.default_rng(3))
        assert m.shape == shape and m.dtype == np.uint8
        assert 0.1 <= m.mean() <= 0.4
        np.testing.assert_array_equal(
            m, gen(shape=shape, rng=np.random.default_rng(3)))
    block = MODELS.build(
        dict(type='NHAB', dim=16, num_heads=2,
             attn=dict(type='AxialAttention2d')))
    x = torch.randn(1, 16, 9, 13)
    assert block(x).shape == x.shape


def test_tutorial_config_trains(project, tmp_path):
    cfg = project / 'configs/my_project/in2-axial_quick_synthetic-faces.py'
    env = dict(os.environ, PYTHONPATH=str(project), OMP_NUM_THREADS='1')
    res = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools', 'train.py'), str(cfg),
         '--work-dir', str(tmp_path), '--cfg-options',
         'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
         'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
         'train_dataloader.persistent_workers=False',
         'train_dataloader.batch_sampler.size_range=[32,48]',
         'train_dataloader.dataset.img_size=[48,48]',
         'val_dataloader.dataset.num_samples=2',
         'val_dataloader.dataset.img_size=[40,56]'],
        cwd=str(project), env=env, capture_output=True, text=True,
        timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert 'AxialAttention2d' in log and 'EllipseMask' in log
    assert (tmp_path / 'iter_2.pth').is_file()
