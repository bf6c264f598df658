"""Sealing of the desktop database's blobs (the shared AEAD sealer, storage's typed error)."""

from __future__ import annotations

from desktop.storage.errors import StorageError, VaultLockedError
from simpul.sealing import PAD
from simpul.sealing import Sealer as _SharedSealer

__all__ = ["PAD", "CorruptDataError", "LockedSealer", "Sealer"]


class CorruptDataError(StorageError):
    """A sealed blob failed authentication: tampered, moved to another row, or wrong key."""


class Sealer(_SharedSealer):
    """The shared AES-256-GCM sealer, raising :class:`CorruptDataError` (a storage error)."""

    def __init__(self, key: bytes) -> None:
        super().__init__(key, error=CorruptDataError)


class LockedSealer(Sealer):
    """Stands in for a sealer once the store is locked: every use is refused."""

    def __init__(self) -> None:  # no key at all
        pass

    def seal(self, plaintext: bytes, *, ad: bytes) -> bytes:
        raise VaultLockedError()

    def open(self, blob: bytes, *, ad: bytes) -> bytes:
        raise VaultLockedError()
