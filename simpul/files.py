"""Crash-safe file replacement: readers see either the old bytes or the new bytes, never a mix.

Shared by the desktop profile (vault, exported bundles, the sent mark) and the district data
directory (keys, backups, receipts). Raises plain ``OSError``; the desktop turns it into its
typed storage errors.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]

# Some file systems (certain network and FUSE mounts) cannot fsync a directory; that is not a
# failed write, only a weaker durability guarantee we cannot improve on.
_DIR_FSYNC_UNSUPPORTED_ERRNOS = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that a crash or a full disk never leaves a partial file.

    The bytes go to a temporary file in the same directory (so the final rename stays on one
    file system), which is fsynced, then renamed over ``path``; finally the directory is
    fsynced so the rename itself survives a power loss. The temporary file is removed on any
    failure.

    Args:
        path: The file to create or replace. Its directory must exist.
        data: The complete new content.
        overwrite: If false, refuse to replace an existing file; the check and the rename are
            one atomic step (a hard link on POSIX, a non-replacing rename on Windows).
        mode: Permission bits of the new file (0600: only its owner reads it).

    Raises:
        FileExistsError: ``overwrite`` is false and ``path`` already exists.
        OSError: Any other failure; an existing ``path`` is left untouched, except when only
            the final directory fsync failed (the new file is then in place but its durability
            across a power loss is not assured).
    """
    directory = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            if hasattr(os, "fchmod"):  # not on Windows
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp_name, path)
        else:
            _rename_no_replace(tmp_name, path)
        tmp_name = None
        _fsync_directory(directory)
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of ``data``; ``os.write`` may write less than asked."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _rename_no_replace(src: str, dst: Path) -> None:
    """Move ``src`` to ``dst`` atomically, failing with FileExistsError if ``dst`` exists."""
    if os.name == "nt":
        # On Windows os.rename never replaces an existing destination.
        os.rename(src, dst)
        return
    # POSIX rename() always replaces, but link() fails with EEXIST atomically.
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        # The file system has no hard links (e.g. FAT on a flash drive): fall back to
        # check-then-rename, racy only against another process creating the same file at once.
        if dst.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(dst)) from exc
        os.replace(src, dst)
        return
    # The new file is in place; a leftover temporary name is harmless and not worth failing for.
    with contextlib.suppress(OSError):
        os.unlink(src)


def _fsync_directory(directory: Path) -> None:
    """Persist the directory entry of a rename (POSIX; Windows has no directory handles)."""
    if os.name == "nt":
        return
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(dir_fd)
    except OSError as exc:
        if exc.errno not in _DIR_FSYNC_UNSUPPORTED_ERRNOS:
            raise
    finally:
        os.close(dir_fd)
