"""Save result grids during validation and testing."""
import os
import os.path as osp
from typing import List, Optional, Sequence

import cv2
import numpy as np
from mmengine.hooks import Hook

from inpaint_toolbox.registry import HOOKS
from inpaint_toolbox.visualization import make_grid, sample_row


def _write_rgb(path: str, img: np.ndarray) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = path + '.tmp.png'
    if not cv2.imwrite(tmp, cv2.cvtColor(img, cv2.COLOR_RGB2BGR)):
        raise OSError(f'could not write {path}')
    os.replace(tmp, path)


@HOOKS.register_module()
class InpaintVisualizationHook(Hook):
    """Write grids of (masked input | output | ground truth).

    Validation: the first ``max_samples`` samples of each validation run go
    into ``{work_dir}/vis/val_iter{N}.png``. Testing: every sample's row is
    written to ``show_dir/{index}.png`` when ``show_dir`` is set (the
    ``--show-dir`` of ``tools/test.py``), and the first ``max_samples`` into
    ``{show_dir or work_dir/vis}/test_grid.png``.

    Args:
        max_samples (int): rows in the summary grid. Defaults to 8.
        show_dir (str, optional): where test rows go.
        row_height (int, optional): tile height in the summary grid.
    """

    priority = 'LOW'

    def __init__(self,
                 max_samples: int = 8,
                 show_dir: Optional[str] = None,
                 row_height: Optional[int] = 128):
        self.max_samples = max_samples
        self.show_dir = show_dir
        self.row_height = row_height
        self._rows: List[np.ndarray] = []
        self._count = 0

    def _rows_of(self, outputs: Sequence) -> List[np.ndarray]:
        return [
            sample_row(s.gt_img, s.mask, [s.output], height=self.row_height)
            for s in outputs
        ]

    def before_val_epoch(self, runner) -> None:
        self._rows = []

    def before_test_epoch(self, runner) -> None:
        self._rows, self._count = [], 0

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None) -> None:
        if len(self._rows) < self.max_samples and outputs:
            need = self.max_samples - len(self._rows)
            self._rows += self._rows_of(outputs[:need])

    def after_val_epoch(self, runner, metrics=None) -> None:
        if self._rows:
            path = osp.join(runner.work_dir, 'vis',
                            f'val_iter{runner.iter}.png')
            _write_rgb(path, make_grid(self._rows))
            runner.logger.info(f'result grid written to {path}')

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        if not outputs:
            return
        if self.show_dir:
            for s in outputs:
                row = sample_row(s.gt_img, s.mask, [s.output])
                _write_rgb(
                    osp.join(self.show_dir, f'{self._count:06d}.png'), row)
                self._count += 1
        if len(self._rows) < self.max_samples:
            need = self.max_samples - len(self._rows)
            self._rows += self._rows_of(outputs[:need])

    def after_test_epoch(self, runner, metrics=None) -> None:
        if self._rows:
            folder = self.show_dir or osp.join(runner.work_dir, 'vis')
            path = osp.join(folder, 'test_grid.png')
            _write_rgb(path, make_grid(self._rows))
            runner.logger.info(f'result grid written to {path}')
