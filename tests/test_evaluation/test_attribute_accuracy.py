"""AttributeAccuracy: per-attribute and balanced accuracy."""
import pytest
import torch

from inpaint_toolbox.evaluation.metrics.attribute_accuracy import \
    AttributeAccuracy
from inpaint_toolbox.structures import InpaintDataSample

NAMES = ('smiling', 'glasses')


def _sample(pred, gt, as_dict=True, names=NAMES):
    s = InpaintDataSample(metainfo=dict(attribute_names=names))
    s.pred_attributes = torch.tensor(pred)
    s.gt_attributes = torch.tensor(gt)
    return s.to_dict() if as_dict else s


@pytest.mark.parametrize('as_dict', [True, False])
def test_accuracy_and_balanced_accuracy(as_dict):
    metric = AttributeAccuracy()
    # smiling: gt 1,1,1,0 pred 1,1,0,0 -> acc 3/4, recalls 2/3 and 1
    # glasses: gt 0,0,0,0 pred 0,1,0,0 -> acc 3/4, recall of class 0 3/4
    metric.process({}, [
        _sample([0.9, 0.2], [1.0, 0.0], as_dict),
        _sample([0.5, 0.7], [1.0, 0.0], as_dict),  # 0.5 counts as positive
        _sample([0.4, 0.1], [1.0, 0.0], as_dict),
        _sample([0.1, 0.3], [0.0, 0.0], as_dict),
    ])
    res = metric.evaluate(4)
    assert res['smiling_acc'] == pytest.approx(0.75)
    assert res['smiling_bacc'] == pytest.approx((2 / 3 + 1) / 2)
    assert res['glasses_acc'] == pytest.approx(0.75)
    assert res['glasses_bacc'] == pytest.approx(0.75)
    assert res['mean_acc'] == pytest.approx(0.75)
    assert res['mean_bacc'] == pytest.approx(((2 / 3 + 1) / 2 + 0.75) / 2)


def test_threshold():
    metric = AttributeAccuracy(threshold=0.95)
    metric.process({}, [_sample([0.9, 0.99], [1.0, 1.0])])
    res = metric.evaluate(1)
    assert res['smiling_acc'] == 0.0 and res['glasses_acc'] == 1.0


def test_errors():
    with pytest.raises(ValueError, match=r'threshold must be in \(0, 1\)'):
        AttributeAccuracy(threshold=1.0)
    metric = AttributeAccuracy()
    with pytest.raises(ValueError, match='differ in length'):
        metric.process({}, [_sample([0.9], [1.0, 0.0])])
    with pytest.raises(KeyError, match='pred_attributes'):
        metric.process({}, [dict(gt_attributes=torch.zeros(2))])
    metric.process({}, [_sample([0.9, 0.1], [1.0, 0.0])])
    metric.process({}, [_sample([0.9, 0.1], [1.0, 0.0],
                                names=('beard', 'glasses'))])
    with pytest.raises(ValueError, match='different attribute_names'):
        metric.evaluate(2)
