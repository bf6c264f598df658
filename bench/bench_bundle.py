"""Benchmark: seal and open a bundle of 10,000 synthetic cases; its size against the floor.

Run with ``.venv/bin/python bench/bench_bundle.py``. A synthetic laptop
(``district.testing.SyntheticDevice``) records 10,000 cases (``simpul.synthetic``), one change
each, as a focal point's first sync carries them. Prints:

- **size**: the sealed bundle in each suite (2: Zstandard, written now; 1: zlib, still read)
  against the **floor** of issue 3 — gzip (level 6) of the same records as plain JSON
  documents — and the same changes as a sync sends them (4 MiB bundles);
- **speed**: the median CPU time of several interleaved runs of sealing (to one recipient)
  and opening, beside same-run baselines: compressing the same canonical JSON with the suite's
  codec without encryption, and inflating plus ``json.loads`` (and plus ``Change.from_json``).

One bundle of 10,000 cases is ~68 MB of JSON, over a receiver's 64 MiB inflate limit, so it is
sealed and opened here under raised limits; a real sync splits it (the "as a sync" line).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import statistics
import time
from collections.abc import Callable

from district.testing import SyntheticDevice
from simpul.bundle import (
    SUITE_V1,
    SUITE_V2,
    BundlePayload,
    EncryptionKeyPair,
    Limits,
    SigningKeyPair,
    encode_changes,
    open_bundle,
    seal_bundle,
    split_compressed,
)
from simpul.bundle.format import body_codec
from simpul.changes import Change
from simpul.records import unflatten

VILLAGE = "33.27.08.2012"
SYNC_BUNDLE_BYTES = 4 * 1024 * 1024  # desktop.sync.outbox.DEFAULT_BUNDLE_BYTES
TARGET = 1.3  # issue 3: sealed size at most 1.3x the floor
ROOMY = Limits(max_bundle_bytes=2**31, max_payload_bytes=2**31)


def plain_records(changes: list[Change]) -> bytes:
    """The records the changes make, as plain JSON documents (what the floor compresses)."""
    docs = [
        {"id": c.record_id, "kind": c.kind, **unflatten({e.path: e.value for e in c.edits})}
        for c in changes
    ]
    return json.dumps(docs, ensure_ascii=False).encode()


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
    """Record the cases, measure sizes, time sealing, opening and the baselines, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    laptop = SyntheticDevice(VILLAGE)
    changes = laptop.new_cases(args.cases, seed=args.seed)
    district = EncryptionKeyPair.generate()
    device = SigningKeyPair.generate()
    trusted = {device.key_id: device.public_key}
    payload = BundlePayload(
        kind="changes", sender=laptop.device_id, sequence=1, changes=tuple(changes)
    )
    raw = encode_changes(changes)
    floor = len(gzip.compress(plain_records(changes), compresslevel=6, mtime=0))

    def seal(suite: int) -> Callable[[], bytes]:
        return lambda: seal_bundle(
            payload, recipients=[district.public_key], signer=device, limits=ROOMY, suite=suite
        )

    sealed = {suite: seal(suite)() for suite in (SUITE_V2, SUITE_V1)}
    compressed = {suite: body_codec(suite).compress(raw) for suite in sealed}
    runs: dict[str, Callable[[], object]] = {}
    for suite in sealed:
        codec = body_codec(suite)
        data, body = sealed[suite], compressed[suite]
        runs |= {
            f"seal{suite}": seal(suite),
            f"compress{suite}": lambda codec=codec: codec.compress(encode_changes(changes)),
            f"open{suite}": lambda data=data: open_bundle(
                data, recipient=district, trusted_signers=trusted, limits=ROOMY
            ),
            f"inflate{suite}": lambda codec=codec, body=body: json.loads(
                codec.inflate(body, ROOMY.max_payload_bytes)
            ),
            f"parse{suite}": lambda codec=codec, body=body: [
                Change.from_json(item)
                for item in json.loads(codec.inflate(body, ROOMY.max_payload_bytes))
            ],
        }
    times, results = interleaved_medians(runs, args.repeat)
    for suite in sealed:
        assert getattr(results[f"open{suite}"], "changes", None) == tuple(changes)
        assert results[f"parse{suite}"] == list(changes)

    start = time.process_time()
    parts = split_compressed(changes, max_bundle_bytes=SYNC_BUNDLE_BYTES)
    split_s = time.process_time() - start
    part_sizes = [
        len(
            seal_bundle(
                BundlePayload(
                    kind="changes", sender=laptop.device_id, sequence=k + 1, changes=part.changes
                ),
                recipients=[district.public_key],
                signer=device,
                body=part,
            )
        )
        for k, part in enumerate(parts)
    ]

    n = len(changes)
    print(f"cases:                    {n:,} (one change each, {len(raw):,} bytes of JSON)")
    print(f"runs:                     {args.repeat}, interleaved (median CPU time)")
    print(f"floor, gzip -6 of the records as plain JSON: {floor:,} bytes ({floor / n:.0f} B/case)")
    for suite, name in ((SUITE_V2, "suite 2, zstd"), (SUITE_V1, "suite 1, zlib")):
        size = len(sealed[suite])
        verdict = "meets" if size <= TARGET * floor else "misses"
        print(
            f"sealed, {name}:    {size:,} bytes ({size / n:.0f} B/case), "
            f"{size / floor:.2f}x the floor ({verdict} <= {TARGET}x); "
            f"+{size - len(compressed[suite]):,} over the bare body"
        )
    total = sum(part_sizes)
    print(
        f"as a sync sends them:     {len(parts)} bundles of <= 4 MiB, {total:,} bytes, "
        f"{total / floor:.2f}x the floor; split in {split_s * 1000:.0f} ms "
        f"(largest {max(part_sizes) / SYNC_BUNDLE_BYTES:.1%} of the cap)"
    )
    for suite, name in ((SUITE_V2, "zstd"), (SUITE_V1, "zlib")):
        seal_s, compress_s = times[f"seal{suite}"], times[f"compress{suite}"]
        open_s, inflate_s, parse_s = (
            times[f"open{suite}"],
            times[f"inflate{suite}"],
            times[f"parse{suite}"],
        )
        print(f"suite {suite} ({name}):")
        print(
            f"  seal:  {seal_s * 1000:5.0f} ms   baseline JSON + {name}: "
            f"{compress_s * 1000:5.0f} ms   ratio {seal_s / compress_s:.2f}x"
        )
        print(
            f"  open:  {open_s * 1000:5.0f} ms   baseline inflate + json: "
            f"{inflate_s * 1000:5.0f} ms ({open_s / inflate_s:.2f}x), "
            f"+ Change.from_json: {parse_s * 1000:5.0f} ms"
            f" ({open_s / parse_s:.2f}x)"
        )
    print(
        f"suite 2 against suite 1:  size {len(sealed[SUITE_V2]) / len(sealed[SUITE_V1]):.2f}x, "
        f"seal {times['seal2'] / times['seal1']:.2f}x, open {times['open2'] / times['open1']:.2f}x"
    )


if __name__ == "__main__":
    main()
