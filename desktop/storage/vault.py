"""The vault: a profile's random data key, wrapped in passphrase and recovery-code key slots.

File format (``vault.json``, written atomically, version 1)::

    {
      "version": 1,
      "vault_id": "<32 hex>",
      "slots": [
        {"id": "<16 hex>", "kind": "passphrase",
         "kdf": {"alg": "argon2id", "time_cost": 3, "memory_kib": 65536, "lanes": 4,
                 "salt": "<b64, 16 bytes>"},
         "nonce": "<b64, 12 bytes>", "wrapped_key": "<b64, 32 + 16 bytes>",
         "user": {"nonce": "<b64, 12 bytes>", "ciphertext": "<b64, 256 + 16 bytes>"}},
        {"id": "<16 hex>", "kind": "recovery",
         "kdf": {"alg": "hkdf-sha256", "salt": "<b64, 16 bytes>"},
         "nonce": "<b64>", "wrapped_key": "<b64>"}
      ]
    }

What the plain fields reveal: that this is a Simpul vault, how many users it has, and the KDF
cost chosen on this machine. User names are sealed under a key derived from the data key and
padded to one fixed size, so neither a name nor its length is visible without unlocking.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.storage.atomic import write_atomic
from desktop.storage.errors import (
    InvalidUserNameError,
    ReadFailedError,
    UnknownUserError,
    UserExistsError,
    VaultChangedError,
    VaultCorruptError,
    VaultExistsError,
    VaultLockedError,
    VaultMissingError,
    WeakPassphraseError,
    WriteFailedError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)

__all__ = [
    "FLOOR",
    "FORMAT_VERSION",
    "VAULT_FILE_NAME",
    "KdfCost",
    "UnlockedVault",
    "Vault",
    "calibrate_kdf",
    "check_passphrase_strength",
    "generate_recovery_code",
]

VAULT_FILE_NAME: Final = "vault.json"
FORMAT_VERSION: Final = 1

_KIND_PASSPHRASE: Final = "passphrase"
_KIND_RECOVERY: Final = "recovery"
_ALG_ARGON2ID: Final = "argon2id"
_ALG_HKDF: Final = "hkdf-sha256"

_KEY_BYTES: Final = 32  # AES-256 keys and the data key itself: 256 bits
_SALT_BYTES: Final = 16  # RFC 9106 §3.1 recommends a 128-bit salt
_NONCE_BYTES: Final = 12  # 96-bit GCM nonce (NIST SP 800-38D §8.2.2, random construction)
_TAG_BYTES: Final = 16
_VAULT_ID_BYTES: Final = 16
_SLOT_ID_BYTES: Final = 8
_MAX_FILE_BYTES: Final = 1 << 20  # a vault is a few KiB; refuse to parse anything absurd

# Sealed user names are padded to one size (2-byte length + UTF-8 + zeros) so the file does
# not reveal how long a name is.
_USER_BLOCK_BYTES: Final = 256
_MAX_USER_NAME_BYTES: Final = _USER_BLOCK_BYTES - 2

_RECOVERY_CODE_BYTES: Final = 20  # 160 bits → exactly 32 base32 characters, no padding
_RECOVERY_CODE_CHARS: Final = 32
_RECOVERY_GROUP_CHARS: Final = 4
_RECOVERY_INFO: Final = b"simpul/vault/recovery/v1"
_USER_NAME_INFO: Final = b"simpul/vault/user-name/v1"
_SUBKEY_PREFIX: Final = b"simpul/"
_AD_PREFIX: Final = "simpul/vault/v1"

# Bounds accepted when reading a file; a tampered file must not make unlock allocate gigabytes
# or run for hours. RFC 9106 §4's first recommended profile (2 GiB) is the largest we admit.
_MAX_MEMORY_KIB: Final = 2 * 1024 * 1024
_MAX_TIME_COST: Final = 1024
_MAX_LANES: Final = 64

_CALIBRATION_BUDGET_SECONDS: Final = 2.0
_MAX_CALIBRATED_TIME_COST: Final = 64

_MIN_PASSPHRASE_CHARS: Final = 12
_MIN_PHRASE_WORDS: Final = 4
_MIN_WORD_LETTERS: Final = 3
_MIN_DISTINCT_CHARS: Final = 5

_HEX_RE: Final = re.compile(r"[0-9a-f]+")
_BASE32_RE: Final = re.compile(r"[A-Z2-7]+")
_SUBKEY_PURPOSE_RE: Final = re.compile(r"[a-z0-9][a-z0-9._/-]{0,63}")
# 0, 1 and 8 are not in the RFC 4648 base32 alphabet, so reading them as the letters they
# resemble is never ambiguous; dashes of every kind and spaces only group the code.
_RECOVERY_TRANSLATION: Final = str.maketrans(
    {
        "0": "O",
        "1": "I",
        "8": "B",
        "-": None,
        "\u2010": None,
        "\u2011": None,
        "\u2012": None,
        "\u2013": None,
        "\u2014": None,
        "\u2212": None,
    }
)


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost parameters (RFC 9106 §3.1).

    Attributes:
        time_cost: Number of passes ``t``.
        memory_kib: Memory size ``m`` in KiB.
        lanes: Degree of parallelism ``p``.
    """

    time_cost: int
    memory_kib: int
    lanes: int

    def __post_init__(self) -> None:
        # RFC 9106 §3.1: t ≥ 1, 1 ≤ p ≤ 2^24 − 1, m ≥ 8·p KiB.
        for value in (self.time_cost, self.memory_kib, self.lanes):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("KdfCost fields must be integers")
        if self.time_cost < 1 or not 1 <= self.lanes < 1 << 24 or self.memory_kib < 8 * self.lanes:
            raise ValueError(f"invalid Argon2id parameters: {self}")


# RFC 9106 §4, second recommended option: Argon2id, t=3, m=64 MiB, p=4 (for environments where
# the first option's 2 GiB is too much — a village laptop shared with other work).
FLOOR: Final = KdfCost(time_cost=3, memory_kib=65536, lanes=4)


def calibrate_kdf(*, target_seconds: float = 0.5, floor: KdfCost = FLOOR) -> KdfCost:
    """Choose the Argon2id cost for this machine: the floor, with more passes until ~target.

    Following RFC 9106 §4 (fix memory and lanes, then find the largest ``t`` whose running time
    fits the budget): time the floor (best of two runs, to shed noise from other programs),
    extrapolate to a first estimate, time that, and fit ``seconds = a + b·t`` through the two
    points (the fixed part ``a`` is the cost of allocating and filling memory). Calibration
    stays within about 2 s; on a machine where the floor alone takes ``target_seconds`` or
    longer it returns the floor.

    Args:
        target_seconds: The wanted duration of one derivation.
        floor: The minimum cost; the result is never below it in any parameter.

    Returns:
        ``floor`` with ``time_cost`` raised so one derivation takes about ``target_seconds``.

    Raises:
        ValueError: ``target_seconds`` is not positive.
    """
    if not target_seconds > 0:
        raise ValueError("target_seconds must be positive")
    started = time.perf_counter()

    def remaining() -> float:
        return _CALIBRATION_BUDGET_SECONDS - (time.perf_counter() - started)

    floor_seconds = _time_derivation(floor)
    if floor_seconds < target_seconds and floor_seconds <= remaining() / 3:
        floor_seconds = min(floor_seconds, _time_derivation(floor))
    if floor_seconds >= target_seconds:
        return floor
    estimate = _clamp_time_cost(target_seconds * floor.time_cost / floor_seconds, floor)
    predicted = floor_seconds * estimate / floor.time_cost
    if estimate == floor.time_cost or predicted > remaining():
        return replace(floor, time_cost=estimate)
    measured = _time_derivation(replace(floor, time_cost=estimate))
    slope = (measured - floor_seconds) / (estimate - floor.time_cost)
    if slope > 0:
        passes = estimate + (target_seconds - measured) / slope
    else:  # noise swamped the difference; fall back to proportional scaling
        passes = target_seconds * estimate / measured
    return replace(floor, time_cost=_clamp_time_cost(passes, floor))


def _clamp_time_cost(passes: float, floor: KdfCost) -> int:
    return max(floor.time_cost, min(_MAX_CALIBRATED_TIME_COST, round(passes)))


def _time_derivation(cost: KdfCost) -> float:
    kdf = _argon2id(os.urandom(_SALT_BYTES), cost)
    started = time.perf_counter()
    kdf.derive(b"simpul calibration")
    return max(time.perf_counter() - started, 1e-6)


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse a passphrase that is too easy to guess.

    Accepted: at least 12 characters, or a phrase of at least 4 words of at least 3 letters —
    and in either case at least 5 distinct characters (so ``aaaaaaaaaaaa`` is refused).
    Leading and trailing spaces do not count.

    Args:
        passphrase: The passphrase the user typed.

    Raises:
        WeakPassphraseError: The passphrase is too weak; ``params`` carry the limits.
    """
    text = _normalize_passphrase(passphrase).strip()
    words = [w for w in text.split() if sum(c.isalpha() for c in w) >= _MIN_WORD_LETTERS]
    long_enough = len(text) >= _MIN_PASSPHRASE_CHARS or len(words) >= _MIN_PHRASE_WORDS
    varied = len(set(text.casefold())) >= _MIN_DISTINCT_CHARS
    if not (long_enough and varied):
        raise WeakPassphraseError(
            min_length=_MIN_PASSPHRASE_CHARS,
            min_words=_MIN_PHRASE_WORDS,
            min_word_letters=_MIN_WORD_LETTERS,
        )


def generate_recovery_code() -> str:
    """Make a new recovery code: 160 random bits in RFC 4648 base32, 8 groups of 4.

    Returns:
        A code such as ``ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567``.
    """
    return _format_recovery_code(secrets.token_bytes(_RECOVERY_CODE_BYTES))


def _format_recovery_code(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii")
    step = _RECOVERY_GROUP_CHARS
    return "-".join(text[i : i + step] for i in range(0, len(text), step))


def _parse_recovery_code(code: str) -> bytes:
    """Decode a typed recovery code, forgiving case, spacing, dashes and 0/1/8 look-alikes."""
    # NFKC folds full-width letters and digits that phone keyboards produce.
    text = "".join(unicodedata.normalize("NFKC", code).split()).upper()
    text = text.translate(_RECOVERY_TRANSLATION)
    if len(text) != _RECOVERY_CODE_CHARS or not _BASE32_RE.fullmatch(text):
        raise WrongRecoveryCodeError(message="the recovery code has the wrong length or characters")
    return base64.b32decode(text)


# --- key derivation and wrapping ----------------------------------------------------------------


def _argon2id(salt: bytes, cost: KdfCost) -> Argon2id:
    return Argon2id(
        salt=salt,
        length=_KEY_BYTES,
        iterations=cost.time_cost,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    )


def _normalize_passphrase(passphrase: str) -> str:
    # The same passphrase typed through different keyboards or input methods can arrive in
    # different Unicode forms; NFC makes them one byte string (as RFC 8265 OpaqueString does).
    return unicodedata.normalize("NFC", passphrase)


def _passphrase_kek(passphrase: str, salt: bytes, cost: KdfCost) -> bytearray:
    kek = bytearray(_KEY_BYTES)
    _argon2id(salt, cost).derive_into(_normalize_passphrase(passphrase).encode("utf-8"), kek)
    return kek


def _recovery_kek(code_bytes: bytes, salt: bytes) -> bytearray:
    # The recovery code carries 160 bits of entropy from a CSPRNG, so guessing it is infeasible
    # however fast the KDF; a slow, memory-hard KDF (Argon2id) only matters for low-entropy
    # passphrases. HKDF (RFC 5869) suffices to turn the code into a uniform key.
    kek = bytearray(_KEY_BYTES)
    HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=salt, info=_RECOVERY_INFO).derive_into(
        code_bytes, kek
    )
    return kek


def _hkdf_into(key: bytearray, info: bytes) -> bytearray:
    out = bytearray(_KEY_BYTES)
    # No salt: the data key is already uniformly random (RFC 5869 §3.1).
    HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=info).derive_into(key, out)
    return out


def _zero(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))


def _ad(purpose: str, vault_id: str, slot_id: str, kind: str) -> bytes:
    """Associated data binding a ciphertext to its vault, slot and slot kind."""
    # Every part is lowercase hex or a fixed word, so NUL separators make the encoding unique.
    return "\x00".join((_AD_PREFIX, purpose, vault_id, slot_id, kind)).encode("ascii")


def _wrap(kek: bytearray, dek: bytearray, ad: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce, AESGCM(kek).encrypt(nonce, dek, ad)


def _unwrap(kek: bytearray, nonce: bytes, wrapped: bytes, ad: bytes) -> bytearray | None:
    """Open a wrapped data key; None if the key is wrong or the slot was tampered with."""
    dek = bytearray(_KEY_BYTES)
    try:
        AESGCM(kek).decrypt_into(nonce, wrapped, ad, dek)
    except InvalidTag:
        _zero(dek)
        return None
    return dek


def _normalize_user(user: str) -> str:
    name = unicodedata.normalize("NFC", user).strip()
    if not name:
        raise InvalidUserNameError(message="the user name is empty", reason="empty")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise InvalidUserNameError(
            message="the user name has control characters", reason="characters"
        )
    if len(name.encode("utf-8")) > _MAX_USER_NAME_BYTES:
        raise InvalidUserNameError(
            message="the user name is too long", reason="too_long", max_bytes=_MAX_USER_NAME_BYTES
        )
    return name


def _same_user(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _pad_user(name: str) -> bytes:
    data = name.encode("utf-8")
    return len(data).to_bytes(2, "big") + data + bytes(_MAX_USER_NAME_BYTES - len(data))


def _unpad_user(block: bytes) -> str:
    size = int.from_bytes(block[:2], "big")
    if len(block) != _USER_BLOCK_BYTES or size > _MAX_USER_NAME_BYTES or any(block[2 + size :]):
        raise VaultCorruptError(message="a sealed user name has a bad layout")
    try:
        return block[2 : 2 + size].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VaultCorruptError(message="a sealed user name is not UTF-8") from exc


# --- the file -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PassphraseSlot:
    slot_id: str
    cost: KdfCost
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    user_nonce: bytes
    sealed_user: bytes


@dataclass(frozen=True)
class _RecoverySlot:
    slot_id: str
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class _Document:
    vault_id: str
    passphrase_slots: tuple[_PassphraseSlot, ...]
    recovery_slot: _RecoverySlot

    def strongest_cost(self) -> KdfCost:
        """The cost given to new passphrase slots: the strongest one already in the file."""
        return max(
            (slot.cost for slot in self.passphrase_slots),
            key=lambda c: (c.memory_kib * c.time_cost, c.lanes),
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _dump(document: _Document) -> bytes:
    slots: list[dict[str, Any]] = [
        {
            "id": slot.slot_id,
            "kind": _KIND_PASSPHRASE,
            "kdf": {
                "alg": _ALG_ARGON2ID,
                "time_cost": slot.cost.time_cost,
                "memory_kib": slot.cost.memory_kib,
                "lanes": slot.cost.lanes,
                "salt": _b64(slot.salt),
            },
            "nonce": _b64(slot.nonce),
            "wrapped_key": _b64(slot.wrapped_key),
            "user": {"nonce": _b64(slot.user_nonce), "ciphertext": _b64(slot.sealed_user)},
        }
        for slot in document.passphrase_slots
    ]
    recovery = document.recovery_slot
    slots.append(
        {
            "id": recovery.slot_id,
            "kind": _KIND_RECOVERY,
            "kdf": {"alg": _ALG_HKDF, "salt": _b64(recovery.salt)},
            "nonce": _b64(recovery.nonce),
            "wrapped_key": _b64(recovery.wrapped_key),
        }
    )
    body = {"version": FORMAT_VERSION, "vault_id": document.vault_id, "slots": slots}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii")


def _parse(raw: bytes) -> _Document:
    """Parse and validate a vault file strictly; any defect is a VaultCorruptError."""
    try:
        body = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
        )
        return _parse_body(body)
    except VaultCorruptError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise VaultCorruptError(message=f"unreadable vault file: {type(exc).__name__}") from exc


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise VaultCorruptError(message="duplicate key in the vault file")
    return result


def _reject_constant(name: str) -> Any:
    raise VaultCorruptError(message=f"{name} is not allowed in the vault file")


def _parse_body(body: object) -> _Document:
    obj = _object(body, {"version", "vault_id", "slots"}, "vault")
    version = obj["version"]
    if type(version) is not int or version != FORMAT_VERSION:
        raise VaultCorruptError(message="unsupported vault version", version=str(version)[:16])
    vault_id = _hex_id(obj["vault_id"], _VAULT_ID_BYTES, "vault_id")
    slots = obj["slots"]
    if not isinstance(slots, list):
        raise VaultCorruptError(message="slots is not a list")
    passphrase_slots: list[_PassphraseSlot] = []
    recovery_slots: list[_RecoverySlot] = []
    for item in slots:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind == _KIND_PASSPHRASE:
            passphrase_slots.append(_parse_passphrase_slot(item))
        elif kind == _KIND_RECOVERY:
            recovery_slots.append(_parse_recovery_slot(item))
        else:
            raise VaultCorruptError(message="unknown slot kind")
    if not passphrase_slots or len(recovery_slots) != 1:
        raise VaultCorruptError(
            message="a vault needs passphrase slots and exactly one recovery slot"
        )
    ids = [s.slot_id for s in passphrase_slots] + [recovery_slots[0].slot_id]
    if len(set(ids)) != len(ids):
        raise VaultCorruptError(message="duplicate slot id")
    return _Document(vault_id, tuple(passphrase_slots), recovery_slots[0])


def _parse_passphrase_slot(item: object) -> _PassphraseSlot:
    obj = _object(item, {"id", "kind", "kdf", "nonce", "wrapped_key", "user"}, "slot")
    kdf = _object(obj["kdf"], {"alg", "time_cost", "memory_kib", "lanes", "salt"}, "kdf")
    if kdf["alg"] != _ALG_ARGON2ID:
        raise VaultCorruptError(message="unknown passphrase KDF")
    time_cost = _int(kdf["time_cost"], 1, _MAX_TIME_COST)
    lanes = _int(kdf["lanes"], 1, _MAX_LANES)
    memory_kib = _int(kdf["memory_kib"], 8 * lanes, _MAX_MEMORY_KIB)
    user = _object(obj["user"], {"nonce", "ciphertext"}, "user")
    return _PassphraseSlot(
        slot_id=_hex_id(obj["id"], _SLOT_ID_BYTES, "slot id"),
        cost=KdfCost(time_cost, memory_kib, lanes),
        salt=_bytes(kdf["salt"], _SALT_BYTES),
        nonce=_bytes(obj["nonce"], _NONCE_BYTES),
        wrapped_key=_bytes(obj["wrapped_key"], _KEY_BYTES + _TAG_BYTES),
        user_nonce=_bytes(user["nonce"], _NONCE_BYTES),
        sealed_user=_bytes(user["ciphertext"], _USER_BLOCK_BYTES + _TAG_BYTES),
    )


def _parse_recovery_slot(item: object) -> _RecoverySlot:
    obj = _object(item, {"id", "kind", "kdf", "nonce", "wrapped_key"}, "slot")
    kdf = _object(obj["kdf"], {"alg", "salt"}, "kdf")
    if kdf["alg"] != _ALG_HKDF:
        raise VaultCorruptError(message="unknown recovery KDF")
    return _RecoverySlot(
        slot_id=_hex_id(obj["id"], _SLOT_ID_BYTES, "slot id"),
        salt=_bytes(kdf["salt"], _SALT_BYTES),
        nonce=_bytes(obj["nonce"], _NONCE_BYTES),
        wrapped_key=_bytes(obj["wrapped_key"], _KEY_BYTES + _TAG_BYTES),
    )


def _object(value: object, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise VaultCorruptError(message=f"malformed {what}")
    return value


def _int(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise VaultCorruptError(message="KDF parameter out of range")
    return value


def _hex_id(value: object, size: int, what: str) -> str:
    if not isinstance(value, str) or len(value) != 2 * size or not _HEX_RE.fullmatch(value):
        raise VaultCorruptError(message=f"malformed {what}")
    return value


def _bytes(value: object, size: int) -> bytes:
    if not isinstance(value, str):
        raise VaultCorruptError(message="a binary field is not a string")
    try:
        data = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise VaultCorruptError(message="a binary field is not base64") from exc
    if len(data) != size:
        raise VaultCorruptError(message="a binary field has the wrong length")
    return data


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            raw = file.read(_MAX_FILE_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise VaultMissingError(file=path.name) from exc
    except OSError as exc:
        raise ReadFailedError(
            message=f"could not read {path.name}: {exc.strerror}", file=path.name
        ) from exc
    if len(raw) > _MAX_FILE_BYTES:
        raise VaultCorruptError(message="the vault file is too large")
    return raw


def _new_slot_id() -> str:
    return secrets.token_hex(_SLOT_ID_BYTES)


def _seal_passphrase_slot(
    *,
    vault_id: str,
    slot_id: str,
    cost: KdfCost,
    salt: bytes,
    kek: bytearray,
    dek: bytearray,
    user_key: bytearray,
    user: str,
) -> _PassphraseSlot:
    nonce, wrapped = _wrap(kek, dek, _ad("dek", vault_id, slot_id, _KIND_PASSPHRASE))
    user_nonce = os.urandom(_NONCE_BYTES)
    sealed_user = AESGCM(user_key).encrypt(
        user_nonce, _pad_user(user), _ad("user", vault_id, slot_id, _KIND_PASSPHRASE)
    )
    return _PassphraseSlot(slot_id, cost, salt, nonce, wrapped, user_nonce, sealed_user)


def _seal_recovery_slot(vault_id: str, dek: bytearray) -> tuple[_RecoverySlot, str]:
    raw_code = secrets.token_bytes(_RECOVERY_CODE_BYTES)
    slot_id = _new_slot_id()
    salt = os.urandom(_SALT_BYTES)
    kek = _recovery_kek(raw_code, salt)
    try:
        nonce, wrapped = _wrap(kek, dek, _ad("dek", vault_id, slot_id, _KIND_RECOVERY))
    finally:
        _zero(kek)
    return _RecoverySlot(slot_id, salt, nonce, wrapped), _format_recovery_code(raw_code)


# --- public classes -----------------------------------------------------------------------------


class Vault:
    """A vault file read from disk, still locked: it knows its slots but no key.

    Obtain one with :meth:`load` (or :meth:`create`, which returns it already unlocked).
    """

    def __init__(self, path: Path, document: _Document, raw: bytes) -> None:
        """Wrap a parsed vault file; use :meth:`load` or :meth:`create` instead."""
        self._path = path
        self._document = document
        self._raw = raw

    def __repr__(self) -> str:
        return f"<Vault {self._document.vault_id} users={len(self._document.passphrase_slots)}>"

    @classmethod
    def create(
        cls, path: Path, *, user: str, passphrase: str, cost: KdfCost | None = None
    ) -> tuple[UnlockedVault, str]:
        """Create a new vault with one user and a recovery code.

        Args:
            path: The vault file to create (normally ``<profile>/vault.json``); missing parent
                folders are created with mode 0700.
            user: The first user's name (sealed in the file, never written in plaintext).
            passphrase: The first user's passphrase; must pass :func:`check_passphrase_strength`.
            cost: Argon2id cost; ``None`` calibrates for this machine (:func:`calibrate_kdf`).
                An explicit cost below :data:`FLOOR` is accepted (tests use one) — do not do
                that in the application.

        Returns:
            The unlocked vault and the recovery code, to show the user exactly once.

        Raises:
            VaultExistsError: ``path`` already exists.
            WeakPassphraseError: The passphrase is too weak.
            InvalidUserNameError: The user name is empty, too long or has control characters.
            DiskFullError: The disk is full.
            WriteFailedError: The file could not be written.
        """
        check_passphrase_strength(passphrase)
        name = _normalize_user(user)
        if path.exists():
            raise VaultExistsError(file=path.name)
        if cost is None:
            cost = calibrate_kdf()
        vault_id = secrets.token_hex(_VAULT_ID_BYTES)
        slot_id = _new_slot_id()
        salt = os.urandom(_SALT_BYTES)
        kek = _passphrase_kek(passphrase, salt, cost)
        # secrets.token_bytes returns an immutable bytes object we cannot wipe; the copy kept
        # from here on is the bytearray, which lock() zeroes.
        dek = bytearray(secrets.token_bytes(_KEY_BYTES))
        user_key = _hkdf_into(dek, _USER_NAME_INFO)
        try:
            slot = _seal_passphrase_slot(
                vault_id=vault_id,
                slot_id=slot_id,
                cost=cost,
                salt=salt,
                kek=kek,
                dek=dek,
                user_key=user_key,
                user=name,
            )
            recovery, code = _seal_recovery_slot(vault_id, dek)
            document = _Document(vault_id, (slot,), recovery)
            raw = _dump(document)
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteFailedError(
                    message="could not create the profile folder", errno=exc.errno
                ) from exc
            try:
                write_atomic(path, raw, overwrite=False)
            except FileExistsError as exc:
                raise VaultExistsError(file=path.name) from exc
        except BaseException:
            _zero(dek)
            raise
        finally:
            _zero(kek)
            _zero(user_key)
        return UnlockedVault(path, document, raw, dek, user=name, users=[name]), code

    @classmethod
    def load(cls, path: Path) -> Vault:
        """Read and validate a vault file.

        Args:
            path: The vault file (normally ``<profile>/vault.json``).

        Returns:
            The locked vault.

        Raises:
            VaultMissingError: There is no file at ``path``.
            ReadFailedError: The file exists but cannot be read.
            VaultCorruptError: The file is not a valid vault of a supported version.
        """
        raw = _read(path)
        return cls(path, _parse(raw), raw)

    @property
    def vault_id(self) -> str:
        """The random, non-identifying id of this vault (32 hex digits)."""
        return self._document.vault_id

    def unlock(self, passphrase: str) -> UnlockedVault:
        """Open the vault with a user's passphrase, trying each passphrase slot in turn.

        Each attempt costs one Argon2id derivation (about half a second), so a wrong passphrase
        takes that long times the number of users.

        Args:
            passphrase: The passphrase as typed.

        Returns:
            The unlocked vault; its ``user`` is the owner of the slot that opened.

        Raises:
            WrongPassphraseError: No slot opens with this passphrase.
            VaultCorruptError: A slot opened but the sealed user names were tampered with.
        """
        document = self._document
        for slot in document.passphrase_slots:
            kek = _passphrase_kek(passphrase, slot.salt, slot.cost)
            try:
                ad = _ad("dek", document.vault_id, slot.slot_id, _KIND_PASSPHRASE)
                dek = _unwrap(kek, slot.nonce, slot.wrapped_key, ad)
            finally:
                _zero(kek)
            if dek is not None:
                return self._open(dek, opened_by=slot.slot_id)
        raise WrongPassphraseError()

    def unlock_with_recovery_code(self, code: str) -> UnlockedVault:
        """Open the vault with the printed recovery code (its ``user`` is then ``None``).

        Args:
            code: The code as typed; case, spaces, dashes and 0/1/8 for O/I/B are forgiven.

        Returns:
            The unlocked vault.

        Raises:
            WrongRecoveryCodeError: The code is malformed or does not open the recovery slot.
            VaultCorruptError: The sealed user names were tampered with.
        """
        document = self._document
        slot = document.recovery_slot
        kek = _recovery_kek(_parse_recovery_code(code), slot.salt)
        try:
            ad = _ad("dek", document.vault_id, slot.slot_id, _KIND_RECOVERY)
            dek = _unwrap(kek, slot.nonce, slot.wrapped_key, ad)
        finally:
            _zero(kek)
        if dek is None:
            raise WrongRecoveryCodeError()
        return self._open(dek, opened_by=None)

    def _open(self, dek: bytearray, *, opened_by: str | None) -> UnlockedVault:
        """Unseal every user name (all must verify) and hand the key to an UnlockedVault."""
        document = self._document
        user_key = _hkdf_into(dek, _USER_NAME_INFO)
        users: list[str] = []
        user: str | None = None
        try:
            aead = AESGCM(user_key)
            for slot in document.passphrase_slots:
                ad = _ad("user", document.vault_id, slot.slot_id, _KIND_PASSPHRASE)
                try:
                    block = aead.decrypt(slot.user_nonce, slot.sealed_user, ad)
                except InvalidTag as exc:
                    raise VaultCorruptError(message="a sealed user name does not verify") from exc
                name = _unpad_user(block)
                users.append(name)
                if slot.slot_id == opened_by:
                    user = name
        except BaseException:
            _zero(dek)
            raise
        finally:
            _zero(user_key)
        return UnlockedVault(self._path, document, self._raw, dek, user=user, users=users)


class UnlockedVault:
    """An open vault: holds the data key in memory until :meth:`lock`.

    Thread-safe: the UI thread may call :meth:`lock` (auto-lock) while the writer thread uses
    the keys. Usable as a context manager that locks on exit.

    The data key and derived subkeys live in ``bytearray`` buffers that :meth:`lock` overwrites
    with zeros. Python cannot guarantee that no other copy exists: the passphrase is an
    immutable ``str``, ``bytes`` returned to callers are immutable copies, the
    ``cryptography`` library keeps key schedules in its own contexts, and freed memory or swap
    may still hold old values. Zeroing narrows the window; it is not a guarantee.
    """

    def __init__(
        self,
        path: Path,
        document: _Document,
        raw: bytes,
        dek: bytearray,
        *,
        user: str | None,
        users: list[str],
    ) -> None:
        """Take ownership of an unwrapped data key; only :class:`Vault` creates these."""
        self._mutex = threading.RLock()
        self._path = path
        self._document = document
        self._raw = raw
        self._dek = dek
        self._user = user
        self._users = users
        self._subkeys: dict[str, bytearray] = {}
        self._locked = False

    def __repr__(self) -> str:
        state = "locked" if self._locked else "unlocked"
        return f"<UnlockedVault {self._document.vault_id} {state}>"

    def __enter__(self) -> UnlockedVault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.lock()

    def __del__(self) -> None:
        # Best effort: wipe the key even if the owner forgot to lock before dropping us.
        for buffer in [getattr(self, "_dek", None), *getattr(self, "_subkeys", {}).values()]:
            if isinstance(buffer, bytearray):
                _zero(buffer)

    @property
    def vault_id(self) -> str:
        """The random, non-identifying id of this vault."""
        return self._document.vault_id

    @property
    def is_locked(self) -> bool:
        """Whether :meth:`lock` has dropped the key material."""
        return self._locked

    @property
    def user(self) -> str | None:
        """The user whose slot opened the vault; ``None`` after a recovery-code unlock.

        After :meth:`set_passphrase_after_recovery` it is the user whose passphrase was set.

        Raises:
            VaultLockedError: The vault was locked.
        """
        with self._mutex:
            self._check_unlocked()
            return self._user

    def users(self) -> list[str]:
        """The names of every user with a passphrase slot, in slot order.

        Raises:
            VaultLockedError: The vault was locked.
        """
        with self._mutex:
            self._check_unlocked()
            return list(self._users)

    def data_key(self) -> bytes:
        """The 32-byte data key (an immutable copy the caller cannot wipe; prefer subkeys).

        Raises:
            VaultLockedError: The vault was locked.
        """
        with self._mutex:
            self._check_unlocked()
            return bytes(self._dek)

    def subkey(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose: HKDF-SHA256(DEK, info=b"simpul/" + purpose), cached.

        Args:
            purpose: Lowercase ASCII label such as ``"records/v1"``; ``vault/…`` is reserved
                for the vault's own keys.

        Returns:
            The derived key.

        Raises:
            ValueError: The purpose is not a valid label or is reserved.
            VaultLockedError: The vault was locked.
        """
        if not _SUBKEY_PURPOSE_RE.fullmatch(purpose) or purpose.startswith("vault/"):
            raise ValueError(f"invalid or reserved subkey purpose: {purpose!r}")
        with self._mutex:
            self._check_unlocked()
            key = self._subkeys.get(purpose)
            if key is None:
                key = _hkdf_into(self._dek, _SUBKEY_PREFIX + purpose.encode("ascii"))
                self._subkeys[purpose] = key
            return bytes(key)

    def change_passphrase(self, new_passphrase: str, *, user: str | None = None) -> None:
        """Re-wrap one user's slot under a new passphrase (fresh salt and nonces).

        Only that slot changes in the file; the other slots keep their exact bytes.

        Args:
            new_passphrase: The new passphrase; must pass :func:`check_passphrase_strength`.
            user: Whose slot to change; defaults to :attr:`user`.

        Raises:
            WeakPassphraseError: The new passphrase is too weak.
            UnknownUserError: No such user (or no default user after a recovery unlock).
            VaultLockedError: The vault was locked.
            VaultChangedError: The file changed on disk since the vault was opened.
            DiskFullError: The disk is full (nothing was changed).
            WriteFailedError: The file could not be written (nothing was changed).
        """
        check_passphrase_strength(new_passphrase)
        with self._mutex:
            self._check_unlocked()
            target = user if user is not None else self._user
        if target is None:
            raise UnknownUserError(
                message="no user given and the vault was opened with the recovery code"
            )
        self._replace_slot(target, new_passphrase)

    def set_passphrase_after_recovery(self, user: str, new_passphrase: str) -> None:
        """Give an existing user a new passphrase after a recovery-code unlock.

        Afterwards :attr:`user` is ``user``.

        Args:
            user: The user whose forgotten passphrase is replaced; must exist.
            new_passphrase: The new passphrase; must pass :func:`check_passphrase_strength`.

        Raises:
            Same as :meth:`change_passphrase`.
        """
        check_passphrase_strength(new_passphrase)
        name = self._replace_slot(user, new_passphrase)
        with self._mutex:
            if not self._locked:
                self._user = name

    def add_user(self, user: str, passphrase: str) -> None:
        """Add a passphrase slot for a new user (same data key, same cost as the strongest slot).

        Args:
            user: The new user's name; must not exist yet (compared case-insensitively).
            passphrase: The new user's passphrase; must pass :func:`check_passphrase_strength`.

        Raises:
            UserExistsError: The user already has a slot.
            InvalidUserNameError: The name is empty, too long or has control characters.
            WeakPassphraseError: The passphrase is too weak.
            VaultLockedError, VaultChangedError, DiskFullError, WriteFailedError: As in
                :meth:`change_passphrase`.
        """
        check_passphrase_strength(passphrase)
        name = _normalize_user(user)
        with self._mutex:
            self._check_unlocked()
            if any(_same_user(name, existing) for existing in self._users):
                raise UserExistsError()
            cost = self._document.strongest_cost()
        salt = os.urandom(_SALT_BYTES)
        # The slow Argon2id derivation runs outside the mutex so auto-lock is never held up.
        kek = _passphrase_kek(passphrase, salt, cost)
        try:
            with self._mutex:
                self._check_unlocked()
                if any(_same_user(name, existing) for existing in self._users):
                    raise UserExistsError()
                slot = self._seal_slot(_new_slot_id(), cost, salt, kek, name)
                document = replace(
                    self._document, passphrase_slots=(*self._document.passphrase_slots, slot)
                )
                self._commit(document, [*self._users, name])
        finally:
            _zero(kek)

    def new_recovery_code(self) -> str:
        """Replace the recovery slot; the old code stops working.

        Returns:
            The new recovery code, to show the user exactly once.

        Raises:
            VaultLockedError, VaultChangedError, DiskFullError, WriteFailedError: As in
                :meth:`change_passphrase`.
        """
        with self._mutex:
            self._check_unlocked()
            recovery, code = _seal_recovery_slot(self._document.vault_id, self._dek)
            self._commit(replace(self._document, recovery_slot=recovery), self._users)
            return code

    def lock(self) -> None:
        """Zero the data key and subkeys and forget the user names; idempotent."""
        with self._mutex:
            _zero(self._dek)
            for key in self._subkeys.values():
                _zero(key)
            self._subkeys.clear()
            self._users = []
            self._user = None
            self._locked = True

    # --- internals ---

    def _check_unlocked(self) -> None:
        if self._locked:
            raise VaultLockedError()

    def _replace_slot(self, user: str, passphrase: str) -> str:
        """Swap the slot of ``user`` for one under ``passphrase``; returns the stored name."""
        wanted = unicodedata.normalize("NFC", user).strip()
        with self._mutex:
            self._check_unlocked()
            index = self._index_of(wanted)
            old = self._document.passphrase_slots[index]
        salt = os.urandom(_SALT_BYTES)
        kek = _passphrase_kek(passphrase, salt, old.cost)
        try:
            with self._mutex:
                self._check_unlocked()
                index = self._index_of(wanted)
                name = self._users[index]
                slots = list(self._document.passphrase_slots)
                # Keeping the slot id and position leaves every other slot's bytes unchanged.
                slots[index] = self._seal_slot(slots[index].slot_id, old.cost, salt, kek, name)
                self._commit(replace(self._document, passphrase_slots=tuple(slots)), self._users)
                return name
        finally:
            _zero(kek)

    def _index_of(self, user: str) -> int:
        for index, existing in enumerate(self._users):
            if _same_user(user, existing):
                return index
        raise UnknownUserError()

    def _seal_slot(
        self, slot_id: str, cost: KdfCost, salt: bytes, kek: bytearray, user: str
    ) -> _PassphraseSlot:
        user_key = _hkdf_into(self._dek, _USER_NAME_INFO)
        try:
            return _seal_passphrase_slot(
                vault_id=self._document.vault_id,
                slot_id=slot_id,
                cost=cost,
                salt=salt,
                kek=kek,
                dek=self._dek,
                user_key=user_key,
                user=user,
            )
        finally:
            _zero(user_key)

    def _commit(self, document: _Document, users: list[str]) -> None:
        """Write ``document`` atomically, then adopt it; on any failure nothing changes."""
        raw = _dump(document)
        # Optimistic concurrency: another process (or another UnlockedVault of the same file)
        # may have added or changed a slot; overwriting would silently drop its change.
        try:
            on_disk = _read(self._path)
        except VaultMissingError as exc:
            raise VaultChangedError(message="the vault file disappeared") from exc
        if on_disk != self._raw:
            raise VaultChangedError()
        write_atomic(self._path, raw)
        self._document = document
        self._raw = raw
        self._users = list(users)
