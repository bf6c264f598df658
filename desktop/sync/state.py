"""What the laptop knows about its link with the district, sealed in the profile database.

Everything here lives in one sealed meta entry of the store (``Store.sync_state``): the
device's private keys, the enrollment (pinned district keys, token, server URL), what the
district is known to hold (the merged signed receipts), the pull cursor, the bundle sequence
number, the bundles awaiting a receipt and the time of the last successful sync. The token and
the private keys are secrets; the rest is not identifying, but sealing it all keeps it
tamper-evident (a pinned key cannot be swapped in the database file).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.storage.store import Store
from desktop.sync.errors import NotEnrolledError
from simpul.bundle import (
    WRITE_SUITE,
    EncryptionKeyPair,
    PublicEncryptionKey,
    PublicSigningKey,
    Receipt,
    SigningKeyPair,
    readable_suite,
)
from simpul.changes import ChangeId

__all__ = ["AwaitingBundle", "Enrollment", "SyncState", "now_iso"]

MAX_REMEMBERED_RETURNS = 500
"""Ids of applied return bundles kept, to say "already applied" (applying again is harmless)."""


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True, slots=True)
class Enrollment:
    """The laptop's enrollment with its district.

    Attributes:
        village: The village the district enrolled it for.
        via: ``online`` (server URL and code) or ``file`` (enrollment file, by hand).
        server_url: Where to sync online, if known.
        token: The device token for the server (online enrollment only).
        district_enc_public: Pinned district encryption key (raw bytes).
        district_sign_public: Pinned district signing key (raw bytes).
        enrolled_at: When this laptop enrolled (UTC, ISO 8601).
        confirmed: The district has answered (a receipt or a return bundle signed by it):
            for a file enrollment, the district has registered the laptop's keys.
        code: The one-time code of a file enrollment, until the district confirms it.
        device_id: The id the district knows this laptop by (the sender of its bundles). The
            store's own id for new changes differs after the database was put back from an
            older copy (``Store.restored_from_backup``); its changes are relayed under it.
    """

    village: str
    via: str
    server_url: str | None
    token: str | None
    district_enc_public: bytes
    district_sign_public: bytes
    enrolled_at: str
    confirmed: bool
    code: str | None = None
    device_id: str = ""

    def sender(self, store: Store) -> str:
        """The id the district knows this laptop by: :attr:`device_id`, or the store's own for
        an enrollment made before the id was kept."""
        return self.device_id or store.device_id

    @property
    def district_encryption(self) -> PublicEncryptionKey:
        """The pinned district encryption key (bundles are sealed to it)."""
        return PublicEncryptionKey.from_public_bytes(self.district_enc_public)

    @property
    def district_signing(self) -> PublicSigningKey:
        """The pinned district signing key (receipts and return bundles must verify with it)."""
        return PublicSigningKey.from_public_bytes(self.district_sign_public)

    def to_json(self) -> dict[str, Any]:
        return {
            "village": self.village,
            "via": self.via,
            "server_url": self.server_url,
            "token": self.token,
            "district_enc_public": _b64(self.district_enc_public),
            "district_sign_public": _b64(self.district_sign_public),
            "enrolled_at": self.enrolled_at,
            "confirmed": self.confirmed,
            "code": self.code,
            "device_id": self.device_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Enrollment:
        return cls(
            village=str(data["village"]),
            via=str(data["via"]),
            server_url=data.get("server_url"),
            token=data.get("token"),
            district_enc_public=_unb64(data["district_enc_public"]),
            district_sign_public=_unb64(data["district_sign_public"]),
            enrolled_at=str(data["enrolled_at"]),
            confirmed=bool(data.get("confirmed")),
            code=data.get("code"),
            device_id=str(data.get("device_id") or ""),
        )


@dataclass(frozen=True, slots=True)
class AwaitingBundle:
    """A bundle that left the laptop (pushed or exported) and has no receipt yet."""

    bundle_id: str
    created_at: str
    changes: int
    via: str


class SyncState:
    """Typed access to the sync state sealed in a store.

    Every method reads or writes the store directly (one short transaction), so the state is
    always what the database holds, also when the sync worker and the screens both use it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------ keys

    def device_keys(self) -> tuple[EncryptionKeyPair, SigningKeyPair]:
        """The device's key pairs, made the first time they are needed."""

        def ensure(state: dict[str, Any]) -> dict[str, str]:
            keys = state.get("keys")
            if not keys:
                keys = {
                    "enc": _b64(EncryptionKeyPair.generate().private_bytes()),
                    "sign": _b64(SigningKeyPair.generate().private_bytes()),
                }
                state["keys"] = keys
            return dict(keys)

        current = self.store.sync_state().get("keys")
        keys = dict(current) if current else self.store.update_sync_state(ensure)
        return (
            EncryptionKeyPair.from_private_bytes(_unb64(keys["enc"])),
            SigningKeyPair.from_private_bytes(_unb64(keys["sign"])),
        )

    # ------------------------------------------------------------------ enrollment

    def enrollment(self) -> Enrollment | None:
        """The enrollment, or ``None`` before the laptop is enrolled."""
        data = self.store.sync_state().get("enrollment")
        return Enrollment.from_json(data) if data else None

    def require_enrollment(self) -> Enrollment:
        """The enrollment.

        Raises:
            NotEnrolledError: The laptop is not enrolled.
        """
        enrollment = self.enrollment()
        if enrollment is None:
            raise NotEnrolledError()
        return enrollment

    def set_enrollment(self, enrollment: Enrollment) -> None:
        def put(state: dict[str, Any]) -> None:
            state["enrollment"] = enrollment.to_json()

        self.store.update_sync_state(put)

    def set_server_url(self, url: str) -> None:
        """Change where online sync goes (the pinned keys stay: a new server must match them)."""

        def put(state: dict[str, Any]) -> None:
            if state.get("enrollment"):
                state["enrollment"]["server_url"] = url

        self.store.update_sync_state(put)

    # ------------------------------------------------------------------ acknowledgement

    def ack(self) -> Receipt | None:
        """What the district is known to hold: every verified receipt merged, or ``None``."""
        data = self.store.sync_state().get("ack")
        return Receipt.from_json(data) if data else None

    def held_by_district(self) -> Callable[[ChangeId], bool]:
        """A test of whether the district is known to hold a change."""
        ack = self.ack()
        acks = dict(ack.acks) if ack is not None else {}

        def held(change_id: ChangeId) -> bool:
            device_ack = acks.get(change_id.device)
            return device_ack is not None and device_ack.holds(change_id.counter)

        return held

    def update(self, change: Callable[[dict[str, Any]], Any]) -> Any:
        """Change the raw state in one transaction (used by the outbox and the engine)."""
        return self.store.update_sync_state(change)

    def raw(self) -> dict[str, Any]:
        """The raw state (a copy)."""
        return self.store.sync_state()

    # ------------------------------------------------------------------ bookkeeping

    def awaiting(self) -> list[AwaitingBundle]:
        """Bundles that left the laptop and have no receipt yet, oldest first."""
        return [AwaitingBundle(**item) for item in self.store.sync_state().get("awaiting", [])]

    def district_suite(self) -> int:
        """The bundle suite to seal with for the district: the newest it is known to read
        (the newest this laptop writes until a server says otherwise)."""
        return readable_suite(int(self.store.sync_state().get("district_suite", WRITE_SUITE)))

    def set_district_suite(self, suite: int) -> None:
        """Remember the newest bundle suite the district reads."""

        def put(state: dict[str, Any]) -> None:
            state["district_suite"] = suite

        if readable_suite(suite) != self.district_suite():
            self.update(put)

    def cursor(self) -> int:
        """The pull cursor stored after the last applied return bundle."""
        return int(self.store.sync_state().get("cursor", 0))

    def last_sync(self) -> str | None:
        """When the last sync round completed (UTC, ISO 8601), if ever."""
        value = self.store.sync_state().get("last_sync")
        return str(value) if value else None
