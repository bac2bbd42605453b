"""Latent editing: directions in W+, direction finders and the attribute
classifier that labels generated faces."""
from .attribute_classifier import AttributeClassifier
from .direction_finders import (GANSpaceResult, fit_logistic_regression,
                                ganspace_directions, interfacegan_direction,
                                project_out)
from .latent_direction import LatentDirection, load_direction, save_direction

__all__ = [
    'AttributeClassifier', 'GANSpaceResult', 'fit_logistic_regression',
    'ganspace_directions', 'interfacegan_direction', 'project_out',
    'LatentDirection', 'load_direction', 'save_direction'
]
