"""The one data structure that flows from transforms to metrics."""
from mmengine.structures import BaseDataElement


class InpaintDataSample(BaseDataElement):
    """Annotations and predictions of one image.

    Data fields (tensors, set by ``PackInpaintInputs`` and the model):

    - ``gt_img``: ``(3, H, W)`` uint8 RGB ground truth.
    - ``mask``: ``(1, H, W)`` uint8, 1 = hole, 0 = known.
    - ``pred_img``: ``(3, H', W')`` float in [0, 255], raw generator output,
      cropped back to the (possibly scaled) input size.
    - ``output``: ``(3, H', W')`` float in [0, 255], the composite
      ``gt * (1 - m) + pred * m`` (at scale 1) that metrics and saved images
      use.

    Meta fields (plain Python, set by the dataset and transforms):
    ``gt_path``, ``mask_path``, ``ori_shape``, ``img_shape`` ``(H, W)``,
    ``landmarks`` ``(5, 2)`` float ``[x, y]`` pixel coordinates (eye centres,
    nose tip, mouth corners), ``part_boxes`` ``{name: [x1, y1, x2, y2]}``,
    ``attributes`` and, after preprocessing, ``pad_shape``.
    """
