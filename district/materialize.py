"""Turn the merged state of a record into its row: plaintext categories and the sealed document.

Only values that are codes of the shipped taxonomy (or counts, or months) reach a plain
column; anything else — a name typed into a code field by a broken or hostile client — is
replaced by ``other`` / ``unknown`` / nothing, so no free text can leak into the plaintext
columns whatever a device sends.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections import Counter as Tally
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

import orjson

from simpul.changes import DELETED, Change, ChangeId, Hlc, JsonValue, RecordState
from simpul.records import ITEM_LISTS, MalformedDocumentError, age_band
from simpul.records.derived import RECORD_CODE_RE, parse_date, police_deadline, victim_age
from simpul.records.taxonomy import load_taxonomy

__all__ = [
    "DERIVED_REV",
    "DISTRICT_TZ",
    "ROW_COLUMNS",
    "Materialized",
    "kecamatan_of",
    "materialize",
    "materialize_flat",
    "materialize_history",
]

DERIVED_REV = 1
"""Version of the rules deriving the plain columns; raise it when they change, and rows of an
older version are derived again from their sealed documents (``District._refresh_derived``)."""

DISTRICT_TZ = timezone(timedelta(hours=7), "WIB")
"""Kabupaten Pemalang's local time (WIB, UTC+7, no daylight saving): dates in records are
local dates."""

ROW_COLUMNS = (
    "kind",
    "village",
    "kecamatan",
    "code",
    "status",
    "period",
    "reported_on",
    "police_due",
    "derived_rev",
    "victims",
    "tppo",
    "outreach_type",
    "male_child",
    "male_adult",
    "female_child",
    "female_adult",
    "deleted",
    "conflicts",
    "changes",
    "updated_hlc",
)
"""The keys of :attr:`Materialized.columns`: the ``records`` columns derived from a record."""

UNKNOWN = "unknown"
OTHER = "other"

_ITEM_LISTS = frozenset(ITEM_LISTS)
_HEAD = operator.itemgetter(0)
_VICTIMS = "victims/"
_VICTIM_FIELDS = ("sex", "birth_date", "age")
_REFERRALS = "referrals/"
_REFERRAL_FIELDS = ("to", "status", "on")


@dataclass(frozen=True)
class Materialized:
    """What the records tables hold for one record.

    Attributes:
        columns: Values of the ``records`` row (without ``record_id``, ``sealed``,
            ``updated_at``).
        violence_types: Rows of ``record_violence_types`` (codes).
        victims: ``(sex, age band) → count`` rows of ``record_victims``.
        document: The plaintext to seal: ``{"flat", "conflicts", "base"}`` as JSON bytes.
    """

    columns: dict[str, Any]
    violence_types: tuple[str, ...]
    victims: dict[tuple[str, str], int]
    document: bytes


@cache
def _age_band(age: int) -> str:
    """:func:`simpul.records.age_band`, remembered (it scans the taxonomy's bands)."""
    return age_band(age)


@cache
def _codes(list_name: str) -> frozenset[str]:
    return frozenset(load_taxonomy().codes(list_name))


def _code(value: object, list_name: str, *, fallback: str | None) -> str | None:
    if isinstance(value, str) and value in _codes(list_name):
        return value
    return fallback if value not in (None, "") else None


def _count(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31:
        return value
    return 0


def kecamatan_of(village: str) -> str:
    """Return the kecamatan code of a village code (``33.27.08.2012`` → ``33.27.08``)."""
    return village.rsplit(".", 1)[0]


def materialize(state: RecordState, village: str, *, updated: Hlc | None = None) -> Materialized:
    """Derive the row of a record from its merged state.

    Args:
        state: The merged state (every change of the record held).
        village: The record's village (checked by the caller against the sender).
        updated: The highest clock of the record's changes if the caller knows it (spares a
            scan of every head).

    Returns:
        The row values, child rows and the document to seal.

    Raises:
        MalformedDocumentError: The merged paths do not form a document.
    """
    if updated is None:
        hlcs = [head.hlc for path in state.paths() for head in state.heads(path)]
        updated = max(hlcs, default=Hlc(0, 0))
    return materialize_flat(
        state.kind,
        state.flat(),
        village,
        conflicts=state.conflicts(),
        base=state.change_ids,
        updated=updated,
    )


def materialize_flat(
    kind: str,
    flat: Mapping[str, JsonValue],
    village: str,
    *,
    conflicts: Sequence[str],
    base: Iterable[ChangeId],
    updated: Hlc,
) -> Materialized:
    """Derive the row of a record from its displayed field values.

    Reads the categories straight from the field paths (no document is built: that happens
    only when a staff member opens the record), after checking that the paths form one.

    Args:
        kind: ``case`` or ``outreach``.
        flat: Path → displayed value, ``None`` values left out (``RecordState.flat()``).
        village: The record's village.
        conflicts: Paths with several heads.
        base: Ids of every change of the record.
        updated: The highest clock of those changes.

    Returns:
        The row values, child rows and the sealed document's plaintext (``{"flat", "conflicts",
        "base"}``).

    Raises:
        MalformedDocumentError: A path runs through another path's value, or an item-list path
            lacks an item id or field.
    """
    ancestors = _check_shape(flat)
    code = flat.get("code")
    deleted = flat.get(DELETED) is True
    columns: dict[str, Any] = {
        "kind": kind,
        "village": village,
        "kecamatan": kecamatan_of(village),
        "code": code if isinstance(code, str) and RECORD_CODE_RE.match(code) else None,
        "status": None,
        "period": None,
        "reported_on": None,
        "police_due": None,
        "derived_rev": DERIVED_REV,
        "victims": 0,
        "tppo": False,
        "outreach_type": None,
        "male_child": 0,
        "male_adult": 0,
        "female_child": 0,
        "female_adult": 0,
        "deleted": deleted,
        "conflicts": len(conflicts),
        "changes": 0,
        "updated_hlc": updated.encode(),
    }
    base_ids = sorted(map(str, base))
    columns["changes"] = len(base_ids)
    types: tuple[str, ...] = ()
    victims: Tally[tuple[str, str]] = Tally()
    if kind == "case":
        raw_types = flat.get("violence_types")
        if isinstance(raw_types, list):
            types = tuple(
                sorted({_code(t, "violence_type", fallback=OTHER) or OTHER for t in raw_types})
            )
        reported = parse_date(flat.get("reported_on"))
        for item in _victims(flat, ancestors):
            sex = _code(item.get("sex"), "sex", fallback=UNKNOWN) or UNKNOWN
            age = victim_age(item, on=reported) if reported is not None else None
            band = _age_band(age) if age is not None and age <= 150 else UNKNOWN
            victims[(sex, band)] += 1
        columns.update(
            status=_code(flat.get("status"), "case_status", fallback=OTHER),
            period=f"{reported.year:04d}-{reported.month:02d}" if reported is not None else None,
            reported_on=reported.isoformat() if reported is not None else None,
            police_due=_police_due(flat, ancestors),
            victims=sum(victims.values()),
            tppo="trafficking" in types,
        )
    elif kind == "outreach":
        held = parse_date(flat.get("held_on"))
        columns.update(
            period=f"{held.year:04d}-{held.month:02d}" if held is not None else None,
            reported_on=held.isoformat() if held is not None else None,
            outreach_type=_code(flat.get("type"), "outreach_type", fallback=OTHER),
            male_child=_count(flat.get("participants/male_child")),
            male_adult=_count(flat.get("participants/male_adult")),
            female_child=_count(flat.get("participants/female_child")),
            female_adult=_count(flat.get("participants/female_adult")),
        )
    document = _document({"flat": flat, "conflicts": list(conflicts), "base": base_ids})
    return Materialized(columns, types, dict(victims), document)


def _document(doc: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON of the document to seal (read back with ``json.loads``)."""
    try:
        return orjson.dumps(doc)
    except orjson.JSONEncodeError:
        # An integer beyond 64 bits: the standard library writes any integer.
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _victims(flat: Mapping[str, JsonValue], ancestors: set[str]) -> list[dict[str, JsonValue]]:
    """The live victims: their ``sex``, ``birth_date`` and ``age`` (removed items left out)."""
    return _items(flat, ancestors, _VICTIMS, _VICTIM_FIELDS)


def _items(
    flat: Mapping[str, JsonValue], ancestors: set[str], prefix: str, fields: Sequence[str]
) -> list[dict[str, JsonValue]]:
    """The live items of one item list (``victims/``…) with some of their fields.

    An item ``victims/<id>`` exists when some path runs through it, that is when it is one of
    the ``ancestors`` of the paths; its fields are looked up, not searched for.
    """
    live: list[dict[str, JsonValue]] = []
    for item in ancestors:
        if item.startswith(prefix) and item.count("/") == 1:
            item_prefix = item + "/"
            if flat.get(item_prefix + DELETED) is not True:
                live.append({field: flat.get(item_prefix + field) for field in fields})
    return live


def _list(value: JsonValue | None) -> list[JsonValue]:
    return value if isinstance(value, list) else []


def _police_due(flat: Mapping[str, JsonValue], ancestors: set[str]) -> datetime | None:
    """When the police must have a sexual-violence case referred to UPTD PPA (UU TPKS Pasal
    41, the rule of :func:`simpul.records.derived.police_deadline`), in UTC; ``None`` when
    the rule does not apply or the police already have it."""
    deadline = police_deadline(
        {
            # Lists only: a hostile client's number in a list field must not break the rule.
            "violence_types": _list(flat.get("violence_types")),
            "tpks_types": _list(flat.get("tpks_types")),
            "legal_status": flat.get("legal_status"),
            "referrals": _items(flat, ancestors, _REFERRALS, _REFERRAL_FIELDS),
        }
    )
    if deadline is None or deadline.forwarded:
        return None
    return deadline.due.replace(tzinfo=DISTRICT_TZ).astimezone(UTC)


def _check_shape(flat: Mapping[str, JsonValue]) -> set[str]:
    """Refuse paths that :func:`simpul.records.unflatten` could not turn into a document.

    Returns:
        The ancestors of the paths: every prefix of a path that ends before one of its ``/``.
    """
    # The common case in a few passes in C: no path is a bare item list or one level inside
    # one, and no path is an ancestor of another (worked out from the few distinct parents).
    # Otherwise the loop below names the first path at fault.
    parents = set(map(_HEAD, map(str.rpartition, flat, itertools.repeat("/"))))
    parents.discard("")
    ancestors = set(parents)
    for parent in parents:
        while "/" in parent:
            parent = parent.rpartition("/")[0]
            ancestors.add(parent)
    if _ITEM_LISTS.isdisjoint(flat) and _ITEM_LISTS.isdisjoint(parents):
        if ancestors.isdisjoint(flat):
            return ancestors
    for path in flat:
        end = path.find("/")
        if end == -1:
            if path in ITEM_LISTS:
                raise MalformedDocumentError("item path needs an item id and a field", path=path)
            continue
        if path[:end] in ITEM_LISTS and path.count("/") < 2:
            raise MalformedDocumentError("item path needs an item id and a field", path=path)
        while end != -1:
            if path[:end] in flat:
                raise MalformedDocumentError("path runs through a value", path=path)
            end = path.find("/", end + 1)
    return ancestors  # pragma: no cover - the test above is exact: the loop raises


def materialize_history(history: Sequence[Change], village: str) -> Materialized:
    """Merge every change of one record (of ``village``) and derive its row.

    A record made by one change (most imports) needs no merge: its fields are that change's
    edits, so the merge state is skipped.
    """
    first = history[0]
    if len(history) == 1:
        flat = first.values_by_path()
        if None in flat.values():
            flat = {path: value for path, value in flat.items() if value is not None}
        return materialize_flat(
            first.kind, flat, village, conflicts=(), base=(first.id,), updated=first.hlc
        )
    state = RecordState(first.record_id, first.kind)
    for change in history:
        state.apply(change)
    return materialize(state, village, updated=max(change.hlc for change in history))
