"""What the benchmarks that start ``simpul-district serve`` share."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO

import requests


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Poll ``GET /v1/health`` until it answers; fail with the server's log if it exits or
    has not answered within 60 s."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/v1/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"serve did not start:\n{log.read().decode()}")
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    command: Sequence[str],
    port: int,
    env: Mapping[str, str],
    *,
    nice: int = 0,
    stop: signal.Signals = signal.SIGTERM,
    indent: str = "  ",
) -> Iterator[str]:
    """Run ``command`` (a ``simpul-district … serve --port PORT`` line) in its own process
    until the block ends; yields its URL. ``nice`` > 0 runs it at a lower priority; the
    server's ERROR lines, if any, are printed when it has stopped."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        list(command),
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
        yield url
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        errors = [line for line in log.read().decode().splitlines() if "ERROR" in line]
        log.close()
        if errors:
            print(f"{indent}server errors:", *errors[:10], sep=f"\n{indent}  ")
