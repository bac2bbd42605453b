"""tools/find_directions.py end to end on a tiny random generator and a tiny
random attribute classifier."""
import importlib.util
import json
import os.path as osp
import re

import pytest
import torch

from inpaint_toolbox.models.editors import AttributeClassifier, load_direction
from inpaint_toolbox.models.generators.stylegan2 import StyleGAN2Generator

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GEN_CFG = dict(z_dim=16, w_dim=16, img_resolution=16, channel_max=16,
               num_mapping_layers=2)  # n_latent = 6
CLF_CFG = dict(attributes=('smiling', 'glasses'), base_channels=4,
               num_stages=2, max_channels=8)


@pytest.fixture(autouse=True)
def _single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def tool(monkeypatch):
    monkeypatch.syspath_prepend(osp.join(ROOT, 'tools'))
    spec = importlib.util.spec_from_file_location(
        '_tool_find_directions', osp.join(ROOT, 'tools',
                                          'find_directions.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_config(path, model: dict) -> str:
    path.write_text(f'model = {model!r}\n')
    return str(path)


@pytest.fixture
def files(tmp_path):
    """Generator (training-checkpoint and converted layouts) and classifier
    files."""
    torch.manual_seed(0)
    gen = StyleGAN2Generator(**GEN_CFG).eval()
    state = gen.state_dict()
    torch.save({'state_dict': {f'generator_ema.module.{k}': v
                               for k, v in state.items()}},
               tmp_path / 'train.pth')
    gen_cfg = _write_config(tmp_path / 'gan.py', dict(
        generator=dict(type='StyleGAN2Generator', **GEN_CFG)))
    meta = dict(img_resolution=16, img_channels=3, z_dim=16, w_dim=16,
                c_dim=0, channels=gen.channels, num_mapping_layers=2,
                mapping_lr_multiplier=0.01, conv_clamp=None)
    torch.save({'state_dict': {f'generator_ema.{k}': v
                               for k, v in state.items()},
                'meta': {'stylegan2': meta}}, tmp_path / 'converted.pth')
    torch.manual_seed(1)
    clf = AttributeClassifier(**CLF_CFG).eval()
    torch.save({'state_dict': clf.state_dict()}, tmp_path / 'clf.pth')
    clf_cfg = _write_config(tmp_path / 'clf.py',
                            dict(type='AttributeClassifier', **CLF_CFG))
    return dict(train=str(tmp_path / 'train.pth'), gen_cfg=gen_cfg,
                converted=str(tmp_path / 'converted.pth'), clf_cfg=clf_cfg,
                clf=str(tmp_path / 'clf.pth'), generator=gen)


def _generator_args(files, layout):
    if layout == 'converted':
        return [files['converted']]
    return [files['train'], '--config', files['gen_cfg']]


@pytest.mark.parametrize('layout', ['train', 'converted'])
def test_ganspace_writes_sorted_unit_directions(tool, files, tmp_path,
                                                layout):
    out = tmp_path / 'gs'
    argv = _generator_args(files, layout) + [
        '--method', 'ganspace', '--num-components', '3', '--num-samples',
        '200', '--seed', '5', '--layers', '1', '4', '--out', str(out)]
    assert tool.main(argv) == 0
    summary = json.loads((out / 'summary.json').read_text())
    assert summary['method'] == 'ganspace' and summary['n_latent'] == 6
    assert summary['layers'] == [1, 4] and summary['seed'] == 5
    entries = summary['directions']
    assert [e['file'] for e in entries] == ['pc0.pth', 'pc1.pth', 'pc2.pth']
    variances = [e['explained_variance'] for e in entries]
    assert variances == sorted(variances, reverse=True) and variances[2] > 0
    assert 0 < summary['total_explained_variance_ratio'] <= 1
    # pc0 is the top principal axis of the same seeded codes
    gen = files['generator']
    z = torch.randn(200, 16, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        ws = gen.mapping(z, None)[:, 0]
    top = torch.linalg.eigh(torch.cov(ws.T.double()))[1][:, -1]
    pc0 = load_direction(out / 'pc0.pth', w_dim=16, n_latent=6)
    assert pc0.name == 'pc0' and pc0.layers == (1, 4)
    assert abs(float(pc0.direction.double() @ top)) > 0.999
    torch.testing.assert_close(pc0.direction.norm(), torch.tensor(1.0))


def test_same_seed_same_files_other_seed_differs(tool, files, tmp_path):
    def run(seed, name):
        argv = [files['converted'], '--method', 'ganspace',
                '--num-components', '2', '--num-samples', '50', '--seed',
                str(seed), '--out', str(tmp_path / name)]
        assert tool.main(argv) == 0
        return load_direction(tmp_path / name / 'pc1.pth').direction

    a, b, c = run(0, 'a'), run(0, 'b'), run(1, 'c')
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_interfacegan_end_to_end(tool, files, tmp_path):
    out = tmp_path / 'ifg'
    argv = _generator_args(files, 'train') + [
        '--method', 'interfacegan', '--attribute', 'glasses',
        '--classifier-config', files['clf_cfg'], '--classifier-checkpoint',
        files['clf'], '--num-samples', '160', '--seed', '0',
        '--confident-ratio', '0.3', '--layers', '0', '3',
        '--eval-strength', '2', '--batch-size', '40', '--out', str(out)]
    assert tool.main(argv) == 0
    direction = load_direction(out / 'glasses.pth', w_dim=16, n_latent=6)
    assert direction.name == 'glasses' and direction.layers == (0, 3)
    torch.testing.assert_close(direction.direction.norm(), torch.tensor(1.))
    summary = json.loads((out / 'summary.json').read_text())
    entry = summary['directions'][0]
    assert summary['attribute'] == 'glasses'
    # 160 samples: 32 held out; 30% most and least confident of each part
    assert entry['num_heldout'] == 2 * 9 and entry['num_fit'] == 2 * 38
    assert entry['positive_fraction_fit'] == 0.5
    assert 0.5 < entry['train_accuracy'] <= 1
    assert 0 <= entry['heldout_accuracy'] <= 1 and entry['std'] > 0
    # balanced held-out sets: both accuracies agree
    assert entry['heldout_balanced_accuracy'] == pytest.approx(
        entry['heldout_accuracy'])
    effect = entry['edit_effect']
    assert effect['num_samples'] == 32 and effect['strength'] == 2
    assert effect['mean_change_plus'] == pytest.approx(
        effect['mean_prob_plus'] - effect['mean_prob'])
    # the fitted normal points where the classifier's labels grow
    assert effect['mean_prob_plus'] > effect['mean_prob_minus']
    assert set(effect['other_attributes']) == {'smiling'}
    # same seed, same direction
    assert tool.main(argv[:-1] + [str(tmp_path / 'again')]) == 0
    again = load_direction(tmp_path / 'again' / 'glasses.pth')
    assert torch.equal(again.direction, direction.direction)
    # conditioned on smiling: a different unit direction, recorded
    assert tool.main(argv[:-2] + ['--condition-on', 'smiling', '--out',
                                  str(tmp_path / 'cond')]) == 0
    cond = load_direction(tmp_path / 'cond' / 'glasses.pth').direction
    torch.testing.assert_close(cond.norm(), torch.tensor(1.))
    entry = json.loads((tmp_path / 'cond' / 'summary.json').read_text())[
        'directions'][0]
    assert entry['conditioned_on'] == ['smiling']
    assert entry['cosine_to_unconditioned'] == pytest.approx(
        float(cond @ direction.direction), abs=1e-5)
    assert entry['cosine_to_unconditioned'] < 1 - 1e-4


@pytest.mark.parametrize('extra,match', [
    (['--method', 'interfacegan'],
     '--attribute --classifier-config --classifier-checkpoint'),
    (['--method', 'ganspace', '--eval-strength', '1'],
     '--eval-strength and --condition-on need --method interfacegan'),
    (['--method', 'interfacegan', '--attribute', 'glasses',
      '--condition-on', 'glasses'], "must not name --attribute 'glasses'"),
    (['--method', 'ganspace', '--layers', '3', '3'], '0 <= START < STOP'),
    (['--method', 'ganspace', '--layers', '2', '7'],
     r'\[2, 7\] go past the 6 W\+ codes'),
    (['--method', 'ganspace', '--num-components', '17'],
     r'--num-components must be in \[1, 16\]'),
    (['--method', 'ganspace', '--num-samples', '1'], '--num-samples'),
])
def test_usage_errors(tool, files, tmp_path, capsys, extra, match):
    with pytest.raises(SystemExit) as err:
        tool.main([files['converted'], '--out', str(tmp_path / 'o')] + extra)
    assert err.value.code == 2
    assert re.search(match, capsys.readouterr().err)


def test_unknown_attribute_and_missing_files(tool, files, tmp_path, capsys):
    base = [files['converted'], '--method', 'interfacegan',
            '--classifier-config', files['clf_cfg'], '--num-samples', '8',
            '--out', str(tmp_path / 'o')]
    with pytest.raises(SystemExit, match=r"'beard'.*\['smiling', 'glasses'"):
        tool.main(base + ['--attribute', 'beard', '--classifier-checkpoint',
                          files['clf']])
    with pytest.raises(SystemExit):
        tool.main(base + ['--attribute', 'glasses',
                          '--classifier-checkpoint', 'missing.pth'])
    assert 'file not found: missing.pth' in capsys.readouterr().err
