"""A real ``simpul-district serve`` on 127.0.0.1, as an operator starts it: its CLI on a data
directory, and ``serve`` as a subprocess. Shared by the desktop sync and district-mode tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

__all__ = ["DISTRICT_PASSPHRASE", "STAFF_PASSWORD", "VILLAGE", "DistrictServer"]

DISTRICT_PASSPHRASE = "kunci server kabupaten pemalang"
STAFF_PASSWORD = "sandi staf kabupaten panjang"
VILLAGE = "33.27.08.2012"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["SIMPUL_LANG"] = "en"
    env.update(extra)
    return env


@dataclass
class DistrictServer:
    """``simpul-district`` on a data directory: the CLI, and ``serve`` as a subprocess."""

    data: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "district.cli", "--data", str(self.data), *args],
            env=_env(SIMPUL_DISTRICT_PASSPHRASE=DISTRICT_PASSPHRASE, **env),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"simpul-district {args}: {result.stderr}")
        return result

    def cli_json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json").stdout)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "district.cli",
                "--data",
                str(self.data),
                "serve",
                "--port",
                str(self.port),
            ],
            env=_env(SIMPUL_DISTRICT_PASSPHRASE=DISTRICT_PASSPHRASE),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                assert self.process.stderr is not None
                error = self.process.stderr.read().decode(errors="replace")
                self.process.stderr.close()
                self.process = None
                raise AssertionError(f"serve exited: {error}")
            try:
                if self.http.get(self.url + "/v1/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("serve did not start")

    def stop(self) -> None:
        self.http.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def enrollment_code(self, village: str = VILLAGE) -> str:
        return str(self.cli_json("enroll", "--village", village)["code"])

    def staff_token(self, name: str = "petugas") -> str:
        self.cli("user", "add", name, "--role", "staff", SIMPUL_USER_PASSWORD=STAFF_PASSWORD)
        answer = self.http.post(
            self.url + "/v1/staff/login", json={"name": name, "password": STAFF_PASSWORD}
        )
        answer.raise_for_status()
        return str(answer.json()["token"])

    def records(self) -> list[dict[str, Any]]:
        return list(self.cli_json("records", "list"))
