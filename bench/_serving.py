"""What the benchmarks that start ``simpul-district serve`` share."""

from __future__ import annotations

import subprocess
import time
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
