"""Immutable field-level changes, the hybrid logical clock and the merge rule."""

from simpul.changes.change import (
    DELETED,
    Change,
    ChangeError,
    ChangeFormatError,
    ChangeId,
    FieldEdit,
    JsonValue,
    check_path,
)
from simpul.changes.clock import MAX_SKEW_MS, Hlc, HybridClock
from simpul.changes.merge import Head, RecordState, Replica, diff_edits

__all__ = [
    "DELETED",
    "MAX_SKEW_MS",
    "Change",
    "ChangeError",
    "ChangeFormatError",
    "ChangeId",
    "FieldEdit",
    "Head",
    "Hlc",
    "HybridClock",
    "JsonValue",
    "RecordState",
    "Replica",
    "check_path",
    "diff_edits",
]
