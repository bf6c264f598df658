"""The strict JSON reader: its fast path (orjson, proven canonical) agrees with the strict one."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.bundle._json import (
    JsonFormatError,
    _ascii,
    _is_array_of,
    _strict_json_slow,
    canonical_json,
    strict_json,
    strict_json_items,
)

VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=16,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_canonical_and_other_encodings_decode_as_the_strict_reader_does(value: object) -> None:
    for data in (
        canonical_json(value),
        json.dumps(value, ensure_ascii=False).encode(),  # spaces, non-ASCII as is
        json.dumps(value, sort_keys=True, indent=1).encode(),
    ):
        assert strict_json(data) == _strict_json_slow(data) == value


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, max_size=5))
def test_items_come_with_their_key_sorted_encoding(items: list[object]) -> None:
    for data in (canonical_json(items), json.dumps(items).encode()):
        decoded, encoded = strict_json_items(data)
        assert decoded == items
        for item, item_bytes in zip(items, encoded, strict=True):
            if item_bytes is not None:
                assert json.loads(item_bytes) == item
                assert item_bytes == orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


def test_every_character_is_escaped_as_the_canonical_writer_does() -> None:
    # The fast path compares orjson's output, escaped to ASCII, with the input bytes: the
    # escaping must be the canonical writer's for every code point (DEL, astral planes...).
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    data = canonical_json([text, {text[:300]: text[-300:]}])
    decoded, encoded = strict_json_items(data)
    assert decoded == [text, {text[:300]: text[-300:]}]
    assert encoded[0] == json.dumps(text, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":1,"a":1}',  # a duplicate key, even one orjson's re-encoding would hide
        b'[{"b":1,"a":2,"a":3}]',
        b"[NaN]",
        b"[Infinity]",
        b'["\xff"]',
        b"\xef\xbb\xbf[]",
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_what_the_strict_reader_refuses_stays_refused(data: bytes) -> None:
    with pytest.raises(JsonFormatError):
        strict_json(data)
    with pytest.raises(JsonFormatError):
        strict_json_items(data)


def test_a_lone_surrogate_decodes_as_before_and_has_no_encoding() -> None:
    decoded, encoded = strict_json_items(b'["a\\ud800b", "ok"]')
    assert decoded == ["a\ud800b", "ok"]
    assert encoded == [None, b'"ok"']


ITEM_BYTES = st.lists(
    st.sampled_from([b"1", b"[]", b'"a"', b",", b"]", "\u00e9".encode(), b"\x7f", b"\\u00e9"]),
    max_size=3,
).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(ITEM_BYTES, max_size=4), st.data())
def test_the_in_place_array_check_is_the_joined_comparison(
    items: list[bytes], data: st.DataObject
) -> None:
    # The fast path compares the body with its items' encodings one by one, without joining
    # them: it must answer exactly as comparing with the joined, escaped array would.
    joined = _ascii(b"[" + b",".join(items) + b"]")
    raw = b"[" + b",".join(items) + b"]"  # not escaped: differs when an item is not ASCII
    candidates = [
        joined,
        raw,
        joined + b"]",
        joined[:-1],
        b" " + joined,
        joined.replace(b",", b", "),
    ]
    candidates.append(data.draw(st.binary(max_size=12)))
    if joined:
        at = data.draw(st.integers(0, len(joined) - 1))
        candidates.append(
            joined[:at] + data.draw(st.sampled_from([b"[", b",", b"\x7f"])) + joined[at + 1 :]
        )
    for body in candidates:
        assert _is_array_of(body, items) == (body == joined)
