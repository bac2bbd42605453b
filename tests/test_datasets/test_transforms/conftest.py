"""Shared sample builders for the transform tests."""
import numpy as np
import pytest


def coded_image(height: int, width: int) -> np.ndarray:
    """``(H, W, 3)`` uint8 whose pixels all differ: ``(x, y, 0)``.

    Sides must be <= 256, so a pixel's colour names its position.
    """
    assert height <= 256 and width <= 256
    ys, xs = np.mgrid[:height, :width]
    return np.stack([xs, ys, np.zeros_like(xs)], -1).astype(np.uint8)


def make_results(height=40, width=60, mask=True, sample_idx=0):
    """A sample with a position-coded image, landmarks, boxes and a mask."""
    gt = coded_image(height, width)
    landmarks = np.array([[0.3 * width, 0.4 * height],
                          [0.7 * width, 0.4 * height],
                          [0.5 * width, 0.6 * height],
                          [0.35 * width, 0.8 * height],
                          [0.65 * width, 0.8 * height]]).round()
    results = dict(
        gt=gt,
        gt_path=f'memory://{sample_idx}',
        ori_shape=(height, width),
        img_shape=(height, width),
        landmarks=landmarks.astype(np.float32),
        part_boxes=dict(
            left_eye=np.array(
                [0.2 * width, 0.3 * height, 0.4 * width, 0.5 * height],
                np.float32).round(),
            right_eye=np.array(
                [0.6 * width, 0.3 * height, 0.8 * width, 0.5 * height],
                np.float32).round(),
            mouth=[
                int(0.3 * width),
                int(0.7 * height),
                int(0.7 * width),
                int(0.9 * height)
            ]),
        attributes=dict(
            roll=5.0,
            gaze=[0.5, -0.2],
            smiling=True,
            face_box=[2.0, 3.0, width - 5.0, height - 4.0]),
        sample_idx=sample_idx)
    if mask:
        m = np.zeros((height, width, 1), np.uint8)
        m[height // 4:height // 2, width // 3:width // 2] = 1
        results['mask'] = m
    return results


def colours_at(img: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Colours ``(N, 3)`` at integer ``[x, y]`` points."""
    pts = np.asarray(points).round().astype(int)
    return img[pts[:, 1], pts[:, 0]]


@pytest.fixture
def results():
    """A 40 x 60 sample with a mask."""
    return make_results()


@pytest.fixture(name='make_results')
def make_results_fixture():
    """The :func:`make_results` builder."""
    return make_results


@pytest.fixture(name='colours_at')
def colours_at_fixture():
    """The :func:`colours_at` helper."""
    return colours_at


@pytest.fixture(name='coded_image')
def coded_image_fixture():
    """The :func:`coded_image` helper."""
    return coded_image
