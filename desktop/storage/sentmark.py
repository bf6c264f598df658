"""The *sent mark*: the highest own change counter that has left this laptop.

DESIGN.md §3: a device restored from a backup gets a new device id, so a counter is never used
for two different changes. The mark lives in its own small file beside the database (sealed
under a key of the vault, written atomically), so putting back an old copy of the database
alone leaves it in place: at the next unlock the database's own highest counter is found below
the mark, and the store continues under a new device id. The mark holds a device id and a
counter — nothing about any person — and is sealed so it cannot be edited to hide a restore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop.storage.atomic import write_atomic
from desktop.storage.sealing import CorruptDataError, Sealer

__all__ = ["MARK_NAME", "SentMark", "read_mark", "write_mark"]

MARK_NAME = "sent.mark"
_AD = b"simpul-sent-mark-v1"


@dataclass(frozen=True, slots=True)
class SentMark:
    """Device id → highest counter of it that has left the laptop (in a bundle)."""

    counters: dict[str, int]


def read_mark(profile_dir: Path, sealer: Sealer) -> SentMark:
    """The mark, or an empty one when there is none (a profile that never sent anything).

    A damaged or foreign mark is treated as none: it can only make detection miss, never
    lose data.
    """
    path = profile_dir / MARK_NAME
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return SentMark({})
    try:
        data = json.loads(sealer.open(blob, ad=_AD))
        return SentMark({str(k): int(v) for k, v in dict(data).items()})
    except (CorruptDataError, ValueError, TypeError):
        return SentMark({})


def write_mark(profile_dir: Path, sealer: Sealer, mark: SentMark) -> None:
    """Replace the mark atomically (temporary file, fsync, rename)."""
    plain = json.dumps(mark.counters, sort_keys=True, separators=(",", ":")).encode()
    write_atomic(profile_dir / MARK_NAME, sealer.seal(plain, ad=_AD))
