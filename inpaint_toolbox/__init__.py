"""inpaint_toolbox: face inpainting in the OpenMMLab style.

Importing the package is cheap: components register when their sub-packages
are imported, which the registries do lazily (see ``registry.py``) or
``inpaint_toolbox.utils.register_all_modules`` does at once.
"""
from .version import __version__

__all__ = ['__version__']
