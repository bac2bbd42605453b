from .data_preprocessors import *  # noqa: F401,F403
from .discriminators import *  # noqa: F401,F403
from .generators import *  # noqa: F401,F403
from .inpaintors import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403
