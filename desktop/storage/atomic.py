"""Crash-safe file replacement for the profile, with the typed errors the UI explains."""

from __future__ import annotations

import errno
from pathlib import Path

from desktop.storage.errors import DiskFullError, WriteFailedError
from simpul import files

# ENOSPC: no space left on the device; EDQUOT: the user's disk quota is exhausted.
_DISK_FULL_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None
)


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash or a full disk never leaves a partial file
    (:func:`simpul.files.write_atomic`: temporary file, fsync, rename, directory fsync).

    Args:
        path: The file to create or replace. Its directory must exist.
        data: The complete new content.
        overwrite: If false, refuse to replace an existing file (atomically).

    Raises:
        DiskFullError: The disk or quota is full; an existing ``path`` is left untouched.
        WriteFailedError: Any other OS error; an existing ``path`` is left untouched, except when
            only the final directory fsync failed (the new file is then in place but its
            durability across a power loss is not assured).
        FileExistsError: ``overwrite`` is false and ``path`` already exists.
    """
    try:
        files.write_atomic(path, data, overwrite=overwrite)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _typed_write_error(exc, path) from exc


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
