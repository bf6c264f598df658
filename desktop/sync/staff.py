"""The HTTP client of the district server's staff API, for the desktop district mode (no Qt).

Sign in, the cross-village case table, case view and follow-up, bundles from a flash drive
(preview and import), enrollment answers, devices, enrollment codes and files, the audit log
and the reports. Built on :class:`~desktop.sync.client.SyncClient`'s plumbing: one
``requests.Session``, explicit ``(connect, read)`` timeouts, typed failures —
:class:`~desktop.sync.errors.OfflineError` when the server cannot be reached,
:class:`~desktop.sync.errors.ServerRefusedError` with the server's code for a refusal, and
:class:`SessionExpiredError` (code ``session_expired``) when the session ended (expired,
signed out elsewhere, account disabled), so the UI can go back to the sign-in screen.

Answers are frozen dataclasses; a malformed answer is a
:class:`~desktop.sync.errors.ServerError`.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Literal, TypeVar
from urllib.parse import quote

import requests

from desktop.sync.client import DEFAULT_TIMEOUT, SyncClient
from desktop.sync.errors import ServerError, ServerRefusedError

__all__ = [
    "SESSION_EXPIRED",
    "AuditEntry",
    "BundlePreview",
    "Device",
    "Enrollment",
    "EnrollmentAnswer",
    "HistoryEntry",
    "ImportCounts",
    "ImportOutcome",
    "RecordDetail",
    "RecordPage",
    "RecordSummary",
    "SessionExpiredError",
    "StaffClient",
    "StaffMember",
]

SESSION_EXPIRED: Final = "session_expired"
"""Reason of :class:`SessionExpiredError`: sign in again."""

RecordSort = Literal["reported", "code", "village", "status", "updated"]
ReportFormat = Literal["csv", "xlsx"]

# What the server answers when a bearer session is missing, unknown or over.
_SESSION_CODES: Final = frozenset({"session_expired", "unauthorized"})
_OCTETS: Final = {"Content-Type": "application/octet-stream"}

T = TypeVar("T")


class SessionExpiredError(ServerRefusedError):
    """The staff session is over (expired, signed out, account disabled): sign in again."""

    def __init__(self) -> None:
        super().__init__(SESSION_EXPIRED, 401)


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class StaffMember:
    """The signed-in staff member: account name and role (``admin``, ``staff``, ``viewer``)."""

    name: str
    role: str


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """One row of the district case table (plaintext columns only; see ``GET /v1/records``)."""

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
    reported_on: str | None
    needs_review: bool
    police_due: datetime | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class RecordPage:
    """One page of the case table and how many records match the filters in all."""

    records: tuple[RecordSummary, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One saved change of a record: who, on which device, when, which fields."""

    change_id: str
    device_id: str
    author: str
    saved_at: datetime
    received_at: datetime
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecordDetail:
    """A decrypted record (the read is audited); pass ``base`` back with a follow-up."""

    record_id: str
    kind: str
    code: str | None
    village: str
    document: dict[str, Any]
    conflicts: tuple[str, ...]
    base: tuple[str, ...]
    deleted: bool
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True, slots=True)
class Device:
    """An enrolled laptop as the devices page lists it."""

    device_id: str
    village: str
    village_name: str | None
    sign_key_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_bundle_at: datetime | None
    last_contact_at: datetime | None
    highest_sequence: int
    announced_counter: int | None
    held_counter: int
    pending_estimate: int | None


@dataclass(frozen=True, slots=True)
class Enrollment:
    """A one-time enrollment code (shown once)."""

    code: str
    village: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit log entry (codes and counts only)."""

    at: datetime
    actor: str
    action: str
    record_id: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class BundlePreview:
    """What a file is and what importing it would do (``POST /v1/staff/bundles/preview``).

    ``signature`` is ``valid`` or the code the import would refuse the file with.
    """

    file_kind: str
    signature: str
    bundle_id: str | None
    device_id: str | None
    village: str | None
    village_name: str | None
    created_at: datetime | None
    period_from: str | None
    period_to: str | None
    cases: int
    outreach: int
    changes: int
    already_imported: bool


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What an import added (for ``already_imported``: what the first import added)."""

    cases: int
    outreach: int
    changes: int


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The outcome of importing one file: ``imported``, ``already_imported`` or ``rejected``
    with ``reason``; the receipt and return bundle to write back beside the file."""

    status: str
    reason: str | None
    bundle_id: str | None
    device_id: str | None
    village: str | None
    village_name: str | None
    counts: ImportCounts
    rejected_changes: tuple[tuple[str, str], ...]
    receipt: bytes | None
    return_bundle: bytes | None


@dataclass(frozen=True, slots=True)
class EnrollmentAnswer:
    """A laptop registered from its answer file (``enrolled`` or ``already_enrolled``)."""

    status: str
    device_id: str
    village: str
    village_name: str | None


# --------------------------------------------------------------------------- the client


class StaffClient(SyncClient):
    """Calls of a district staff member to one district server.

    Args:
        server_url: The server URL (``https://host[:port]``).
        token: A session token from an earlier :meth:`login` (else sign in first).
        timeout: ``(connect, read)`` seconds for every request.
        session: A ``requests.Session`` to use (one is made otherwise).
    """

    def __init__(
        self,
        server_url: str,
        *,
        token: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(server_url, token=token, timeout=timeout, session=session)

    # ------------------------------------------------------------------ session

    def login(self, name: str, password: str) -> StaffMember:
        """Sign in; the session token is kept for the next calls.

        Raises:
            ServerRefusedError: ``bad_credentials``, ``too_many_logins``…
        """
        data = self._json(
            "POST", "/v1/staff/login", auth=False, json={"name": name, "password": password}
        )
        try:
            self.token = str(data["token"])
            return StaffMember(str(data["name"]), str(data["role"]))
        except KeyError:
            raise ServerError(200, "malformed sign-in answer") from None

    def logout(self) -> None:
        """Sign out (a session that already ended is fine); the token is forgotten."""
        try:
            if self.token:
                self._request("POST", "/v1/staff/logout")
        except SessionExpiredError:
            pass
        finally:
            self.token = None

    def me(self) -> StaffMember:
        """Who the session belongs to."""
        data = self._json("GET", "/v1/staff/me")
        return _parse(StaffMember, data)

    # ------------------------------------------------------------------ cases

    def list_records(
        self,
        *,
        kind: str | None = None,
        village: str | None = None,
        kecamatan: str | None = None,
        status: str | None = None,
        violence_type: str | None = None,
        tppo: bool | None = None,
        reported_from: date | None = None,
        reported_to: date | None = None,
        needs_review: bool | None = None,
        overdue: bool | None = None,
        q: str | None = None,
        sort: RecordSort = "reported",
        limit: int = 100,
        offset: int = 0,
    ) -> RecordPage:
        """One page of the cross-village case table (filters combine; ``None`` = any).

        ``q`` searches record codes and ids only: names are sealed on the server.
        """
        params: dict[str, str | int] = {"sort": sort, "limit": limit, "offset": offset}
        texts = {"kind": kind, "village": village, "kecamatan": kecamatan, "status": status}
        texts |= {"violence_type": violence_type, "q": q}
        params |= {k: v for k, v in texts.items() if v is not None}
        flags = {"tppo": tppo, "needs_review": needs_review, "overdue": overdue}
        params |= {k: "true" if v else "false" for k, v in flags.items() if v is not None}
        days = {"reported_from": reported_from, "reported_to": reported_to}
        params |= {k: v.isoformat() for k, v in days.items() if v is not None}
        data = self._json("GET", "/v1/records", params=params)
        return _parse(RecordPage, data)

    def read_record(self, record_id: str) -> RecordDetail:
        """One decrypted record with its history (the read is audited)."""
        return _parse(RecordDetail, self._json("GET", f"/v1/records/{_segment(record_id)}"))

    def save_followup(
        self,
        record_id: str,
        document: Mapping[str, Any],
        *,
        base: Sequence[str],
        resolve: Iterable[str] = (),
    ) -> RecordDetail:
        """Save a follow-up (status, services, referrals, notes) as a change authored by the
        signed-in member (roles ``staff`` and ``admin``).

        Args:
            record_id: The record.
            document: The whole edited document.
            base: :attr:`RecordDetail.base` of the version the edit was made from.
            resolve: Conflicting paths this save settles.

        Raises:
            ServerRefusedError: ``access_denied`` (viewer), ``validation_failed``…
        """
        data = self._json(
            "POST",
            f"/v1/records/{_segment(record_id)}/followup",
            json={"document": dict(document), "base": list(base), "resolve": list(resolve)},
        )
        return _parse(RecordDetail, data)

    def audit(self, record_id: str | None = None, *, limit: int = 1000) -> list[AuditEntry]:
        """The newest audit entries, of one record or all (``admin``)."""
        params: dict[str, str | int] = {"limit": limit}
        if record_id is not None:
            params["record_id"] = record_id
        data = self._json("GET", "/v1/audit", params=params)
        return _parse_list(AuditEntry, data.get("entries"))

    # ------------------------------------------------------------------ bundles

    def preview_bundle(self, data: bytes) -> BundlePreview:
        """What a file is and what importing it would do (nothing is stored)."""
        answer = self._json("POST", "/v1/staff/bundles/preview", data=data, headers=_OCTETS)
        return _parse(BundlePreview, answer)

    def import_bundle(self, data: bytes) -> ImportOutcome:
        """Import a bundle (all in or all out); a refused file is an outcome, not an error."""
        answer = self._json("POST", "/v1/staff/bundles/import", data=data, headers=_OCTETS)
        try:
            return ImportOutcome(
                status=str(answer["status"]),
                reason=_optional_str(answer.get("reason")),
                bundle_id=_optional_str(answer.get("bundle_id")),
                device_id=_optional_str(answer.get("device_id")),
                village=_optional_str(answer.get("village")),
                village_name=_optional_str(answer.get("village_name")),
                counts=_parse(ImportCounts, answer["counts"]),
                rejected_changes=tuple(
                    (str(r["change_id"]), str(r["reason"])) for r in answer["rejected_changes"]
                ),
                receipt=_optional_bytes(answer.get("receipt")),
                return_bundle=_optional_bytes(answer.get("return_bundle")),
            )
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise ServerError(200, "malformed import answer") from None

    def import_enrollment_answer(self, data: bytes) -> EnrollmentAnswer:
        """Register a laptop from its ``*.simpul-enroll`` answer file (``admin``)."""
        answer = self._json("POST", "/v1/staff/enrollment-answers", data=data, headers=_OCTETS)
        return _parse(EnrollmentAnswer, answer)

    # ------------------------------------------------------------------ devices

    def devices(self) -> list[Device]:
        """Every enrolled laptop, revoked ones too (``admin`` and ``staff``)."""
        return _parse_list(Device, self._json("GET", "/v1/devices").get("devices"))

    def revoke_device(self, device_id: str) -> Device:
        """Revoke a laptop: its token and its bundles are refused from now on (``admin``)."""
        return _parse(Device, self._json("POST", f"/v1/devices/{_segment(device_id)}/revoke"))

    def create_enrollment(self, village: str, ttl_hours: float = 72) -> Enrollment:
        """A one-time enrollment code for a laptop of ``village`` (``admin``)."""
        data = self._json(
            "POST", "/v1/enrollments", json={"village": village, "ttl_hours": ttl_hours}
        )
        return _parse(Enrollment, data)

    def enrollment_file(
        self, village: str, ttl_hours: float = 72, server_url: str | None = None
    ) -> bytes:
        """An enrollment file for a village with no internet (``admin``): its bytes."""
        answer = self._request(
            "POST",
            "/v1/enrollments/file",
            json={"village": village, "ttl_hours": ttl_hours, "server_url": server_url},
        )
        return bytes(answer.content)

    # ------------------------------------------------------------------ reports

    def report(self, period: str, *, share: bool = False, lang: str = "id") -> dict[str, Any]:
        """The monthly (``YYYY-MM``) or yearly (``YYYY``) report as the server's JSON."""
        return self._json("GET", "/v1/reports", params=_report_params(period, share, lang))

    def report_export(
        self, period: str, fmt: ReportFormat, *, share: bool = False, lang: str = "id"
    ) -> bytes:
        """The report as a CSV or XLSX file's bytes."""
        params = _report_params(period, share, lang) | {"format": fmt}
        return bytes(self._request("GET", "/v1/reports/export", params=params).content)

    # ------------------------------------------------------------------ plumbing

    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Any:
        """:meth:`SyncClient._request`; a refused session becomes :class:`SessionExpiredError`
        (and the token is forgotten)."""
        try:
            return super()._request(method, path, auth=auth, **kwargs)
        except ServerRefusedError as exc:
            if auth and exc.reason in _SESSION_CODES:
                self.token = None
                raise SessionExpiredError() from None
            raise

    def _json(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> dict[str, Any]:
        answer = self._request(method, path, auth=auth, **kwargs)
        try:
            data = answer.json()
        except ValueError:
            raise ServerError(answer.status_code, "not JSON") from None
        if not isinstance(data, dict):
            raise ServerError(answer.status_code, "not a JSON object")
        return data


# --------------------------------------------------------------------------- parsing


def _segment(text: str) -> str:
    """One path segment (an id), percent-encoded."""
    return quote(text, safe="")


def _report_params(period: str, share: bool, lang: str) -> dict[str, str]:
    return {"period": period, "share": "true" if share else "false", "lang": lang}


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _optional_bytes(value: object) -> bytes | None:
    return None if value is None else base64.b64decode(str(value), validate=True)


def _convert(kind: Any, value: Any) -> Any:
    """A JSON value as the annotated type of a dataclass field."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
        origin = typing.get_origin(kind)
    if kind is datetime:
        return datetime.fromisoformat(str(value))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _parse(kind, value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_convert(item, v) for v in value)
    if kind in (str, int, bool) and not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}")
    if origin is dict and not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


_FIELD_TYPES: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _field_types(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """A dataclass's field names with their resolved annotations, resolved once per class:
    ``get_type_hints`` evaluates every annotation, too slow to repeat for each row."""
    known = _FIELD_TYPES.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls)
        known = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))
        _FIELD_TYPES[cls] = known
    return known


def _parse(cls: type[T], data: object) -> T:
    """Build a frozen answer dataclass from a JSON object.

    Raises:
        ServerError: A field is missing or of the wrong type.
    """
    try:
        if not isinstance(data, dict):
            raise TypeError("expected an object")
        values = {name: _convert(kind, data[name]) for name, kind in _field_types(cls)}
        return cls(**values)
    except (KeyError, TypeError, ValueError, StopIteration):
        raise ServerError(200, f"malformed {cls.__name__} answer") from None


def _parse_list(cls: type[T], data: object) -> list[T]:
    if not isinstance(data, list):
        raise ServerError(200, f"malformed {cls.__name__} list")
    return [_parse(cls, item) for item in data]
