"""Registries of inpaint_toolbox.

Every registry is a child of the mmengine registry of the same name, so that a
runner built from a config with ``default_scope='inpaint_toolbox'`` finds our
components first and falls back to mmengine's. ``locations`` make the runner
import the modules that register components lazily, so tools never import
models by hand.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import \
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS',
    'WEIGHT_INITIALIZERS', 'OPTIMIZERS', 'OPTIM_WRAPPERS',
    'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS', 'METRICS', 'EVALUATOR',
    'TASK_UTILS', 'VISUALIZERS', 'VISBACKENDS', 'INFERENCERS', 'FUNCTIONS',
    'MASK_GENERATORS'
]

_SCOPE = 'inpaint_toolbox'


def _child(name, parent, locations):
    return Registry(
        name, parent=parent, scope=_SCOPE, locations=locations)


# runner, loops, hooks, logging
RUNNERS = _child('runner', MMENGINE_RUNNERS, ['inpaint_toolbox.engine'])
RUNNER_CONSTRUCTORS = _child('runner constructor',
                             MMENGINE_RUNNER_CONSTRUCTORS,
                             ['inpaint_toolbox.engine'])
LOOPS = _child('loop', MMENGINE_LOOPS, ['inpaint_toolbox.engine'])
HOOKS = _child('hook', MMENGINE_HOOKS, ['inpaint_toolbox.engine'])
LOG_PROCESSORS = _child('log processor', MMENGINE_LOG_PROCESSORS,
                        ['inpaint_toolbox.engine'])

# data
DATASETS = _child('dataset', MMENGINE_DATASETS, ['inpaint_toolbox.datasets'])
DATA_SAMPLERS = _child('data sampler', MMENGINE_DATA_SAMPLERS,
                       ['inpaint_toolbox.datasets'])
TRANSFORMS = _child('transform', MMENGINE_TRANSFORMS,
                    ['inpaint_toolbox.datasets.transforms'])
MASK_GENERATORS = Registry(
    'mask generator', scope=_SCOPE, locations=['inpaint_toolbox.masks'])

# models
MODELS = _child('model', MMENGINE_MODELS, ['inpaint_toolbox.models'])
MODEL_WRAPPERS = _child('model wrapper', MMENGINE_MODEL_WRAPPERS,
                        ['inpaint_toolbox.models'])
WEIGHT_INITIALIZERS = _child('weight initializer',
                             MMENGINE_WEIGHT_INITIALIZERS,
                             ['inpaint_toolbox.models'])

# optimization
OPTIMIZERS = _child('optimizer', MMENGINE_OPTIMIZERS,
                    ['inpaint_toolbox.engine'])
OPTIM_WRAPPERS = _child('optim wrapper', MMENGINE_OPTIM_WRAPPERS,
                        ['inpaint_toolbox.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor',
                                    MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                    ['inpaint_toolbox.engine'])
PARAM_SCHEDULERS = _child('parameter scheduler', MMENGINE_PARAM_SCHEDULERS,
                          ['inpaint_toolbox.engine'])

# evaluation
METRICS = _child('metric', MMENGINE_METRICS, ['inpaint_toolbox.evaluation'])
EVALUATOR = _child('evaluator', MMENGINE_EVALUATOR,
                   ['inpaint_toolbox.evaluation'])

# misc
TASK_UTILS = _child('task util', MMENGINE_TASK_UTILS,
                    ['inpaint_toolbox.models'])
VISUALIZERS = _child('visualizer', MMENGINE_VISUALIZERS,
                     ['inpaint_toolbox.visualization'])
VISBACKENDS = _child('vis_backend', MMENGINE_VISBACKENDS,
                     ['inpaint_toolbox.visualization'])
INFERENCERS = _child('inferencer', MMENGINE_INFERENCERS,
                     ['inpaint_toolbox.apis'])
FUNCTIONS = _child('function', MMENGINE_FUNCTIONS,
                   ['inpaint_toolbox.datasets'])
