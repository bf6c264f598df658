"""SQLAlchemy models of the district database (the same tables on SQLite and PostgreSQL).

What plain columns reveal (everything else is sealed under the server data key): device ids,
villages and enrollment times of devices; bundle ids, sequence numbers and arrival times;
change ids, record ids, kinds, clock stamps and arrival order; and for each record the
*non-identifying* categorical columns reports aggregate — village and kecamatan, kind, record
code (pseudonymous), report/event month and date, status, violence types, number of victims,
victims by sex and age band, the TPPO flag, the UU TPKS 3×24-hour police deadline of a
sexual-violence case (a time, or nothing), outreach type and participant counts; for devices
also the highest change counter their latest bundle said they hold. No name, NIK, address,
contact, birth date, narrative or free text is ever in a plain column.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEntry",
    "Base",
    "BundleSeen",
    "ChangeRow",
    "Counter",
    "DeviceRow",
    "EnrollmentRow",
    "RecordRow",
    "RecordVictims",
    "RecordViolenceType",
    "StaffSession",
    "StaffUser",
    "UtcDateTime",
]


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both backends (SQLite keeps naive text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Store UTC; refuse naive datetimes (they are a bug)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if not isinstance(value, datetime):  # pragma: no cover - drivers return datetimes
            raise TypeError(f"unexpected {type(value).__name__} in a datetime column")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention (stable constraint names for migrations)."""

    metadata = sa.MetaData(naming_convention=_NAMING)


class DeviceRow(Base):
    """An enrolled village laptop."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    village: Mapped[str] = mapped_column(sa.String(16), index=True)
    enc_public: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sign_public: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sign_key_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_bundle_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    highest_sequence: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # ``holds[device]`` of the device's latest bundle: the highest counter of its own changes
    # it held then (None until a bundle arrived after migration 0004). With the highest counter
    # stored here it estimates the changes still waiting on the laptop.
    announced_counter: Mapped[int | None] = mapped_column(sa.BigInteger)


class EnrollmentRow(Base):
    """A one-time enrollment code (stored as an HMAC, never in clear)."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    village: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    device_id: Mapped[str | None] = mapped_column(sa.String(128))


class BundleSeen(Base):
    """A bundle that was imported, with the receipt issued for it (returned on re-import)."""

    __tablename__ = "bundles_seen"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    # Unique per sending device, not globally: a bundle id is chosen by the sender, so another
    # device reusing it must not be able to make this device's bundle look "already imported".
    bundle_id: Mapped[str] = mapped_column(sa.String(64))
    # SHA-256 of the file: the very same bytes arriving again (USB and HTTP at once, a retried
    # POST) are answered from here without decrypting them a second time.
    file_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    device_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    sequence: Mapped[int] = mapped_column(sa.BigInteger)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    via: Mapped[str] = mapped_column(sa.String(32))
    cases: Mapped[int] = mapped_column(sa.Integer, default=0)
    outreach: Mapped[int] = mapped_column(sa.Integer, default=0)
    changes: Mapped[int] = mapped_column(sa.Integer, default=0)
    receipt: Mapped[bytes] = mapped_column(sa.LargeBinary)

    __table_args__ = (
        sa.UniqueConstraint("device_id", "bundle_id", name="uq_bundles_seen_device_bundle"),
    )


class ChangeRow(Base):
    """One change of the log; its content sealed, ``seq`` the pull cursor."""

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(sa.String(128))
    counter: Mapped[int] = mapped_column(sa.BigInteger)
    record_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    hlc: Mapped[str] = mapped_column(sa.String(21))
    # HMAC-SHA256 of the change's canonical JSON under a data subkey: tells an identical
    # re-delivery from equivocation without decrypting, and reveals nothing without the key.
    digest: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (sa.UniqueConstraint("device_id", "counter", name="uq_changes_change_id"),)


class RecordRow(Base):
    """A materialized record: plaintext categorical columns for reports, the document sealed."""

    __tablename__ = "records"

    record_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    village: Mapped[str] = mapped_column(sa.String(16), index=True)
    kecamatan: Mapped[str] = mapped_column(sa.String(16), index=True)
    code: Mapped[str | None] = mapped_column(sa.String(32))
    period: Mapped[str | None] = mapped_column(sa.String(7), index=True)  # YYYY-MM
    # Date reported (case) or held (outreach), ISO YYYY-MM-DD: text sorts as the date does.
    reported_on: Mapped[str | None] = mapped_column(sa.String(10))
    status: Mapped[str | None] = mapped_column(sa.String(64))
    victims: Mapped[int] = mapped_column(sa.Integer, default=0)
    tppo: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    outreach_type: Mapped[str | None] = mapped_column(sa.String(64))
    male_child: Mapped[int] = mapped_column(sa.Integer, default=0)
    male_adult: Mapped[int] = mapped_column(sa.Integer, default=0)
    female_child: Mapped[int] = mapped_column(sa.Integer, default=0)
    female_adult: Mapped[int] = mapped_column(sa.Integer, default=0)
    deleted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    conflicts: Mapped[int] = mapped_column(sa.Integer, default=0)
    changes: Mapped[int] = mapped_column(sa.Integer, default=0)
    # UU TPKS Pasal 41: when a sexual-violence case referred to UPTD PPA must be with the
    # police (None when the rule does not apply or the police have it): overdue once passed.
    police_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Version of the rules that derived the plain columns (district.materialize.DERIVED_REV):
    # rows of an older version are derived again from their sealed document when the
    # district opens.
    derived_rev: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    updated_hlc: Mapped[str] = mapped_column(sa.String(21))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)

    # The district case table (50,000 records: a page and its total in well under 300 ms on
    # SQLite). One covering index holds every filterable column in the default order, so a
    # page walks it newest report first and a total is counted from it without reading the
    # rows (each row carries a sealed document of several KiB); the others serve the other
    # sort orders and lists of every kind.
    __table_args__ = (
        sa.Index(
            "ix_records_case_table",
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
        ),
        sa.Index("ix_records_reported_on", "reported_on"),
        sa.Index("ix_records_code", "code"),
        sa.Index("ix_records_kind_status", "kind", "status", "reported_on"),
        sa.Index("ix_records_updated_at", "updated_at"),
    )


class RecordViolenceType(Base):
    """One violence type code of a case (a row per code, so reports can GROUP BY it)."""

    __tablename__ = "record_violence_types"

    record_id: Mapped[str] = mapped_column(
        sa.String(128), sa.ForeignKey("records.record_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(64), primary_key=True)

    # The violence-type filter of the case table looks records up by code.
    __table_args__ = (sa.Index("ix_record_violence_types_code", "code", "record_id"),)


class RecordVictims(Base):
    """How many victims of a case have one sex and one SIMFONI age band (``unknown`` if none)."""

    __tablename__ = "record_victims"

    record_id: Mapped[str] = mapped_column(
        sa.String(128), sa.ForeignKey("records.record_id", ondelete="CASCADE"), primary_key=True
    )
    sex: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    age_band: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer)


class StaffUser(Base):
    """A district staff account; the password is kept as an Argon2id hash with its parameters."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[bytes] = mapped_column(sa.LargeBinary)
    salt: Mapped[bytes] = mapped_column(sa.LargeBinary)
    kdf_time_cost: Mapped[int] = mapped_column(sa.Integer)
    kdf_memory_kib: Mapped[int] = mapped_column(sa.Integer)
    kdf_lanes: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StaffSession(Base):
    """A signed-in staff session (the token is kept as its SHA-256)."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"),
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Who did what to which record, when (every staff read and write; imports; admin acts)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(sa.String(160))
    action: Mapped[str] = mapped_column(sa.String(32))
    record_id: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    detail: Mapped[str | None] = mapped_column(sa.Text)


class Counter(Base):
    """Named counters bumped inside write transactions (district change counter, sequences).

    A row updated in the transaction, not a database sequence: a rolled-back transaction gives
    its number back, so the district's change counters have no gaps and receipts of the
    district's own changes stay meaningful.
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
