"""AEAD sealing of stored blobs: AES-256-GCM, random nonce, padded plaintext, bound to a row.

Used by the desktop store and the district server alike; each passes the error class it
raises, so callers keep their own typed errors.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simpul.errors import Error

__all__ = ["PAD", "CorruptDataError", "Sealer"]

_NONCE = 12
_TAG = 16
PAD = 256
"""Plaintexts are padded to a multiple of this many bytes before sealing, so the size of a blob
does not tell which value a field took (a status "p21" vs "putusan" would otherwise differ by a
few bytes)."""


class CorruptDataError(Error):
    """A sealed blob failed authentication: tampered, moved to another row, or the wrong key."""


class Sealer:
    """AES-256-GCM with a random 96-bit nonce per blob; the layout is ``nonce || ciphertext``.

    Associated data binds each blob to where it belongs (record id, change id), so a blob
    copied into another row fails to open. Random nonces stay far below the GCM bound of 2**32
    messages per key (NIST SP 800-38D §8.3): a laptop or a district writes thousands to
    millions of blobs, not billions.
    """

    def __init__(self, key: bytes, *, error: type[Exception] = CorruptDataError) -> None:
        """Use ``key`` (32 bytes); failures to open raise ``error``."""
        self._aead = AESGCM(key)
        self._error = error

    def seal(self, plaintext: bytes, *, ad: bytes) -> bytes:
        """Pad, encrypt and authenticate ``plaintext`` bound to ``ad``."""
        size = len(plaintext) + 4
        padded = len(plaintext).to_bytes(4, "big") + plaintext + bytes(-size % PAD)
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, padded, ad)

    def open(self, blob: bytes, *, ad: bytes) -> bytes:
        """Decrypt a blob made by :meth:`seal` with the same ``ad``; raise the error class."""
        if len(blob) < _NONCE + _TAG + 4:
            raise self._error("sealed blob too short")
        try:
            padded = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], ad)
        except InvalidTag as exc:
            raise self._error("sealed blob failed authentication") from exc
        length = int.from_bytes(padded[:4], "big")
        if length > len(padded) - 4:
            raise self._error("sealed blob has a bad length")
        return padded[4 : 4 + length]
