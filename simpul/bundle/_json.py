"""Canonical JSON writing and strict JSON reading for bundle headers, bodies and receipts."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JsonFormatError", "canonical_json", "strict_json"]


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
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except JsonFormatError:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError covers UnicodeDecodeError, JSONDecodeError and over-long integers.
        raise JsonFormatError(str(exc)[:200]) from None
