"""Shape-carrying indices shared by the toolbox's datasets.

``AdaptiveShapeBatchSampler`` yields ``(index, (h, w))`` pairs so that all
samples of a batch are cropped to one shape. Datasets accept such a pair
and put ``crop_shape=(h, w)`` into the data info before the pipeline runs,
where ``RandomCrop(adaptive=True)`` reads it.
"""
from numbers import Integral
from typing import Optional, Tuple


def split_shape_index(idx) -> Tuple[int, Optional[Tuple[int, int]]]:
    """Split ``idx`` or ``(idx, (h, w))`` into the index and the shape.

    Args:
        idx (int | tuple): a plain index, or ``(index, (h, w))`` with
            positive int ``h`` and ``w``.

    Returns:
        tuple: ``(index, (h, w))``, or ``(index, None)`` for a plain index.

    Raises:
        TypeError: a malformed tuple index.
        ValueError: a non-positive shape.
    """
    if not isinstance(idx, (tuple, list)):
        return idx, None
    if len(idx) != 2 or not isinstance(idx[1], (tuple, list)) \
            or len(idx[1]) != 2 \
            or not all(isinstance(v, Integral) and not isinstance(v, bool)
                       for v in idx[1]):
        raise TypeError('a tuple index must be (index, (crop_h, crop_w)) '
                        f'with int sizes, got {idx!r}')
    shape = (int(idx[1][0]), int(idx[1][1]))
    if min(shape) < 1:
        raise ValueError(f'crop_shape must be positive, got {shape}')
    return idx[0], shape


class ShapeIndexMixin:
    """Let an mmengine ``BaseDataset`` take ``dataset[(i, (h, w))]``.

    Put it before ``BaseDataset`` in the bases. A plain index behaves as in
    ``BaseDataset``. A pair adds ``crop_shape=(h, w)`` to the data info; in
    training, when the pipeline returns None and another index is drawn,
    the shape is kept, so the batch still shares one shape.
    """

    def __getitem__(self, idx) -> dict:
        """The sample after the pipeline.

        Args:
            idx (int | tuple): ``i`` or ``(i, (h, w))``.

        Returns:
            dict: the pipeline's output.
        """
        index, crop_shape = split_shape_index(idx)
        if crop_shape is None:
            return super().__getitem__(index)
        if not self._fully_initialized:
            self.full_init()
        for _ in range(1 if self.test_mode else self.max_refetch + 1):
            data_info = self.get_data_info(index)
            data_info['crop_shape'] = crop_shape
            data = self.pipeline(data_info)
            if data is not None:
                return data
            index = self._rand_another()
        raise RuntimeError(f'the pipeline returned None for index {idx[0]!r} '
                           f'(crop_shape {crop_shape}) and ' +
                           ('test_mode forbids a retry' if self.test_mode else
                            f'for {self.max_refetch} other indices'))
