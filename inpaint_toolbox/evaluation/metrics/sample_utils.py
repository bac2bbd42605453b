"""Reading images and masks out of the data samples a metric receives."""
import numpy as np
from mmengine.structures import BaseDataElement


def as_sample_dict(sample):
    """Return a data sample as a dict.

    mmengine's ``Evaluator`` already passes ``InpaintDataSample.to_dict()``
    (data and meta fields in one dict); a sample passed directly is
    converted the same way.

    Args:
        sample (dict | BaseDataElement): One data sample.

    Returns:
        dict: Its fields.
    """
    if isinstance(sample, BaseDataElement):
        return sample.to_dict()
    if not isinstance(sample, dict):
        raise TypeError('a data sample must be a dict or a BaseDataElement, '
                        f'got {type(sample).__name__}')
    return sample


def _field(sample, key):
    if key not in sample:
        raise KeyError(f'data sample has no {key!r}; keys: {sorted(sample)}')
    value = sample[key]
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def get_image(sample, key):
    """A ``(C, H, W)`` image field as a quantized ``(H, W, C)`` uint8 array.

    Values are clipped to [0, 255] and rounded to the nearest integer
    (halves to even), as they would be in a saved 8-bit image.

    Args:
        sample (dict): Data sample fields.
        key (str): Field name, e.g. ``'output'`` or ``'gt_img'``.

    Returns:
        np.ndarray: ``(H, W, C)`` uint8.
    """
    img = _field(sample, key)
    if img.ndim != 3:
        raise ValueError(f'{key!r} must be (C, H, W), got shape {img.shape}')
    if img.dtype != np.uint8:
        img = np.clip(np.rint(img.astype(np.float64)), 0, 255)
        img = img.astype(np.uint8)
    return img.transpose(1, 2, 0)


def get_image_pair(sample, pred_key, gt_key):
    """Prediction and ground truth as quantized ``(H, W, C)`` uint8 arrays.

    Args:
        sample (dict): Data sample fields.
        pred_key (str): Field of the prediction, e.g. ``'output'``.
        gt_key (str): Field of the ground truth, e.g. ``'gt_img'``.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(pred, gt)``, see
        :func:`get_image`.

    Raises:
        ValueError: If the two shapes differ.
    """
    pred = get_image(sample, pred_key)
    gt = get_image(sample, gt_key)
    if pred.shape != gt.shape:
        raise ValueError(
            f'{pred_key!r} (C, H, W) = {pred.transpose(2, 0, 1).shape} and '
            f'{gt_key!r} (C, H, W) = {gt.transpose(2, 0, 1).shape} differ')
    return pred, gt


def get_mask(sample, key):
    """A ``(1, H, W)`` mask field as an ``(H, W)`` array (1 = hole).

    Args:
        sample (dict): Data sample fields.
        key (str): Field name, usually ``'mask'``.

    Returns:
        np.ndarray: ``(H, W)`` mask with its original dtype and values.
    """
    mask = _field(sample, key)
    if mask.ndim == 3 and mask.shape[0] == 1:
        mask = mask[0]
    if mask.ndim != 2:
        raise ValueError(
            f'{key!r} must be (1, H, W) or (H, W), got shape {mask.shape}')
    return mask
