"""Frozen results the district service hands out (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

__all__ = [
    "ROLES",
    "AuditView",
    "Device",
    "DeviceCredentials",
    "DeviceView",
    "Enrollment",
    "ImportCounts",
    "ImportResult",
    "ImportStatus",
    "RecordDetail",
    "RecordSummary",
    "Role",
    "StaffView",
]

Role: TypeAlias = Literal["admin", "staff", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "staff", "viewer")
ImportStatus: TypeAlias = Literal["imported", "already_imported", "rejected"]


@dataclass(frozen=True)
class Enrollment:
    """A one-time enrollment code, shown once to the administrator.

    Attributes:
        code: The code, e.g. ``ABCDE-FGHJK`` (stored only as an HMAC).
        village: The village code it enrolls a laptop for.
        expires_at: When it stops working (UTC).
    """

    code: str
    village: str
    expires_at: datetime


@dataclass(frozen=True)
class DeviceCredentials:
    """What an enrolled device keeps: its id, its secret token, the district keys to pin.

    Attributes:
        device_id: The device id (the ``device`` of its change ids).
        token: Bearer token for the HTTP API (shown once; stored only as SHA-256).
        village: The village the device records for.
        district_enc_public: Raw district encryption public key (1,216 bytes).
        district_sign_public: Raw district signing public key (32 bytes).
    """

    device_id: str
    token: str
    village: str
    district_enc_public: bytes
    district_sign_public: bytes


@dataclass(frozen=True)
class DeviceView:
    """An enrolled device as the administrator sees it.

    Attributes:
        device_id: The device id.
        village: Its village code.
        sign_key_id: Key id of its signing key.
        enrolled_at: When it enrolled.
        revoked_at: When it was revoked, or ``None``.
        last_seen_at: Last authenticated request.
        last_bundle_at: Last bundle imported from it.
        highest_sequence: Highest bundle sequence number seen from it.
    """

    device_id: str
    village: str
    sign_key_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_bundle_at: datetime | None
    highest_sequence: int

    @property
    def revoked(self) -> bool:
        """Whether the device was revoked."""
        return self.revoked_at is not None


Device = DeviceView
"""What :meth:`district.service.District.authenticate_device` returns."""


@dataclass(frozen=True)
class ImportCounts:
    """What an import added: case and outreach records touched, changes stored."""

    cases: int = 0
    outreach: int = 0
    changes: int = 0


@dataclass(frozen=True)
class ImportResult:
    """The outcome of importing one bundle.

    Attributes:
        status: ``imported``, ``already_imported`` or ``rejected``.
        reason: Why it was rejected (a stable code), else ``None``.
        bundle_id: The bundle id if the bundle opened, else ``None``.
        device_id: The sending device if known, else ``None``.
        counts: What was added (for ``already_imported``: what the first import added).
        receipt: The signed receipt (identical bytes on every re-import), ``None`` if rejected.
        rejected_changes: ``(change id, reason)`` of changes refused inside an imported bundle.
    """

    status: ImportStatus
    reason: str | None = None
    bundle_id: str | None = None
    device_id: str | None = None
    counts: ImportCounts = field(default_factory=ImportCounts)
    receipt: bytes | None = None
    rejected_changes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StaffView:
    """A signed-in staff member.

    Attributes:
        user_id: Database id of the account.
        name: Account name.
        role: ``admin``, ``staff`` or ``viewer``.
    """

    user_id: int
    name: str
    role: Role


@dataclass(frozen=True)
class RecordSummary:
    """One line of the cross-village record list (plaintext columns only, nothing decrypted).

    Attributes:
        record_id: The record's UUID.
        kind: ``case`` or ``outreach``.
        code: Pseudonymous record code, if set.
        village: Village code.
        kecamatan: Kecamatan code.
        period: Month reported (case) or held (outreach), ``YYYY-MM``.
        status: Case status code.
        violence_types: Violence type codes of a case.
        victims: Number of victims of a case.
        tppo: Whether a case involves trafficking.
        deleted: Whether the record carries a tombstone.
        conflicts: Number of fields needing review.
        updated_at: When the district last changed the row.
    """

    record_id: str
    kind: str
    code: str | None
    village: str
    kecamatan: str
    period: str | None
    status: str | None
    violence_types: tuple[str, ...]
    victims: int
    tppo: bool
    deleted: bool
    conflicts: int
    updated_at: datetime


@dataclass(frozen=True)
class RecordDetail:
    """A decrypted record for a staff member.

    Attributes:
        record_id: The record's UUID.
        kind: ``case`` or ``outreach``.
        code: Pseudonymous record code.
        village: Village code.
        document: The merged document (``docs/record-format.md``).
        conflicts: Field paths whose concurrent values need review.
        base: Change ids (``device:counter``) of the version shown; pass them back as the
            ``base`` of a follow-up so edits made meanwhile are kept, not overwritten.
        deleted: Whether the record carries a tombstone.
    """

    record_id: str
    kind: str
    code: str | None
    village: str
    document: dict[str, Any]
    conflicts: tuple[str, ...]
    base: tuple[str, ...]
    deleted: bool


@dataclass(frozen=True)
class AuditView:
    """One audit entry.

    Attributes:
        at: When (UTC).
        actor: ``staff:<name>``, ``device:<id>`` or ``admin``.
        action: What, e.g. ``view``, ``followup``, ``import``, ``enroll``.
        record_id: The record concerned, if any.
        detail: Codes and counts only, never person data.
    """

    at: datetime
    actor: str
    action: str
    record_id: str | None
    detail: str | None
