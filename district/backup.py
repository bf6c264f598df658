"""Encrypted, consistent backups of a district database (SQLite or PostgreSQL), and their restore.

File format (version 1): ``SIMPULDB`` (8 bytes) || version (2 bytes, big-endian) || nonce
(12 bytes) || AES-256-GCM(image) under the ``backup`` subkey of the district data key, the
first 10 bytes as associated data. ``image`` is, on SQLite, a SQLite database file
(``SQLite format 3\\0``); on PostgreSQL, a ``pg_dump`` custom-format archive (``PGDMP``) of the
district's tables. The image's own magic says which, so a backup restores only onto the kind of
database it was made from. Restoring needs the same district's ``keys.json`` and passphrase;
keep a copy of that file (it is passphrase-protected) beside the backups.

Neither path writes a plaintext temporary file: the SQLite snapshot is copied into memory, and
``pg_dump``'s archive comes through a pipe; the image is sealed in memory before it is written.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Final, cast

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from district.errors import BackupError
from district.models import Base
from district.pgtools import conninfo, find_tools, quote_ident, run_tool
from simpul.files import write_atomic

__all__ = [
    "BACKUP_MAGIC",
    "backup_database",
    "backup_sqlite",
    "restore_database",
    "restore_sqlite",
]

BACKUP_MAGIC: Final = b"SIMPULDB"
_VERSION: Final = 1
_HEADER: Final = BACKUP_MAGIC + _VERSION.to_bytes(2, "big")
_NONCE: Final = 12
_TAG: Final = 16
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_PG_MAGIC: Final = b"PGDMP"
_VERSION_TABLE: Final = "alembic_version"
_LOCK_WAIT: Final = "60s"  # a backup or restore waits this long for a lock, then says why
_KIND_NAMES: Final = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# --------------------------------------------------------------------------- the container


def _seal(key: bytes, image: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return _HEADER + nonce + AESGCM(key).encrypt(nonce, image, _HEADER)


def _open(key: bytes, in_path: Path) -> bytes:
    """The image inside a backup file of this district.

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
        return AESGCM(key).decrypt(nonce, data[len(_HEADER) + _NONCE :], _HEADER)
    except InvalidTag:
        raise BackupError(
            "backup_unreadable", "The backup is damaged or belongs to another district."
        ) from None


def _image_kind(image: bytes) -> str:
    if image.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if image.startswith(_PG_MAGIC):
        return "postgresql"
    raise BackupError("backup_unreadable", "The backup holds no database.")


def _require_kind(image: bytes, here: str) -> None:
    made = _image_kind(image)
    if made != here:
        raise BackupError(
            "backup_other_database",
            "The backup was made of a {made_on} database; this server uses {here}.",
            made_on=_KIND_NAMES[made],
            here=_KIND_NAMES[here],
        )


def backup_database(engine: sa.Engine, key: bytes, out_path: Path) -> int:
    """Write an encrypted, consistent backup of the district database.

    Args:
        engine: The district's engine (SQLite or PostgreSQL).
        key: The 32-byte backup key.
        out_path: The backup file (written atomically, mode 0600).

    Returns:
        The size of the backup file in bytes.

    Raises:
        BackupError: On PostgreSQL, ``pg_tools_missing`` or ``pg_tool_failed``.
    """
    if engine.dialect.name == "postgresql":
        return backup_postgresql(engine, key, out_path)
    return backup_sqlite(engine, key, out_path)


def restore_database(engine: sa.Engine, key: bytes, in_path: Path) -> None:
    """Replace the district database's content with a backup of this district.

    Args:
        engine: The district's engine (its pool is emptied around the restore).
        key: The backup key the backup was sealed with.
        in_path: The backup file.

    Raises:
        BackupError: ``backup_unreadable``, ``backup_other_database``, and on PostgreSQL
            ``backup_other_schema``, ``pg_tools_missing`` or ``pg_tool_failed``; when it is
            raised, the database is unchanged.
    """
    if engine.dialect.name == "postgresql":
        restore_postgresql(engine, key, in_path)
    else:
        restore_sqlite(engine, key, in_path)


# --------------------------------------------------------------------------- SQLite


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
    data = _seal(key, image)
    write_atomic(out_path, data, mode=0o600)
    return len(data)


def restore_sqlite(engine: sa.Engine, key: bytes, in_path: Path) -> None:
    """Replace the database's content with a backup made by :func:`backup_sqlite`.

    Args:
        engine: An engine on the SQLite database (its pool is emptied around the restore).
        key: The 32-byte backup key the backup was sealed with.
        in_path: The backup file.

    Raises:
        BackupError: ``backup_unreadable``: not a backup, damaged, or another district's;
            ``backup_other_database``: a backup of a PostgreSQL district.
    """
    image = _open(key, in_path)
    _require_kind(image, "sqlite")
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


# --------------------------------------------------------------------------- PostgreSQL


def _district_tables() -> list[str]:
    """The tables a district database consists of: the models' and Alembic's."""
    return sorted([*Base.metadata.tables, _VERSION_TABLE])


def _schema_and_tables(engine: sa.Engine) -> tuple[str, list[str]]:
    """The schema the district's tables live in (its search path) and those present."""
    with engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        present = set(
            conn.execute(
                sa.text("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = :s"),
                {"s": schema},
            ).scalars()
        )
    return str(schema), [t for t in _district_tables() if t in present]


def backup_postgresql(engine: sa.Engine, key: bytes, out_path: Path) -> int:
    """Dump the district's tables with ``pg_dump``, seal the archive and write it atomically.

    ``pg_dump`` reads one consistent snapshot while the server keeps serving; only the
    district's own tables of the schema it uses are dumped, so other objects of a shared
    database are neither copied nor, at restore, touched.

    Args:
        engine: An engine on the PostgreSQL database.
        key: The 32-byte backup key.
        out_path: The backup file (mode 0600).

    Returns:
        The size of the backup file in bytes.

    Raises:
        BackupError: ``pg_tools_missing`` or ``pg_tool_failed``.
    """
    tools = find_tools(["pg_dump"])
    schema, tables = _schema_and_tables(engine)
    if _VERSION_TABLE not in tables:
        raise BackupError("backup_failed", "The database holds no district.")
    connection, env = conninfo(engine.url)
    args = [
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--lock-wait-timeout={_LOCK_WAIT}",
        f"--dbname={connection}",
        *(f"--table={quote_ident(schema)}.{quote_ident(t)}" for t in tables),
    ]
    image = run_tool(tools["pg_dump"], args, env=env)
    if not image.startswith(_PG_MAGIC):
        raise BackupError("backup_failed", "pg_dump wrote no archive.")
    data = _seal(key, image)
    write_atomic(out_path, data, mode=0o600)
    return len(data)


# One line per archived object: "<dump id>; <catalog oid> <oid> TABLE <schema> <name> <owner>".
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+)(?: |$)", re.MULTILINE)


def restore_postgresql(engine: sa.Engine, key: bytes, in_path: Path) -> None:
    """Replace the district's tables with those of a backup, in one transaction.

    ``pg_restore`` turns the archive into SQL; ``psql`` runs it after dropping the district's
    current tables, all inside one transaction with ``ON_ERROR_STOP``: the restore happens
    completely or not at all. The backup must come from the same schema (``public`` unless the
    database URL chose another search path).

    Args:
        engine: An engine on the PostgreSQL database (its pool is emptied around the restore).
        key: The backup key the backup was sealed with.
        in_path: The backup file.

    Raises:
        BackupError: ``backup_unreadable``, ``backup_other_database``, ``backup_other_schema``,
            ``pg_tools_missing`` or ``pg_tool_failed``; the database is then unchanged.
    """
    image = _open(key, in_path)
    _require_kind(image, "postgresql")
    tools = find_tools(["pg_restore", "psql"])
    listing = run_tool(tools["pg_restore"], ["--list"], stdin=image).decode("utf-8", "replace")
    schemas = {schema for schema, name in _TOC_TABLE.findall(listing) if name == _VERSION_TABLE}
    schema, _present = _schema_and_tables(engine)
    if not schemas:
        raise BackupError("backup_unreadable", "The backup holds no district.")
    if schema not in schemas:
        raise BackupError(
            "backup_other_schema",
            "The backup holds schema {made_in}; this server uses schema {schema}.",
            made_in=sorted(schemas)[0],
            schema=schema,
        )
    script = run_tool(
        tools["pg_restore"], ["--no-owner", "--no-privileges", "--file=-"], stdin=image
    )
    drop = ", ".join(f"{quote_ident(schema)}.{quote_ident(t)}" for t in _district_tables())
    prelude = (
        "SET client_min_messages = warning;\n"
        f"SET lock_timeout = '{_LOCK_WAIT}';\n"
        "BEGIN;\n"
        # Every district table, also one a newer migration added: the schema comes back
        # exactly as it was, and the upgrade at the next start brings it forward again.
        f"DROP TABLE IF EXISTS {drop} CASCADE;\n"
    ).encode()
    connection, env = conninfo(engine.url)
    engine.dispose()
    try:
        run_tool(
            tools["psql"],
            [
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                f"--dbname={connection}",
                "--file=-",
            ],
            stdin=prelude + script + b"\nCOMMIT;\n",
            env=env,
        )
    finally:
        engine.dispose()
