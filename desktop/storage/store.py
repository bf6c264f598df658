"""The record store: saves documents as sealed changes, merges them, keeps the working set.

One :class:`Store` is one unlocked profile. Every save of a record becomes one immutable change
(DESIGN.md §3) sealed into the ``changes`` table, the merged state of the record is sealed into
``records``, and the action goes to the sealed audit log — all in one transaction. The decrypted
working set (every record's current document) lives only in memory, for lists and search.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from desktop.storage import db
from desktop.storage.errors import StorageError, VaultExistsError, VaultMissingError
from desktop.storage.models import AuditRow, ChangeRow, Meta, RecordRow, SealedMeta
from desktop.storage.profile import VAULT_NAME
from desktop.storage.sealing import CorruptDataError, LockedSealer, Sealer
from desktop.storage.sentmark import SentMark, read_mark, write_mark
from desktop.storage.vault import KdfCost, UnlockedVault, Vault, check_passphrase_strength
from simpul import jsonio
from simpul.changes import (
    Change,
    ChangeError,
    ChangeId,
    FieldEdit,
    Hlc,
    HybridClock,
    RecordState,
    diff_edits,
)
from simpul.errors import UserError
from simpul.records.derived import device_tag, make_record_code
from simpul.records.paths import MalformedDocumentError, assign_item_ids, flatten, unflatten
from simpul.records.validation import Problem, validate
from simpul.records.wilayah import load_regions
from simpul.sqlite import make_sessions

KINDS = ("case", "outreach")
Kind = Literal["case", "outreach"]
ITEM_LISTS = ("victims", "perpetrators", "services", "referrals")
# Keys of a document that the store owns; a caller's values for them are ignored.
_STORE_KEYS = ("id", "kind", "code", "_base")
_LOADED = "\x00loaded"  # marks a code batch as initialised from the database
_SEARCH_TEXT_FIELDS = ("code", "narrative", "title")
_SEARCH_ITEM_FIELDS = ("name", "nik")


# Built once: executed with parameter dicts, they are compiled once and cached by SQLAlchemy.
_INSERT_CHANGE = sa.insert(ChangeRow)
_INSERT_AUDIT = sa.insert(AuditRow)
_upsert = sqlite_insert(RecordRow)
_UPSERT_RECORD = _upsert.on_conflict_do_update(
    index_elements=[RecordRow.record_id],
    set_={"sealed": _upsert.excluded.sealed, "sealed_doc": _upsert.excluded.sealed_doc},
)
_GET_SEALED_META = sa.select(SealedMeta.sealed).where(SealedMeta.key == sa.bindparam("key"))
_meta_upsert = sqlite_insert(SealedMeta)
_UPSERT_SEALED_META = _meta_upsert.on_conflict_do_update(
    index_elements=[SealedMeta.key], set_={"sealed": _meta_upsert.excluded.sealed}
)
_MAX_COUNTER = sa.select(sa.func.max(ChangeRow.counter)).where(
    ChangeRow.device_id == sa.bindparam("device")
)


class ValidationFailedError(UserError, StorageError):
    """A save was refused; ``problems`` lists every problem found, nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("invalid_record", f"{len(problems)} problem(s) in the record")
        self.problems = problems


class UnknownRecordError(UserError, StorageError):
    """No record with that id (or code) is in this profile."""

    def __init__(self, ref: str) -> None:
        super().__init__("unknown_record", f"no record {ref}", ref=ref)


class RecordDeletedError(UserError, StorageError):
    """The record was deleted; it cannot be edited (its history stays until a purge)."""

    def __init__(self, ref: str) -> None:
        super().__init__("record_deleted", f"record {ref} is deleted", ref=ref)


class ChangeRejectedError(UserError, StorageError):
    """A change from elsewhere (sync, bundle) is malformed or contradicts one already held."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__("change_rejected", f"change rejected: {reason}", reason=reason, **params)


class UnknownKindError(UserError, StorageError):
    """The record kind is neither ``case`` nor ``outreach``."""

    def __init__(self, kind: object) -> None:
        super().__init__("unknown_kind", f"unknown record kind {kind!r}", kind=str(kind))


@dataclass(frozen=True, eq=False)
class RecordView:
    """A record as the user sees it: list columns, review flags, and the document on demand.

    ``summary`` holds what a list shows (date, status, violence types, counts); ``doc`` is
    decrypted and parsed on first access only, so opening a profile does not parse every
    narrative.
    """

    record_id: str
    kind: str
    code: str
    summary: Mapping[str, Any]
    conflicts: tuple[str, ...]
    created: Hlc
    updated: Hlc
    changes: int
    base: tuple[str, ...]
    _load_doc: Callable[[], dict[str, Any]] = field(repr=False)

    @cached_property
    def doc(self) -> dict[str, Any]:
        """The merged document (see docs/record-format.md)."""
        return self._load_doc()

    @property
    def base_ids(self) -> frozenset[ChangeId]:
        """The changes this view shows: a save made from it edits *this* version."""
        return frozenset(ChangeId.parse(text) for text in self.base)

    @property
    def needs_review(self) -> bool:
        """True when concurrent edits of a field await a person's decision."""
        return bool(self.conflicts)

    @property
    def main_date(self) -> str | None:
        """The date a list sorts by: reported (case) or held (outreach)."""
        value = self.summary.get("date")
        return value if isinstance(value, str) else None

    @property
    def deleted(self) -> bool:
        """True once the record carries a tombstone."""
        return bool(self.summary.get("deleted"))


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the record, and the change it wrote (None when nothing changed)."""

    record: RecordView
    change_id: ChangeId | None
    created: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a record: who, when, from which device, which fields."""

    change_id: ChangeId
    hlc: Hlc
    author: str
    edits: tuple[FieldEdit, ...]

    @property
    def at(self) -> datetime:
        """The change's time (from its hybrid clock), in UTC."""
        return datetime.fromtimestamp(self.hlc.wall / 1000, tz=UTC)


@dataclass(frozen=True)
class AuditEntry:
    """One audited local action."""

    at: datetime
    user: str
    action: str
    record_id: str | None
    detail: str


@dataclass(frozen=True)
class StoreStatus:
    """What ``simpul status`` shows."""

    village: str
    device_id: str
    user: str | None
    cases: int
    outreach: int
    deleted: int
    changes: int
    pending_changes: int
    needs_review: int


@dataclass(frozen=True)
class _Draft:
    kind: str
    record_id: str
    existing: RecordView | None
    body: dict[str, Any]
    base: frozenset[ChangeId]


@dataclass
class _Entry:
    view: RecordView
    haystack: str = field(repr=False)

    @property
    def live(self) -> bool:
        return not self.view.deleted


_SYNC_KEY = "sync"
T = TypeVar("T")


def _now_utc() -> datetime:
    return datetime.now(tz=UTC)


def _dumps(value: object, *, sort: bool = True) -> bytes:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort)
    return text.encode()


def _change_ad(record_id: str, change_id: ChangeId) -> bytes:
    return f"change|{record_id}|{change_id.device}|{change_id.counter}".encode()


def _record_ad(record_id: str) -> bytes:
    return f"record|{record_id}".encode()


def _record_doc_ad(record_id: str) -> bytes:
    return f"record-doc|{record_id}".encode()


def _search_text(code: str, doc: Mapping[str, Any]) -> str:
    parts: list[str] = [code]
    parts.extend(str(doc[k]) for k in _SEARCH_TEXT_FIELDS if isinstance(doc.get(k), str))
    for list_name in ("victims", "perpetrators"):
        for item in doc.get(list_name) or ():
            parts.extend(str(item[k]) for k in _SEARCH_ITEM_FIELDS if item.get(k))
    reporter = doc.get("reporter")
    if isinstance(reporter, dict) and reporter.get("name"):
        parts.append(str(reporter["name"]))
    return "\n".join(parts).casefold()


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def _visible_conflicts(state: RecordState) -> list[str]:
    """Conflicting fields a person can see and settle.

    A field of a removed victim (or other list item) that was edited elsewhere at the same
    time stays in the history, but is not flagged: the item is gone from every screen.
    """
    deleted_items = {
        path[: -len("/_deleted")]
        for path in state.paths()
        if path.endswith("/_deleted") and state.value(path) is True
    }
    return [
        p for p in state.conflicts() if not any(p.startswith(item + "/") for item in deleted_items)
    ]


def _restrict_permissions(profile_dir: Path) -> None:
    """Only the laptop user may read the profile (POSIX; Windows keeps per-user ACLs)."""
    if os.name != "posix":
        return
    with suppress(OSError):
        profile_dir.chmod(0o700)
    for name in (db.DB_NAME, f"{db.DB_NAME}-wal", f"{db.DB_NAME}-shm", VAULT_NAME):
        with suppress(OSError):
            (profile_dir / name).chmod(0o600)


def _summarize(kind: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The list columns of a record (sealed with it; parsed at open instead of the document)."""
    summary: dict[str, Any] = {"deleted": bool(doc.get("_deleted"))}
    if kind == "case":
        types = list(doc.get("violence_types") or [])
        summary.update(
            date=doc.get("reported_on"),
            incident_on=doc.get("incident_on"),
            status=doc.get("status"),
            violence_types=types,
            victims=len(doc.get("victims") or []),
            tppo="trafficking" in types,
        )
    else:
        participants = doc.get("participants") or {}
        summary.update(
            date=doc.get("held_on"),
            title=doc.get("title"),
            type=doc.get("type"),
            topics=list(doc.get("topics") or []),
            participants=sum(
                int(v)
                for k, v in participants.items()
                if k != "with_disability" and isinstance(v, int)
            ),
        )
    return summary


_OUTGOING_CHUNK = 500
"""Sealed changes read per statement by :meth:`Store.read_changes` (SQLite's parameter limit)."""

PACE_EVERY = 0.004
"""Seconds of work between two pauses of :func:`paced` (under the 5 ms switch interval)."""
PACE_PAUSE = 0.0002
"""Seconds of each pause: long enough for a waiting thread to take the interpreter lock."""
_paced = threading.local()  # when this thread last paused: many short loops pace as one


def contiguous_high(counters: Collection[int]) -> int:
    """The highest counter held with every earlier one (counters start at 1; 0: none)."""
    held = 0
    while held + 1 in counters:
        held += 1
    return held


def paced(items: Iterable[T]) -> Iterator[T]:
    """``items`` one by one; off the main thread, with a short sleep every few milliseconds.

    A worker that decrypts or seals blob after blob (a sync round, a return bundle applied)
    starves the UI thread of the interpreter lock: each AES-GCM call (and ``os.urandom``)
    releases the lock for a moment and takes it straight back, and every release wakes the
    waiting UI thread only to find it taken again, which restarts its wait for the switch
    interval (``sys.getswitchinterval()``, 5 ms) before it may ask for the lock. The ask may
    never come: measured, a Qt timer on the main thread stood still for 220-280 ms while
    ``Store.outgoing`` opened 700-900 changes on a worker without a pause (a loop of pure
    Python: ~20 ms). A sleep releases the lock long enough for a waiting thread to take it.
    The main thread never sleeps here: it is the screen's (or a command's, with no other
    thread to wait for).
    """
    if threading.current_thread() is threading.main_thread():
        yield from items
        return
    for item in items:
        yield item
        now = time.perf_counter()
        if now - getattr(_paced, "last", 0.0) >= PACE_EVERY:
            time.sleep(PACE_PAUSE)
            _paced.last = time.perf_counter()


class Store:
    """An unlocked profile: the vault's data key, the database, the decrypted working set.

    Use :meth:`create` once per laptop profile, then :meth:`open` (or
    :meth:`open_with_recovery_code`) on every start, and :meth:`close` to lock.
    """

    def __init__(self, profile_dir: Path, vault: UnlockedVault) -> None:
        self.profile_dir = profile_dir
        self.vault = vault
        self._engine = db.create_engine(profile_dir)
        try:
            db.upgrade(self._engine)
        except sa.exc.DBAPIError as exc:
            self._engine.dispose()
            raise db.translate_error(exc) from exc
        self._sessions: sessionmaker[Session] = make_sessions(self._engine)
        self._write_sessions: sessionmaker[Session] = make_sessions(self._engine, write=True)
        _restrict_permissions(profile_dir)
        self._changes = Sealer(vault.subkey("db/changes"))
        self._records = Sealer(vault.subkey("db/records"))
        self._audit = Sealer(vault.subkey("db/audit"))
        self._meta = Sealer(vault.subkey("db/meta"))
        self._mark = Sealer(vault.subkey("sent-mark"))
        # set when the database was found older than what had left the laptop (see sentmark)
        self.restored_from_backup = False
        self._ws: dict[str, _Entry] = {}
        self._write_lock = threading.RLock()
        # entries materialized inside a transaction, moved into the working set after commit
        self._pending: dict[str, _Entry] = {}
        # highest sequence used per code prefix (kind, village, year, device tag)
        self._code_seq: dict[str, int] = {}
        self.device_id = ""
        self.village = ""
        self._clock = HybridClock()
        self._closed = False
        # record ids whose rows and changes failed their integrity check at open
        self.unreadable: list[str] = []

    # ----------------------------------------------------------------- life cycle

    @classmethod
    def create(
        cls,
        profile_dir: Path,
        *,
        village: str,
        user: str,
        passphrase: str,
        cost: KdfCost | None = None,
    ) -> tuple[Store, str]:
        """Make a new profile (vault, database, device id); return it and the recovery code.

        Raises:
            UnknownVillageError: ``village`` is not a Pemalang desa/kelurahan code.
            WeakPassphraseError: the passphrase is too short.
            VaultExistsError: a profile already exists in ``profile_dir``.
        """
        load_regions().village(village)
        check_passphrase_strength(passphrase)
        vault_path = profile_dir / VAULT_NAME
        if vault_path.exists() or (profile_dir / db.DB_NAME).exists():
            raise VaultExistsError("profile_exists", "a profile already exists here")
        profile_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        unlocked, recovery_code = Vault.create(
            vault_path, user=user, passphrase=passphrase, cost=cost
        )
        try:
            store = cls(profile_dir, unlocked)
            store._initialise(village)
        except BaseException:
            for name in (VAULT_NAME, db.DB_NAME, f"{db.DB_NAME}-wal", f"{db.DB_NAME}-shm"):
                (profile_dir / name).unlink(missing_ok=True)
            raise
        return store, recovery_code

    @classmethod
    def open(cls, profile_dir: Path, *, passphrase: str) -> Store:
        """Unlock an existing profile with a user's passphrase.

        Raises:
            VaultMissingError: there is no profile in ``profile_dir``.
            WrongPassphraseError: no user of this profile has that passphrase.
        """
        unlocked = cls.load_vault(profile_dir).unlock(passphrase)
        return cls._opened(profile_dir, unlocked)

    @classmethod
    def open_with_recovery_code(cls, profile_dir: Path, *, code: str) -> Store:
        """Unlock with the printed recovery code (then set a new passphrase)."""
        unlocked = cls.load_vault(profile_dir).unlock_with_recovery_code(code)
        return cls._opened(profile_dir, unlocked)

    @staticmethod
    def load_vault(profile_dir: Path) -> Vault:
        """Read the profile's vault file without unlocking it."""
        path = profile_dir / VAULT_NAME
        if not path.exists():
            raise VaultMissingError("profile_missing", "no profile here", path=str(profile_dir))
        return Vault.load(path)

    @classmethod
    def _opened(cls, profile_dir: Path, unlocked: UnlockedVault) -> Store:
        store = cls(profile_dir, unlocked)
        store._load()
        return store

    def close(self) -> None:
        """Lock: drop the working set and every key, release the database.

        Views handed out before keep only what the caller already read; their ``doc`` can no
        longer be decrypted.
        """
        self._closed = True
        self._ws.clear()
        self._pending.clear()
        self._code_seq.clear()
        locked = LockedSealer()
        self._changes = self._records = self._audit = self._meta = self._mark = locked
        self.vault.lock()
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _initialise(self, village: str) -> None:
        self.device_id = uuid.uuid4().hex[:16]
        self.village = village
        profile = {"village": village, "created": _now_utc().isoformat(timespec="seconds")}
        with self._write() as session:
            session.add(Meta(key="device_id", value=self.device_id))
            session.add(Meta(key="acked_counter", value="0"))
            session.add(SealedMeta(key="profile", sealed=self._seal_meta("profile", profile)))

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction; the working set takes its entries only after the commit.

        Writes are serialized (the sync worker thread and the screens share the store);
        readers of the working set iterate over copies, so they never see it change midway.
        """
        with self._write_lock:
            yield from self._write_locked()

    def _write_locked(self) -> Iterator[Session]:
        self._pending.clear()
        try:
            with self._write_sessions.begin() as session:
                yield session
        except sa.exc.DBAPIError as exc:
            self._pending.clear()
            raise db.translate_error(exc) from exc
        except BaseException:
            self._pending.clear()
            raise
        self._ws.update(self._pending)
        self._pending.clear()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read-only session, with driver errors turned into typed storage errors."""
        try:
            with self._sessions() as session:
                yield session
        except sa.exc.DBAPIError as exc:
            raise db.translate_error(exc) from exc

    def _seal_meta(self, key: str, value: object) -> bytes:
        return self._meta.seal(_dumps(value), ad=f"meta|{key}".encode())

    def _load(self) -> None:
        with self._read() as session:
            device = session.get(Meta, "device_id")
            sealed = session.get(SealedMeta, "profile")
            if device is None or sealed is None:
                raise StorageError("the profile database is incomplete")
            self.device_id = device.value
            profile = json.loads(self._meta.open(sealed.sealed, ad=b"meta|profile"))
            self.village = str(profile["village"])
            rows = session.execute(
                sa.select(RecordRow.record_id, RecordRow.sealed, RecordRow.sealed_doc)
            ).all()
        latest = Hlc(0, 0)
        damaged: list[str] = []
        for record_id, blob, doc_blob in rows:
            try:
                entry = self._entry_from_blobs(record_id, blob, doc_blob)
            except (CorruptDataError, ValueError, KeyError, TypeError):
                damaged.append(record_id)
                continue
            self._ws[record_id] = entry
            latest = max(latest, entry.view.updated)
        self._clock = HybridClock(last=latest if latest.wall else None)
        if damaged:
            self._rebuild(damaged)
        self._check_sent_mark()

    def _own_top(self, session: Session) -> int:
        top = session.scalar(
            sa.select(sa.func.max(ChangeRow.counter)).where(ChangeRow.device_id == self.device_id)
        )
        return int(top or 0)

    def _check_sent_mark(self) -> None:
        """Continue under a new device id when changes of this id left the laptop that the
        database does not hold: it was put back from an older copy (DESIGN.md §3)."""
        sent = read_mark(self.profile_dir, self._mark).counters.get(self.device_id, 0)
        with self._read() as session:
            top = self._own_top(session)
        if top >= sent:
            return
        old = self.device_id
        self.device_id = uuid.uuid4().hex[:16]
        self._code_seq.clear()
        with self._write() as session:
            row = session.get(Meta, "device_id")
            assert row is not None  # checked by _load
            row.value = self.device_id
            acked = session.get(Meta, "acked_counter")
            if acked is not None:
                acked.value = "0"
            self._add_audit(session, "device_restored", None, detail=f"{old}:{top}<{sent}")
        self.restored_from_backup = True

    def note_sent(self, counter: int) -> None:
        """Record that own changes up to ``counter`` are about to leave the laptop (a bundle
        is pushed or written). Call it *before* the bytes leave."""
        mark = read_mark(self.profile_dir, self._mark)
        if mark.counters.get(self.device_id, 0) >= counter:
            return
        write_mark(
            self.profile_dir,
            self._mark,
            SentMark({**mark.counters, self.device_id: counter}),
        )

    def _rebuild(self, record_ids: list[str]) -> None:
        """Re-materialize damaged record rows from their changes (the rows are derived data)."""
        with self._write() as session:
            for record_id in record_ids:
                try:
                    state = self._replay(session, record_id)
                except (CorruptDataError, ChangeError, ValueError):
                    state = None
                if state is None:
                    self.unreadable.append(record_id)
                    continue
                self._materialize(session, state, previous=None)
                self._add_audit(session, "rebuild", record_id)

    # ----------------------------------------------------------------- reading

    def records(
        self, kind: str | None = None, *, include_deleted: bool = False
    ) -> list[RecordView]:
        """Every record of the working set, newest first by main date then code."""
        views = [
            e.view
            for e in list(self._ws.values())
            if (kind is None or e.view.kind == kind) and (include_deleted or e.live)
        ]
        views.sort(key=lambda v: (v.main_date or "", v.code), reverse=True)
        return views

    def search(self, text: str, kind: str | None = None) -> list[RecordView]:
        """Records whose case code, names, NIK, title or narrative contain ``text`` (any case)."""
        needle = text.strip().casefold()
        found = [
            e.view
            for e in list(self._ws.values())
            if (kind is None or e.view.kind == kind) and e.live and needle in e.haystack
        ]
        found.sort(key=lambda v: (v.main_date or "", v.code), reverse=True)
        return found

    def get(self, ref: str) -> RecordView:
        """The record with this id or code (not audited: for lists and internal use)."""
        entry = self._ws.get(ref)
        if entry is not None:
            return entry.view
        for entry in list(self._ws.values()):
            if entry.view.code == ref:
                return entry.view
        raise UnknownRecordError(ref)

    def read(self, ref: str) -> RecordView:
        """The record a person opens to look at; the view is written to the audit log."""
        view = self.get(ref)
        with self._write() as session:
            self._add_audit(session, "view", view.record_id)
        return view

    def history(self, ref: str) -> list[HistoryEntry]:
        """Every change of a record, oldest first (the record's history screen)."""
        view = self.get(ref)
        with self._read() as session:
            changes = self._load_changes(session, view.record_id)
        changes.sort(key=lambda c: (c.hlc, c.id))
        return [HistoryEntry(c.id, c.hlc, c.author, c.edits) for c in changes]

    def heads(self, ref: str, path: str) -> list[tuple[ChangeId, Any]]:
        """The competing values of a field (one unless it needs review), winner first."""
        view = self.get(ref)
        with self._read() as session:
            state = self._replay(session, view.record_id)
        if state is None:
            return []
        return [(h.change_id, h.value) for h in state.heads(path)]

    def audit_log(self) -> list[AuditEntry]:
        """The local audit log, oldest first."""
        with self._read() as session:
            rows = session.execute(
                sa.select(AuditRow.entry_id, AuditRow.sealed).order_by(AuditRow.seq)
            ).all()
        entries = []
        for entry_id, blob in rows:
            data = json.loads(self._audit.open(blob, ad=f"audit|{entry_id}".encode()))
            entries.append(
                AuditEntry(
                    at=datetime.fromisoformat(data["at"]),
                    user=data["user"],
                    action=data["action"],
                    record_id=data["record_id"],
                    detail=data["detail"],
                )
            )
        return entries

    def status(self) -> StoreStatus:
        """Counts for the status screen and ``simpul status``."""
        views = [e.view for e in list(self._ws.values())]
        with self._read() as session:
            total = session.scalar(sa.select(sa.func.count()).select_from(ChangeRow)) or 0
            own = session.scalar(
                sa.select(sa.func.max(ChangeRow.counter)).where(
                    ChangeRow.device_id == self.device_id
                )
            )
            acked_row = session.get(Meta, "acked_counter")
        acked = int(acked_row.value) if acked_row else 0
        live = [v for v in views if not v.deleted]
        return StoreStatus(
            village=self.village,
            device_id=self.device_id,
            user=self.vault.user,
            cases=sum(1 for v in live if v.kind == "case"),
            outreach=sum(1 for v in live if v.kind == "outreach"),
            deleted=len(views) - len(live),
            changes=total,
            pending_changes=max(0, (own or 0) - acked),
            needs_review=sum(1 for v in live if v.needs_review),
        )

    # ----------------------------------------------------------------- writing

    def save(
        self,
        doc: Mapping[str, Any],
        *,
        kind: str | None = None,
        resolve: Iterable[str] = (),
        today: date | None = None,
        base: RecordView | None = None,
    ) -> SaveResult:
        """Validate a document and save it as one change (a new record when it has no ``id``).

        Only the fields that differ from the current state are written; ``resolve`` names
        fields flagged *needs review* that this save settles (their new value supersedes every
        competing value). Nothing is written when validation fails.

        An edit is made *from* a version: ``base`` (the view the form was filled from), else
        the document's ``_base`` (change ids, as ``record show --json`` prints them), else the
        version held now. Only the fields that differ from that version are written, each
        superseding the values that version showed, so a change that arrived by sync while
        the form was open is kept, and a field both changed is flagged *needs review*.

        Raises:
            ValidationFailedError: with every problem found.
            UnknownRecordError: ``doc["id"]`` names a record this profile does not hold.
        """
        if base is not None:
            doc = {**doc, "_base": list(base.base)}
        return self.save_many([doc], kind=kind, resolve=resolve, today=today)[0]

    def save_many(
        self,
        docs: Sequence[Mapping[str, Any]],
        *,
        kind: str | None = None,
        resolve: Iterable[str] = (),
        today: date | None = None,
    ) -> list[SaveResult]:
        """Save several documents in one transaction: all are saved, or none (demo data, imports).

        Every document is validated before anything is written.
        """
        resolve = tuple(resolve)
        drafts = [self._prepare(doc, kind, today) for doc in docs]
        results: list[SaveResult] = []
        codes: dict[str, int] = {}
        with self._write() as session:
            for draft in drafts:
                results.append(self._save_in(session, draft, resolve, codes))
            if codes:
                self._store_code_seq(session, codes)
        return results

    def _prepare(self, doc: Mapping[str, Any], kind: str | None, today: date | None) -> _Draft:
        kind = str(doc.get("kind") or kind or "")
        if kind not in KINDS:
            raise UnknownKindError(kind)
        record_id = str(doc.get("id") or "")
        existing = self._ws.get(record_id) if record_id else None
        if record_id and existing is None:
            raise UnknownRecordError(record_id)
        if existing is not None and existing.view.kind != kind:
            raise UnknownKindError(kind)
        if existing is not None and existing.view.deleted:
            raise RecordDeletedError(existing.view.code)
        base = existing.view.base_ids if existing is not None else frozenset()
        if existing is not None and doc.get("_base") is not None:
            try:
                base = frozenset(ChangeId.parse(str(text)) for text in doc["_base"])
            except (ChangeError, TypeError, ValueError) as exc:
                raise ChangeRejectedError("bad_base") from exc
        raw = {k: v for k, v in doc.items() if k not in _STORE_KEYS}
        try:
            body = assign_item_ids(raw)
        except MalformedDocumentError:
            problems = validate({**raw, "kind": kind}, today=today)
            if problems:
                raise ValidationFailedError(problems) from None
            raise
        body.setdefault("village", self.village)
        problems = validate({**body, "kind": kind}, today=today)
        if problems:
            raise ValidationFailedError(problems)
        return _Draft(
            kind, record_id or str(uuid.uuid4()), existing.view if existing else None, body, base
        )

    def _save_in(
        self, session: Session, draft: _Draft, resolve: tuple[str, ...], codes: dict[str, int]
    ) -> SaveResult:
        existing = draft.existing
        code = (
            existing.code if existing else self._next_code(session, draft.kind, draft.body, codes)
        )
        desired = flatten({**draft.body, "code": code})
        state: RecordState | None = None
        edits: tuple[FieldEdit, ...] = ()
        if existing is None:
            edits = diff_edits(None, desired)
        else:
            changes = self._load_changes(session, draft.record_id)
            state = self._state_of(draft.record_id, draft.kind, changes)
            if state.deleted:
                raise RecordDeletedError(existing.code)
            seen = [c for c in changes if c.id in draft.base]
            base_state = (
                state
                if len(seen) == len(changes)
                else self._state_of(draft.record_id, draft.kind, seen)
            )
            self._keep_tombstones(base_state, draft.body, desired)
            by_path = {e.path: e for e in diff_edits(base_state, desired)}
            for path in resolve:
                # settling a conflict supersedes every value held now, not only those seen
                heads = frozenset(h.change_id for h in state.heads(path))
                by_path[path] = FieldEdit(path, desired.get(path), heads)
            edits = tuple(by_path[p] for p in sorted(by_path))
        if not edits:
            assert existing is not None
            return SaveResult(existing, None, False)
        change = self._new_change(session, draft.record_id, draft.kind, edits)
        state = state or RecordState(draft.record_id, draft.kind)
        state.apply(change)
        self._write_change(session, change)
        view = self._materialize(session, state, previous=existing, latest=change.hlc)
        action = "create" if existing is None else ("resolve" if resolve else "edit")
        self._add_audit(session, action, draft.record_id, detail=",".join(resolve))
        return SaveResult(view, change.id, existing is None)

    def delete(self, ref: str) -> RecordView:
        """Mark a record deleted (a tombstone change); its history stays until a purge."""
        view = self.get(ref)
        if view.deleted:
            return view
        with self._write() as session:
            state = self._replay(session, view.record_id)
            assert state is not None
            edits = diff_edits(state, {**state.flat(), "_deleted": True})
            change = self._new_change(session, view.record_id, view.kind, edits)
            state.apply(change)
            self._write_change(session, change)
            new_view = self._materialize(session, state, previous=view, latest=change.hlc)
            self._add_audit(session, "delete", view.record_id)
        return new_view

    def apply_changes(self, changes: Iterable[Change], *, source: str = "import") -> int:
        """Store changes made elsewhere (sync, bundles) and merge them; return how many were new.

        Idempotent: a change already held is skipped. All in one transaction.
        """
        by_record: dict[str, list[Change]] = {}
        for change in changes:
            if change.kind not in KINDS:
                raise ChangeRejectedError("unknown_kind", change=str(change.id))
            if not _is_uuid(change.record_id):
                raise ChangeRejectedError("bad_record_id", change=str(change.id))
            by_record.setdefault(change.record_id, []).append(change)
        new = 0
        with self._write() as session:
            for record_id, group in paced(by_record.items()):
                held = {c.id: c for c in self._load_changes(session, record_id)}
                unique: dict[ChangeId, Change] = {}
                for change in group:
                    # one id, one content: a second, different change under a known id is
                    # equivocation (or a restored device reusing counters) and is refused
                    known = held.get(change.id) or unique.get(change.id)
                    if known is not None:
                        if _dumps(known.to_json()) != _dumps(change.to_json()):
                            raise ChangeRejectedError(
                                "conflicting_duplicate", change=str(change.id)
                            )
                        continue
                    unique[change.id] = change
                if not unique:
                    continue
                self._check_foreign(session, record_id, list(held.values()), list(unique.values()))
                for change in unique.values():
                    self._write_change(session, change)
                    self._clock.observe(change.hlc)
                new += len(unique)
                state = self._state_of(record_id, group[0].kind, [*held.values(), *unique.values()])
                previous = self._ws.get(record_id)
                self._materialize(session, state, previous=previous.view if previous else None)
                self._add_audit(session, source, record_id, detail=str(len(unique)))
        return new

    def changes_since(self, seq: int = 0) -> Iterator[tuple[int, Change]]:
        """Every stored change with local arrival order above ``seq`` (for the outbox)."""
        with self._read() as session:
            rows = session.execute(
                sa.select(
                    ChangeRow.seq,
                    ChangeRow.record_id,
                    ChangeRow.device_id,
                    ChangeRow.counter,
                    ChangeRow.sealed,
                )
                .where(ChangeRow.seq > seq)
                .order_by(ChangeRow.seq)
            ).all()
        for row_seq, record_id, device, counter, blob in rows:
            yield row_seq, self._open_change(record_id, ChangeId(device, counter), blob)

    # ----------------------------------------------------------------- sync support

    def sync_state(self) -> dict[str, Any]:
        """The sync layer's sealed state (keys, enrollment, acknowledgements, cursor…).

        Returns:
            A fresh dict (empty before the first sync action); changing it changes nothing
            until passed to :meth:`update_sync_state`.
        """
        with self._read() as session:
            row = session.get(SealedMeta, _SYNC_KEY)
            if row is None:
                return {}
            return dict(json.loads(self._meta.open(row.sealed, ad=f"meta|{_SYNC_KEY}".encode())))

    def update_sync_state(self, update: Callable[[dict[str, Any]], T]) -> T:
        """Read, change and write the sync state in one write transaction.

        Args:
            update: Called with the current state (a dict it may change in place); its
                return value is passed back. Nothing is written if it raises.
        """
        with self._write() as session:
            row = session.get(SealedMeta, _SYNC_KEY)
            ad = f"meta|{_SYNC_KEY}".encode()
            state = {} if row is None else dict(json.loads(self._meta.open(row.sealed, ad=ad)))
            result = update(state)
            sealed = self._seal_meta(_SYNC_KEY, state)
            if row is None:
                session.add(SealedMeta(key=_SYNC_KEY, sealed=sealed))
            else:
                row.sealed = sealed
        return result

    def change_index(self) -> list[ChangeId]:
        """The id of every stored change, in local arrival order (no decryption needed)."""
        with self._read() as session:
            rows = session.execute(
                sa.select(ChangeRow.device_id, ChangeRow.counter).order_by(ChangeRow.seq)
            ).all()
        return [ChangeId(device, counter) for device, counter in rows]

    def held_through(self, device: str) -> int:
        """The highest counter of ``device`` stored here with every earlier one (0: none).

        One indexed aggregate when the counters have no gap (every laptop's own, nearly
        always); only a device with a gap has its counters read.
        """
        with self._read() as session:
            count, high = session.execute(
                sa.select(sa.func.count(), sa.func.max(ChangeRow.counter)).where(
                    ChangeRow.device_id == device
                )
            ).one()
            if not count or count == high:
                return int(high or 0)
            counters = set(
                session.scalars(sa.select(ChangeRow.counter).where(ChangeRow.device_id == device))
            )
        return contiguous_high(counters)

    def held_through_each(self) -> dict[str, int]:
        """:meth:`held_through` of every device with a change stored here (bundle ``holds``).

        One grouped aggregate over the index on (device, counter); only a device whose
        counters have a gap has them read.
        """
        with self._read() as session:
            spans = session.execute(
                sa.select(
                    ChangeRow.device_id, sa.func.count(), sa.func.max(ChangeRow.counter)
                ).group_by(ChangeRow.device_id)
            ).all()
        return {
            device: int(high) if count == high else self.held_through(device)
            for device, count, high in spans
        }

    def change_keys(self) -> list[tuple[str, int]]:
        """(device, counter) of every stored change, in no particular order.

        Read from the index on (device, counter) alone: no row, no decryption, no ChangeId
        objects — a sync counts what is pending after every batch.
        """
        with self._read() as session:
            return [
                (device, counter)
                for device, counter in session.execute(
                    sa.select(ChangeRow.device_id, ChangeRow.counter)
                )
            ]

    def outgoing(self, held: Callable[[ChangeId], bool]) -> list[Change]:
        """Every stored change ``held`` says the district does not hold, in arrival order.

        Only those are decrypted; the choice is made on the plain ids.
        """
        return self.read_changes([cid for cid in self.change_index() if not held(cid)])

    def read_changes(self, ids: Sequence[ChangeId]) -> list[Change]:
        """The stored changes with these ids, decrypted, in the order given.

        Only their sealed bytes are read, a chunk per statement; off the main thread the
        decrypting is :func:`paced`, so a sync round on its worker never freezes the screen.

        Raises:
            StorageError: One of them is not stored here.
        """
        counters: dict[str, list[int]] = {}
        for cid in ids:
            counters.setdefault(cid.device, []).append(cid.counter)
        rows: dict[ChangeId, tuple[str, bytes]] = {}
        with self._read() as session:
            for device, wanted in counters.items():
                for start in range(0, len(wanted), _OUTGOING_CHUNK):
                    found = session.execute(  # by the unique index on (device_id, counter)
                        sa.select(ChangeRow.counter, ChangeRow.record_id, ChangeRow.sealed).where(
                            ChangeRow.device_id == device,
                            ChangeRow.counter.in_(wanted[start : start + _OUTGOING_CHUNK]),
                        )
                    )
                    rows.update(
                        (ChangeId(device, counter), (record_id, bytes(blob)))
                        for counter, record_id, blob in found
                    )
        missing = next((cid for cid in ids if cid not in rows), None)
        if missing is not None:
            raise StorageError(f"change {missing} is not stored here")
        return [self._open_change(rows[cid][0], cid, rows[cid][1]) for cid in paced(ids)]

    def set_acked_counter(self, counter: int) -> None:
        """Record the highest own change counter the district holds without gaps (plain)."""
        with self._write() as session:
            row = session.get(Meta, "acked_counter")
            if row is None:
                session.add(Meta(key="acked_counter", value=str(counter)))
            elif int(row.value) < counter:
                row.value = str(counter)

    # ----------------------------------------------------------------- internals

    def _next_code(
        self, session: Session, kind: str, body: Mapping[str, Any], batch: dict[str, int]
    ) -> str:
        """The next pseudonymous code for this device, kind, village and year.

        The highest sequence per prefix is kept sealed in the database and read inside the
        write transaction, so the app and the CLI on one profile never hand out one code
        twice. ``batch`` holds what this transaction handed out so far.
        """
        key = "reported_on" if kind == "case" else "held_on"
        year = int(str(body.get(key))[:4])
        tag = device_tag(self.device_id)
        kind_ = cast(Kind, kind)
        prefix = make_record_code(
            kind_, village_code=self.village, year=year, device_tag=tag, sequence=1
        )[:-4]
        if not batch:
            batch.update(self._stored_code_seq(session))
            batch[_LOADED] = 1
        if prefix not in batch:
            if prefix not in self._code_seq:
                used = [
                    int(e.view.code[-4:])
                    for e in list(self._ws.values())
                    if e.view.code.startswith(prefix) and e.view.code[-4:].isdigit()
                ]
                self._code_seq[prefix] = max(used, default=0)
            batch[prefix] = self._code_seq[prefix]
        batch[prefix] = max(batch[prefix], self._code_seq.get(prefix, 0)) + 1
        return make_record_code(
            kind_, village_code=self.village, year=year, device_tag=tag, sequence=batch[prefix]
        )

    def _stored_code_seq(self, session: Session) -> dict[str, int]:
        blob = session.execute(_GET_SEALED_META, {"key": "code_seq"}).scalar()
        if blob is None:
            return {}
        data = json.loads(self._meta.open(blob, ad=b"meta|code_seq"))
        return {str(k): int(v) for k, v in data.items()}

    def _store_code_seq(self, session: Session, batch: dict[str, int]) -> None:
        seqs = {k: v for k, v in batch.items() if k != _LOADED}
        for prefix, value in seqs.items():
            self._code_seq[prefix] = max(self._code_seq.get(prefix, 0), value)
        session.execute(
            _UPSERT_SEALED_META, {"key": "code_seq", "sealed": self._seal_meta("code_seq", seqs)}
        )

    @staticmethod
    def _keep_tombstones(
        state: RecordState, body: Mapping[str, Any], desired: dict[str, Any]
    ) -> None:
        """Removed list items become ``<list>/<id>/_deleted``; earlier tombstones stay."""
        present = {
            (name, str(item.get("id")))
            for name in ITEM_LISTS
            for item in body.get(name) or ()
            if isinstance(item, Mapping)
        }
        for path in state.paths():
            parts = path.split("/")
            if len(parts) < 3 or parts[0] not in ITEM_LISTS:
                continue
            if (parts[0], parts[1]) in present:
                continue
            tomb = f"{parts[0]}/{parts[1]}/_deleted"
            desired[tomb] = True

    def _new_change(
        self, session: Session, record_id: str, kind: str, edits: tuple[FieldEdit, ...]
    ) -> Change:
        last = session.scalar(_MAX_COUNTER, {"device": self.device_id})
        change_id = ChangeId(self.device_id, (last or 0) + 1)
        author = self.vault.user or "recovery"
        return Change(change_id, record_id, kind, self._clock.tick(), author, edits)

    def _write_change(self, session: Session, change: Change) -> None:
        blob = self._changes.seal(
            _dumps(change.to_json(), sort=False), ad=_change_ad(change.record_id, change.id)
        )
        session.execute(
            _INSERT_CHANGE,
            {
                "device_id": change.id.device,
                "counter": change.id.counter,
                "record_id": change.record_id,
                "kind": change.kind,
                "sealed": blob,
            },
        )

    def _open_change(self, record_id: str, change_id: ChangeId, blob: bytes) -> Change:
        plain = self._changes.open(blob, ad=_change_ad(record_id, change_id))
        # Changes are stored unsorted (cheaper to save); their key-sorted form, which a bundle
        # carries and the district's fast reader expects (else it falls back to the strict
        # standard-library reader, a fifth of its import time), is made once here by orjson.
        data = jsonio.loads(plain)
        change = Change.from_json(data, encoded=jsonio.sorted_utf8(data))
        if change.id != change_id or change.record_id != record_id:
            raise StorageError("a change row does not match its content")
        return change

    def _load_changes(self, session: Session, record_id: str) -> list[Change]:
        rows = session.execute(
            sa.select(ChangeRow.device_id, ChangeRow.counter, ChangeRow.sealed).where(
                ChangeRow.record_id == record_id
            )
        ).all()
        return [self._open_change(record_id, ChangeId(d, c), blob) for d, c, blob in rows]

    def _replay(self, session: Session, record_id: str) -> RecordState | None:
        changes = self._load_changes(session, record_id)
        if not changes:
            return None
        return self._state_of(record_id, changes[0].kind, changes)

    @staticmethod
    def _state_of(record_id: str, kind: str, changes: Iterable[Change]) -> RecordState:
        state = RecordState(record_id, kind)
        for change in changes:
            try:
                state.apply(change)
            except ChangeError as exc:
                raise ChangeRejectedError("wrong_record", change=str(change.id)) from exc
        return state

    def _check_foreign(
        self, session: Session, record_id: str, held: list[Change], new: list[Change]
    ) -> None:
        """Refuse changes from elsewhere that could hijack a record.

        The pseudonymous code is set once, by the device that created the record.
        """
        has_code = any(e.path == "code" for c in held for e in c.edits)
        for change in new:
            if any(e.path == "code" for e in change.edits) and has_code:
                raise ChangeRejectedError("code_rewritten", change=str(change.id))
        row = session.get(RecordRow, record_id)
        if row is not None and row.kind != new[0].kind:
            raise ChangeRejectedError("kind_mismatch", change=str(new[0].id))

    def _materialize(
        self,
        session: Session,
        state: RecordState,
        *,
        previous: RecordView | None,
        latest: Hlc | None = None,
    ) -> RecordView:
        """Seal the merged state of a record into ``records``; stage its working-set entry.

        ``latest`` is the clock of the one change just applied on top of ``previous`` (a local
        save), which spares a scan of every field's heads.
        """
        doc = unflatten(state.flat())
        code = str(doc.pop("code", "") or (previous.code if previous else ""))
        if latest is not None:
            updated = max(latest, previous.updated) if previous is not None else latest
            created = previous.created if previous is not None else latest
        else:
            hlcs = [h.hlc for path in state.paths() for h in state.heads(path)]
            updated = max(hlcs, default=Hlc(0, 0))
            if previous is not None:
                updated = max(updated, previous.updated)
            created = previous.created if previous is not None else min(hlcs, default=Hlc(0, 0))
        summary = _summarize(state.kind, doc)
        search = _search_text(code, doc)
        conflicts = _visible_conflicts(state)
        base = sorted(str(c) for c in state.change_ids)
        meta = {
            "kind": state.kind,
            "code": code,
            "summary": summary,
            "search": search,
            "conflicts": conflicts,
            "base": base,
            "created": created.encode(),
            "updated": updated.encode(),
            "changes": len(state.change_ids),
        }
        record_id = state.record_id
        doc_blob = self._records.seal(_dumps(doc, sort=False), ad=_record_doc_ad(record_id))
        values = {
            "record_id": record_id,
            "kind": state.kind,
            "sealed": self._records.seal(_dumps(meta), ad=_record_ad(record_id)),
            "sealed_doc": doc_blob,
        }
        session.execute(_UPSERT_RECORD, values)
        view = RecordView(
            record_id=record_id,
            kind=state.kind,
            code=code,
            summary=summary,
            conflicts=tuple(conflicts),
            created=created,
            updated=updated,
            changes=len(state.change_ids),
            base=tuple(base),
            _load_doc=lambda: self._open_doc(record_id, doc_blob),
        )
        self._pending[record_id] = _Entry(view, search)
        return view

    def _entry_from_blobs(self, record_id: str, blob: bytes, doc_blob: bytes) -> _Entry:
        data = jsonio.loads(self._records.open(blob, ad=_record_ad(record_id)))

        view = RecordView(
            record_id=record_id,
            kind=data["kind"],
            code=data["code"],
            summary=data["summary"],
            conflicts=tuple(data["conflicts"]),
            created=Hlc.decode(data["created"]),
            updated=Hlc.decode(data["updated"]),
            changes=int(data["changes"]),
            base=tuple(data["base"]),
            _load_doc=lambda: self._open_doc(record_id, doc_blob),
        )
        return _Entry(view, data["search"])

    def _open_doc(self, record_id: str, blob: bytes) -> dict[str, Any]:
        loaded: dict[str, Any] = jsonio.loads(
            self._records.open(blob, ad=_record_doc_ad(record_id))
        )
        return loaded

    def _add_audit(
        self, session: Session, action: str, record_id: str | None, *, detail: str = ""
    ) -> None:
        entry_id = base64.b32encode(os.urandom(15)).decode().lower()
        data = {
            "at": _now_utc().isoformat(timespec="seconds"),
            "user": self.vault.user or "recovery",
            "action": action,
            "record_id": record_id,
            "detail": detail,
        }
        blob = self._audit.seal(_dumps(data), ad=f"audit|{entry_id}".encode())
        session.execute(_INSERT_AUDIT, {"entry_id": entry_id, "sealed": blob})

    def audit_action(self, action: str, record_id: str | None = None, *, detail: str = "") -> None:
        """Record an action taken outside the store (export, print) in the audit log."""
        with self._write() as session:
            self._add_audit(session, action, record_id, detail=detail)
