"""Alembic upgrade at start, shared by the desktop store and the district server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from simpul.errors import Error
from simpul.sqlite import WRITE_OPTION

__all__ = ["NewerSchemaError", "current_revision", "head_revision", "upgrade_schema"]

# Two server processes starting at once on one PostgreSQL must not both run a migration.
_PG_MIGRATION_LOCK = 7366230271


class NewerSchemaError(Error):
    """The database is at a revision this code does not know: a newer Simpul wrote it."""


if TYPE_CHECKING:
    from alembic.config import Config


def _config(script_location: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def head_revision(script_location: str) -> str:
    """The newest migration in ``script_location`` (e.g. ``"district:migrations"``)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config(script_location)).get_current_head()
    if head is None:  # pragma: no cover - the project always ships migrations
        raise Error(f"no migrations found in {script_location}")
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at (``alembic_version``), or None for a new database.

    Read with plain SQL, so that opening an up-to-date database does not load Alembic.
    """
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_schema(
    engine: sa.Engine, script_location: str, *, known_head: str | None = None
) -> None:
    """Bring the schema to the newest migration; a no-op when it is current.

    Args:
        engine: The database.
        script_location: Where the migrations are (e.g. ``"district:migrations"``).
        known_head: The newest revision, when the caller knows it: a database already there
            is left alone without loading Alembic (a test keeps the constant true).

    Raises:
        NewerSchemaError: The database is at a revision this code does not know.
    """
    if known_head is not None and current_revision(engine) == known_head:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = head_revision(script_location)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    config = _config(script_location)
    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    if current is not None and current not in known:
        raise NewerSchemaError(f"unknown schema revision {current}")
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
