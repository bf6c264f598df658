"""Alembic environment for the desktop database: runs on the connection the app hands over."""

from __future__ import annotations

from alembic import context

from desktop.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("desktop migrations run only through desktop.storage.db.upgrade")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
