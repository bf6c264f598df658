"""What ``simpul status`` and the status bar show about sync (no network, nothing decrypted
but the sealed sync state)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.storage.store import Store
from desktop.sync.outbox import pending_ids
from desktop.sync.state import AwaitingBundle, SyncState

__all__ = ["SyncStatus", "sync_status"]


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The laptop's sync situation.

    Attributes:
        enrolled: Whether district keys are pinned.
        via: ``online`` or ``file`` (how it enrolled), or empty.
        confirmed: The district has answered since enrollment.
        server_url: Where online sync goes, if anywhere.
        last_sync: When the last online round completed (UTC ISO 8601), if ever.
        last_error: Error code of the last failed round since the last success, if any.
        pending_changes: Changes the district is not known to hold.
        awaiting: Bundles sent or exported that have no receipt yet.
        refused: Changes the district refused, with reason codes.
    """

    enrolled: bool
    via: str
    confirmed: bool
    server_url: str | None
    last_sync: str | None
    last_error: str | None
    pending_changes: int
    awaiting: tuple[AwaitingBundle, ...]
    refused: tuple[tuple[str, str], ...]


def sync_status(store: Store) -> SyncStatus:
    """The sync situation of an unlocked profile."""
    state = SyncState(store)
    raw = state.raw()
    enrollment = state.enrollment()
    ack = state.ack()
    return SyncStatus(
        enrolled=enrollment is not None,
        via=enrollment.via if enrollment else "",
        confirmed=bool(enrollment and enrollment.confirmed),
        server_url=enrollment.server_url if enrollment else None,
        last_sync=raw.get("last_sync"),
        last_error=raw.get("last_error"),
        pending_changes=len(pending_ids(store)),
        awaiting=tuple(state.awaiting()),
        refused=tuple((str(r.change_id), r.reason) for r in ack.rejected) if ack else (),
    )
