"""The v1 golden files still open, to exactly what v1 wrote (docs/bundle-format.md, Versioning).

Suite 1 (zlib body) files are ``v1-*``, suite 2 (Zstandard body) files ``v1-suite2-*``: both
hold the same changes, so every reader must open both to the same content.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from simpul.bundle import (
    MAGIC,
    SUITES,
    BundleRejectedError,
    DeviceAck,
    EncryptionKeyPair,
    OpenedBundle,
    SigningKeyPair,
    open_bundle,
    verify_receipt,
)
from simpul.changes import ChangeId

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def golden_keys() -> dict[str, Any]:
    keys: dict[str, Any] = json.loads((GOLDEN / "v1-test-keys.json").read_text(encoding="utf-8"))
    assert keys["_warning"].startswith("TEST-ONLY KEYS")
    return {
        "district_enc": EncryptionKeyPair.from_private_bytes(
            bytes.fromhex(keys["district_encryption_private"])
        ),
        "district_sig": SigningKeyPair.from_private_bytes(
            bytes.fromhex(keys["district_signing_private"])
        ),
        "recovery_enc": EncryptionKeyPair.from_private_bytes(
            bytes.fromhex(keys["recovery_encryption_private"])
        ),
        "device_enc": EncryptionKeyPair.from_private_bytes(
            bytes.fromhex(keys["device_encryption_private"])
        ),
        "device_sig": SigningKeyPair.from_private_bytes(
            bytes.fromhex(keys["device_signing_private"])
        ),
    }


SUITE_FILES = {1: "v1-", 2: "v1-suite2-"}


@pytest.fixture(scope="module", params=sorted(SUITE_FILES))
def suite(request: pytest.FixtureRequest) -> int:
    number: int = request.param
    return number


@pytest.fixture(scope="module")
def expected(suite: int) -> dict[str, Any]:
    name = f"{SUITE_FILES[suite]}expected.json"
    data: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return data


def test_every_suite_has_golden_files() -> None:
    assert sorted(SUITE_FILES) == list(SUITES)
    v1 = json.loads((GOLDEN / "v1-expected.json").read_text(encoding="utf-8"))
    for prefix in SUITE_FILES.values():
        other = json.loads((GOLDEN / f"{prefix}expected.json").read_text(encoding="utf-8"))
        for kind in ("changes_bundle", "return_bundle"):
            assert other[kind] == v1[kind]


def as_json(opened: OpenedBundle) -> dict[str, Any]:
    return {
        "kind": opened.kind,
        "bundle_id": opened.bundle_id,
        "sender": opened.sender,
        "sequence": opened.sequence,
        "created_at": opened.created_at,
        "holds": dict(opened.holds),
        "signer_id": opened.signer_id,
        "recipients": list(opened.recipients),
        "changes": [change.to_json() for change in opened.changes],
    }


def test_v1_changes_bundle_opens_for_both_recipients(
    golden_keys: dict[str, Any], expected: dict[str, Any], suite: int
) -> None:
    data = (GOLDEN / f"{SUITE_FILES[suite]}changes.sealed.bin").read_bytes()
    assert data[:8] == MAGIC
    assert struct.unpack_from(">HHI", data, 8) == (1, suite, 256)  # version 1, 256 B chunks
    device = golden_keys["device_sig"]
    for recipient in ("district_enc", "recovery_enc"):
        opened = open_bundle(
            data,
            recipient=golden_keys[recipient],
            trusted_signers={device.key_id: device.public_key},
        )
        assert as_json(opened) == expected["changes_bundle"]
    assert opened.suite == suite
    assert opened.kind == "changes"
    assert opened.sender == "golden-dev-1"
    assert opened.bundle_id == "6a1f3c2e-0b7d-4c5e-8f90-a1b2c3d4e5f6"
    assert opened.created_at == 1_767_225_720_000
    assert opened.holds == {"golden-dev-1": 2}
    assert [str(c.id) for c in opened.changes] == ["golden-dev-1:1", "golden-dev-1:2"]
    assert opened.recipients == (
        golden_keys["district_enc"].key_id,
        golden_keys["recovery_enc"].key_id,
    )
    narrative = next(e for e in opened.changes[1].edits if e.path == "narrative")
    assert str(narrative.value).endswith("Kunjungan ulang — kondisi stabil ✓.")


def test_v1_return_bundle_opens_on_the_device(
    golden_keys: dict[str, Any], expected: dict[str, Any], suite: int
) -> None:
    data = (GOLDEN / f"{SUITE_FILES[suite]}return.sealed.bin").read_bytes()
    assert struct.unpack_from(">HHI", data, 8) == (1, suite, 64 * 1024)
    district = golden_keys["district_sig"]
    opened = open_bundle(
        data,
        recipient=golden_keys["device_enc"],
        trusted_signers=lambda kid: district.public_key if kid == district.key_id else None,
    )
    assert as_json(opened) == expected["return_bundle"]
    assert opened.kind == "return"
    assert opened.sender == "district-pml"
    (change,) = opened.changes
    assert [(e.path, e.value) for e in change.edits] == [("status", "selesai")]
    assert change.edits[0].pred == frozenset({ChangeId("golden-dev-1", 1)})


def test_v1_receipt_verifies(golden_keys: dict[str, Any]) -> None:
    data = (GOLDEN / "v1-receipt.bin").read_bytes()
    receipt = verify_receipt(data, district_key=golden_keys["district_sig"].public_key)
    expected = json.loads((GOLDEN / "v1-expected.json").read_text(encoding="utf-8"))
    assert receipt.to_json() == expected["receipt"]
    assert receipt.device == "golden-dev-1"
    assert receipt.acks["golden-dev-1"] == DeviceAck(high=2, top=4, missing=((3, 3),))
    assert [(str(r.change_id), r.reason) for r in receipt.rejected] == [
        ("golden-dev-1:3", "equivocation")
    ]
    assert receipt.bundles == ("6a1f3c2e-0b7d-4c5e-8f90-a1b2c3d4e5f6",)


def test_v1_files_refuse_the_wrong_keys(golden_keys: dict[str, Any], suite: int) -> None:
    data = (GOLDEN / f"{SUITE_FILES[suite]}changes.sealed.bin").read_bytes()
    device = golden_keys["device_sig"]
    with pytest.raises(BundleRejectedError) as info:
        open_bundle(
            data,
            recipient=golden_keys["device_enc"],
            trusted_signers={device.key_id: device.public_key},
        )
    assert info.value.code == "not_for_us"
    with pytest.raises(BundleRejectedError) as info:
        verify_receipt((GOLDEN / "v1-receipt.bin").read_bytes(), district_key=device.public_key)
    assert info.value.code == "bad_signature"
