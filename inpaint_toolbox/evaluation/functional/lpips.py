"""LPIPS distance between two images given as arrays in [0, 255]."""
import numpy as np
import torch

from ._checks import as_hole_mask, as_image_pair


def net_device(net):
    """Device of the parameters of ``net`` (CPU if it has none)."""
    param = next(net.parameters(), None)
    return param.device if param is not None else torch.device('cpu')


def images_to_lpips_input(images, device):
    """``(N, H, W, 3)`` arrays in [0, 255] -> ``(N, 3, H, W)`` float32 in
    [-1, 1] on ``device``."""
    images = torch.as_tensor(np.ascontiguousarray(images), device=device)
    return images.permute(0, 3, 1, 2).float() / 127.5 - 1


def mask_to_lpips_input(mask, device):
    """``(H, W)`` bool hole mask -> ``(1, 1, H, W)`` float32 weights."""
    return torch.as_tensor(mask, device=device).float()[None, None]


def lpips(img_a, img_b, net, mask=None):
    """LPIPS distance between two RGB images.

    Args:
        img_a (array-like): ``(H, W, 3)`` RGB, uint8 or float in [0, 255];
            ``H, W >= net.min_size``.
        img_b (array-like): Same shape as ``img_a``.
        net (LPIPSNet): The distance network
            (:class:`~inpaint_toolbox.evaluation.feature_nets.LPIPSNet`).
        mask (array-like, optional): ``(H, W)`` or ``(H, W, 1)`` in {0, 1},
            1 = hole. Each tap's distance map is then averaged over the
            hole (mask area-pooled to the tap's resolution as weights)
            instead of the whole image. Default: None.

    Returns:
        float: The distance (0 for identical images, larger = more
        different; about 0 to 1 with the published weights).

    Raises:
        ValueError: On shape mismatch, non-RGB input, or a mask without
            hole pixels.
    """
    img_a, img_b = as_image_pair(img_a, img_b)
    if img_a.shape[-1] != 3:
        raise ValueError(f'LPIPS needs RGB (H, W, 3) images, got shape '
                         f'{img_a.shape}')
    device = net_device(net)
    weights = None
    if mask is not None:
        weights = mask_to_lpips_input(as_hole_mask(mask, img_a.shape), device)
    batch = images_to_lpips_input(np.stack([img_a, img_b]), device)
    with torch.no_grad():
        dist = net(batch[:1], batch[1:], weights)
    return float(dist[0])
