"""Unsaved form input kept sealed in the database, so a crash or a lock loses nothing typed.

A draft is one row of ``sealed_meta`` keyed ``draft:<record id>`` (``draft:new`` for a case not
saved yet, ``draft:new-outreach`` for a new outreach event), sealed with AES-256-GCM under its
own subkey of the vault's data key and bound to its key by the associated data — like every
other blob, never plaintext on disk (DESIGN.md §4). The plain key reveals only that an edit of
that (random) record id, or a new record, is pending.

Written over the store's write transaction (its serializing lock, ``BEGIN IMMEDIATE``) without
changing ``store.py``: these functions use ``Store._write``/``Store._read`` and the store's
vault, nothing else of it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from desktop.storage.models import SealedMeta
from desktop.storage.sealing import CorruptDataError, Sealer
from desktop.storage.store import Store

__all__ = [
    "DRAFT_PREFIX",
    "NEW",
    "discard_draft",
    "draft_key",
    "draft_keys",
    "load_draft",
    "save_draft",
]

DRAFT_PREFIX = "draft:"
NEW = "new"
"""The draft key's suffix for a record that has no id yet."""
_PURPOSE = "db/drafts"

_upsert = sqlite_insert(SealedMeta)
_UPSERT = _upsert.on_conflict_do_update(
    index_elements=[SealedMeta.key], set_={"sealed": _upsert.excluded.sealed}
)


def draft_key(record_id: str | None, *, kind: str = "case") -> str:
    """The key of the draft of a record (``None``: a new record of ``kind``).

    A new case keeps ``draft:new``; a new record of another kind has its own key
    (``draft:new-outreach``), so the two forms never restore each other's input. An edit is
    keyed by its record id whatever the kind (ids are unique).

    Raises:
        ValueError: ``record_id`` is not a record id (a UUID).
    """
    if record_id is None:
        return DRAFT_PREFIX + (NEW if kind == "case" else f"{NEW}-{kind}")
    if str(uuid.UUID(record_id)) != record_id:
        raise ValueError(f"not a record id: {record_id!r}")
    return DRAFT_PREFIX + record_id


def _sealer(store: Store) -> Sealer:
    return Sealer(store.vault.subkey(_PURPOSE))


def _ad(key: str) -> bytes:
    return f"draft|{key}".encode()


def save_draft(store: Store, key: str, data: Mapping[str, Any]) -> None:
    """Seal ``data`` (JSON-friendly) as the draft ``key``, replacing an earlier one.

    Raises:
        VaultLockedError: the store was locked.
        StorageError: the database refused the write.
    """
    if not key.startswith(DRAFT_PREFIX):
        raise ValueError(f"not a draft key: {key!r}")
    plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    blob = _sealer(store).seal(plain, ad=_ad(key))
    with store._write() as session:
        session.execute(_UPSERT, {"key": key, "sealed": blob})


def load_draft(store: Store, key: str) -> dict[str, Any] | None:
    """The draft ``key``, or ``None`` when there is none or it cannot be opened.

    A draft that fails authentication (a damaged or moved row) is treated as absent: a draft
    is a convenience, and a damaged one must not keep a form from opening.
    """
    with store._read() as session:
        blob = session.execute(
            sa.select(SealedMeta.sealed).where(SealedMeta.key == key)
        ).scalar_one_or_none()
    if blob is None:
        return None
    try:
        data = json.loads(_sealer(store).open(blob, ad=_ad(key)))
    except (CorruptDataError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def discard_draft(store: Store, key: str) -> None:
    """Delete the draft ``key`` (``secure_delete`` overwrites the freed page)."""
    with store._write() as session:
        session.execute(sa.delete(SealedMeta).where(SealedMeta.key == key))


def draft_keys(store: Store) -> list[str]:
    """The keys of every draft held (e.g. to offer "continue the unsaved case" after unlock)."""
    with store._read() as session:
        rows = session.execute(
            sa.select(SealedMeta.key).where(SealedMeta.key.startswith(DRAFT_PREFIX))
        ).scalars()
        return sorted(rows)
