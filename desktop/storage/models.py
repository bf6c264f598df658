"""SQLAlchemy models of the local database: every identifying byte lives inside a sealed blob.

What the plain columns reveal (DESIGN.md §4): opaque random ids (records, devices, audit
entries), the record kind (case or outreach), per-device change counters and the local arrival
order. No names, dates of events, villages, narratives, codes or counts of victims are in plain
columns; the case code itself is sealed because it carries the village and year.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the desktop database."""


class Meta(Base):
    """Plain, non-identifying settings of the store (device id, store format)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class SealedMeta(Base):
    """Profile facts sealed under the data key (village, creation time)."""

    __tablename__ = "sealed_meta"
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)


class ChangeRow(Base):
    """One immutable change; content sealed with AD bound to record id and change id."""

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(sa.String(64))
    counter: Mapped[int] = mapped_column(sa.Integer)
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    __table_args__ = (sa.UniqueConstraint("device_id", "counter", name="uq_changes_id"),)


class RecordRow(Base):
    """The materialized (merged) state of one record, sealed with AD bound to its id.

    ``sealed`` holds what lists and search need (code, dates, status, counts, search text) and
    is decrypted when the profile opens; ``sealed_doc`` holds the whole document and is
    decrypted only when the record is opened.
    """

    __tablename__ = "records"
    record_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sealed_doc: Mapped[bytes] = mapped_column(sa.LargeBinary)


class AuditRow(Base):
    """One audited local action (who did what to which record, when), sealed."""

    __tablename__ = "audit"
    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
