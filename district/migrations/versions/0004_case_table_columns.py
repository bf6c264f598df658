"""Columns and indexes of the district case table: report date, police deadline, backlog.

The indexes are explained in :class:`district.models.RecordRow`: one covering index for the
filters and totals in the default order, and one per other sort order.

``records.reported_on`` (ISO date reported / held) and ``records.police_due`` (the UU TPKS
3×24-hour deadline, when it applies and the police do not have the case yet) are derived from
the sealed document, which a migration cannot open (it holds no keys). Existing rows therefore
get ``derived_rev = 0`` here and :class:`district.service.District` derives their columns again
from their sealed documents the next time it opens (``District._refresh_derived``).

``devices.announced_counter`` stays empty for existing devices until their next bundle: the
backlog estimate is unknown until then.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_records_reported_on": ["reported_on"],
    "ix_records_code": ["code"],
    "ix_records_kind_status": ["kind", "status", "reported_on"],
    "ix_records_updated_at": ["updated_at"],
}


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("reported_on", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("police_due", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("derived_rev", sa.Integer(), server_default="0", nullable=False))
    op.create_index(
        "ix_records_case_table",
        "records",
        [
            "kind",
            "reported_on",
            "record_id",
            "code",
            "village",
            "kecamatan",
            "status",
            "tppo",
            "conflicts",
            "police_due",
        ],
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "records", columns)
    op.create_index("ix_record_violence_types_code", "record_violence_types", ["code", "record_id"])
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("announced_counter", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("announced_counter")
    op.drop_index("ix_record_violence_types_code", table_name="record_violence_types")
    for name in (*_INDEXES, "ix_records_case_table"):
        op.drop_index(name, table_name="records")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("derived_rev")
        batch.drop_column("police_due")
        batch.drop_column("reported_on")
