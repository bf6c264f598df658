"""Receipts: gap handling, signing and verification, tampering, and forward-only merging."""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.bundle import (
    RECEIPT_MAGIC,
    DeviceAck,
    Receipt,
    ReceiptRejectedError,
    RejectedChange,
    SigningKeyPair,
    acknowledged_ranges,
    compute_receipt_state,
    is_acknowledged,
    merge_ack,
    sign_receipt,
    verify_receipt,
)
from simpul.bundle.keys import key_id_bytes
from simpul.changes import ChangeId

if TYPE_CHECKING:  # fixtures' types only: conftest is not imported at run time
    from .conftest import Keys

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def ids(device: str, *counters: int) -> list[ChangeId]:
    return [ChangeId(device, counter) for counter in counters]


def receipt_for(held: list[ChangeId], *, issued_at: int = T0, **kwargs: object) -> Receipt:
    return Receipt(device="dev-a", issued_at=issued_at, acks=compute_receipt_state(held), **kwargs)  # type: ignore[arg-type]


# --- compute_receipt_state and DeviceAck -----------------------------------------------------


def test_gaps_become_missing_ranges() -> None:
    state = compute_receipt_state(ids("dev-a", 1, 2, 3, 5, 6, 9) + ids("dev-b", 2, 3, 3, 4))
    assert state == {
        "dev-a": DeviceAck(high=3, top=9, missing=((4, 4), (7, 8))),
        "dev-b": DeviceAck(high=0, top=4, missing=((1, 1),)),
    }
    assert state["dev-a"].held_ranges() == ((1, 3), (5, 6), (9, 9))
    assert state["dev-b"].held_ranges() == ((2, 4),)


def test_no_gaps_and_nothing_held() -> None:
    assert compute_receipt_state(ids("d", 3, 1, 2)) == {"d": DeviceAck(high=3, top=3)}
    assert compute_receipt_state([]) == {}
    assert DeviceAck().held_ranges() == ()


def test_holds() -> None:
    ack = DeviceAck(high=3, top=9, missing=((4, 4), (7, 8)))
    held = [n for n in range(0, 12) if ack.holds(n)]
    assert held == [1, 2, 3, 5, 6, 9]


def test_large_counters_are_handled_as_ranges() -> None:
    ack = DeviceAck.from_ranges([(1, 2**62), (2**62 + 5, 2**63 - 1)])
    assert ack == DeviceAck(high=2**62, top=2**63 - 1, missing=((2**62 + 1, 2**62 + 4),))
    assert ack.holds(2**63 - 1) and not ack.holds(2**62 + 2)


def test_from_ranges_normalises_overlaps() -> None:
    ack = DeviceAck.from_ranges([(5, 7), (1, 2), (3, 3), (6, 10), (12, 12)])
    assert ack == DeviceAck(high=3, top=12, missing=((4, 4), (11, 11)))


@pytest.mark.parametrize(
    "fields",
    [
        {"high": 4, "top": 3},
        {"high": -1, "top": 3},
        {"high": 1, "top": 3},  # missing needed
        {"high": 3, "top": 3, "missing": ((4, 4),)},
        {"high": 1, "top": 5, "missing": ((3, 3),)},  # must start at high + 1
        {"high": 1, "top": 5, "missing": ((2, 5),)},  # top itself is held
        {"high": 1, "top": 9, "missing": ((2, 3), (4, 5))},  # adjacent ranges
        {"high": 1, "top": 9, "missing": ((2, 3), (3, 5))},
        {"high": True, "top": True},
        {"high": 1, "top": 5, "missing": ((2,),)},
    ],
)
def test_invalid_device_acks(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        DeviceAck(**fields)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(1, 60)))
def test_state_matches_the_held_set(counters: set[int]) -> None:
    state = compute_receipt_state(ids("d", *counters))
    if not counters:
        assert state == {}
        return
    ack = state["d"]
    assert {n for n in range(0, 70) if ack.holds(n)} == counters
    assert ack.top == max(counters)
    assert ack.high == max(n for n in range(0, 61) if set(range(1, n + 1)) <= counters)
    assert {n for a, b in ack.missing for n in range(a, b + 1)} == set(
        range(1, max(counters))
    ) - counters


# --- signing and verifying ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def receipt() -> Receipt:
    return Receipt(
        device="dev-a",
        issued_at=T0 + 5_000,
        acks=compute_receipt_state(ids("dev-a", 1, 2, 3, 5) + ids("dev-b", 1)),
        rejected=(RejectedChange(ChangeId("dev-a", 4), "equivocation"),),
        bundles=("0f6c1d8e-0000-4000-8000-000000000001",),
    )


@pytest.fixture(scope="module")
def signed(receipt: Receipt, keys: Keys) -> bytes:
    return sign_receipt(receipt, district=keys.district_sig)


def test_round_trip(receipt: Receipt, signed: bytes, keys: Keys) -> None:
    assert signed.startswith(RECEIPT_MAGIC)
    assert verify_receipt(signed, district_key=keys.district_sig.public_key) == receipt
    assert sign_receipt(receipt, district=keys.district_sig) == signed  # same import, same receipt


def test_body_is_plain_canonical_json_without_person_data(signed: bytes) -> None:
    (length,) = struct.unpack_from(">I", signed, 28)
    body = json.loads(signed[32 : 32 + length])
    assert body == {
        "acks": {
            "dev-a": {"high": 3, "missing": [[4, 4]], "top": 5},
            "dev-b": {"high": 1, "missing": [], "top": 1},
        },
        "bundles": ["0f6c1d8e-0000-4000-8000-000000000001"],
        "device": "dev-a",
        "issued_at": T0 + 5_000,
        "rejected": [["dev-a:4", "equivocation"]],
    }


def rejected_code(data: bytes, keys: Keys) -> str:
    with pytest.raises(ReceiptRejectedError) as info:
        verify_receipt(data, district_key=keys.district_sig.public_key)
    return info.value.code


def test_every_byte_flip_is_refused(signed: bytes, keys: Keys) -> None:
    for offset in range(len(signed)):
        damaged = bytearray(signed)
        damaged[offset] ^= 0x20
        code = rejected_code(bytes(damaged), keys)
        if offset < 8:
            assert code == "not_a_receipt"
        elif offset < 10:
            assert code == "unsupported_version"
        elif offset < 12:
            assert code == "unsupported_suite"
        elif 32 <= offset:
            assert code == "bad_signature", offset


def test_signed_by_another_key(receipt: Receipt, keys: Keys) -> None:
    forged = sign_receipt(receipt, district=keys.other_sig)
    assert rejected_code(forged, keys) == "bad_signature"


def test_signer_id_of_the_district_but_signature_of_another_key(signed: bytes, keys: Keys) -> None:
    body_end = len(signed) - 64
    unsigned = signed[:body_end]
    assert unsigned[12:28] == key_id_bytes(keys.district_sig.public_bytes())
    forged = unsigned + keys.other_sig.sign(b"simpul-receipt/v1 signature\x00" + unsigned)
    assert rejected_code(forged, keys) == "bad_signature"


def test_truncated_trailing_and_oversize(signed: bytes, keys: Keys) -> None:
    for end in (0, 4, 9, 11, 20, 31, 32, len(signed) - 64, len(signed) - 1):
        assert rejected_code(signed[:end], keys) == "truncated", end
    assert rejected_code(signed + b"\n", keys) == "tampered"
    with pytest.raises(ReceiptRejectedError) as info:
        verify_receipt(signed, district_key=keys.district_sig.public_key, max_bytes=100)
    assert info.value.code == "too_large"


def test_a_bundle_is_not_a_receipt(sealed: bytes, keys: Keys) -> None:
    assert rejected_code(sealed, keys) == "not_a_receipt"


def _envelope(body: bytes, signer: SigningKeyPair) -> bytes:
    """Build a receipt exactly as docs/bundle-format.md describes it."""
    unsigned = (
        RECEIPT_MAGIC
        + struct.pack(">HH", 1, 1)
        + key_id_bytes(signer.public_bytes())
        + struct.pack(">I", len(body))
        + body
    )
    return unsigned + signer.sign(b"simpul-receipt/v1 signature\x00" + unsigned)


def test_the_documented_layout_verifies(receipt: Receipt, keys: Keys) -> None:
    body = json.dumps(receipt.to_json()).encode()  # not canonical: verification does not care
    data = _envelope(body, keys.district_sig)
    assert verify_receipt(data, district_key=keys.district_sig.public_key) == receipt


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"device": "dev-a"}',
        b'{"acks": {}, "bundles": [], "device": "dev-a", "issued_at": 1, "rejected": [], "x": 1}',
        b'{"acks": {"d": {"high": 2, "missing": [], "top": 1}}, "bundles": [], "device": "dev-a",'
        b' "issued_at": 1, "rejected": []}',
        b'{"acks": {}, "bundles": [], "device": "dev-a", "issued_at": 1,'
        b' "rejected": [["dev-a:1", "Reason with a name: Siti"]]}',
        b'{"acks": {}, "bundles": ["a", "a"], "device": "dev-a", "issued_at": 1, "rejected": []}',
        b'{"acks": {}, "bundles": [], "device": "dev a", "issued_at": 1, "rejected": []}',
        b'{"acks": {}, "bundles": [], "device": "dev-a", "issued_at": 1.5, "rejected": []}',
    ],
)
def test_valid_signature_over_malformed_content(body: bytes, keys: Keys) -> None:
    assert rejected_code(_envelope(body, keys.district_sig), keys) == "malformed_content"


def test_reason_codes_are_codes_not_text() -> None:
    RejectedChange(ChangeId("d", 1), "invalid_change")
    for reason in ("", "Has Capitals", "has space", "x" * 65, "kode-2"):
        with pytest.raises(ValueError):
            RejectedChange(ChangeId("d", 1), reason)


# --- merge_ack ---------------------------------------------------------------------------------


def test_replaying_an_old_receipt_changes_nothing(keys: Keys) -> None:
    old = receipt_for(ids("dev-a", 1, 2), issued_at=T0, bundles=("bundle-0001",))
    new = receipt_for(ids("dev-a", 1, 2, 3, 4, 6), issued_at=T0 + 1, bundles=("bundle-0002",))
    state = merge_ack(merge_ack(None, old), new)
    # The old file arrives again (a copy on a flash drive, a replayed HTTP response).
    replayed = verify_receipt(
        sign_receipt(old, district=keys.district_sig), district_key=keys.district_sig.public_key
    )
    assert merge_ack(state, replayed) == state
    assert merge_ack(state, new) == state
    assert state.acks["dev-a"] == DeviceAck(high=4, top=6, missing=((5, 5),))
    assert state.bundles == ("bundle-0001", "bundle-0002")
    assert state.issued_at == T0 + 1


def test_acknowledgement_never_moves_back() -> None:
    # Even a genuine but later receipt that holds less (say the district restored a backup)
    # does not un-acknowledge anything.
    first = receipt_for(ids("dev-a", 1, 2, 3, 4))
    later = receipt_for(ids("dev-a", 1, 2), issued_at=T0 + 10)
    merged = merge_ack(first, later)
    assert merged.acks["dev-a"] == DeviceAck(high=4, top=4)
    assert merged.issued_at == T0 + 10


def test_gaps_filled_by_a_later_receipt() -> None:
    first = receipt_for(ids("dev-a", 1, 3, 5))
    second = receipt_for(ids("dev-a", 2, 4))
    assert merge_ack(first, second).acks["dev-a"] == DeviceAck(high=5, top=5)


def test_rejection_dropped_once_the_change_is_held() -> None:
    bad = RejectedChange(ChangeId("dev-a", 3), "invalid_change")
    first = receipt_for(ids("dev-a", 1, 2), rejected=(bad,))
    assert merge_ack(None, first).rejected == (bad,)
    second = receipt_for(ids("dev-a", 1, 2, 3))
    assert merge_ack(first, second).rejected == ()


def test_receipts_of_different_devices_do_not_merge() -> None:
    with pytest.raises(ValueError):
        merge_ack(receipt_for(ids("dev-a", 1)), Receipt(device="dev-b", issued_at=T0))


def test_acknowledged_ranges_and_is_acknowledged() -> None:
    receipt = receipt_for(ids("dev-a", 1, 2, 4) + ids("dev-b", 7))
    assert acknowledged_ranges(receipt, "dev-a") == ((1, 2), (4, 4))
    assert acknowledged_ranges(receipt, "dev-c") == ()
    assert acknowledged_ranges(None, "dev-a") == ()
    assert is_acknowledged(receipt, ChangeId("dev-a", 4))
    assert not is_acknowledged(receipt, ChangeId("dev-a", 3))
    assert not is_acknowledged(receipt, ChangeId("dev-b", 6))
    assert not is_acknowledged(None, ChangeId("dev-a", 1))


HELD = st.lists(
    st.builds(ChangeId, st.sampled_from(["dev-a", "dev-b"]), st.integers(1, 30)), max_size=25
)
REJECTED = st.lists(
    st.builds(
        RejectedChange,
        st.builds(ChangeId, st.sampled_from(["dev-a", "dev-b"]), st.integers(1, 30)),
        st.sampled_from(["invalid_change", "equivocation"]),
    ),
    max_size=3,
)
RECEIPTS = st.builds(
    lambda held, rejected, at: receipt_for(held, rejected=tuple(rejected), issued_at=at),
    HELD,
    REJECTED,
    st.integers(T0, T0 + 100),
)


@settings(max_examples=150, deadline=None)
@given(a=RECEIPTS, b=RECEIPTS, c=RECEIPTS)
def test_merge_is_a_join(a: Receipt, b: Receipt, c: Receipt) -> None:
    ab = merge_ack(a, b)
    assert ab == merge_ack(b, a)
    assert merge_ack(ab, c) == merge_ack(a, merge_ack(b, c))
    assert merge_ack(ab, a) == ab and merge_ack(ab, b) == ab
    for device in ("dev-a", "dev-b"):
        for counter in range(1, 32):
            change_id = ChangeId(device, counter)
            assert is_acknowledged(ab, change_id) == (
                is_acknowledged(a, change_id) or is_acknowledged(b, change_id)
            )
