"""ImageFolderDataset: folder scans, annotation files and mask pairing."""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import DefaultScope

from inpaint_toolbox.datasets import ImageFolderDataset
from inpaint_toolbox.registry import DATASETS


def _write(path, value=0, shape=(12, 16, 3)):
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), np.full(shape, value, np.uint8))
    return path


@pytest.fixture
def root(tmp_path):
    """CelebA-HQ/FFHQ-like tree: nested images, masks and stray files."""
    for rel in [
            'images/00000/b.png', 'images/00000/a.jpg', 'images/00001/c.PNG',
            'images/top.webp'
    ]:
        _write(tmp_path / rel, value=len(rel))
    (tmp_path / 'images/readme.txt').write_text('not an image')
    _write(tmp_path / 'images/.hidden.png')
    _write(tmp_path / 'images/.cache/x.png')
    for rel in [
            'masks/00000/a.png', 'masks/00000/b.png', 'masks/00001/c.png',
            'masks/top.png'
    ]:
        _write(tmp_path / rel, value=255, shape=(12, 16))
    return tmp_path


def _rel(paths, folder):
    return [osp.relpath(p, folder).replace('\\', '/') for p in paths]


def _gt_paths(ds):
    return [ds.get_data_info(i)['gt_path'] for i in range(len(ds))]


@pytest.mark.parametrize('recursive,expected', [
    (True, ['00000/a.jpg', '00000/b.png', '00001/c.PNG', 'top.webp']),
    (False, ['top.webp']),
])
def test_scan_finds_images_sorted(root, recursive, expected):
    ds = ImageFolderDataset(data_root=str(root), recursive=recursive)
    assert _rel(_gt_paths(ds), root / 'images') == expected
    info = ds.get_data_info(0)
    assert 'mask_path' not in info and info['sample_idx'] == 0


def test_extensions_filter_ignores_case(root):
    ds = ImageFolderDataset(data_root=str(root), extensions=['png'])
    assert _rel(_gt_paths(ds),
                root / 'images') == ['00000/b.png', '00001/c.PNG']


def test_flat_folder_as_data_root(root):
    ds = ImageFolderDataset(
        data_root=str(root / 'images' / '00000'), data_prefix=dict(gt=''))
    assert [osp.basename(p) for p in _gt_paths(ds)] == ['a.jpg', 'b.png']


def test_mask_pairing_by_name(root):
    ds = ImageFolderDataset(
        data_root=str(root),
        data_prefix=dict(gt='images', mask='masks'),
        mask_pairing='name')
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        gt = osp.relpath(info['gt_path'], root / 'images')
        mask = osp.relpath(info['mask_path'], root / 'masks')
        assert osp.splitext(gt)[0] == osp.splitext(mask)[0]


def test_mask_pairing_sorted_cycles(root, tmp_path):
    ds = ImageFolderDataset(
        data_root=str(root),
        data_prefix=dict(gt='images', mask='masks'),
        recursive=True,
        mask_pairing='sorted')
    masks = _rel([ds.get_data_info(i)['mask_path'] for i in range(len(ds))],
                 root / 'masks')
    assert masks == ['00000/a.png', '00000/b.png', '00001/c.png', 'top.png']
    few = tmp_path / 'few_masks'
    _write(few / 'm1.png', shape=(12, 16))
    _write(few / 'm0.png', shape=(12, 16))
    ds = ImageFolderDataset(
        data_root=str(root), data_prefix=dict(gt='images', mask=str(few)))
    masks = [
        osp.basename(ds.get_data_info(i)['mask_path']) for i in range(len(ds))
    ]
    assert masks == ['m0.png', 'm1.png', 'm0.png', 'm1.png']


def test_mask_pairing_by_name_reports_missing_masks(root):
    (root / 'masks/top.png').unlink()
    with pytest.raises(FileNotFoundError, match='top.webp'):
        ImageFolderDataset(
            data_root=str(root),
            data_prefix=dict(gt='images', mask='masks'),
            mask_pairing='name')


def test_ann_file_lists_images(root):
    (root / 'train.txt').write_text(
        '# comment\n00001/c.PNG\n\ntop.webp\n', encoding='utf-8')
    ds = ImageFolderDataset(data_root=str(root), ann_file='train.txt')
    assert _rel(_gt_paths(ds), root / 'images') == ['00001/c.PNG', 'top.webp']


def test_ann_file_with_mask_column(root):
    (root /
     'test.txt').write_text('00000/a.jpg\t00001/c.png\ntop.webp 00000/a.png\n')
    ds = ImageFolderDataset(
        data_root=str(root),
        ann_file='test.txt',
        data_prefix=dict(gt='images', mask='masks'))
    masks = _rel([ds.get_data_info(i)['mask_path'] for i in range(2)],
                 root / 'masks')
    assert masks == ['00001/c.png', '00000/a.png']
    # without a mask folder the column is relative to data_root
    (root / 'test2.txt').write_text('top.webp masks/top.png\n')
    ds = ImageFolderDataset(data_root=str(root), ann_file='test2.txt')
    assert ds.get_data_info(0)['mask_path'] == osp.join(
        str(root), 'masks/top.png')


@pytest.mark.parametrize('content,error,match', [
    ('top.webp\nmissing.png\n', FileNotFoundError, r'txt:2.*missing\.png'),
    ('top.webp\tmasks/top.png\n00000/a.jpg\n', ValueError, 'every line'),
    ('top.webp a b\n', ValueError, 'columns'),
    ('# only a comment\n', FileNotFoundError, 'no images'),
])
def test_ann_file_errors(root, content, error, match):
    (root / 'bad.txt').write_text(content)
    with pytest.raises(error, match=match):
        ImageFolderDataset(data_root=str(root), ann_file='bad.txt')


def test_missing_ann_file(root):
    with pytest.raises(FileNotFoundError, match='nope.txt'):
        ImageFolderDataset(data_root=str(root), ann_file='nope.txt')


def test_empty_or_missing_folder_names_the_path(tmp_path):
    (tmp_path / 'images').mkdir()
    (tmp_path / 'images' / 'notes.txt').write_text('x')
    with pytest.raises(FileNotFoundError, match='images'):
        ImageFolderDataset(data_root=str(tmp_path))
    with pytest.raises(FileNotFoundError, match='elsewhere'):
        ImageFolderDataset(
            data_root=str(tmp_path), data_prefix=dict(gt='elsewhere'))
    _write(tmp_path / 'images' / 'a.png')
    (tmp_path / 'empty_masks').mkdir()
    with pytest.raises(FileNotFoundError, match='empty_masks'):
        ImageFolderDataset(
            data_root=str(tmp_path),
            data_prefix=dict(gt='images', mask='empty_masks'))


@pytest.mark.parametrize('kwargs,match', [
    (dict(mask_pairing='random'), 'mask_pairing'),
    (dict(data_prefix=dict(img='images')), 'data_prefix'),
])
def test_argument_errors(root, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ImageFolderDataset(data_root=str(root), **kwargs)


def test_tuple_index_sets_crop_shape(root):
    seen = []

    def record(results):
        seen.append(dict(results))
        return results

    ds = ImageFolderDataset(data_root=str(root), pipeline=[record])
    ds[1]
    ds[(2, (8, 4))]
    assert 'crop_shape' not in seen[0] and seen[0]['sample_idx'] == 1
    assert seen[1]['crop_shape'] == (8, 4) and seen[1]['sample_idx'] == 2
    with pytest.raises(TypeError, match='crop_h'):
        ds[(2, 8)]
    with pytest.raises(ValueError, match='positive'):
        ds[(2, (0, 8))]


def test_refetch_keeps_the_batch_shape(root):
    calls = []

    def flaky(results):
        calls.append((results['sample_idx'], results.get('crop_shape')))
        return None if len(calls) == 1 else results

    ds = ImageFolderDataset(data_root=str(root), pipeline=[flaky])
    out = ds[(0, (8, 8))]
    assert out['crop_shape'] == (8, 8) and len(calls) == 2
    ds_test = ImageFolderDataset(
        data_root=str(root), pipeline=[flaky], test_mode=True)
    calls.clear()
    with pytest.raises(RuntimeError, match='test_mode'):
        ds_test[(0, (8, 8))]


def test_full_pipeline_from_config(root):
    cfg = dict(
        type='ImageFolderDataset',
        data_root=str(root),
        data_prefix=dict(gt='images', mask='masks'),
        mask_pairing='name',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadMaskFromFile', hole_value='white'),
            dict(type='RandomCrop', adaptive=True),
            dict(type='PackInpaintInputs'),
        ])
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        ds = DATASETS.build(cfg)
        out = ds[(3, (8, 10))]
    sample = out['data_samples']
    assert out['inputs'].shape == (3, 8, 10)
    assert sample.mask.shape == (1, 8, 10) and int(sample.mask.min()) == 1
    assert sample.metainfo['gt_path'].endswith('top.webp')
    assert sample.metainfo['mask_path'].endswith('top.png')
    assert sample.metainfo['ori_shape'] == (12, 16)
