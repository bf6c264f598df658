"""A synthetic village laptop for tests, benchmarks and demos (no desktop code, no Qt).

It does what the desktop does on save — documents flattened to field paths, one change per
save with ``diff_edits`` against the device's own merged state — and seals its changes into
bundles with the project's bundle library, so the district can be exercised end to end
without a desktop profile.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from district.views import DeviceCredentials
from simpul.bundle import (
    WRITE_SUITE,
    BundlePayload,
    EncryptionKeyPair,
    OpenedBundle,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
    open_bundle,
    seal_bundle,
)
from simpul.changes import Change, ChangeId, HybridClock, RecordState, Replica, diff_edits
from simpul.records import assign_item_ids, device_tag, flatten, make_record_code, unflatten
from simpul.synthetic import generate_cases, generate_outreach

__all__ = ["SyntheticDevice"]


class SyntheticDevice:
    """A village laptop made of the shared core: keys, a change counter, a merged replica.

    Attributes:
        device_id: The id in its change ids.
        village: Its village code.
        encryption: Its encryption key pair (return bundles are sealed to it).
        signing: Its signing key pair (its bundles are signed with it).
        replica: The merged state of every change it made or received.
    """

    def __init__(
        self, village: str, *, device_id: str | None = None, author: str = "kader"
    ) -> None:
        """Make a device with fresh keys.

        Args:
            village: Village code, e.g. ``33.27.08.2012``.
            device_id: Its id (random 16 hex digits if omitted, as the desktop does).
            author: The user name its changes carry.
        """
        self.device_id = device_id or secrets.token_hex(8)
        self.village = village
        self.author = author
        self.encryption = EncryptionKeyPair.generate()
        self.signing = SigningKeyPair.generate()
        self.replica = Replica()
        self.counter = 0
        self.sequence = 0
        self.clock = HybridClock()
        self.credentials: DeviceCredentials | None = None
        self._codes = 0

    # ------------------------------------------------------------------ enrollment

    def enroll_with(self, credentials: DeviceCredentials) -> None:
        """Keep the credentials the district returned (pins the district keys)."""
        self.credentials = credentials

    @property
    def district_encryption(self) -> PublicEncryptionKey:
        """The pinned district encryption key."""
        if self.credentials is None:
            raise RuntimeError("the device is not enrolled")
        return PublicEncryptionKey.from_public_bytes(self.credentials.district_enc_public)

    @property
    def district_signing(self) -> PublicSigningKey:
        """The pinned district signing key."""
        if self.credentials is None:
            raise RuntimeError("the device is not enrolled")
        return PublicSigningKey.from_public_bytes(self.credentials.district_sign_public)

    # ------------------------------------------------------------------ saving

    def save(self, doc: Mapping[str, Any], *, record_id: str | None = None) -> Change:
        """Save a document as one change (a new record when ``record_id`` is ``None``).

        Args:
            doc: The whole document (``kind`` required), as a form would hold it.
            record_id: The record to edit.

        Returns:
            The change (also applied to :attr:`replica`).

        Raises:
            ValueError: Nothing changed.
        """
        kind = str(doc["kind"])
        body = assign_item_ids({k: v for k, v in doc.items() if k not in ("kind", "id")})
        body.setdefault("village", self.village)
        state: RecordState | None = None
        if record_id is None:
            record_id = str(uuid.uuid4())
            self._codes += 1
            day = body.get("reported_on") or body.get("held_on") or "2026-01-01"
            body["code"] = make_record_code(
                "case" if kind == "case" else "outreach",
                village_code=self.village,
                year=date.fromisoformat(str(day)).year,
                device_tag=device_tag(self.device_id),
                sequence=self._codes % 9999 + 1,
            )
        else:
            state = self.replica.record(record_id)
            if state is not None and "code" not in body:
                code = state.value("code")
                if code is not None:
                    body["code"] = code
        edits = diff_edits(state, flatten(body))
        if not edits:
            raise ValueError("nothing changed")
        self.counter += 1
        change = Change(
            ChangeId(self.device_id, self.counter),
            record_id,
            kind,
            self.clock.tick(),
            self.author,
            edits,
        )
        self.replica.apply(change)
        return change

    def edit(self, record_id: str, **fields: Any) -> Change:
        """Change some top-level fields of a record this device holds."""
        state = self.replica.record(record_id)
        if state is None:
            raise KeyError(record_id)
        doc = unflatten(state.flat())
        doc.update(fields)
        return self.save({**doc, "kind": state.kind}, record_id=record_id)

    def new_cases(self, n: int, *, seed: int = 1) -> list[Change]:
        """Record ``n`` synthetic cases of this village (one change each)."""
        return [self.save(doc) for doc in generate_cases(n, seed=seed, village=self.village)]

    def new_outreach(self, n: int, *, seed: int = 1) -> list[Change]:
        """Record ``n`` synthetic outreach events of this village (one change each)."""
        return [self.save(doc) for doc in generate_outreach(n, seed=seed, village=self.village)]

    def receive(self, changes: Iterable[Change]) -> int:
        """Apply changes from elsewhere (a return bundle); return how many were new."""
        new = 0
        for change in changes:
            self.clock.observe(change.hlc)
            new += self.replica.apply(change)
        return new

    # ------------------------------------------------------------------ bundles

    def seal(
        self,
        changes: Sequence[Change],
        *,
        recipient: PublicEncryptionKey | None = None,
        sequence: int | None = None,
        sender: str | None = None,
        bundle_id: str | None = None,
        suite: int = WRITE_SUITE,
    ) -> bytes:
        """Seal changes into a bundle for the district, signed by this device.

        Args:
            changes: What to carry.
            recipient: Seal to this key instead of the pinned district key.
            sequence: Bundle sequence number (next one if omitted).
            sender: Claim another sender id (tests of the district's checks).
            bundle_id: Use this bundle id instead of a new random one.
            suite: The bundle suite (1: as a laptop from before suite 2 seals).

        Returns:
            The bundle's bytes.
        """
        if sequence is None:
            self.sequence += 1
            sequence = self.sequence
        payload = BundlePayload(
            kind="changes",
            sender=sender or self.device_id,
            sequence=sequence,
            changes=tuple(changes),
        )
        if bundle_id is not None:
            payload = replace(payload, bundle_id=bundle_id)
        return seal_bundle(
            payload,
            recipients=[recipient or self.district_encryption],
            signer=self.signing,
            suite=suite,
        )

    def open_return(self, data: bytes) -> OpenedBundle:
        """Open a return bundle from the district with this device's key."""
        signing = self.district_signing
        return open_bundle(
            data, recipient=self.encryption, trusted_signers={signing.key_id: signing}
        )
