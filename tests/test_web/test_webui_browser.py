"""End to end: the real page in headless Chromium.

``python tools/webui.py`` serves a tiny random-weights model on a free
port; Chromium uploads a photo, paints a stroke with the mouse, presses
Inpaint and the returned image is checked: same size as the photo, equal
to it away from the stroke, changed on the stroke.

Needs Debian's chromium (``/usr/bin/chromium``, or ``INPAINT_CHROMIUM``),
the ``playwright`` package (which never downloads a browser here) and
``gradio``. Without them the test is skipped, unless
``INPAINT_REQUIRE_BROWSER=1`` (CI), which turns the skip into a failure.
``INPAINT_WEBUI_SCREENSHOT=PATH`` also saves a screenshot of the page.
"""
import importlib.util
import io
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(REPO, 'tests', 'data', 'configs', 'tiny_baseline.py')
CHROMIUM = os.environ.get('INPAINT_CHROMIUM', '/usr/bin/chromium')
FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'
]
BRUSH = 16  # BRUSH_SIZE of inpaint_toolbox/apis/web/app.py


def _missing():
    missing = [
        m for m in ('playwright', 'gradio')
        if importlib.util.find_spec(m) is None
    ]
    if not osp.isfile(CHROMIUM):
        missing.append(f'chromium ({CHROMIUM})')
    return missing


@pytest.fixture(scope='module')
def browser_ready():
    missing = _missing()
    if missing:
        msg = f'browser test needs {", ".join(missing)}'
        if os.environ.get('INPAINT_REQUIRE_BROWSER') == '1':
            pytest.fail(msg + ' (INPAINT_REQUIRE_BROWSER=1)')
        pytest.skip(msg)


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_server(models, log_path, timeout=180):
    """Start ``tools/webui.py`` with ``--model`` specs; wait until it
    answers. Returns ``(process, url)``."""
    port = _free_port()
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools', 'webui.py'), '--port',
        str(port)
    ]
    for spec in models:
        cmd += ['--model', spec]
    env = dict(
        os.environ, OMP_NUM_THREADS='1', GRADIO_ANALYTICS_ENABLED='False')
    log = open(log_path, 'w')
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}/'
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    log.close()
    raise AssertionError('web page did not start:\n' +
                         open(log_path).read()[-3000:])


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def photo(h, w, seed=0):
    """Noise in [20, 200]: never close to the page's white/grey canvas."""
    rng = np.random.default_rng(seed)
    return rng.integers(20, 201, (h, w, 3), dtype=np.uint8)


def _longest_run(flags):
    """``(start, stop)`` of the longest run of True in a 1-D array."""
    best, start = (0, 0), None
    for i, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            best = max(best, (start, i), key=lambda r: r[1] - r[0])
            start = None
    return best


def _shown_rect(page, img_hw, timeout):
    """Wait until the photo is drawn on the canvas; return where:
    ``(left, top, page pixels per photo pixel)``, found from screenshots
    of the canvas (the photo is the longest block of rows and of columns
    that are mostly dark, with the photo's aspect ratio; labels and
    toolbars are sparse or short)."""
    from PIL import Image
    canvas = page.locator('#editor canvas').first
    deadline = time.monotonic() + timeout
    while True:
        box = canvas.bounding_box()
        shot = np.asarray(
            Image.open(io.BytesIO(canvas.screenshot())).convert('RGB'))
        dark = shot.max(-1) <= 205
        if dark.any():
            y0, y1 = _longest_run(dark.sum(1) > 0.5 * dark.sum(1).max())
            x0, x1 = _longest_run(dark.sum(0) > 0.5 * dark.sum(0).max())
            aspect = ((x1 - x0) / max(y1 - y0, 1)) / (img_hw[1] / img_hw[0])
            if min(y1 - y0, x1 - x0) > 20 and abs(aspect - 1) < 0.05 and \
                    dark[y0:y1, x0:x1].mean() > 0.95:
                zoom = shot.shape[1] / box['width']  # device px / CSS px
                return (box['x'] + x0 / zoom, box['y'] + y0 / zoom,
                        (x1 - x0) / zoom / img_hw[1])
        if time.monotonic() > deadline:
            raise AssertionError('the uploaded photo is not shown')
        time.sleep(0.25)


def drive_page(url,
               img_path,
               img_hw,
               stroke,
               screenshot=None,
               timeout_ms=90000):
    """Upload, paint ``stroke`` ((x0, y0), (x1, y1)) in photo pixels,
    press Inpaint; return the first result image as an RGB array."""
    from PIL import Image
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport=dict(width=1280, height=900))
            page.goto(url, wait_until='load')
            page.locator('#editor canvas').first.wait_for()
            for attempt in range(3):  # the editor may still be starting up
                page.locator('#editor input[type=file]').set_input_files(
                    img_path)
                try:
                    left, top, s = _shown_rect(page, img_hw, timeout=10)
                    break
                except AssertionError:
                    if attempt == 2:
                        raise
            (x0, y0), (x1, y1) = stroke
            page.mouse.move(left + (x0 + .5) * s, top + (y0 + .5) * s)
            page.mouse.down()
            page.mouse.move(left + (x1 + .5) * s, top + (y1 + .5) * s, steps=4)
            page.mouse.up()
            time.sleep(0.5)
            page.locator('#run').click()
            img = page.locator('#results img').first
            img.wait_for(timeout=timeout_ms)
            page.wait_for_function(
                "document.querySelector('#results img').complete")
            data = page.request.get(img.get_attribute('src')).body()
            if screenshot:
                os.makedirs(
                    osp.dirname(osp.abspath(screenshot)), exist_ok=True)
                page.screenshot(path=screenshot, full_page=True)
            info = page.locator('#info').inner_text()
        finally:
            browser.close()
    return np.asarray(Image.open(io.BytesIO(data)).convert('RGB')), info


def _distance_to_segment(h, w, a, b):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    (ax, ay), (bx, by) = a, b
    d = np.array([bx - ax, by - ay], np.float64)
    t = ((xx - ax) * d[0] + (yy - ay) * d[1]) / max(d @ d, 1e-9)
    t = np.clip(t, 0, 1)
    return np.hypot(xx - (ax + t * d[0]), yy - (ay + t * d[1]))


def test_upload_paint_run_and_check_the_result(browser_ready, tmp_path):
    import cv2
    h, w = 120, 200
    img = photo(h, w)
    path = str(tmp_path / 'photo.png')
    cv2.imwrite(path, img[..., ::-1])
    stroke = ((70, 60), (130, 60))
    proc, url = start_server([f'tiny={TINY}'], str(tmp_path / 'server.log'))
    try:
        shot = os.environ.get('INPAINT_WEBUI_SCREENSHOT') or str(
            tmp_path / 'webui.png')
        out, info = drive_page(url, path, (h, w), stroke, screenshot=shot)
    finally:
        stop_server(proc)
    assert out.shape == img.shape, info
    dist = _distance_to_segment(h, w, *stroke)
    changed = (out != img).any(-1)
    # the brush paints a disc of radius BRUSH around the pointer: nothing
    # beyond it (plus anti-aliasing) changes, the stroke's line does
    far = dist > BRUSH + 3
    assert not changed[far].any(), np.argwhere(changed & far)[:5]
    assert changed[dist < 1].mean() > 0.95
    assert changed[dist < BRUSH - 3].mean() > 0.95
    assert '1 result(s), 200x120' in info
    assert osp.getsize(shot) > 10000
    if osp.isdir(osp.dirname(shot)):
        shutil.copy(shot, tmp_path / 'page.png')
