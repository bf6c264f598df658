"""Encrypted, consistent backups of a SQLite district database, and their restore.

File format (version 1): ``SIMPULDB`` (8 bytes) || version (2 bytes, big-endian) || nonce
(12 bytes) || AES-256-GCM(image) under the ``backup`` subkey of the district data key, the
first 10 bytes as associated data. ``image`` is a SQLite database file. Restoring needs the
same district's ``keys.json`` and passphrase; keep a copy of that file (it is
passphrase-protected) beside the backups.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Final, cast

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from district._files import write_atomic
from district.errors import BackupError

__all__ = ["BACKUP_MAGIC", "backup_sqlite", "restore_sqlite"]

BACKUP_MAGIC: Final = b"SIMPULDB"
_VERSION: Final = 1
_HEADER: Final = BACKUP_MAGIC + _VERSION.to_bytes(2, "big")
_NONCE: Final = 12
_TAG: Final = 16


def _without_wal_flag(image: bytes) -> bytes:
    """Mark a database image as a rollback-journal database (file format bytes 18–19 = 1).

    A copy of a WAL database keeps the WAL flag in its header, and SQLite then looks for a
    ``-wal`` file an in-memory image cannot have (https://sqlite.org/fileformat.html §1.3.4).
    """
    if len(image) < 20:
        raise BackupError("backup_unreadable", "The backup holds no database.")
    return image[:18] + b"\x01\x01" + image[20:]


def backup_sqlite(engine: sa.Engine, key: bytes, out_path: Path) -> int:
    """Copy a consistent snapshot of the database, seal it and write it atomically.

    The SQLite online backup API copies the snapshot into memory (no plaintext temporary
    file), while other connections keep reading and writing.

    Args:
        engine: An engine on the SQLite database.
        key: The 32-byte backup key.
        out_path: The backup file (mode 0600).

    Returns:
        The size of the backup file in bytes.
    """
    raw = engine.raw_connection()
    try:
        source = cast(sqlite3.Connection, raw.driver_connection)
        memory = sqlite3.connect(":memory:")
        try:
            source.backup(memory)
            image = _without_wal_flag(memory.serialize())
        finally:
            memory.close()
    finally:
        raw.close()
    nonce = os.urandom(_NONCE)
    data = _HEADER + nonce + AESGCM(key).encrypt(nonce, image, _HEADER)
    write_atomic(out_path, data, mode=0o600)
    return len(data)


def restore_sqlite(engine: sa.Engine, key: bytes, in_path: Path) -> None:
    """Replace the database's content with a backup made by :func:`backup_sqlite`.

    Args:
        engine: An engine on the SQLite database (its pool is emptied around the restore).
        key: The 32-byte backup key the backup was sealed with.
        in_path: The backup file.

    Raises:
        BackupError: ``backup_unreadable``: not a backup, damaged, or another district's.
    """
    try:
        data = in_path.read_bytes()
    except OSError as exc:
        raise BackupError("backup_unreadable", "The backup file cannot be read.") from exc
    if not data.startswith(_HEADER) or len(data) < len(_HEADER) + _NONCE + _TAG:
        raise BackupError("backup_unreadable", "The file is not a district backup.")
    nonce = data[len(_HEADER) : len(_HEADER) + _NONCE]
    try:
        image = AESGCM(key).decrypt(nonce, data[len(_HEADER) + _NONCE :], _HEADER)
    except InvalidTag:
        raise BackupError(
            "backup_unreadable", "The backup is damaged or belongs to another district."
        ) from None
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(_without_wal_flag(image))
        engine.dispose()
        raw = engine.raw_connection()
        try:
            memory.backup(cast(sqlite3.Connection, raw.driver_connection))
        finally:
            raw.close()
    finally:
        memory.close()
    engine.dispose()
