"""Property tests of the bundle codec: random change lists round-trip; any damage is refused."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.bundle import (
    BundlePayload,
    BundleRejectedError,
    open_bundle,
    seal_bundle,
)
from simpul.changes import Change, ChangeId, FieldEdit, Hlc, JsonValue
from simpul.changes.clock import MAX_LOGICAL, MAX_WALL

if TYPE_CHECKING:  # fixtures' types only: conftest is not imported at run time
    from .conftest import Keys


SEGMENT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="/."),
    min_size=1,
    max_size=8,
)
PATH = st.lists(SEGMENT, min_size=1, max_size=3).map("/".join)
VALUE: st.SearchStrategy[JsonValue] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
DEVICE = st.sampled_from(["dev-a", "dev-b", "laptop-07", "d\u00e9v\u0131ce", "\u7530\u4e2d"])
PRED = st.frozensets(
    st.builds(ChangeId, st.sampled_from(["other-1", "other-2"]), st.integers(1, 2**40)),
    max_size=3,
)


@st.composite
def changes_strategy(draw: st.DrawFn) -> Change:
    edits = draw(st.dictionaries(PATH, st.tuples(VALUE, PRED), min_size=1, max_size=4))
    return Change(
        id=ChangeId(draw(DEVICE), draw(st.integers(1, 2**63 - 1))),
        record_id=str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        kind=draw(st.sampled_from(["case", "outreach"])),
        hlc=Hlc(draw(st.integers(0, MAX_WALL)), draw(st.integers(0, MAX_LOGICAL))),
        author=draw(st.text(min_size=1, max_size=20).filter(lambda a: a.isprintable())),
        edits=tuple(FieldEdit(path, value, pred) for path, (value, pred) in edits.items()),
    )


CHANGE_LISTS = st.lists(changes_strategy(), max_size=8, unique_by=lambda change: change.id)


@settings(max_examples=60, deadline=None)
@given(
    changes=CHANGE_LISTS,
    chunk_size=st.sampled_from([64, 100, 1024, 64 * 1024]),
    recipients=st.integers(1, 3),
    holds=st.dictionaries(DEVICE, st.integers(1, 2**63 - 1), max_size=3),
    kind=st.sampled_from(["changes", "return"]),
)
def test_random_change_lists_round_trip(
    keys: Keys,
    changes: list[Change],
    chunk_size: int,
    recipients: int,
    holds: dict[str, int],
    kind: str,
) -> None:
    payload = BundlePayload(
        kind=kind,  # type: ignore[arg-type]
        sender="dev-a",
        sequence=3,
        changes=tuple(changes),
        holds=holds,
    )
    keyring = [keys.other_enc, keys.device_enc, keys.district_enc][-recipients:]
    data = seal_bundle(
        payload,
        recipients=[key.public_key for key in keyring],
        signer=keys.device_sig,
        chunk_size=chunk_size,
    )
    opened = open_bundle(data, recipient=keys.district_enc, trusted_signers=keys.trusted)
    assert opened.payload == payload
    assert [c.to_json() for c in opened.changes] == [c.to_json() for c in changes]
    # The bytes an opened change carries (what the district digests and stores) are exactly
    # what the standard library writes, floats and long integers included.
    assert [c.to_json_bytes() for c in opened.changes] == [
        json.dumps(c.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        for c in changes
    ]


@pytest.fixture(scope="module")
def small(keys: Keys, changes: tuple[Change, ...]) -> bytes:
    """A small bundle of many 64-byte chunks, so every region of the format is short."""
    payload = BundlePayload(
        kind="changes", sender="dev-a", sequence=1, changes=changes[:1], holds={"dev-a": 1}
    )
    return seal_bundle(
        payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, chunk_size=64
    )


def test_every_single_bit_flip_is_refused(keys: Keys, small: bytes) -> None:
    assert open_bundle(small, recipient=keys.district_enc, trusted_signers=keys.trusted)
    for offset in range(len(small)):
        damaged = bytearray(small)
        damaged[offset] ^= 0x01
        with pytest.raises(BundleRejectedError):
            open_bundle(bytes(damaged), recipient=keys.district_enc, trusted_signers=keys.trusted)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_single_byte_change_is_refused(keys: Keys, small: bytes, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(small) - 1), label="offset")
    mask = data.draw(st.integers(1, 255), label="xor mask")
    damaged = bytearray(small)
    damaged[offset] ^= mask
    with pytest.raises(BundleRejectedError):
        open_bundle(bytes(damaged), recipient=keys.district_enc, trusted_signers=keys.trusted)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_any_truncation_is_reported_as_truncated(
    keys: Keys, small: bytes, data: st.DataObject
) -> None:
    end = data.draw(st.integers(0, len(small) - 1), label="end")
    with pytest.raises(BundleRejectedError) as info:
        open_bundle(small[:end], recipient=keys.district_enc, trusted_signers=keys.trusted)
    assert info.value.code == "truncated"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_inserted_or_deleted_bytes_are_refused(
    keys: Keys, small: bytes, data: st.DataObject
) -> None:
    offset = data.draw(st.integers(0, len(small)), label="offset")
    insert = data.draw(st.binary(max_size=100), label="inserted")
    delete = data.draw(st.integers(0 if insert else 1, 100), label="deleted")
    damaged = small[:offset] + insert + small[offset + delete :]
    if damaged == small:
        return
    with pytest.raises(BundleRejectedError):
        open_bundle(damaged, recipient=keys.district_enc, trusted_signers=keys.trusted)


@settings(max_examples=300, deadline=None)
@given(
    garbage=st.binary(max_size=3000),
    prefix=st.sampled_from(
        [b"", b"\x89SIMPULB", b"\x89SIMPULB\x00\x01", b"\x89SIMPULB\x00\x01\x00\x01"]
    ),
)
def test_garbage_is_refused_with_a_code(keys: Keys, garbage: bytes, prefix: bytes) -> None:
    with pytest.raises(BundleRejectedError):
        open_bundle(prefix + garbage, recipient=keys.district_enc, trusted_signers=keys.trusted)


def test_a_change_is_encoded_in_the_body_exactly_as_canonical_json_of_its_wire_form() -> None:
    """The fast body encoding (a change's own bytes, escaped to ASCII) equals the reference
    encoding for every kind of value: non-ASCII, DEL, floats, nested values, lone surrogates."""
    from simpul.bundle._json import canonical_json
    from simpul.bundle.format import encode_change
    from simpul.changes import Change, ChangeId, FieldEdit, Hlc

    values: list[object] = [
        "Siti Aminah",
        "Dusun Kedungringin — RT 009",
        "é\x7f\u2028\U0001f600",
        "\ud800",
        1.5,
        -0.0,
        1e-07,
        2**53 + 1,
        [1, "a", None, True],
        {"b": 1, "a": [{"z": "ż"}]},
        None,
    ]
    for index, value in enumerate(values):
        change = Change(
            ChangeId("d1", index + 1),
            "5f0c1a7e-0000-4000-8000-000000000001",
            "case",
            Hlc(1_700_000_000_000, index),
            "kader ñ",
            (FieldEdit("narrative", value, frozenset()),),
        )
        reference = canonical_json(change.to_json())
        assert encode_change(change) == reference
        parsed = Change.from_json(change.to_json(), encoded=None)
        assert encode_change(parsed) == reference
        try:
            stored = change.to_json_bytes()
        except UnicodeEncodeError:
            continue
        cached = Change.from_json(change.to_json(), encoded=stored)
        assert encode_change(cached) == reference
