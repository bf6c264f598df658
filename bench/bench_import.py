"""Benchmark of the district import: 10,000 synthetic cases into SQLite (and PostgreSQL).

The figure is printed next to a baseline measured in the same run: a bare ``executemany`` of
the same rows — each change (ids, clock, its JSON) and each record (id, kind, village, its
JSON document) — into plain tables of the same database, in one transaction with the same
durability settings. The ratio says what verifying, decrypting, merging, sealing, indexing
and receipting cost on top of merely writing the bytes.

The cases are generated and sealed once, then imported ``--runs`` times, each into a fresh
district, and the medians are printed: shared machines are noisy.

Run: ``.venv/bin/python bench/bench_import.py [--cases 10000] [--bundle-mib 4] [--runs 3]``
PostgreSQL too when ``SIMPUL_TEST_POSTGRES_URL`` is set (``scripts/test`` style URL).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from district.config import DistrictConfig
from district.db import normalize_url
from district.keys import KEYS_FILE_NAME
from district.service import District
from district.testing import SyntheticDevice
from simpul.bundle import open_bundle, split_changes
from simpul.changes import Change
from simpul.records import unflatten

VILLAGE = "33.27.08.2012"
PASSPHRASE = "benchmark passphrase panjang"


def _rows(changes: list[Change]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    change_rows: list[tuple[object, ...]] = [
        (
            c.id.device,
            c.id.counter,
            c.record_id,
            c.kind,
            c.hlc.encode(),
            json.dumps(c.to_json(), separators=(",", ":")).encode(),
        )
        for c in changes
    ]
    record_rows: list[tuple[object, ...]] = [
        (
            c.record_id,
            c.kind,
            VILLAGE,
            json.dumps(unflatten({e.path: e.value for e in c.edits})).encode(),
        )
        for c in changes
    ]
    return change_rows, record_rows


_PLAIN_DDL = (
    "CREATE TABLE plain_changes (seq {pk}, device_id VARCHAR(128), counter BIGINT, "
    "record_id VARCHAR(128), kind VARCHAR(32), hlc VARCHAR(21), body {blob}, "
    "UNIQUE (device_id, counter))",
    "CREATE TABLE plain_records (record_id VARCHAR(128) PRIMARY KEY, kind VARCHAR(32), "
    "village VARCHAR(16), body {blob})",
)


def baseline_sqlite(path: Path, changes: list[Change]) -> float:
    """Seconds to executemany the same rows into plain tables (WAL, synchronous=FULL)."""
    change_rows, record_rows = _rows(changes)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    for ddl in _PLAIN_DDL:
        con.execute(ddl.format(pk="INTEGER PRIMARY KEY", blob="BLOB"))
    t0 = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "INSERT INTO plain_changes (device_id, counter, record_id, kind, hlc, body) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        change_rows,
    )
    con.executemany("INSERT INTO plain_records VALUES (?, ?, ?, ?)", record_rows)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def baseline_postgresql(url: str, changes: list[Change]) -> float:
    """Seconds to executemany the same rows into plain PostgreSQL tables."""
    change_rows, record_rows = _rows(changes)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for ddl in _PLAIN_DDL:
            conn.exec_driver_sql(ddl.format(pk="BIGSERIAL PRIMARY KEY", blob="BYTEA"))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        t0 = time.perf_counter()
        cursor.executemany(
            "INSERT INTO plain_changes (device_id, counter, record_id, kind, hlc, body) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            change_rows,
        )
        cursor.executemany("INSERT INTO plain_records VALUES (%s, %s, %s, %s)", record_rows)
        raw.commit()
        elapsed = time.perf_counter() - t0
    finally:
        raw.close()
        engine.dispose()
    return elapsed


@dataclass(frozen=True)
class Workload:
    """One device's cases, sealed once to the district key and imported into each run."""

    device: SyntheticDevice
    changes: list[Change]
    bundles: list[bytes]


def make_workload(keys_config: DistrictConfig, cases: int, bundle_mib: float) -> Workload:
    """Generate ``cases`` synthetic cases and seal them in bundles of at most ``bundle_mib``."""
    device = SyntheticDevice(VILLAGE)
    changes = device.new_cases(cases, seed=42)
    parts = split_changes(changes, max_bundle_bytes=int(bundle_mib * 1024 * 1024))
    district_key = District.public_keys(keys_config).encryption
    return Workload(device, changes, [device.seal(part, recipient=district_key) for part in parts])


def bench(config: DistrictConfig, keys: bytes, work: Workload) -> tuple[float, float]:
    """Import the workload into a fresh district; return (import, open_bundle alone) seconds."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / KEYS_FILE_NAME).write_bytes(keys)
    # As the server and the CLI's import open it: with the helper process for big bundles,
    # started (as a server's has long been when bundles come).
    district = District.open(config, PASSPHRASE, helper=True)
    assert district.helper_ready(), "the helper process did not start"
    device = work.device
    device.enroll_with(
        district.enroll(
            district.create_enrollment(VILLAGE).code,
            device_enc_public=device.encryption.public_bytes(),
            device_sign_public=device.signing.public_bytes(),
            device_id=device.device_id,
        )
    )
    signer = {device.signing.key_id: device.signing.public_key}
    t_open = time.perf_counter()
    for bundle in work.bundles:
        open_bundle(bundle, recipient=district._keys.encryption, trusted_signers=signer)
    opening = time.perf_counter() - t_open
    t0 = time.perf_counter()
    for bundle in work.bundles:
        result = district.import_bundle(bundle, via="bench")
        assert result.status == "imported", result.reason
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    for bundle in work.bundles:
        assert district.import_bundle(bundle, via="bench").status == "already_imported"
    again = time.perf_counter() - t1
    district.close()
    cases = len(work.changes)
    print(
        f"    import {elapsed:.2f} s = {cases / elapsed:,.0f} cases/s "
        f"(open_bundle alone {opening:.2f} s, the district's own work {elapsed - opening:.2f} s); "
        f"re-import {again * 1000:.0f} ms"
    )
    return elapsed, opening


def report(name: str, runs: list[float], floors: list[float], cases: int) -> None:
    """Print the medians: import, baseline and their ratio."""
    ours, floor = statistics.median(runs), statistics.median(floors)
    print(
        f"  {name} median of {len(runs)}: import {ours:.2f} s = {cases / ours:,.0f} cases/s; "
        f"baseline executemany {floor:.2f} s = {cases / floor:,.0f} cases/s; "
        f"import / baseline = {ours / floor:.1f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--bundle-mib", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3, help="imports per backend (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        keys_config = DistrictConfig(tmp / "keys")
        District.init(keys_config, PASSPHRASE).close()
        keys = (tmp / "keys" / KEYS_FILE_NAME).read_bytes()
        work = make_workload(keys_config, args.cases, args.bundle_mib)
        size = sum(len(b) for b in work.bundles) / len(work.bundles) / 2**20
        print(f"{args.cases} cases in {len(work.bundles)} bundle(s) of {size:.1f} MiB")

        print("SQLite (WAL, synchronous=FULL):")
        runs, floors = [], []
        for run in range(args.runs):
            runs.append(bench(DistrictConfig(tmp / f"sqlite{run}"), keys, work)[0])
            floors.append(baseline_sqlite(tmp / f"plain{run}.db", work.changes))
        report("SQLite", runs, floors, args.cases)

        url = os.environ.get("SIMPUL_TEST_POSTGRES_URL")
        if not url:
            print("PostgreSQL: skipped (SIMPUL_TEST_POSTGRES_URL is not set)")
            return 0
        base = normalize_url(url)
        admin = sa.create_engine(base)
        print("PostgreSQL:")
        runs, floors = [], []
        for run in range(args.runs):
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            options = quote(f"-csearch_path={schema}")
            scoped = f"{base}{'&' if '?' in base else '?'}options={options}"
            try:
                config = DistrictConfig(tmp / f"pg{run}", scoped)
                runs.append(bench(config, keys, work)[0])
                floors.append(baseline_postgresql(scoped, work.changes))
            finally:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
        report("PostgreSQL", runs, floors, args.cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
