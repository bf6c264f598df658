"""Crash-safe file replacement: readers see either the old bytes or the new bytes, never a mix."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from desktop.storage.errors import DiskFullError, WriteFailedError

# ENOSPC: no space left on the device; EDQUOT: the user's disk quota is exhausted.
_DISK_FULL_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None
)

# Some file systems (certain network and FUSE mounts) cannot fsync a directory; that is not a
# failed write, only a weaker durability guarantee we cannot improve on.
_DIR_FSYNC_UNSUPPORTED_ERRNOS = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash or a full disk never leaves a partial file.

    The bytes go to a temporary file in the same directory (so the final rename stays on one
    file system), which is flushed and fsynced, then renamed over ``path``; finally the directory
    is fsynced so the rename itself survives a power loss. The temporary file is created with
    mode 0600 and is removed on any failure.

    Args:
        path: The file to create or replace. Its directory must exist.
        data: The complete new content.
        overwrite: If false, refuse to replace an existing file; the check and the rename are one
            atomic step (a hard link on POSIX, a non-replacing rename on Windows).

    Raises:
        DiskFullError: The disk or quota is full; an existing ``path`` is left untouched.
        WriteFailedError: Any other OS error; an existing ``path`` is left untouched, except when
            only the final directory fsync failed (the new file is then in place but its
            durability across a power loss is not assured).
        FileExistsError: ``overwrite`` is false and ``path`` already exists.
    """
    directory = path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
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
    except FileExistsError:
        raise
    except OSError as exc:
        raise _typed_write_error(exc, path) from exc
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
        # The file system has no hard links (e.g. FAT): fall back to check-then-rename, which is
        # only racy against another process creating the same file at the same instant.
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


def _typed_write_error(exc: OSError, path: Path) -> WriteFailedError:
    """Map an OS error to the typed error the UI knows how to explain."""
    # Only the file name goes into params: profile paths can contain a person's login name.
    if exc.errno in _DISK_FULL_ERRNOS:
        return DiskFullError(message=f"disk full while writing {path.name}", file=path.name)
    return WriteFailedError(
        message=f"could not write {path.name}: {exc.strerror or exc}",
        file=path.name,
        errno=exc.errno,
    )
