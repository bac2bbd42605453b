from .gan_loss import FeatureMatchingLoss, NonSaturatingGANLoss, R1Penalty
from .identity_loss import IdentityLoss
from .perceptual_loss import PerceptualLoss
from .pixel_loss import MaskedL1Loss, MaskedMSELoss, MSELoss

__all__ = [
    'FeatureMatchingLoss', 'NonSaturatingGANLoss', 'R1Penalty',
    'IdentityLoss', 'PerceptualLoss', 'MaskedL1Loss', 'MaskedMSELoss',
    'MSELoss'
]
