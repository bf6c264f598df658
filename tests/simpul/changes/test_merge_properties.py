"""Property tests of the merge rule (DESIGN.md §3) on simulated devices exchanging changes.

Several devices edit a few records, each with preds taken from what it has seen, and pass
arbitrary subsets of their changes to each other in arbitrary orders. Every replica is checked
against a brute-force model of the rule computed from the set of changes it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.changes import (
    MAX_SKEW_MS,
    Change,
    ChangeId,
    Hlc,
    HybridClock,
    JsonValue,
    RecordState,
    Replica,
    diff_edits,
)

T0 = 1_767_225_600_000
TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000
RECORDS = ("rec-1", "rec-2")
PATHS = (
    "status",
    "narrative",
    "violence_types",
    "victims/v1/name",
    "victims/v1/_deleted",
    "victims/v2/name",
    "_deleted",
)
VALUES: st.SearchStrategy[JsonValue] = (
    st.none()
    | st.sampled_from(["dicatat", "ditangani", "selesai"])
    | st.integers(min_value=0, max_value=3)
    | st.booleans()
    | st.lists(st.sampled_from(["fisik", "psikis"]), max_size=2)
)
PROPERTY_SETTINGS = settings(max_examples=120, deadline=None)


class FakeTime:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@dataclass
class Device:
    """A simulated laptop: its replica, clock and the set of changes it holds."""

    name: str
    time: FakeTime
    clock: HybridClock
    replica: Replica = field(default_factory=Replica)
    held: dict[ChangeId, Change] = field(default_factory=dict)
    counter: int = 0

    @classmethod
    def create(cls, name: str, offset_ms: int = 0) -> Device:
        time = FakeTime(T0 + offset_ms)
        return cls(name, time, HybridClock(now_ms=time))

    def save(
        self, record_id: str, updates: dict[str, JsonValue], *, resolve: bool = False
    ) -> Change | None:
        """Edit a record as a person would: start from what is shown, change some fields."""
        state = self.replica.record(record_id)
        desired = state.flat() if state is not None else {}
        for path, value in updates.items():
            if value is None:
                desired.pop(path, None)
            else:
                desired[path] = value
        conflicts = state.conflicts() if state is not None and resolve else []
        edits = diff_edits(state, desired, resolve=conflicts)
        if not edits:
            return None
        self.counter += 1
        change = Change(
            id=ChangeId(self.name, self.counter),
            record_id=record_id,
            kind="case",
            hlc=self.clock.tick(),
            author=f"user-{self.name}",
            edits=edits,
        )
        self.receive([change])
        return change

    def receive(self, changes: Iterable[Change]) -> None:
        for change in changes:
            self.clock.observe(change.hlc)
            self.replica.apply(change)
            self.held[change.id] = change


def model_heads(
    changes: Iterable[Change], record_id: str, path: str
) -> list[tuple[Hlc, ChangeId, JsonValue]]:
    """The rule written down directly: setters of the path minus every id named in their pred."""
    setters = [
        (change, edit)
        for change in changes
        if change.record_id == record_id
        for edit in change.edits
        if edit.path == path
    ]
    overwritten = {pred for _, edit in setters for pred in edit.pred}
    heads = [(c.hlc, c.id, e.value) for c, e in setters if c.id not in overwritten]
    heads.sort(key=lambda head: (head[0], head[1]), reverse=True)
    return heads


def state_heads(state: RecordState | None, path: str) -> list[tuple[Hlc, ChangeId, JsonValue]]:
    if state is None:
        return []
    return [(head.hlc, head.change_id, head.value) for head in state.heads(path)]


def check_against_model(replica: Replica, changes: Sequence[Change]) -> None:
    for record_id in RECORDS:
        state = replica.record(record_id)
        expected_paths = []
        expected_conflicts = []
        for path in sorted(PATHS):
            expected = model_heads(changes, record_id, path)
            # No value is lost: every setter no known change overwrote is a head, and
            # nothing else is; the displayed value is the highest (hlc, change_id).
            assert state_heads(state, path) == expected, (record_id, path)
            if expected:
                expected_paths.append(path)
            if len(expected) > 1:
                expected_conflicts.append(path)
        if state is not None:
            assert state.paths() == expected_paths
            assert state.conflicts() == expected_conflicts
            assert state.change_ids == {c.id for c in changes if c.record_id == record_id}


def snapshots(replica: Replica) -> dict[str, dict[str, JsonValue]]:
    return {state.record_id: state.snapshot() for state in replica.records()}


def deliver(data: st.DataObject, changes: Sequence[Change]) -> list[Change]:
    """Any order of ``changes``, with any of them repeated."""
    extra = data.draw(st.lists(st.sampled_from(changes), max_size=len(changes))) if changes else []
    return data.draw(st.permutations([*changes, *extra]))


def simulate(data: st.DataObject) -> list[Device]:
    """Devices edit and exchange subsets of what they hold, for a random number of steps."""
    offsets = data.draw(
        st.lists(st.sampled_from([0, 0, -60_000, 90_000, TEN_YEARS_MS]), min_size=2, max_size=4),
        label="clock offsets",
    )
    devices = [Device.create(f"d{index}", offset) for index, offset in enumerate(offsets)]
    device_ids = st.integers(min_value=0, max_value=len(devices) - 1)
    for _ in range(data.draw(st.integers(min_value=4, max_value=30), label="steps")):
        elapsed = data.draw(st.integers(min_value=0, max_value=2_000), label="elapsed ms")
        for device in devices:
            device.time.now += elapsed
        if data.draw(st.sampled_from(["edit", "edit", "sync"])) == "edit":
            device = devices[data.draw(device_ids)]
            updates = data.draw(
                st.dictionaries(st.sampled_from(PATHS), VALUES, min_size=1, max_size=3)
            )
            device.save(
                data.draw(st.sampled_from(RECORDS)),
                updates,
                resolve=data.draw(st.booleans(), label="resolve?"),
            )
        else:
            source, target = devices[data.draw(device_ids)], devices[data.draw(device_ids)]
            held = sorted(source.held.values(), key=lambda change: change.id)
            subset = data.draw(
                st.lists(st.sampled_from(held), unique_by=lambda c: c.id) if held else st.just([])
            )
            target.receive(deliver(data, subset))
    return devices


@PROPERTY_SETTINGS
@given(st.data())
def test_every_replica_matches_the_rule_for_the_set_it_holds(data: st.DataObject) -> None:
    for device in simulate(data):
        check_against_model(device.replica, list(device.held.values()))


@PROPERTY_SETTINGS
@given(st.data())
def test_any_order_and_duplication_gives_the_same_snapshot_everywhere(
    data: st.DataObject,
) -> None:
    devices = simulate(data)
    everything = sorted(
        {c.id: c for d in devices for c in d.held.values()}.values(), key=lambda change: change.id
    )
    reference = Replica()
    for change in everything:
        reference.apply(change)
    check_against_model(reference, everything)
    expected = snapshots(reference)

    for device in devices:
        device.receive(deliver(data, everything))
        assert snapshots(device.replica) == expected

    fresh = Replica()
    applied = [fresh.apply(change) for change in deliver(data, everything)]
    assert applied.count(True) == len(everything)
    assert snapshots(fresh) == expected


@PROPERTY_SETTINGS
@given(st.data())
def test_concurrent_edits_are_flagged_and_a_resolving_change_clears_them(
    data: st.DataObject,
) -> None:
    devices = simulate(data)
    # Two devices that have not talked edit the same field: always a conflict.
    left, right = Device.create("left"), Device.create("right")
    record = data.draw(st.sampled_from(RECORDS))
    path = data.draw(st.sampled_from(PATHS))
    first = left.save(record, {path: "versi kiri"})
    second = right.save(record, {path: "versi kanan"})
    assert first is not None and second is not None
    devices += [left, right]

    everything = [c for d in devices for c in d.held.values()]
    for device in devices:
        device.receive(deliver(data, everything))
        state = device.replica.record(record)
        assert state is not None
        assert path in state.conflicts()

    resolver = devices[data.draw(st.integers(min_value=0, max_value=len(devices) - 1))]
    resolution = resolver.save(record, {}, resolve=True)
    assert resolution is not None
    for device in devices:
        device.receive([resolution])
        state = device.replica.record(record)
        assert state is not None
        assert state.conflicts() == []
        assert state.heads(path)[0].change_id == resolution.id
        check_against_model(device.replica, list(device.held.values()))


@PROPERTY_SETTINGS
@given(
    data=st.data(),
    future_ms=st.integers(min_value=TEN_YEARS_MS, max_value=2 * TEN_YEARS_MS),
    path=st.sampled_from(PATHS),
    value_a=st.sampled_from(["dari A", "ditangani"]),
    value_b=st.sampled_from(["dari B", "selesai"]),
)
def test_a_clock_far_in_the_future_does_not_win_forever(
    data: st.DataObject, future_ms: int, path: str, value_a: str, value_b: str
) -> None:
    device_a = Device.create("a", offset_ms=future_ms)
    device_b = Device.create("b")
    device_c = Device.create("c", offset_ms=data.draw(st.sampled_from([0, -60_000, 60_000])))
    base = device_c.save(RECORDS[0], {path: "awal"})
    assert base is not None
    device_a.receive([base])
    edit_a = device_a.save(RECORDS[0], {path: value_a})
    assert edit_a is not None
    assert edit_a.hlc.wall >= T0 + future_ms

    device_b.time.now += data.draw(st.integers(min_value=0, max_value=3_600_000))
    device_b.receive(deliver(data, [base, edit_a]))
    # B's clock observed A's far-future stamp but stays within the skew bound.
    assert device_b.clock.last.wall <= device_b.time.now + MAX_SKEW_MS
    edit_b = device_b.save(RECORDS[0], {path: value_b})
    assert edit_b is not None
    assert edit_b.hlc.wall <= device_b.time.now + MAX_SKEW_MS
    assert edit_b.hlc < edit_a.hlc  # B's stamp is older, and B still wins: it saw A's value

    everything = [base, edit_a, edit_b]
    for device in (device_a, device_b, device_c):
        device.receive(deliver(data, everything))
        state = device.replica.record(RECORDS[0])
        assert state is not None
        assert [head.change_id for head in state.heads(path)] == [edit_b.id]
        assert state.value(path) == value_b
        assert state.conflicts() == []
    assert device_c.clock.last.wall <= device_c.time.now + MAX_SKEW_MS
