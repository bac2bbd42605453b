from .loops import (EndlessIterator, FastForwardIterBasedTrainLoop,
                    skip_batches_without_loading)

__all__ = [
    'EndlessIterator', 'FastForwardIterBasedTrainLoop',
    'skip_batches_without_loading'
]
