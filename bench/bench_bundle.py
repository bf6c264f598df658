"""Benchmark: seal and open a bundle of 10,000 synthetic changes, next to plain zlib + JSON.

Run with ``.venv/bin/python bench/bench_bundle.py``. Builds 1,000 synthetic cases
(``simpul.synthetic.generate_cases``), flattens each (``simpul.records.paths.flatten``) and saves
it in 10 steps (``simpul.changes.diff_edits``): 10,000 changes. Prints the median of several
runs of sealing (to one recipient) and opening, beside same-run baselines — zlib-compressing the
same canonical JSON without encryption, and inflating plus parsing it (with and without the
strict ``Change.from_json``) — and the sizes, the ratios and the per-stanza overhead.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
import uuid
import zlib
from collections.abc import Callable

from simpul.bundle import (
    BundlePayload,
    EncryptionKeyPair,
    SigningKeyPair,
    encode_changes,
    open_bundle,
    seal_bundle,
    split_changes,
)
from simpul.bundle.format import _ZLIB_LEVEL
from simpul.changes import Change, ChangeId, Hlc, JsonValue, RecordState, diff_edits
from simpul.records.paths import flatten
from simpul.synthetic import generate_cases

T0 = 1_767_225_600_000


def build_changes(cases: int, saves: int, seed: int) -> list[Change]:
    """Each synthetic case saved in ``saves`` steps, every step adding a slice of its fields."""
    changes: list[Change] = []
    for index, doc in enumerate(generate_cases(cases, seed=seed)):
        flat = flatten(doc)
        state = RecordState(str(uuid.UUID(int=index + 1)), "case")
        paths = sorted(flat)
        desired: dict[str, JsonValue] = {}
        for step in range(saves):
            desired.update((path, flat[path]) for path in paths[step::saves])
            edits = diff_edits(state, desired)
            if not edits:
                continue
            change = Change(
                id=ChangeId(f"laptop-{index % 7:02d}", len(changes) + 1),
                record_id=state.record_id,
                kind="case",
                hlc=Hlc(T0 + len(changes), 0),
                author="kader-01",
                edits=edits,
            )
            state.apply(change)
            changes.append(change)
    return changes


def interleaved_medians(
    runs: dict[str, Callable[[], object]], repeat: int
) -> tuple[dict[str, float], dict[str, object]]:
    """Time every run once per round, round after round, and return the medians.

    Interleaving spreads a busy machine's noise evenly over the runs being compared, and the
    clock is this process's CPU time, which other processes on a shared machine disturb less
    than wall time (the work is single-threaded and does no I/O).
    """
    timings: dict[str, list[float]] = {name: [] for name in runs}
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            start = time.process_time()
            results[name] = run()
            timings[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in timings.items()}, results


def main() -> None:
    """Build the changes, time sealing, opening and the baselines, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    changes = build_changes(args.cases, args.saves, args.seed)
    district = EncryptionKeyPair.generate()
    recovery = EncryptionKeyPair.generate()
    device = SigningKeyPair.generate()
    trusted = {device.key_id: device.public_key}
    payload = BundlePayload(
        kind="changes",
        sender="laptop-00",
        sequence=1,
        changes=tuple(changes),
        holds={f"laptop-{n:02d}": 1_000 for n in range(7)},
    )

    def seal_one() -> bytes:
        return seal_bundle(payload, recipients=[district.public_key], signer=device)

    def seal_two() -> bytes:
        return seal_bundle(
            payload, recipients=[district.public_key, recovery.public_key], signer=device
        )

    sealed = seal_one()
    compressed = zlib.compress(encode_changes(changes), _ZLIB_LEVEL)
    times, results = interleaved_medians(
        {
            "seal": seal_one,
            "seal2": seal_two,
            "compress": lambda: zlib.compress(encode_changes(changes), _ZLIB_LEVEL),
            "open": lambda: open_bundle(sealed, recipient=district, trusted_signers=trusted),
            "inflate": lambda: json.loads(zlib.decompress(compressed)),
            "parse": lambda: [
                Change.from_json(item) for item in json.loads(zlib.decompress(compressed))
            ],
            "split": lambda: split_changes(changes, max_bundle_bytes=256 * 1024),
        },
        args.repeat,
    )
    sealed_two = results["seal2"]
    assert isinstance(sealed_two, bytes)
    assert getattr(results["open"], "changes", None) == tuple(changes)
    assert results["parse"] == list(changes)
    parts = results["split"]
    assert isinstance(parts, list)
    raw = encode_changes(changes)
    seal_s, seal2_s, compress_s = times["seal"], times["seal2"], times["compress"]
    open_s, inflate_s, parse_s, split_s = (
        times["open"],
        times["inflate"],
        times["parse"],
        times["split"],
    )
    part_sizes = [
        len(
            seal_bundle(
                BundlePayload(kind="changes", sender="laptop-00", sequence=1, changes=tuple(p)),
                recipients=[district.public_key],
                signer=device,
            )
        )
        for p in parts
    ]

    edits = sum(len(change.edits) for change in changes)
    print(f"changes:                  {len(changes)} ({edits} field edits, {args.cases} cases)")
    print(f"runs:                     {args.repeat}, interleaved (median CPU time)")
    print(f"canonical JSON:           {len(raw):,} bytes")
    print(f"zlib (level {_ZLIB_LEVEL}):             {len(compressed):,} bytes")
    print(
        f"sealed bundle:            {len(sealed):,} bytes "
        f"(+{len(sealed) - len(compressed):,} over zlib, "
        f"{len(sealed) / len(compressed):.3f}x)"
    )
    print(f"per-stanza overhead:      {len(sealed_two) - len(sealed):,} bytes per extra recipient")
    print(f"seal, 1 recipient:        {seal_s * 1000:.0f} ms")
    print(f"seal, 2 recipients:       {seal2_s * 1000:.0f} ms")
    print(f"baseline JSON + zlib:     {compress_s * 1000:.0f} ms")
    print(f"ratio seal / baseline:    {seal_s / compress_s:.2f}x")
    print(f"open (strict):            {open_s * 1000:.0f} ms")
    print(f"baseline inflate + json:  {inflate_s * 1000:.0f} ms")
    print(f"  + Change.from_json:     {parse_s * 1000:.0f} ms")
    print(f"ratio open / inflate+json:        {open_s / inflate_s:.2f}x")
    print(f"ratio open / inflate+json+parse:  {open_s / parse_s:.2f}x")
    print(
        f"split at 256 KiB:         {len(parts)} bundles in {split_s * 1000:.0f} ms, "
        f"largest {max(part_sizes):,} bytes ({max(part_sizes) / (256 * 1024):.1%} of the cap)"
    )


if __name__ == "__main__":
    main()
