"""Alembic upgrade at start, shared by the desktop store and the district server."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from simpul.errors import Error
from simpul.sqlite import WRITE_OPTION

__all__ = ["NewerSchemaError", "head_revision", "upgrade_schema"]

# Two server processes starting at once on one PostgreSQL must not both run a migration.
_PG_MIGRATION_LOCK = 7366230271


class NewerSchemaError(Error):
    """The database is at a revision this code does not know: a newer Simpul wrote it."""


def _config(script_location: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def head_revision(script_location: str) -> str:
    """The newest migration in ``script_location`` (e.g. ``"district:migrations"``)."""
    head = ScriptDirectory.from_config(_config(script_location)).get_current_head()
    if head is None:  # pragma: no cover - the project always ships migrations
        raise Error(f"no migrations found in {script_location}")
    return head


def upgrade_schema(engine: sa.Engine, script_location: str) -> None:
    """Bring the schema to the newest migration; a no-op when it is current.

    Raises:
        NewerSchemaError: The database is at a revision this code does not know.
    """
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
