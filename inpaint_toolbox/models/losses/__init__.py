from .gan_loss import FeatureMatchingLoss, NonSaturatingGANLoss, R1Penalty
from .perceptual_loss import PerceptualLoss
from .pixel_loss import MaskedL1Loss, MSELoss

__all__ = [
    'FeatureMatchingLoss', 'NonSaturatingGANLoss', 'R1Penalty',
    'PerceptualLoss', 'MaskedL1Loss', 'MSELoss'
]
