"""Specification of tools/compare.py and its protocol settings."""
import importlib
import importlib.util
import json
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(ROOT, 'tools')
PROTOCOLS = osp.join(ROOT, 'configs', '_base_', 'datasets')
TELEA = osp.join(ROOT, 'configs', 'baselines',
                 'opencv-telea_protocol_synthetic-faces.py')
NS = osp.join(ROOT, 'configs', 'baselines',
              'opencv-ns_protocol_synthetic-faces.py')


@pytest.fixture(scope='module')
def tools():
    if TOOLS not in sys.path:
        sys.path.insert(0, TOOLS)
    compare = importlib.import_module('compare')
    protocol = importlib.import_module('_protocol')
    return compare, protocol


def _protocol(name):
    return Config.fromfile(osp.join(PROTOCOLS, name)).protocol.to_dict()


def test_synthetic_protocol_settings(tools):
    _, proto = tools
    settings = proto.protocol_settings(_protocol(
        'protocol_synthetic-faces.py'))
    assert len(settings) == 1 + 5 * 3
    by_name = {s.name: s for s in settings}
    assert by_name['ideal-512x512'].size == (512, 512)
    assert by_name['ideal-512x512'].group == 'ideal'
    # H:W ratios, long side exact, short side a multiple of 8
    assert by_name['9:16-1024'].size == (576, 1024)
    assert by_name['16:9-1024'].size == (1024, 576)
    assert by_name['3:4-2048'].size == (1536, 2048)
    assert by_name['4:3-512'].size == (512, 384)
    assert {s.group for s in settings[1:]} == {'real-world'}


def test_overridden_sizes_and_selection(tools):
    _, proto = tools
    settings = proto.protocol_settings(
        _protocol('protocol_synthetic-faces.py'), ideal_sizes=[(64, 64)],
        aspect_ratios=['1:1', '9:16'], long_sides=[64, 128])
    assert [s.name for s in settings] == [
        'ideal-64x64', '1:1-64', '9:16-64', '1:1-128', '9:16-128']
    assert settings[2].size == (40, 64)
    pick = proto.select_settings(settings, ['ideal', '*-128'])
    assert [s.name for s in pick] == ['ideal-64x64', '1:1-128', '9:16-128']
    with pytest.raises(ValueError, match=r"'2:3-64' matches none of .*"
                       r"'1:1-64'"):
        proto.select_settings(settings, ['2:3-64'])
    with pytest.raises(ValueError, match='long side 100 must be a positive '
                       'multiple of the size divisor 8'):
        proto.protocol_settings(_protocol('protocol_synthetic-faces.py'),
                                long_sides=[100])


def test_setting_dataloaders(tools):
    _, proto = tools
    synth = _protocol('protocol_synthetic-faces.py')
    setting = proto.Setting('3:4-64', 'real-world', (48, 64), '3:4', 64)
    loader = proto.setting_dataloader(synth, setting, num_samples=3)
    assert loader['dataset']['img_size'] == (48, 64)
    assert loader['dataset']['num_samples'] == 3
    assert synth['dataloader']['dataset']['img_size'] == (512, 512)  # copy
    folder = _protocol('protocol_image-folder.py')
    loader = proto.setting_dataloader(folder, setting)
    assert loader['dataset']['pipeline'][1] == dict(
        type='RandomCrop', size=(48, 64), seed=2024)
    with pytest.raises(ValueError, match='every image of its folder'):
        proto.setting_dataloader(folder, setting, num_samples=2)
    with pytest.raises(KeyError, match="'dataset.nope': no entry 'nope'"):
        proto.set_by_path(loader, 'dataset.nope', 1)
    paired = _protocol('protocol_image-folder-paired.py')
    assert [s.name for s in proto.protocol_settings(paired)] == ['native']


def _png_ok(path):
    img = cv2.imread(str(path))
    return img is not None and img.shape[0] > 50 and img.shape[1] > 50


def test_compare_two_methods_end_to_end(tools, tmp_path, capsys):
    compare, _ = tools
    out = tmp_path / 'cmp'
    result = compare.main([
        TELEA, NS, '--names', 'telea', 'ns', '--ideal-sizes', '32x32',
        '--long-sides', '32', '48', '--aspect-ratios', '1:1', '9:16',
        '--num-samples', '2', '--out', str(out), '--plot', 'PSNR_hole',
        'SSIM'])
    names = ['ideal-32x32', '1:1-32', '9:16-32', '1:1-48', '9:16-48']
    saved = json.loads((out / 'comparison.json').read_text())
    assert [m['name'] for m in saved['methods']] == ['telea', 'ns']
    assert [s['name'] for s in saved['settings']] == names
    for method in ('telea', 'ns'):
        assert sorted(saved['results'][method]) == sorted(names)
        for values in saved['results'][method].values():
            assert 5 < values['PSNR_hole'] < 60
            assert 0 < values['SSIM'] <= 1
            assert 'part_err_mean' in values and 'seconds_per_image' in values
    # every method saw the same pairs: the 32x32 ideal and 1:1 settings
    # are the same images, so their scores agree
    for method in ('telea', 'ns'):
        r = saved['results'][method]
        assert r['ideal-32x32']['PSNR_hole'] == r['1:1-32']['PSNR_hole']
    assert saved['results'] == result['results']
    md = (out / 'comparison.md').read_text()
    assert '| setting | H x W | telea | ns |' in md
    assert '| 9:16-48 | 24x48 |' in md and 'mean real-world' in md
    # the summary: one row per method, real-world sides averaged over ratios
    assert ('| method | ideal-32x32 | real-world 32 | real-world 48 | mean '
            'real-world |') in md
    r = saved['results']['ns']
    side_48 = (r['1:1-48']['SSIM'] + r['9:16-48']['SSIM']) / 2
    assert f'| ns | {r["ideal-32x32"]["SSIM"]:.4f}' in md.replace('**', '')
    assert f'{side_48:.4f}' in md
    for metric in ('PSNR_hole', 'SSIM'):
        assert _png_ok(out / f'quality_vs_resolution_{metric}.png')
    assert not (out / 'quality_vs_resolution_MAE_hole.png').exists()
    printed = capsys.readouterr().out
    assert 'PSNR_hole ↑' in printed and '9:16-48' in printed


def _write_rgb(path, img):
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), img[..., ::-1])


def test_image_folder_protocol_with_mask_folder(tools, tmp_path):
    compare, _ = tools
    rng = np.random.default_rng(0)
    (tmp_path / 'data' / 'masks').mkdir(parents=True)
    for i in range(2):
        _write_rgb(tmp_path / 'data' / 'images' / f'{i}.png',
                   rng.integers(0, 256, (40, 50, 3), dtype=np.uint8))
        mask = np.zeros((20, 20), np.uint8)
        mask[5:12, 3 + i:15] = 255  # white = hole, as the protocol says
        cv2.imwrite(str(tmp_path / 'data' / 'masks' / f'm{i}.png'), mask)
    out = tmp_path / 'out'
    compare.main([
        TELEA, '--protocol', osp.join(PROTOCOLS, 'protocol_image-folder.py'),
        '--protocol-options',
        f'protocol.dataloader.dataset.data_root={tmp_path / "data"}',
        'protocol.dataloader.num_workers=0',
        'protocol.dataloader.dataset.pipeline.2.generator.folder='
        f'{tmp_path / "data" / "masks"}',
        '--ideal-sizes', '24x24', '--long-sides', '32', '--aspect-ratios',
        '3:4', '--out', str(out)])
    saved = json.loads((out / 'comparison.json').read_text())
    r = saved['results']['opencv-telea_protocol_synthetic-faces']
    assert sorted(r) == ['3:4-32', 'ideal-24x24']
    assert all(5 < v['PSNR_hole'] < 60 for v in r.values())


@pytest.fixture
def folders(tmp_path):
    rng = np.random.default_rng(1)
    gt, pred, masks = (tmp_path / n for n in ('gt', 'pred', 'masks'))
    for name in ('a', 'b', 'sub/c'):
        img = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
        _write_rgb(gt / f'{name}.png', img)
        noisy = np.clip(img.astype(int) + 8, 0, 255).astype(np.uint8)
        _write_rgb(pred / f'{name}.png', noisy)
        m = np.zeros((12, 16), np.uint8)
        m[2:6, 3:9] = 255
        (masks / name).parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(masks / f'{name}.png'), m)
    return gt, pred, masks


def test_pred_dir_metrics(tools, folders, tmp_path):
    compare, _ = tools
    gt, pred, masks = folders
    values = compare.evaluate_folders(str(pred), str(gt), str(masks),
                                      'white')
    assert values['num_images'] == 3
    # every pixel is off by at most 8 -> PSNR >= 20 log10(255 / 8)
    assert values['PSNR'] >= 30.0 and values['PSNR_hole'] >= 30.0
    out = tmp_path / 'res'
    res = compare.main(['--pred-dir', str(pred), str(gt), '--names', 'noisy',
                        'exact', '--gt-dir', str(gt), '--out', str(out)])
    assert res['results']['exact']['folder']['MAE'] == 0.0
    assert 'noisy' in (out / 'comparison.md').read_text()


def test_pred_dir_missing_images_are_listed(tools, folders):
    compare, _ = tools
    gt, pred, _ = folders
    (pred / 'b.png').unlink()
    (pred / 'sub' / 'c.png').unlink()
    with pytest.raises(FileNotFoundError) as err:
        compare.pair_folders(str(pred), str(gt))
    msg = str(err.value)
    assert 'lacks 2 of 3 ground-truth images' in msg
    assert 'b.png' in msg and 'sub/c.png' in msg and 'a.png' not in msg
    with pytest.raises(SystemExit, match='sub/c.png'):
        compare.main(['--pred-dir', str(pred), '--gt-dir', str(gt)])
    (pred / 'b.png').write_bytes((gt / 'b.png').read_bytes())
    (pred / 'sub' / 'c.png').write_bytes((gt / 'sub' / 'c.png').read_bytes())
    with pytest.raises(SystemExit, match=r"--plot \['FID'\]: not among"):
        compare.main(['--pred-dir', str(pred), '--gt-dir', str(gt),
                      '--out', str(gt.parent / 'o'), '--plot', 'FID'])


def test_pred_dir_bad_input(tools, folders):
    compare, _ = tools
    gt, pred, masks = folders
    with pytest.raises(ValueError, match='needs --mask-hole-value'):
        compare.evaluate_folders(str(pred), str(gt), str(masks), None)
    with pytest.raises(ValueError, match=r"hole-only metrics \['PSNR'\]"):
        compare.evaluate_folders(str(pred), str(gt), metrics=[
            dict(type='PSNR', mask_mode='hole')])
    (masks / 'a.png').unlink()
    with pytest.raises(FileNotFoundError, match='lacks masks for 1 .*a.png'):
        compare.pair_folders(str(pred), str(gt), str(masks))
    _write_rgb(pred / 'b.png', np.zeros((5, 5, 3), np.uint8))
    with pytest.raises(ValueError, match=r"b.png' is \(5, 5\)"):
        compare.evaluate_folders(str(pred), str(gt))


def test_method_parsing_and_checkpoint_rule(tools, tmp_path):
    compare, _ = tools
    assert compare.parse_method('a/b.py') == ('a/b.py', None)
    assert compare.parse_method('a/b.py:w/x.pth') == ('a/b.py', 'w/x.pth')
    tiny = osp.join(ROOT, 'tests', 'data', 'configs', 'tiny_baseline.py')
    with pytest.raises(ValueError, match='needs a checkpoint'):
        compare.build_method(tiny, None)
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        compare.build_method(tiny, str(tmp_path / 'x.pth'))
    with pytest.raises(ValueError, match='must differ'):
        compare.method_names(['a.py', 'x/a.py'], None)


def _test_tool():
    # tools/test.py by location: its name clashes with the standard
    # library's ``test`` package
    spec = importlib.util.spec_from_file_location(
        'tools_test', osp.join(TOOLS, 'test.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_test_tool_runs_one_method_over_settings(tools, tmp_path, capsys):
    test_tool = _test_tool()
    out = tmp_path / 'settings.json'
    result = test_tool.main([
        TELEA, '--settings', 'real-world', '--long-sides', '32',
        '--aspect-ratios', '1:1', '3:4', '--num-samples', '2', '--out',
        str(out), '--work-dir', str(tmp_path / 'tables')
    ])
    saved = json.loads(out.read_text())
    name = 'opencv-telea_protocol_synthetic-faces'
    assert [s['name'] for s in saved['settings']] == ['1:1-32', '3:4-32']
    assert sorted(saved['results'][name]) == ['1:1-32', '3:4-32']
    assert saved['results'] == json.loads(json.dumps(result['results']))
    assert (tmp_path / 'tables' / 'comparison.md').is_file()
    assert '3:4-32' in capsys.readouterr().out


def test_test_tool_refuses_compare_options_without_settings(tools):
    test_tool = _test_tool()
    with pytest.raises(SystemExit):
        test_tool.parse_args([TELEA, '--long-sides', '32'])
    with pytest.raises(SystemExit):
        test_tool.parse_args([TELEA, '--settings', 'ideal', '--show-dir',
                              'vis'])
