"""AEAD sealing of database blobs under subkeys of the district data key."""

from __future__ import annotations

import hmac

from district.errors import DistrictError
from simpul.sealing import PAD
from simpul.sealing import Sealer as _SharedSealer

__all__ = ["PAD", "CorruptDataError", "Sealer", "change_ad", "keyed_digest", "record_ad"]


class CorruptDataError(DistrictError):
    """A sealed blob failed authentication: tampered, moved to another row, or the wrong key."""


class Sealer(_SharedSealer):
    """The shared AES-256-GCM sealer (simpul/sealing.py), raising :class:`CorruptDataError`."""

    def __init__(self, key: bytes) -> None:
        """Use ``key`` (32 bytes) for sealing and opening."""
        super().__init__(key, error=CorruptDataError)


def change_ad(record_id: str, device: str, counter: int) -> bytes:
    """Associated data of a change blob: ``change|<record id>|<device>|<counter>``."""
    return f"change|{record_id}|{device}|{counter}".encode()


def record_ad(record_id: str) -> bytes:
    """Associated data of a record blob: ``record|<record id>``."""
    return f"record|{record_id}".encode()


def keyed_digest(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data``: compares contents without revealing them to the database."""
    return hmac.digest(key, data, "sha256")
