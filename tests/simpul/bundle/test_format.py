"""Sealing and opening real bundles, and every way a bundle file can be refused."""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from simpul.bundle import (
    DEFAULT_LIMITS,
    MAGIC,
    STANZA_LENGTH,
    SUITE_V1,
    SUITE_V2,
    SUITES,
    WRITE_SUITE,
    BundleError,
    BundlePayload,
    BundleRejectedError,
    BundleTooLargeError,
    Limits,
    OpenedBundle,
    PublicSigningKey,
    RejectionCode,
    SigningKeyPair,
    encode_changes,
    open_bundle,
    seal_bundle,
    split_compressed,
)
from simpul.bundle._codec import zstd
from simpul.bundle.format import body_codec
from simpul.changes import Change

if TYPE_CHECKING:  # fixtures' types only: conftest is not imported at run time
    from .conftest import Craft, Keys

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


HEADER_1 = 42 + STANZA_LENGTH  # outer header with one stanza
CHUNK = 1024  # chunk size of the `sealed` fixture


def open_as_district(data: bytes, keys: Keys, **kwargs: object) -> OpenedBundle:
    return open_bundle(
        data,
        recipient=keys.district_enc,
        trusted_signers=keys.trusted,
        **kwargs,  # type: ignore[arg-type]
    )


def rejection(data: bytes, keys: Keys, **kwargs: object) -> RejectionCode:
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys, **kwargs)
    return info.value.code


def chunks(data: bytes, header: int = HEADER_1, size: int = CHUNK) -> list[bytes]:
    body = data[header:]
    step = size + 16
    return [body[i : i + step] for i in range(0, len(body), step)]


def flip(data: bytes, offset: int, mask: int = 0x01) -> bytes:
    out = bytearray(data)
    out[offset] ^= mask
    return bytes(out)


# --- round trips ---------------------------------------------------------------------------


def test_round_trip_one_recipient(payload: BundlePayload, sealed: bytes, keys: Keys) -> None:
    opened = open_as_district(sealed, keys)
    assert opened.payload == payload
    assert opened.changes == payload.changes
    assert opened.holds == {"dev-a": len(payload.changes), "district": 3}
    assert opened.signer_id == keys.device_sig.key_id
    assert opened.recipients == (keys.district_enc.key_id,)
    assert opened.size == len(sealed)
    assert opened.suite == WRITE_SUITE == SUITE_V2
    assert struct.unpack_from(">HH", sealed, 8) == (1, SUITE_V2)
    assert len(chunks(sealed)) > 3


@pytest.mark.parametrize("suite", SUITES)
def test_round_trip_in_every_suite(payload: BundlePayload, keys: Keys, suite: int) -> None:
    data = seal_bundle(
        payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, suite=suite
    )
    assert struct.unpack_from(">HH", data, 8) == (1, suite)
    opened = open_as_district(data, keys)
    assert opened.payload == payload
    assert opened.suite == suite


def test_zstd_body_is_smaller_than_zlib(
    keys: Keys, make_changes: Callable[..., list[Change]]
) -> None:
    payload = BundlePayload(
        kind="changes", sender="dev-a", sequence=1, changes=tuple(make_changes(200, seed=3))
    )
    sizes = {
        suite: len(
            seal_bundle(
                payload,
                recipients=[keys.district_enc.public_key],
                signer=keys.device_sig,
                suite=suite,
            )
        )
        for suite in SUITES
    }
    assert sizes[SUITE_V2] < 0.8 * sizes[SUITE_V1], sizes


def test_seal_refuses_an_unknown_suite_or_a_body_of_another_suite(
    payload: BundlePayload, keys: Keys
) -> None:
    (part,) = split_compressed(payload.changes, max_bundle_bytes=1 << 20, suite=SUITE_V1)
    with pytest.raises(ValueError, match="suite"):
        seal_bundle(
            payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, suite=3
        )
    with pytest.raises(ValueError, match="suite 1"):
        seal_bundle(
            payload,
            recipients=[keys.district_enc.public_key],
            signer=keys.device_sig,
            body=part,
            suite=SUITE_V2,
        )


def test_round_trip_several_recipients(payload: BundlePayload, keys: Keys) -> None:
    recipients = [keys.district_enc, keys.other_enc, keys.device_enc]
    data = seal_bundle(
        payload, recipients=[r.public_key for r in recipients], signer=keys.device_sig
    )
    for recipient in recipients:
        opened = open_bundle(data, recipient=recipient, trusted_signers=keys.trusted)
        assert opened.payload == payload
        assert opened.recipients == tuple(r.key_id for r in recipients)


def test_return_bundle_district_to_device(keys: Keys, changes: tuple[Change, ...]) -> None:
    payload = BundlePayload(
        kind="return", sender="district-pml", sequence=1, changes=changes[:2], created_at=T0
    )
    data = seal_bundle(payload, recipients=[keys.device_enc.public_key], signer=keys.district_sig)
    opened = open_bundle(
        data,
        recipient=keys.device_enc,
        trusted_signers=lambda kid: (
            keys.district_sig.public_key if kid == keys.district_sig.key_id else None
        ),
    )
    assert opened.kind == "return"
    assert opened.payload == payload


def test_empty_bundle_only_says_what_the_sender_holds(keys: Keys) -> None:
    payload = BundlePayload(kind="changes", sender="dev-a", sequence=2, holds={"district": 9})
    data = seal_bundle(payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig)
    assert open_as_district(data, keys).payload == payload


def test_payload_that_fills_its_last_chunk_exactly(keys: Keys, craft: Craft) -> None:
    # A payload whose length is a multiple of the chunk size has no empty trailing chunk: its
    # last full chunk carries the last-chunk flag.
    body = {"changes": 0, "codec": "zlib", "size": 2}
    for length in range(1, 129):
        data = craft(raw_body=b"[]", chunk_size=64, inner={"body": body, "sender": "d" * length})
        if (len(data) - HEADER_1) % (64 + 16) == 0:
            assert open_as_district(data, keys).sender == "d" * length
            parts = chunks(data, size=64)
            assert rejection(data[: -len(parts[-1])], keys) == "truncated"
            return
    pytest.fail("no sender length put the payload on a chunk boundary")


def test_sealing_twice_gives_different_bytes(payload: BundlePayload, keys: Keys) -> None:
    a = seal_bundle(payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig)
    b = seal_bundle(payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig)
    assert a != b  # fresh file key, nonce and HPKE ephemeral keys every time


def test_nothing_readable_outside_the_encryption(payload: BundlePayload, sealed: bytes) -> None:
    lowered = sealed.lower()
    for secret in (b"dev-a", b"kader", b"case", b"victims", payload.bundle_id.encode()):
        assert secret not in lowered
    for change in payload.changes[:3]:
        assert change.record_id.encode() not in sealed


def test_payload_validates_its_fields(changes: tuple[Change, ...]) -> None:
    with pytest.raises(ValueError):
        BundlePayload(kind="other", sender="dev-a", sequence=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        BundlePayload(kind="changes", sender="dev a", sequence=1)
    with pytest.raises(ValueError):
        BundlePayload(kind="changes", sender="dev-a", sequence=0)
    with pytest.raises(ValueError):
        BundlePayload(kind="changes", sender="dev-a", sequence=1, holds={"dev-a": 0})
    with pytest.raises(ValueError):
        BundlePayload(kind="changes", sender="dev-a", sequence=1, bundle_id="short")
    payload = BundlePayload(kind="changes", sender="dev-a", sequence=1, changes=list(changes))  # type: ignore[arg-type]
    assert isinstance(payload.changes, tuple)
    with pytest.raises(TypeError):
        payload.holds["x"] = 1  # type: ignore[index]


def test_seal_refuses_bad_arguments(payload: BundlePayload, keys: Keys) -> None:
    district = keys.district_enc.public_key
    with pytest.raises(ValueError):
        seal_bundle(payload, recipients=[], signer=keys.device_sig)
    with pytest.raises(ValueError):
        seal_bundle(payload, recipients=[district, district], signer=keys.device_sig)
    with pytest.raises(ValueError):
        seal_bundle(payload, recipients=[district], signer=keys.device_sig, chunk_size=16)


def test_seal_refuses_what_the_receiver_would_reject(payload: BundlePayload, keys: Keys) -> None:
    district = [keys.district_enc.public_key]
    with pytest.raises(BundleTooLargeError):
        seal_bundle(
            payload,
            recipients=district,
            signer=keys.device_sig,
            limits=Limits(max_bundle_bytes=4000),
        )
    with pytest.raises(BundleTooLargeError):
        seal_bundle(
            payload,
            recipients=district,
            signer=keys.device_sig,
            limits=Limits(max_payload_bytes=100),
        )


# --- not_a_bundle, unsupported_version, unsupported_suite -------------------------------------


@pytest.mark.parametrize("offset", range(len(MAGIC)))
def test_bad_magic_is_not_a_bundle(sealed: bytes, keys: Keys, offset: int) -> None:
    assert rejection(flip(sealed, offset), keys) == "not_a_bundle"


def test_other_files_are_not_bundles(keys: Keys) -> None:
    for data in (
        b"PK\x03\x04" + bytes(100),
        b"%PDF-1.7\n",
        b"{}",
        b"\x89PNG\r\n\x1a\n" + bytes(50),
    ):
        assert rejection(data, keys) == "not_a_bundle"


@pytest.mark.parametrize("version", [0, 2, 0x0100, 0xFFFF])
def test_unknown_version(sealed: bytes, keys: Keys, version: int) -> None:
    data = sealed[:8] + struct.pack(">H", version) + sealed[10:]
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys)
    assert info.value.code == "unsupported_version"
    assert info.value.params == {"version": version}


def test_version_byte_flipped(sealed: bytes, keys: Keys) -> None:
    assert rejection(flip(sealed, 9), keys) == "unsupported_version"
    assert rejection(flip(sealed, 8, 0x80), keys) == "unsupported_version"


@pytest.mark.parametrize("suite", [0, 3, 0xFFFF])
def test_unknown_suite(sealed: bytes, keys: Keys, suite: int) -> None:
    data = sealed[:10] + struct.pack(">H", suite) + sealed[12:]
    assert rejection(data, keys) == "unsupported_suite"


def test_a_suite_changed_to_another_known_one_is_tampered(sealed: bytes, keys: Keys) -> None:
    # the outer header is the associated data of every chunk: the suite cannot be swapped
    assert rejection(sealed[:10] + struct.pack(">H", SUITE_V1) + sealed[12:], keys) == "tampered"


@pytest.mark.parametrize(("suite", "codec"), [(SUITE_V1, "zstd"), (SUITE_V2, "zlib")])
def test_a_codec_other_than_the_suites_is_malformed(
    craft: Craft, payload: BundlePayload, keys: Keys, suite: int, codec: str
) -> None:
    raw = encode_changes(payload.changes)
    inner = {"body": {"changes": len(payload.changes), "codec": codec, "size": len(raw)}}
    data = craft(inner=inner, suite=suite)
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys)
    assert info.value.code == "malformed_content"
    assert "body.codec" in str(info.value.params["detail"])


# --- truncated ---------------------------------------------------------------------------------


def test_truncated_at_every_chunk_boundary(sealed: bytes, keys: Keys) -> None:
    boundaries = [HEADER_1 + i * (CHUNK + 16) for i in range(len(chunks(sealed)))]
    assert len(boundaries) > 3
    for end in boundaries:
        assert rejection(sealed[:end], keys) == "truncated", end


@pytest.mark.parametrize(
    "end", [0, 1, 7, 8, 9, 11, 20, 41, 42, 100, HEADER_1 - 1, HEADER_1 + 1, HEADER_1 + 500]
)
def test_truncated_inside_header_or_chunk(sealed: bytes, keys: Keys, end: int) -> None:
    assert rejection(sealed[:end], keys) == "truncated"


def test_truncated_by_one_byte_or_one_tag(sealed: bytes, keys: Keys) -> None:
    assert rejection(sealed[:-1], keys) == "truncated"
    assert rejection(sealed[:-16], keys) == "truncated"
    last_chunk_start = HEADER_1 + (len(chunks(sealed)) - 1) * (CHUNK + 16)
    assert rejection(sealed[: last_chunk_start + 1], keys) == "truncated"


# --- tampered ----------------------------------------------------------------------------------


def test_flipped_nonce_is_tampered(sealed: bytes, keys: Keys) -> None:
    for offset in range(24, 40):
        assert rejection(flip(sealed, offset), keys) == "tampered"


def test_flipped_stanza_is_tampered(sealed: bytes, keys: Keys) -> None:
    for offset in (42 + 16, 42 + 16 + 600, 42 + 16 + 1119, 42 + 16 + 1120, HEADER_1 - 1):
        assert rejection(flip(sealed, offset), keys) == "tampered", offset


def test_flipped_byte_in_every_chunk_is_tampered(sealed: bytes, keys: Keys) -> None:
    for index in range(len(chunks(sealed))):
        start = HEADER_1 + index * (CHUNK + 16)
        for offset in (start, start + 100, start + CHUNK + 15 if index < 5 else len(sealed) - 1):
            assert rejection(flip(sealed, offset), keys) == "tampered", (index, offset)


def test_flipped_stanza_of_another_recipient_is_tampered(
    payload: BundlePayload, keys: Keys
) -> None:
    # The whole header is associated data of every chunk: a change to a stanza that is not
    # ours is caught too.
    data = seal_bundle(
        payload,
        recipients=[keys.other_enc.public_key, keys.district_enc.public_key],
        signer=keys.device_sig,
    )
    assert rejection(flip(data, 42 + 500), keys) == "tampered"


def test_swapped_chunks_are_tampered(sealed: bytes, keys: Keys) -> None:
    parts = chunks(sealed)
    swapped = parts[:]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert rejection(sealed[:HEADER_1] + b"".join(swapped), keys) == "tampered"
    # Also when the last (shorter) chunk is swapped with a full one of the same file.
    moved = [*parts[:-2], parts[-1], parts[-2]]
    assert rejection(sealed[:HEADER_1] + b"".join(moved), keys) == "tampered"


def test_duplicated_chunk_is_tampered(sealed: bytes, keys: Keys) -> None:
    parts = chunks(sealed)
    duplicated = [parts[0], *parts]
    assert rejection(sealed[:HEADER_1] + b"".join(duplicated), keys) == "tampered"
    # Replacing a chunk by a copy of another keeps the length but not the counter.
    replaced = [parts[0], parts[0], *parts[2:]]
    assert rejection(sealed[:HEADER_1] + b"".join(replaced), keys) == "tampered"


def test_trailing_bytes_are_tampered(sealed: bytes, keys: Keys) -> None:
    assert rejection(sealed + b"\x00", keys) == "tampered"


def test_chunks_of_another_bundle_are_tampered(
    payload: BundlePayload, sealed: bytes, keys: Keys
) -> None:
    other = seal_bundle(
        payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, chunk_size=1024
    )
    assert len(other) == len(sealed)
    spliced = sealed[:HEADER_1] + other[HEADER_1:]
    assert rejection(spliced, keys) == "tampered"
    assert rejection(other[:HEADER_1] + sealed[HEADER_1:], keys) == "tampered"


def test_shortened_payload_length_with_truncation_is_tampered(sealed: bytes, keys: Keys) -> None:
    # An attacker who drops the last chunk and fixes the length field changes the header,
    # which every chunk authenticates; the now-last chunk also carries the "not last" flag.
    parts = chunks(sealed)
    (length,) = struct.unpack_from(">Q", sealed, 16)
    new_length = length - (len(parts[-1]) - 16)
    header = sealed[:16] + struct.pack(">Q", new_length) + sealed[24:HEADER_1]
    assert rejection(header + b"".join(parts[:-1]), keys) == "tampered"


# --- not_for_us, unknown_sender, bad_signature ---------------------------------------------------


def test_wrong_recipient_is_not_for_us(sealed: bytes, keys: Keys) -> None:
    with pytest.raises(BundleRejectedError) as info:
        open_bundle(sealed, recipient=keys.other_enc, trusted_signers=keys.trusted)
    assert info.value.code == "not_for_us"
    assert info.value.params == {"key_id": keys.other_enc.key_id}


def test_stanza_key_id_changed_is_not_for_us(sealed: bytes, keys: Keys) -> None:
    assert rejection(flip(sealed, 42), keys) == "not_for_us"


def test_unknown_sender(sealed: bytes, keys: Keys) -> None:
    for trusted in (
        {},
        {keys.other_sig.key_id: keys.other_sig.public_key},
        lambda kid: None,
    ):
        with pytest.raises(BundleRejectedError) as info:
            open_bundle(sealed, recipient=keys.district_enc, trusted_signers=trusted)
        assert info.value.code == "unknown_sender"
        assert info.value.params == {"signer_id": keys.device_sig.key_id}


def test_signed_by_an_untrusted_key(payload: BundlePayload, keys: Keys) -> None:
    data = seal_bundle(payload, recipients=[keys.district_enc.public_key], signer=keys.other_sig)
    assert rejection(data, keys) == "unknown_sender"


def test_lookup_returning_a_key_with_another_id_is_not_trusted(sealed: bytes, keys: Keys) -> None:
    # A misfiled trust table must not let another key vouch for the claimed signer id.
    def lookup(kid: str) -> PublicSigningKey:
        return keys.other_sig.public_key

    with pytest.raises(BundleRejectedError) as info:
        open_bundle(sealed, recipient=keys.district_enc, trusted_signers=lookup)
    assert info.value.code == "unknown_sender"


def test_trusted_signer_id_but_signature_by_another_key(craft: Craft, keys: Keys) -> None:
    data = craft(signer=keys.other_sig, signer_id=bytes.fromhex(keys.device_sig.key_id))
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys)
    assert info.value.code == "bad_signature"
    assert info.value.params == {"signer_id": keys.device_sig.key_id}


def test_damaged_signature_inside_the_encryption(craft: Craft, keys: Keys) -> None:
    # A co-recipient knows the file key and could re-encrypt anything; the signature still
    # binds the content to the sender's key.
    assert open_as_district(craft(), keys).changes
    assert rejection(craft(signer=_DamagingSigner(keys.device_sig)), keys) == "bad_signature"


class _DamagingSigner:
    """Signs with a real key, then damages one bit of the signature."""

    def __init__(self, key: SigningKeyPair) -> None:
        self._key = key

    def public_bytes(self) -> bytes:
        return self._key.public_bytes()

    def sign(self, message: bytes) -> bytes:
        signature = bytearray(self._key.sign(message))
        signature[10] ^= 1
        return bytes(signature)


# --- too_large, decompression_bomb -------------------------------------------------------------


def test_too_large_is_checked_before_anything(sealed: bytes, keys: Keys) -> None:
    assert rejection(sealed, keys, limits=Limits(max_bundle_bytes=len(sealed) - 1)) == "too_large"
    huge = b"not even a bundle".ljust(DEFAULT_LIMITS.max_bundle_bytes + 1, b"\x00")
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(huge, keys)
    assert info.value.code == "too_large"
    assert info.value.params == {"size": len(huge), "limit": DEFAULT_LIMITS.max_bundle_bytes}


@functools.cache
def _zeros_compressed(size: int, suite: int) -> bytes:
    stream = body_codec(suite).stream()
    for _ in range(size >> 20):
        stream.feed(bytes(1 << 20))
    stream.feed(bytes(size & ((1 << 20) - 1)))
    return stream.finish()


def _body(suite: int, *, changes: int, size: object) -> dict[str, object]:
    return {"body": {"changes": changes, "codec": body_codec(suite).name, "size": size}}


@pytest.mark.parametrize("suite", SUITES)
def test_decompression_bomb_with_honest_size(craft: Craft, keys: Keys, suite: int) -> None:
    size = DEFAULT_LIMITS.max_payload_bytes + 1
    body = _zeros_compressed(size, suite)
    assert len(body) < 100_000  # a small, validly signed file ...
    data = craft(zbody=body, inner=_body(suite, changes=0, size=size), suite=suite)
    assert rejection(data, keys) == "decompression_bomb"  # ... refused before inflating


@pytest.mark.parametrize("suite", SUITES)
def test_decompression_bomb_that_lies_about_its_size(craft: Craft, keys: Keys, suite: int) -> None:
    size = DEFAULT_LIMITS.max_payload_bytes + 1
    body = _zeros_compressed(size, suite)
    data = craft(zbody=body, inner=_body(suite, changes=0, size=2), suite=suite)
    assert rejection(data, keys) == "decompression_bomb"


@pytest.mark.parametrize("suite", SUITES)
def test_decompression_bomb_under_a_small_limit(craft: Craft, keys: Keys, suite: int) -> None:
    body = _zeros_compressed(10_000, suite)
    data = craft(zbody=body, inner=_body(suite, changes=0, size=2), suite=suite)
    limits = Limits(max_payload_bytes=9_999)
    assert rejection(data, keys, limits=limits) == "decompression_bomb"
    # Exactly at the limit it inflates, and then fails as content (zeros are not JSON).
    assert rejection(data, keys, limits=Limits(max_payload_bytes=10_000)) == "malformed_content"


def test_a_zstd_frame_asking_for_more_than_an_8_mib_window_is_refused(
    craft: Craft, payload: BundlePayload, keys: Keys
) -> None:
    # A frame may ask its reader for up to 3.75 TiB of window; readers give at most 8 MiB
    # (2^23), below libzstd's own default limit of 2^27.
    raw = encode_changes(payload.changes)

    def frame(window_log: int) -> bytes:
        # streamed: the frame declares its window instead of its content size
        compressor = zstd.ZstdCompressor(options={zstd.CompressionParameter.window_log: window_log})
        return compressor.compress(raw) + compressor.flush()

    for window_log in (24, 27):
        data = craft(zbody=frame(window_log), suite=SUITE_V2)
        with pytest.raises(BundleRejectedError) as info:
            open_as_district(data, keys)
        assert info.value.code == "malformed_content"
        assert info.value.params == {"detail": "body: not a Zstandard frame this reader accepts"}
    assert open_as_district(craft(zbody=frame(23), suite=SUITE_V2), keys).payload == payload


# --- malformed_content, bad_header ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_body",
    [
        b"not json",
        b"[1, 2",
        b'{"changes": []}',
        b"[{}]",
        b'[{"id": "dev-a:1"}]',
        b"\xff\xfe[]",
        b"[" * 100_000 + b"]" * 100_000,
        b'[{"a": 1, "a": 2}]',
        b"[NaN]",
    ],
)
def test_valid_signature_over_malformed_json(craft: Craft, keys: Keys, raw_body: bytes) -> None:
    data = craft(
        raw_body=raw_body, inner={"body": {"changes": 1, "codec": "zlib", "size": len(raw_body)}}
    )
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys)
    assert info.value.code == "malformed_content"
    assert isinstance(info.value, BundleError)


def test_valid_signature_over_a_bad_change(
    craft: Craft, changes: tuple[Change, ...], keys: Keys
) -> None:
    item = changes[0].to_json()
    item["hlc"] = "yesterday"
    raw = b"[" + json.dumps(item).encode() + b"]"
    data = craft(raw_body=raw, inner={"body": {"changes": 1, "codec": "zlib", "size": len(raw)}})
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(data, keys)
    assert info.value.code == "malformed_content"
    assert info.value.params == {"detail": "changes[0] breaks the change format"}
    assert type(info.value.__cause__).__name__ == "ChangeFormatError"


def test_repeated_change_is_malformed(
    craft: Craft, changes: tuple[Change, ...], keys: Keys
) -> None:
    raw = encode_changes([changes[0], changes[0]])
    data = craft(raw_body=raw, inner={"body": {"changes": 2, "codec": "zlib", "size": len(raw)}})
    assert rejection(data, keys) == "malformed_content"


@pytest.mark.parametrize(
    "inner",
    [
        {"kind": "gossip"},
        {"sender": "has space"},
        {"sequence": 0},
        {"sequence": True},
        {"created_at": -1},
        {"holds": {"dev-a": 0}},
        {"holds": []},
        {"bundle_id": "../../etc"},
        {"recipients": []},
        {"recipients": ["00" * 16]},
        {"body": {"changes": 4, "codec": "lzma", "size": 10}},
        {"body": {"changes": 999, "codec": "zlib", "size": None}},
        {"extra": 1},
    ],
)
def test_valid_signature_over_a_bad_inner_header(
    craft: Craft, keys: Keys, inner: dict[str, object]
) -> None:
    assert rejection(craft(inner=inner), keys) == "malformed_content"


@pytest.mark.parametrize("suite", SUITES)
def test_change_count_or_size_that_disagree_with_the_body(
    craft: Craft, payload: BundlePayload, keys: Keys, suite: int
) -> None:
    raw = encode_changes(payload.changes)
    n = len(payload.changes)
    compressed = body_codec(suite).compress(raw)
    skippable = b"\x50\x2a\x4d\x18" + struct.pack("<I", 4) + b"skip"  # RFC 8878 §3.1.2
    bodies = [
        b"plain text, not compressed",
        compressed[:-10],
        compressed + b"more",
        compressed + compressed,
        skippable + compressed,
        b"",
    ]
    crafted = [craft(zbody=body, suite=suite) for body in bodies] + [
        craft(inner=_body(suite, changes=n + 1, size=len(raw)), suite=suite),
        craft(inner=_body(suite, changes=n, size=len(raw) + 1), suite=suite),
        craft(inner=_body(suite, changes=n, size=len(raw) - 1), suite=suite),
    ]
    for data in crafted:
        assert rejection(data, keys) == "malformed_content"


def test_inner_header_that_is_not_json_is_malformed_after_the_signature(
    craft: Craft, keys: Keys
) -> None:
    assert rejection(craft(inner_bytes=b"\x00garbage"), keys) == "malformed_content"


def test_inner_header_length_beyond_the_limit_is_a_bad_header(craft: Craft, keys: Keys) -> None:
    data = craft()
    assert open_as_district(data, keys)
    assert rejection(data, keys, limits=Limits(max_header_bytes=100)) == "bad_header"


@pytest.mark.parametrize(
    ("offset", "fmt", "value"),
    [
        (12, ">I", 0),
        (12, ">I", 63),
        (12, ">I", 1024 * 1024 + 1),
        (16, ">Q", 0),
        (16, ">Q", 2**64 - 1),
        (40, ">H", 0),
        (40, ">H", 17),
    ],
)
def test_header_fields_out_of_range(
    sealed: bytes, keys: Keys, offset: int, fmt: str, value: int
) -> None:
    size = struct.calcsize(fmt)
    data = sealed[:offset] + struct.pack(fmt, value) + sealed[offset + size :]
    assert rejection(data, keys) == "bad_header"


def test_same_recipient_twice_is_a_bad_header(payload: BundlePayload, keys: Keys) -> None:
    data = seal_bundle(
        payload,
        recipients=[keys.district_enc.public_key, keys.other_enc.public_key],
        signer=keys.device_sig,
    )
    second = 42 + STANZA_LENGTH
    copied = data[:second] + data[42 : 42 + 16] + data[second + 16 :]
    assert rejection(copied, keys) == "bad_header"


def test_recipients_limit(payload: BundlePayload, keys: Keys) -> None:
    data = seal_bundle(
        payload,
        recipients=[keys.other_enc.public_key, keys.district_enc.public_key],
        signer=keys.device_sig,
    )
    assert rejection(data, keys, limits=Limits(max_recipients=1)) == "bad_header"


def test_codes_are_stable_strings() -> None:
    assert {code.value for code in RejectionCode} == {
        "not_a_bundle",
        "not_a_receipt",
        "unsupported_version",
        "unsupported_suite",
        "truncated",
        "tampered",
        "not_for_us",
        "unknown_sender",
        "bad_signature",
        "too_large",
        "decompression_bomb",
        "malformed_content",
        "bad_header",
    }


def test_error_text_names_the_code_and_fills_params(sealed: bytes, keys: Keys) -> None:
    with pytest.raises(BundleRejectedError) as info:
        open_as_district(sealed[: HEADER_1 + 100], keys)
    assert str(info.value) == (
        f"truncated: The file is {HEADER_1 + 100} bytes; its header says {len(sealed)}"
    )
