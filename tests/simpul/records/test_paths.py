"""Tests of flatten/unflatten (docs/record-format.md) and list-item ids."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.errors import UserError
from simpul.records.paths import (
    ITEM_LISTS,
    JsonValue,
    MalformedDocumentError,
    assign_item_ids,
    flatten,
    new_item_id,
    unflatten,
)

V1 = "0190a0b0c0d0" + "1" * 16
V2 = "0190a0b0c0d0" + "2" * 16
P1 = "0190a0b0c0d0" + "3" * 16


def test_objects_become_nested_paths_and_lists_stay_atomic() -> None:
    doc = {
        "kind": "case",
        "reporter": {"name": "Bu Siti", "contact": ""},
        "violence_types": ["fisik", "psikis"],
        "tppo": {"indicators": {"calo_desa": "ya"}, "transit": ["Malaysia"]},
        "online": False,
        "narrative": None,
    }
    assert flatten(doc) == {
        "kind": "case",
        "reporter/name": "Bu Siti",
        "violence_types": ["fisik", "psikis"],
        "tppo/indicators/calo_desa": "ya",
        "tppo/transit": ["Malaysia"],
        "online": False,
    }


def test_items_are_keyed_by_id() -> None:
    doc = {
        "victims": [{"id": V1, "name": "A", "age": 0}, {"id": V2, "sex": "P"}],
        "perpetrators": [{"id": P1, "relationships": {V1: "ayah_tiri", V2: "tetangga"}}],
    }
    assert flatten(doc) == {
        f"victims/{V1}/id": V1,
        f"victims/{V1}/name": "A",
        f"victims/{V1}/age": 0,
        f"victims/{V2}/id": V2,
        f"victims/{V2}/sex": "P",
        f"perpetrators/{P1}/id": P1,
        f"perpetrators/{P1}/relationships/{V1}": "ayah_tiri",
        f"perpetrators/{P1}/relationships/{V2}": "tetangga",
    }


def test_an_item_with_only_an_id_survives() -> None:
    doc = {"services": [{"id": V1}]}
    assert unflatten(flatten(doc)) == doc


def test_deleted_item_keeps_only_its_tombstone_and_unflatten_drops_it() -> None:
    doc = {"victims": [{"id": V1, "name": "A", "_deleted": True}, {"id": V2, "name": "B"}]}
    flat = flatten(doc)
    assert flat == {f"victims/{V1}/_deleted": True, f"victims/{V2}/id": V2,
                    f"victims/{V2}/name": "B"}  # fmt: skip
    assert unflatten(flat) == {"victims": [{"id": V2, "name": "B"}]}


def test_unflatten_drops_an_item_deleted_while_another_device_edited_it() -> None:
    flat: dict[str, JsonValue] = {f"victims/{V1}/_deleted": True, f"victims/{V1}/name": "late"}
    assert unflatten(flat) == {}


def test_record_tombstone_is_kept() -> None:
    assert unflatten(flatten({"_deleted": True, "kind": "case"})) == {
        "_deleted": True,
        "kind": "case",
    }


def test_unflatten_orders_items_by_id_and_skips_nulls() -> None:
    flat: dict[str, JsonValue] = {
        f"victims/{V2}/name": "second",
        f"victims/{V1}/name": "first",
        f"victims/{V1}/nik": None,
        "narrative": None,
        "violence_types": [],
    }
    assert unflatten(flat) == {"victims": [{"id": V1, "name": "first"},
                                           {"id": V2, "name": "second"}]}  # fmt: skip


def test_flatten_copies_values() -> None:
    types = ["fisik"]
    flat = flatten({"violence_types": types})
    types.append("psikis")
    assert flat["violence_types"] == ["fisik"]


@pytest.mark.parametrize(
    "doc",
    [
        {"victims": [{"name": "no id"}]},
        {"victims": [{"id": V1}, {"id": V1}]},
        {"victims": {"id": V1}},
        {"victims": ["x"]},
        {"a/b": 1},
        {"": 1},
        {"reporter": {"na/me": "x"}},
        {"when": object()},
    ],
)
def test_flatten_rejects_malformed_documents(doc: dict[str, Any]) -> None:
    with pytest.raises(MalformedDocumentError) as info:
        flatten(doc)
    assert isinstance(info.value, UserError)
    assert info.value.code == "malformed_document"


@pytest.mark.parametrize(
    "flat",
    [
        {"reporter": "x", "reporter/name": "y"},
        {f"victims/{V1}": "x"},
        {"victims": ["x"]},
        {"a//b": 1},
    ],
)
def test_unflatten_rejects_malformed_paths(flat: dict[str, JsonValue]) -> None:
    with pytest.raises(MalformedDocumentError):
        unflatten(flat)


def test_new_item_id_is_time_ordered_hex() -> None:
    before = time.time_ns() // 1_000_000
    ids = [new_item_id() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    assert all(re.fullmatch(r"[0-9a-f]{28}", i) for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert before <= int(ids[0][:12], 16) <= int(ids[-1][:12], 16) <= after + 1


def test_assign_item_ids_fills_only_missing_ids_and_copies() -> None:
    doc: dict[str, Any] = {
        "kind": "case",
        "victims": [{"id": V1, "name": "A"}, {"name": "B"}, {"id": "", "name": "C"}],
        "referrals": [{"to": "uptd_ppa"}],
    }
    out = assign_item_ids(doc)
    victims = out["victims"]
    assert isinstance(victims, list)
    assert victims[0]["id"] == V1
    assert re.fullmatch(r"[0-9a-f]{28}", victims[1]["id"])
    assert re.fullmatch(r"[0-9a-f]{28}", victims[2]["id"])
    assert victims[1]["id"] < victims[2]["id"]
    assert "id" in out["referrals"][0]  # type: ignore[index]
    assert "id" not in doc["victims"][1]  # the input is untouched
    flatten(out)  # now flattenable


# -- property: unflatten(flatten(doc)) is doc without empty values, items ordered by id ----

_key = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6).filter(
    lambda k: k not in ITEM_LISTS and k not in {"id", "_deleted"}
)
_scalar = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.floats(allow_nan=False, allow_infinity=False)
)
_atomic_list = st.lists(_scalar, max_size=3)
_value: st.SearchStrategy[Any] = st.recursive(
    _scalar | _atomic_list,
    lambda inner: st.dictionaries(_key, inner, max_size=3),
    max_leaves=8,
)
_item_id = st.text(alphabet="0123456789abcdef", min_size=4, max_size=8)


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = draw(st.dictionaries(_key, _value, max_size=5))
    for name in draw(st.lists(st.sampled_from(ITEM_LISTS), unique=True, max_size=3)):
        ids = draw(st.lists(_item_id, unique=True, max_size=3))
        doc[name] = [{"id": i, **draw(st.dictionaries(_key, _value, max_size=3))} for i in ids]
    return doc


def _normalise(value: Any) -> Any:
    """The document flatten/unflatten should give back (written independently of paths.py)."""
    if isinstance(value, dict):
        out = {k: _normalise(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    return value


def _expected(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = _normalise({k: v for k, v in doc.items() if k not in ITEM_LISTS})
    for name in ITEM_LISTS:
        items = doc.get(name) or []
        if items:
            out[name] = sorted(
                ({"id": item["id"], **_normalise(item)} for item in items),
                key=lambda item: item["id"],
            )
    return out


@given(_documents())
def test_round_trip(doc: dict[str, Any]) -> None:
    flat = flatten(doc)
    assert unflatten(flat) == _expected(doc)
    assert flatten(unflatten(flat)) == flat
    assert all(v not in (None, "", [], {}) for v in flat.values())
