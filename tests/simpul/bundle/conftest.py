"""Shared keys, synthetic changes and bundle-crafting helpers for the bundle tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from simpul.bundle import (
    BundlePayload,
    EncryptionKeyPair,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
    encode_changes,
    seal_bundle,
)
from simpul.bundle._json import canonical_json
from simpul.bundle.format import SUITE_V1, _seal_raw, body_codec
from simpul.bundle.keys import key_id_bytes
from simpul.changes import Change, ChangeId, Hlc, JsonValue, RecordState, diff_edits
from simpul.records.paths import flatten
from simpul.synthetic import generate_cases

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


@dataclass(frozen=True)
class Keys:
    """One district and two devices, plus an outsider."""

    district_enc: EncryptionKeyPair
    district_sig: SigningKeyPair
    device_enc: EncryptionKeyPair
    device_sig: SigningKeyPair
    other_enc: EncryptionKeyPair
    other_sig: SigningKeyPair

    @property
    def trusted(self) -> dict[str, PublicSigningKey]:
        """What the district trusts: the enrolled device's signing key."""
        return {self.device_sig.key_id: self.device_sig.public_key}


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(
        district_enc=EncryptionKeyPair.generate(),
        district_sig=SigningKeyPair.generate(),
        device_enc=EncryptionKeyPair.generate(),
        device_sig=SigningKeyPair.generate(),
        other_enc=EncryptionKeyPair.generate(),
        other_sig=SigningKeyPair.generate(),
    )


def synthetic_changes(
    cases: int, *, device: str = "dev-a", saves: int = 3, seed: int = 5
) -> list[Change]:
    """Changes of synthetic case documents, each case saved in ``saves`` steps."""
    changes: list[Change] = []
    for index, doc in enumerate(generate_cases(cases, seed=seed)):
        flat = flatten(doc)
        state = RecordState(str(uuid.UUID(int=seed * 100_000 + index)), "case")
        paths = sorted(flat)
        desired: dict[str, JsonValue] = {}
        for step in range(saves):
            desired.update((path, flat[path]) for path in paths[step::saves])
            edits = diff_edits(state, desired)
            if not edits:
                continue
            change = Change(
                id=ChangeId(device, len(changes) + 1),
                record_id=state.record_id,
                kind="case",
                hlc=Hlc(T0 + len(changes), 0),
                author="kader-01",
                edits=edits,
            )
            state.apply(change)
            changes.append(change)
    return changes


@pytest.fixture(scope="session")
def make_changes() -> Callable[..., list[Change]]:
    return synthetic_changes


@pytest.fixture(scope="session")
def changes() -> tuple[Change, ...]:
    return tuple(synthetic_changes(4))


@pytest.fixture(scope="session")
def payload(changes: tuple[Change, ...]) -> BundlePayload:
    return BundlePayload(
        kind="changes",
        sender="dev-a",
        sequence=7,
        changes=changes,
        holds={"dev-a": len(changes), "district": 3},
        created_at=T0,
    )


@pytest.fixture(scope="session")
def sealed(payload: BundlePayload, keys: Keys) -> bytes:
    """A real bundle of several 1 KiB chunks from dev-a to the district."""
    return seal_bundle(
        payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, chunk_size=1024
    )


Craft = Callable[..., bytes]


@pytest.fixture(scope="session")
def craft(payload: BundlePayload, keys: Keys) -> Craft:
    """Seal hand-made inner header and body bytes, validly encrypted and (by default) signed.

    Keyword arguments: ``inner`` (overrides merged into the honest inner header),
    ``inner_bytes`` (the whole inner header as bytes), ``raw_body`` (uncompressed body),
    ``zbody`` (the compressed body as sealed), ``signer``, ``signer_id``, ``recipients``,
    ``chunk_size``, ``suite`` (1, zlib, unless told; the body is compressed with its codec).
    """

    def make(
        *,
        inner: dict[str, object] | None = None,
        inner_bytes: bytes | None = None,
        raw_body: bytes | None = None,
        zbody: bytes | None = None,
        signer: SigningKeyPair | None = None,
        signer_id: bytes | None = None,
        recipients: Sequence[PublicEncryptionKey] | None = None,
        chunk_size: int = 1024,
        suite: int = SUITE_V1,
    ) -> bytes:
        signer = signer or keys.device_sig
        recipients = recipients or [keys.district_enc.public_key]
        if raw_body is None:
            raw_body = encode_changes(payload.changes)
        codec = body_codec(suite)
        if zbody is None:
            zbody = codec.compress(raw_body)
        if inner_bytes is None:
            header: dict[str, object] = {
                "body": {
                    "changes": len(payload.changes),
                    "codec": codec.name,
                    "size": len(raw_body),
                },
                "bundle_id": payload.bundle_id,
                "created_at": payload.created_at,
                "holds": dict(payload.holds),
                "kind": payload.kind,
                "recipients": [r.key_id for r in recipients],
                "sender": payload.sender,
                "sequence": payload.sequence,
            }
            header.update(inner or {})
            inner_bytes = canonical_json(header)
        return _seal_raw(
            inner_header=inner_bytes,
            body=zbody,
            recipients=recipients,
            signer_id=signer_id or key_id_bytes(signer.public_bytes()),
            sign=signer.sign,
            chunk_size=chunk_size,
            suite=suite,
        )

    return make
