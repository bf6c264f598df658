"""The outbox: what the district does not hold yet, sealed into bundles; receipts and return
bundles applied back. Courier-independent: the online engine and the flash-drive export both
use it.

Nothing is deleted or hidden because a bundle was made or sent. A change leaves the outbox only
when a receipt signed by the pinned district key says the district holds it (or refused it, with
a reason the status shows), or when it arrived *from* the district in a signed return bundle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.storage.store import Store
from desktop.sync.errors import FileRejectedError
from desktop.sync.state import MAX_REMEMBERED_RETURNS, SyncState, now_iso
from simpul.bundle import (
    MAGIC,
    RECEIPT_MAGIC,
    BundlePayload,
    BundleRejectedError,
    DeviceAck,
    Receipt,
    ReceiptRejectedError,
    merge_ack,
    new_bundle_id,
    open_bundle,
    seal_bundle,
    split_compressed,
    verify_receipt,
)
from simpul.changes import Change, ChangeId

__all__ = [
    "DEFAULT_BUNDLE_BYTES",
    "OutgoingBundle",
    "ReceiptOutcome",
    "ReturnOutcome",
    "apply_file",
    "apply_receipt",
    "apply_return",
    "local_holds",
    "make_bundles",
    "mark_sent",
    "pending_changes",
    "pending_ids",
]

DEFAULT_BUNDLE_BYTES = 4 * 1024 * 1024
"""Size cap of an exported bundle file (fits any messaging app; the server accepts 16 MiB)."""


@dataclass(frozen=True, slots=True)
class OutgoingBundle:
    """A sealed bundle for the district, not yet sent or written."""

    bundle_id: str
    data: bytes
    changes: int
    change_ids: tuple[ChangeId, ...]


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    """What a receipt changed: changes newly acknowledged, refusals, bundles it answers."""

    newly_acknowledged: int
    rejected: tuple[tuple[str, str], ...]
    bundles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReturnOutcome:
    """What a return bundle brought: new changes (0 when applied before)."""

    bundle_id: str
    changes: int
    new_changes: int
    already_applied: bool


def _done(state: SyncState) -> tuple[Any, set[ChangeId]]:
    """The "district holds it" test and the ids the district refused (never resent)."""
    ack = state.ack()
    refused = {item.change_id for item in ack.rejected} if ack is not None else set()
    return state.held_by_district(), refused


def pending_ids(store: Store) -> list[ChangeId]:
    """Ids of the changes the district is not known to hold (nor refused), oldest first.

    Decides on the plain ids only: nothing is decrypted.
    """
    held, refused = _done(SyncState(store))
    return [cid for cid in store.change_index() if not held(cid) and cid not in refused]


def pending_changes(store: Store) -> list[Change]:
    """The changes the district is not known to hold (nor refused), in local arrival order."""
    held, refused = _done(SyncState(store))
    return store.outgoing(lambda cid: held(cid) or cid in refused)


def local_holds(store: Store) -> dict[str, int]:
    """Per device, the highest counter this laptop holds with every earlier one (bundle
    ``holds``: the district can leave those out of what it sends back)."""
    return {device: high for device, high in store.held_through_each().items() if high}


def pending_count(store: Store, state: SyncState | None = None) -> int:
    """How many of the stored changes are pending (what :func:`pending_ids` lists), counted
    on the index alone: no ChangeId is made, so counting after every pushed batch stays cheap.
    """
    ack = (state or SyncState(store)).ack()
    acks = dict(ack.acks) if ack is not None else {}
    refused = (
        {(item.change_id.device, item.change_id.counter) for item in ack.rejected}
        if ack is not None
        else set()
    )
    pending = 0
    for key in store.change_keys():
        device_ack = acks.get(key[0])
        held = device_ack is not None and device_ack.holds(key[1])
        if not held and key not in refused:
            pending += 1
    return pending


def make_bundles(
    store: Store,
    *,
    max_bundle_bytes: int = DEFAULT_BUNDLE_BYTES,
    max_changes: int | None = None,
    changes: Sequence[Change] | None = None,
) -> list[OutgoingBundle]:
    """Seal everything the district is not known to hold into bundles of at most
    ``max_bundle_bytes``.

    Sequence numbers are reserved (written) before the bundles exist, so a number is never
    used twice, even if the laptop crashes right after. The bundles are not recorded as sent:
    call :func:`mark_sent` once they are written or pushed.

    Args:
        store: The unlocked profile.
        max_bundle_bytes: Cap on each bundle file.
        max_changes: Take at most this many changes (the online engine's batch); all if
            ``None``.
        changes: Seal these instead of the pending changes.

    Returns:
        The bundles in order (empty when nothing is pending).

    Raises:
        NotEnrolledError: There are no pinned district keys yet.
    """
    state = SyncState(store)
    enrollment = state.require_enrollment()
    todo = list(changes) if changes is not None else pending_changes(store)
    if max_changes is not None:
        todo = todo[:max_changes]
    if not todo:
        return []
    holds = local_holds(store)
    # a suite the district reads: an older server refuses a newer one (engine: falls back)
    parts = split_compressed(
        todo, max_bundle_bytes=max_bundle_bytes, holds=holds, suite=state.district_suite()
    )

    def reserve(raw: dict[str, Any]) -> int:
        first = int(raw.get("sequence", 0)) + 1
        raw["sequence"] = first + len(parts) - 1
        return first

    first = state.update(reserve)
    own = [c.id.counter for c in todo if c.id.device == store.device_id]
    if own:
        store.note_sent(max(own))  # before any byte can leave
    encryption, signing = state.device_keys()
    del encryption
    recipient = enrollment.district_encryption
    out: list[OutgoingBundle] = []
    for index, part in enumerate(parts):
        payload = BundlePayload(
            kind="changes",
            sender=enrollment.sender(store),
            sequence=first + index,
            changes=part.changes,
            holds=holds,
            bundle_id=new_bundle_id(),
        )
        # The body the splitter compressed to measure the part: not compressed again.
        data = seal_bundle(payload, recipients=[recipient], signer=signing, body=part)
        out.append(
            OutgoingBundle(
                payload.bundle_id, data, len(part.changes), tuple(c.id for c in part.changes)
            )
        )
    return out


def mark_sent(store: Store, bundles: Iterable[OutgoingBundle], *, via: str) -> None:
    """Record bundles as awaiting a receipt (status: "bundles awaiting a receipt")."""
    items = [
        {"bundle_id": b.bundle_id, "created_at": now_iso(), "changes": b.changes, "via": via}
        for b in bundles
    ]

    def add(raw: dict[str, Any]) -> None:
        known = {item["bundle_id"] for item in raw.get("awaiting", [])}
        raw["awaiting"] = [
            *raw.get("awaiting", []),
            *(item for item in items if item["bundle_id"] not in known),
        ]

    SyncState(store).update(add)


def apply_receipt(store: Store, data: bytes) -> ReceiptOutcome:
    """Verify a receipt with the pinned district key and move acknowledgement forward.

    An old or repeated receipt changes nothing (acknowledgement only grows).

    Raises:
        NotEnrolledError: No pinned district key yet.
        FileRejectedError: ``not_a_receipt``, ``truncated``, ``bad_signature``, ``tampered``…
            or ``other_device`` (a receipt for another laptop).
    """
    state = SyncState(store)
    enrollment = state.require_enrollment()
    try:
        receipt = verify_receipt(data, district_key=enrollment.district_signing)
    except ReceiptRejectedError as exc:
        raise FileRejectedError(str(exc.code)) from None
    if receipt.device != enrollment.sender(store):
        raise FileRejectedError("other_device")
    before = pending_count(store, state)

    def merge(raw: dict[str, Any]) -> None:
        old = Receipt.from_json(raw["ack"]) if raw.get("ack") else None
        raw["ack"] = merge_ack(old, receipt).to_json()
        answered = set(receipt.bundles)
        raw["awaiting"] = [b for b in raw.get("awaiting", []) if b["bundle_id"] not in answered]
        if raw.get("enrollment"):
            raw["enrollment"]["confirmed"] = True
            raw["enrollment"]["code"] = None

    state.update(merge)
    _update_acked_counter(store, state)
    return ReceiptOutcome(
        newly_acknowledged=before - pending_count(store, state),
        rejected=tuple((str(r.change_id), r.reason) for r in receipt.rejected),
        bundles=receipt.bundles,
    )


def _update_acked_counter(store: Store, state: SyncState) -> None:
    ack = state.ack()
    if ack is not None and store.device_id in ack.acks:
        store.set_acked_counter(ack.acks[store.device_id].high)


def apply_return(store: Store, data: bytes) -> ReturnOutcome:
    """Open a return bundle from the district and merge its changes.

    Applying the same bundle twice changes nothing. The changes it brings are marked as held by
    the district (they came from it), so they are never sent back.

    Raises:
        NotEnrolledError: No pinned district key yet.
        FileRejectedError: ``not_for_us`` (for another laptop), ``tampered``, ``truncated``,
            ``bad_signature``/``unknown_sender`` (not signed by the pinned district key),
            ``wrong_kind`` (a bundle *for* the district)…
        ChangeRejectedError: A change does not fit this profile (another village's record).
    """
    state = SyncState(store)
    enrollment = state.require_enrollment()
    encryption, _signing = state.device_keys()
    signer = enrollment.district_signing
    try:
        opened = open_bundle(data, recipient=encryption, trusted_signers={signer.key_id: signer})
    except BundleRejectedError as exc:
        raise FileRejectedError(str(exc.code)) from None
    if opened.kind != "return":
        raise FileRejectedError("wrong_kind")
    already = opened.bundle_id in state.raw().get("returns", [])
    new = store.apply_changes(opened.changes, source="return") if opened.changes else 0
    by_device: dict[str, list[int]] = defaultdict(list)
    for change in opened.changes:
        by_device[change.id.device].append(change.id.counter)
    known = Receipt(
        device=enrollment.sender(store),
        issued_at=0,
        acks={dev: DeviceAck.from_counters(counters) for dev, counters in by_device.items()},
    )

    def merge(raw: dict[str, Any]) -> None:
        old = Receipt.from_json(raw["ack"]) if raw.get("ack") else None
        raw["ack"] = merge_ack(old, known).to_json() if by_device else raw.get("ack")
        returns = [r for r in raw.get("returns", []) if r != opened.bundle_id]
        raw["returns"] = [*returns, opened.bundle_id][-MAX_REMEMBERED_RETURNS:]
        if raw.get("enrollment"):
            raw["enrollment"]["confirmed"] = True
            raw["enrollment"]["code"] = None

    state.update(merge)
    return ReturnOutcome(
        bundle_id=opened.bundle_id,
        changes=len(opened.changes),
        new_changes=new,
        already_applied=already and new == 0,
    )


def apply_file(store: Store, data: bytes) -> ReceiptOutcome | ReturnOutcome:
    """Apply a receipt or a return bundle, told apart by their magic bytes.

    Raises:
        FileRejectedError: ``not_a_sync_file`` when it is neither, else as
            :func:`apply_receipt` / :func:`apply_return`.
    """
    if data.startswith(RECEIPT_MAGIC):
        return apply_receipt(store, data)
    if data.startswith(MAGIC):
        return apply_return(store, data)
    raise FileRejectedError("not_a_sync_file")
