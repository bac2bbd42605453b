"""Procedurally drawn faces: the toolbox's built-in data, no download needed.

Every face is drawn with numpy and OpenCV from a ``numpy.random.Generator``,
at any height and width, with known landmarks, part boxes and attribute
labels. The faces are a test bed for position-sensitive inpainting (does a
model put an eye where an eye belongs, at any aspect ratio and any position
of the face in the frame?), not a stand-in for real photographs: a model
trained on them learns cartoons, and numbers measured on them say nothing
about real faces.

Coordinates are pixel coordinates ``[x, y]`` with the centre of pixel
``(row, col)`` at ``x = col, y = row``. "Left" and "right" mean the image's
left and right (the person's right eye is the ``left_eye``), as in CelebA's
five-point landmarks.
"""
import math
from types import SimpleNamespace
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmengine.dataset import BaseDataset

from inpaint_toolbox.registry import DATASETS
from .base import split_shape_index

__all__ = [
    'render_face', 'SyntheticFaceDataset', 'HAIR_COLORS', 'HAIR_STYLES',
    'EYE_COLORS', 'BEARD_STYLES', 'BACKGROUNDS', 'LANDMARK_NAMES',
    'PART_NAMES', 'MIN_SIDE'
]

MIN_SIDE = 16
LANDMARK_NAMES = ('left_eye', 'right_eye', 'nose_tip', 'left_mouth_corner',
                  'right_mouth_corner')
PART_NAMES = ('left_eye', 'right_eye', 'nose', 'mouth')

# Base RGB colours; every face jitters them a little.
_HAIR_RGB = {
    'black': (30, 26, 24),
    'dark_brown': (64, 42, 30),
    'brown': (112, 74, 44),
    'blond': (214, 178, 112),
    'red': (170, 72, 36),
    'gray': (148, 146, 142),
    'white': (226, 222, 214),
}
HAIR_COLORS = tuple(_HAIR_RGB)
HAIR_STYLES = ('bald', 'short', 'side_part', 'bangs', 'long', 'bun', 'afro')
_HAIR_STYLE_P = (0.08, 0.2, 0.16, 0.14, 0.24, 0.08, 0.1)
_EYE_RGB = {
    'dark_brown': (58, 36, 22),
    'brown': (106, 66, 34),
    'hazel': (130, 110, 58),
    'green': (78, 124, 78),
    'blue': (70, 118, 178),
    'gray': (118, 128, 138),
}
EYE_COLORS = tuple(_EYE_RGB)
BEARD_STYLES = ('none', 'full', 'goatee', 'moustache')
BACKGROUNDS = ('gradient', 'radial', 'stripes', 'blobs', 'checker')
# Skin from light (tone 0) to dark (tone 1), interpolated piecewise.
_SKIN_RGB = np.array(
    [(255, 226, 206), (241, 198, 166), (224, 170, 128), (196, 138, 96),
     (156, 102, 68), (110, 70, 46), (76, 50, 36)],
    dtype=np.float64)
_BG_SIDE = 160  # longest side of the grid the background is computed on
_SHIFT = 4  # sub-pixel bits for cv2 drawing
_ONE = 1 << _SHIFT


# --------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------
def _superellipse(cx: float, cy: float, rx: float, ry: float, n_exp: float,
                  phi: np.ndarray) -> np.ndarray:
    """Points ``(N, 2)`` of a superellipse at angles ``phi`` (y down)."""
    c, s = np.cos(phi), np.sin(phi)
    if n_exp == 2.0:
        return np.stack([cx + rx * c, cy + ry * s], axis=1)
    e = 2.0 / n_exp
    x = cx + rx * np.sign(c) * np.abs(c)**e
    y = cy + ry * np.sign(s) * np.abs(s)**e
    return np.stack([x, y], axis=1)


class _Canvas:
    """Draws shapes given in face units onto an RGB uint8 image.

    Face units: the face outline spans ``y`` in [-1, 1] (forehead to chin)
    and ``x`` in [-fw, fw]; one unit is ``scale`` pixels. The frame is
    rotated by ``roll`` radians about the face centre ``(cx, cy)``.
    """

    def __init__(self, img: np.ndarray, cx: float, cy: float, scale: float,
                 roll: float):
        self.img = img
        self.scale = scale
        c, s = math.cos(roll), math.sin(roll)
        self.mat = np.array([[c, -s], [s, c]]) * scale
        self.origin = np.array([cx, cy])

    def to_px(self, pts: np.ndarray) -> np.ndarray:
        """Face units ``(N, 2)`` -> pixel coordinates ``(N, 2)``."""
        return pts @ self.mat.T + self.origin

    def n_points(self, radius: float, lo: int = 10, hi: int = 72) -> int:
        """Polygon vertex count for a curve of ``radius`` face units."""
        return int(min(hi, max(lo, 2.0 * radius * self.scale)))

    def fill(self, pts: np.ndarray, color, img: Optional[np.ndarray] = None,
             offset=(0, 0)) -> None:
        """Fill a polygon given in face units (anti-aliased)."""
        px = self.to_px(pts) - np.asarray(offset, dtype=np.float64)
        cv2.fillPoly(self.img if img is None else img, [_fixed(px)], color,
                     cv2.LINE_AA, _SHIFT)

    def stroke(self, pts: np.ndarray, color, width: float,
               closed: bool = False) -> None:
        """Draw a polyline, ``width`` in face units (at least 1 pixel)."""
        thickness = max(1, int(round(width * self.scale)))
        cv2.polylines(self.img, [_fixed(self.to_px(pts))], closed, color,
                      thickness, cv2.LINE_AA, _SHIFT)

    def box(self, x1: float, y1: float, x2: float, y2: float) -> np.ndarray:
        """Pixel bbox ``(4,)`` of a face-unit rectangle after rotation."""
        corners = np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]])
        px = self.to_px(corners)
        return np.concatenate([px.min(0), px.max(0)])

    def roi(self, pts: np.ndarray, pad: int = 1) -> Tuple[int, int, int, int]:
        """Integer pixel window ``(x0, y0, x1, y1)`` covering ``pts``."""
        px = self.to_px(pts)
        h, w = self.img.shape[:2]
        x0 = max(0, int(math.floor(px[:, 0].min())) - pad)
        y0 = max(0, int(math.floor(px[:, 1].min())) - pad)
        x1 = min(w, int(math.ceil(px[:, 0].max())) + pad + 1)
        y1 = min(h, int(math.ceil(px[:, 1].max())) + pad + 1)
        return x0, y0, x1, y1


def _fixed(px: np.ndarray) -> np.ndarray:
    """Pixel coordinates -> int32 fixed point for cv2's ``shift``."""
    return np.round(px * _ONE).astype(np.int32)


def _shade(color, factor: float) -> np.ndarray:
    return np.clip(np.asarray(color, dtype=np.float64) * factor, 0, 255)


def _mix(a, b, t: float) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a + (np.asarray(b, dtype=np.float64) - a) * t


def _blend_masked(roi: np.ndarray, layer: np.ndarray,
                  mask: np.ndarray) -> None:
    """``roi = roi * (1 - m) + layer * m`` in place, ``mask`` uint8 (h, w)."""
    m = mask[..., None].astype(np.uint16)
    roi[...] = ((roi * (255 - m) + layer * m + 127) // 255).astype(np.uint8)


# --------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------
def _jitter(rng: np.random.Generator, rgb, amount: float) -> np.ndarray:
    gain = 1.0 + rng.uniform(-amount, amount, 3)
    return np.clip(np.asarray(rgb, dtype=np.float64) * gain, 0, 255)


def _skin_color(tone: float) -> np.ndarray:
    pos = tone * (len(_SKIN_RGB) - 1)
    i = min(int(pos), len(_SKIN_RGB) - 2)
    return _mix(_SKIN_RGB[i], _SKIN_RGB[i + 1], pos - i)


def _sample_params(rng: np.random.Generator) -> SimpleNamespace:
    """Draw every shape, colour and style choice of one face."""
    p = SimpleNamespace()
    # head shape
    p.fw = rng.uniform(0.66, 0.8)
    p.jaw = rng.uniform(0.0, 1.0)  # 0 = narrow, round chin; 1 = square
    p.n_up = rng.uniform(2.0, 2.5)
    p.roll = math.radians(float(np.clip(rng.normal(0.0, 5.0), -14, 14)))
    # colours
    p.skin_tone = float(rng.uniform(0.0, 1.0))
    p.skin = _jitter(rng, _skin_color(p.skin_tone), 0.04)
    p.hair_color = HAIR_COLORS[rng.integers(len(HAIR_COLORS))]
    p.hair = _jitter(rng, _HAIR_RGB[p.hair_color], 0.08)
    p.hair_style = HAIR_STYLES[rng.choice(len(HAIR_STYLES),
                                          p=_HAIR_STYLE_P)]
    p.hair_volume = rng.uniform(0.06, 0.2)
    p.hairline = rng.uniform(-0.72, -0.55)
    p.part_side = float(rng.choice([-1.0, 1.0]))
    p.hair_len = rng.uniform(1.25, 1.9)
    p.strands = rng.random((14, 3))
    p.eye_color = EYE_COLORS[rng.integers(len(EYE_COLORS))]
    p.iris = _jitter(rng, _EYE_RGB[p.eye_color], 0.1)
    p.clothes = rng.uniform(20, 235, 3)
    p.neckline = rng.uniform(0.08, 0.3)
    # eyes
    p.eye_y = rng.uniform(-0.1, 0.0)
    p.eye_dx = rng.uniform(0.29, 0.35)
    p.eye_w = rng.uniform(0.12, 0.15)
    p.eye_h = p.eye_w * rng.uniform(0.42, 0.55)
    closed = rng.random() < 0.12
    p.eyes_open = float(rng.uniform(0.0, 0.35) if closed else
                        rng.uniform(0.65, 1.0))
    p.gaze = (float(rng.uniform(-1, 1)), float(rng.uniform(-0.6, 0.6)))
    p.iris_r = p.eye_w * rng.uniform(0.42, 0.52)
    p.lashes = rng.random() < 0.5
    # eyebrows
    p.brow_gap = rng.uniform(0.12, 0.19)
    p.brow_th = rng.uniform(0.025, 0.05)
    p.brow_arch = rng.uniform(0.0, 0.05)
    p.brow_tilt = rng.uniform(-0.04, 0.04)
    # nose and mouth
    p.nose_y = rng.uniform(0.27, 0.36)
    p.nose_w = rng.uniform(0.075, 0.11)
    p.mouth_y = p.nose_y + rng.uniform(0.22, 0.3)
    p.mouth_w = rng.uniform(0.17, 0.25)
    p.smile = float(rng.beta(1.3, 1.3))
    p.lip_u = rng.uniform(0.025, 0.045)
    p.lip_l = rng.uniform(0.035, 0.06)
    p.lip = _mix(p.skin, (176, 70, 78), rng.uniform(0.25, 0.5)) * 0.92
    p.mouth_open = (rng.uniform(0.03, 0.08)
                    if p.smile > 0.65 and rng.random() < 0.6 else 0.0)
    # extras
    p.glasses = bool(rng.random() < 0.3)
    p.glasses_round = bool(rng.random() < 0.5)
    p.frame = (rng.uniform(15, 60, 3) if rng.random() < 0.7 else
               np.array([190.0, 160.0, 90.0]))
    p.lens_tint = rng.uniform(0.0, 0.25)
    p.beard_style = (BEARD_STYLES[1 + rng.integers(3)]
                     if rng.random() < 0.22 else 'none')
    p.light_dir = rng.uniform(0, 2 * math.pi)
    p.light = rng.uniform(0.0, 0.3)
    p.ambient = rng.uniform(0.85, 1.1)
    return p


# --------------------------------------------------------------------------
# background
# --------------------------------------------------------------------------
def _background(height: int, width: int,
                rng: np.random.Generator) -> Tuple[np.ndarray, str]:
    """A textured background ``(H, W, 3)`` uint8 and its kind.

    The texture is smooth at the scale of a pixel, so it is computed on a
    grid of at most ``_BG_SIDE`` pixels a side and resized bilinearly.
    """
    kind = BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    c1 = rng.uniform(20, 240, 3)
    c1 = _mix(c1, c1.mean(), rng.uniform(0.0, 0.7)).astype(np.float32)
    c2 = np.clip(c1 + rng.normal(0, 60, 3), 0, 255).astype(np.float32)
    side = float(max(height, width))
    factor = max(1.0, side / _BG_SIDE)
    bh = max(1, int(round(height / factor)))
    bw = max(1, int(round(width / factor)))
    ys = (np.arange(bh, dtype=np.float32)[:, None] + 0.5 - bh / 2) / max(
        bh, bw)
    xs = (np.arange(bw, dtype=np.float32)[None, :] + 0.5 - bw / 2) / max(
        bh, bw)
    if kind == 'radial':
        ox, oy = rng.uniform(-0.5, 0.5, 2)
        t = np.sqrt((xs - ox)**2 + (ys - oy)**2) * rng.uniform(0.8, 1.6)
    else:
        ang = rng.uniform(0, 2 * math.pi)
        t = xs * math.cos(ang) + ys * math.sin(ang)
        if kind == 'stripes':
            freq = rng.uniform(4, 20) * 2 * math.pi
            sharp = rng.uniform(1.0, 6.0)
            t = np.sin(t * freq) * sharp * 0.5 + 0.5
        elif kind == 'checker':
            freq = rng.uniform(3, 10) * 2 * math.pi
            t2 = xs * -math.sin(ang) + ys * math.cos(ang)
            t = np.clip(np.sin(t * freq) * np.sin(t2 * freq) * 4, -0.5, 0.5)
            t = 0.5 + t * rng.uniform(0.2, 0.6)
        else:
            t = t + 0.5
    img = c1 + np.clip(t, 0, 1)[..., None] * (c2 - c1)
    if kind == 'blobs' or rng.random() < 0.3:
        gh, gw = (int(x) for x in rng.integers(2, 7, 2))
        blobs = rng.normal(0, 1, (gh, gw, 3)).astype(np.float32)
        blobs = cv2.resize(blobs, (bw, bh), interpolation=cv2.INTER_CUBIC)
        img += blobs * (rng.uniform(15, 45) if kind == 'blobs' else 8)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if (bh, bw) != (height, width):
        img = cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)
    return img, kind


# --------------------------------------------------------------------------
# face parts
# --------------------------------------------------------------------------
def _face_outline(p: SimpleNamespace, n: int) -> np.ndarray:
    """Face outline ``(n, 2)`` in face units: rounded top, shaped jaw."""
    phi = np.linspace(0, 2 * math.pi, n, endpoint=False)
    upper = _superellipse(0, 0, p.fw, 1.0, p.n_up, phi)
    lower = _superellipse(0, 0, p.fw * (0.93 + 0.06 * p.jaw), 1.0,
                          2.0 + 1.6 * p.jaw, phi)
    lower_half = np.sin(phi) > 0
    return np.where(lower_half[:, None], lower, upper)


def _hair_cap(p: SimpleNamespace, n: int, low: float = 0.2) -> np.ndarray:
    """Hair over the top of the head: outer contour, then the hairline."""
    phi = np.linspace(low, -math.pi - low, n)
    outer = _superellipse(0, 0.02, p.fw + 0.05 + 0.3 * p.hair_volume,
                          1.02 + p.hair_volume, 2.2, phi)
    side_y = p.eye_y - 0.12
    if p.hair_style == 'bangs':
        top, n_in, shift = p.eye_y - p.brow_gap - 0.1, 5.0, 0.0
    elif p.hair_style == 'side_part':
        top, n_in, shift = p.hairline, 2.6, 0.12 * p.part_side
    else:
        top, n_in, shift = p.hairline, 2.2, 0.0
    inner = _superellipse(shift, side_y, p.fw * 0.95 - abs(shift),
                          side_y - top, n_in, phi[::-1])
    return np.concatenate([outer, inner])


def _draw_back_hair(cv: _Canvas, p: SimpleNamespace) -> None:
    if p.hair_style == 'long':
        rx = p.fw + 0.08 + 0.3 * p.hair_volume
        phi = np.linspace(0, -math.pi, cv.n_points(1.0))
        top = _superellipse(0, 0.02, rx, 1.04 + p.hair_volume, 2.2, phi)
        end = p.hair_len
        bottom = np.array([[-rx * 1.04, end], [-rx * 0.5, end + 0.05],
                           [rx * 0.5, end + 0.05], [rx * 1.04, end]])
        cv.fill(np.concatenate([top, bottom]), p.hair)
    elif p.hair_style == 'afro':
        n = cv.n_points(1.4, 24, 96)
        phi = np.linspace(0, 2 * math.pi, n, endpoint=False)
        bumps = 1.0 + 0.035 * np.sin(phi * 11 + p.light_dir)
        rx = (p.fw + 0.3 + 0.4 * p.hair_volume) * bumps
        ry = (1.0 + 0.3 + 0.4 * p.hair_volume) * bumps
        pts = np.stack([rx * np.cos(phi), -0.25 + ry * np.sin(phi)], 1)
        cv.fill(pts, p.hair)
    elif p.hair_style == 'bun':
        r = 0.26 + p.hair_volume
        phi = np.linspace(0, 2 * math.pi, cv.n_points(r), endpoint=False)
        cv.fill(_superellipse(0, -1.08 - p.hair_volume - r * 0.55, r,
                              r * 0.9, 2.0, phi), p.hair)


def _draw_body(cv: _Canvas, p: SimpleNamespace) -> None:
    """Shoulders in clothes with a round neckline."""
    phi = np.linspace(0, 2 * math.pi, cv.n_points(2.0, 16, 64),
                      endpoint=False)
    cv.fill(_superellipse(0, 2.4, p.fw * 2.5, 1.0, 2.6, phi), p.clothes)
    t = np.linspace(0, math.pi, cv.n_points(0.5, 8, 32))
    nw = p.fw * 0.5
    neckline = np.stack([nw * np.cos(t), 1.38 + p.neckline * np.sin(t)], 1)
    cv.fill(neckline, _shade(p.skin, 0.8))


def _draw_neck(cv: _Canvas, p: SimpleNamespace) -> None:
    nw = p.fw * 0.48
    neck = np.array([[-nw, 0.4], [nw, 0.4], [nw * 1.08, 1.62],
                     [0, 1.72], [-nw * 1.08, 1.62]])
    cv.fill(neck, _shade(p.skin, 0.8))


def _draw_ears(cv: _Canvas, p: SimpleNamespace) -> None:
    phi = np.linspace(0, 2 * math.pi, cv.n_points(0.2), endpoint=False)
    for side in (-1.0, 1.0):
        x = side * p.fw * 0.96
        cv.fill(_superellipse(x, p.eye_y + 0.13, 0.09, 0.17, 2.0, phi),
                _shade(p.skin, 0.93))
        cv.fill(_superellipse(x + side * 0.02, p.eye_y + 0.13, 0.04, 0.1,
                              2.0, phi), _shade(p.skin, 0.78))


def _draw_eye(cv: _Canvas, p: SimpleNamespace, side: float) -> np.ndarray:
    """Draw one eye; returns its pixel box ``(4,)``."""
    ex, ey = side * p.eye_dx, p.eye_y
    w = p.eye_w
    hu = p.eye_h * p.eyes_open
    hl = hu * 0.7
    n = cv.n_points(w, 8, 32)
    t = np.linspace(-1, 1, n)
    inner_drop = 0.012 * -side * t  # inner corner a little lower
    upper = np.stack([ex + w * t, ey - hu * (1 - t**2)**0.8 + inner_drop], 1)
    lower = np.stack([ex + w * t, ey + hl * (1 - t**2) + inner_drop], 1)
    lid = _shade(p.skin, 0.35)
    if p.eyes_open > 0.2:
        almond = np.concatenate([upper, lower[::-1]])
        x0, y0, x1, y1 = cv.roi(almond)
        if x1 > x0 and y1 > y0:
            roi = cv.img[y0:y1, x0:x1]
            mask = np.zeros(roi.shape[:2], np.uint8)
            cv.fill(almond, 255, img=mask, offset=(x0, y0))
            layer = np.empty_like(roi)
            layer[...] = _sclera_color(p)
            gx = ex + p.gaze[0] * (w - p.iris_r) * 0.8
            gy = ey + p.gaze[1] * p.eye_h * 0.35
            phi = np.linspace(0, 2 * math.pi, cv.n_points(p.iris_r, 10, 40),
                              endpoint=False)
            r = p.iris_r
            cv.fill(_superellipse(gx, gy, r, r, 2.0, phi), p.iris,
                    img=layer, offset=(x0, y0))
            cv.fill(_superellipse(gx, gy, r * 0.45, r * 0.45, 2.0, phi),
                    (12, 10, 10), img=layer, offset=(x0, y0))
            cv.fill(_superellipse(gx + r * 0.35, gy - r * 0.35, r * 0.18,
                                  r * 0.18, 2.0, phi[::2]), (250, 250, 250),
                    img=layer, offset=(x0, y0))
            _blend_masked(roi, layer, mask)
        cv.stroke(lower, _shade(p.skin, 0.72), 0.012)
        cv.stroke(upper + [0, -0.045 * p.eyes_open], _shade(p.skin, 0.8),
                  0.012)
    cv.stroke(upper, lid, 0.022)
    if p.lashes:
        k = np.linspace(0.2, 0.95, 4) if side > 0 else -np.linspace(
            0.2, 0.95, 4)
        for tk in k:
            x = ex + w * tk
            y = ey - hu * (1 - tk**2)**0.8 + 0.012 * -side * tk
            dx = 0.03 * np.sign(tk)
            cv.stroke(np.array([[x, y], [x + dx, y - 0.035]]), lid, 0.012)
    half_h = max(p.eye_h, p.iris_r) + 0.03
    return cv.box(ex - w - 0.03, ey - half_h, ex + w + 0.03, ey + half_h)


def _sclera_color(p: SimpleNamespace) -> np.ndarray:
    return _mix((242, 238, 232), p.skin, 0.12)


def _draw_brow(cv: _Canvas, p: SimpleNamespace, side: float) -> None:
    n = cv.n_points(0.2, 6, 20)
    t = np.linspace(0, 1, n)
    x_in = side * (p.eye_dx - p.eye_w * 0.95)
    x_out = side * (p.eye_dx + p.eye_w * 1.15)
    x = x_in + (x_out - x_in) * t
    y = (p.eye_y - p.brow_gap - p.brow_arch * np.sin(math.pi * t) +
         p.brow_tilt * (t - 0.5))
    th = p.brow_th * (1.0 - 0.55 * t) + 0.006
    pts = np.concatenate([np.stack([x, y - th / 2], 1),
                          np.stack([x, y + th / 2], 1)[::-1]])
    color = _mix(p.hair, _shade(p.skin, 0.4), 0.35)
    cv.fill(pts, color)


def _draw_nose(cv: _Canvas, p: SimpleNamespace) -> np.ndarray:
    """Draw the nose; returns its pixel box ``(4,)``."""
    ny, nw = p.nose_y, p.nose_w
    dark = _shade(p.skin, 0.72)
    bridge_side = 1.0 if math.cos(p.light_dir) < 0 else -1.0
    cv.stroke(np.array([[bridge_side * 0.05, p.eye_y + 0.08],
                        [bridge_side * 0.06, ny - 0.1]]),
              _shade(p.skin, 0.88), 0.018)
    n = cv.n_points(0.1, 6, 16)
    for side in (-1.0, 1.0):
        t = np.linspace(-0.4 * math.pi, 0.6 * math.pi, n)
        ala = np.stack([side * (nw - 0.02 + 0.03 * np.cos(t)),
                        ny - 0.015 + 0.045 * np.sin(t)], 1)
        cv.stroke(ala, dark, 0.014)
        phi = np.linspace(0, 2 * math.pi, n, endpoint=False)
        cv.fill(_superellipse(side * nw * 0.5, ny + 0.02, 0.03, 0.016, 2.0,
                              phi), _shade(p.skin, 0.45))
    phi = np.linspace(0, 2 * math.pi, n, endpoint=False)
    cv.fill(_superellipse(0, ny - 0.035, 0.035, 0.03, 2.0, phi),
            _shade(p.skin, 1.06))
    return cv.box(-nw - 0.05, p.eye_y + 0.06, nw + 0.05, ny + 0.06)


def _draw_mouth(cv: _Canvas, p: SimpleNamespace) -> np.ndarray:
    """Draw lips (and teeth when open); returns the pixel box ``(4,)``."""
    my, mw = p.mouth_y, p.mouth_w
    n = cv.n_points(mw, 10, 40)
    t = np.linspace(-1, 1, n)
    bend = mw * (0.5 * p.smile - 0.1) * (1 - t**2)
    x = t * mw
    line = my + bend
    bow = 1 - 0.35 * np.exp(-(t / 0.18)**2)
    lip_u = p.lip_u * (1 - 0.35 * p.smile)
    top = line - lip_u * (1 - np.abs(t)**1.6) * bow
    gap = p.mouth_open * (1 - t**2)
    inner = line + gap
    bottom = inner + p.lip_l * (1 - t**2)**0.8
    if p.mouth_open > 0:
        cv.fill(np.concatenate([np.stack([x, line], 1),
                                np.stack([x, inner], 1)[::-1]]),
                (70, 24, 30))
        tt = np.abs(t) < 0.85
        teeth_low = line + gap * 0.55
        cv.fill(np.concatenate([np.stack([x[tt], line[tt]], 1),
                                np.stack([x[tt], teeth_low[tt]], 1)[::-1]]),
                (236, 232, 222))
    cv.fill(np.concatenate([np.stack([x, top], 1),
                            np.stack([x, line], 1)[::-1]]),
            _shade(p.lip, 0.9))
    cv.fill(np.concatenate([np.stack([x, inner], 1),
                            np.stack([x, bottom], 1)[::-1]]), p.lip)
    cv.stroke(np.stack([x, line], 1), _shade(p.lip, 0.55), 0.012)
    y_lo = min(float(top.min()), my) - 0.03
    y_hi = max(float(bottom.max()), my) + 0.03
    return cv.box(-mw - 0.04, y_lo, mw + 0.04, y_hi)


def _draw_beard(cv: _Canvas, p: SimpleNamespace,
                outline: np.ndarray) -> None:
    color = _mix(p.hair, _shade(p.skin, 0.5), 0.15)
    my, mw = p.mouth_y, p.mouth_w
    if p.beard_style == 'full':
        below = outline[outline[:, 1] > p.nose_y - 0.08]
        below = below[np.argsort(np.arctan2(below[:, 1], below[:, 0]))]
        rim = below * [1.02, 1.03]
        cheek = p.fw * 0.55
        upper = np.array([[-cheek, p.nose_y + 0.12], [-mw - 0.08, my],
                          [mw + 0.08, my], [cheek, p.nose_y + 0.12]])
        cv.fill(np.concatenate([rim, upper]), color)
    elif p.beard_style == 'goatee':
        phi = np.linspace(0, 2 * math.pi, cv.n_points(0.3), endpoint=False)
        cv.fill(_superellipse(0, my + 0.17, mw * 0.8 + 0.05, 0.27, 2.2, phi),
                color)
    if p.beard_style != 'none':
        t = np.linspace(-1, 1, cv.n_points(mw, 8, 24))
        x = t * (mw + 0.06)
        th = (my - p.nose_y - 0.06) * 0.6 * (1 - 0.75 * t**2)
        mid = p.nose_y + 0.06 + th[len(t) // 2] / 2 + 0.05 * t**2
        y_top, y_bot = mid - th / 2, mid + th / 2
        cv.fill(np.concatenate([np.stack([x, y_top], 1),
                                np.stack([x, y_bot], 1)[::-1]]), color)


def _draw_front_hair(cv: _Canvas, p: SimpleNamespace) -> None:
    if p.hair_style == 'bald':
        return
    low = 0.55 if p.hair_style == 'long' else 0.08
    n = cv.n_points(1.2, 16, 80)
    cap = _hair_cap(p, n, low)
    cv.fill(cap, p.hair)
    if cv.scale < 20:
        return
    outer, inner = cap[:n], cap[n:][::-1]
    dark = _shade(p.hair, 0.8)
    light = np.clip(p.hair * 1.12 + 16, 0, 255)
    f = np.linspace(0.0, 1.0, 6)[:, None]
    for i, (u, f0, f1) in enumerate(p.strands):
        j = int(n * (0.1 + 0.8 * u))
        k = min(n - 1, max(0, j + int((j - n / 2) * 0.3)))
        start = inner[j] + (outer[k] - inner[j]) * (0.05 + 0.2 * f0)
        end = inner[j] + (outer[k] - inner[j]) * (0.5 + 0.45 * f1)
        cv.stroke(start + (end - start) * f, light if i % 3 == 0 else dark,
                  0.008)
    if p.hair_style == 'side_part':
        k = n // 2 - int(p.part_side * n * 0.08)
        cv.stroke(np.stack([inner[k], outer[k] * 0.8 + inner[k] * 0.2]),
                  dark, 0.015)


def _draw_glasses(cv: _Canvas, p: SimpleNamespace) -> None:
    rw, rh = p.eye_w * 1.55, p.eye_w * 1.15
    n_exp = 2.0 if p.glasses_round else 4.5
    phi = np.linspace(0, 2 * math.pi, cv.n_points(rw, 16, 56),
                      endpoint=False)
    lenses = [_superellipse(s * p.eye_dx, p.eye_y + 0.01, rw, rh, n_exp, phi)
              for s in (-1.0, 1.0)]
    if p.lens_tint > 0.05:
        x0, y0, x1, y1 = cv.roi(np.concatenate(lenses))
        roi = cv.img[y0:y1, x0:x1]
        if roi.size:
            layer = roi.copy()
            for lens in lenses:
                cv.fill(lens, (90, 110, 130), img=layer, offset=(x0, y0))
            cv2.addWeighted(layer, p.lens_tint, roi, 1 - p.lens_tint, 0,
                            dst=roi)
    width = 0.025
    for lens in lenses:
        cv.stroke(lens, p.frame, width, closed=True)
    inner = p.eye_dx - rw
    cv.stroke(np.array([[-inner, p.eye_y - 0.03], [0, p.eye_y - 0.05],
                        [inner, p.eye_y - 0.03]]), p.frame, width)
    for s in (-1.0, 1.0):
        cv.stroke(np.array([[s * (p.eye_dx + rw), p.eye_y - 0.02],
                            [s * p.fw * 0.98, p.eye_y - 0.04]]), p.frame,
                  width)


def _shade_face(cv: _Canvas, p: SimpleNamespace,
                outline: np.ndarray) -> None:
    """Directional light and a darker rim over the face, in place."""
    x0, y0, x1, y1 = cv.roi(outline)
    if x1 <= x0 or y1 <= y0:
        return
    roi = cv.img[y0:y1, x0:x1]
    mask = np.zeros(roi.shape[:2], np.uint8)
    cv.fill(outline, 255, img=mask, offset=(x0, y0))
    ox, oy = cv.origin
    inv = np.linalg.inv(cv.mat)
    xs = (np.arange(x0, x1, dtype=np.float32) - ox)[None, :]
    ys = (np.arange(y0, y1, dtype=np.float32) - oy)[:, None]
    u = inv[0, 0] * xs + inv[0, 1] * ys  # face units
    v = inv[1, 0] * xs + inv[1, 1] * ys
    r2 = (u / p.fw)**2 + v**2
    gain = (p.light * (u * math.cos(p.light_dir) + v * math.sin(p.light_dir))
            - 0.18 * np.clip(r2 - 0.45, 0, None))
    gain = 1.0 + gain * (mask.astype(np.float32) * np.float32(1 / 255))
    lit = roi * gain[..., None].astype(np.float32)
    roi[...] = np.minimum(lit, 255, out=lit)  # gain > 0: no lower clip


# --------------------------------------------------------------------------
# placement and the public renderer
# --------------------------------------------------------------------------
def _place(p: SimpleNamespace, outline: np.ndarray, height: int, width: int,
           rng: np.random.Generator) -> Tuple[float, float, float]:
    """Pick scale and centre so the face outline stays (mostly) inside."""
    ear = p.fw * 1.1
    s_max = min(0.42 * height, 0.47 * width / ear)
    scale = s_max * rng.uniform(0.55, 1.0)
    c, s = math.cos(p.roll), math.sin(p.roll)
    rot = np.array([[c, -s], [s, c]]) * scale
    px = outline @ rot.T
    lo, hi = px.min(0), px.max(0)
    over = 0.05 * (hi - lo)  # allowed overflow past the border
    centre = []
    for axis, size in ((0, width), (1, height)):
        a = -lo[axis] - over[axis]
        b = size - 1 - hi[axis] + over[axis]
        centre.append(a + (b - a) * rng.beta(1.6, 1.6) if b > a else
                      (size - 1) / 2)
    return scale, centre[0], centre[1]


def _check_size(height, width) -> None:
    for name, v in (('height', height), ('width', width)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f'{name} must be an int, got {v!r}')
        if v < MIN_SIDE:
            raise ValueError(
                f'{name} must be >= {MIN_SIDE}, got {v}')


def render_face(height: int, width: int, rng: np.random.Generator) -> dict:
    """Draw one face procedurally.

    Args:
        height (int): Image height H, at least ``MIN_SIDE`` (16).
        width (int): Image width W, at least ``MIN_SIDE``. Any aspect ratio.
        rng (np.random.Generator): The only source of randomness; the output
            is a pure function of the generator's state.

    Returns:
        dict: With keys

        - ``img``: ``(H, W, 3)`` uint8 RGB image in [0, 255].
        - ``landmarks``: ``(5, 2)`` float32 ``[x, y]`` pixel coordinates of
          left eye, right eye, nose tip, left and right mouth corner (see
          ``LANDMARK_NAMES``), all inside the image.
        - ``part_boxes``: dict ``PART_NAMES`` -> ``(4,)`` float32
          ``[x1, y1, x2, y2]`` clipped to the image; each box contains its
          landmark(s).
        - ``attributes``: JSON-ready dict: ``smile`` (float in [0, 1]),
          ``smiling`` (bool, smile > 0.5), ``glasses`` (bool), ``beard``
          (bool), ``beard_style`` (str in ``BEARD_STYLES``), ``hair_color``
          (str in ``HAIR_COLORS``), ``hair_style`` (str in
          ``HAIR_STYLES``), ``skin_tone`` (float in [0, 1], 0 = lightest),
          ``eye_color`` (str in ``EYE_COLORS``), ``eyes_open`` (float in
          [0, 1]), ``gaze`` ([dx, dy], each in [-1, 1]), ``roll`` (float,
          degrees, clockwise on screen), ``background`` (str in
          ``BACKGROUNDS``), ``face_box`` ([x1, y1, x2, y2] of the face
          outline without hair and ears, clipped to the image).
    """
    _check_size(height, width)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f'rng must be a numpy.random.Generator, got {type(rng)}')
    height, width = int(height), int(width)
    p = _sample_params(rng)
    outline = _face_outline(p, 64)
    scale, cx, cy = _place(p, outline, height, width, rng)

    img, p.background = _background(height, width, rng)
    cv = _Canvas(img, cx, cy, scale, p.roll)
    outline = _face_outline(p, cv.n_points(1.0, 24, 96))

    _draw_back_hair(cv, p)
    _draw_neck(cv, p)
    _draw_body(cv, p)
    _draw_ears(cv, p)
    cv.fill(outline, p.skin)
    _draw_beard(cv, p, outline)
    nose_box = _draw_nose(cv, p)
    mouth_box = _draw_mouth(cv, p)
    eye_boxes = [_draw_eye(cv, p, side) for side in (-1.0, 1.0)]
    for side in (-1.0, 1.0):
        _draw_brow(cv, p, side)
    _shade_face(cv, p, outline)
    _draw_front_hair(cv, p)
    if p.glasses:
        _draw_glasses(cv, p)
    if abs(p.ambient - 1.0) > 0.02:
        img = cv2.convertScaleAbs(img, alpha=p.ambient)

    limit = np.array([width - 1, height - 1], dtype=np.float64)
    local = np.array([[-p.eye_dx, p.eye_y], [p.eye_dx, p.eye_y],
                      [0.0, p.nose_y], [-p.mouth_w, p.mouth_y],
                      [p.mouth_w, p.mouth_y]])
    landmarks = np.clip(cv.to_px(local), 0, limit).astype(np.float32)
    boxes = dict(zip(PART_NAMES, eye_boxes + [nose_box, mouth_box]))
    for k, b in boxes.items():
        boxes[k] = np.concatenate([np.clip(b[:2], 0, limit),
                                   np.clip(b[2:], 0, limit)]).astype(
                                       np.float32)
    face_px = cv.to_px(outline)
    face_box = np.concatenate([np.clip(face_px.min(0), 0, limit),
                               np.clip(face_px.max(0), 0, limit)])
    attributes = dict(
        smile=round(p.smile, 4),
        smiling=bool(p.smile > 0.5),
        glasses=p.glasses,
        beard=p.beard_style != 'none',
        beard_style=p.beard_style,
        hair_color=p.hair_color,
        hair_style=p.hair_style,
        skin_tone=round(p.skin_tone, 4),
        eye_color=p.eye_color,
        eyes_open=round(p.eyes_open, 4),
        gaze=[round(g, 4) for g in p.gaze],
        roll=round(math.degrees(p.roll), 3),
        background=p.background,
        face_box=[round(float(v), 3) for v in face_box],
    )
    return dict(img=img, landmarks=landmarks, part_boxes=boxes,
                attributes=attributes)


# --------------------------------------------------------------------------
# dataset
# --------------------------------------------------------------------------
_Size = Tuple[int, int]


def _is_pair(v) -> bool:
    return (isinstance(v, (tuple, list)) and len(v) == 2 and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, bool)
        for x in v))


def _parse_sizes(img_size) -> List[_Size]:
    """``(H, W)`` or a list of them -> list of ``(H, W)`` int tuples."""
    if _is_pair(img_size):
        sizes = [img_size]
    elif (isinstance(img_size, (tuple, list)) and img_size
          and all(_is_pair(s) for s in img_size)):
        sizes = list(img_size)
    else:
        raise TypeError('img_size must be (H, W) or a non-empty list of '
                        f'(H, W) int pairs, got {img_size!r}')
    for h, w in sizes:
        if h < MIN_SIDE or w < MIN_SIDE:
            raise ValueError(f'every img_size side must be >= {MIN_SIDE}, '
                             f'got {(h, w)} in {img_size!r}')
    return [(int(h), int(w)) for h, w in sizes]


def _hash_pick(seed: int, index: np.ndarray, n: int) -> np.ndarray:
    """A pure function of ``(seed, index)`` in ``[0, n)`` (splitmix64)."""
    offset = (seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) % 2**64
    z = index.astype(np.uint64) + np.uint64(offset)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z % np.uint64(n)).astype(np.int64)


@DATASETS.register_module()
class SyntheticFaceDataset(BaseDataset):
    """Procedurally drawn faces with landmarks, part boxes and attributes.

    This is a test bed for position-sensitive inpainting that needs no
    download: the faces are cartoons drawn by :func:`render_face` at any size
    and aspect ratio, with the face at varying scale and position. It is NOT
    a stand-in for real photographs; do not read results on it as results on
    real faces.

    Item ``i`` is a pure function of ``(seed, i)``: it is drawn with
    ``np.random.default_rng([seed, i])``, so it does not depend on
    ``num_samples``, on worker processes or on the order of access. With a
    list of sizes, the size of item ``i`` is also a pure function of
    ``(seed, i)`` (a hash), so the image is the same as with that size alone.

    ``dataset[(i, (crop_h, crop_w))]`` (as sent by a batch sampler that draws
    one shape per batch) adds ``crop_shape=(crop_h, crop_w)`` to the data
    info before the pipeline runs.

    Args:
        num_samples (int): Number of items. Defaults to 1000.
        img_size (tuple | list): ``(H, W)`` of every image, or a list of
            ``(H, W)`` to pick from per index. Sides >= 16. Defaults to
            ``(128, 128)``.
        seed (int): Non-negative seed. Defaults to 0.
        pipeline (list): Transforms (dicts or callables). Defaults to [].
        test_mode (bool): Passed to ``BaseDataset``. Defaults to False.
        serialize_data (bool): Passed to ``BaseDataset``; the data list is
            tiny, so there is little to gain. Defaults to False.
        lazy_init (bool): Passed to ``BaseDataset``. Defaults to False.
        metainfo (dict, optional): Extra meta information. Defaults to None.

    Data info keys (before the pipeline): ``gt`` (H, W, 3) uint8 RGB,
    ``gt_path`` (``'synthetic://seed{seed}/{i:06d}'``), ``ori_shape`` and
    ``img_shape`` ((H, W)), ``landmarks`` (5, 2) float32, ``part_boxes``,
    ``attributes`` (see :func:`render_face`), ``sample_idx`` and, for tuple
    indices, ``crop_shape``.
    """

    METAINFO = dict(
        dataset_name='synthetic_faces',
        landmark_names=LANDMARK_NAMES,
        part_names=PART_NAMES,
        hair_colors=HAIR_COLORS,
        hair_styles=HAIR_STYLES)

    def __init__(self,
                 num_samples: int = 1000,
                 img_size: Union[_Size, Sequence[_Size]] = (128, 128),
                 seed: int = 0,
                 pipeline: Sequence = (),
                 test_mode: bool = False,
                 serialize_data: bool = False,
                 lazy_init: bool = False,
                 metainfo: Optional[dict] = None):
        if (isinstance(num_samples, bool)
                or not isinstance(num_samples, (int, np.integer))
                or num_samples < 1):
            raise ValueError(
                f'num_samples must be a positive int, got {num_samples!r}')
        if (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                or seed < 0):
            raise ValueError(
                f'seed must be a non-negative int, got {seed!r}')
        self.num_samples = int(num_samples)
        self.seed = int(seed)
        self.img_sizes = _parse_sizes(img_size)
        super().__init__(
            metainfo=metainfo,
            serialize_data=serialize_data,
            pipeline=list(pipeline),
            test_mode=test_mode,
            lazy_init=lazy_init)

    def load_data_list(self) -> List[dict]:
        """Light entries ``dict(index=i, img_shape=(H, W))``; no drawing."""
        index = np.arange(self.num_samples)
        if len(self.img_sizes) == 1:
            picks = np.zeros(self.num_samples, dtype=np.int64)
        else:
            picks = _hash_pick(self.seed, index, len(self.img_sizes))
        return [
            dict(index=int(i), img_shape=self.img_sizes[k])
            for i, k in zip(index.tolist(), picks.tolist())
        ]

    def get_data_info(self, idx: int) -> dict:
        """Render item ``idx`` (negative counts from the end).

        Returns:
            dict: See the class docstring for the keys.
        """
        if isinstance(idx, bool) or not isinstance(idx, (int, np.integer)):
            raise TypeError(f'index must be an int, got {idx!r}')
        n = len(self)
        if not -n <= idx < n:
            raise IndexError(f'index {idx} out of range for {n} samples')
        entry = super().get_data_info(int(idx))
        index = entry['index']
        h, w = entry['img_shape']
        face = render_face(h, w, np.random.default_rng([self.seed, index]))
        return dict(
            gt=face['img'],
            gt_path=f'synthetic://seed{self.seed}/{index:06d}',
            ori_shape=(h, w),
            img_shape=(h, w),
            landmarks=face['landmarks'],
            part_boxes=face['part_boxes'],
            attributes=face['attributes'],
            sample_idx=entry['sample_idx'])

    def __getitem__(self, idx) -> dict:
        """Data after the pipeline for ``idx`` or ``(idx, (crop_h, crop_w))``.

        A pipeline that returns None raises RuntimeError: items are pure
        functions of ``(seed, index)``, so there is no random retry.
        """
        idx, crop_shape = split_shape_index(idx)
        if not self._fully_initialized:
            self.full_init()
        data_info = self.get_data_info(idx)
        if crop_shape is not None:
            data_info['crop_shape'] = crop_shape
        data = self.pipeline(data_info)
        if data is None:
            raise RuntimeError(
                f'the pipeline returned None for synthetic face {idx} '
                f'(seed {self.seed}); synthetic items are never skipped, '
                'fix the pipeline')
        return data
