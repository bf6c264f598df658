"""Unit tests for the merge rule: heads, conflicts, resolution, tombstones, diff_edits."""

from __future__ import annotations

import pytest

from simpul.changes import (
    DELETED,
    Change,
    ChangeError,
    ChangeId,
    FieldEdit,
    Head,
    Hlc,
    JsonValue,
    RecordState,
    Replica,
    diff_edits,
)

RECORD = "rec-1"
T0 = 1_767_225_600_000


def cid(text: str) -> ChangeId:
    return ChangeId.parse(text)


def change(
    change_id: str,
    edits: dict[str, JsonValue],
    *,
    pred: dict[str, list[str]] | None = None,
    wall: int = T0,
    record: str = RECORD,
    kind: str = "case",
) -> Change:
    """Make a change; ``pred`` maps a path to the ids its edit overwrites."""
    pred = pred or {}
    return Change(
        id=cid(change_id),
        record_id=record,
        kind=kind,
        hlc=Hlc(wall, 0),
        author="tester",
        edits=tuple(
            FieldEdit(path, value, frozenset(cid(p) for p in pred.get(path, [])))
            for path, value in edits.items()
        ),
    )


def state_of(*changes: Change) -> RecordState:
    state = RecordState(RECORD, "case")
    for item in changes:
        state.apply(item)
    return state


def head_ids(state: RecordState, path: str) -> list[str]:
    return [str(head.change_id) for head in state.heads(path)]


def test_single_edit_is_the_value() -> None:
    state = state_of(change("a:1", {"status": "dicatat", "village": "33.27.08.2012"}))
    assert state.value("status") == "dicatat"
    assert state.heads("status") == (Head(cid("a:1"), Hlc(T0, 0), "dicatat"),)
    assert state.paths() == ["status", "village"]
    assert state.conflicts() == []
    assert state.flat() == {"status": "dicatat", "village": "33.27.08.2012"}
    assert state.change_ids == {cid("a:1")}


def test_unknown_path_has_no_value() -> None:
    state = state_of(change("a:1", {"status": "dicatat"}))
    assert state.value("narrative") is None
    assert state.heads("narrative") == ()


def test_apply_is_idempotent() -> None:
    first = change("a:1", {"status": "dicatat"})
    second = change("a:2", {"status": "ditangani"}, pred={"status": ["a:1"]})
    state = RecordState(RECORD, "case")
    assert state.apply(first) is True
    assert state.apply(second) is True
    before = state.snapshot()
    assert state.apply(first) is False
    assert state.apply(second) is False
    assert state.apply(change("a:2", {"status": "ditangani"}, pred={"status": ["a:1"]})) is False
    assert state.snapshot() == before
    assert state.value("status") == "ditangani"


def test_sequential_edit_overwrites() -> None:
    state = state_of(
        change("a:1", {"status": "dicatat"}),
        change("b:1", {"status": "ditangani"}, pred={"status": ["a:1"]}, wall=T0 - 60_000),
    )
    # b saw a's value, so it wins whatever the clocks say.
    assert head_ids(state, "status") == ["b:1"]
    assert state.value("status") == "ditangani"
    assert state.conflicts() == []


def test_concurrent_edits_keep_both_heads_and_are_flagged() -> None:
    base = change("a:1", {"status": "dicatat"})
    left = change("a:2", {"status": "ditangani"}, pred={"status": ["a:1"]}, wall=T0 + 10)
    right = change("b:1", {"status": "selesai"}, pred={"status": ["a:1"]}, wall=T0 + 20)
    state = state_of(base, left, right)
    assert head_ids(state, "status") == ["b:1", "a:2"]
    assert state.value("status") == "selesai"
    assert state.conflicts() == ["status"]
    assert state.flat()["status"] == "selesai"


def test_equal_clocks_are_broken_by_change_id() -> None:
    state = state_of(
        change("b:1", {"status": "selesai"}, wall=T0),
        change("a:1", {"status": "dicatat"}, wall=T0),
    )
    assert head_ids(state, "status") == ["b:1", "a:1"]
    assert state.value("status") == "selesai"


def test_later_clock_beats_higher_change_id() -> None:
    state = state_of(
        change("b:1", {"status": "selesai"}, wall=T0),
        change("a:1", {"status": "dicatat"}, wall=T0 + 1),
    )
    assert state.value("status") == "dicatat"


def test_resolving_change_clears_the_flag() -> None:
    state = state_of(
        change("a:1", {"status": "ditangani"}),
        change("b:1", {"status": "selesai"}),
    )
    assert state.conflicts() == ["status"]
    resolution = change("c:1", {"status": "ditangani"}, pred={"status": ["a:1", "b:1"]}, wall=0)
    assert state.apply(resolution)
    assert state.conflicts() == []
    assert head_ids(state, "status") == ["c:1"]
    assert state.value("status") == "ditangani"


def test_partial_resolution_keeps_the_flag() -> None:
    state = state_of(
        change("a:1", {"status": "ditangani"}),
        change("b:1", {"status": "selesai"}),
        change("c:1", {"status": "rujuk"}, pred={"status": ["a:1"]}),
    )
    assert sorted(head_ids(state, "status")) == ["b:1", "c:1"]
    assert state.conflicts() == ["status"]


def test_edits_to_different_victims_never_conflict() -> None:
    base = change("a:1", {"victims/v1/name": "Siti", "victims/v2/name": "Ani"})
    state = state_of(
        base,
        change("a:2", {"victims/v1/age": 14}, pred={}),
        change(
            "b:1",
            {"victims/v2/age": 9, "victims/v2/name": "Ani R."},
            pred={"victims/v2/name": ["a:1"]},
        ),
    )
    assert state.conflicts() == []
    assert state.flat() == {
        "victims/v1/age": 14,
        "victims/v1/name": "Siti",
        "victims/v2/age": 9,
        "victims/v2/name": "Ani R.",
    }


def test_pred_is_per_path() -> None:
    # c overwrites a's status but not a's narrative.
    state = state_of(
        change("a:1", {"status": "dicatat", "narrative": "kronologi"}),
        change("c:1", {"status": "ditangani", "narrative": "lain"}, pred={"status": ["a:1"]}),
    )
    assert head_ids(state, "status") == ["c:1"]
    assert sorted(head_ids(state, "narrative")) == ["a:1", "c:1"]
    assert state.conflicts() == ["narrative"]


def test_pred_naming_a_change_not_yet_received() -> None:
    older = change("a:1", {"status": "dicatat"}, wall=T0 + 50_000)
    newer = change("b:1", {"status": "ditangani"}, pred={"status": ["a:1"]}, wall=T0)
    state = state_of(newer)
    assert head_ids(state, "status") == ["b:1"]
    assert state.apply(older)
    assert head_ids(state, "status") == ["b:1"]
    assert state.value("status") == "ditangani"
    assert state.conflicts() == []
    assert state.snapshot() == state_of(older, newer).snapshot()


def test_cleared_field_is_a_head_but_not_in_flat() -> None:
    state = state_of(
        change("a:1", {"narrative": "kronologi"}),
        change("a:2", {"narrative": None}, pred={"narrative": ["a:1"]}),
    )
    assert state.value("narrative") is None
    assert head_ids(state, "narrative") == ["a:2"]
    assert "narrative" in state.paths()
    assert state.flat() == {}


def test_clear_concurrent_with_an_edit_is_a_conflict() -> None:
    state = state_of(
        change("a:1", {"narrative": "kronologi"}),
        change("a:2", {"narrative": None}, pred={"narrative": ["a:1"]}, wall=T0 + 1),
        change("b:1", {"narrative": "versi b"}, pred={"narrative": ["a:1"]}, wall=T0),
    )
    assert state.conflicts() == ["narrative"]
    assert state.value("narrative") is None
    assert [head.value for head in state.heads("narrative")] == [None, "versi b"]


def test_record_tombstone() -> None:
    state = state_of(change("a:1", {"status": "dicatat"}))
    assert state.deleted is False
    state.apply(change("a:2", {DELETED: True}))
    assert state.deleted is True
    assert state.flat() == {DELETED: True, "status": "dicatat"}
    state.apply(change("a:3", {DELETED: False}, pred={DELETED: ["a:2"]}))
    assert state.deleted is False


def test_item_tombstone_concurrent_with_an_item_edit_is_flagged() -> None:
    base = change("a:1", {"victims/v1/name": "Siti", "victims/v2/name": "Ani"})
    remove = change(
        "a:2",
        {"victims/v1/_deleted": True, "victims/v1/name": None},
        pred={"victims/v1/name": ["a:1"]},
        wall=T0 + 5,
    )
    rename = change("b:1", {"victims/v1/name": "Siti A."}, pred={"victims/v1/name": ["a:1"]})
    state = state_of(base, remove, rename)
    assert state.value("victims/v1/_deleted") is True
    assert state.deleted is False
    assert state.conflicts() == ["victims/v1/name"]
    assert state.value("victims/v1/name") is None
    assert "Siti A." in [head.value for head in state.heads("victims/v1/name")]
    assert state.value("victims/v2/name") == "Ani"


def test_apply_refuses_another_record_or_kind() -> None:
    state = state_of(change("a:1", {"status": "dicatat"}))
    with pytest.raises(ChangeError, match="belongs to record"):
        state.apply(change("a:2", {"status": "x"}, record="rec-2"))
    with pytest.raises(ChangeError, match="kind"):
        state.apply(change("a:2", {"status": "x"}, kind="outreach"))
    assert state.change_ids == {cid("a:1")}


def test_apply_refuses_a_reused_id_with_other_content() -> None:
    state = state_of(change("a:1", {"status": "dicatat"}))
    with pytest.raises(ChangeError, match="other content"):
        state.apply(change("a:1", {"status": "selesai"}))
    assert state.value("status") == "dicatat"


def test_snapshot_is_plain_json_winner_first() -> None:
    state = state_of(
        change("a:1", {"status": "ditangani", "violence_types": ["fisik"]}, wall=T0),
        change("b:1", {"status": "selesai"}, wall=T0 + 1),
    )
    assert state.snapshot() == {
        "record_id": RECORD,
        "kind": "case",
        "heads": {
            "status": [
                ["b", 1, Hlc(T0 + 1, 0).encode(), "selesai"],
                ["a", 1, Hlc(T0, 0).encode(), "ditangani"],
            ],
            "violence_types": [["a", 1, Hlc(T0, 0).encode(), ["fisik"]]],
        },
    }


def test_returned_values_are_copies() -> None:
    state = state_of(change("a:1", {"violence_types": ["fisik"]}))
    value = state.value("violence_types")
    assert isinstance(value, list)
    value.append("psikis")
    flat = state.flat()
    assert isinstance(flat["violence_types"], list)
    flat["violence_types"].append("seksual")
    assert state.value("violence_types") == ["fisik"]


def test_replica_routes_changes_to_records() -> None:
    replica = Replica()
    assert len(replica) == 0
    assert replica.apply(change("a:1", {"status": "dicatat"}, record="r1"))
    assert replica.apply(change("a:2", {"title": "Sosialisasi"}, record="r2", kind="outreach"))
    assert not replica.apply(change("a:1", {"status": "dicatat"}, record="r1"))
    assert len(replica) == 2
    assert [state.record_id for state in replica.records()] == ["r1", "r2"]
    r2 = replica.record("r2")
    assert r2 is not None
    assert r2.kind == "outreach"
    assert replica.record("r3") is None


def test_replica_refuses_an_id_reused_across_records() -> None:
    replica = Replica()
    replica.apply(change("a:1", {"status": "dicatat"}, record="r1"))
    with pytest.raises(ChangeError, match="another record"):
        replica.apply(change("a:1", {"status": "dicatat"}, record="r2"))
    assert replica.record("r2") is None
    with pytest.raises(ChangeError, match="kind"):
        replica.apply(change("a:2", {"status": "dicatat"}, record="r1", kind="outreach"))


# --- diff_edits ---------------------------------------------------------------------------


def test_diff_edits_for_a_new_record() -> None:
    edits = diff_edits(None, {"status": "dicatat", "code": "PML-0812-2026-0007", "x": None})
    assert edits == (
        FieldEdit("code", "PML-0812-2026-0007", frozenset()),
        FieldEdit("status", "dicatat", frozenset()),
    )


def test_diff_edits_emits_only_changed_paths_with_all_heads_as_pred() -> None:
    state = state_of(
        change("a:1", {"status": "dicatat", "narrative": "n", "village": "33.27.08.2012"}),
        change("b:1", {"status": "selesai"}),
    )
    desired: dict[str, JsonValue] = {
        "status": "ditangani",
        "village": "33.27.08.2012",
        "online": True,
    }
    assert diff_edits(state, desired) == (
        FieldEdit("narrative", None, frozenset({cid("a:1")})),
        FieldEdit("online", True, frozenset()),
        FieldEdit("status", "ditangani", frozenset({cid("a:1"), cid("b:1")})),
    )


def test_diff_edits_leaves_an_unchanged_conflict_unless_resolved() -> None:
    state = state_of(
        change("a:1", {"status": "ditangani"}, wall=T0),
        change("b:1", {"status": "selesai"}, wall=T0 + 1),
    )
    assert diff_edits(state, state.flat()) == ()
    edits = diff_edits(state, state.flat(), resolve=["status", "never-seen"])
    assert edits == (FieldEdit("status", "selesai", frozenset({cid("a:1"), cid("b:1")})),)
    state.apply(Change(cid("c:1"), RECORD, "case", Hlc(T0, 0), "tester", edits))
    assert state.conflicts() == []
    assert state.value("status") == "selesai"


def test_diff_edits_compares_as_json() -> None:
    state = state_of(change("a:1", {"online": 1, "count": 2, "tags": ["a", 1]}))
    desired: dict[str, JsonValue] = {"online": True, "count": 2.0, "tags": ["a", 1]}
    assert [edit.path for edit in diff_edits(state, desired)] == ["count", "online"]


def test_diff_then_apply_reaches_the_desired_state() -> None:
    state = state_of(
        change("a:1", {"status": "dicatat", "victims/v1/name": "Siti", "narrative": "n"}),
        change("b:1", {"status": "selesai"}),
    )
    desired: dict[str, JsonValue] = {
        "status": "ditangani",
        "victims/v1/name": "Siti",
        "victims/v1/age": 12,
    }
    edits = diff_edits(state, desired, resolve=state.conflicts())
    state.apply(Change(cid("a:2"), RECORD, "case", Hlc(T0, 9), "tester", edits))
    assert state.flat() == desired
    assert state.conflicts() == []
