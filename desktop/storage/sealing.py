"""AEAD sealing of database blobs under keys derived from the vault's data key."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.storage.errors import StorageError, VaultLockedError

_NONCE = 12
# Plaintexts are padded to a multiple of this many bytes before sealing, so the size of a
# blob does not tell which value a field took (a status "p21" vs "putusan" would otherwise
# differ by a few bytes).
PAD = 256


class CorruptDataError(StorageError):
    """A sealed blob failed authentication: tampered, moved to another row, or wrong key."""


class Sealer:
    """AES-256-GCM with a random 96-bit nonce per blob; the layout is ``nonce || ciphertext``.

    Associated data binds each ciphertext to where it belongs (record id, change id), so a
    ciphertext copied into another row fails to open. Random nonces stay far below the GCM limit
    of 2**32 messages per key: a village laptop writes thousands of blobs, not billions.
    """

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, ad: bytes) -> bytes:
        """Pad, encrypt and authenticate ``plaintext`` bound to ``ad``."""
        size = len(plaintext) + 4
        padded = len(plaintext).to_bytes(4, "big") + plaintext + bytes(-size % PAD)
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, padded, ad)

    def open(self, blob: bytes, *, ad: bytes) -> bytes:
        """Decrypt a blob made by :meth:`seal` with the same ``ad``; raise CorruptDataError."""
        if len(blob) < _NONCE + 16 + 4:
            raise CorruptDataError("sealed blob too short")
        try:
            padded = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], ad)
        except InvalidTag as exc:
            raise CorruptDataError("sealed blob failed authentication") from exc
        length = int.from_bytes(padded[:4], "big")
        if length > len(padded) - 4:
            raise CorruptDataError("sealed blob has a bad length")
        return padded[4 : 4 + length]


class LockedSealer(Sealer):
    """Stands in for a sealer once the store is locked: every use is refused."""

    def __init__(self) -> None:  # no key at all
        pass

    def seal(self, plaintext: bytes, *, ad: bytes) -> bytes:
        raise VaultLockedError()

    def open(self, blob: bytes, *, ad: bytes) -> bytes:
        raise VaultLockedError()
