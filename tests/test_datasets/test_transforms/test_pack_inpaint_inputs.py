"""PackInpaintInputs: tensors, data sample fields and meta information."""
import numpy as np
import pytest
import torch

from inpaint_toolbox.datasets.transforms import (GenerateMask,
                                                 PackInpaintInputs,
                                                 RescaleToLowRes)
from inpaint_toolbox.models.data_preprocessors import InpaintDataPreprocessor
from inpaint_toolbox.structures import InpaintDataSample


@pytest.mark.parametrize('fill', [None, 0, 1])
def test_pack_tensors(make_results, fill):
    results = make_results(40, 60)
    if fill is not None:  # all-known and all-hole masks pass through
        results['mask'][:] = fill
    gt, mask = results['gt'].copy(), results['mask'].copy()
    packed = PackInpaintInputs()(results)
    inputs, sample = packed['inputs'], packed['data_samples']
    assert isinstance(sample, InpaintDataSample)
    assert inputs.dtype == torch.uint8 and inputs.shape == (3, 40, 60)
    assert sample.gt_img.shape == (3, 40, 60)
    assert sample.mask.dtype == torch.uint8
    assert sample.mask.shape == (1, 40, 60)
    np.testing.assert_array_equal(inputs.numpy().transpose(1, 2, 0), gt)
    np.testing.assert_array_equal(sample.gt_img.numpy().transpose(1, 2, 0), gt)
    np.testing.assert_array_equal(sample.mask.numpy()[0], mask[..., 0])
    assert 'lq_img' not in sample


def test_pack_meta_information(make_results):
    results = make_results(40, 60, sample_idx=7)
    results['mask_path'] = None
    results['unrelated'] = 'not copied'
    sample = PackInpaintInputs()(results)['data_samples']
    meta = sample.metainfo
    assert meta['sample_idx'] == 7 and meta['img_shape'] == (40, 60)
    assert meta['gt_path'] == 'memory://7' and meta['mask_path'] is None
    assert meta['landmarks'].dtype == np.float32
    assert meta['landmarks'].shape == (5, 2)
    assert set(meta['part_boxes']) == {'left_eye', 'right_eye', 'mouth'}
    assert meta['attributes']['smiling'] is True
    assert 'unrelated' not in meta
    only = PackInpaintInputs(meta_keys=('sample_idx', ))(
        make_results())['data_samples']
    assert set(only.metainfo) == {'sample_idx'}


def test_pack_low_res_input(make_results):
    results = RescaleToLowRes(2)(make_results(40, 60, mask=False))
    # the mask marks holes of the model input, here the low-res copy
    results = GenerateMask(dict(type='BoxMask'), seed=0)(results)
    assert results['mask'].shape == (20, 30, 1)
    sample = PackInpaintInputs()(results)['data_samples']
    assert sample.lq_img.shape == (3, 20, 30)
    assert sample.gt_img.shape == (3, 40, 60)
    assert sample.mask.shape == (1, 20, 30)
    assert sample.metainfo['scale'] == 2.0
    np.testing.assert_array_equal(sample.lq_img.numpy().transpose(1, 2, 0),
                                  results['lq'])
    # a full-resolution mask next to a low-res input is a size error
    full = RescaleToLowRes(2)(make_results(40, 60))
    with pytest.raises(ValueError, match='mask size'):
        PackInpaintInputs()(full)


def test_missing_or_bad_mask_is_a_clear_error(make_results):
    with pytest.raises(ValueError, match='GenerateMask or LoadMaskFromFile'):
        PackInpaintInputs()(make_results(mask=False))
    results = make_results()
    results['mask'] = results['mask'] * 255
    with pytest.raises(ValueError, match='0 or 1'):
        PackInpaintInputs()(results)
    results = make_results()
    results['mask'] = results['mask'][..., 0]
    with pytest.raises(ValueError, match=r'\(H, W, 1\)'):
        PackInpaintInputs()(results)


def test_packed_samples_feed_the_data_preprocessor(make_results):
    packed = [
        PackInpaintInputs()(make_results(40, 60, sample_idx=i))
        for i in range(2)
    ]
    batch = dict(
        inputs=[p['inputs'] for p in packed],
        data_samples=[p['data_samples'] for p in packed])
    out = InpaintDataPreprocessor(size_divisor=8)(batch)
    assert out['inputs']['img'].shape == (2, 4, 40, 64)
    hole = out['inputs']['mask'][0, 0, :40, :60].numpy()
    np.testing.assert_array_equal(hole, make_results()['mask'][..., 0])
