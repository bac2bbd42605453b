from inpaint_toolbox.utils.checkpoint import install as _install_safe_io
from .hooks import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .runner import *  # noqa: F401,F403

_install_safe_io()
