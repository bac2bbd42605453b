"""PackAttributeInputs: image tensor, label vector and errors."""
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from inpaint_toolbox.datasets import SyntheticFaceDataset
from inpaint_toolbox.datasets.transforms.attribute_packing import \
    PackAttributeInputs
from inpaint_toolbox.structures import InpaintDataSample


def _results(**attributes):
    gt = np.arange(16 * 20 * 3, dtype=np.int64).reshape(16, 20, 3) % 251
    attrs = dict(smiling=True, glasses=False, beard=True, smile=0.8)
    attrs.update(attributes)
    return dict(gt=gt.astype(np.uint8), gt_path='memory://3', sample_idx=3,
                img_shape=(16, 20), attributes=attrs)


@pytest.mark.parametrize('names,expected', [
    (('smiling', 'glasses', 'beard'), [1.0, 0.0, 1.0]),
    (('beard', 'smiling'), [1.0, 1.0]),
    ('glasses', [0.0]),
])
def test_pack_labels_in_the_given_order(names, expected):
    results = _results()
    gt = results['gt'].copy()
    packed = PackAttributeInputs(attributes=names)(results)
    sample = packed['data_samples']
    assert isinstance(sample, InpaintDataSample)
    assert packed['inputs'].dtype == torch.uint8
    np.testing.assert_array_equal(
        packed['inputs'].numpy().transpose(1, 2, 0), gt)
    assert sample.gt_attributes.dtype == torch.float32
    assert sample.gt_attributes.tolist() == expected
    names = (names, ) if isinstance(names, str) else names
    assert sample.metainfo['attribute_names'] == tuple(names)
    assert sample.metainfo['sample_idx'] == 3
    assert 'mask' not in sample


def test_pack_synthetic_faces_labels_match_the_renderer():
    pipeline = [dict(type='RandomFlip', prob=1.0),
                dict(type='PackAttributeInputs')]
    with DefaultScope.overwrite_default_scope('inpaint_toolbox'):
        ds = SyntheticFaceDataset(num_samples=6, img_size=(32, 32), seed=3,
                                  pipeline=pipeline)
    for i in range(len(ds)):
        attrs = ds.get_data_info(i)['attributes']
        sample = ds[i]['data_samples']
        assert sample.gt_attributes.tolist() == [
            float(attrs['smiling']), float(attrs['glasses']),
            float(attrs['beard'])]


@pytest.mark.parametrize('attributes,match', [
    (dict(smiling=0.5), "'smiling' must be binary"),
    (dict(smiling='yes'), "'smiling' must be binary"),
])
def test_non_binary_attribute(attributes, match):
    with pytest.raises(ValueError, match=match):
        PackAttributeInputs()(_results(**attributes))


def test_missing_attribute_lists_available_ones():
    with pytest.raises(ValueError, match=r"'hat' not in.*memory://3.*"
                       r"available: \['beard', 'glasses'"):
        PackAttributeInputs(attributes=('hat', ))(_results())
    results = _results()
    del results['attributes']
    with pytest.raises(ValueError, match='no attribute dict'):
        PackAttributeInputs()(results)


@pytest.mark.parametrize('names', [(), ('smiling', 'smiling'), (1, )])
def test_bad_attribute_names(names):
    with pytest.raises(ValueError, match='distinct names'):
        PackAttributeInputs(attributes=names)
