"""Tests for change ids, field edits and the strict wire form of changes."""

from __future__ import annotations

import copy
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.changes import (
    DELETED,
    Change,
    ChangeError,
    ChangeFormatError,
    ChangeId,
    FieldEdit,
    Hlc,
    JsonValue,
)

RECORD = "0b5e6f1c-6a0e-4b8c-9d7e-2f1a3c4b5d6e"
HLC = Hlc(1_767_225_600_000, 3)


def make_change(*edits: FieldEdit, counter: int = 5, device: str = "dev-a") -> Change:
    return Change(
        id=ChangeId(device, counter),
        record_id=RECORD,
        kind="case",
        hlc=HLC,
        author="kader-01",
        edits=edits or (FieldEdit("status", "dicatat", frozenset()),),
    )


def sample_json() -> dict[str, Any]:
    return {
        "id": "dev-a:5",
        "record_id": RECORD,
        "kind": "case",
        "hlc": "0000019b76d4c800-0003",
        "author": "kader-01",
        "edits": [
            {"path": "status", "value": "dicatat", "pred": ["dev-b:2", "dev-a:4"]},
            {"path": "victims/v1/name", "value": "Siti", "pred": []},
            {"path": "violence_types", "value": ["fisik", "psikis"], "pred": []},
        ],
    }


# --- ChangeId -----------------------------------------------------------------------------


def test_change_id_text_round_trip() -> None:
    change_id = ChangeId("dev-a", 42)
    assert str(change_id) == "dev-a:42"
    assert ChangeId.parse("dev-a:42") == change_id


def test_change_ids_order_by_device_then_counter() -> None:
    assert ChangeId("a", 9) < ChangeId("a", 10) < ChangeId("b", 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "dev-a",
        "dev-a:",
        ":5",
        "dev-a:0",
        "dev-a:-1",
        "dev-a:+1",
        "dev-a:07",
        "dev-a:1.0",
        "dev a:1",
        "x:y:1",
        "dev-a:5 ",
        "dev-a:99999999999999999999",
        5,
        None,
    ],
)
def test_change_id_parse_rejects(text: str) -> None:
    with pytest.raises(ChangeFormatError, match="change id"):
        ChangeId.parse(text)


@pytest.mark.parametrize(
    ("device", "counter", "message"),
    [
        ("", 1, "device"),
        ("a:b", 1, "device.*':'"),
        ("a b", 1, "device"),
        ("x" * 129, 1, "device"),
        ("dev", 0, "counter"),
        ("dev", 2**63, "counter"),
        ("dev", True, "counter"),
    ],
)
def test_change_id_rejects(device: str, counter: int, message: str) -> None:
    with pytest.raises(ChangeFormatError, match=message):
        ChangeId(device, counter)


def test_change_id_from_a_pickle_made_in_another_process_hashes_correctly() -> None:
    script = (
        "import pickle, sys; from simpul.changes import ChangeId; "
        "sys.stdout.buffer.write(pickle.dumps(ChangeId('dev-a', 7)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    payload = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, env=env
    ).stdout
    restored = pickle.loads(payload)
    assert restored == ChangeId("dev-a", 7)
    assert restored in {ChangeId("dev-a", 7)}
    assert copy.deepcopy(restored) in {ChangeId("dev-a", 7)}


# --- FieldEdit / Change construction ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/status",
        "status/",
        "victims//name",
        "victims/../status",
        "a/b..c",
        "..",
        "a\nb",
        "x" * 513,
    ],
)
def test_field_edit_rejects_malformed_paths(path: str) -> None:
    with pytest.raises(ChangeFormatError, match="path"):
        FieldEdit(path, 1, frozenset())


@pytest.mark.parametrize("value", [float("nan"), float("inf"), (1, 2), {1: "x"}, {"a": {1, 2}}])
def test_field_edit_rejects_values_that_are_not_json(value: object) -> None:
    with pytest.raises(ChangeFormatError, match="value"):
        FieldEdit("status", value, frozenset())  # type: ignore[arg-type]


def test_field_edit_accepts_tombstone_paths() -> None:
    assert FieldEdit(DELETED, True, frozenset()).path == "_deleted"
    assert FieldEdit("victims/v1/_deleted", True, frozenset()).value is True


def test_change_sorts_its_edits_by_path() -> None:
    b = FieldEdit("b", 1, frozenset())
    a = FieldEdit("a", 2, frozenset())
    assert make_change(b, a).edits == (a, b)
    assert make_change(b, a) == make_change(a, b)


def test_change_rejects_duplicate_paths() -> None:
    with pytest.raises(ChangeFormatError, match="'status' appears more than once"):
        make_change(FieldEdit("status", 1, frozenset()), FieldEdit("status", 2, frozenset()))


def test_change_rejects_no_edits() -> None:
    with pytest.raises(ChangeFormatError, match="at least one edit"):
        Change(ChangeId("d", 1), RECORD, "case", HLC, "a", ())


@pytest.mark.parametrize("pred", [ChangeId("dev-a", 5), ChangeId("dev-a", 6)])
def test_change_cannot_overwrite_itself_or_a_later_change_of_its_device(pred: ChangeId) -> None:
    with pytest.raises(ChangeFormatError, match="not an earlier change"):
        make_change(FieldEdit("status", 1, frozenset({pred})), counter=5)


def test_change_may_overwrite_earlier_and_other_devices_changes() -> None:
    pred = frozenset({ChangeId("dev-a", 4), ChangeId("dev-b", 99)})
    assert make_change(FieldEdit("status", 1, pred)).edits[0].pred == pred


def test_format_error_is_a_change_error_and_a_simpul_error() -> None:
    from simpul.errors import Error

    assert issubclass(ChangeFormatError, ChangeError)
    assert issubclass(ChangeError, Error)


# --- wire form ----------------------------------------------------------------------------


def test_to_json_is_compact_and_deterministic() -> None:
    change = Change.from_json(sample_json())
    assert change.to_json() == {
        "id": "dev-a:5",
        "record_id": RECORD,
        "kind": "case",
        "hlc": "0000019b76d4c800-0003",
        "author": "kader-01",
        "edits": [
            {"path": "status", "value": "dicatat", "pred": ["dev-a:4", "dev-b:2"]},
            {"path": "victims/v1/name", "value": "Siti", "pred": []},
            {"path": "violence_types", "value": ["fisik", "psikis"], "pred": []},
        ],
    }
    shuffled = sample_json()
    shuffled["edits"].reverse()
    assert json.dumps(Change.from_json(shuffled).to_json()) == json.dumps(change.to_json())


def test_from_json_copies_values() -> None:
    data = sample_json()
    change = Change.from_json(data)
    data["edits"][2]["value"].append("seksual")
    assert change.edits[2].value == ["fisik", "psikis"]
    out = change.to_json()
    out["edits"][2]["value"].append("x")  # type: ignore[call-overload, index, union-attr]
    assert change.edits[2].value == ["fisik", "psikis"]


ids = st.builds(
    ChangeId,
    device=st.sampled_from(["dev-a", "dev-b", "3f2a9c"]),
    counter=st.integers(min_value=1, max_value=2**63 - 1),
)
json_values: st.SearchStrategy[JsonValue] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
segments = st.text(
    alphabet=st.characters(blacklist_categories=["Cc", "Cs"], blacklist_characters="/."),
    min_size=1,
    max_size=8,
)
paths = st.lists(segments, min_size=1, max_size=3).map("/".join)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    change_id = ChangeId("dev-z", draw(st.integers(min_value=1, max_value=10**6)))
    edit_paths = draw(st.lists(paths, min_size=1, max_size=5, unique=True))
    return Change(
        id=change_id,
        record_id=draw(st.uuids()).hex,
        kind=draw(st.sampled_from(["case", "outreach"])),
        hlc=Hlc(draw(st.integers(0, 2**50)), draw(st.integers(0, 2**16 - 1))),
        author=draw(st.text(alphabet="abcdefghij-_0123456789", min_size=1, max_size=10)),
        edits=tuple(
            FieldEdit(path, draw(json_values), draw(st.frozensets(ids, max_size=3)))
            for path in edit_paths
        ),
    )


@given(changes())
def test_json_round_trip(change: Change) -> None:
    data = change.to_json()
    assert Change.from_json(data) == change
    assert Change.from_json(json.loads(json.dumps(data))) == change


Mutation = Callable[[dict[str, Any]], object]


def _set(key: str, value: object) -> Mutation:
    return lambda data: data.__setitem__(key, value)


def _set_edit(index: int, key: str, value: object) -> Mutation:
    return lambda data: data["edits"][index].__setitem__(key, value)


def _nested(depth: int) -> JsonValue:
    value: JsonValue = 1
    for _ in range(depth):
        value = [value]
    return value


MALFORMED: list[tuple[str, Mutation, str]] = [
    ("missing id", lambda data: data.pop("id"), "change: missing key 'id'"),
    ("missing edits", lambda data: data.pop("edits"), "change: missing key 'edits'"),
    ("unknown key", _set("extra", 1), "change: unknown key 'extra'"),
    ("id not a string", _set("id", 5), "id: expected a string"),
    ("id without counter", _set("id", "dev-a"), "id: change id"),
    ("counter zero", _set("id", "dev-a:0"), "id: change id"),
    ("record_id empty", _set("record_id", ""), "record_id"),
    ("record_id not a string", _set("record_id", None), "record_id: expected a string"),
    ("kind upper case", _set("kind", "Case"), "kind"),
    ("kind not a string", _set("kind", 1), "kind: expected a string"),
    ("hlc not a string", _set("hlc", 123), "hlc"),
    ("hlc malformed", _set("hlc", "2026-01-01T00:00"), "hlc"),
    ("author empty", _set("author", ""), "author"),
    ("author not a string", _set("author", ["x"]), "author: expected a string"),
    ("edits not a list", _set("edits", {"status": 1}), "edits: expected an array"),
    ("edits empty", _set("edits", []), "edits: a change carries at least one edit"),
    ("edit not an object", lambda data: data["edits"].append("status"), r"edits\[3\]"),
    ("edit missing pred", lambda data: data["edits"][1].pop("pred"), r"edits\[1\]: missing key"),
    ("edit missing value", lambda data: data["edits"][1].pop("value"), "missing key 'value'"),
    ("edit unknown key", _set_edit(0, "op", "set"), r"edits\[0\]: unknown key 'op'"),
    ("path empty", _set_edit(1, "path", ""), r"edits\[1\]: path: must not be empty"),
    ("path not a string", _set_edit(1, "path", ["a"]), r"edits\[1\]: path: expected a string"),
    ("path empty segment", _set_edit(1, "path", "victims//name"), "empty segment"),
    ("path leading slash", _set_edit(1, "path", "/status"), "empty segment"),
    ("path dot-dot", _set_edit(1, "path", "victims/../status"), r"contains '\.\.'"),
    ("duplicate path", _set_edit(1, "path", "status"), "'status' appears more than once"),
    ("value a float NaN", _set_edit(1, "value", float("nan")), r"edits\[1\]\.value"),
    ("value with a tuple", _set_edit(1, "value", (1,)), r"edits\[1\]\.value"),
    ("value too deep", _set_edit(1, "value", _nested(40)), r"edits\[1\]\.value.*deeper than 32"),
    ("pred not a list", _set_edit(0, "pred", "dev-b:2"), r"edits\[0\]\.pred: expected an array"),
    ("pred item not a string", _set_edit(0, "pred", [7]), r"edits\[0\]\.pred\[0\]"),
    ("pred item malformed", _set_edit(0, "pred", ["dev-b"]), r"edits\[0\]\.pred\[0\]"),
    ("pred repeated", _set_edit(0, "pred", ["dev-b:2", "dev-b:2"]), "appears more than once"),
    ("pred names itself", _set_edit(0, "pred", ["dev-a:5"]), "not an earlier change"),
    ("pred names a later own change", _set_edit(0, "pred", ["dev-a:9"]), "not an earlier"),
]


@pytest.mark.parametrize(("name", "mutate", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_from_json_rejects(name: str, mutate: Mutation, message: str) -> None:
    data = sample_json()
    Change.from_json(copy.deepcopy(data))  # the unmutated sample is valid
    mutate(data)
    with pytest.raises(ChangeFormatError, match=message):
        Change.from_json(data)


@pytest.mark.parametrize("data", [None, [], "change", 1, [sample_json()]])
def test_from_json_rejects_non_objects(data: object) -> None:
    with pytest.raises(ChangeFormatError, match="change: expected an object"):
        Change.from_json(data)


# --- bytes for stores, fast paths -----------------------------------------------------------


def _stdlib_bytes(change: Change) -> bytes:
    text = json.dumps(change.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


@given(changes())
def test_to_json_bytes_is_the_key_sorted_utf8_wire_form(change: Change) -> None:
    assert change.to_json_bytes() == _stdlib_bytes(change)
    parsed = Change.from_json(json.loads(_stdlib_bytes(change)))
    assert parsed == change and parsed.to_json_bytes() == _stdlib_bytes(change)


def test_given_bytes_are_kept_only_for_the_exact_float_free_wire_form() -> None:
    marker = b"given"
    exact = sample_json()
    exact["edits"][0]["pred"] = ["dev-a:4", "dev-b:2"]  # sorted as to_json writes them
    assert Change.from_json(exact, encoded=marker).to_json_bytes() == marker
    shuffled = sample_json()  # pred in another order: to_json would write other bytes
    change = Change.from_json(shuffled, encoded=marker)
    assert change.to_json_bytes() == _stdlib_bytes(change)
    reordered = sample_json()
    reordered["edits"].reverse()
    change = Change.from_json(reordered, encoded=marker)
    assert change.to_json_bytes() == _stdlib_bytes(change)
    with_float = copy.deepcopy(exact)
    with_float["edits"][1]["value"] = [{"weight": 1e-07}]
    change = Change.from_json(with_float, encoded=marker)
    assert change.to_json_bytes() == _stdlib_bytes(change)
    assert b"1e-07" in change.to_json_bytes()


def test_given_bytes_never_change_equality_or_the_repr() -> None:
    plain = Change.from_json(sample_json())
    with_bytes = Change.from_json(sample_json(), encoded=b"x")
    assert plain == with_bytes and repr(plain) == repr(with_bytes)


def test_a_lone_surrogate_cannot_become_utf8_bytes() -> None:
    change = make_change(FieldEdit("name", "a\ud800", frozenset()))
    with pytest.raises(UnicodeEncodeError):
        change.to_json_bytes()


def test_find_edit_finds_a_path_or_none() -> None:
    change = Change.from_json(sample_json())
    edit = change.find_edit("victims/v1/name")
    assert edit is not None and edit.value == "Siti"
    assert change.find_edit("victims") is None and change.find_edit("zzz") is None


@pytest.mark.parametrize(
    "path", ["a//b", "/a", "a/", "a/../b", "a\nb", "a\x7fb", "a\x00", "", "x" * 513, "é/\x1f"]
)
def test_the_whole_array_path_check_refuses_what_check_path_refuses(path: str) -> None:
    data = sample_json()
    data["edits"].append({"path": path, "value": 1, "pred": []})
    with pytest.raises(ChangeFormatError, match=r"edits\[3\]: path"):
        Change.from_json(data)


@pytest.mark.parametrize("path", ["a.b/c", "é/ü/ñ", "x" * 512, "a b/c-d"])
def test_the_whole_array_path_check_accepts_what_check_path_accepts(path: str) -> None:
    data = sample_json()
    data["edits"].append({"path": path, "value": 1, "pred": []})
    assert Change.from_json(data).find_edit(path) is not None


def _no_pred_json() -> dict[str, Any]:
    """A change as a new record's first save arrives: no pred anywhere (parsed into columns,
    its FieldEdits made on first use)."""
    data = sample_json()
    data["edits"][0]["pred"] = []
    return data


def _built_directly(data: dict[str, Any]) -> Change:
    return Change(
        id=ChangeId.parse(data["id"]),
        record_id=data["record_id"],
        kind=data["kind"],
        hlc=Hlc.decode(data["hlc"]),
        author=data["author"],
        edits=tuple(
            FieldEdit(e["path"], e["value"], frozenset(map(ChangeId.parse, e["pred"])))
            for e in data["edits"]
        ),
    )


def test_a_parsed_change_is_the_same_change_before_and_after_its_edits_are_read() -> None:
    direct = _built_directly(_no_pred_json())
    parsed = Change.from_json(_no_pred_json())
    # Before its edits are read: the lookups answer from the parsed columns.
    assert parsed.find_edit("victims/v1/name") == FieldEdit("victims/v1/name", "Siti", frozenset())
    assert parsed.find_edit("nothing") is None
    assert parsed.values_by_path() == {e.path: e.value for e in direct.edits}
    assert pickle.loads(pickle.dumps(parsed)) == direct
    # Equality, the repr and the wire form read the edits.
    assert Change.from_json(_no_pred_json()) == direct
    assert repr(parsed) == repr(direct)
    assert parsed.edits == direct.edits and parsed.to_json() == direct.to_json()
    assert parsed.find_edit("status") == direct.find_edit("status")
    assert copy.deepcopy(Change.from_json(_no_pred_json())) == direct


def test_a_change_with_pred_parses_to_edits_with_their_pred() -> None:
    parsed = Change.from_json(sample_json())
    assert parsed.values_by_path()["status"] == "dicatat"
    edit = parsed.find_edit("status")
    assert edit is not None and edit.pred == {ChangeId("dev-b", 2), ChangeId("dev-a", 4)}
