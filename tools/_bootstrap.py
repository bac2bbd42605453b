"""Make ``inpaint_toolbox`` importable when a tool runs from a checkout that
was not installed with ``pip install -e .``."""
import os.path as osp
import sys

_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
try:
    import inpaint_toolbox  # noqa: F401
except ImportError:
    sys.path.insert(0, _ROOT)
