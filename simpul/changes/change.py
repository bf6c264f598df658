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

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeAlias

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
# What check_path accepts, as one regular expression (the length limit apart): the fast test
# run for each of the ~80 edits of every change a district imports. A path it does not match
# goes through check_path, which names the rule broken.
_SEGMENT = r"(?:[^/.\x00-\x1f\x7f]|\.(?!\.))+"
_WELL_FORMED_PATH = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
_NO_PRED: frozenset[ChangeId] = frozenset()
_CHANGE_KEYS = frozenset({"id", "record_id", "kind", "hlc", "author", "edits"})
_EDIT_KEYS = frozenset({"path", "value", "pred"})
# exact types whose values need neither a check nor a copy (float needs a finiteness check)
_PLAIN_SCALARS = frozenset({str, int, bool})


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

    def __post_init__(self) -> None:
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
        if not isinstance(self.edits, tuple | list):
            raise ChangeFormatError(f"edits: expected a tuple, got {_kind_of(self.edits)}")
        if not self.edits:
            raise ChangeFormatError("edits: a change carries at least one edit")
        for edit in self.edits:
            if not isinstance(edit, FieldEdit):
                raise ChangeFormatError(f"edits: expected FieldEdit items, got {_kind_of(edit)}")
        edits = tuple(sorted(self.edits, key=_edit_path))
        for before, after in zip(edits, edits[1:], strict=False):
            if before.path == after.path:
                raise ChangeFormatError(f"edits: path {after.path!r} appears more than once")
        for edit in edits:
            for pred in edit.pred:
                # A change only overwrites what it has seen: never itself, never a later change
                # of its own device. Without this, a change could hide its own value.
                if pred.device == self.id.device and pred.counter >= self.id.counter:
                    raise ChangeFormatError(
                        f"edits[{edit.path!r}].pred: {pred} is not an earlier change than {self.id}"
                    )
        object.__setattr__(self, "edits", edits)

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

    @classmethod
    def from_json(cls, data: object) -> Change:
        """Parse the wire form strictly.

        Args:
            data: The decoded JSON of one change, as :meth:`to_json` produces it (edits and
                pred may come in any order).

        Returns:
            The change; its values are copies and share nothing with ``data``.

        Raises:
            ChangeFormatError: A key is missing or unknown, a value has the wrong type or
                form, a path is malformed or repeated, a pred is repeated or names a change
                that cannot precede this one, and so on; the message says where.
        """
        obj = _exact_object(data, _CHANGE_KEYS, "change")
        with _at("id"):
            change_id = ChangeId.parse(_string(obj["id"]))
        hlc = Hlc.decode(obj["hlc"])
        raw_edits = obj["edits"]
        if not isinstance(raw_edits, list):
            raise ChangeFormatError(f"edits: expected an array, got {_kind_of(raw_edits)}")
        edits = tuple(_edit_from_json(raw, index) for index, raw in enumerate(raw_edits))
        fields: dict[str, str] = {}
        for key in ("record_id", "kind", "author"):
            with _at(key):
                fields[key] = _string(obj[key])
        return cls(
            id=change_id,
            record_id=fields["record_id"],
            kind=fields["kind"],
            hlc=hlc,
            author=fields["author"],
            edits=edits,
        )


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


def _edit_from_json(data: object, index: int) -> FieldEdit:
    if (
        type(data) is dict
        and len(data) == 3
        and "path" in data
        and "value" in data
        and "pred" in data
    ):
        obj: dict[str, object] = data
    else:
        obj = _exact_object(data, _EDIT_KEYS, f"edits[{index}]")
    path = obj["path"]
    if (
        type(path) is not str
        or len(path) > _MAX_PATH_LEN
        or _WELL_FORMED_PATH.fullmatch(path) is None
    ):
        try:
            check_path(path)
        except ChangeFormatError as exc:
            raise ChangeFormatError(f"edits[{index}]: {exc}") from None
    raw_value = obj["value"]
    value: JsonValue
    if raw_value is None or type(raw_value) in _PLAIN_SCALARS:
        value = raw_value  # type: ignore[assignment]
    else:
        value = _copy_json_value(raw_value, f"edits[{index}].value", 0)
    raw_pred = obj["pred"]
    if type(raw_pred) is list and not raw_pred:
        pred = _NO_PRED
    else:
        pred = _pred_from_json(raw_pred, index)
    # path and value were checked just above: build the edit without checking them again
    edit = object.__new__(FieldEdit)
    object.__setattr__(edit, "path", path)
    object.__setattr__(edit, "value", value)
    object.__setattr__(edit, "pred", pred)
    return edit


def _pred_from_json(raw_pred: object, index: int) -> frozenset[ChangeId]:
    if not isinstance(raw_pred, list):
        raise ChangeFormatError(
            f"edits[{index}].pred: expected an array, got {_kind_of(raw_pred)}"
        )
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


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Prefix the message of a ChangeFormatError raised inside with ``where``."""
    try:
        yield
    except ChangeFormatError as exc:
        raise ChangeFormatError(f"{where}: {exc}") from None


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


def _edit_path(edit: FieldEdit) -> str:
    return edit.path
