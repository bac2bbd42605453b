"""AttributeClassifier: modes, label checks and a short fit."""
import pytest
import torch

from inpaint_toolbox.models.editors import AttributeClassifier
from inpaint_toolbox.structures import InpaintDataSample

NAMES = ('smiling', 'glasses')


def _model(**kwargs):
    torch.manual_seed(0)
    cfg = dict(attributes=NAMES, base_channels=4, num_stages=2,
               max_channels=8)
    cfg.update(kwargs)
    return AttributeClassifier(**cfg)


def _samples(labels, names=NAMES):
    out = []
    for row in labels:
        s = InpaintDataSample(metainfo=dict(attribute_names=names))
        s.gt_attributes = torch.tensor(row, dtype=torch.float32)
        out.append(s)
    return out


@pytest.mark.parametrize('size', [(16, 16), (12, 20)])
def test_modes_shapes_and_ranges(size):
    model = _model().eval()
    img = torch.rand(3, 3, *size) * 2 - 1
    logits = model(dict(img=img), mode='tensor')
    assert logits.shape == (3, 2)
    probs = model.predict_proba(img)
    torch.testing.assert_close(probs, torch.sigmoid(logits))
    samples = model(img, mode='predict')
    assert len(samples) == 3
    for s, p in zip(samples, probs):
        assert s.metainfo['attribute_names'] == NAMES
        torch.testing.assert_close(s.pred_attributes, p)
    assert model.attribute_index('glasses') == 1


def test_loss_is_bce_and_learns_a_trivial_attribute():
    """Bright images are 'smiling', dark ones not; glasses is random."""
    model = _model()
    gen = torch.Generator().manual_seed(1)
    bright = (torch.rand(16, generator=gen) > 0.5).float()
    img = (bright.view(-1, 1, 1, 1) * 1.2 - 0.6
           + 0.2 * torch.randn(16, 3, 8, 8, generator=gen))
    labels = torch.stack([bright, torch.zeros(16)], dim=1)
    samples = _samples(labels.tolist())
    losses = model(img, samples, mode='loss')
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        model(img), labels)
    torch.testing.assert_close(losses['loss_bce'], expected)
    optim = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(15):
        optim.zero_grad()
        model(img, samples, mode='loss')['loss_bce'].backward()
        optim.step()
    model.eval()
    pred = model.predict_proba(img)[:, 0] > 0.5
    assert (pred.float() == bright).all()


def test_train_step_through_the_data_preprocessor():
    model = _model()
    data = dict(inputs=[torch.randint(0, 256, (3, 16, 16),
                                      dtype=torch.uint8) for _ in range(2)],
                data_samples=_samples([[1, 0], [0, 1]]))
    from mmengine.optim import OptimWrapper
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    logs = model.train_step(data, optim)
    assert torch.isfinite(logs['loss']) and 0 <= logs['acc'] <= 1
    out = model.val_step(data)
    assert out[0].gt_attributes.tolist() == [1.0, 0.0]
    assert out[0].pred_attributes.shape == (2, )


def test_errors():
    model = _model()
    with pytest.raises(ValueError, match=r"'hat'.*\['smiling', 'glasses'\]"):
        model.attribute_index('hat')
    with pytest.raises(ValueError, match=r'\(B, 3, H, W\)'):
        model(torch.zeros(2, 1, 8, 8))
    with pytest.raises(ValueError, match='same names'):
        model(torch.zeros(1, 3, 8, 8),
              _samples([[1, 0]], names=('glasses', 'smiling')), mode='loss')
    with pytest.raises(ValueError, match='2 data samples'):
        model(torch.zeros(2, 3, 8, 8), _samples([[1, 0]]), mode='loss')
    with pytest.raises(ValueError, match="mode must be.*'logits'"):
        model(torch.zeros(1, 3, 8, 8), mode='logits')
    with pytest.raises(ValueError, match='distinct names'):
        AttributeClassifier(attributes=())
    with pytest.raises(ValueError, match='num_stages must be a positive'):
        AttributeClassifier(num_stages=0)
    with pytest.raises(ValueError, match='dropout'):
        AttributeClassifier(dropout=1.0)
