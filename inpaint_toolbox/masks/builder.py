"""Building mask generators from config dicts."""
from inpaint_toolbox.registry import MASK_GENERATORS


def build_mask_generator(cfg):
    """Build a mask generator from a config dict.

    Args:
        cfg (dict): Config with ``type`` (a registered name such as
            ``'FreeFormMask'``) and the generator's keyword arguments.

    Returns:
        Callable: ``gen(shape=(H, W), rng=generator) -> (H, W)`` uint8
        mask in {0, 1}, 1 = hole.
    """
    return MASK_GENERATORS.build(cfg)
