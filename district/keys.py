"""The district's keys: made at ``init``, kept in ``keys.json`` under the server passphrase.

File format (``<data_dir>/keys.json``, mode 0600, written atomically, version 1)::

    {
      "format": "simpul-district-keys", "version": 1,
      "kdf": {"alg": "argon2id", "time_cost": 3, "memory_kib": 65536, "lanes": 4,
              "salt": "<b64, 16 bytes>"},
      "public": {"encryption": "<b64, 1216 bytes>", "signing": "<b64, 32 bytes>"},
      "nonce": "<b64, 12 bytes>",
      "ciphertext": "<b64: AES-256-GCM of enc private (96) || sign private (32) || data key (32)>"
    }

The passphrase key comes from Argon2id (RFC 9106 §4 second recommended option, t=3, m=64 MiB,
p=4, as the floor; the parameters are stored so a later, costlier choice still opens). The
associated data of the ciphertext is the canonical JSON of every other field, so neither the
public keys nor the KDF parameters can be swapped without the file failing to open. The public
keys are readable without the passphrase (:func:`read_public_keys`) for enrollment files.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from district.errors import (
    AlreadyInitializedError,
    KeysCorruptError,
    NotInitializedError,
    WeakPasswordError,
    WrongPassphraseError,
)
from simpul.bundle.errors import KeyFormatError
from simpul.bundle.keys import (
    ENCRYPTION_PRIVATE_LENGTH,
    SIGNING_PRIVATE_LENGTH,
    EncryptionKeyPair,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
)
from simpul.files import write_atomic

__all__ = [
    "FLOOR",
    "KEYS_FILE_NAME",
    "MIN_PASSPHRASE_CHARS",
    "DistrictKeys",
    "KdfCost",
    "PublicKeys",
    "create_keys",
    "derive_password_key",
    "load_keys",
    "read_public_keys",
]

KEYS_FILE_NAME: Final = "keys.json"
MIN_PASSPHRASE_CHARS: Final = 12

_FORMAT: Final = "simpul-district-keys"
_VERSION: Final = 1
_KEY_BYTES: Final = 32
_SALT_BYTES: Final = 16  # RFC 9106 §3.1: 128-bit salt
_NONCE_BYTES: Final = 12
_SECRET_BYTES: Final = ENCRYPTION_PRIVATE_LENGTH + SIGNING_PRIVATE_LENGTH + _KEY_BYTES
_MAX_FILE_BYTES: Final = 1 << 16
# A tampered file must not make unlocking allocate gigabytes or run for hours.
_MAX_MEMORY_KIB: Final = 2 * 1024 * 1024
_MAX_TIME_COST: Final = 1024
_MAX_LANES: Final = 64


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost (RFC 9106 §3.1): passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    lanes: int

    def at_least_floor(self) -> bool:
        """Whether every parameter is at or above :data:`FLOOR`."""
        return (
            self.time_cost >= FLOOR.time_cost
            and self.memory_kib >= FLOOR.memory_kib
            and self.lanes >= FLOOR.lanes
        )


FLOOR: Final = KdfCost(time_cost=3, memory_kib=65536, lanes=4)
"""RFC 9106 §4, second recommended option: t=3, m=64 MiB, p=4."""


def derive_password_key(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    """Derive a 256-bit key from a passphrase or password with Argon2id.

    The text is NFC-normalized first, so the same passphrase typed through different input
    methods gives one key.

    Args:
        secret: The passphrase or password.
        salt: 16 random bytes, stored beside the result.
        cost: The Argon2id parameters.

    Returns:
        32 bytes.
    """
    kdf = Argon2id(
        salt=salt,
        length=_KEY_BYTES,
        iterations=cost.time_cost,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    )
    return kdf.derive(unicodedata.normalize("NFC", secret).encode("utf-8"))


@dataclass(frozen=True)
class PublicKeys:
    """The district's public keys, pinned by devices at enrollment.

    Attributes:
        encryption: What village bundles are sealed to (ML-KEM-768 + X25519).
        signing: What receipts and return bundles are verified with (Ed25519).
    """

    encryption: PublicEncryptionKey
    signing: PublicSigningKey


class DistrictKeys:
    """The unlocked keys of a district server (kept in memory only).

    Attributes:
        encryption: The private encryption key pair (opens village bundles).
        signing: The private signing key pair (signs receipts and return bundles).
    """

    __slots__ = ("_data_key", "encryption", "signing")

    def __init__(
        self, encryption: EncryptionKeyPair, signing: SigningKeyPair, data_key: bytes
    ) -> None:
        """Hold the three keys.

        Args:
            encryption: The encryption key pair.
            signing: The signing key pair.
            data_key: The 256-bit data key (never used directly; see :meth:`subkey`).
        """
        if len(data_key) != _KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        self.encryption = encryption
        self.signing = signing
        self._data_key = bytes(data_key)

    @property
    def public(self) -> PublicKeys:
        """The public halves."""
        return PublicKeys(self.encryption.public_key, self.signing.public_key)

    def subkey(self, purpose: str) -> bytes:
        """Return a 256-bit key for one purpose, derived from the data key with HKDF-SHA256.

        Args:
            purpose: For example ``"db/changes"``; different purposes give unrelated keys.

        Returns:
            32 bytes.
        """
        # No salt: the data key is already uniformly random (RFC 5869 §3.1).
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=_KEY_BYTES,
            salt=None,
            info=b"simpul/district/" + purpose.encode("ascii"),
        )
        return hkdf.derive(self._data_key)

    def __repr__(self) -> str:
        return (
            f"DistrictKeys(encryption={self.encryption.key_id!r}, signing={self.signing.key_id!r})"
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise KeysCorruptError(message=f"{what} is not text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeysCorruptError(message=f"{what} is not base64") from exc


def _associated_data(doc: dict[str, Any]) -> bytes:
    bound = {k: v for k, v in doc.items() if k not in ("nonce", "ciphertext")}
    return json.dumps(bound, sort_keys=True, separators=(",", ":")).encode("utf-8")


def create_keys(path: Path, passphrase: str, *, cost: KdfCost = FLOOR) -> DistrictKeys:
    """Make the district's keys and write them to ``path`` sealed under ``passphrase``.

    Args:
        path: Where ``keys.json`` goes; its directory must exist, the file must not.
        passphrase: The server passphrase (at least 12 characters).
        cost: Argon2id cost; never below :data:`FLOOR`.

    Returns:
        The new keys, unlocked.

    Raises:
        AlreadyInitializedError: ``path`` exists.
        WeakPasswordError: The passphrase is shorter than 12 characters.
        ValueError: ``cost`` is below the floor.
    """
    if path.exists():
        raise AlreadyInitializedError(data_dir=str(path.parent))
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise WeakPasswordError(min_length=MIN_PASSPHRASE_CHARS)
    if not cost.at_least_floor():
        raise ValueError(f"Argon2id cost {cost} is below the RFC 9106 floor {FLOOR}")
    keys = DistrictKeys(EncryptionKeyPair.generate(), SigningKeyPair.generate(), os.urandom(32))
    salt = os.urandom(_SALT_BYTES)
    doc: dict[str, Any] = {
        "format": _FORMAT,
        "version": _VERSION,
        "kdf": {
            "alg": "argon2id",
            "time_cost": cost.time_cost,
            "memory_kib": cost.memory_kib,
            "lanes": cost.lanes,
            "salt": _b64(salt),
        },
        "public": {
            "encryption": _b64(keys.encryption.public_bytes()),
            "signing": _b64(keys.signing.public_bytes()),
        },
    }
    kek = derive_password_key(passphrase, salt, cost)
    nonce = os.urandom(_NONCE_BYTES)
    secret = keys.encryption.private_bytes() + keys.signing.private_bytes() + keys._data_key
    doc["nonce"] = _b64(nonce)
    doc["ciphertext"] = _b64(AESGCM(kek).encrypt(nonce, secret, _associated_data(doc)))
    text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"), mode=0o600)
    return keys


def _read_document(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            raw = f.read(_MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise NotInitializedError(data_dir=str(path.parent)) from None
    except OSError as exc:
        raise KeysCorruptError(message=f"cannot read the key file: {exc.strerror}") from exc
    if len(raw) > _MAX_FILE_BYTES:
        raise KeysCorruptError(message="the key file is too large")
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise KeysCorruptError(message="the key file is not JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise KeysCorruptError(message="not a Simpul district key file")
    if doc.get("version") != _VERSION:
        raise KeysCorruptError(message="unknown key file version")
    return doc


def _public_from(doc: dict[str, Any]) -> PublicKeys:
    public = doc.get("public")
    if not isinstance(public, dict):
        raise KeysCorruptError(message="the key file has no public keys")
    try:
        return PublicKeys(
            PublicEncryptionKey.from_public_bytes(_unb64(public.get("encryption"), "encryption")),
            PublicSigningKey.from_public_bytes(_unb64(public.get("signing"), "signing")),
        )
    except KeyFormatError as exc:
        raise KeysCorruptError(message="a public key in the key file is malformed") from exc


def read_public_keys(path: Path) -> PublicKeys:
    """Read the district's public keys without the passphrase.

    Args:
        path: The ``keys.json`` file.

    Returns:
        The public keys as written at ``init`` (authenticated only by :func:`load_keys`).

    Raises:
        NotInitializedError: There is no key file.
        KeysCorruptError: The file is malformed.
    """
    return _public_from(_read_document(path))


def _cost_from(kdf: object) -> tuple[KdfCost, bytes]:
    if not isinstance(kdf, dict) or kdf.get("alg") != "argon2id":
        raise KeysCorruptError(message="unknown key derivation")
    values = [kdf.get("time_cost"), kdf.get("memory_kib"), kdf.get("lanes")]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
        raise KeysCorruptError(message="bad key derivation parameters")
    cost = KdfCost(*(int(v) for v in values if isinstance(v, int)))
    if (
        cost.time_cost > _MAX_TIME_COST
        or cost.memory_kib > _MAX_MEMORY_KIB
        or cost.lanes > _MAX_LANES
        or cost.memory_kib < 8 * cost.lanes
    ):
        raise KeysCorruptError(message="key derivation parameters out of range")
    salt = _unb64(kdf.get("salt"), "salt")
    if len(salt) != _SALT_BYTES:
        raise KeysCorruptError(message="bad salt length")
    return cost, salt


def load_keys(path: Path, passphrase: str) -> DistrictKeys:
    """Open ``keys.json`` with the server passphrase.

    Args:
        path: The key file.
        passphrase: The server passphrase.

    Returns:
        The unlocked keys.

    Raises:
        NotInitializedError: There is no key file.
        WrongPassphraseError: The passphrase does not open it (or the file was modified).
        KeysCorruptError: The file is malformed.
    """
    doc = _read_document(path)
    public = _public_from(doc)
    cost, salt = _cost_from(doc.get("kdf"))
    nonce = _unb64(doc.get("nonce"), "nonce")
    ciphertext = _unb64(doc.get("ciphertext"), "ciphertext")
    if len(nonce) != _NONCE_BYTES:
        raise KeysCorruptError(message="bad nonce length")
    kek = derive_password_key(passphrase, salt, cost)
    try:
        secret = AESGCM(kek).decrypt(nonce, ciphertext, _associated_data(doc))
    except InvalidTag:
        # A wrong passphrase and a modified file look the same to AES-GCM.
        raise WrongPassphraseError() from None
    if len(secret) != _SECRET_BYTES:
        raise KeysCorruptError(message="the sealed keys have the wrong length")
    enc_end = ENCRYPTION_PRIVATE_LENGTH
    sign_end = enc_end + SIGNING_PRIVATE_LENGTH
    try:
        keys = DistrictKeys(
            EncryptionKeyPair.from_private_bytes(secret[:enc_end]),
            SigningKeyPair.from_private_bytes(secret[enc_end:sign_end]),
            secret[sign_end:],
        )
    except KeyFormatError as exc:
        raise KeysCorruptError(message="a sealed key is malformed") from exc
    if not (
        hmac.compare_digest(keys.encryption.public_bytes(), public.encryption.public_bytes())
        and hmac.compare_digest(keys.signing.public_bytes(), public.signing.public_bytes())
    ):
        raise KeysCorruptError(message="the public keys do not match the private keys")
    return keys
