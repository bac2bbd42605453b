"""load_generator_weights: accepted layouts and clear errors."""
import pytest
import torch
from tiny_inversion import TINY_G, save_generator

from inpaint_toolbox.models.inpaintors.stylegan2_weights import \
    load_generator_weights
from inpaint_toolbox.registry import MODELS


def _gen(**kwargs):
    torch.manual_seed(9)
    return MODELS.build(dict(TINY_G, **kwargs))


def test_plain_state_dict_and_inversion_checkpoint(tmp_path):
    ref = _gen()
    plain = tmp_path / 'plain.pth'
    torch.save(ref.state_dict(), plain)
    inv = tmp_path / 'inversion.pth'
    torch.save(
        {
            'state_dict': {
                f'generator.{k}': v
                for k, v in ref.state_dict().items()
            }
        }, inv)
    for path in (plain, inv):
        gen = _gen(img_resolution=16)
        torch.nn.init.zeros_(gen.synthesis.b4.const)
        assert load_generator_weights(gen, str(path), 16) == {}
        assert torch.equal(gen.synthesis.b4.const, ref.synthesis.b4.const)


@pytest.mark.parametrize('bad,match', [
    (dict(w_dim=8), 'w_dim=16'),
    (dict(channel_max=8), 'does not fit the generator config'),
])
def test_config_mismatch(tmp_path, bad, match):
    path = tmp_path / 'g.pth'
    save_generator(path, layout='converted')
    with pytest.raises(ValueError, match=match):
        load_generator_weights(_gen(**bad), str(path), 16)


def test_foreign_layout_and_empty_file(tmp_path):
    rosinality = tmp_path / 'rosinality.pt'
    torch.save(
        {
            'g_ema': {
                'style.1.weight': torch.zeros(2, 2),
                'input.input': torch.zeros(1, 2, 4, 4),
                'to_rgb1.conv.weight': torch.zeros(1)
            }
        }, rosinality)
    with pytest.raises(ValueError, match='convert it first'):
        load_generator_weights(_gen(), str(rosinality), 16)
    empty = tmp_path / 'mapping_only.pth'
    torch.save({'mapping.fc0.weight': torch.zeros(2, 2)}, empty)
    with pytest.raises(ValueError, match='no StyleGAN2 synthesis weights'):
        load_generator_weights(_gen(), str(empty), 16)
    with pytest.raises(FileNotFoundError, match='absent.pth'):
        load_generator_weights(_gen(), str(tmp_path / 'absent.pth'), 16)
