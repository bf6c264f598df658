"""The local SQLite engine: durability and privacy pragmas, transactions, Alembic upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import sessionmaker

from desktop.storage.errors import (
    DatabaseError,
    DiskFullError,
    ProfileBusyError,
    ProfileNewerError,
    StorageError,
)

DB_NAME = "simpul.db"
WRITE_OPTION = "simpul_write"

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


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide when a transaction begins (SQLAlchemy pysqlite docs,
    # "Serializable isolation / Savepoints / Transactional DDL").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _on_begin(conn: sa.Connection) -> None:
    # A write transaction takes the write lock at the start (IMMEDIATE), so two processes on
    # one profile (the app and the CLI) wait for each other instead of failing half-way with
    # "database is locked"; reads begin deferred and never wait for the lock.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def create_engine(profile_dir: Path) -> sa.Engine:
    """Return an engine on the profile's database with the pragmas above applied."""
    engine = sa.create_engine(f"sqlite:///{profile_dir / DB_NAME}")
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
    return engine


def make_sessions(engine: sa.Engine, *, write: bool = False) -> sessionmaker[Any]:
    """Session factory; a session's scope is one user action (``with sessions.begin() as s:``).

    ``write=True`` gives sessions whose transactions begin IMMEDIATE (they will write).
    """
    bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
    return sessionmaker(bind, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "desktop.storage:migrations")
    return config


def head_revision() -> str:
    """The newest migration the code knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the project always ships migrations
        raise StorageError("no migrations found")
    return head


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is current."""
    head = head_revision()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    known = {
        rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
    }
    if current is not None and current not in known:
        raise ProfileNewerError()
    config = _alembic_config()
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


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
