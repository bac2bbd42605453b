"""Save result grids during validation and testing."""
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from inpaint_toolbox.registry import HOOKS
from inpaint_toolbox.utils.image_io import imwrite_rgb
from inpaint_toolbox.visualization import make_grid, sample_row


@HOOKS.register_module()
class InpaintVisualizationHook(Hook):
    """Write grids of (masked input | output | ground truth).

    Validation: the first ``max_samples`` samples of each validation run go
    into ``{work_dir}/vis/val_iter{N}.png``. Testing: every sample's row is
    written to ``show_dir/{sample_idx:06d}.png`` when ``show_dir`` is set (the
    ``--show-dir`` of ``tools/test.py``), and the first ``max_samples`` into
    ``{show_dir or work_dir/vis}/test_grid.png``. In distributed runs the
    summary grids come from the main process's share of the samples.

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
        if self._rows and is_main_process():
            path = osp.join(runner.work_dir, 'vis',
                            f'val_iter{runner.iter}.png')
            imwrite_rgb(path, make_grid(self._rows))
            runner.logger.info(f'result grid written to {path}')

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        if not outputs:
            return
        if self.show_dir:
            for s in outputs:
                row = sample_row(s.gt_img, s.mask, [s.output])
                index = s.metainfo.get('sample_idx', self._count)
                imwrite_rgb(osp.join(self.show_dir, f'{index:06d}.png'), row)
                self._count += 1
        if len(self._rows) < self.max_samples:
            need = self.max_samples - len(self._rows)
            self._rows += self._rows_of(outputs[:need])

    def after_test_epoch(self, runner, metrics=None) -> None:
        if self._rows and is_main_process():
            folder = self.show_dir or osp.join(runner.work_dir, 'vis')
            path = osp.join(folder, 'test_grid.png')
            imwrite_rgb(path, make_grid(self._rows))
            runner.logger.info(f'result grid written to {path}')
