"""Turn a record document into field paths and back (the contract of docs/record-format.md).

Storage and sync only ever see field paths such as ``victims/<id>/name``; the CLI, the GUI and
the generator edit whole JSON documents. ``flatten`` and ``unflatten`` are the only bridge.
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TypeAlias

from simpul.errors import UserError

__all__ = [
    "DELETED",
    "ITEM_LISTS",
    "SEP",
    "JsonValue",
    "MalformedDocumentError",
    "assign_item_ids",
    "flatten",
    "new_item_id",
    "unflatten",
]

JsonValue: TypeAlias = "None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]"
"""A JSON value as ``json.loads`` returns it."""

SEP = "/"
"""Separator of path segments."""

DELETED = "_deleted"
"""Key of a tombstone: ``_deleted = true`` on a record or on a list item."""

ITEM_LISTS: tuple[str, ...] = ("victims", "perpetrators", "services", "referrals")
"""Top-level lists whose items carry an ``id`` and become ``<list>/<id>/<field>`` paths."""


class MalformedDocumentError(UserError):
    """A document or a set of paths does not have the shape docs/record-format.md describes."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__("malformed_document", message + " (at {path})", path=path)
        self.path = path


def _is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def _check_segment(segment: object, where: str) -> str:
    if not isinstance(segment, str) or not segment or SEP in segment:
        raise MalformedDocumentError(f"invalid key {segment!r}", path=where or SEP)
    return segment


def _join(prefix: str, segment: str) -> str:
    return f"{prefix}{SEP}{segment}" if prefix else segment


def _atomic(value: object, where: str) -> JsonValue:
    """Return a deep copy of a JSON value, refusing anything JSON cannot hold."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {_check_segment(k, where): _atomic(v, where) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_atomic(v, where) for v in value]
    raise MalformedDocumentError(f"{type(value).__name__} is not a JSON value", path=where)


def _flatten_object(obj: Mapping[str, object], prefix: str, out: dict[str, JsonValue]) -> None:
    for key, value in obj.items():
        path = _join(prefix, _check_segment(key, prefix))
        if isinstance(value, Mapping):
            _flatten_object(value, path, out)
        elif not _is_empty(value):
            out[path] = _atomic(value, path)


def _flatten_items(name: str, items: object, out: dict[str, JsonValue]) -> None:
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise MalformedDocumentError(f"{name} must be a list of objects", path=name)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping):
            raise MalformedDocumentError(f"{name} must be a list of objects", path=name)
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id:
            raise MalformedDocumentError(
                "list item without an id (call assign_item_ids first)", path=name
            )
        _check_segment(item_id, name)
        if item_id in seen:
            raise MalformedDocumentError(f"duplicate item id {item_id}", path=name)
        seen.add(item_id)
        prefix = _join(name, item_id)
        if item.get(DELETED) is True:
            # A removed item keeps only its tombstone; its other fields are cleared.
            out[_join(prefix, DELETED)] = True
            continue
        # The id is stored as a field too, so an item with nothing else filled in still exists.
        out[_join(prefix, "id")] = item_id
        _flatten_object({k: v for k, v in item.items() if k != "id"}, prefix, out)


def flatten(doc: Mapping[str, object]) -> dict[str, JsonValue]:
    """Turn a record document into ``{path: value}``.

    Objects become nested paths (``reporter/name``); items of ``victims``, ``perpetrators``,
    ``services`` and ``referrals`` become ``<list>/<item id>/<field>`` (plus
    ``<list>/<item id>/id``); every other list is one atomic value. ``None`` and empty values
    (``""``, ``[]``, ``{}``) are omitted. An item with ``_deleted: true`` becomes only
    ``<list>/<id>/_deleted = true``.

    Args:
        doc: A record document (parsed JSON).

    Returns:
        The field paths and their values, values deep-copied.

    Raises:
        MalformedDocumentError: A key is empty or contains ``/``, an item list is not a list of
            objects with unique ids, or a value is not JSON.
    """
    out: dict[str, JsonValue] = {}
    for key, value in doc.items():
        _check_segment(key, "")
        if key in ITEM_LISTS and value is not None:
            _flatten_items(key, value, out)
        elif isinstance(value, Mapping):
            _flatten_object(value, key, out)
        elif not _is_empty(value):
            out[key] = _atomic(value, key)
    return out


def _set_path(root: dict[str, JsonValue], segments: list[str], value: JsonValue, path: str) -> None:
    node = root
    for segment in segments[:-1]:
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise MalformedDocumentError("path runs through a value", path=path)
        node = child
    last = segments[-1]
    if last in node:
        raise MalformedDocumentError("path collides with another path", path=path)
    node[last] = value


def unflatten(flat: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """Turn ``{path: value}`` back into a record document; the inverse of :func:`flatten`.

    ``None`` and empty values are skipped (``null`` clears a field). Items of the item lists are
    returned as lists ordered by item id, each with its ``id``; items whose ``_deleted`` is true
    are dropped, and an item list left empty is omitted. The record tombstone ``_deleted`` at
    the top level is kept.

    Args:
        flat: Field paths and values.

    Returns:
        The document.

    Raises:
        MalformedDocumentError: A path has an empty segment, an item list path has no item id
            or field, or one path runs through the value of another.
    """
    root: dict[str, JsonValue] = {}
    items: dict[str, dict[str, dict[str, JsonValue]]] = {}
    for path in sorted(flat):
        value = flat[path]
        if _is_empty(value):
            continue
        segments = path.split(SEP)
        if not all(segments):
            raise MalformedDocumentError("empty path segment", path=path)
        if segments[0] in ITEM_LISTS:
            if len(segments) < 3:
                raise MalformedDocumentError("item path needs an item id and a field", path=path)
            name, item_id = segments[0], segments[1]
            item = items.setdefault(name, {}).setdefault(item_id, {})
            if segments[2:] == ["id"]:
                continue
            _set_path(item, segments[2:], copy.deepcopy(value), path)
        else:
            _set_path(root, segments, copy.deepcopy(value), path)
    for name in ITEM_LISTS:
        kept: list[JsonValue] = []
        for item_id in sorted(items.get(name, {})):
            item = items[name][item_id]
            if item.pop(DELETED, None) is True:
                continue
            kept.append({"id": item_id, **item})
        if kept:
            root[name] = kept
    return root


_id_lock = threading.Lock()
_last_id: tuple[int, int] = (0, 0)
_RANDOM_BITS = 64


def new_item_id() -> str:
    """Return a new list-item id: 12 hex digits of Unix time in ms, then 16 random hex digits.

    Ids sort by creation time, so new items come last. Within this process they are strictly
    increasing even when the clock stands still or steps back.
    """
    global _last_id
    with _id_lock:
        now = time.time_ns() // 1_000_000
        rand = int.from_bytes(os.urandom(_RANDOM_BITS // 8), "big")
        last_ms, last_rand = _last_id
        if now <= last_ms:
            now, rand = last_ms, last_rand + 1
            if rand >= 1 << _RANDOM_BITS:
                now, rand = last_ms + 1, 0
        _last_id = (now, rand)
    return f"{now & 0xFFFF_FFFF_FFFF:012x}{rand:016x}"


def assign_item_ids(doc: Mapping[str, object]) -> dict[str, object]:
    """Return a deep copy of ``doc`` in which every list item lacking an id has a new one.

    Args:
        doc: A record document.

    Returns:
        The copy; items that already have an id keep it.
    """
    out: dict[str, object] = copy.deepcopy(dict(doc))
    for name in ITEM_LISTS:
        items = out.get(name)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict) and not item.get("id"):
                item["id"] = new_item_id()
    return out
