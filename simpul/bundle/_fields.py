"""Field rules shared by bundle headers and receipts: device ids, counters, bundle ids, objects."""

from __future__ import annotations

import re

from simpul.changes import ChangeFormatError, ChangeId
from simpul.changes.change import MAX_COUNTER

__all__ = ["BUNDLE_ID", "check_bundle_id", "check_count", "check_device", "exact_object"]

BUNDLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")
"""A bundle id: 8–64 characters of ``A-Z a-z 0-9 _ -``, first a letter or digit (safe in file
names and HTTP headers; a UUID fits)."""


def check_device(value: object, where: str) -> str:
    """Return ``value`` if it is a device id as change ids allow it, else raise ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a device id string")
    try:
        ChangeId(value, 1)  # the device id rule of change ids
    except ChangeFormatError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return value


def check_count(value: object, where: str, *, low: int) -> int:
    """Return ``value`` if it is an ``int`` (not ``bool``) in ``low..MAX_COUNTER``."""
    if type(value) is not int or not low <= value <= MAX_COUNTER:
        raise ValueError(f"{where}: expected an integer from {low} to {MAX_COUNTER}")
    return value


def check_bundle_id(value: object, where: str) -> str:
    """Return ``value`` if it matches :data:`BUNDLE_ID`, else raise ValueError."""
    if not isinstance(value, str) or BUNDLE_ID.fullmatch(value) is None:
        raise ValueError(f"{where}: not a valid bundle id: {value!r:.70}")
    return value


def exact_object(value: object, keys: frozenset[str], where: str) -> dict[str, object]:
    """Return ``value`` if it is a JSON object with exactly ``keys``, else raise ValueError."""
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object")
    missing = sorted(keys - value.keys())
    if missing:
        raise ValueError(f"{where}: missing key {missing[0]!r}")
    unknown = sorted(repr(key) for key in value.keys() - keys)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]:.40}")
    return value
