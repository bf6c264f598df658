"""The local SQLite engine: durability and privacy pragmas, transactions, Alembic upgrades."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from desktop.storage.errors import (
    DatabaseError,
    DiskFullError,
    ProfileBusyError,
    ProfileNewerError,
    StorageError,
)
from simpul import migrate
from simpul.sqlite import configure_sqlite

DB_NAME = "simpul.db"

# Pragmas, see https://sqlite.org/pragma.html:
# - WAL + synchronous=FULL: a commit that returned survives power loss (WAL is synced on commit).
# - secure_delete: freed pages are zeroed, so overwritten ciphertext does not linger.
# - temp_store=MEMORY: sorts and temporary tables never spill to a temp file on disk.
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def create_engine(profile_dir: Path) -> sa.Engine:
    """Return an engine on the profile's database with the pragmas above applied."""
    engine = sa.create_engine(f"sqlite:///{profile_dir / DB_NAME}")
    configure_sqlite(engine, lambda: _PRAGMAS)
    return engine


_MIGRATIONS = "desktop.storage:migrations"

HEAD_REVISION = "0001"
"""The newest migration in desktop/storage/migrations (a test checks it against the scripts):
opening a profile already there needs no Alembic, which takes ~0.2-0.3 s to load."""


def head_revision() -> str:
    """The newest migration the code knows."""
    return migrate.head_revision(_MIGRATIONS)


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is current."""
    try:
        migrate.upgrade_schema(engine, _MIGRATIONS, known_head=HEAD_REVISION)
    except migrate.NewerSchemaError as exc:
        raise ProfileNewerError() from exc


def translate_error(exc: sa.exc.DBAPIError) -> StorageError:
    """Turn a driver error into the typed error the user sees (SQLite result codes, by text).

    SQLITE_FULL ("database or disk is full") leaves the transaction rolled back: nothing is lost.
    """
    text = str(getattr(exc, "orig", exc)).lower()
    if "full" in text:
        return DiskFullError()
    if "locked" in text or "busy" in text:
        return ProfileBusyError()
    return DatabaseError(message=type(getattr(exc, "orig", exc)).__name__)
