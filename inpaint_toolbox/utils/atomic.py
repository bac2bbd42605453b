"""Atomic file writes: a temporary file in the target folder, then a
rename, so readers never see a half-written file."""
import os
import os.path as osp
import uuid
from typing import Union


def atomic_write(path: Union[str, os.PathLike], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders.

    The temporary file is created with mode 0o666, so the umask applies as
    for a plain ``open()``. On any error the temporary file is removed and
    an existing ``path`` stays as it was.
    """
    path = os.fspath(path)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder,
                   f'.{osp.basename(path)}.{uuid.uuid4().hex[:12]}.tmp')
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
