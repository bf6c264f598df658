"""Crash-safe file writes for the district data directory (temp file, fsync, rename)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]

# Some file systems (network and FUSE mounts) cannot fsync a directory: a weaker durability
# guarantee we cannot improve on, not a failed write.
_DIR_FSYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` so that a crash never leaves a partial file.

    The bytes go to a temporary file (mode ``mode``, 0600 by default) in the same directory,
    which is fsynced and renamed over ``path``; then the directory is fsynced so the rename
    survives a power loss.

    Args:
        path: The file to create or replace; its directory must exist.
        data: The whole new content.
        mode: Permission bits of the new file.

    Raises:
        OSError: The write failed; an existing ``path`` is untouched.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    done = False
    try:
        try:
            if hasattr(os, "fchmod"):  # not on Windows
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        done = True
        _fsync_directory(path.parent)
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_directory(directory: Path) -> None:
    if os.name == "nt":
        return
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(dir_fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(dir_fd)
