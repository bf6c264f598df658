"""Benchmark of the district import: 10,000 synthetic cases into SQLite (and PostgreSQL).

The figure is printed next to a baseline measured in the same run: a bare ``executemany`` of
the same rows — each change (ids, clock, its JSON) and each record (id, kind, village, its
JSON document) — into plain tables of the same database, in one transaction with the same
durability settings. The ratio says what verifying, decrypting, merging, sealing, indexing
and receipting cost on top of merely writing the bytes.

Run: ``.venv/bin/python bench/bench_import.py [--cases 10000] [--bundle-mib 4]``
PostgreSQL too when ``SIMPUL_TEST_POSTGRES_URL`` is set (``scripts/test`` style URL).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
import uuid
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
    change_rows = [
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
    record_rows = [
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


def bench(config: DistrictConfig, keys: bytes, cases: int, bundle_mib: float) -> float:
    """Enroll a device, seal its cases in bundles of at most ``bundle_mib``, time the import."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / KEYS_FILE_NAME).write_bytes(keys)
    district = District.open(config, PASSPHRASE)
    device = SyntheticDevice(VILLAGE)
    code = district.create_enrollment(VILLAGE).code
    device.enroll_with(
        district.enroll(
            code,
            device_enc_public=device.encryption.public_bytes(),
            device_sign_public=device.signing.public_bytes(),
            device_id=device.device_id,
        )
    )
    changes = device.new_cases(cases, seed=42)
    parts = split_changes(changes, max_bundle_bytes=int(bundle_mib * 1024 * 1024))
    bundles = [device.seal(part) for part in parts]
    size = sum(len(b) for b in bundles)
    signer = {device.signing.key_id: device.signing.public_key}
    t_open = time.perf_counter()
    for bundle in bundles:
        open_bundle(bundle, recipient=district._keys.encryption, trusted_signers=signer)
    opening = time.perf_counter() - t_open
    t0 = time.perf_counter()
    for bundle in bundles:
        result = district.import_bundle(bundle, via="bench")
        assert result.status == "imported", result.reason
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    for bundle in bundles:
        assert district.import_bundle(bundle, via="bench").status == "already_imported"
    again = time.perf_counter() - t1
    district.close()
    print(
        f"  {cases} cases in {len(bundles)} bundle(s) of {size / len(bundles) / 2**20:.1f} MiB: "
        f"import {elapsed:.2f} s = {cases / elapsed:,.0f} cases/s; re-import {again * 1000:.0f} ms"
    )
    print(
        f"    of which opening the bundles (simpul.bundle.open_bundle alone): {opening:.2f} s; "
        f"the district's own work: {elapsed - opening:.2f} s = "
        f"{cases / max(elapsed - opening, 1e-9):,.0f} cases/s"
    )
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--bundle-mib", type=float, default=4.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        District.init(DistrictConfig(tmp / "keys"), PASSPHRASE).close()
        keys = (tmp / "keys" / KEYS_FILE_NAME).read_bytes()
        changes = SyntheticDevice(VILLAGE).new_cases(args.cases, seed=42)

        print("SQLite (WAL, synchronous=FULL):")
        ours = bench(DistrictConfig(tmp / "sqlite"), keys, args.cases, args.bundle_mib)
        floor = baseline_sqlite(tmp / "plain.db", changes)
        print(
            f"  baseline executemany of the same rows: {floor:.2f} s = "
            f"{args.cases / floor:,.0f} cases/s; import / baseline = {ours / floor:.1f}x"
        )

        url = os.environ.get("SIMPUL_TEST_POSTGRES_URL")
        if not url:
            print("PostgreSQL: skipped (SIMPUL_TEST_POSTGRES_URL is not set)")
            return 0
        base = normalize_url(url)
        admin = sa.create_engine(base)
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        scoped = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
        try:
            print("PostgreSQL:")
            ours = bench(DistrictConfig(tmp / "pg", scoped), keys, args.cases, args.bundle_mib)
            floor = baseline_postgresql(scoped, changes)
            print(
                f"  baseline executemany of the same rows: {floor:.2f} s = "
                f"{args.cases / floor:,.0f} cases/s; import / baseline = {ours / floor:.1f}x"
            )
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
