"""Benchmark: 200 village laptops pushing 50 cases each, at once, to a real district server.

Run with ``.venv/bin/python bench/bench_push.py`` (SQLite; also PostgreSQL when
``SIMPUL_TEST_POSTGRES_URL`` is set, e.g. under ``scripts/test``'s server, or pass
``--postgres URL``). For each backend: a fresh district (``District.init``), ``simpul-district
serve`` as a separate process on 127.0.0.1, every laptop enrolled over HTTP, its 50 synthetic
cases (``simpul.synthetic`` documents, flattened and diffed into changes by
``district.testing.SyntheticDevice``) sealed into one bundle before the clock starts; then one
thread per laptop POSTs its bundle to ``/v1/sync/push`` at the same moment (a barrier).

Checked: every laptop gets a receipt that verifies with the district key and acknowledges its
50 changes; the database holds exactly devices × cases changes and records, each once.
Reported: wall time, cases/s, p50/p99/max latency of a push, next to a same-run baseline of
the same number of concurrent ``GET /v1/health`` (HTTP + threads, no work).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests
import sqlalchemy as sa
from _serving import free_port, serving

from district.config import DistrictConfig
from district.db import normalize_url
from district.models import BundleSeen, ChangeRow, RecordRow
from district.service import District
from district.testing import SyntheticDevice
from district.views import DeviceCredentials
from simpul.bundle import verify_receipt
from simpul.records import load_regions

PASSPHRASE = "kunci server kabupaten pemalang (benchmark)"
SCRIPT = Path(sys.executable).with_name("simpul-district")
TIMEOUT = (5.0, 600.0)  # (connect, read), as the desktop client sets them


@dataclass
class Laptop:
    """One simulated village laptop and its sealed bundle."""

    device: SyntheticDevice
    token: str
    bundle: bytes


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@contextmanager
def _postgres_schema(base: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server; yields a URL that uses it."""
    base = normalize_url(base)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def _serve(config: DistrictConfig) -> Iterator[str]:
    """``simpul-district serve`` in its own process; yields the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["SIMPUL_DISTRICT_PASSPHRASE"] = PASSPHRASE
    args = [str(SCRIPT), "--data", str(config.data_dir), "serve", "--port", str(port)]
    if config.database_url:
        args += ["--database-url", config.database_url]
    with serving(args, port, env, stop=signal.SIGINT, indent="") as url:
        yield url


def _concurrently(n: int, action: Callable[[int], float]) -> tuple[list[float], float]:
    """Run ``action(i)`` for i < n in n threads released together; latencies and wall time."""
    barrier = threading.Barrier(n + 1)
    latencies: list[float] = [0.0] * n

    def run(i: int) -> None:
        barrier.wait()
        latencies[i] = action(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(run, i) for i in range(n)]
        barrier.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
    return latencies, wall


def _enroll(url: str, codes: list[str], devices: list[SyntheticDevice]) -> list[str]:
    import base64

    def one(i: int) -> str:
        device = devices[i]
        body = {
            "code": codes[i],
            "device_enc_public": base64.b64encode(device.encryption.public_bytes()).decode(),
            "device_sign_public": base64.b64encode(device.signing.public_bytes()).decode(),
            "device_id": device.device_id,
        }
        answer = requests.post(f"{url}/v1/enroll", json=body, timeout=TIMEOUT)
        answer.raise_for_status()
        data = answer.json()
        device.enroll_with(
            DeviceCredentials(
                device_id=data["device_id"],
                token=data["token"],
                village=data["village"],
                district_enc_public=base64.b64decode(data["district_enc_public"]),
                district_sign_public=base64.b64decode(data["district_sign_public"]),
            )
        )
        return str(data["token"])

    # 16 at once, all from 127.0.0.1: more than the enrollment limit per address has
    # failures; the limiter lets the ones over it wait their turn instead of refusing them.
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, range(len(devices))))


def run_backend(name: str, config: DistrictConfig, devices: int, cases: int) -> bool:
    """Benchmark one backend; print the figures; return whether every check held."""
    villages = [v.code for v in load_regions().villages()]
    district = District.init(config, PASSPHRASE)
    try:
        laptops_devices = [SyntheticDevice(villages[i % len(villages)]) for i in range(devices)]
        codes = [district.create_enrollment(d.village).code for d in laptops_devices]
    finally:
        district.close()
    ok = True
    with _serve(config) as url:
        tokens = _enroll(url, codes, laptops_devices)
        prepared = time.perf_counter()
        laptops = [
            Laptop(d, t, d.seal(d.new_cases(cases, seed=i + 1)))
            for i, (d, t) in enumerate(zip(laptops_devices, tokens, strict=True))
        ]
        seal_s = time.perf_counter() - prepared
        sessions = [requests.Session() for _ in range(devices)]
        try:
            for session in sessions:  # connections open before either timed run
                session.get(f"{url}/v1/health", timeout=TIMEOUT).raise_for_status()

            def health(i: int) -> float:
                t0 = time.perf_counter()
                sessions[i].get(f"{url}/v1/health", timeout=TIMEOUT).raise_for_status()
                return time.perf_counter() - t0

            base_lat, base_wall = _concurrently(devices, health)

            receipts: list[bytes | None] = [None] * devices
            retries = [0] * devices

            def push(i: int) -> float:
                laptop = laptops[i]
                headers = {"Authorization": f"Bearer {laptop.token}"}
                t0 = time.perf_counter()
                for attempt in range(8):
                    answer = sessions[i].post(
                        f"{url}/v1/sync/push", data=laptop.bundle, headers=headers, timeout=TIMEOUT
                    )
                    if answer.status_code != 503:
                        break
                    retries[i] += 1
                    time.sleep(min(2.0, 0.05 * 2**attempt))
                if answer.status_code == 200:
                    receipts[i] = answer.content
                return time.perf_counter() - t0

            push_lat, push_wall = _concurrently(devices, push)
        finally:
            for session in sessions:
                session.close()

    got = 0
    for laptop, receipt in zip(laptops, receipts, strict=True):
        if receipt is None:
            continue
        parsed = verify_receipt(receipt, district_key=laptop.device.district_signing)
        ack = parsed.acks.get(laptop.device.device_id)
        if parsed.device == laptop.device.device_id and ack is not None and ack.high == cases:
            got += 1
    engine = sa.create_engine(normalize_url(config.url))
    with engine.connect() as conn:

        def count(query: sa.Select[tuple[int]]) -> int:
            return int(conn.execute(query).scalar_one())

        n_changes = count(sa.select(sa.func.count()).select_from(ChangeRow))
        n_distinct = count(
            sa.select(sa.func.count()).select_from(
                sa.select(ChangeRow.device_id, ChangeRow.counter).distinct().subquery()
            )
        )
        n_records = count(sa.select(sa.func.count()).select_from(RecordRow))
        n_bundles = count(sa.select(sa.func.count()).select_from(BundleSeen))
    engine.dispose()
    total = devices * cases
    checks = {
        "every laptop got a verifying receipt acknowledging its cases": got == devices,
        "changes stored once each": n_changes == n_distinct == total,
        "records": n_records == total,
        "bundles": n_bundles == devices,
    }
    ok = all(checks.values())

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:8.1f} ms"

    print(f"--- {name}: {devices} laptops x {cases} cases, pushed concurrently over loopback")
    size = statistics.median(len(lp.bundle) for lp in laptops)
    print(f"sealing (before timing):  {seal_s:.1f} s; median bundle {size:,.0f} bytes")
    print(f"receipts:                 {got}/{devices} verify and acknowledge {cases} changes")
    print(
        f"in the database:          {n_changes} changes ({n_distinct} distinct), "
        f"{n_records} records, {n_bundles} bundles"
    )
    print(f"503 retries:              {sum(retries)}")
    print(f"push wall time:           {push_wall:.2f} s  ({total / push_wall:,.0f} cases/s)")
    print(
        f"push latency:             p50 {ms(_percentile(push_lat, 0.5))}  "
        f"p99 {ms(_percentile(push_lat, 0.99))}  max {ms(max(push_lat))}"
    )
    print(
        f"baseline GET /v1/health:  p50 {ms(_percentile(base_lat, 0.5))}  "
        f"p99 {ms(_percentile(base_lat, 0.99))}  max {ms(max(base_lat))}  "
        f"(wall {base_wall:.2f} s)"
    )
    for check, held in checks.items():
        if not held:
            print(f"FAILED: {check}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SIMPUL_TEST_POSTGRES_URL"),
        help="PostgreSQL URL (default: $SIMPUL_TEST_POSTGRES_URL); a fresh schema is used",
    )
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-push-") as tmp:
        if not args.no_sqlite:
            config = DistrictConfig(Path(tmp) / "sqlite")
            ok &= run_backend("SQLite", config, args.devices, args.cases)
        if args.postgres:
            with _postgres_schema(args.postgres) as url:
                config = DistrictConfig(Path(tmp) / "postgresql", url)
                ok &= run_backend("PostgreSQL", config, args.devices, args.cases)
        else:
            print("--- PostgreSQL: skipped (set SIMPUL_TEST_POSTGRES_URL or pass --postgres URL)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
