"""The sealed bundle file (DESIGN.md §5): seal a list of changes to recipients, open it strictly.

One format for every courier — the same bytes are POSTed to the server, copied to a flash drive
or sent through a messaging app. The layout is age-like (``docs/bundle-format.md`` is the full
byte-level description):

1. A small plaintext **outer header**: magic, format version, cipher suite, chunk size, payload
   length, a random stream nonce and one HPKE stanza per recipient. A stanza is the recipient's
   key id and a random 32-byte *file key* sealed with HPKE (RFC 9180, base mode) using the
   hybrid KEM ML-KEM-768 + X25519, HKDF-SHA256 and ChaCha20-Poly1305.
2. The **payload**, encrypted in chunks with ChaCha20-Poly1305 under a key derived from the file
   key (STREAM, Hoang–Reyhanitabar–Rogaway–Vizár 2015: the nonce is a derived prefix, the
   big-endian chunk counter and a last-chunk flag, so truncation, reordering and duplication
   fail). The whole outer header is the associated data of every chunk.
3. Inside the payload: the signer's key id, a signed **inner header** (canonical JSON: bundle id,
   sender device, recipient key ids, sequence number, creation time, what the sender holds), the
   compressed canonical JSON change list, and an Ed25519 signature over the outer header and
   everything before the signature. The suite names the body's compression too: Zstandard
   (suite 2, written now) or zlib (suite 1, still read, and written for readers that know no
   other).

Nothing about the village, the people or the number of records is outside the encryption.
:func:`open_bundle` checks the size before any work, then the header, then authenticates every
chunk, then the signature, and only then parses content; every failure is a
:class:`~simpul.bundle.errors.BundleRejectedError` with a stable code.
"""

from __future__ import annotations

import operator
import os
import re
import struct
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal, NoReturn, TypeAlias

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from simpul.bundle._codec import ZLIB, ZSTD, Codec, InflateError
from simpul.bundle._fields import check_bundle_id, check_count, check_device, exact_object
from simpul.bundle._json import (
    JsonFormatError,
    ascii_json,
    canonical_json,
    strict_json,
    strict_json_items,
)
from simpul.bundle.errors import BundleRejectedError, BundleTooLargeError, RejectionCode
from simpul.bundle.keys import (
    KEY_ID_BYTES,
    SIGNATURE_LENGTH,
    EncryptionKeyPair,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
    key_id_bytes,
)
from simpul.changes import Change, ChangeFormatError, ChangeId
from simpul.gcpause import gc_paused

__all__ = [
    "BUNDLE_KINDS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_LIMITS",
    "FORMAT_VERSION",
    "MAGIC",
    "MAX_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "STANZA_LENGTH",
    "SUITE_V1",
    "SUITE_V2",
    "SUITES",
    "WRITE_SUITE",
    "NEWEST_SUITE",
    "BundleKind",
    "BundlePayload",
    "CompressedBody",
    "Limits",
    "OpenedBundle",
    "TrustedSigners",
    "VerifiedBundle",
    "body_codec",
    "encode_changes",
    "new_bundle_id",
    "open_bundle",
    "parse_change_list",
    "peek_suite",
    "readable_suite",
    "seal_bundle",
    "sealed_size_overhead",
    "split_change_list",
    "verify_bundle",
]

BundleKind: TypeAlias = Literal["changes", "return"]
TrustedSigners: TypeAlias = (
    Mapping[str, PublicSigningKey] | Callable[[str], PublicSigningKey | None]
)

BUNDLE_KINDS: tuple[BundleKind, ...] = ("changes", "return")
"""``changes``: village → district; ``return``: district → village (status, follow-up)."""

MAGIC = b"\x89SIMPULB"
"""First 8 bytes of every bundle. The high first byte catches 7-bit and text-mode mangling."""

FORMAT_VERSION = 1
"""The container layout this module writes."""

SUITE_V1 = 1
"""Suite 1: HPKE(MLKEM768-X25519, HKDF-SHA256, ChaCha20-Poly1305) stanzas, HKDF-SHA256 payload
key, ChaCha20-Poly1305 STREAM chunks, Ed25519 signature, zlib body."""

SUITE_V2 = 2
"""Suite 2: suite 1 with a Zstandard body (RFC 8878): ~40% smaller, faster both ways."""

WRITE_SUITE = SUITE_V2
"""The suite written when the reader is known to be this version of Simpul (or the district)."""

# The body codec of each suite; a suite is added here while the old ones stay, so old bundles
# still open (docs/bundle-format.md, Versioning).
_CODECS: dict[int, Codec] = {SUITE_V1: ZLIB, SUITE_V2: ZSTD}

SUITES: tuple[int, ...] = tuple(sorted(_CODECS))
"""Every suite this reader opens and this writer can write."""

NEWEST_SUITE = SUITES[-1]
"""The newest suite this reader opens: what a laptop or the district tells the other side."""

# version -> suites a reader of that version understands.
_SUPPORTED: dict[int, frozenset[int]] = {1: frozenset(SUITES)}

DEFAULT_CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = 64
MAX_CHUNK_SIZE = 1024 * 1024

_FIXED = struct.Struct(">8sHHIQ16sH")  # magic, version, suite, chunk size, payload length,
_FIXED_LENGTH = _FIXED.size  # stream nonce, stanza count: 42 bytes
_FILE_KEY_LENGTH = 32
_NONCE_LENGTH = 16
_TAG = 16
_HPKE_ENC_LENGTH = hpke.KEM.MLKEM768_X25519.enc_length()  # 1120: X-Wing ciphertext
_SEALED_FILE_KEY_LENGTH = _HPKE_ENC_LENGTH + _FILE_KEY_LENGTH + _TAG  # 1168
STANZA_LENGTH = KEY_ID_BYTES + _SEALED_FILE_KEY_LENGTH
"""Bytes per recipient in the outer header (1,184 for suite 1)."""

_STANZA_INFO = b"simpul-bundle/v1 stanza\x00"
_PAYLOAD_INFO = b"simpul-bundle/v1 payload"
_SIGNATURE_CONTEXT = b"simpul-bundle/v1 signature\x00"
_PAYLOAD_FRAME = struct.Struct(">16sI")  # signer key id, inner header length
_COUNTER_FLAG = struct.Struct(">IB")
_NONCE_PREFIX_LENGTH = 7
_MAX_CHUNKS = 2**32  # the chunk counter is a u32 in the nonce
_MIN_PAYLOAD = _PAYLOAD_FRAME.size + 2 + SIGNATURE_LENGTH  # "{}" is the shortest header

_KEY_ID_HEX = re.compile(r"[0-9a-f]{32}")
_INNER_KEYS = frozenset(
    {"body", "bundle_id", "created_at", "holds", "kind", "recipients", "sender", "sequence"}
)
_BODY_KEYS = frozenset({"changes", "codec", "size"})
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


@dataclass(frozen=True, slots=True)
class Limits:
    """What :func:`open_bundle` accepts; checked before the work they bound.

    Attributes:
        max_bundle_bytes: Largest file, checked before anything else (16 MiB).
        max_payload_bytes: Largest decompressed change list (64 MiB); the output is bounded
            while decompressing, so a decompression bomb stops here.
        max_header_bytes: Largest inner header (1 MiB; ``holds`` grows with devices).
        max_recipients: Most stanzas in one header.
    """

    max_bundle_bytes: int = 16 * 1024 * 1024
    max_payload_bytes: int = 64 * 1024 * 1024
    max_header_bytes: int = 1024 * 1024
    max_recipients: int = 16


DEFAULT_LIMITS = Limits()


def new_bundle_id() -> str:
    """Return a fresh random bundle id (a UUID4 in text form)."""
    return str(uuid.uuid4())


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class BundlePayload:
    """What a bundle carries: the changes and the signed facts about them.

    Attributes:
        kind: ``"changes"`` (village → district) or ``"return"`` (district → village).
        sender: Device id of the sender (the district's id for return bundles).
        sequence: The sender's bundle sequence number: from 1, never reset, never reused.
        changes: The changes, in the order they will be applied.
        holds: What the sender already holds: device id → highest counter it holds of that
            device (so the other side can leave those out of what it sends back).
        bundle_id: Random id; also the ``Idempotency-Key`` of a push. 8–64 characters of
            ``A-Z a-z 0-9 _ -``, starting with a letter or digit.
        created_at: Creation time, milliseconds since the Unix epoch (UTC).
    """

    kind: BundleKind
    sender: str
    sequence: int
    changes: tuple[Change, ...] = ()
    holds: Mapping[str, int] = field(default_factory=dict)
    bundle_id: str = field(default_factory=new_bundle_id)
    created_at: int = field(default_factory=_now_ms)

    def __post_init__(self) -> None:
        if self.kind not in BUNDLE_KINDS:
            raise ValueError(f"kind: expected one of {BUNDLE_KINDS}, got {self.kind!r:.60}")
        check_device(self.sender, "sender")
        check_count(self.sequence, "sequence", low=1)
        check_count(self.created_at, "created_at", low=0)
        check_bundle_id(self.bundle_id, "bundle_id")
        changes = tuple(self.changes)
        for change in changes:
            if not isinstance(change, Change):
                raise ValueError(f"changes: expected Change items, got {type(change).__name__}")
        object.__setattr__(self, "changes", changes)
        object.__setattr__(self, "holds", _frozen_holds(self.holds))


@dataclass(frozen=True, slots=True)
class OpenedBundle:
    """A bundle that opened: authenticated, signed by a trusted key, content well formed.

    The caller still decides whether ``sender`` may use the key ``signer_id`` (the device's
    enrolled key, not revoked) and whether it has seen ``bundle_id`` or ``sequence`` before.

    Attributes:
        kind: ``"changes"`` or ``"return"``.
        bundle_id: The bundle's random id.
        sender: Device id the sender wrote in the signed inner header.
        sequence: The sender's sequence number.
        created_at: Creation time, milliseconds since the Unix epoch.
        holds: Device id → highest counter the sender holds.
        changes: The changes, in the sender's order.
        signer_id: Key id of the key whose signature verified.
        recipients: Key ids of every recipient the bundle was sealed to, in header order.
        size: Size of the file in bytes.
        suite: The suite it was sealed with (its sender reads that suite too).
    """

    kind: BundleKind
    bundle_id: str
    sender: str
    sequence: int
    created_at: int
    holds: Mapping[str, int]
    changes: tuple[Change, ...]
    signer_id: str
    recipients: tuple[str, ...]
    size: int
    suite: int

    @property
    def payload(self) -> BundlePayload:
        """The content as the :class:`BundlePayload` it was sealed from."""
        return BundlePayload(
            kind=self.kind,
            sender=self.sender,
            sequence=self.sequence,
            changes=self.changes,
            holds=self.holds,
            bundle_id=self.bundle_id,
            created_at=self.created_at,
        )


@dataclass(frozen=True, slots=True)
class VerifiedBundle:
    """A bundle whose file authenticated and whose signature verified, its list not parsed.

    Attributes as :class:`OpenedBundle`, without ``changes``; and:
        body: The decompressed change list: a JSON array, as signed.
        change_count: How many changes the signed header says ``body`` holds.
    """

    kind: BundleKind
    bundle_id: str
    sender: str
    sequence: int
    created_at: int
    holds: Mapping[str, int]
    signer_id: str
    recipients: tuple[str, ...]
    size: int
    suite: int
    body: bytes = field(repr=False)
    change_count: int

    def open(self) -> OpenedBundle:
        """Parse the change list strictly.

        Raises:
            BundleRejectedError: ``malformed_content``, naming the first fault.
        """
        changes = parse_change_list(self.body, self.change_count)
        # Every other field of an opened bundle is this one's, by the same name.
        header = {
            f.name: getattr(self, f.name) for f in fields(OpenedBundle) if f.name != "changes"
        }
        return OpenedBundle(changes=changes, **header)


@dataclass(frozen=True, slots=True)
class _OuterHeader:
    raw: bytes
    version: int
    suite: int
    chunk_size: int
    payload_length: int
    nonce: bytes
    stanzas: tuple[tuple[bytes, bytes], ...]


def encode_changes(changes: Sequence[Change]) -> bytes:
    """Return the uncompressed body: the canonical JSON array of ``Change.to_json()``.

    Args:
        changes: The changes, in order.

    Returns:
        UTF-8 bytes, ``[`` + items joined by ``,`` + ``]``.
    """
    return b"[" + b",".join(map(encode_change, changes)) + b"]"


def encode_change(change: Change) -> bytes:
    """One item of the body: ``canonical_json(change.to_json())``, made from the change's
    :meth:`~simpul.changes.Change.to_json_bytes` (often already at hand: a change read from a
    store or a bundle keeps its bytes) by escaping it to ASCII, instead of encoding again.
    """
    try:
        utf8 = change.to_json_bytes()
    except UnicodeEncodeError:  # a lone surrogate: only the escaping encoder can write it
        return canonical_json(change.to_json())
    return ascii_json(utf8)


def peek_suite(data: bytes) -> int | None:
    """The suite a bundle file says it was sealed with, read from its plaintext header.

    Not authenticated by itself: use it for a bundle that opened (its header is the associated
    data of every chunk). ``None`` for a file of no version and suite this reader knows.
    """
    if len(data) < 12 or data[: len(MAGIC)] != MAGIC:
        return None
    version, suite = struct.unpack_from(">HH", data, len(MAGIC))
    return suite if suite in _SUPPORTED.get(version, ()) else None


def readable_suite(newest: int) -> int:
    """The newest suite this writer has that a reader of suites up to ``newest`` opens."""
    return max((suite for suite in SUITES if suite <= newest), default=SUITE_V1)


def sealed_size_overhead(
    *,
    recipients: int,
    inner_header_bytes: int,
    payload_bytes: int,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Return the bytes a sealed bundle adds around its compressed body.

    Args:
        recipients: Number of stanzas.
        inner_header_bytes: Length of the inner header JSON.
        payload_bytes: Length of the whole payload (for the number of chunk tags).
        chunk_size: Chunk size.

    Returns:
        Outer header + payload framing + signature + one tag per chunk.
    """
    chunks = max(1, -(-payload_bytes // chunk_size))
    return (
        _FIXED_LENGTH
        + recipients * STANZA_LENGTH
        + _PAYLOAD_FRAME.size
        + inner_header_bytes
        + SIGNATURE_LENGTH
        + chunks * _TAG
    )


# --- sealing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompressedBody:
    """A change list already encoded (:func:`encode_changes`) and compressed: a part of
    :func:`simpul.bundle.split_compressed`, which compressed it to measure it.

    Attributes:
        changes: The changes, in order.
        size: Bytes of the encoded list before compression.
        data: The compressed stream, in the codec of ``suite``.
        suite: The suite whose codec compressed it.
    """

    changes: tuple[Change, ...]
    size: int
    data: bytes = field(repr=False)
    suite: int = WRITE_SUITE


def body_codec(suite: int) -> Codec:
    """The body codec of ``suite``; ``ValueError`` for a suite this writer does not know."""
    codec = _CODECS.get(suite)
    if codec is None:
        raise ValueError(f"suite: expected one of {SUITES}, got {suite!r}")
    return codec


def seal_bundle(
    payload: BundlePayload,
    *,
    recipients: Sequence[PublicEncryptionKey],
    signer: SigningKeyPair,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    limits: Limits = DEFAULT_LIMITS,
    body: CompressedBody | None = None,
    suite: int | None = None,
) -> bytes:
    """Seal ``payload`` to ``recipients`` and sign it with ``signer``.

    Args:
        payload: The changes and the facts to sign.
        recipients: Public encryption keys that can open the bundle (1 to
            ``limits.max_recipients``, no key twice). The district key for village bundles,
            the device key for return bundles; a second key (e.g. an offline recovery key)
            costs one stanza of 1,184 bytes.
        signer: The sender's device key (the district key for return bundles).
        chunk_size: Plaintext bytes per encrypted chunk (64 B to 1 MiB; 64 KiB normally).
        limits: The receiver's limits: sealing refuses to make a file it would reject.
        body: ``payload.changes`` already encoded and compressed (the very same change
            objects, in order), used as the body instead of compressing again.
        suite: The suite to seal with (:data:`SUITES`): ``body``'s, else :data:`WRITE_SUITE`.
            Suite 1 is for a reader that knows no other (a laptop not updated yet).

    Returns:
        The bundle file's bytes.

    Raises:
        ValueError: No recipients, a recipient twice, too many recipients, a chunk size out
            of range, an unknown suite, or a ``body`` of other changes (or another suite)
            than the payload's.
        BundleTooLargeError: The file or its decompressed body would exceed ``limits``; split
            the changes with :func:`simpul.bundle.split_changes`.
    """
    recipient_ids = _check_recipients(recipients, limits)
    _check_chunk_size(chunk_size)
    if suite is None:
        suite = WRITE_SUITE if body is None else body.suite
    codec = body_codec(suite)
    if body is not None:
        if len(body.changes) != len(payload.changes) or any(
            map(operator.is_not, body.changes, payload.changes)
        ):
            raise ValueError("body: it holds other changes than the payload")
        if body.suite != suite:
            raise ValueError(f"body: compressed for suite {body.suite}, not {suite}")
        raw_size, compressed = body.size, body.data
    else:
        raw_body = encode_changes(payload.changes)
        raw_size, compressed = len(raw_body), b""
    if raw_size > limits.max_payload_bytes:
        raise BundleTooLargeError(
            f"the change list is {raw_size} bytes uncompressed, over the receiver's "
            f"limit of {limits.max_payload_bytes}; split it"
        )
    if body is None:
        compressed = codec.compress(raw_body)
    inner = canonical_json(
        {
            "body": {"changes": len(payload.changes), "codec": codec.name, "size": raw_size},
            "bundle_id": payload.bundle_id,
            "created_at": payload.created_at,
            "holds": dict(payload.holds),
            "kind": payload.kind,
            "recipients": [rid.hex() for rid in recipient_ids],
            "sender": payload.sender,
            "sequence": payload.sequence,
        }
    )
    if len(inner) > limits.max_header_bytes:
        raise BundleTooLargeError(
            f"the inner header is {len(inner)} bytes, over the limit of {limits.max_header_bytes}"
        )
    data = _seal_raw(
        inner_header=inner,
        body=compressed,
        recipients=recipients,
        signer_id=key_id_bytes(signer.public_bytes()),
        sign=signer.sign,
        chunk_size=chunk_size,
        suite=suite,
    )
    if len(data) > limits.max_bundle_bytes:
        raise BundleTooLargeError(
            f"the bundle would be {len(data)} bytes, over the limit of "
            f"{limits.max_bundle_bytes}; split the changes"
        )
    return data


def _seal_raw(
    *,
    inner_header: bytes,
    body: bytes,
    recipients: Sequence[PublicEncryptionKey],
    signer_id: bytes,
    sign: Callable[[bytes], bytes],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    version: int = FORMAT_VERSION,
    suite: int = SUITE_V1,
) -> bytes:
    """Assemble a bundle from already-encoded parts (tests use it to craft hostile files)."""
    file_key = os.urandom(_FILE_KEY_LENGTH)
    nonce = os.urandom(_NONCE_LENGTH)
    unsigned = _PAYLOAD_FRAME.pack(signer_id, len(inner_header)) + inner_header + body
    payload_length = len(unsigned) + SIGNATURE_LENGTH
    if _chunk_count(payload_length, chunk_size) > _MAX_CHUNKS:
        raise BundleTooLargeError("the payload needs more chunks than the 32-bit counter allows")
    fixed = _FIXED.pack(MAGIC, version, suite, chunk_size, payload_length, nonce, len(recipients))
    stanzas = []
    for recipient in recipients:
        rid = key_id_bytes(recipient.public_bytes())
        sealed_key = _SUITE.encrypt(file_key, recipient.hpke_key, info=_stanza_info(fixed, rid))
        stanzas.append(rid + sealed_key)
    header = fixed + b"".join(stanzas)
    signature = sign(_SIGNATURE_CONTEXT + header + unsigned)
    plaintext = unsigned + signature
    key, prefix = _payload_key(file_key, nonce)
    aead = ChaCha20Poly1305(key)
    count = _chunk_count(payload_length, chunk_size)
    view = memoryview(plaintext)
    out = [header]
    for index in range(count):
        chunk = view[index * chunk_size : (index + 1) * chunk_size]
        out.append(aead.encrypt(_chunk_nonce(prefix, index, index == count - 1), chunk, header))
    return b"".join(out)


# --- opening ---------------------------------------------------------------------------------


def open_bundle(
    data: bytes,
    *,
    recipient: EncryptionKeyPair,
    trusted_signers: TrustedSigners,
    limits: Limits = DEFAULT_LIMITS,
) -> OpenedBundle:
    """Open, authenticate and verify a bundle, then parse its content strictly.

    :func:`verify_bundle`, then :meth:`VerifiedBundle.open`; see there.
    """
    return verify_bundle(
        data, recipient=recipient, trusted_signers=trusted_signers, limits=limits
    ).open()


def verify_bundle(
    data: bytes,
    *,
    recipient: EncryptionKeyPair,
    trusted_signers: TrustedSigners,
    limits: Limits = DEFAULT_LIMITS,
) -> VerifiedBundle:
    """Open, authenticate and verify a bundle, and decompress its change list.

    The list is parsed by :meth:`VerifiedBundle.open` (or, in parts, by
    :func:`parse_change_list`): a reader may spread the parsing over several processes.

    Order of checks: size (before any work), magic, version, suite, header fields, length
    (truncation), our stanza, every chunk's authentication tag, the signer, the signature,
    and only then the inner header, the bounded decompression and the changes.

    Args:
        data: The file's bytes.
        recipient: Our private encryption key.
        trusted_signers: Signer key id → public signing key, as a mapping or a lookup
            function returning ``None`` for an unknown (or revoked) signer.
        limits: Size caps.

    Returns:
        The verified bundle.

    Raises:
        BundleRejectedError: With ``code`` ``too_large``, ``not_a_bundle``,
            ``unsupported_version``, ``unsupported_suite``, ``bad_header``, ``truncated``,
            ``tampered``, ``not_for_us``, ``unknown_sender``, ``bad_signature``,
            ``decompression_bomb`` or ``malformed_content`` (the list itself is checked by
            :meth:`VerifiedBundle.open`, which raises ``malformed_content``).
    """
    size = len(data)
    if size > limits.max_bundle_bytes:
        _reject(
            RejectionCode.TOO_LARGE,
            "The file is {size} bytes; the limit is {limit} bytes",
            size=size,
            limit=limits.max_bundle_bytes,
        )
    buffer = bytes(data)
    header = _parse_outer_header(buffer, limits)
    expected = len(header.raw) + _ciphertext_length(header.payload_length, header.chunk_size)
    if size < expected:
        _reject(
            RejectionCode.TRUNCATED,
            "The file is {size} bytes; its header says {expected}",
            size=size,
            expected=expected,
        )
    if size > expected:
        _reject(
            RejectionCode.TAMPERED,
            "The file has {extra} bytes more than its header says",
            extra=size - expected,
        )
    our_id = key_id_bytes(recipient.public_bytes())
    sealed_key = next((sealed for rid, sealed in header.stanzas if rid == our_id), None)
    if sealed_key is None:
        _reject(
            RejectionCode.NOT_FOR_US,
            "The file is not sealed to our key {key_id}",
            key_id=our_id.hex(),
        )
    try:
        file_key = _SUITE.decrypt(
            sealed_key, recipient.hpke_key, info=_stanza_info(header.raw[:_FIXED_LENGTH], our_id)
        )
    except (InvalidTag, ValueError):
        _reject(RejectionCode.TAMPERED, "The file key stanza for our key does not open")
    if len(file_key) != _FILE_KEY_LENGTH:
        _reject(RejectionCode.TAMPERED, "The file key stanza for our key does not open")
    plaintext = _decrypt_chunks(buffer, header, file_key)
    return _open_payload(header, plaintext, trusted_signers, limits, size)


def _parse_outer_header(data: bytes, limits: Limits) -> _OuterHeader:
    size = len(data)
    if size < len(MAGIC):
        if data == MAGIC[:size]:
            _reject(RejectionCode.TRUNCATED, "The file ends inside the magic bytes")
        _reject(RejectionCode.NOT_A_BUNDLE, "The file is not a Simpul bundle")
    if data[: len(MAGIC)] != MAGIC:
        _reject(RejectionCode.NOT_A_BUNDLE, "The file is not a Simpul bundle")
    if size < 10:
        _reject(RejectionCode.TRUNCATED, "The file ends before its format version")
    (version,) = struct.unpack_from(">H", data, 8)
    if version not in _SUPPORTED:
        _reject(
            RejectionCode.UNSUPPORTED_VERSION,
            "Bundle format version {version} is not supported",
            version=version,
        )
    if size < 12:
        _reject(RejectionCode.TRUNCATED, "The file ends before its cipher suite")
    (suite,) = struct.unpack_from(">H", data, 10)
    if suite not in _SUPPORTED[version]:
        _reject(
            RejectionCode.UNSUPPORTED_SUITE,
            "Cipher suite {suite} is not supported",
            suite=suite,
        )
    if size < _FIXED_LENGTH:
        _reject(RejectionCode.TRUNCATED, "The file ends inside its header")
    _, _, _, chunk_size, payload_length, nonce, count = _FIXED.unpack_from(data, 0)
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        _reject(
            RejectionCode.BAD_HEADER,
            "Chunk size {chunk_size} is out of range",
            chunk_size=chunk_size,
        )
    if not _MIN_PAYLOAD <= payload_length <= limits.max_bundle_bytes:
        _reject(
            RejectionCode.BAD_HEADER,
            "Payload length {length} is out of range",
            length=payload_length,
        )
    if _chunk_count(payload_length, chunk_size) > _MAX_CHUNKS:
        _reject(RejectionCode.BAD_HEADER, "The payload has too many chunks")
    if not 1 <= count <= limits.max_recipients:
        _reject(RejectionCode.BAD_HEADER, "The header has {count} recipients", count=count)
    end = _FIXED_LENGTH + count * STANZA_LENGTH
    if size < end:
        _reject(RejectionCode.TRUNCATED, "The file ends inside its recipient stanzas")
    stanzas = []
    seen: set[bytes] = set()
    for offset in range(_FIXED_LENGTH, end, STANZA_LENGTH):
        rid = data[offset : offset + KEY_ID_BYTES]
        if rid in seen:
            _reject(RejectionCode.BAD_HEADER, "A recipient appears twice in the header")
        seen.add(rid)
        stanzas.append((rid, data[offset + KEY_ID_BYTES : offset + STANZA_LENGTH]))
    return _OuterHeader(
        raw=data[:end],
        version=version,
        suite=suite,
        chunk_size=chunk_size,
        payload_length=payload_length,
        nonce=nonce,
        stanzas=tuple(stanzas),
    )


def _decrypt_chunks(data: bytes, header: _OuterHeader, file_key: bytes) -> bytes:
    key, prefix = _payload_key(file_key, header.nonce)
    aead = ChaCha20Poly1305(key)
    count = _chunk_count(header.payload_length, header.chunk_size)
    view = memoryview(data)
    position = len(header.raw)
    parts = []
    for index in range(count):
        last = index == count - 1
        length = header.payload_length - index * header.chunk_size if last else header.chunk_size
        chunk = view[position : position + length + _TAG]
        try:
            parts.append(aead.decrypt(_chunk_nonce(prefix, index, last), chunk, header.raw))
        except InvalidTag:
            _reject(
                RejectionCode.TAMPERED,
                "Chunk {chunk} of the file failed authentication",
                chunk=index,
            )
        position += length + _TAG
    return b"".join(parts)


def _open_payload(
    header: _OuterHeader,
    plaintext: bytes,
    trusted_signers: TrustedSigners,
    limits: Limits,
    size: int,
) -> VerifiedBundle:
    signer_raw, inner_length = _PAYLOAD_FRAME.unpack_from(plaintext, 0)
    body_start = _PAYLOAD_FRAME.size + inner_length
    signed_end = len(plaintext) - SIGNATURE_LENGTH
    if inner_length > limits.max_header_bytes or body_start > signed_end:
        _reject(
            RejectionCode.BAD_HEADER,
            "The inner header length {length} is out of range",
            length=inner_length,
        )
    signer_id = signer_raw.hex()
    key = (
        trusted_signers.get(signer_id)
        if isinstance(trusted_signers, Mapping)
        else trusted_signers(signer_id)
    )
    if key is None or key.key_id != signer_id:
        _reject(
            RejectionCode.UNKNOWN_SENDER,
            "The bundle is signed by key {signer_id}, which is not trusted",
            signer_id=signer_id,
        )
    message = _SIGNATURE_CONTEXT + header.raw + plaintext[:signed_end]
    if not key.verify(plaintext[signed_end:], message):
        _reject(
            RejectionCode.BAD_SIGNATURE,
            "The signature does not verify with key {signer_id}",
            signer_id=signer_id,
        )
    inner = plaintext[_PAYLOAD_FRAME.size : body_start]
    body = plaintext[body_start:signed_end]
    codec = _CODECS[header.suite]
    try:
        fields = _parse_inner_header(inner, codec)
    except (JsonFormatError, ValueError, ChangeFormatError) as exc:
        _malformed(f"inner header: {exc}", exc)
    recipients = tuple(rid.hex() for rid, _ in header.stanzas)
    if fields.recipients != recipients:
        _malformed("inner header: the signed recipients differ from the header's stanzas")
    if fields.body_size > limits.max_payload_bytes:
        _reject(
            RejectionCode.DECOMPRESSION_BOMB,
            "The change list would expand to {size} bytes; the limit is {limit}",
            size=fields.body_size,
            limit=limits.max_payload_bytes,
        )
    try:
        raw_body = codec.inflate(body, limits.max_payload_bytes)
    except InflateError as exc:
        if exc.bomb:
            _reject(
                RejectionCode.DECOMPRESSION_BOMB,
                "The change list expands beyond the limit of {limit} bytes",
                limit=limits.max_payload_bytes,
            )
        _malformed(f"body: {exc}", exc)
    if len(raw_body) != fields.body_size:
        _malformed(f"body: {len(raw_body)} bytes, the header says {fields.body_size}")
    return VerifiedBundle(
        kind=fields.kind,
        bundle_id=fields.bundle_id,
        sender=fields.sender,
        sequence=fields.sequence,
        created_at=fields.created_at,
        holds=fields.holds,
        signer_id=signer_id,
        recipients=recipients,
        size=size,
        suite=header.suite,
        body=raw_body,
        change_count=fields.change_count,
    )


@dataclass(frozen=True, slots=True)
class _InnerHeader:
    kind: BundleKind
    bundle_id: str
    sender: str
    recipients: tuple[str, ...]
    sequence: int
    created_at: int
    holds: Mapping[str, int]
    body_size: int
    change_count: int


def _parse_inner_header(inner: bytes, codec: Codec) -> _InnerHeader:
    obj = exact_object(strict_json(inner), _INNER_KEYS, "inner header")
    body = exact_object(obj["body"], _BODY_KEYS, "body")
    if body["codec"] != codec.name:
        raise ValueError(f"body.codec: expected {codec.name!r} for the suite")
    kind = obj["kind"]
    if kind == "changes" or kind == "return":
        checked_kind: BundleKind = kind
    else:
        raise ValueError(f"kind: unknown kind {kind!r:.40}")
    bundle_id = check_bundle_id(obj["bundle_id"], "bundle_id")
    raw_recipients = obj["recipients"]
    if not isinstance(raw_recipients, list) or not all(
        isinstance(rid, str) and _KEY_ID_HEX.fullmatch(rid) for rid in raw_recipients
    ):
        raise ValueError("recipients: expected an array of key ids")
    sender = check_device(obj["sender"], "sender")
    holds = obj["holds"]
    if not isinstance(holds, dict):
        raise ValueError("holds: expected an object")
    return _InnerHeader(
        kind=checked_kind,
        bundle_id=bundle_id,
        sender=sender,
        recipients=tuple(raw_recipients),
        sequence=check_count(obj["sequence"], "sequence", low=1),
        created_at=check_count(obj["created_at"], "created_at", low=0),
        holds=_frozen_holds(holds),
        body_size=check_count(body["size"], "body.size", low=2),
        change_count=check_count(body["changes"], "body.changes", low=0),
    )


def parse_change_list(raw_body: bytes, expected: int | None = None) -> tuple[Change, ...]:
    """Parse a change list strictly: a bundle's body, or a run of it from
    :func:`split_change_list`.

    Args:
        raw_body: The JSON array.
        expected: How many changes it must hold, if known.

    Raises:
        BundleRejectedError: ``malformed_content``, naming the first fault.
    """
    with gc_paused():
        return _parse_change_list(raw_body, expected)


# Every item of a canonical change list begins with its first key in sorted order, "author".
_ITEM_CUT = b'},{"author":'


def split_change_list(raw_body: bytes, at: Sequence[float]) -> list[bytes]:
    """Cut a change list into runs of whole items, each a JSON array itself.

    The cuts need no parsing: each is made at the first ``},{"author":`` (where one canonical
    change object ends and the next begins) from its place on, and the runs are closed into
    ``[...]``. If every run parses as a list, the whole list is exactly their items in order:
    JSON's grammar is unambiguous, and ``[A,B]`` lists A's items, then B's. A cut that fell
    inside an item leaves a run with an unclosed bracket, which does not parse — then parse
    the whole.

    Args:
        raw_body: The change list.
        at: Where to cut, as fractions of its length, increasing (``[0.5]``: in two halves).

    Returns:
        The runs (one, the whole list, when there is nowhere to cut).
    """
    if raw_body[:1] != b"[" or raw_body[-1:] != b"]":
        return [raw_body]
    runs: list[bytes] = []
    start = 1
    for fraction in at:
        cut = raw_body.find(_ITEM_CUT, max(start, int(len(raw_body) * fraction)))
        if cut == -1:
            break
        runs.append(b"[" + raw_body[start : cut + 1] + b"]")
        start = cut + 2
    if not runs:
        return [raw_body]
    runs.append(b"[" + raw_body[start:])
    return runs


def _parse_change_list(raw_body: bytes, expected: int | None) -> tuple[Change, ...]:
    try:
        items, encoded = strict_json_items(raw_body)
    except JsonFormatError as exc:
        _malformed(f"body: {exc}", exc)
    if not isinstance(items, list):
        _malformed("body: expected an array of changes")
    if expected is not None and len(items) != expected:
        _malformed(f"body: {len(items)} changes, the header says {expected}")
    changes = []
    seen: set[ChangeId] = set()
    for index, item in enumerate(items):
        try:
            # The item's own encoding becomes the change's to_json_bytes() (what the district
            # digests and stores), so the change is not encoded again.
            change = Change.from_json(item, encoded=encoded[index])
        except (ChangeFormatError, ValueError) as exc:
            _malformed(f"changes[{index}] breaks the change format", exc)
        # The change shares nothing with its parsed JSON but strings: free the rest (~80 dicts
        # and lists) now, so the next change is parsed into memory already paged in.
        items[index] = None
        if change.id in seen:
            _malformed(f"changes[{index}]: change {change.id} appears twice")
        seen.add(change.id)
        changes.append(change)
    return tuple(changes)


# --- helpers ---------------------------------------------------------------------------------


def _reject(code: RejectionCode, message: str, **params: object) -> NoReturn:
    raise BundleRejectedError(code, message, **params)


def _malformed(detail: str, cause: BaseException | None = None) -> NoReturn:
    # The detail names a place and a rule, never a field value (which could be person data);
    # the underlying ChangeFormatError, whose message may quote a value, is only the __cause__.
    raise BundleRejectedError(
        RejectionCode.MALFORMED_CONTENT,
        "The bundle is signed but its content is malformed ({detail})",
        detail=detail[:300],
    ) from cause


def _stanza_info(fixed: bytes, rid: bytes) -> bytes:
    # HPKE single-shot has no associated data: bind the stanza to this file's version, suite,
    # chunk size, payload length and stream nonce, and to the recipient key id, through info
    # (RFC 9180 §8.1).
    return _STANZA_INFO + fixed[len(MAGIC) : _FIXED_LENGTH - 2] + rid


def _payload_key(file_key: bytes, nonce: bytes) -> tuple[bytes, bytes]:
    okm = HKDF(
        algorithm=hashes.SHA256(),
        length=32 + _NONCE_PREFIX_LENGTH,
        salt=nonce,
        info=_PAYLOAD_INFO,
    ).derive(file_key)
    return okm[:32], okm[32:]


def _chunk_nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + _COUNTER_FLAG.pack(index, 1 if last else 0)


def _chunk_count(payload_length: int, chunk_size: int) -> int:
    return max(1, -(-payload_length // chunk_size))


def _ciphertext_length(payload_length: int, chunk_size: int) -> int:
    return payload_length + _chunk_count(payload_length, chunk_size) * _TAG


def _check_recipients(recipients: Sequence[PublicEncryptionKey], limits: Limits) -> list[bytes]:
    if not recipients:
        raise ValueError("recipients: at least one recipient is needed")
    if len(recipients) > limits.max_recipients:
        raise ValueError(f"recipients: at most {limits.max_recipients}, got {len(recipients)}")
    ids = [key_id_bytes(recipient.public_bytes()) for recipient in recipients]
    if len(set(ids)) != len(ids):
        raise ValueError("recipients: a key appears twice")
    return ids


def _check_chunk_size(chunk_size: int) -> None:
    if type(chunk_size) is not int or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(
            f"chunk_size: expected {MIN_CHUNK_SIZE} to {MAX_CHUNK_SIZE}, got {chunk_size!r}"
        )


def _frozen_holds(holds: object) -> Mapping[str, int]:
    if not isinstance(holds, Mapping):
        raise ValueError("holds: expected a mapping of device id to counter")
    checked: dict[str, int] = {}
    for device, counter in holds.items():
        check_device(device, "holds")
        checked[device] = check_count(counter, f"holds[{device!r:.40}]", low=1)
    return MappingProxyType(dict(sorted(checked.items())))
