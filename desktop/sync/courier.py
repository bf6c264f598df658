"""Bundles by hand: export sealed bundle files to a folder (a flash drive), apply the receipts
and return bundles the district sends back.

File names are random (they say nothing about the village or the records); each file is
written whole or not at all (temporary file, fsync, rename), so a flash drive pulled out
mid-export never leaves a half file that looks finished.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.atomic import write_atomic
from desktop.storage.store import Store
from desktop.sync.enroll import answer_file
from desktop.sync.outbox import (
    DEFAULT_BUNDLE_BYTES,
    ReceiptOutcome,
    ReturnOutcome,
    apply_file,
    make_bundles,
    mark_sent,
)
from simpul.errors import UserError

__all__ = [
    "ANSWER_SUFFIX",
    "BUNDLE_SUFFIX",
    "MAX_SYNC_FILE_BYTES",
    "RECEIPT_SUFFIX",
    "ExportResult",
    "FileOutcome",
    "apply_files",
    "export_bundles",
]

BUNDLE_SUFFIX = ".simpul"
RECEIPT_SUFFIX = ".simpul-receipt"
ANSWER_SUFFIX = ".simpul-enroll"
MAX_SYNC_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExportResult:
    """Files written by an export."""

    bundles: tuple[Path, ...]
    changes: int
    answer: Path | None


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What applying one file did: ``status`` is ``applied``, ``already_applied`` or
    ``rejected`` (``reason`` then holds the error code)."""

    path: Path
    kind: str
    status: str
    reason: str = ""
    changes: int = 0
    new_changes: int = 0
    acknowledged: int = 0


def _random_name(directory: Path, suffix: str) -> Path:
    return directory / f"simpul-{secrets.token_hex(6)}{suffix}"


def export_bundles(
    store: Store,
    out_dir: Path,
    *,
    max_bundle_bytes: int = DEFAULT_BUNDLE_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write everything the district is not known to hold as bundle files into ``out_dir``.

    Also writes the enrollment answer while a file enrollment is unconfirmed. Needs only the
    pinned district keys, never the network.

    Raises:
        NotEnrolledError: The laptop has no district keys yet.
        WriteFailedError / DiskFullError: A file could not be written (nothing is marked
            sent; files already written stay and are valid).
    """
    bundles = make_bundles(store, max_bundle_bytes=max_bundle_bytes)
    paths: list[Path] = []
    for index, bundle in enumerate(bundles):
        path = _random_name(out_dir, BUNDLE_SUFFIX)
        write_atomic(path, bundle.data, overwrite=False)
        paths.append(path)
        mark_sent(store, [bundle], via="file")
        if progress is not None:
            progress(index + 1, len(bundles))
    answer = answer_file(store)
    answer_path: Path | None = None
    if answer is not None:
        answer_path = _random_name(out_dir, ANSWER_SUFFIX)
        write_atomic(answer_path, answer, overwrite=False)
    return ExportResult(tuple(paths), sum(b.changes for b in bundles), answer_path)


def apply_files(store: Store, paths: Sequence[Path]) -> list[FileOutcome]:
    """Apply receipts and return bundles; each file on its own (one bad file stops nothing).

    Returns:
        One outcome per path, in order.
    """
    outcomes: list[FileOutcome] = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_SYNC_FILE_BYTES + 1)
        except OSError:
            outcomes.append(FileOutcome(path, "unknown", "rejected", "unreadable"))
            continue
        if len(data) > MAX_SYNC_FILE_BYTES:
            outcomes.append(FileOutcome(path, "unknown", "rejected", "file_too_large"))
            continue
        try:
            result = apply_file(store, data)
        except UserError as exc:  # FileRejectedError, ChangeRejectedError, NotEnrolledError…
            outcomes.append(FileOutcome(path, "unknown", "rejected", exc.code))
            continue
        if isinstance(result, ReceiptOutcome):
            outcomes.append(
                FileOutcome(
                    path,
                    "receipt",
                    "applied" if result.newly_acknowledged else "already_applied",
                    acknowledged=result.newly_acknowledged,
                )
            )
        else:
            assert isinstance(result, ReturnOutcome)
            outcomes.append(
                FileOutcome(
                    path,
                    "return",
                    "already_applied" if result.already_applied else "applied",
                    changes=result.changes,
                    new_changes=result.new_changes,
                )
            )
    return outcomes
