"""Canonical JSON writing and strict JSON reading for bundle headers, bodies and receipts.

Reading has a fast path: ``orjson`` parses, and its key-sorted re-encoding must give back the
input byte for byte. Bytes that are exactly the canonical encoding of what they parse to hold
no duplicate key, no NaN and no invalid UTF-8, and parse to the same value in any exact JSON
reader — so every rule of the strict reader holds for them. Everything else (whitespace,
another key order, another number or escape style, and every malformed input) goes through the
strict standard-library reader, which accepts or rejects it as it always did.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Sequence
from typing import Any

import orjson

from simpul.jsonio import sorted_utf8

__all__ = [
    "JsonFormatError",
    "ascii_json",
    "canonical_json",
    "strict_json",
    "strict_json_items",
]

_SORTED = orjson.OPT_SORT_KEYS
_ASCII_ESCAPES = "simpul-json-ascii"


class JsonFormatError(ValueError):
    """Bytes are not strict JSON: bad UTF-8, a duplicate key, NaN/Infinity, too deep."""


def canonical_json(value: object) -> bytes:
    """Encode ``value`` as canonical JSON: sorted keys, no whitespace, ASCII only, no NaN.

    Non-ASCII characters are written as ``\\uXXXX`` escapes, so any Python string (even one
    holding a lone surrogate) encodes, and the bytes are plain ASCII.

    Args:
        value: JSON-compatible data.

    Returns:
        The ASCII bytes.

    Raises:
        ValueError: ``value`` holds a non-finite float.
        TypeError: ``value`` holds something JSON cannot encode.
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        # Two readers could take different values of a repeated key; refuse it outright.
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonFormatError(f"duplicate key {key!r:.60}")
            seen.add(key)
    return result


def _no_constant(name: str) -> object:
    raise JsonFormatError(f"{name} is not JSON")


def _escape_non_ascii(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    # json.dumps's own escapes for the run: \uXXXX, lowercase, surrogate pairs beyond the BMP
    return json.dumps(exc.object[exc.start : exc.end])[1:-1], exc.end


codecs.register_error(_ASCII_ESCAPES, _escape_non_ascii)


def ascii_json(utf8: bytes) -> bytes:
    """``canonical_json`` of a value, from its compact key-sorted UTF-8 encoding (orjson's, or
    ``json.dumps(..., ensure_ascii=False)``'s): the same bytes, escaped to ASCII."""
    return _ascii(utf8)


def _ascii(utf8: bytes) -> bytes:
    """What ``canonical_json`` writes, from orjson's key-sorted UTF-8 output of the same value.

    orjson escapes exactly what ``json.dumps(..., ensure_ascii=False)`` escapes; the ASCII
    form escapes, in addition, every non-ASCII character and DEL (which only occur inside
    strings).
    """
    out = utf8 if utf8.isascii() else utf8.decode("utf-8").encode("ascii", _ASCII_ESCAPES)
    return out.replace(b"\x7f", b"\\u007f") if b"\x7f" in out else out


def strict_json(data: bytes) -> object:
    """Decode JSON strictly: UTF-8 only, no duplicate keys, no NaN or Infinity.

    Args:
        data: The encoded document.

    Returns:
        The decoded value.

    Raises:
        JsonFormatError: Anything wrong with the bytes, including nesting too deep for the
            parser and integers too long to convert.
    """
    try:
        value = orjson.loads(data)
        if _ascii(orjson.dumps(value, option=_SORTED)) == data:
            return value
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return _strict_json_slow(data)


def strict_json_items(data: bytes) -> tuple[object, Sequence[bytes | None]]:
    """Decode JSON strictly, like :func:`strict_json`, and encode each item of an array.

    Args:
        data: The encoded document, normally an array (a bundle's change list).

    Returns:
        The decoded value and, if it is an array, each item as compact key-sorted UTF-8
        JSON (orjson, ``OPT_SORT_KEYS``), or ``None`` for an item orjson cannot encode (a lone
        surrogate, an integer beyond 64 bits). When the bytes are canonical these encodings
        are also what proves it, so they cost nothing more.

    Raises:
        JsonFormatError: As :func:`strict_json`.
    """
    try:
        value = orjson.loads(data)
        if type(value) is list:
            encoded = [orjson.dumps(item, option=_SORTED) for item in value]
            if _is_array_of(data, encoded):
                return value, encoded
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    value = _strict_json_slow(data)
    return value, [sorted_utf8(item) for item in value] if type(value) is list else []


def _is_array_of(data: bytes, items: Sequence[bytes]) -> bool:
    """Whether ``data`` is ``_ascii(b"[" + b",".join(items) + b"]")``.

    Compared item by item in place: a bundle body is tens of MiB, and joining the items
    would copy it twice more. Canonical bytes are ASCII without DEL, so an item orjson wrote
    with a non-ASCII character or DEL matches only in its escaped form.
    """
    if not items:
        return data == b"[]"
    if not data.endswith(b"]") or not data.isascii() or b"\x7f" in data:
        return False
    position = 0
    separator = b"["
    for item in items:
        if not data.startswith(separator, position):
            return False
        position += 1
        if not data.startswith(item, position):
            item = _ascii(item)
            if not data.startswith(item, position):
                return False
        position += len(item)
        separator = b","
    return position == len(data) - 1


def _strict_json_slow(data: bytes) -> object:
    try:
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except JsonFormatError:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError covers UnicodeDecodeError, JSONDecodeError and over-long integers.
        raise JsonFormatError(str(exc)[:200]) from None
