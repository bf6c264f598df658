"""The district database engine: SQLite or PostgreSQL, pragmas, write locks, Alembic upgrades.

Writes that touch the change log of a village are serialized per village: on SQLite by the
database's single writer (``BEGIN IMMEDIATE``), on PostgreSQL by a transaction-level advisory
lock keyed by the village (:func:`lock_village`). That makes concurrent imports of overlapping
bundles simple and safe (the second sees the first's rows), and it makes ``changes.seq`` grow
in commit order within a village, so a pull cursor never skips a row committed late.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from district.config import DistrictConfig
from district.errors import DatabaseBusyError, DistrictUserError
from simpul import migrate
from simpul.sqlite import WRITE_OPTION, configure_sqlite, make_sessions

__all__ = [
    "WRITE_OPTION",
    "DatabaseNewerError",
    "create_engine",
    "head_revision",
    "is_retryable",
    "lock_village",
    "make_sessions",
    "normalize_url",
    "upgrade",
]


# https://sqlite.org/pragma.html — WAL + synchronous=FULL: a commit that returned survives
# power loss; busy_timeout: a second writer waits instead of failing at once; secure_delete:
# freed pages are zeroed, so overwritten ciphertext does not linger.
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA foreign_keys=ON",
)

# SQLSTATEs worth retrying: serialization_failure, deadlock_detected, unique_violation (the
# other transaction inserted the same change or bundle first; the retry sees it), lock timeout.
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "23505", "55P03"})


class DatabaseNewerError(DistrictUserError):
    """The database was migrated by a newer version of the server."""

    default_code = "database_newer"
    default_message = "The database was written by a newer Simpul district server."


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy's default is psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_engine(config: DistrictConfig) -> sa.Engine:
    """Return an engine on the configured database.

    Args:
        config: The district configuration.

    Returns:
        The engine; SQLite connections get the pragmas above.
    """
    url = normalize_url(config.url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url)
        configure_sqlite(engine, lambda: _SQLITE_PRAGMAS)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def lock_village(session: Session, village: str) -> None:
    """Serialize writers of one village's records until the transaction ends.

    PostgreSQL: ``pg_advisory_xact_lock`` on a 64-bit key derived from the village code.
    SQLite: nothing to do, the write transaction already holds the database's write lock.

    Args:
        session: The write session, inside its transaction.
        village: The village code.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(b"simpul/district/village-lock/" + village.encode("utf-8")).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def is_retryable(exc: sa.exc.DBAPIError) -> bool:
    """Whether a failed transaction is worth running again (a conflict, not a bug).

    Args:
        exc: The error SQLAlchemy raised.

    Returns:
        True for SQLite "locked"/"busy" and unique-constraint races, and for PostgreSQL
        serialization failures, deadlocks, unique violations and lock timeouts.
    """
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRY_SQLSTATES
    text = str(orig or exc).lower()
    return "locked" in text or "busy" in text or "unique constraint failed" in text


_MIGRATIONS = "district:migrations"


def head_revision() -> str:
    """Return the newest migration the code knows."""
    return migrate.head_revision(_MIGRATIONS)


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is current.

    Raises:
        DatabaseNewerError: The database is at a revision this code does not know.
        DatabaseBusyError: Another process holds the database.
    """
    try:
        migrate.upgrade_schema(engine, _MIGRATIONS)
    except migrate.NewerSchemaError as exc:
        raise DatabaseNewerError() from exc
    except sa.exc.OperationalError as exc:
        if is_retryable(exc):
            raise DatabaseBusyError() from exc
        raise
