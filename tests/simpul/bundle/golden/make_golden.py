"""Make the v1 golden files of the bundle format (run once; the files are then kept forever).

Run: ``.venv/bin/python tests/simpul/bundle/golden/make_golden.py [--suite N] [--force]``

With ``--suite 1`` (the default, how the first files were made) it writes into this folder:

- ``v1-test-keys.json`` — freshly generated TEST-ONLY keys (published, so never used elsewhere);
- ``v1-changes.sealed.bin`` — a village → district bundle sealed to two recipients in 256-byte
  chunks, signed by the test device key;
- ``v1-return.sealed.bin`` — a district → village return bundle in the default 64 KiB chunks,
  signed by the test district key;
- ``v1-receipt.bin`` — a district receipt with a gap, a rejection and an acknowledged bundle;
- ``v1-expected.json`` — what the three files must open to.

With ``--suite 2`` it writes the same two bundles sealed with suite 2 (Zstandard body) as
``v1-suite2-changes.sealed.bin``, ``v1-suite2-return.sealed.bin`` and ``v1-suite2-expected.json``,
with the test keys already in ``v1-test-keys.json`` (receipts have no suites of bundles).

The content is synthetic: one case from ``simpul.synthetic.generate_cases(1, seed=2026)`` and
a few hand-written edits. Existing files are never overwritten without ``--force``: golden files
are a promise that every later version still opens what v1 wrote.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simpul.bundle import (
    SUITE_V1,
    SUITES,
    BundlePayload,
    EncryptionKeyPair,
    OpenedBundle,
    Receipt,
    RejectedChange,
    SigningKeyPair,
    compute_receipt_state,
    open_bundle,
    seal_bundle,
    sign_receipt,
)
from simpul.changes import Change, ChangeId, Hlc, RecordState, diff_edits
from simpul.records.paths import flatten
from simpul.synthetic import generate_cases

HERE = Path(__file__).resolve().parent
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
RECORD_ID = "5f0b8a4e-2c1d-4e6f-9a7b-3c2d1e0f4a5b"
DEVICE = "golden-dev-1"
DISTRICT = "district-pml"
CHANGES_BUNDLE_ID = "6a1f3c2e-0b7d-4c5e-8f90-a1b2c3d4e5f6"
RETURN_BUNDLE_ID = "7b2e4d3f-1c8e-4d6f-9a01-b2c3d4e5f6a7"
KEY_WARNING = (
    "TEST-ONLY KEYS. They exist only to open the golden files in this folder and are published "
    "in the repository: never use them for anything else, never enroll them, never ship them."
)


def golden_changes() -> tuple[list[Change], list[Change]]:
    """Return (the device's changes, the district's return changes), all synthetic."""
    flat = flatten(generate_cases(1, seed=2026)[0])
    state = RecordState(RECORD_ID, "case")
    created = Change(
        id=ChangeId(DEVICE, 1),
        record_id=RECORD_ID,
        kind="case",
        hlc=Hlc(T0, 0),
        author="kader-golden",
        edits=diff_edits(state, flat),
    )
    state.apply(created)
    follow_up = dict(flat)
    follow_up["narrative"] = str(flat["narrative"]) + " Kunjungan ulang — kondisi stabil ✓."
    edited = Change(
        id=ChangeId(DEVICE, 2),
        record_id=RECORD_ID,
        kind="case",
        hlc=Hlc(T0 + 60_000, 1),
        author="kader-golden",
        edits=diff_edits(state, follow_up),
    )
    state.apply(edited)
    closed = dict(follow_up)
    closed["status"] = "selesai"
    returned = Change(
        id=ChangeId(DISTRICT, 1),
        record_id=RECORD_ID,
        kind="case",
        hlc=Hlc(T0 + 86_400_000, 0),
        author="staf-uptd-golden",
        edits=diff_edits(state, closed),
    )
    return [created, edited], [returned]


def opened_to_json(opened: OpenedBundle) -> dict[str, object]:
    """The content of an opened bundle as plain JSON, for v1-expected.json."""
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


def _generate_keys() -> dict[str, str]:
    return {
        "_warning": KEY_WARNING,
        "district_encryption_private": EncryptionKeyPair.generate().private_bytes().hex(),
        "district_signing_private": SigningKeyPair.generate().private_bytes().hex(),
        "recovery_encryption_private": EncryptionKeyPair.generate().private_bytes().hex(),
        "device_encryption_private": EncryptionKeyPair.generate().private_bytes().hex(),
        "device_signing_private": SigningKeyPair.generate().private_bytes().hex(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=int, choices=SUITES, default=SUITE_V1)
    parser.add_argument("--force", action="store_true", help="overwrite existing golden files")
    args = parser.parse_args(argv)
    prefix = "v1-" if args.suite == SUITE_V1 else f"v1-suite{args.suite}-"
    key_file = HERE / "v1-test-keys.json"
    outputs = {
        name: HERE / f"{prefix}{name}"
        for name in ("changes.sealed.bin", "return.sealed.bin", "expected.json")
    }
    if args.suite == SUITE_V1:
        outputs["test-keys.json"] = key_file
        outputs["receipt.bin"] = HERE / "v1-receipt.bin"
    elif not key_file.exists():
        print("make the suite 1 files first: they hold the test keys", file=sys.stderr)
        return 1
    if any(path.exists() for path in outputs.values()) and not args.force:
        print("golden files exist; they must stay as v1 wrote them (use --force)", file=sys.stderr)
        return 1

    if args.suite == SUITE_V1:
        keys = _generate_keys()
    else:
        keys = json.loads(key_file.read_text(encoding="utf-8"))
    district_enc = EncryptionKeyPair.from_private_bytes(
        bytes.fromhex(keys["district_encryption_private"])
    )
    district_sig = SigningKeyPair.from_private_bytes(
        bytes.fromhex(keys["district_signing_private"])
    )
    recovery_enc = EncryptionKeyPair.from_private_bytes(
        bytes.fromhex(keys["recovery_encryption_private"])
    )
    device_enc = EncryptionKeyPair.from_private_bytes(
        bytes.fromhex(keys["device_encryption_private"])
    )
    device_sig = SigningKeyPair.from_private_bytes(bytes.fromhex(keys["device_signing_private"]))
    device_changes, return_changes = golden_changes()

    changes_bundle = seal_bundle(
        BundlePayload(
            kind="changes",
            sender=DEVICE,
            sequence=1,
            changes=tuple(device_changes),
            holds={DEVICE: 2},
            bundle_id=CHANGES_BUNDLE_ID,
            created_at=T0 + 120_000,
        ),
        recipients=[district_enc.public_key, recovery_enc.public_key],
        signer=device_sig,
        chunk_size=256,
        suite=args.suite,
    )
    return_bundle = seal_bundle(
        BundlePayload(
            kind="return",
            sender=DISTRICT,
            sequence=1,
            changes=tuple(return_changes),
            holds={DEVICE: 2, DISTRICT: 1},
            bundle_id=RETURN_BUNDLE_ID,
            created_at=T0 + 86_400_000 + 5_000,
        ),
        recipients=[device_enc.public_key],
        signer=district_sig,
        suite=args.suite,
    )
    opened_changes = open_bundle(
        changes_bundle,
        recipient=district_enc,
        trusted_signers={device_sig.key_id: device_sig.public_key},
    )
    opened_return = open_bundle(
        return_bundle,
        recipient=device_enc,
        trusted_signers={district_sig.key_id: district_sig.public_key},
    )
    expected: dict[str, object] = {
        "_note": f"What the v1 golden files of suite {args.suite} open to (synthetic data).",
        "changes_bundle": opened_to_json(opened_changes),
        "return_bundle": opened_to_json(opened_return),
    }
    if args.suite == SUITE_V1:
        held = [ChangeId(DEVICE, 1), ChangeId(DEVICE, 2), ChangeId(DEVICE, 4)]
        receipt = Receipt(
            device=DEVICE,
            issued_at=T0 + 180_000,
            acks=compute_receipt_state(held),
            rejected=(RejectedChange(ChangeId(DEVICE, 3), "equivocation"),),
            bundles=(CHANGES_BUNDLE_ID,),
        )
        expected["receipt"] = receipt.to_json()
        outputs["test-keys.json"].write_text(json.dumps(keys, indent=2) + "\n", encoding="utf-8")
        outputs["receipt.bin"].write_bytes(sign_receipt(receipt, district=district_sig))
    outputs["changes.sealed.bin"].write_bytes(changes_bundle)
    outputs["return.sealed.bin"].write_bytes(return_bundle)
    outputs["expected.json"].write_text(
        json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    for path in outputs.values():
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
