"""Bundle ids are unique per sending device, not across the district.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bundles_seen") as batch:
        batch.drop_constraint("uq_bundles_seen_bundle_id", type_="unique")
        batch.create_unique_constraint("uq_bundles_seen_device_bundle", ["device_id", "bundle_id"])


def downgrade() -> None:
    with op.batch_alter_table("bundles_seen") as batch:
        batch.drop_constraint("uq_bundles_seen_device_bundle", type_="unique")
        batch.create_unique_constraint("uq_bundles_seen_bundle_id", ["bundle_id"])
