"""Changes: the immutable, field-level saves that storage keeps and bundles carry.

A :class:`Change` is one save of one record by one device: its id ``(device, counter)``, the
record, a hybrid logical clock timestamp, the author and, for every field the save changed, a
:class:`FieldEdit` with the new value and ``pred``, the ids of the changes whose value of *that
field* the save overwrites (DESIGN.md §3). Fields are the paths of ``docs/record-format.md``.

:meth:`Change.to_json` / :meth:`Change.from_json` are the wire form; ``from_json`` is strict
because changes arrive from other devices, and every violation is a :class:`ChangeFormatError`
naming where it is. The constructors check the same rules, so a change that exists is valid.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import json
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, cast

from simpul.changes.clock import Hlc
from simpul.errors import Error

__all__ = [
    "DELETED",
    "MAX_COUNTER",
    "Change",
    "ChangeError",
    "ChangeFormatError",
    "ChangeId",
    "FieldEdit",
    "JsonValue",
    "check_path",
]

JsonValue: TypeAlias = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

DELETED = "_deleted"
"""Tombstone segment: ``_deleted`` is the record tombstone, ``victims/<id>/_deleted`` an item's."""

MAX_COUNTER = 2**63 - 1
"""Largest change counter (it must fit a signed 64-bit database column)."""

_MAX_ID_LEN = 128
_MAX_AUTHOR_LEN = 256
_MAX_PATH_LEN = 512
_MAX_VALUE_DEPTH = 32
_ID_TEXT = re.compile(r"[^\x00-\x20\x7f]+")
_KIND = re.compile(r"[a-z][a-z0-9_]*")
_COUNTER = re.compile(r"[1-9][0-9]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x20), 0x7F])
_NO_PRED: frozenset[ChangeId] = frozenset()
_CHANGE_KEYS = frozenset({"id", "record_id", "kind", "hlc", "author", "edits"})
_EDIT_KEYS = frozenset({"path", "value", "pred"})
# exact types whose values need neither a check nor a copy (float needs a finiteness check)
_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})
_ONLY_DICT = frozenset({dict})
_ONLY_STR = frozenset({str})
_ONLY_LIST = frozenset({list})
_ONLY_THREE = frozenset({3})
_GET_PATH = operator.itemgetter("path")
_GET_VALUE = operator.itemgetter("value")
_GET_PRED = operator.itemgetter("pred")
_PATH = operator.attrgetter("path")
_PRED = operator.attrgetter("pred")
# The paths and values of a change's edits (sorted, unique paths; no pred), checked.
_Columns: TypeAlias = tuple[list[str], list[JsonValue]]


class ChangeError(Error):
    """A change cannot be made or applied (for example it belongs to another record)."""


class ChangeFormatError(ChangeError):
    """A change, or part of one, breaks the change format; the message says where and how."""


@dataclass(frozen=True, order=True, slots=True)
class ChangeId:
    """Identity of a change: the device that made it and that device's counter.

    Orders by ``(device, counter)``; that order breaks ties between equal timestamps.

    Attributes:
        device: Opaque device id: 1 to 128 characters, no whitespace, control characters or
            ``:``.
        counter: The device's change counter, from 1; never reused.
    """

    device: str
    counter: int
    # Merging hashes change ids several times per edit; a hash computed once makes each set or
    # dict lookup about 3x cheaper than the generated __hash__ (see bench/bench_merge.py).
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_id_text(self.device, "device", allow_colon=False)
        if type(self.counter) is not int:
            raise ChangeFormatError(f"counter: expected an integer, got {self.counter!r:.60}")
        if not 1 <= self.counter <= MAX_COUNTER:
            raise ChangeFormatError(
                f"counter: must be between 1 and {MAX_COUNTER}, got {self.counter}"
            )
        object.__setattr__(self, "_hash", hash((self.device, self.counter)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[ChangeId], tuple[str, int]]:
        # String hashes differ between processes: rebuild (and rehash) instead of restoring
        # the cached hash from a pickle made elsewhere.
        return ChangeId, (self.device, self.counter)

    def __str__(self) -> str:
        return f"{self.device}:{self.counter}"

    @classmethod
    def parse(cls, text: str) -> ChangeId:
        """Parse the ``"device:counter"`` form produced by ``str()``.

        Args:
            text: For example ``"d7f3a1:42"``.

        Returns:
            The change id.

        Raises:
            ChangeFormatError: ``text`` is not a string of that form.
        """
        if not isinstance(text, str):
            raise ChangeFormatError(f"change id: expected a string, got {_kind_of(text)}")
        device, colon, counter = text.rpartition(":")
        if not colon or _COUNTER.fullmatch(counter) is None:
            raise ChangeFormatError(
                f"change id: expected 'device:counter' with counter a positive decimal "
                f"integer, got {text!r:.60}"
            )
        try:
            return cls(device, int(counter))
        except ChangeFormatError as exc:
            raise ChangeFormatError(f"change id {text!r:.60}: {exc}") from None


@dataclass(frozen=True, slots=True)
class FieldEdit:
    """The new value of one field, and the changes whose value of that field it overwrites.

    Attributes:
        path: Field path such as ``"status"`` or ``"victims/<id>/name"``.
        value: The new value; ``None`` clears the field. Treat containers as immutable.
        pred: Ids of the changes whose value of ``path`` this edit overwrites (its heads as
            the saving device saw them); empty for a field the device had no value for.
    """

    path: str
    value: JsonValue
    pred: frozenset[ChangeId]

    def __post_init__(self) -> None:
        check_path(self.path)
        _copy_json_value(self.value, "value", 0)
        if not isinstance(self.pred, frozenset):
            raise ChangeFormatError(f"pred: expected a frozenset, got {_kind_of(self.pred)}")
        for change_id in self.pred:
            if not isinstance(change_id, ChangeId):
                raise ChangeFormatError(f"pred: expected change ids, got {change_id!r:.60}")


@dataclass(frozen=True, slots=True)
class Change:
    """One immutable save of one record.

    ``edits`` are kept sorted by path, so two changes with the same content compare equal.

    Attributes:
        id: Unique id of this change.
        record_id: The record (UUID text) the change belongs to.
        kind: The record kind, e.g. ``"case"`` or ``"outreach"``.
        hlc: Hybrid logical clock timestamp from the saving device.
        author: Who saved it: the account on the saving device.
        edits: At least one edit; at most one per path.
    """

    id: ChangeId
    record_id: str
    kind: str
    hlc: Hlc
    author: str
    edits: tuple[FieldEdit, ...]
    # to_json_bytes() when the change was parsed from bytes already in that form (from_json's
    # ``encoded``); never part of equality or the repr.
    _json_bytes: bytes | None = field(default=None, init=False, repr=False, compare=False)
    # The paths and values of the edits as from_json checked them, while the FieldEdits are
    # not made yet (from_json leaves them to the first read of ``edits``, see __getattr__):
    # a district import reads ~770,000 edits for 10,000 cases through these lists only.
    _columns: _Columns | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._check_fields()
        object.__setattr__(self, "edits", _checked_edits(self.edits, self.id))

    def _check_fields(self) -> None:
        """Check every field but the edits."""
        if not isinstance(self.id, ChangeId):
            raise ChangeFormatError(f"id: expected a ChangeId, got {_kind_of(self.id)}")
        _check_id_text(self.record_id, "record_id", allow_colon=True)
        if not isinstance(self.kind, str) or _KIND.fullmatch(self.kind) is None:
            raise ChangeFormatError(
                f"kind: expected lowercase letters, digits and '_', got {self.kind!r:.60}"
            )
        if not isinstance(self.hlc, Hlc):
            raise ChangeFormatError(f"hlc: expected an Hlc, got {_kind_of(self.hlc)}")
        if not isinstance(self.author, str) or not self.author:
            raise ChangeFormatError(f"author: expected a non-empty string, got {self.author!r:.60}")
        if len(self.author) > _MAX_AUTHOR_LEN or _CONTROL.search(self.author):
            raise ChangeFormatError(
                f"author: at most {_MAX_AUTHOR_LEN} characters and no control characters"
            )

    def to_json(self) -> dict[str, JsonValue]:
        """Return the wire form: compact and deterministic (edits by path, pred sorted).

        Returns:
            A dict of JSON values, e.g. ``{"id": "d1:3", "record_id": ..., "kind": "case",
            "hlc": "0000019a2b3c4d5e-0000", "author": ..., "edits": [{"path": ..., "value":
            ..., "pred": ["d1:2"]}]}``.
        """
        return {
            "id": str(self.id),
            "record_id": self.record_id,
            "kind": self.kind,
            "hlc": self.hlc.encode(),
            "author": self.author,
            "edits": [
                {
                    "path": edit.path,
                    "value": _copy_json_value(edit.value, "value", 0),
                    "pred": [str(pred) for pred in sorted(edit.pred)],
                }
                for edit in self.edits
            ],
        }

    def __getattr__(self, name: str) -> Any:
        # Only reached when a slot is unset: the edits of a change that from_json parsed into
        # columns are made here, once, on first use.
        if name != "edits":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        columns = self._columns
        if columns is None:  # pragma: no cover - every change has its edits or its columns
            raise AttributeError(name)
        edits = _edits_of(columns)
        _set_edits(self, edits)
        _set_columns(self, None)
        return edits

    def values_by_path(self) -> dict[str, JsonValue]:
        """Return path → new value of every edit (``None`` for a cleared field).

        The values are the change's own: treat containers as immutable.
        """
        columns = self._columns
        if columns is not None:
            return dict(zip(columns[0], columns[1], strict=True))
        return {edit.path: edit.value for edit in self.edits}

    def find_edit(self, path: str) -> FieldEdit | None:
        """Return the edit of ``path``, or ``None`` (a binary search: edits are sorted by path).

        Args:
            path: A field path such as ``"village"``.

        Returns:
            The edit, if the change sets that field.
        """
        columns = self._columns
        if columns is not None:
            paths, values = columns
            index = bisect.bisect_left(paths, path)
            if index < len(paths) and paths[index] == path:
                return _trusted_edit(path, values[index], _NO_PRED)
            return None
        index = bisect.bisect_left(self.edits, path, key=_PATH)
        if index < len(self.edits) and self.edits[index].path == path:
            return self.edits[index]
        return None

    def to_json_bytes(self) -> bytes:
        """Return :meth:`to_json` as compact, key-sorted UTF-8 JSON (non-ASCII as is).

        These are the bytes a store keeps and digests for the change (the district's change
        log); equal changes give equal bytes. A change parsed with ``from_json(..., encoded=)``
        returns the bytes it was given, without encoding again.

        Returns:
            The UTF-8 bytes.

        Raises:
            UnicodeEncodeError: A string of the change holds a lone surrogate (a ``\\udXXX``
                escape without its pair), which is not text UTF-8 can carry.
        """
        if self._json_bytes is not None:
            return self._json_bytes
        # The wire form without to_json's copies: the values of a change were checked and
        # copied when it was made, and json.dumps only reads them.
        doc = {
            "id": str(self.id),
            "record_id": self.record_id,
            "kind": self.kind,
            "hlc": self.hlc.encode(),
            "author": self.author,
            "edits": [
                {"path": e.path, "value": e.value, "pred": [str(p) for p in sorted(e.pred)]}
                for e in self.edits
            ],
        }
        text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")

    @classmethod
    def from_json(cls, data: object, *, encoded: bytes | None = None) -> Change:
        """Parse the wire form strictly.

        Args:
            data: The decoded JSON of one change, as :meth:`to_json` produces it (edits and
                pred may come in any order).
            encoded: ``data`` encoded as compact, key-sorted UTF-8 JSON, if the caller has it
                (the bundle reader does). It becomes the change's :meth:`to_json_bytes` when
                ``data`` is exactly the change's :meth:`to_json` (edits by path, pred sorted)
                and holds no float (encoders differ in how they write some floats); otherwise
                it is ignored. The caller vouches that it encodes ``data``.

        Returns:
            The change; its values are copies and share nothing with ``data``.

        Raises:
            ChangeFormatError: A key is missing or unknown, a value has the wrong type or
                form, a path is malformed or repeated, a pred is repeated or names a change
                that cannot precede this one, and so on; the message says where.
        """
        obj = _exact_object(data, _CHANGE_KEYS, "change")
        raw_id = obj["id"]
        if not isinstance(raw_id, str):
            raise ChangeFormatError(f"id: expected a string, got {_kind_of(raw_id)}")
        try:
            change_id = ChangeId.parse(raw_id)
        except ChangeFormatError as exc:
            raise ChangeFormatError(f"id: {exc}") from None
        hlc = Hlc.decode(obj["hlc"])
        raw_edits = obj["edits"]
        if not isinstance(raw_edits, list):
            raise ChangeFormatError(f"edits: expected an array, got {_kind_of(raw_edits)}")
        edits, columns, exact = _edits_from_json(raw_edits)
        fields: dict[str, str] = {}
        for key in ("record_id", "kind", "author"):
            value = obj[key]
            if not isinstance(value, str):
                raise ChangeFormatError(f"{key}: expected a string, got {_kind_of(value)}")
            fields[key] = value
        if columns is not None and cls is Change:
            # The edits already are what __post_init__ would make of them (sorted, unique, no
            # pred to check): assemble the change and check the other fields only. Its
            # FieldEdits are made from the columns on first use of ``edits`` (__getattr__).
            change = object.__new__(Change)
            for setter, value in zip(
                _CHANGE_SETTERS,
                (change_id, fields["record_id"], fields["kind"], hlc, fields["author"]),
                strict=True,
            ):
                setter(change, value)
            _set_json_bytes(change, None)
            _set_columns(change, columns)
            change._check_fields()
        else:
            change = cls(
                id=change_id,
                record_id=fields["record_id"],
                kind=fields["kind"],
                hlc=hlc,
                author=fields["author"],
                edits=edits if edits is not None else _edits_of(cast(_Columns, columns)),
            )
        if encoded is not None and exact:
            _set_json_bytes(change, encoded)
        return change


def _checked_edits(raw: object, change_id: ChangeId) -> tuple[FieldEdit, ...]:
    """The edits of a change sorted by path, after checking them against the change's rules."""
    if not isinstance(raw, tuple | list):
        raise ChangeFormatError(f"edits: expected a tuple, got {_kind_of(raw)}")
    if not raw:
        raise ChangeFormatError("edits: a change carries at least one edit")
    # Whole lists at a time, in C (map, set, sorted): a district import checks ~800,000 edits
    # for 10,000 cases.
    if set(map(type, raw)) != _ONLY_FIELD_EDIT:
        for edit in raw:
            if not isinstance(edit, FieldEdit):
                raise ChangeFormatError(f"edits: expected FieldEdit items, got {_kind_of(edit)}")
    edits = tuple(sorted(raw, key=_PATH))
    if len(set(map(_PATH, edits))) != len(edits):
        for before, after in zip(edits, edits[1:], strict=False):
            if before.path == after.path:
                raise ChangeFormatError(f"edits: path {after.path!r} appears more than once")
    if any(map(_PRED, edits)):
        for edit in edits:
            for pred in edit.pred:
                # A change only overwrites what it has seen: never itself, never a later change
                # of its own device. Without this, a change could hide its own value.
                if pred.device == change_id.device and pred.counter >= change_id.counter:
                    raise ChangeFormatError(
                        f"edits[{edit.path!r}].pred: {pred} is not an earlier change than "
                        f"{change_id}"
                    )
    return edits


def check_path(path: object) -> str:
    """Check that ``path`` is a well-formed field path and return it.

    A path is 1 to 512 characters of ``/``-separated segments; no segment is empty, contains
    ``..`` or holds a control character.

    Args:
        path: The candidate path.

    Returns:
        ``path`` itself.

    Raises:
        ChangeFormatError: It is not.
    """
    if not isinstance(path, str):
        raise ChangeFormatError(f"path: expected a string, got {_kind_of(path)}")
    if not path:
        raise ChangeFormatError("path: must not be empty")
    if len(path) > _MAX_PATH_LEN:
        raise ChangeFormatError(f"path: longer than {_MAX_PATH_LEN} characters: {path!r:.60}")
    if _CONTROL.search(path):
        raise ChangeFormatError(f"path: contains a control character: {path!r:.60}")
    # An empty segment is a leading or trailing "/" or a "//"; ".." inside a segment is ".."
    # anywhere, since "/" never belongs to a segment. (Checked without splitting: this runs
    # for every field of every change a district imports.)
    if path[0] == "/" or path[-1] == "/" or "//" in path:
        raise ChangeFormatError(f"path: has an empty segment: {path!r:.60}")
    if ".." in path:
        raise ChangeFormatError(f"path: a segment contains '..': {path!r:.60}")
    return path


def _edits_from_json(
    raw_edits: list[object],
) -> tuple[tuple[FieldEdit, ...] | None, _Columns | None, bool]:
    """Parse the ``edits`` array.

    The common shape — objects of exactly path, value and pred, well-formed paths, plain
    values, no pred — is checked for the whole array at once with C-level operations (a
    district parses ~800,000 edits for 10,000 cases). Anything else goes edit by edit through
    :func:`_edit_from_json`, which names the edit and the rule it breaks.

    Returns:
        The edits — or ``None``, and their paths and values instead, when they are ready for a
        change as they are (sorted by unique paths, no pred to check against the change's
        id) — and whether ``raw_edits`` is exactly their to_json form (edits by path, pred
        sorted) with no float.
    """
    if not raw_edits or set(map(type, raw_edits)) != _ONLY_DICT:
        return _edits_one_by_one(raw_edits)
    objects = cast(list[dict[str, Any]], raw_edits)
    if set(map(len, objects)) != _ONLY_THREE:
        return _edits_one_by_one(raw_edits)
    try:
        paths = list(map(_GET_PATH, objects))
        raw_values = list(map(_GET_VALUE, objects))
        raw_preds = list(map(_GET_PRED, objects))
    except KeyError:
        return _edits_one_by_one(raw_edits)
    if not _well_formed_paths(paths):
        return _edits_one_by_one(raw_edits)
    # Strictly increasing: sorted and unique in one pass (the to_json order of every change).
    unique = in_order = all(map(operator.lt, paths, itertools.islice(paths, 1, None)))
    if not in_order:
        in_order = paths == sorted(paths)
        unique = len(set(paths)) == len(paths)
    exact = in_order
    values: list[JsonValue] = raw_values
    preds: list[frozenset[ChangeId]]
    try:
        if not set(map(type, raw_values)) <= _PLAIN_SCALARS:
            plain = map(_PLAIN_SCALARS.__contains__, map(type, raw_values))
            for index in itertools.compress(itertools.count(), map(operator.not_, plain)):
                raw = raw_values[index]
                if type(raw) is list and set(map(type, raw)) == _ONLY_STR:
                    values[index] = raw.copy()  # the common case: a list of codes
                    continue
                values[index] = _copy_json_value(raw, f"edits[{index}].value", 0)
                exact = exact and not _holds_float(raw)
        no_pred = set(map(type, raw_preds)) == _ONLY_LIST and not any(raw_preds)
        if no_pred:
            preds = [_NO_PRED] * len(raw_preds)
        else:
            preds = []
            for index, raw_pred in enumerate(raw_preds):
                pred = _pred_from_json(raw_pred, index)
                exact = exact and raw_pred == [str(change_id) for change_id in sorted(pred)]
                preds.append(pred)
    except ChangeFormatError:
        return _edits_one_by_one(raw_edits)
    if in_order and no_pred and unique:
        return None, (cast(list[str], paths), values), exact
    return _trusted_edits(cast(list[str], paths), values, preds), None, exact


def _edits_one_by_one(
    raw_edits: list[object],
) -> tuple[tuple[FieldEdit, ...], None, bool]:
    """Edit by edit, so that the first broken edit is the one named (and then raised)."""
    edits = tuple(_edit_from_json(raw, index) for index, raw in enumerate(raw_edits))
    return edits, None, False


def _well_formed_paths(paths: list[object]) -> bool:
    """Whether every path passes :func:`check_path`, tested on all of them joined by ``/``.

    Joined by ``/``, an empty path or segment, or a leading or trailing ``/``, shows as ``//``
    or at either end, and ``..`` or a control character in one path shows in the whole; ``..``
    never spans two paths, since ``/`` stands between them.
    """
    try:
        joined = "/".join(cast(list[str], paths))
    except TypeError:  # not all strings
        return False
    # Control characters are single bytes in UTF-8, never inside a multi-byte sequence; and
    # deleting them from bytes is a plain C loop, faster than str.isprintable.
    data = joined.encode("utf-8", "surrogatepass")
    clean = len(data.translate(None, _CONTROL_BYTES)) == len(data)
    return (
        clean
        and joined[:1] not in ("", "/")
        and joined[-1] != "/"
        and "//" not in joined
        and ".." not in joined
        and max(map(len, cast(list[str], paths))) <= _MAX_PATH_LEN
    )


def _edit_from_json(data: object, index: int) -> FieldEdit:
    obj = _exact_object(data, _EDIT_KEYS, f"edits[{index}]")
    try:
        path = check_path(obj["path"])
    except ChangeFormatError as exc:
        raise ChangeFormatError(f"edits[{index}]: {exc}") from None
    value = _copy_json_value(obj["value"], f"edits[{index}].value", 0)
    pred = _pred_from_json(obj["pred"], index)
    return _trusted_edit(path, value, pred)


def _pred_from_json(raw_pred: object, index: int) -> frozenset[ChangeId]:
    if not isinstance(raw_pred, list):
        raise ChangeFormatError(f"edits[{index}].pred: expected an array, got {_kind_of(raw_pred)}")
    if not raw_pred:
        return _NO_PRED
    pred: set[ChangeId] = set()
    for pindex, raw in enumerate(raw_pred):
        try:
            change_id = ChangeId.parse(_string(raw))
        except ChangeFormatError as exc:
            raise ChangeFormatError(f"edits[{index}].pred[{pindex}]: {exc}") from None
        if change_id in pred:
            raise ChangeFormatError(
                f"edits[{index}].pred[{pindex}]: {change_id} appears more than once"
            )
        pred.add(change_id)
    return frozenset(pred)


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The ``__set__`` of a slot: sets it on a frozen dataclass instance, no name lookup."""
    return cast(Callable[[object, object], None], cls.__dict__[name].__set__)


_ONLY_FIELD_EDIT = frozenset({FieldEdit})
_CHANGE_SETTERS = tuple(
    _slot_setter(Change, name) for name in ("id", "record_id", "kind", "hlc", "author")
)
_set_json_bytes = _slot_setter(Change, "_json_bytes")
_set_columns = _slot_setter(Change, "_columns")
_set_edits = _slot_setter(Change, "edits")
_set_path = _slot_setter(FieldEdit, "path")
_set_value = _slot_setter(FieldEdit, "value")
_set_pred = _slot_setter(FieldEdit, "pred")


def _trusted_edit(path: str, value: JsonValue, pred: frozenset[ChangeId], /) -> FieldEdit:
    """A FieldEdit from parts already checked (and copied) by the caller: no checks again."""
    edit = object.__new__(FieldEdit)
    _set_path(edit, path)
    _set_value(edit, value)
    _set_pred(edit, pred)
    return edit


def _trusted_edits(
    paths: list[str], values: list[JsonValue], preds: list[frozenset[ChangeId]]
) -> tuple[FieldEdit, ...]:
    """:func:`_trusted_edit` for whole lists, every step a C-level loop (no Python frame per
    edit: this makes ~800,000 edits for a district import of 10,000 cases)."""
    edits = tuple(map(object.__new__, itertools.repeat(FieldEdit, len(paths))))
    collections.deque(map(_set_path, edits, paths), maxlen=0)
    collections.deque(map(_set_value, edits, values), maxlen=0)
    collections.deque(map(_set_pred, edits, preds), maxlen=0)
    return edits


def _edits_of(columns: _Columns) -> tuple[FieldEdit, ...]:
    """The edits of checked columns: paths sorted and unique, no pred."""
    paths, values = columns
    return _trusted_edits(paths, values, [_NO_PRED] * len(paths))


def _exact_object(data: object, keys: frozenset[str], where: str) -> dict[str, object]:
    if not isinstance(data, dict):
        raise ChangeFormatError(f"{where}: expected an object, got {_kind_of(data)}")
    if data.keys() == keys:
        return data
    missing = sorted(keys - data.keys())
    if missing:
        raise ChangeFormatError(f"{where}: missing key {missing[0]!r}")
    unknown = sorted(repr(key) for key in data.keys() - keys)
    if unknown:
        raise ChangeFormatError(f"{where}: unknown key {unknown[0]:.60}")
    return data


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ChangeFormatError(f"expected a string, got {_kind_of(value)}")
    return value


def _check_id_text(value: object, where: str, *, allow_colon: bool) -> None:
    if not isinstance(value, str):
        raise ChangeFormatError(f"{where}: expected a string, got {_kind_of(value)}")
    if not 1 <= len(value) <= _MAX_ID_LEN or _ID_TEXT.fullmatch(value) is None:
        raise ChangeFormatError(
            f"{where}: expected 1 to {_MAX_ID_LEN} characters without whitespace or control "
            f"characters, got {value!r:.60}"
        )
    if not allow_colon and ":" in value:
        raise ChangeFormatError(f"{where}: must not contain ':', got {value!r:.60}")


def _copy_json_value(value: object, where: str, depth: int) -> JsonValue:
    """Return a deep copy of ``value`` after checking that it is plain, finite JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ChangeFormatError(f"{where}: {value} is not a finite number")
        return value
    if depth >= _MAX_VALUE_DEPTH:
        raise ChangeFormatError(f"{where}: nested deeper than {_MAX_VALUE_DEPTH} levels")
    if isinstance(value, list):
        if all(type(item) is str for item in value):  # the common case: a list of codes
            return list(value)
        return [
            _copy_json_value(item, f"{where}[{index}]", depth + 1)
            for index, item in enumerate(value)
        ]
    if isinstance(value, dict):
        copy: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ChangeFormatError(f"{where}: object key {key!r:.60} is not a string")
            copy[key] = _copy_json_value(item, f"{where}.{key}", depth + 1)
        return copy
    raise ChangeFormatError(f"{where}: {_kind_of(value)} is not a JSON value")


def _holds_float(value: object) -> bool:
    """Whether a JSON value has a float anywhere inside."""
    if type(value) is list:
        return not all(type(item) is str for item in value) and any(map(_holds_float, value))
    if type(value) is dict:
        return any(map(_holds_float, value.values()))
    return isinstance(value, float)


def _kind_of(value: object) -> str:
    names = {
        type(None): "null",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return names.get(type(value), type(value).__name__)
