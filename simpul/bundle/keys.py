"""Key material of bundles: hybrid ML-KEM-768 + X25519 encryption keys and Ed25519 signing keys.

Encryption keys are what bundles are sealed *to* (HPKE stanzas, DESIGN.md §5: post-quantum from
day one, because a survivor's identity must stay secret longer than classical key exchange is
expected to hold against recorded traffic). Signing keys are what bundles and receipts are signed
*with*. Raw encodings (see ``docs/bundle-format.md``):

- public encryption key: 1,216 bytes = ML-KEM-768 encapsulation key (1,184, FIPS 203) ||
  X25519 public key (32, RFC 7748) — the X-Wing / MLKEM768-X25519 public key layout;
- private encryption key: 96 bytes = ML-KEM-768 seed ``d || z`` (64) || X25519 private key (32);
- public signing key: 32 bytes (Ed25519, RFC 8032); private signing key: its 32-byte seed.

:func:`key_id` names a public key by a short hash, used as the recipient key id in stanzas and
as the signer id of bundles and receipts. Private bytes are secrets: keep them in the vault.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519

from simpul.bundle.errors import KeyFormatError

__all__ = [
    "ENCRYPTION_PRIVATE_LENGTH",
    "ENCRYPTION_PUBLIC_LENGTH",
    "KEY_ID_BYTES",
    "SIGNATURE_LENGTH",
    "SIGNING_PRIVATE_LENGTH",
    "SIGNING_PUBLIC_LENGTH",
    "EncryptionKeyPair",
    "PublicEncryptionKey",
    "PublicSigningKey",
    "SigningKeyPair",
    "key_id",
    "key_id_bytes",
]

_MLKEM_PUBLIC = 1184
_MLKEM_SEED = 64
_X25519 = 32

ENCRYPTION_PUBLIC_LENGTH = _MLKEM_PUBLIC + _X25519
"""Length of a raw public encryption key: 1,216 bytes."""

ENCRYPTION_PRIVATE_LENGTH = _MLKEM_SEED + _X25519
"""Length of a raw private encryption key: 96 bytes."""

SIGNING_PUBLIC_LENGTH = 32
"""Length of a raw Ed25519 public key."""

SIGNING_PRIVATE_LENGTH = 32
"""Length of a raw Ed25519 private key (its seed)."""

SIGNATURE_LENGTH = 64
"""Length of an Ed25519 signature."""

KEY_ID_BYTES = 16
"""Bytes of SHA-256 kept in a key id (128 bits: ids route, they never authenticate)."""


def key_id_bytes(public_bytes: bytes) -> bytes:
    """Return the raw key id of a public key: the first 16 bytes of SHA-256 of its raw bytes.

    Args:
        public_bytes: Raw public key (1,216 bytes for encryption, 32 for signing keys).

    Returns:
        16 bytes, as they appear in stanzas, bundle payloads and receipt envelopes.
    """
    return hashlib.sha256(bytes(public_bytes)).digest()[:KEY_ID_BYTES]


def key_id(public_bytes: bytes) -> str:
    """Return the key id of a public key as text: 32 lowercase hex digits.

    A key id only tells which key to use; security never rests on it (stanzas are opened with
    the private key and signatures verified with the trusted public key).

    Args:
        public_bytes: Raw public key (1,216 bytes for encryption, 32 for signing keys).

    Returns:
        ``key_id_bytes(public_bytes).hex()``, e.g. ``"3f9a0c..."``.
    """
    return key_id_bytes(public_bytes).hex()


class PublicEncryptionKey:
    """A public ML-KEM-768 + X25519 key that bundles can be sealed to."""

    __slots__ = ("_hpke", "_raw")

    def __init__(self, mlkem_key: mlkem.MLKEM768PublicKey, x25519_key: x25519.X25519PublicKey):
        """Combine the two public parts.

        Args:
            mlkem_key: The ML-KEM-768 part.
            x25519_key: The X25519 part.
        """
        self._raw = mlkem_key.public_bytes_raw() + x25519_key.public_bytes_raw()
        self._hpke = hpke.MLKEM768X25519PublicKey(mlkem_key, x25519_key)

    @classmethod
    def from_public_bytes(cls, data: bytes) -> PublicEncryptionKey:
        """Load a key from its 1,216 raw bytes.

        Args:
            data: ML-KEM-768 encapsulation key (1,184 bytes) || X25519 public key (32 bytes).

        Returns:
            The key.

        Raises:
            KeyFormatError: Wrong length or not a valid key.
        """
        data = _as_bytes(data, ENCRYPTION_PUBLIC_LENGTH, "public encryption key")
        try:
            mlkem_key = mlkem.MLKEM768PublicKey.from_public_bytes(data[:_MLKEM_PUBLIC])
            x25519_key = x25519.X25519PublicKey.from_public_bytes(data[_MLKEM_PUBLIC:])
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise KeyFormatError(f"not a valid public encryption key: {exc}") from None
        return cls(mlkem_key, x25519_key)

    def public_bytes(self) -> bytes:
        """Return the 1,216 raw bytes (see :meth:`from_public_bytes`)."""
        return self._raw

    @property
    def key_id(self) -> str:
        """The key id (32 hex digits) of this key."""
        return key_id(self._raw)

    @property
    def hpke_key(self) -> hpke.MLKEM768X25519PublicKey:
        """The key as ``cryptography``'s HPKE takes it."""
        return self._hpke

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicEncryptionKey):
            return NotImplemented
        return hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return f"PublicEncryptionKey(key_id={self.key_id!r})"


class EncryptionKeyPair:
    """A private ML-KEM-768 + X25519 key: opens bundles sealed to its public key."""

    __slots__ = ("_hpke", "_private", "_public")

    def __init__(self, mlkem_key: mlkem.MLKEM768PrivateKey, x25519_key: x25519.X25519PrivateKey):
        """Combine the two private parts.

        Args:
            mlkem_key: The ML-KEM-768 part.
            x25519_key: The X25519 part.
        """
        self._private = mlkem_key.private_bytes_raw() + x25519_key.private_bytes_raw()
        self._public = PublicEncryptionKey(mlkem_key.public_key(), x25519_key.public_key())
        self._hpke = hpke.MLKEM768X25519PrivateKey(mlkem_key, x25519_key)

    @classmethod
    def generate(cls) -> EncryptionKeyPair:
        """Make a new random key pair."""
        return cls(mlkem.MLKEM768PrivateKey.generate(), x25519.X25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, data: bytes) -> EncryptionKeyPair:
        """Load a key pair from its 96 raw private bytes.

        Args:
            data: ML-KEM-768 seed (64 bytes) || X25519 private key (32 bytes).

        Returns:
            The key pair.

        Raises:
            KeyFormatError: Wrong length.
        """
        data = _as_bytes(data, ENCRYPTION_PRIVATE_LENGTH, "private encryption key")
        try:
            mlkem_key = mlkem.MLKEM768PrivateKey.from_seed_bytes(data[:_MLKEM_SEED])
            x25519_key = x25519.X25519PrivateKey.from_private_bytes(data[_MLKEM_SEED:])
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise KeyFormatError(f"not a valid private encryption key: {exc}") from None
        return cls(mlkem_key, x25519_key)

    def private_bytes(self) -> bytes:
        """Return the 96 raw private bytes. A secret: store it only sealed (vault)."""
        return self._private

    @property
    def public_key(self) -> PublicEncryptionKey:
        """The public half, to hand out to senders."""
        return self._public

    def public_bytes(self) -> bytes:
        """Return the 1,216 raw bytes of the public half."""
        return self._public.public_bytes()

    @property
    def key_id(self) -> str:
        """The key id (32 hex digits) of the public half."""
        return self._public.key_id

    @property
    def hpke_key(self) -> hpke.MLKEM768X25519PrivateKey:
        """The key as ``cryptography``'s HPKE takes it."""
        return self._hpke

    def __repr__(self) -> str:
        return f"EncryptionKeyPair(key_id={self.key_id!r})"


class PublicSigningKey:
    """A public Ed25519 key: verifies bundles and receipts."""

    __slots__ = ("_key", "_raw")

    def __init__(self, key: ed25519.Ed25519PublicKey):
        """Wrap a ``cryptography`` Ed25519 public key.

        Args:
            key: The key.
        """
        self._key = key
        self._raw = key.public_bytes_raw()

    @classmethod
    def from_public_bytes(cls, data: bytes) -> PublicSigningKey:
        """Load a key from its 32 raw bytes.

        Raises:
            KeyFormatError: Wrong length or not a valid key.
        """
        data = _as_bytes(data, SIGNING_PUBLIC_LENGTH, "public signing key")
        try:
            return cls(ed25519.Ed25519PublicKey.from_public_bytes(data))
        except ValueError as exc:
            raise KeyFormatError(f"not a valid public signing key: {exc}") from None

    def public_bytes(self) -> bytes:
        """Return the 32 raw bytes."""
        return self._raw

    @property
    def key_id(self) -> str:
        """The key id (32 hex digits) of this key: the signer id in bundles and receipts."""
        return key_id(self._raw)

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Check an Ed25519 signature.

        Args:
            signature: 64 bytes.
            message: The signed bytes.

        Returns:
            Whether the signature is valid for ``message`` under this key.
        """
        if len(signature) != SIGNATURE_LENGTH:
            return False
        try:
            self._key.verify(bytes(signature), bytes(message))
        except InvalidSignature:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicSigningKey):
            return NotImplemented
        return hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return f"PublicSigningKey(key_id={self.key_id!r})"


class SigningKeyPair:
    """A private Ed25519 key: the device key or the district key that signs."""

    __slots__ = ("_key", "_public")

    def __init__(self, key: ed25519.Ed25519PrivateKey):
        """Wrap a ``cryptography`` Ed25519 private key.

        Args:
            key: The key.
        """
        self._key = key
        self._public = PublicSigningKey(key.public_key())

    @classmethod
    def generate(cls) -> SigningKeyPair:
        """Make a new random key pair."""
        return cls(ed25519.Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, data: bytes) -> SigningKeyPair:
        """Load a key pair from its 32-byte seed.

        Raises:
            KeyFormatError: Wrong length.
        """
        data = _as_bytes(data, SIGNING_PRIVATE_LENGTH, "private signing key")
        try:
            return cls(ed25519.Ed25519PrivateKey.from_private_bytes(data))
        except ValueError as exc:
            raise KeyFormatError(f"not a valid private signing key: {exc}") from None

    def private_bytes(self) -> bytes:
        """Return the 32-byte seed. A secret: store it only sealed (vault)."""
        return self._key.private_bytes_raw()

    @property
    def public_key(self) -> PublicSigningKey:
        """The public half, to register with the district (or pin on devices)."""
        return self._public

    def public_bytes(self) -> bytes:
        """Return the 32 raw bytes of the public half."""
        return self._public.public_bytes()

    @property
    def key_id(self) -> str:
        """The key id (32 hex digits) of the public half."""
        return self._public.key_id

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message`` (deterministic, RFC 8032)."""
        return self._key.sign(bytes(message))

    def __repr__(self) -> str:
        return f"SigningKeyPair(key_id={self.key_id!r})"


def _as_bytes(data: object, length: int, what: str) -> bytes:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise KeyFormatError(f"{what}: expected bytes, got {type(data).__name__}")
    raw = bytes(data)
    if len(raw) != length:
        raise KeyFormatError(f"{what}: expected {length} bytes, got {len(raw)}")
    return raw
