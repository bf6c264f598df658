"""PostgreSQL: keep sealed blobs inline and never try to compress them.

The sealed change and record blobs (~7 KB for a case) are AES-GCM ciphertext: incompressible.
By default PostgreSQL moves any row over ~2 KB to TOAST and first tries to compress it — work
wasted on every import. ``STORAGE EXTERNAL`` skips the compression attempt, and
``toast_tuple_target = 8160`` keeps rows up to a page inline. SQLite has no such settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("changes", "records")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN sealed SET STORAGE EXTERNAL")
        op.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 8160)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN sealed SET STORAGE EXTENDED")
        op.execute(f"ALTER TABLE {table} RESET (toast_tuple_target)")
