"""AEAD sealing of database blobs under subkeys of the district data key."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from district.errors import DistrictError

__all__ = ["PAD", "CorruptDataError", "Sealer", "change_ad", "keyed_digest", "record_ad"]

_NONCE = 12
_TAG = 16
PAD = 256
"""Plaintexts are padded to a multiple of this many bytes, so a blob's size does not tell which
value a field took."""


class CorruptDataError(DistrictError):
    """A sealed blob failed authentication: tampered, moved to another row, or the wrong key."""


class Sealer:
    """AES-256-GCM with a random 96-bit nonce per blob; layout ``nonce || ciphertext``.

    Associated data binds each blob to its row (record id, change id), so a blob copied into
    another row fails to open. Random nonces stay far below the GCM bound of 2**32 messages
    per key (NIST SP 800-38D §8.3) for a district's tens of thousands of records.
    """

    def __init__(self, key: bytes) -> None:
        """Use ``key`` (32 bytes) for sealing and opening."""
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, ad: bytes) -> bytes:
        """Pad, encrypt and authenticate ``plaintext`` bound to ``ad``."""
        size = len(plaintext) + 4
        padded = len(plaintext).to_bytes(4, "big") + plaintext + bytes(-size % PAD)
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, padded, ad)

    def open(self, blob: bytes, *, ad: bytes) -> bytes:
        """Decrypt a blob made by :meth:`seal` with the same ``ad``.

        Raises:
            CorruptDataError: The blob was changed, moved or sealed under another key.
        """
        if len(blob) < _NONCE + _TAG + 4:
            raise CorruptDataError("sealed blob too short")
        try:
            padded = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], ad)
        except InvalidTag as exc:
            raise CorruptDataError("sealed blob failed authentication") from exc
        length = int.from_bytes(padded[:4], "big")
        if length > len(padded) - 4:
            raise CorruptDataError("sealed blob has a bad length")
        return padded[4 : 4 + length]


def change_ad(record_id: str, device: str, counter: int) -> bytes:
    """Associated data of a change blob: ``change|<record id>|<device>|<counter>``."""
    return f"change|{record_id}|{device}|{counter}".encode()


def record_ad(record_id: str) -> bytes:
    """Associated data of a record blob: ``record|<record id>``."""
    return f"record|{record_id}".encode()


def keyed_digest(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data``: compares contents without revealing them to the database."""
    return hmac.new(key, data, hashlib.sha256).digest()
