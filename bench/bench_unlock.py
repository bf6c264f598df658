"""Benchmark of vault unlocking at the KDF cost calibrated on this machine.

Creates a vault with :func:`calibrate_kdf` (as the first-run wizard does), then times
``Vault.load(...).unlock(passphrase)`` and prints the median next to a baseline measured in the
same run: one bare Argon2id derivation at the RFC 9106 floor (t=3, m=64 MiB, p=4). The design
(DESIGN.md §4) wants an unlock of about 0.5 s; this checks that the median lies in 0.25–1.0 s.

Run: ``.venv/bin/python bench/bench_unlock.py [--runs 5] [--target 0.5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from desktop.storage.vault import FLOOR, KdfCost, Vault, calibrate_kdf

USER = "Bench Pengguna"  # synthetic
PASS = "benchmark passphrase panjang"
LOW, HIGH = 0.25, 1.0


def derive_once(cost: KdfCost) -> float:
    """Seconds for one bare Argon2id derivation at ``cost`` (the baseline)."""
    kdf = Argon2id(
        salt=os.urandom(16),
        length=32,
        iterations=cost.time_cost,
        lanes=cost.lanes,
        memory_cost=cost.memory_kib,
    )
    started = time.perf_counter()
    kdf.derive(PASS.encode())
    return time.perf_counter() - started


def main() -> None:
    """Calibrate, create a vault, time unlocks and print them against the floor baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="unlocks to time (default 5)")
    parser.add_argument("--target", type=float, default=0.5, help="calibration target, seconds")
    args = parser.parse_args()

    started = time.perf_counter()
    cost = calibrate_kdf(target_seconds=args.target)
    calibration = time.perf_counter() - started
    print(
        f"calibrated cost: t={cost.time_cost}, m={cost.memory_kib} KiB "
        f"({cost.memory_kib // 1024} MiB), p={cost.lanes}  "
        f"[floor t={FLOOR.time_cost}, m={FLOOR.memory_kib // 1024} MiB, p={FLOOR.lanes}; "
        f"calibration took {calibration:.2f} s]"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vault.json"
        unlocked, code = Vault.create(path, user=USER, passphrase=PASS, cost=cost)
        unlocked.lock()

        unlock_times: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            Vault.load(path).unlock(PASS).lock()
            unlock_times.append(time.perf_counter() - started)

        recovery_times: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            Vault.load(path).unlock_with_recovery_code(code).lock()
            recovery_times.append(time.perf_counter() - started)

    baseline = derive_once(FLOOR)
    median = statistics.median(unlock_times)
    verdict = "yes" if LOW <= median <= HIGH else "NO"
    print(
        f"unlock (load + Argon2id + unwrap), median of {args.runs}: {median:.3f} s "
        f"[min {min(unlock_times):.3f}, max {max(unlock_times):.3f}]"
    )
    print(f"baseline, one bare Argon2id derivation at the floor cost: {baseline:.3f} s")
    print(f"ratio unlock / floor baseline: {median / baseline:.2f}x")
    print(f"median within {LOW}-{HIGH} s: {verdict}")
    print(
        f"recovery-code unlock (HKDF, no slow KDF), median of {args.runs}: "
        f"{statistics.median(recovery_times) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
