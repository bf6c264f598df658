"""Benchmark: apply 100,000 changes to an empty Replica, next to a plain dict-of-dicts baseline.

Run with ``.venv/bin/python bench/bench_merge.py``. Builds 10,000 records × 10 changes from 5
devices (1–4 edits each, preds as the saving device saw them, about 5% concurrent edits), then
prints the median of several runs of applying them, the same-run baseline of inserting the same
``(record, path, value)`` triples into a dict of dicts, and the ratio between the two.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable

from simpul.changes import Change, ChangeId, FieldEdit, Hlc, JsonValue, Replica

T0 = 1_767_225_600_000
PATHS = (
    "status",
    "narrative",
    "reported_on",
    "place",
    "violence_types",
    "victims/{v}/name",
    "victims/{v}/age",
    "victims/{v}/sex",
    "perpetrators/{p}/relationships/{v}",
    "services/{s}/type",
    "referrals/{s}/status",
)
VALUES: tuple[JsonValue, ...] = (
    "dicatat",
    "ditangani",
    "selesai",
    14,
    True,
    ["fisik", "psikis"],
    "Kronologi kejadian singkat.",
)


def build_changes(
    *, records: int, changes_per_record: int, devices: int, seed: int
) -> list[Change]:
    """Make a realistic, shuffled stream of changes with correct preds."""
    rng = random.Random(seed)
    counters = dict.fromkeys(range(devices), 0)
    stream: list[Change] = []
    for record_index in range(records):
        record_id = f"rec-{record_index:06d}"
        victim, perpetrator, item = f"v{record_index}a", f"p{record_index}a", f"s{record_index}a"
        heads: dict[str, set[ChangeId]] = {}
        for step in range(changes_per_record):
            device = rng.randrange(devices)
            counters[device] += 1
            change_id = ChangeId(f"device-{device:02d}", counters[device])
            paths = {
                rng.choice(PATHS).format(v=victim, p=perpetrator, s=item)
                for _ in range(rng.randint(1, 4))
            }
            concurrent = rng.random() < 0.05
            edits = []
            for path in sorted(paths):
                seen = heads.setdefault(path, set())
                # Overwrite what this device saw; a concurrent edit saw nothing of this path.
                pred = frozenset(() if concurrent else seen)
                edits.append(FieldEdit(path, rng.choice(VALUES), pred))
                seen.difference_update(pred)
                seen.add(change_id)
            stream.append(
                Change(
                    id=change_id,
                    record_id=record_id,
                    kind="case",
                    hlc=Hlc(T0 + record_index * 1_000 + step, 0),
                    author=f"user-{device}",
                    edits=tuple(edits),
                )
            )
    rng.shuffle(stream)
    return stream


def apply_to_replica(changes: list[Change]) -> object:
    replica = Replica()
    for change in changes:
        replica.apply(change)
    return replica


def insert_into_dicts(changes: list[Change]) -> object:
    records: dict[str, dict[str, JsonValue]] = {}
    for change in changes:
        fields = records.setdefault(change.record_id, {})
        for edit in change.edits:
            fields[edit.path] = edit.value
    return records


def median_seconds(
    run: Callable[[list[Change]], object], changes: list[Change], repeat: int
) -> float:
    timings = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run(changes)
        timings.append(time.perf_counter() - start)
        del result
    return statistics.median(timings)


def main() -> None:
    """Build the changes, time both loops and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--changes-per-record", type=int, default=10)
    parser.add_argument("--devices", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    changes = build_changes(
        records=args.records,
        changes_per_record=args.changes_per_record,
        devices=args.devices,
        seed=args.seed,
    )
    edits = sum(len(change.edits) for change in changes)
    replica = Replica()
    for change in changes:
        replica.apply(change)
    conflicts = sum(len(state.conflicts()) for state in replica.records())

    merge = median_seconds(apply_to_replica, changes, args.repeat)
    baseline = median_seconds(insert_into_dicts, changes, args.repeat)
    print(f"changes:             {len(changes)}")
    print(f"records:             {len(replica)}")
    print(f"field edits:         {edits}")
    print(f"conflicted fields:   {conflicts}")
    print(f"runs:                {args.repeat} (median)")
    print(f"Replica.apply:       {merge:.3f} s  ({len(changes) / merge:,.0f} changes/s)")
    print(f"dict-of-dicts:       {baseline:.3f} s  ({len(changes) / baseline:,.0f} changes/s)")
    print(f"ratio:               {merge / baseline:.1f}x")


if __name__ == "__main__":
    main()
