"""Frozen results the district service hands out (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

__all__ = [
    "ROLES",
    "AuditView",
    "BundlePreview",
    "Device",
    "DeviceCredentials",
    "DeviceView",
    "Enrollment",
    "HistoryEntry",
    "ImportCounts",
    "ImportResult",
    "ImportStatus",
    "RecordDetail",
    "RecordPage",
    "RecordSort",
    "RecordSummary",
    "Role",
    "StaffImport",
    "StaffView",
]

Role: TypeAlias = Literal["admin", "staff", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "staff", "viewer")
ImportStatus: TypeAlias = Literal["imported", "already_imported", "rejected"]
RecordSort: TypeAlias = Literal["reported", "code", "village", "status", "updated"]


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
        village_name: The village's name (``None`` for a code not in the region list).
        announced_counter: ``holds`` of its own changes in its latest bundle: the highest
            counter the laptop held when it made that bundle (``None``: no bundle since the
            district started keeping it).
        held_counter: The highest counter of its changes the district stores.
    """

    device_id: str
    village: str
    sign_key_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_bundle_at: datetime | None
    highest_sequence: int
    village_name: str | None = None
    announced_counter: int | None = None
    held_counter: int = 0

    @property
    def revoked(self) -> bool:
        """Whether the device was revoked."""
        return self.revoked_at is not None

    @property
    def last_contact_at(self) -> datetime | None:
        """The last time the district heard from the laptop: a request with its token (push,
        pull) or a bundle imported from it (also one carried on a flash drive)."""
        times = [t for t in (self.last_seen_at, self.last_bundle_at) if t is not None]
        return max(times, default=None)

    @property
    def pending_estimate(self) -> int | None:
        """Changes the laptop held at its latest bundle that the district does not store.

        ``announced_counter − held_counter``: counters are per device and never reused, so
        the difference counts the changes made before that bundle that have not arrived (a
        backlog split over several bundles, a bundle not carried yet) plus any the district
        refused. Changes saved after the latest bundle are unknown here, so this is a floor.
        ``None`` when no bundle announced its holdings.
        """
        if self.announced_counter is None:
            return None
        return max(0, self.announced_counter - self.held_counter)


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
        own_held: The bundle's ``holds`` of its sender: the highest counter of its own changes
            the laptop held, every earlier one with it (``None`` when not known: a bundle
            imported before, or one that leaves it out). Below what the district holds, the
            laptop was put back from an older copy (its return bundle brings the rest back).
    """

    status: ImportStatus
    reason: str | None = None
    bundle_id: str | None = None
    device_id: str | None = None
    counts: ImportCounts = field(default_factory=ImportCounts)
    receipt: bytes | None = None
    rejected_changes: tuple[tuple[str, str], ...] = ()
    own_held: int | None = None


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
        reported_on: Date reported (case) or held (outreach), ISO ``YYYY-MM-DD``.
        police_due: UU TPKS 3×24-hour deadline of a sexual-violence case referred to UPTD
            PPA whose police referral is not recorded yet (UTC), else ``None``.
        overdue: ``police_due`` had passed when the list was made.
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
    reported_on: str | None = None
    police_due: datetime | None = None
    overdue: bool = False

    @property
    def needs_review(self) -> bool:
        """Whether some field holds concurrent values a person must settle."""
        return self.conflicts > 0


@dataclass(frozen=True)
class RecordPage:
    """One page of the record list and how many records match the filters in all.

    Attributes:
        records: The page.
        total: Records matching the filters (every page).
        limit: Page size asked for.
        offset: Records skipped before the page.
    """

    records: tuple[RecordSummary, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class HistoryEntry:
    """One saved change of a record, as the case view's history lists it.

    Attributes:
        change_id: ``device:counter``.
        device_id: The device that saved it (``district`` for staff follow-ups).
        author: Who saved it: the account on that device, ``staff:<name>`` for staff.
        saved_at: When it was saved, by the saving device's clock (UTC).
        received_at: When the district stored it (UTC).
        paths: The fields it changed.
    """

    change_id: str
    device_id: str
    author: str
    saved_at: datetime
    received_at: datetime
    paths: tuple[str, ...]


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
        history: Every change of the record, oldest first (filled when a staff member
            reads the record).
    """

    record_id: str
    kind: str
    code: str | None
    village: str
    document: dict[str, Any]
    conflicts: tuple[str, ...]
    base: tuple[str, ...]
    deleted: bool
    history: tuple[HistoryEntry, ...] = ()


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


@dataclass(frozen=True)
class BundlePreview:
    """What can be known of a file before importing it (nothing is stored).

    Attributes:
        file_kind: ``village_bundle``, ``return_bundle``, ``receipt``, ``enrollment_answer``,
            ``enrollment_file`` or ``unknown``.
        signature: ``valid`` when the bundle opened with a trusted, non-revoked device key
            and names its signer as sender; else the stable code the import would reject it
            with (``tampered``, ``truncated``, ``not_for_us``, ``unknown_sender``,
            ``device_revoked``, ``sender_mismatch``, ``wrong_kind``, ``too_large``…);
            ``not_a_bundle`` for any other file.
        bundle_id: The bundle's id, if it opened (or was imported before).
        device_id: The sending device, if known (also for a revoked one).
        village: Its village code, if known.
        village_name: Its village name, if known.
        created_at: When the laptop made the bundle (UTC), if it opened.
        period_from: Earliest report / event date of its records (ISO), else the creation
            date.
        period_to: Latest one, likewise.
        cases: Distinct case records it carries changes of.
        outreach: Distinct outreach records.
        changes: Changes it carries.
        already_imported: The very same file, or a bundle of the device with the same id,
            was imported before.
    """

    file_kind: str
    signature: str
    bundle_id: str | None = None
    device_id: str | None = None
    village: str | None = None
    village_name: str | None = None
    created_at: datetime | None = None
    period_from: str | None = None
    period_to: str | None = None
    cases: int = 0
    outreach: int = 0
    changes: int = 0
    already_imported: bool = False


@dataclass(frozen=True)
class StaffImport:
    """An import made for a staff member: the outcome and what goes back to the laptop.

    Attributes:
        result: The import's outcome (with the receipt unless rejected).
        return_bundle: A return bundle for the sending device (everything of its village it
            should hold, cumulative), or ``None`` when rejected or nothing is due.
        village: The sending device's village code, if the device is known.
        village_name: Its name, if known.
    """

    result: ImportResult
    return_bundle: bytes | None = None
    village: str | None = None
    village_name: str | None = None
