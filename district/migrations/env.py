"""Alembic environment of the district database: runs on the connection db.upgrade hands over."""

from __future__ import annotations

from alembic import context

from district.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("district migrations run only through district.db.upgrade")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
