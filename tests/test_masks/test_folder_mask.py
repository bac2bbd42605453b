import cv2
import numpy as np
import pytest

from inpaint_toolbox.masks import FolderMask, build_mask_generator

PATTERN_SHAPE = (48, 64)


def _patterns():
    """Three distinct binary patterns, 1 = hole."""
    patterns = []
    for i in range(3):
        mask = np.zeros(PATTERN_SHAPE, np.uint8)
        mask[4 + 8 * i:20 + 8 * i, 6:30 + 10 * i] = 1
        cv2.circle(mask, (50, 10 + 12 * i), 6, 1, -1)
        patterns.append(mask)
    return patterns


def _write_set(folder, hole_value, ext='.png'):
    folder.mkdir(parents=True, exist_ok=True)
    for i, mask in enumerate(_patterns()):
        img = mask * 255 if hole_value == 'white' else (1 - mask) * 255
        # Noise around the threshold tests binarization, not exact values.
        img = np.where(img > 0, 230, 20).astype(np.uint8)
        assert cv2.imwrite(str(folder / f'mask_{i}{ext}'), img)
    return folder


@pytest.fixture
def mask_sets(tmp_path):
    return (_write_set(tmp_path / 'white', 'white'),
            _write_set(tmp_path / 'black', 'black', ext='.bmp'))


def test_both_conventions_give_the_same_masks(mask_sets):
    white_dir, black_dir = mask_sets
    white = FolderMask(str(white_dir), hole_value='white')
    black = FolderMask(str(black_dir), hole_value='black')
    assert len(white) == len(black) == 3
    for i, expected in enumerate(_patterns()):
        np.testing.assert_array_equal(
            white.load(white.files[i], PATTERN_SHAPE), expected)
        np.testing.assert_array_equal(
            black.load(black.files[i], PATTERN_SHAPE), expected)
    for seed in range(5):
        np.testing.assert_array_equal(
            white(PATTERN_SHAPE, seed), black(PATTERN_SHAPE, seed))


def test_wrong_convention_inverts(mask_sets):
    white_dir, _ = mask_sets
    right = FolderMask(white_dir, hole_value='white')
    wrong = FolderMask(white_dir, hole_value='black')
    np.testing.assert_array_equal(
        wrong(PATTERN_SHAPE, 0), 1 - right(PATTERN_SHAPE, 0))


@pytest.mark.parametrize('shape', [(75, 131), (512, 288), (33, 257)])
def test_nearest_resize_keeps_mask_binary(mask_sets, shape):
    gen = build_mask_generator(
        dict(type='FolderMask', folder=str(mask_sets[0]), hole_value='white'))
    mask = gen(shape, np.random.default_rng(1))
    assert mask.shape == shape and mask.dtype == np.uint8
    assert set(np.unique(mask)) == {0, 1}
    resized = [
        cv2.resize(p, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
        for p in _patterns()
    ]
    assert any(np.array_equal(mask, r) for r in resized)


def test_seed_determinism_and_variety(mask_sets):
    gen = FolderMask(mask_sets[0], hole_value='white')
    np.testing.assert_array_equal(
        gen(PATTERN_SHAPE, np.random.default_rng(3)),
        gen(PATTERN_SHAPE, np.random.default_rng(3)))
    drawn = {gen(PATTERN_SHAPE, s).tobytes() for s in range(20)}
    assert len(drawn) == 3


def test_hole_range_filters_files(mask_sets):
    fractions = sorted(p.mean() for p in _patterns())
    lo = (fractions[1] + fractions[2]) / 2
    gen = FolderMask(mask_sets[0], hole_value='white', hole_range=(lo, 1.0))
    for seed in range(6):
        assert gen(PATTERN_SHAPE, seed).mean() == fractions[2]
    strict = FolderMask(
        mask_sets[0], hole_value='white', hole_range=(0.9, 1.0))
    with pytest.raises(ValueError, match='none of the 3 masks'):
        strict(PATTERN_SHAPE, 0)


def test_extension_and_recursion(tmp_path):
    _write_set(tmp_path / 'root' / 'sub', 'white')
    (tmp_path / 'root' / 'notes.txt').write_text('not a mask')
    assert len(FolderMask(tmp_path / 'root', hole_value='white')) == 3
    with pytest.raises(FileNotFoundError, match='root'):
        FolderMask(tmp_path / 'root', hole_value='white', recursive=False)
    with pytest.raises(FileNotFoundError, match='no mask files'):
        FolderMask(
            tmp_path / 'root' / 'sub',
            hole_value='white',
            extensions=('.jpg', ))


def test_missing_folder(tmp_path):
    missing = tmp_path / 'does_not_exist'
    with pytest.raises(FileNotFoundError, match='does_not_exist'):
        FolderMask(missing, hole_value='white')


def test_corrupt_file_names_the_file(tmp_path):
    folder = tmp_path / 'broken'
    folder.mkdir()
    (folder / 'bad.png').write_bytes(b'\x89PNG not really')
    gen = FolderMask(folder, hole_value='white')
    with pytest.raises(ValueError, match='bad.png'):
        gen((16, 16), 0)


@pytest.mark.parametrize('hole_value', ['White', 'hole', 1, None])
def test_invalid_hole_value(mask_sets, hole_value):
    with pytest.raises(ValueError, match='hole_value'):
        FolderMask(mask_sets[0], hole_value=hole_value)


def test_hole_value_is_required(mask_sets):
    with pytest.raises(TypeError, match='hole_value'):
        FolderMask(mask_sets[0])


@pytest.mark.parametrize('threshold', [-1, 255, 12.5])
def test_invalid_threshold(mask_sets, threshold):
    with pytest.raises(ValueError, match='threshold'):
        FolderMask(mask_sets[0], hole_value='white', threshold=threshold)
