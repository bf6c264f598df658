"""The district server's core: enrollment, bundle import, return bundles, staff, backups.

Plain Python (no HTTP, no Qt): the HTTP API and the admin CLI are thin layers over
:class:`District`. Every expected failure is a :class:`simpul.errors.UserError` with a stable
code; import problems with a bundle are not exceptions but an :class:`ImportResult` with
status ``rejected`` and a reason code.

Import, in order (DESIGN.md §5): size cap; open the bundle with the district key, trusting the
signing keys of enrolled, non-revoked devices; check that the signer is the device the bundle
names and that every change is of a record of that device's village; then, in ONE write
transaction (serialized per village, see :mod:`district.db`): store the changes it does not
hold yet (unique on ``(device_id, counter)``: an import that loses a race to store the same
change is run again), re-materialize the records they touch with the merge rule, compute and
sign the receipt and store it with the bundle id; commit; only then hand the receipt out.
Importing the same bundle again finds its id and returns the stored receipt, byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import operator
import os
import re
import secrets
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import QueryableAttribute, Session, sessionmaker

from district import db
from district.actors import MAX_ACTOR_CHARS, SYSTEM_ACTOR, device_actor, staff_actor
from district.backup import backup_database, restore_database
from district.config import DistrictConfig
from district.errors import (
    AccessDeniedError,
    BadCredentialsError,
    DatabaseBusyError,
    DeviceExistsError,
    DeviceRevokedError,
    DistrictUserError,
    EnrollmentAnswerError,
    EnrollmentCodeError,
    InvalidKeyError,
    RecordNotFoundError,
    SessionExpiredError,
    UnknownDeviceError,
    UnknownRoleError,
    UserExistsError,
    ValidationFailedError,
    WeakPasswordError,
)
from district.keys import (
    FLOOR,
    DistrictKeys,
    KdfCost,
    PublicKeys,
    create_keys,
    derive_password_key,
    load_keys,
    read_public_keys,
)
from district.materialize import (
    DERIVED_REV,
    DISTRICT_TZ,
    ROW_COLUMNS,
    Materialized,
    materialize,
    materialize_flat,
    materialize_history,
)
from district.models import (
    AuditEntry,
    BundleSeen,
    ChangeRow,
    Counter,
    DeviceRow,
    EnrollmentRow,
    RecordRow,
    RecordVictims,
    RecordViolenceType,
    StaffSession,
    StaffUser,
)
from district.prepare import PreparedChange, PrepareHelper
from district.sealing import CorruptDataError, Sealer, change_ad, keyed_digest, record_ad
from district.views import (
    ROLES,
    AuditView,
    BundlePreview,
    DeviceCredentials,
    DeviceView,
    Enrollment,
    HistoryEntry,
    ImportCounts,
    ImportResult,
    RecordDetail,
    RecordPage,
    RecordSort,
    RecordSummary,
    Role,
    StaffImport,
    StaffView,
)
from simpul import jsonio
from simpul.bundle import (
    DEFAULT_LIMITS,
    MAGIC,
    RECEIPT_MAGIC,
    SUITE_V1,
    WRITE_SUITE,
    BundlePayload,
    BundleRejectedError,
    DeviceAck,
    KeyFormatError,
    Limits,
    OpenedBundle,
    PublicEncryptionKey,
    PublicSigningKey,
    Receipt,
    RejectedChange,
    RejectionCode,
    VerifiedBundle,
    peek_suite,
    seal_bundle,
    sign_receipt,
    split_compressed,
    verify_bundle,
)
from simpul.changes import (
    DELETED,
    Change,
    ChangeError,
    ChangeFormatError,
    ChangeId,
    FieldEdit,
    Hlc,
    HybridClock,
    RecordState,
    diff_edits,
)
from simpul.gcpause import gc_paused
from simpul.records import (
    ITEM_LISTS,
    RECORD_KINDS,
    MalformedDocumentError,
    UnknownVillageError,
    assign_item_ids,
    flatten,
    load_regions,
    unflatten,
    validate,
)
from simpul.records.derived import parse_date

__all__ = ["DISTRICT_DEVICE", "District"]

DISTRICT_DEVICE: Final = "district"
"""Device id of the changes district staff save (the ``device`` of their change ids)."""

MAX_IMPORT_BYTES: Final = 16 * 1024 * 1024
"""Largest bundle :meth:`District.import_bundle` reads (DESIGN.md §5: bundles are a few MiB)."""

RETURN_BUNDLE_BYTES: Final = 4 * 1024 * 1024
"""Size cap of one return bundle; a larger backlog comes over several pulls."""

SESSION_HOURS: Final = 8.0
MIN_PASSWORD_CHARS: Final = 12

_CODE_CHARS: Final = 10  # 50 bits: one-time, expiring, and checked only online or by the admin
_CODE_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CODE_TRANSLATION: Final = str.maketrans({"0": "O", "1": "I", "8": "B", "-": None, " ": None})
_DEVICE_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")
_STORE_KEYS: Final = frozenset({"id", "kind", "code", "_base"})
_IN_CHUNK: Final = 500  # bound IN lists (SQLite's default limit of host parameters is 32,766)
_IMPORT_CHUNK: Final = 5000  # the lookups of an import of thousands of changes: fewer round trips
_RETRIES: Final = 8
_RETURN_BATCH: Final = 5000  # changes read per pull; the cursor brings the rest
_SEEN_RESOLUTION: Final = timedelta(minutes=1)
_MAX_TTL_HOURS: Final = 24 * 30
_CHANGE_COUNTER: Final = "district_change"
_RETURN_SEQUENCE: Final = "return_sequence"

T = TypeVar("T")

_CHANGES = cast(sa.Table, ChangeRow.__table__)
_RECORDS = cast(sa.Table, RecordRow.__table__)
_VIOLENCE_TYPES = cast(sa.Table, RecordViolenceType.__table__)
_VICTIMS = cast(sa.Table, RecordVictims.__table__)
_CHANGE_COLUMNS: Final = (
    "device_id",
    "counter",
    "record_id",
    "kind",
    "hlc",
    "digest",
    "sealed",
    "received_at",
)
_RECORD_COLUMNS: Final = ("record_id", *ROW_COLUMNS, "updated_at", "sealed")
_ROW_VALUES = operator.itemgetter(*ROW_COLUMNS)
_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TYPE_SIZE = re.compile(r"\(.*\)")  # VARCHAR(128) → VARCHAR: a type name COPY knows


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(change: Change) -> bytes:
    """The change's wire form (``Change.to_json``) as compact, key-sorted UTF-8 JSON.

    What the change log stores (sealed) and digests. A change opened from a bundle already
    holds these bytes (:meth:`Change.to_json_bytes`), so imports do not encode it again.

    Raises:
        UnicodeEncodeError: A string holds a lone surrogate (not storable as UTF-8 text).
    """
    return change.to_json_bytes()


def _chunks(items: Sequence[T], size: int = _IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _among(
    session: Session, column: QueryableAttribute[Any], values: Sequence[Any]
) -> sa.ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(array)``.

    An import looks up thousands of ids at once: PostgreSQL then gets one array parameter
    instead of a statement with thousands of parameters to parse and plan.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(values), type_=pg.ARRAY(column.type)))
    return column.in_(values)


def _is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its canonical form (``str(uuid.UUID(text)) == text``)."""
    return _UUID_TEXT.fullmatch(text) is not None


def _village_name(village: str) -> str | None:
    try:
        return load_regions().village(village).name
    except UnknownVillageError:
        return None


def _held_counter(session: Session, device_id: str) -> int:
    """The highest counter of a device's changes the district stores (0 for none)."""
    value = session.scalar(
        sa.select(sa.func.max(ChangeRow.counter)).where(ChangeRow.device_id == device_id)
    )
    return int(value or 0)


def _device_view(row: DeviceRow, *, held_counter: int = 0) -> DeviceView:
    return DeviceView(
        device_id=row.id,
        village=row.village,
        sign_key_id=row.sign_key_id,
        enrolled_at=row.enrolled_at,
        revoked_at=row.revoked_at,
        last_seen_at=row.last_seen_at,
        last_bundle_at=row.last_bundle_at,
        highest_sequence=row.highest_sequence,
        village_name=_village_name(row.village),
        announced_counter=row.announced_counter,
        held_counter=held_counter,
    )


def _already(seen: BundleSeen) -> ImportResult:
    return ImportResult(
        "already_imported",
        bundle_id=seen.bundle_id,
        device_id=seen.device_id,
        counts=ImportCounts(seen.cases, seen.outreach, seen.changes),
        receipt=seen.receipt,
    )


ANSWER_FORMAT = "simpul-enrollment-answer"
"""``format`` of the answer file a laptop writes after importing an enrollment file."""


@dataclass
class _Opening:
    """A bundle file opened with the district key, or why it did not open.

    ``device`` is the enrolled device whose key signed it; ``revoked`` the revoked device
    whose key signed it when that is why it was refused.
    """

    opened: OpenedBundle | None = None
    device: DeviceRow | None = None
    reason: str | None = None
    revoked: DeviceRow | None = None
    verified: VerifiedBundle | None = None


_PERIOD_FIELDS: Final = frozenset({"reported_on", "held_on"})
_ANSWER_FORMATS: Final = {
    "simpul-enrollment-answer": "enrollment_answer",
    "simpul-enrollment": "enrollment_file",
}


def _file_kind(data: bytes) -> str:
    """What a file is, from its first bytes: a bundle, a receipt, an enrollment file…"""
    if data.startswith(MAGIC):
        return "bundle"
    if data.startswith(RECEIPT_MAGIC):
        return "receipt"
    if data.lstrip()[:1] == b"{" and len(data) <= 1024 * 1024:
        try:
            doc = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return "unknown"
        if isinstance(doc, dict):
            return _ANSWER_FORMATS.get(str(doc.get("format")), "unknown")
    return "unknown"


def _bundle_period(opened: OpenedBundle) -> tuple[str, str]:
    """Earliest and latest report / event date its changes set, else its creation date."""
    days = sorted(
        day.isoformat()
        for change in opened.changes
        for edit in change.edits
        if edit.path in _PERIOD_FIELDS and (day := parse_date(edit.value)) is not None
    )
    if days:
        return days[0], days[-1]
    created = datetime.fromtimestamp(opened.created_at / 1000, DISTRICT_TZ).date().isoformat()
    return created, created


class _BundleRejected(Exception):
    """Internal: the bundle as a whole is refused with ``reason`` (nothing was written)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Plan:
    """What one import will write, worked out inside the transaction before any write."""

    new: list[PreparedChange]
    rejected: list[RejectedChange]
    rows: dict[str, Materialized]
    encoded: dict[ChangeId, bytes]
    digests: dict[ChangeId, bytes]
    present: set[str]  # record ids of ``rows`` that already have a row


class District:
    """An unlocked district server: its keys and its database.

    Make one with :meth:`init` (a new data directory) or :meth:`open`. Thread-safe: every
    method opens its own sessions, so the HTTP server's worker threads share one instance.
    """

    def __init__(
        self,
        config: DistrictConfig,
        keys: DistrictKeys,
        *,
        now: Callable[[], datetime] | None = None,
        password_cost: KdfCost = FLOOR,
        limits: Limits = DEFAULT_LIMITS,
        helper: bool = False,
    ) -> None:
        """Open the database (upgrading its schema) with already unlocked keys.

        Prefer :meth:`init` and :meth:`open`.

        Args:
            config: Data directory and database URL.
            keys: The unlocked district keys.
            now: Clock for expiry times (tests pass a fake one); UTC-aware.
            password_cost: Argon2id cost for new staff passwords (never below the floor).
            limits: Size caps for opening bundles.
            helper: Start a helper process that prepares half of every big bundle on
                another core (:mod:`district.prepare`): the server and the CLI's import do.
        """
        if not password_cost.at_least_floor():
            raise ValueError(f"password cost {password_cost} is below the RFC 9106 floor")
        self.config = config
        self._keys = keys
        self._now = now or _utcnow
        self._password_cost = password_cost
        self._limits = limits
        self._engine = db.create_engine(config)
        db.upgrade(self._engine)
        self._read: sessionmaker[Session] = db.make_sessions(self._engine)
        self._write_sessions: sessionmaker[Session] = db.make_sessions(self._engine, write=True)
        self._changes = Sealer(keys.subkey("db/changes"))
        self._records = Sealer(keys.subkey("db/records"))
        self._digest_key = keys.subkey("db/change-digest")
        self._code_key = keys.subkey("enrollment-code")
        self._backup_key = keys.subkey("backup")
        self._backup_lock = threading.Lock()
        self._helper = PrepareHelper()
        self._refresh_derived()
        if helper:
            self._helper.start()

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def init(
        cls, config: DistrictConfig, passphrase: str, *, now: Callable[[], datetime] | None = None
    ) -> District:
        """Set up a new district: data directory, keys, database.

        Args:
            config: Where to put it.
            passphrase: The server passphrase (at least 12 characters).
            now: Clock (tests).

        Returns:
            The open district.

        Raises:
            AlreadyInitializedError: The data directory already has a key file.
            WeakPasswordError: The passphrase is too short.
        """
        config.data_dir.mkdir(parents=True, exist_ok=True)
        if os.name != "nt":
            config.data_dir.chmod(0o700)
        keys = create_keys(config.keys_path, passphrase)
        return cls(config, keys, now=now)

    @classmethod
    def open(
        cls,
        config: DistrictConfig,
        passphrase: str,
        *,
        now: Callable[[], datetime] | None = None,
        helper: bool = False,
    ) -> District:
        """Open an existing district with its server passphrase.

        Args:
            config: Where it is.
            passphrase: The server passphrase.
            now: Clock (tests).
            helper: Start the helper process for big imports (see :meth:`__init__`).

        Raises:
            NotInitializedError: No district in the data directory.
            WrongPassphraseError: The passphrase is wrong.
        """
        return cls(config, load_keys(config.keys_path, passphrase), now=now, helper=helper)

    @staticmethod
    def public_keys(config: DistrictConfig) -> PublicKeys:
        """Read the district's public keys without the passphrase."""
        return read_public_keys(config.keys_path)

    @property
    def keys(self) -> PublicKeys:
        """The district's public keys."""
        return self._keys.public

    def helper_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the helper process for big imports has started (``False``: none)."""
        return self._helper.wait_ready(timeout)

    def close(self) -> None:
        """Release the database connections and stop the helper process."""
        self._helper.close()
        self._engine.dispose()

    def __enter__(self) -> District:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refresh_derived(self) -> int:
        """Derive again the plain columns of rows made by older rules (``derived_rev``).

        Rows stored before a migration added a derived column (the report date and police
        deadline of migration 0004) get it from their sealed document here, in batches; a
        no-op when every row is current. Returns how many rows were refreshed.
        """
        refreshed = 0
        while True:
            with self._write() as session:
                rows = session.execute(
                    sa.select(
                        RecordRow.record_id,
                        RecordRow.kind,
                        RecordRow.village,
                        RecordRow.updated_hlc,
                        RecordRow.sealed,
                    )
                    .where(RecordRow.derived_rev < DERIVED_REV)
                    .limit(_IN_CHUNK)
                ).all()
                if not rows:
                    return refreshed
                for rid, kind, village, updated_hlc, sealed in rows:
                    try:
                        data = jsonio.loads(self._records.open(sealed, ad=record_ad(rid)))
                    except CorruptDataError:
                        # Damaged: reading it says so; its derived columns stay empty.
                        data = {"flat": {}, "conflicts": [], "base": []}
                    columns = materialize_flat(
                        kind,
                        data["flat"],
                        village,
                        conflicts=data["conflicts"],
                        base=[ChangeId.parse(b) for b in data["base"]],
                        updated=Hlc.decode(updated_hlc),
                    ).columns
                    session.execute(
                        sa.update(RecordRow)
                        .where(RecordRow.record_id == rid)
                        .values(
                            reported_on=columns["reported_on"],
                            police_due=columns["police_due"],
                            derived_rev=DERIVED_REV,
                        )
                    )
                refreshed += len(rows)

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._write_sessions.begin() as session:
                yield session
        except sa.exc.OperationalError as exc:
            if db.is_retryable(exc):
                raise DatabaseBusyError() from exc
            raise

    def _retrying(self, action: Callable[[], T]) -> T:
        """Run a write transaction again when it lost a race (unique or serialization)."""
        for attempt in range(_RETRIES):
            try:
                return action()
            except sa.exc.DBAPIError as exc:
                if not db.is_retryable(exc) or attempt == _RETRIES - 1:
                    if db.is_retryable(exc):
                        raise DatabaseBusyError() from exc
                    raise
            except DatabaseBusyError:
                if attempt == _RETRIES - 1:
                    raise
            time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + secrets.randbelow(1000) / 1000))
        raise AssertionError("unreachable")  # pragma: no cover

    def _audit(
        self,
        session: Session,
        actor: str,
        action: str,
        *,
        record_id: str | None = None,
        detail: str | None = None,
    ) -> None:
        session.add(
            AuditEntry(
                at=self._now(),
                actor=actor[:MAX_ACTOR_CHARS],
                action=action,
                record_id=record_id,
                detail=detail,
            )
        )

    def _bump(self, session: Session, name: str) -> int:
        """Return the next value of a named counter (held until the transaction ends)."""
        value = session.execute(
            sa.update(Counter)
            .where(Counter.name == name)
            .values(value=Counter.value + 1)
            .returning(Counter.value)
        ).scalar_one()
        return int(value)

    # ------------------------------------------------------------------ enrollment

    def _code_hash(self, code: str) -> str:
        text = unicodedata.normalize("NFKC", code).upper().translate(_CODE_TRANSLATION)
        return hmac.new(self._code_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def create_enrollment(
        self,
        village: str,
        *,
        ttl_hours: float = 72,
        actor: str = SYSTEM_ACTOR,
    ) -> Enrollment:
        """Make a one-time enrollment code for a laptop of ``village``.

        Args:
            village: Kemendagri village code, e.g. ``33.27.08.2012``.
            ttl_hours: How long the code works.
            actor: Who asks, for the audit log (``staff:<name>``, ``cli:<user>``).

        Returns:
            The code (shown once; only its HMAC is stored), village and expiry.

        Raises:
            UnknownVillageError: ``village`` is not a village of Kabupaten Pemalang.
        """
        return self._new_enrollment(village, ttl_hours, actor, "enrollment_code")

    def _new_enrollment(
        self, village: str, ttl_hours: float, actor: str, action: str
    ) -> Enrollment:
        load_regions().village(village)
        if not 0 < ttl_hours <= _MAX_TTL_HOURS:
            raise DistrictUserError(
                "invalid_ttl",
                "An enrollment code lasts more than 0 and at most {max_hours} hours.",
                max_hours=_MAX_TTL_HOURS,
            )
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_CHARS))
        code = f"{raw[:5]}-{raw[5:]}"
        now = self._now()
        expires = now + timedelta(hours=ttl_hours)
        with self._write() as session:
            session.add(
                EnrollmentRow(
                    code_hash=self._code_hash(code),
                    village=village,
                    created_at=now,
                    expires_at=expires,
                )
            )
            self._audit(session, actor, action, detail=f"village={village}")
        return Enrollment(code, village, expires)

    def enrollment_file(
        self,
        village: str,
        *,
        ttl_hours: float = 72,
        server_url: str | None = None,
        actor: str = SYSTEM_ACTOR,
    ) -> bytes:
        """Make an enrollment file: a one-time code plus the district's public keys.

        For a village with no internet: the laptop imports the file (pinning the district keys)
        and answers with its own public keys and the code, carried back by hand.

        Args:
            village: Village code.
            ttl_hours: How long the code works.
            server_url: The server's URL if the village may later sync online.
            actor: Who asks, for the audit log.

        Returns:
            UTF-8 JSON: ``format``, ``version``, ``code``, ``village``, ``village_name``,
            ``expires_at``, ``server_url`` and ``district`` (base64 public keys and key ids).
        """
        enrollment = self._new_enrollment(village, ttl_hours, actor, "enrollment_file")
        public = self._keys.public
        doc = {
            "format": "simpul-enrollment",
            "version": 1,
            "code": enrollment.code,
            "village": village,
            "village_name": load_regions().village(village).name,
            "expires_at": enrollment.expires_at.isoformat(),
            "server_url": server_url,
            "district": {
                "encryption_public": base64.b64encode(public.encryption.public_bytes()).decode(),
                "signing_public": base64.b64encode(public.signing.public_bytes()).decode(),
                "encryption_key_id": public.encryption.key_id,
                "signing_key_id": public.signing.key_id,
            },
        }
        return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")

    def enroll_answer(self, data: bytes, *, actor: str | None = None) -> tuple[str, DeviceView]:
        """Register a laptop from the answer file it wrote after importing an enrollment file.

        The answer carries the one-time code of the enrollment file, the laptop's device id and
        public keys. Importing the same answer again (the flash drive comes back twice) says
        ``already_enrolled`` and changes nothing.

        Args:
            data: The answer file's bytes (JSON, format ``simpul-enrollment-answer``).
            actor: Who brings it, for the audit log (``staff:<name>``); the enrollment itself
                is always recorded under the device.

        Returns:
            ``("enrolled" | "already_enrolled", device)``.

        Raises:
            EnrollmentAnswerError: ``answer_invalid`` (not an answer file, damaged) or
                ``answer_other_district`` (made for another district's keys).
            EnrollmentCodeError: The code is unknown, expired or already used by another laptop.
            InvalidKeyError, DeviceExistsError: As :meth:`enroll`.
        """
        try:
            doc = json.loads(data.decode("utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != ANSWER_FORMAT:
                raise ValueError("format")
            if doc.get("version") != 1:
                raise ValueError("version")
            code = str(doc["code"])
            device_id = str(doc["device_id"])
            enc_public = base64.b64decode(str(doc["device_enc_public"]), validate=True)
            sign_public = base64.b64decode(str(doc["device_sign_public"]), validate=True)
            district_key = str(doc["district_enc_key_id"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise EnrollmentAnswerError("answer_invalid") from None
        if district_key != self._keys.public.encryption.key_id:
            raise EnrollmentAnswerError("answer_other_district")
        with self._read() as session:
            existing = session.get(DeviceRow, device_id)
        if existing is not None and bytes(existing.sign_public) == sign_public:
            outcome = "already_enrolled"
        else:
            device_id = self.enroll(
                code,
                device_enc_public=enc_public,
                device_sign_public=sign_public,
                device_id=device_id,
            ).device_id
            outcome = "enrolled"
        if actor is not None:
            with self._write() as session:
                self._audit(
                    session, actor, "enrollment_answer", detail=f"{outcome} device={device_id}"
                )
        return outcome, self.device(device_id)

    def enroll(
        self,
        code: str,
        *,
        device_enc_public: bytes,
        device_sign_public: bytes,
        device_id: str | None = None,
    ) -> DeviceCredentials:
        """Enroll a laptop with a one-time code and its public keys.

        Args:
            code: The enrollment code (case, dashes, spaces and 0/1/8 look-alikes forgiven).
            device_enc_public: The device's raw public encryption key (1,216 bytes).
            device_sign_public: The device's raw public signing key (32 bytes).
            device_id: The id the device already uses in its change ids (a laptop records
                before it enrolls); a new random id if omitted.

        Returns:
            The credentials (the token is shown only now).

        Raises:
            EnrollmentCodeError: ``enrollment_code_unknown``, ``enrollment_code_expired`` or
                ``enrollment_code_used``.
            InvalidKeyError: A key is malformed.
            DeviceExistsError: The device id or signing key is already enrolled, or the id is
                malformed or reserved.
        """
        try:
            PublicEncryptionKey.from_public_bytes(device_enc_public)
        except KeyFormatError:
            raise InvalidKeyError(which="encryption") from None
        try:
            sign_key = PublicSigningKey.from_public_bytes(device_sign_public)
        except KeyFormatError:
            raise InvalidKeyError(which="signing") from None
        if device_id is None:
            device_id = secrets.token_hex(8)
        elif device_id == DISTRICT_DEVICE or _DEVICE_ID_RE.fullmatch(device_id) is None:
            raise DeviceExistsError("invalid_device_id", "The device id is not acceptable.")
        token = secrets.token_urlsafe(32)
        code_hash = self._code_hash(code)

        def run() -> DeviceCredentials:
            with self._write() as session:
                row = session.scalar(
                    sa.select(EnrollmentRow)
                    .where(EnrollmentRow.code_hash == code_hash)
                    .with_for_update()
                )
                now = self._now()
                if row is None:
                    raise EnrollmentCodeError("enrollment_code_unknown", "The code is not known.")
                if row.used_at is not None:
                    raise EnrollmentCodeError("enrollment_code_used", "The code was already used.")
                if row.expires_at <= now:
                    raise EnrollmentCodeError("enrollment_code_expired", "The code has expired.")
                taken = session.scalar(
                    sa.select(sa.func.count())
                    .select_from(DeviceRow)
                    .where(
                        sa.or_(DeviceRow.id == device_id, DeviceRow.sign_key_id == sign_key.key_id)
                    )
                )
                if taken:
                    raise DeviceExistsError()
                row.used_at = now
                row.device_id = device_id
                session.add(
                    DeviceRow(
                        id=device_id,
                        village=row.village,
                        enc_public=bytes(device_enc_public),
                        sign_public=bytes(device_sign_public),
                        sign_key_id=sign_key.key_id,
                        token_hash=_sha256_hex(token),
                        enrolled_at=now,
                        highest_sequence=0,
                    )
                )
                self._audit(
                    session, device_actor(device_id), "enroll", detail=f"village={row.village}"
                )
                village = row.village
            public = self._keys.public
            return DeviceCredentials(
                device_id=device_id,
                token=token,
                village=village,
                district_enc_public=public.encryption.public_bytes(),
                district_sign_public=public.signing.public_bytes(),
            )

        try:
            return self._retrying(run)
        except sa.exc.IntegrityError as exc:  # a concurrent enrollment took the id or key
            raise DeviceExistsError() from exc

    def authenticate_device(self, token: str) -> DeviceView:
        """Return the device a bearer token belongs to, and note that it was seen.

        Raises:
            UnknownDeviceError: No device has this token.
            DeviceRevokedError: The device was revoked.
        """
        digest = _sha256_hex(token)
        with self._read() as session:
            row = session.scalar(sa.select(DeviceRow).where(DeviceRow.token_hash == digest))
        if row is None:
            raise UnknownDeviceError()
        if row.revoked_at is not None:
            raise DeviceRevokedError()
        now = self._now()
        # At most one write a minute per device: every request authenticates, and on SQLite a
        # write waits for the one writer (an import in progress).
        if row.last_seen_at is None or now - row.last_seen_at > _SEEN_RESOLUTION:
            with self._write() as session:
                session.execute(
                    sa.update(DeviceRow).where(DeviceRow.id == row.id).values(last_seen_at=now)
                )
            row.last_seen_at = now
        return _device_view(row)

    def revoke_device(self, device_id: str, *, actor: str = SYSTEM_ACTOR) -> DeviceView:
        """Revoke a device: its token and its bundles are refused from now on.

        Args:
            device_id: The device.
            actor: Who revokes it, for the audit log.

        Raises:
            UnknownDeviceError: No such device.
        """
        with self._write() as session:
            row = session.get(DeviceRow, device_id)
            if row is None:
                raise UnknownDeviceError()
            if row.revoked_at is None:
                row.revoked_at = self._now()
                self._audit(session, actor, "revoke", detail=f"device={device_id}")
            return _device_view(row, held_counter=_held_counter(session, device_id))

    def devices(self, *, actor: str | None = None) -> list[DeviceView]:
        """Return every enrolled device (revoked ones too), by village then id.

        Args:
            actor: Who looks, for the audit log (``devices_list``); the service's own
                look-ups pass nothing and are not recorded.
        """
        query = sa.select(DeviceRow).order_by(DeviceRow.village, DeviceRow.id)
        # The highest counter stored per device, for the backlog estimate (one pass over
        # the (device_id, counter) unique index).
        held_query = sa.select(ChangeRow.device_id, sa.func.max(ChangeRow.counter)).group_by(
            ChangeRow.device_id
        )
        if actor is None:
            with self._read() as session:
                held = {d: int(c) for d, c in session.execute(held_query)}
                return [
                    _device_view(row, held_counter=held.get(row.id, 0))
                    for row in session.scalars(query)
                ]
        with self._write() as session:
            held = {d: int(c) for d, c in session.execute(held_query)}
            views = [
                _device_view(row, held_counter=held.get(row.id, 0))
                for row in session.scalars(query)
            ]
            self._audit(session, actor, "devices_list", detail=f"n={len(views)}")
            return views

    def device(self, device_id: str) -> DeviceView:
        """Return one device.

        Raises:
            UnknownDeviceError: No such device.
        """
        with self._read() as session:
            row = session.get(DeviceRow, device_id)
            if row is None:
                raise UnknownDeviceError()
            return _device_view(row, held_counter=_held_counter(session, device_id))

    # ------------------------------------------------------------------ import

    def import_bundle(
        self,
        data: bytes,
        *,
        via: str,
        pushed_by: str | None = None,
        expected_bundle_id: str | None = None,
    ) -> ImportResult:
        """Import a village bundle: verify, apply idempotently in one transaction, receipt.

        Args:
            data: The bundle file's bytes.
            via: The courier, for the record: ``http``, ``cli``, ``desktop``, ``usb``…
            pushed_by: The authenticated device that uploads the bundle (HTTP), if any: the
                bundle must be its own or one of a device of the same village (relay inside
                the village is allowed), else it is rejected as ``wrong_device``.
            expected_bundle_id: The bundle id the uploader announced (``Idempotency-Key``);
                a different id is rejected as ``idempotency_key_mismatch`` before anything
                is stored.

        Returns:
            ``imported`` (with the receipt), ``already_imported`` (the same receipt bytes as
            the first time; nothing changed) or ``rejected`` with a reason code: a
            :class:`~simpul.bundle.RejectionCode` (``tampered``, ``truncated``, ``not_for_us``,
            ``unknown_sender``…) or ``device_revoked``, ``sender_mismatch``, ``wrong_kind``,
            ``foreign_village``, ``wrong_device``, ``idempotency_key_mismatch``.

        Raises:
            DatabaseBusyError: The database stayed busy through every retry.
        """
        if len(data) > min(MAX_IMPORT_BYTES, self._limits.max_bundle_bytes):
            return ImportResult("rejected", reason=RejectionCode.TOO_LARGE.value)
        # A bundle of 5,000 cases becomes ~400,000 acyclic objects: without the cyclic
        # collector walking them again and again, the import takes a third less time.
        with gc_paused():
            return self._import(data, via, pushed_by, expected_bundle_id)

    def _import(
        self,
        data: bytes,
        via: str,
        pushed_by: str | None,
        expected_bundle_id: str | None,
    ) -> ImportResult:
        file_sha256 = hashlib.sha256(data).hexdigest()
        with self._read() as session:
            # The very same bytes were imported before: the row's device is the signer that was
            # verified then. The uploader and the announced id are checked as for a new bundle.
            seen = session.scalar(
                sa.select(BundleSeen)
                .where(BundleSeen.file_sha256 == file_sha256)
                .order_by(BundleSeen.id)
                .limit(1)
            )
            if seen is not None:
                if pushed_by is not None and not self._may_push(session, pushed_by, seen.device_id):
                    return ImportResult(
                        "rejected",
                        reason="wrong_device",
                        bundle_id=seen.bundle_id,
                        device_id=seen.device_id,
                    )
                if expected_bundle_id is not None and expected_bundle_id != seen.bundle_id:
                    return ImportResult(
                        "rejected",
                        reason="idempotency_key_mismatch",
                        bundle_id=seen.bundle_id,
                        device_id=seen.device_id,
                    )
                return _already(seen)
        opening = self._verify(data)
        if opening.verified is None or opening.device is None:
            return ImportResult("rejected", reason=opening.reason)
        opened, device = opening.verified, opening.device
        try:
            prepared = self._helper.prepare(opened.body, opened.change_count, device.village)
        except BundleRejectedError as exc:
            return ImportResult("rejected", reason=str(exc.code))
        if opened.kind != "changes":
            return self._rejected(opened, device, "wrong_kind")
        if opened.sender != device.id:
            return self._rejected(opened, device, "sender_mismatch")
        if expected_bundle_id is not None and expected_bundle_id != opened.bundle_id:
            return self._rejected(opened, device, "idempotency_key_mismatch")
        if pushed_by is not None and pushed_by != device.id:
            # Relay inside a village is allowed: a laptop may carry (push) the bundle of
            # another laptop of its own village. A bundle of another village never.
            with self._read() as session:
                if not self._may_push(session, pushed_by, device.id):
                    return self._rejected(opened, device, "wrong_device")
        try:
            return self._retrying(
                lambda: self._apply(opened, prepared, device.id, via, file_sha256)
            )
        except _BundleRejected as exc:
            return self._rejected(opened, device, exc.reason)

    def _open(self, data: bytes) -> _Opening:
        """Open a bundle with the district key, trusting enrolled, non-revoked devices' keys.

        The reason of a refusal is a :class:`~simpul.bundle.RejectionCode`, or
        ``device_revoked`` when the signing key is a revoked device's.
        """
        opening = self._verify(data)
        if opening.verified is None or opening.device is None:
            return opening
        try:
            opened = opening.verified.open()
        except BundleRejectedError as exc:
            return _Opening(reason=str(exc.code))
        return _Opening(opened, opening.device, verified=opening.verified)

    def _verify(self, data: bytes) -> _Opening:
        """:meth:`_open` without parsing the change list (``verified``, not ``opened``)."""
        signers: dict[str, DeviceRow] = {}
        revoked: list[DeviceRow] = []

        def trusted(signer_id: str) -> PublicSigningKey | None:
            with self._read() as session:
                row = session.scalar(sa.select(DeviceRow).where(DeviceRow.sign_key_id == signer_id))
            if row is None:
                return None
            if row.revoked_at is not None:
                revoked.append(row)
                return None
            signers[signer_id] = row
            return PublicSigningKey.from_public_bytes(row.sign_public)

        try:
            verified = verify_bundle(
                data, recipient=self._keys.encryption, trusted_signers=trusted, limits=self._limits
            )
        except BundleRejectedError as exc:
            if exc.code == RejectionCode.UNKNOWN_SENDER and revoked:
                return _Opening(reason="device_revoked", revoked=revoked[0])
            return _Opening(reason=str(exc.code))
        return _Opening(device=signers[verified.signer_id], verified=verified)

    def preview_bundle(self, data: bytes, *, actor: str) -> BundlePreview:
        """Say what a file is and what importing it would do, changing nothing.

        Opens (decrypts and verifies) a bundle exactly as :meth:`import_bundle` would, so the
        signature status is the import's own verdict; stores nothing but an audit entry.

        Args:
            data: The file's bytes.
            actor: Who asks, for the audit log (``staff:<name>``).

        Returns:
            The file kind, signature status, sender and village, period, counts and whether
            it was imported before (:class:`~district.views.BundlePreview`).
        """
        kind = _file_kind(data)
        preview = self._preview(data, kind)
        with self._write() as session:
            self._audit(
                session,
                actor,
                "bundle_preview",
                detail=(
                    f"kind={preview.file_kind} signature={preview.signature} "
                    f"device={preview.device_id or '-'} bundle={preview.bundle_id or '-'}"
                ),
            )
        return preview

    def _preview(self, data: bytes, kind: str) -> BundlePreview:
        if kind != "bundle":
            return BundlePreview(file_kind=kind, signature="not_a_bundle")
        if len(data) > min(MAX_IMPORT_BYTES, self._limits.max_bundle_bytes):
            return BundlePreview(
                file_kind="village_bundle", signature=RejectionCode.TOO_LARGE.value
            )
        with self._read() as session:
            seen = session.scalar(
                sa.select(BundleSeen)
                .where(BundleSeen.file_sha256 == hashlib.sha256(data).hexdigest())
                .order_by(BundleSeen.id)
                .limit(1)
            )
        opening = self._open(data)
        opened, device = opening.opened, opening.device or opening.revoked
        if device is None and seen is not None:
            with self._read() as session:
                device = session.get(DeviceRow, seen.device_id)
        base = BundlePreview(
            file_kind="village_bundle",
            signature=opening.reason or "valid",
            bundle_id=seen.bundle_id if seen is not None else None,
            device_id=device.id if device is not None else None,
            village=device.village if device is not None else None,
            village_name=_village_name(device.village) if device is not None else None,
            already_imported=seen is not None,
        )
        if opened is None or device is None:
            if seen is not None:
                base = replace(base, cases=seen.cases, outreach=seen.outreach, changes=seen.changes)
            return base
        signature = "valid"
        if opened.kind != "changes":
            signature = "wrong_kind"
        elif opened.sender != device.id:
            signature = "sender_mismatch"
        records: dict[str, str] = {change.record_id: change.kind for change in opened.changes}
        period_from, period_to = _bundle_period(opened)
        if seen is None:
            with self._read() as session:
                seen = session.scalar(
                    sa.select(BundleSeen).where(
                        BundleSeen.device_id == device.id,
                        BundleSeen.bundle_id == opened.bundle_id,
                    )
                )
        return replace(
            base,
            file_kind="village_bundle" if opened.kind == "changes" else "return_bundle",
            signature=signature,
            bundle_id=opened.bundle_id,
            created_at=datetime.fromtimestamp(opened.created_at / 1000, UTC),
            period_from=period_from,
            period_to=period_to,
            cases=sum(1 for k in records.values() if k == "case"),
            outreach=sum(1 for k in records.values() if k == "outreach"),
            changes=len(opened.changes),
            already_imported=seen is not None,
        )

    def import_with_return(self, data: bytes, *, via: str, actor: str | None = None) -> StaffImport:
        """Import a bundle brought by hand and make what goes back to its laptop.

        What ``simpul-district import`` and the staff API both do for a file: the import
        (:meth:`import_bundle`), then — unless it was rejected — a return bundle for the
        sending device holding everything of its village it should hold (cumulative, like
        every bundle: the laptop applies what it already holds as a no-op, so a lost flash
        drive costs nothing).

        Args:
            data: The bundle file's bytes.
            via: The courier, for the record (``cli``, ``desktop``…).
            actor: Who imports it, for the audit log (``staff:<name>``); the import itself is
                always recorded under the sending device.

        Returns:
            The outcome (with the receipt) and the return bundle, if any.
        """
        result = self.import_bundle(data, via=via)
        bundle: bytes | None = None
        village: str | None = None
        if result.device_id is not None:
            with self._read() as session:
                village = session.scalar(
                    sa.select(DeviceRow.village).where(DeviceRow.id == result.device_id)
                )
        if result.receipt is not None and result.device_id is not None:
            try:
                bundle, _cursor = self.return_bundle(
                    result.device_id,
                    since=0,
                    own_held=result.own_held,
                    # the laptop reads what it wrote (a bundle that opened: header authentic)
                    suite=peek_suite(data) or SUITE_V1,
                )
            except (DeviceRevokedError, UnknownDeviceError):
                bundle = None  # revoked between the import and now: nothing goes back
        if actor is not None:
            with self._write() as session:
                self._audit(
                    session,
                    actor,
                    "bundle_import",
                    detail=(
                        f"status={result.status} reason={result.reason or '-'} "
                        f"device={result.device_id or '-'} bundle={result.bundle_id or '-'} "
                        f"changes={result.counts.changes}"
                    ),
                )
        return StaffImport(
            result, bundle, village, _village_name(village) if village is not None else None
        )

    @staticmethod
    def _may_push(session: Session, pushed_by: str, sender: str) -> bool:
        """Whether device ``pushed_by`` may upload a bundle of ``sender``: itself, or a device
        of the same village (relay inside the village)."""
        if pushed_by == sender:
            return True
        villages: dict[str, str] = {
            device_id: village
            for device_id, village in session.execute(
                sa.select(DeviceRow.id, DeviceRow.village).where(
                    DeviceRow.id.in_([pushed_by, sender])
                )
            )
        }
        pusher_village = villages.get(pushed_by)
        return pusher_village is not None and pusher_village == villages.get(sender)

    @staticmethod
    def _rejected(opened: VerifiedBundle, device: DeviceRow, reason: str) -> ImportResult:
        return ImportResult(
            "rejected", reason=reason, bundle_id=opened.bundle_id, device_id=device.id
        )

    def _apply(
        self,
        opened: VerifiedBundle,
        changes: Sequence[PreparedChange],
        device_id: str,
        via: str,
        file_sha256: str,
    ) -> ImportResult:
        with self._write() as session:
            device = session.get(DeviceRow, device_id)
            if device is None:  # pragma: no cover - devices are never deleted
                raise _BundleRejected("unknown_sender")
            db.lock_village(session, device.village)
            # Bundle ids are chosen by the sender: one is "seen" only for the same device, so
            # another device reusing an id cannot make this device's bundle look imported.
            seen = session.scalar(
                sa.select(BundleSeen).where(
                    BundleSeen.device_id == device.id, BundleSeen.bundle_id == opened.bundle_id
                )
            )
            if seen is not None:
                return _already(seen)
            session.refresh(device)
            if device.revoked_at is not None:
                raise _BundleRejected("device_revoked")
            plan = self._plan(session, changes, device.village)
            now = self._now()
            self._store_changes(session, plan.new, now, plan.encoded, plan.digests)
            kinds = self._store_records(session, plan.rows, now, present=plan.present)
            counts = ImportCounts(
                cases=sum(1 for kind in kinds.values() if kind == "case"),
                outreach=sum(1 for kind in kinds.values() if kind == "outreach"),
                changes=len(plan.new),
            )
            devices = {change.id.device for change in changes} | {device.id}
            receipt = Receipt(
                device=device.id,
                issued_at=int(now.timestamp() * 1000),
                acks=self._acks(session, devices),
                rejected=tuple(plan.rejected),
                bundles=(opened.bundle_id,),
            )
            # Signed inside the transaction and stored with the bundle id in the same commit,
            # so a re-import always finds it; it is handed out only after the commit returned.
            receipt_bytes = sign_receipt(receipt, district=self._keys.signing)
            session.add(
                BundleSeen(
                    bundle_id=opened.bundle_id,
                    file_sha256=file_sha256,
                    device_id=device.id,
                    sequence=opened.sequence,
                    received_at=now,
                    via=via[:32],
                    cases=counts.cases,
                    outreach=counts.outreach,
                    changes=counts.changes,
                    receipt=receipt_bytes,
                )
            )
            device.last_bundle_at = now
            if opened.sequence >= device.highest_sequence:
                # The newest bundle says how far the laptop had got: its own ``holds`` (or,
                # from a sender that leaves it out, the highest own counter it carries).
                own = [c.id.counter for c in changes if c.id.device == device.id]
                device.announced_counter = max(
                    [opened.holds.get(device.id, 0), *own, device.announced_counter or 0]
                )
            device.highest_sequence = max(device.highest_sequence, opened.sequence)
            self._audit(
                session,
                f"device:{device.id}",
                "import",
                detail=(
                    f"bundle={opened.bundle_id} via={via[:32]} changes={counts.changes} "
                    f"rejected={len(plan.rejected)}"
                ),
            )
        return ImportResult(
            "imported",
            bundle_id=opened.bundle_id,
            device_id=device_id,
            counts=counts,
            receipt=receipt_bytes,
            rejected_changes=tuple((str(r.change_id), r.reason) for r in plan.rejected),
            own_held=opened.holds.get(device_id),
        )

    def _plan(self, session: Session, changes: Sequence[PreparedChange], village: str) -> _Plan:
        """Decide which changes to store and compute the merged states, before any write.

        Raises:
            _BundleRejected: ``foreign_village`` — a change is of a record of another village,
                or moves a record to another village.
        """
        rejected: list[RejectedChange] = []
        candidates: list[PreparedChange] = []
        creates_village: set[str] = set()
        for change in changes:
            candidate = False
            if change.kind not in RECORD_KINDS:
                rejected.append(RejectedChange(change.id, "unknown_kind"))
            elif not _is_uuid(change.record_id):
                rejected.append(RejectedChange(change.id, "bad_record_id"))
            else:
                candidates.append(change)
                candidate = True
            if change.village:
                if change.village[0] != village:
                    raise _BundleRejected("foreign_village")
                if candidate:
                    creates_village.add(change.record_id)
        record_ids = sorted({change.record_id for change in candidates})
        existing: dict[str, tuple[str, str, str | None]] = {}
        for part in _chunks(record_ids, _IMPORT_CHUNK):
            for rid, kind, rvillage, code in session.execute(
                sa.select(
                    RecordRow.record_id, RecordRow.kind, RecordRow.village, RecordRow.code
                ).where(_among(session, RecordRow.record_id, part))
            ):
                existing[rid] = (kind, rvillage, code)
        if any(rvillage != village for _, rvillage, _ in existing.values()):
            raise _BundleRejected("foreign_village")
        # A change id names the device that made the change. One of an enrolled device of
        # another village is squatting on that device's ids (its own later change would be
        # refused as equivocation): the whole bundle is refused. Ids of devices not enrolled
        # (yet) are relayed; the district's own id is refused per change below.
        authors = sorted({change.id.device for change in changes} - {DISTRICT_DEVICE})
        for part in _chunks(authors):
            for author_village in session.scalars(
                sa.select(DeviceRow.village).where(_among(session, DeviceRow.id, part))
            ):
                if author_village != village:
                    raise _BundleRejected("foreign_village")
        held = self._held_digests(session, [change.id for change in candidates])
        new: list[PreparedChange] = []
        seen: dict[ChangeId, bytes] = {}
        encoded: dict[ChangeId, bytes] = {}
        for change in candidates:
            canonical = change.canonical
            if canonical is None:
                # A lone surrogate (a "\\ud800" escape without its pair) is valid JSON but
                # not text: it cannot be stored, digested or shown.
                rejected.append(RejectedChange(change.id, "malformed_record"))
                continue
            encoded[change.id] = canonical
            digest = keyed_digest(self._digest_key, canonical)
            known = held.get(change.id) or seen.get(change.id)
            if known is not None:
                if not hmac.compare_digest(known, digest):
                    rejected.append(RejectedChange(change.id, "equivocation"))
                continue
            row = existing.get(change.record_id)
            code_edit = change.code if row is not None and row[2] is not None else ()
            if change.id.device == DISTRICT_DEVICE:
                reason = "unknown_district_change"
            elif row is not None and row[0] != change.kind:
                reason = "kind_mismatch"
            elif row is None and change.record_id not in creates_village:
                reason = "unknown_record"
            elif row is not None and code_edit and code_edit[0] != row[2]:
                reason = "code_rewritten"
            else:
                seen[change.id] = digest
                new.append(change)
                continue
            rejected.append(RejectedChange(change.id, reason))
        by_record: dict[str, list[PreparedChange]] = defaultdict(list)
        for change in new:
            by_record[change.record_id].append(change)
        old = self._load_changes(session, [rid for rid in by_record if rid in existing])
        rows: dict[str, Materialized] = {}
        kept: list[PreparedChange] = []
        for rid, group in by_record.items():
            if len(group) == 1 and rid not in old:
                # A record made by one change (most of an import): its row may be made
                # already, on the helper's core.
                try:
                    rows[rid] = group[0].row(village)
                except (ChangeError, MalformedDocumentError):
                    rejected.append(RejectedChange(group[0].id, "malformed_record"))
                    continue
                kept.append(group[0])
                continue
            # Whole changes (parsed again from their bytes if they came from the helper), once.
            wholes = [change.change() for change in group]
            try:
                rows[rid] = materialize_history([*old.get(rid, ()), *wholes], village)
            except (ChangeError, MalformedDocumentError):
                # Rare: find the changes to blame one by one and keep the others.
                accepted = list(old.get(rid, ()))
                good: list[PreparedChange] = []
                for change, whole in zip(group, wholes, strict=True):
                    try:
                        materialize_history([*accepted, whole], village)
                    except (ChangeError, MalformedDocumentError):
                        rejected.append(RejectedChange(change.id, "malformed_record"))
                        continue
                    accepted.append(whole)
                    good.append(change)
                if not good:
                    continue
                rows[rid] = materialize_history(accepted, village)
                group = good
            kept.extend(group)
        return _Plan(
            new=kept,
            rejected=rejected,
            rows=rows,
            encoded=encoded,
            digests=seen,
            present={rid for rid in rows if rid in existing},
        )

    def _held_digests(self, session: Session, ids: Sequence[ChangeId]) -> dict[ChangeId, bytes]:
        by_device: dict[str, list[int]] = defaultdict(list)
        for change_id in ids:
            by_device[change_id.device].append(change_id.counter)
        held: dict[ChangeId, bytes] = {}
        for device, counters in by_device.items():
            for part in _chunks(sorted(set(counters)), _IMPORT_CHUNK):
                for counter, digest in session.execute(
                    sa.select(ChangeRow.counter, ChangeRow.digest).where(
                        ChangeRow.device_id == device, _among(session, ChangeRow.counter, part)
                    )
                ):
                    held[ChangeId(device, counter)] = digest
        return held

    def _open_change(self, record_id: str, device: str, counter: int, blob: bytes) -> Change:
        plain = self._changes.open(blob, ad=change_ad(record_id, device, counter))
        # Stored as its canonical bytes (_store_changes): they are its to_json_bytes().
        return Change.from_json(jsonio.loads(plain), encoded=plain)

    def _load_changes(self, session: Session, record_ids: Sequence[str]) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = defaultdict(list)
        for part in _chunks(list(record_ids)):
            for rid, device, counter, blob in session.execute(
                sa.select(
                    ChangeRow.record_id, ChangeRow.device_id, ChangeRow.counter, ChangeRow.sealed
                )
                .where(_among(session, ChangeRow.record_id, part))
                .order_by(ChangeRow.seq)
            ):
                out[rid].append(self._open_change(rid, device, counter, blob))
        return out

    def _insert_rows(
        self,
        session: Session,
        table: sa.Table,
        names: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
    ) -> None:
        """Insert many rows (tuples of the ``names`` columns) in bulk.

        An import writes tens of thousands of rows. Their values go through the columns' own
        bind processors (what ``session.execute`` would send) and then straight to the
        driver, without the parameter dict per row (and its processing) of
        ``session.execute``: SQLite runs one prepared statement for every row
        (``executemany``), PostgreSQL takes them all in one binary ``COPY``.

        A row whose key is taken fails the transaction with an integrity error, which
        :meth:`_retrying` runs again (the next attempt sees the row).

        Args:
            session: The write transaction.
            table: The table.
            names: Column names, in the order of each row's values.
            rows: The rows.
        """
        if not rows:
            return
        dialect = session.get_bind().dialect
        processors = [
            (index, process)
            for index, name in enumerate(names)
            if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
        ]
        if processors:
            columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
            for index, process in processors:
                columns[index] = _processed(process, columns[index])
            rows = list(zip(*columns, strict=True))
        preparer = dialect.identifier_preparer
        target = f"{preparer.format_table(table)} ({', '.join(map(preparer.quote, names))})"
        if dialect.name != "postgresql":
            marks = ", ".join(["?"] * len(names))
            session.connection().exec_driver_sql(f"INSERT INTO {target} VALUES ({marks})", rows)
            return
        # psycopg's COPY writes each row in C; a binary COPY needs every column's type.
        types = [_TYPE_SIZE.sub("", table.c[name].type.compile(dialect)).lower() for name in names]
        sql = f"COPY {target} FROM STDIN (FORMAT BINARY)"
        driver: Any = session.connection().connection.driver_connection
        error = dialect.loaded_dbapi.Error
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        except error as exc:
            # As SQLAlchemy reports a failed statement, so that a lost race is retried.
            raise sa.exc.DBAPIError.instance(sql, None, exc, error, dialect=dialect) from exc

    def _store_changes(
        self,
        session: Session,
        changes: Sequence[Change] | Sequence[PreparedChange],
        now: datetime,
        encoded: Mapping[ChangeId, bytes] | None = None,
        digests: Mapping[ChangeId, bytes] | None = None,
    ) -> None:
        if not changes:
            return
        rows = []
        for change in changes:
            canonical = encoded.get(change.id) if encoded is not None else None
            if canonical is None:
                canonical = _canonical(change if isinstance(change, Change) else change.change())
            digest = digests.get(change.id) if digests is not None else None
            if digest is None:
                digest = keyed_digest(self._digest_key, canonical)
            device, counter = change.id.device, change.id.counter
            sealed = self._changes.seal(canonical, ad=change_ad(change.record_id, device, counter))
            rows.append(
                (
                    device,
                    counter,
                    change.record_id,
                    change.kind,
                    change.hlc.encode(),
                    digest,
                    sealed,
                    now,
                )
            )
        # Unique (device_id, counter): of two imports racing to store the same change (a relay
        # through two villages of changes of a device not enrolled), the second fails and is
        # run again, and then holds the change: it is stored once.
        self._insert_rows(session, _CHANGES, _CHANGE_COLUMNS, rows)

    def _store_records(
        self,
        session: Session,
        materialized: Mapping[str, Materialized],
        now: datetime,
        *,
        present: set[str] | None = None,
    ) -> dict[str, str]:
        """Write the rows of re-materialized records; return record id → kind.

        ``present``: the ids of ``materialized`` that already have a row, if the caller read
        them in this transaction (an import's plan did); else they are looked up here.
        """
        if not materialized:
            return {}
        if present is None:
            present = set()
            for part in _chunks(list(materialized)):
                present.update(
                    session.scalars(
                        sa.select(RecordRow.record_id).where(
                            _among(session, RecordRow.record_id, part)
                        )
                    )
                )
        # Only rows that exist can have child rows to replace.
        for part in _chunks(sorted(present)):
            session.execute(
                sa.delete(RecordViolenceType).where(
                    _among(session, RecordViolenceType.record_id, part)
                )
            )
            session.execute(
                sa.delete(RecordVictims).where(_among(session, RecordVictims.record_id, part))
            )
        inserts: list[tuple[Any, ...]] = []
        updates: list[dict[str, Any]] = []
        types: list[tuple[str, str]] = []
        victims: list[tuple[str, str, str, int]] = []
        kinds: dict[str, str] = {}
        for rid, row in materialized.items():
            sealed = self._records.seal(row.document, ad=record_ad(rid))
            if rid in present:
                updates.append(
                    {f"_{k}": v for k, v in row.columns.items()}
                    | {"_updated_at": now, "_sealed": sealed, "_rid": rid}
                )
            else:
                inserts.append((rid, *_ROW_VALUES(row.columns), now, sealed))
            types.extend((rid, code) for code in row.violence_types)
            victims.extend((rid, sex, band, count) for (sex, band), count in row.victims.items())
            kinds[rid] = str(row.columns["kind"])
        self._insert_rows(session, _RECORDS, _RECORD_COLUMNS, inserts)
        if updates:
            table = _RECORDS
            statement = (
                sa.update(table)
                .where(table.c.record_id == sa.bindparam("_rid"))
                .values({c: sa.bindparam(f"_{c}") for c in (*ROW_COLUMNS, "updated_at", "sealed")})
            )
            session.execute(statement, updates)
        self._insert_rows(session, _VIOLENCE_TYPES, ("record_id", "code"), types)
        self._insert_rows(session, _VICTIMS, ("record_id", "sex", "age_band", "count"), victims)
        return kinds

    def _acks(self, session: Session, devices: Iterable[str]) -> dict[str, DeviceAck]:
        """Per device, the counters held as ranges (gaps-and-islands over the change log)."""
        grouped = (
            sa.select(
                ChangeRow.counter.label("counter"),
                (ChangeRow.counter - sa.func.row_number().over(order_by=ChangeRow.counter)).label(
                    "island"
                ),
            )
            .where(ChangeRow.device_id == sa.bindparam("device"))
            .subquery()
        )
        ranges_query = sa.select(
            sa.func.min(grouped.c.counter), sa.func.max(grouped.c.counter)
        ).group_by(grouped.c.island)
        # Mostly a device's counters have no gap: then count, min and max (read from the index
        # alone, ~3x quicker than the window over every change of the device) are the range.
        span_query = sa.select(
            sa.func.count(), sa.func.min(ChangeRow.counter), sa.func.max(ChangeRow.counter)
        ).where(ChangeRow.device_id == sa.bindparam("device"))
        acks: dict[str, DeviceAck] = {}
        for device in sorted(set(devices)):
            count, low, high = session.execute(span_query, {"device": device}).one()
            if not count:
                continue
            if high - low + 1 == count:
                ranges = [(int(low), int(high))]
            else:
                ranges = [
                    (int(a), int(b)) for a, b in session.execute(ranges_query, {"device": device})
                ]
            acks[device] = DeviceAck.from_ranges(ranges)
        return acks

    # ------------------------------------------------------------------ return bundles

    def return_bundle(
        self,
        device_id: str,
        *,
        since: int = 0,
        own_held: int | None = None,
        max_bytes: int = RETURN_BUNDLE_BYTES,
        suite: int = WRITE_SUITE,
    ) -> tuple[bytes | None, int]:
        """Seal the changes a device should receive: its village's, made elsewhere — and its
        own that it no longer holds.

        A laptop never needs its own changes back, unless its database was put back from an
        older copy (DESIGN §3: it then saves under a new device id, but still signs as the
        enrolled one): it says so in ``own_held``, the highest counter of the enrolled device's
        changes it holds with every earlier one (a bundle's ``holds``, or the pull's), and the
        ones above it come back, whatever the cursor, until it holds them again.

        Args:
            device_id: The device.
            since: The cursor the device stored after its last pull (0 at first).
            own_held: What the device holds of its own changes (``None``: all of them).
            max_bytes: Size cap of the bundle; the rest comes with the next cursor.
            suite: The bundle suite to seal with: one the laptop reads (suite 1 for a laptop
                that has not said, or not been updated).

        Returns:
            ``(bundle, cursor)``: a return bundle sealed to the device's encryption key and
            signed by the district, or ``None`` when there is nothing new; and the cursor to
            store once the bundle is applied.

        Raises:
            UnknownDeviceError: No such device.
            DeviceRevokedError: The device was revoked.
        """
        with self._read() as session:
            device = session.get(DeviceRow, device_id)
            if device is None:
                raise UnknownDeviceError()
            if device.revoked_at is not None:
                raise DeviceRevokedError()
            wanted = sa.and_(ChangeRow.device_id != device.id, ChangeRow.seq > since)
            if own_held is not None:
                wanted = sa.or_(
                    wanted,
                    sa.and_(ChangeRow.device_id == device.id, ChangeRow.counter > own_held),
                )
            rows = session.execute(
                sa.select(
                    ChangeRow.seq,
                    ChangeRow.record_id,
                    ChangeRow.device_id,
                    ChangeRow.counter,
                    ChangeRow.sealed,
                )
                .join(RecordRow, RecordRow.record_id == ChangeRow.record_id)
                .where(RecordRow.village == device.village, wanted)
                .order_by(ChangeRow.seq)
                .limit(_RETURN_BATCH)
            ).all()
            enc_public = device.enc_public
        if not rows:
            return None, since
        changes = [
            self._open_change(rid, dev, counter, blob) for _, rid, dev, counter, blob in rows
        ]
        first = split_compressed(changes, max_bundle_bytes=max_bytes, suite=suite)[0]
        # own changes given back may lie before the cursor: it never moves back
        cursor = max(since, int(rows[len(first.changes) - 1][0]))
        with self._write() as session:
            sequence = self._bump(session, _RETURN_SEQUENCE)
        bundle = seal_bundle(
            BundlePayload(
                kind="return", sender=DISTRICT_DEVICE, sequence=sequence, changes=first.changes
            ),
            recipients=[PublicEncryptionKey.from_public_bytes(enc_public)],
            signer=self._keys.signing,
            body=first,
        )
        return bundle, cursor

    # ------------------------------------------------------------------ staff

    def add_user(
        self, name: str, role: str, password: str, *, actor: str = SYSTEM_ACTOR
    ) -> StaffView:
        """Create a staff account.

        Args:
            name: Account name (unique, case-sensitive after NFC normalization).
            role: ``admin``, ``staff`` or ``viewer``.
            password: At least 12 characters; kept as an Argon2id hash.
            actor: Who creates it, for the audit log.

        Raises:
            UnknownRoleError: Not a role.
            WeakPasswordError: Too short.
            UserExistsError: The name is taken.
        """
        name = unicodedata.normalize("NFC", name).strip()
        if (
            not name
            or len(name) > 128
            or any(unicodedata.category(c).startswith("C") for c in name)
        ):
            raise BadCredentialsError("invalid_user_name", "The account name is not acceptable.")
        if role not in ROLES:
            raise UnknownRoleError(role=role)
        if len(password) < MIN_PASSWORD_CHARS:
            raise WeakPasswordError(min_length=MIN_PASSWORD_CHARS)
        salt = os.urandom(16)
        cost = self._password_cost
        digest = derive_password_key(password, salt, cost)
        try:
            with self._write() as session:
                user = StaffUser(
                    name=name,
                    role=role,
                    password_hash=digest,
                    salt=salt,
                    kdf_time_cost=cost.time_cost,
                    kdf_memory_kib=cost.memory_kib,
                    kdf_lanes=cost.lanes,
                    created_at=self._now(),
                )
                session.add(user)
                session.flush()
                self._audit(session, actor, "user_add", detail=f"user={name} role={role}")
                return StaffView(user.id, user.name, cast(Role, user.role))
        except sa.exc.IntegrityError as exc:
            raise UserExistsError() from exc

    def login(self, name: str, password: str, *, hours: float = SESSION_HOURS) -> str:
        """Check a staff password and open a session.

        Args:
            name: Account name.
            password: Password.
            hours: How long the session lasts.

        Returns:
            The session token (stored only as SHA-256).

        Raises:
            BadCredentialsError: Unknown name or wrong password (indistinguishable, and just
                as slow either way).
        """
        name = unicodedata.normalize("NFC", name).strip()
        with self._read() as session:
            user = session.scalar(sa.select(StaffUser).where(StaffUser.name == name))
        if user is None or user.disabled_at is not None:
            # Spend the same time as a real check, so a name cannot be probed by timing.
            derive_password_key(password, bytes(16), self._password_cost)
            raise BadCredentialsError()
        cost = KdfCost(user.kdf_time_cost, user.kdf_memory_kib, user.kdf_lanes)
        if not hmac.compare_digest(
            derive_password_key(password, user.salt, cost), user.password_hash
        ):
            raise BadCredentialsError()
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._write() as session:
            session.execute(sa.delete(StaffSession).where(StaffSession.expires_at <= now))
            session.add(
                StaffSession(
                    token_hash=_sha256_hex(token),
                    user_id=user.id,
                    created_at=now,
                    expires_at=now + timedelta(hours=hours),
                )
            )
            self._audit(session, f"staff:{user.name}", "login")
        return token

    def logout(self, token: str) -> None:
        """End a staff session (unknown tokens are ignored); the sign-out is audited."""
        digest = _sha256_hex(token)
        with self._write() as session:
            name = session.scalar(
                sa.select(StaffUser.name)
                .join(StaffSession, StaffSession.user_id == StaffUser.id)
                .where(StaffSession.token_hash == digest)
            )
            session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == digest))
            if name is not None:
                self._audit(session, f"staff:{name}", "logout")

    def staff(self, token: str) -> StaffView:
        """Return the staff member a session token belongs to.

        Raises:
            SessionExpiredError: Unknown or expired token, or a disabled account.
        """
        with self._read() as session:
            found = session.execute(
                sa.select(StaffUser, StaffSession.expires_at)
                .join(StaffSession, StaffSession.user_id == StaffUser.id)
                .where(StaffSession.token_hash == _sha256_hex(token))
            ).first()
        if found is None:
            raise SessionExpiredError()
        user, expires_at = found
        if expires_at <= self._now() or user.disabled_at is not None:
            raise SessionExpiredError()
        return StaffView(user.id, user.name, cast(Role, user.role))

    @staticmethod
    def _require(staff: StaffView, action: str, *roles: Role) -> None:
        if staff.role not in roles:
            raise AccessDeniedError(role=staff.role, action=action)

    def list_records(
        self,
        staff: StaffView,
        *,
        kind: str | None = None,
        village: str | None = None,
        kecamatan: str | None = None,
        status: str | None = None,
        limit: int = 100,
        offset: int = 0,
        actor: str | None = None,
    ) -> list[RecordSummary]:
        """List records across villages from the plaintext columns (nothing is decrypted).

        Args:
            staff: The signed-in staff member (any role).
            kind: ``case`` or ``outreach``.
            village: Village code.
            kecamatan: Kecamatan code (``33.27.08``).
            status: Case status code.
            limit: At most this many (1–1000).
            offset: Skip this many (paging).
            actor: Who the audit log names; ``staff:<name>`` of ``staff`` unless given (the
                admin command passes ``cli:<user>``).

        Returns:
            Summaries, most recently updated first (:meth:`find_records` has every filter,
            the sort orders and the total).
        """
        page = self.find_records(
            staff,
            kind=kind,
            village=village,
            kecamatan=kecamatan,
            status=status,
            sort="updated",
            limit=limit,
            offset=offset,
            actor=actor,
        )
        return list(page.records)

    def find_records(
        self,
        staff: StaffView,
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
        actor: str | None = None,
    ) -> RecordPage:
        """One page of the district case table, from the plaintext columns (nothing is
        decrypted), and how many records match in all; the listing is audited.

        Names and every other identifying value are sealed: they cannot be searched here.

        Args:
            staff: The signed-in staff member (any role).
            kind: ``case`` or ``outreach``.
            village: Village code.
            kecamatan: Kecamatan code (``33.27.08``).
            status: Case status code.
            violence_type: Records with this violence type code among theirs.
            tppo: Trafficking cases only (``True``) or none of them (``False``).
            reported_from: Reported (case) / held (outreach) on or after this date.
            reported_to: … on or before this date.
            needs_review: Records with (``True``) or without (``False``) fields whose
                concurrent values need review.
            overdue: Sexual-violence cases whose UU TPKS 3×24-hour police deadline has
                passed with no police referral recorded (``True``), or the others (``False``).
            q: Part of a record code (``PML-082012``, ``0007``) or the start of a record id,
                any case.
            sort: ``reported`` (newest report first), ``code``, ``village`` (then code),
                ``status`` (then newest report) or ``updated`` (last changed first).
            limit: At most this many (1–1000).
            offset: Skip this many (paging).
            actor: Who the audit log names; ``staff:<name>`` of ``staff`` unless given.

        Returns:
            The page and the total.
        """
        limit = max(1, min(limit, 1000))
        offset = max(0, offset)
        now = self._now()
        r = RecordRow
        where: list[sa.ColumnElement[bool]] = []
        filters: dict[str, object] = {
            "kind": kind,
            "village": village,
            "kecamatan": kecamatan,
            "status": status,
        }
        for name, value in filters.items():
            if value is not None:
                where.append(getattr(r, name) == value)
        if violence_type is not None:
            # ``record_id || ''``: the same ids, but SQLite then checks them in the covering
            # index of the other filters instead of fetching thousands of rows by id.
            where.append(
                (r.record_id + "").in_(
                    sa.select(RecordViolenceType.record_id).where(
                        RecordViolenceType.code == violence_type
                    )
                )
            )
        if tppo is not None:
            where.append(r.tppo.is_(tppo))
        if reported_from is not None:
            where.append(r.reported_on >= reported_from.isoformat())
        if reported_to is not None:
            where.append(r.reported_on <= reported_to.isoformat())
        if needs_review is not None:
            where.append(r.conflicts > 0 if needs_review else r.conflicts == 0)
        if overdue is not None:
            late = r.police_due < now
            where.append(late if overdue else sa.or_(r.police_due.is_(None), sa.not_(late)))
        text = (q or "").strip()
        if text:
            where.append(
                sa.or_(
                    r.code.contains(text.upper(), autoescape=True),
                    r.record_id.startswith(text.lower(), autoescape=True),
                )
            )
        order: dict[str, tuple[Any, ...]] = {
            "reported": (r.reported_on.desc().nulls_last(),),
            # Ascending in the backend's own NULL order, so the indexes serve it (only
            # outreach records lack a status; every record from a laptop has a code).
            "code": (r.code,),
            "village": (r.village, r.code),
            "status": (r.status, r.reported_on.desc().nulls_last()),
            "updated": (r.updated_at.desc(),),
        }
        if sort not in order:
            raise ValidationFailedError("bad_sort", "The sort order is not known.")
        columns = (
            r.record_id,
            r.kind,
            r.code,
            r.village,
            r.kecamatan,
            r.period,
            r.status,
            r.victims,
            r.tppo,
            r.deleted,
            r.conflicts,
            r.updated_at,
            r.reported_on,
            r.police_due,
        )
        query = (
            sa.select(*columns)
            .where(*where)
            .order_by(*order[sort], r.record_id)
            .limit(limit)
            .offset(offset)
        )
        with self._write() as session:
            rows = session.execute(query).all()
            total = int(
                session.scalar(sa.select(sa.func.count()).select_from(r).where(*where)) or 0
            )
            types: dict[str, list[str]] = defaultdict(list)
            for part in _chunks([row.record_id for row in rows]):
                for rid, code in session.execute(
                    sa.select(RecordViolenceType.record_id, RecordViolenceType.code)
                    .where(RecordViolenceType.record_id.in_(part))
                    # The primary key's order: by code alone would walk the code index.
                    .order_by(RecordViolenceType.record_id, RecordViolenceType.code)
                ):
                    types[rid].append(code)
            named = {
                **filters,
                "violence_type": violence_type,
                "tppo": tppo,
                "from": reported_from,
                "to": reported_to,
                "needs_review": needs_review,
                "overdue": overdue,
            }
            # Codes, flags and dates only: the search text is not written down (it could be
            # anything a person typed).
            detail = ",".join(f"{k}={v}" for k, v in named.items() if v is not None)
            if text:
                detail += ",q=1" if detail else "q=1"
            self._audit(
                session,
                actor or staff_actor(staff),
                "list",
                detail=f"{detail} n={len(rows)}",
            )
        records = tuple(
            RecordSummary(
                record_id=row.record_id,
                kind=row.kind,
                code=row.code,
                village=row.village,
                kecamatan=row.kecamatan,
                period=row.period,
                status=row.status,
                violence_types=tuple(types.get(row.record_id, ())),
                victims=row.victims,
                tppo=row.tppo,
                deleted=row.deleted,
                conflicts=row.conflicts,
                updated_at=row.updated_at,
                reported_on=row.reported_on,
                police_due=row.police_due,
                overdue=row.police_due is not None and row.police_due < now,
            )
            for row in rows
        )
        return RecordPage(records, total, limit, offset)

    def _detail(self, session: Session, row: RecordRow) -> RecordDetail:
        try:
            data = jsonio.loads(self._records.open(row.sealed, ad=record_ad(row.record_id)))
            history = self._history(session, row.record_id)
        except CorruptDataError as exc:
            raise DistrictUserError("record_corrupt", "The stored record is damaged.") from exc
        return RecordDetail(
            record_id=row.record_id,
            kind=row.kind,
            code=row.code,
            village=row.village,
            document=unflatten(data["flat"]),
            conflicts=tuple(data["conflicts"]),
            base=tuple(data["base"]),
            deleted=row.deleted,
            history=history,
        )

    def _history(self, session: Session, record_id: str) -> tuple[HistoryEntry, ...]:
        """Every change of a record, oldest first: who saved it, on which device, when, and
        which fields it changed."""
        entries: list[HistoryEntry] = []
        for device, counter, blob, received_at in session.execute(
            sa.select(
                ChangeRow.device_id, ChangeRow.counter, ChangeRow.sealed, ChangeRow.received_at
            )
            .where(ChangeRow.record_id == record_id)
            .order_by(ChangeRow.seq)
        ):
            change = self._open_change(record_id, device, counter, blob)
            entries.append(
                HistoryEntry(
                    change_id=str(change.id),
                    device_id=change.id.device,
                    author=change.author,
                    saved_at=datetime.fromtimestamp(change.hlc.wall / 1000, UTC),
                    received_at=received_at,
                    paths=tuple(edit.path for edit in change.edits),
                )
            )
        entries.sort(key=lambda e: (e.saved_at, e.change_id))
        return tuple(entries)

    def read_record(self, staff: StaffView, record_id: str) -> RecordDetail:
        """Decrypt one record for a staff member (any role); the read is audited.

        Raises:
            RecordNotFoundError: No such record.
        """
        with self._write() as session:
            row = session.get(RecordRow, record_id)
            if row is None:
                raise RecordNotFoundError()
            detail = self._detail(session, row)
            self._audit(session, staff_actor(staff), "view", record_id=record_id)
        return detail

    def save_followup(
        self,
        staff: StaffView,
        record_id: str,
        doc: Mapping[str, Any],
        *,
        base: Iterable[str | ChangeId],
        resolve: Iterable[str] = (),
    ) -> RecordDetail:
        """Save a staff follow-up (status, services, referrals…) as one district change.

        The change is authored by the staff member with device id ``district``; only fields
        that differ from the version shown (``base``) are written, each superseding the values
        that version showed, so an edit a village made meanwhile is kept, and a field both
        changed becomes a *needs review* conflict.

        Args:
            staff: A signed-in member with role ``staff`` or ``admin``.
            record_id: The record.
            doc: The whole edited document (as :meth:`read_record` returned it).
            base: :attr:`RecordDetail.base` of the version the edit was made from.
            resolve: Conflicting paths this save settles (superseding every value held now).

        Returns:
            The record after the save.

        Raises:
            AccessDeniedError: The role is ``viewer``.
            RecordNotFoundError: No such record.
            ValidationFailedError: The document breaks the record rules (``problems`` param),
                tries to move the record to another village, or carries ``_deleted``
                (``delete_not_allowed``).
            DistrictUserError: ``record_deleted``: the record carries a tombstone;
                ``bad_resolve``: a ``resolve`` path holds no conflict (one value or none).
        """
        self._require(staff, "save_followup", "admin", "staff")
        try:
            base_ids = frozenset(b if isinstance(b, ChangeId) else ChangeId.parse(b) for b in base)
        except ChangeFormatError as exc:
            raise ValidationFailedError("bad_base", "The base version is malformed.") from exc
        resolving = tuple(resolve)

        def run() -> RecordDetail:
            with self._write() as session:
                row = session.get(RecordRow, record_id)
                if row is None:
                    raise RecordNotFoundError()
                db.lock_village(session, row.village)
                session.refresh(row)
                if row.deleted:
                    raise DistrictUserError("record_deleted", "The record was deleted.")
                if "_deleted" in doc:
                    # Deleting a record is a village decision made on the laptop, never a
                    # follow-up: staff cannot write (or clear) the tombstone.
                    raise ValidationFailedError(
                        "delete_not_allowed", "A follow-up cannot delete a record."
                    )
                body = {k: v for k, v in doc.items() if k not in _STORE_KEYS}
                body.setdefault("village", row.village)
                if body.get("village") != row.village:
                    raise ValidationFailedError(
                        "village_change", "A follow-up cannot move a record to another village."
                    )
                try:
                    body = assign_item_ids(body)
                except MalformedDocumentError as exc:
                    raise ValidationFailedError(count=1, problems=[exc.code]) from exc
                problems = validate({**body, "kind": row.kind}, today=self._now().date())
                if problems:
                    raise ValidationFailedError(
                        count=len(problems),
                        problems=[(p.path, p.code) for p in problems],
                    )
                changes = self._load_changes(session, [record_id]).get(record_id, [])
                state = RecordState(record_id, row.kind)
                for change in changes:
                    state.apply(change)
                seen = [c for c in changes if c.id in base_ids]
                base_state = RecordState(record_id, row.kind)
                for change in seen:
                    base_state.apply(change)
                desired = flatten({**body, **({"code": row.code} if row.code else {})})
                _keep_tombstones(base_state, body, desired)
                by_path = {edit.path: edit for edit in diff_edits(base_state, desired)}
                for path in resolving:
                    # Only a real conflict (more than one value held now) can be resolved.
                    current = state.heads(path) if isinstance(path, str) else ()
                    if len(current) < 2:
                        raise DistrictUserError(
                            "bad_resolve",
                            "There is no conflict to resolve at {path}.",
                            path=path[:200] if isinstance(path, str) else "",
                        )
                    heads = frozenset(h.change_id for h in current)
                    by_path[path] = FieldEdit(path, desired.get(path), heads)
                edits = tuple(by_path[p] for p in sorted(by_path))
                if edits:
                    latest = max((c.hlc for c in changes), default=Hlc(0, 0))
                    clock = HybridClock(last=latest)
                    counter = self._bump(session, _CHANGE_COUNTER)
                    change = Change(
                        ChangeId(DISTRICT_DEVICE, counter),
                        record_id,
                        row.kind,
                        clock.tick(),
                        f"staff:{staff.name}",
                        edits,
                    )
                    state.apply(change)
                    now = self._now()
                    self._store_changes(session, [change], now)
                    self._store_records(session, {record_id: materialize(state, row.village)}, now)
                    session.refresh(row)
                self._audit(
                    session,
                    staff_actor(staff),
                    "followup" if edits else "followup_unchanged",
                    record_id=record_id,
                    detail=f"fields={len(edits)}"
                    + (f" resolve={len(resolving)}" if resolving else ""),
                )
                return self._detail(session, row)

        return self._retrying(run)

    def audit_log(
        self,
        staff: StaffView,
        *,
        record_id: str | None = None,
        limit: int = 1000,
        actor: str | None = None,
    ) -> list[AuditView]:
        """Return the newest audit entries (admins only); reading them is itself audited.

        The ``audit_read`` entry is written after the read, so the answer does not hold it.

        Args:
            staff: The signed-in member (role ``admin``).
            record_id: Only the entries of this record.
            limit: At most this many (1–100,000), newest first.
            actor: Who the audit log names; ``staff:<name>`` of ``staff`` unless given.

        Raises:
            AccessDeniedError: The role is not ``admin``.
        """
        self._require(staff, "audit_log", "admin")
        query = (
            sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 100_000)))
        )
        if record_id is not None:
            query = query.where(AuditEntry.record_id == record_id)
        with self._write() as session:
            entries = [
                AuditView(e.at, e.actor, e.action, e.record_id, e.detail)
                for e in session.scalars(query)
            ]
            self._audit(
                session,
                actor or staff_actor(staff),
                "audit_read",
                detail=f"n={len(entries)}" + (" record" if record_id is not None else ""),
            )
            return entries

    # ------------------------------------------------------------------ backup

    def backup(self, out_path: Path, *, actor: str = SYSTEM_ACTOR) -> int:
        """Write a consistent, encrypted copy of the database to ``out_path``.

        SQLite: the online backup API copies a consistent snapshot into memory. PostgreSQL:
        ``pg_dump`` (found on ``PATH``, in ``SIMPUL_PG_BIN`` or ``/usr/lib/postgresql/*/bin``)
        dumps the district's tables from one snapshot into a pipe. Either image is sealed with
        AES-256-GCM under a subkey of the data key (:mod:`district.backup`), so restoring needs
        this district's ``keys.json`` and passphrase; no plaintext temporary file is written.

        Args:
            out_path: The backup file (written atomically, mode 0600).
            actor: Who makes it, for the audit log.

        Returns:
            The size of the backup file in bytes.

        Raises:
            BackupError: PostgreSQL only: ``pg_tools_missing`` (pg_dump not installed) or
                ``pg_tool_failed``.
        """
        with self._backup_lock:
            size = backup_database(self._engine, self._backup_key, out_path)
        with self._write() as session:
            self._audit(session, actor, "backup", detail=f"bytes={size}")
        return size

    def restore(self, in_path: Path, *, actor: str = SYSTEM_ACTOR) -> None:
        """Replace the database with a backup made by :meth:`backup` of this district.

        On PostgreSQL the district's tables are dropped and restored in one transaction by
        ``pg_restore`` and ``psql``; a failure leaves the database as it was. The schema is
        then upgraded, so a backup made by an older version restores too.

        Args:
            in_path: The backup file.
            actor: Who restores it, for the audit log (written into the restored database).

        Raises:
            BackupError: ``backup_unreadable`` if the file is not a backup of this district
                (other keys, damaged, or not a backup at all); ``backup_other_database`` for
                a backup of a SQLite district on PostgreSQL or the other way round;
                PostgreSQL only: ``backup_other_schema``, ``pg_tools_missing``,
                ``pg_tool_failed``.
        """
        with self._backup_lock:
            restore_database(self._engine, self._backup_key, in_path)
        db.upgrade(self._engine)
        with self._write() as session:
            self._audit(session, actor, "restore")


def _processed(process: Callable[[Any], Any], column: Sequence[Any]) -> list[Any]:
    """A column's values through its bind processor, once when every row holds the same.

    Every row of an import carries its one ``now``: processing 10,000 equal datetimes one by
    one was ~2% of an import.
    """
    first = column[0]
    if column.count(first) == len(column):
        return [process(first)] * len(column)
    return list(map(process, column))


def _keep_tombstones(state: RecordState, body: Mapping[str, Any], desired: dict[str, Any]) -> None:
    """List items absent from the edited document become ``<list>/<id>/_deleted``."""
    present = {
        (name, str(item.get("id")))
        for name in ITEM_LISTS
        for item in body.get(name) or ()
        if isinstance(item, Mapping)
    }
    for path in state.paths():
        parts = path.split("/")
        if len(parts) < 3 or parts[0] not in ITEM_LISTS or (parts[0], parts[1]) in present:
            continue
        desired[f"{parts[0]}/{parts[1]}/{DELETED}"] = True
