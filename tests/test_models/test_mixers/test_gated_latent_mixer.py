"""GatedLatentMixer: the gate's range, initial value and shapes."""
import math

import pytest
import torch

from inpaint_toolbox.models.mixers import GatedLatentMixer


@pytest.mark.parametrize('bias', [0.0, 2.0, -3.0])
def test_initial_gate_is_sigmoid_of_bias(bias):
    torch.manual_seed(0)
    mixer = GatedLatentMixer(6, 8, gate_bias_init=bias)
    w_enc, w_rand = torch.randn(2, 6, 8), torch.randn(2, 6, 8)
    mixed, gate = mixer(w_enc, w_rand, return_gate=True)
    g = 1 / (1 + math.exp(-bias))
    assert torch.allclose(gate, torch.full_like(gate, g))
    assert torch.allclose(mixed, g * w_enc + (1 - g) * w_rand, atol=1e-6)


@pytest.mark.parametrize('num_layers', [1, 3])
def test_trained_gate_varies_and_stays_in_range(num_layers):
    torch.manual_seed(0)
    mixer = GatedLatentMixer(6, 8, num_layers=num_layers)
    torch.nn.init.normal_(mixer.mlp[-1].weight, std=1.0)
    w_enc, w_rand = torch.randn(2, 6, 8), torch.randn(2, 6, 8)
    mixed, gate = mixer(w_enc, w_rand, return_gate=True)
    assert mixed.shape == gate.shape == (2, 6, 8)
    assert (gate >= 0).all() and (gate <= 1).all()
    assert gate.std() > 0.02
    # per layer: the layer embedding makes equal codes mix differently
    same = mixer(
        w_enc[:, :1].expand(-1, 6, -1),
        w_rand[:, :1].expand(-1, 6, -1),
        return_gate=True)[1]
    assert not torch.allclose(same[:, 0], same[:, 1])
    lo = torch.minimum(w_enc, w_rand) - 1e-6
    hi = torch.maximum(w_enc, w_rand) + 1e-6
    assert ((mixed >= lo) & (mixed <= hi)).all()


def test_random_code_broadcasts_and_gradients_flow():
    torch.manual_seed(0)
    mixer = GatedLatentMixer(4, 8)
    w_enc = torch.randn(3, 4, 8, requires_grad=True)
    w = torch.randn(3, 8)
    out = mixer(w_enc, w)
    assert torch.allclose(mixer(w_enc, w.unsqueeze(1).expand(-1, 4, -1)), out)
    out.sum().backward()
    assert w_enc.grad is not None
    assert mixer.mlp[-1].weight.grad is not None


@pytest.mark.parametrize('w_enc,w_rand', [((2, 5, 8), (2, 4, 8)),
                                          ((2, 4, 8), (2, 4, 7)),
                                          ((2, 4, 8), (3, 8))])
def test_shape_errors(w_enc, w_rand):
    mixer = GatedLatentMixer(4, 8)
    with pytest.raises(ValueError, match='must be'):
        mixer(torch.zeros(w_enc), torch.zeros(w_rand))
