"""The real ``simpul-district`` console script, run as a subprocess, on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from district.config import DistrictConfig
from district.models import ChangeRow
from district.service import District
from district.testing import SyntheticDevice
from district.views import StaffView
from simpul.bundle import Receipt, verify_receipt

from .conftest import PASSPHRASE, VILLAGE, LiveServer

SCRIPT = Path(sys.executable).with_name("simpul-district")
AUDITOR = StaffView(user_id=0, name="pytest", role="admin")
Cli = Callable[..., subprocess.CompletedProcess[str]]


def _env(config: DistrictConfig, **extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(SIMPUL_DISTRICT_PASSPHRASE=PASSPHRASE, SIMPUL_LANG="en")
    if config.database_url:
        env["SIMPUL_DATABASE_URL"] = config.database_url
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _runner(config: DistrictConfig) -> Cli:
    def run(*args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), "--data", str(config.data_dir), *args],
            env=_env(config, **env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def cli(district_config: DistrictConfig) -> Cli:
    """Run ``simpul-district --data <the test district>`` (English messages)."""
    return _runner(district_config)


def _one_line_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("simpul-district: "), result.stderr
    assert text in lines[0]


# --------------------------------------------------------------------------- set-up


def test_init_sets_up_a_district_once(district_config: DistrictConfig, tmp_path: Path) -> None:
    fresh = DistrictConfig(tmp_path / "fresh" / "data", district_config.database_url)
    run = _runner(fresh)
    weak = run("init", SIMPUL_DISTRICT_PASSPHRASE="short")
    _one_line_error(weak, "at least 12 characters")
    made = run("init")
    assert made.returncode == 0, made.stderr
    assert "District server set up in" in made.stdout
    assert (fresh.data_dir / "keys.json").is_file()
    assert stat.S_IMODE(fresh.data_dir.stat().st_mode) == 0o700
    _one_line_error(run("init"), "already set up")
    with District.open(fresh, PASSPHRASE) as district:
        assert district.devices() == []


def test_expected_failures_are_one_line_in_the_operators_language(
    cli: Cli, district_config: DistrictConfig, tmp_path: Path
) -> None:
    _one_line_error(cli("devices", "list", SIMPUL_DISTRICT_PASSPHRASE=None), "No server passphrase")
    _one_line_error(
        cli("devices", "list", SIMPUL_DISTRICT_PASSPHRASE="wrong wrong wrong"),
        "passphrase is wrong",
    )
    indonesian = cli(
        "devices", "list", SIMPUL_DISTRICT_PASSPHRASE="wrong wrong wrong", SIMPUL_LANG=None
    )
    _one_line_error(indonesian, "Frasa sandi server salah")
    _one_line_error(cli("enroll", "--village", "33.27.08.9999"), "not a village code")
    _one_line_error(cli("enroll", "--village", VILLAGE, "--ttl-hours", "0"), "--ttl-hours")
    _one_line_error(cli("devices", "revoke", "no-such-device"), "not enrolled")
    _one_line_error(
        cli("devices", "list", SIMPUL_DATABASE_URL="postgresql://nobody@127.0.0.1:9/none"),
        "database cannot be reached",
    )
    _one_line_error(cli("devices", "list", SIMPUL_DATABASE_URL="nonsense://x"), "database URL")
    empty = _runner(DistrictConfig(tmp_path / "nothing", district_config.database_url))
    _one_line_error(empty("devices", "list"), "No district server is set up")
    _one_line_error(cli("restore", str(tmp_path / "missing.bak")), "")
    usage = cli("devices")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    as_module = subprocess.run(
        [sys.executable, "-m", "district", "--help"], capture_output=True, text=True, check=False
    )
    assert as_module.returncode == 0 and "simpul-district" in as_module.stdout


# --------------------------------------------------------------------------- enroll, devices, users


def test_enroll_prints_a_code_that_enrolls_a_laptop(
    cli: Cli, district: District, tmp_path: Path
) -> None:
    result = cli("enroll", "--village", VILLAGE, "--ttl-hours", "6", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info) == {"code", "village", "expires_at"} and info["village"] == VILLAGE
    laptop = SyntheticDevice(VILLAGE)
    credentials = district.enroll(
        info["code"],
        device_enc_public=laptop.encryption.public_bytes(),
        device_sign_public=laptop.signing.public_bytes(),
    )
    assert credentials.village == VILLAGE
    text = cli("--lang", "en", "enroll", "--village", VILLAGE)
    assert text.returncode == 0 and text.stdout.startswith(f"Enrollment code for {VILLAGE}: ")
    out = tmp_path / "enrollment.json"
    written = cli("enroll", "--village", VILLAGE, "--file", str(out), "--server-url", "https://x")
    assert written.returncode == 0, written.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "simpul-enrollment" and doc["village"] == VILLAGE
    assert doc["server_url"] == "https://x" and doc["code"] not in written.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_devices_list_and_revoke(
    cli: Cli, district: District, device: SyntheticDevice, tmp_path: Path
) -> None:
    listed = cli("devices", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["device_id"], row["village"], row["revoked"]) == (device.device_id, VILLAGE, False)
    assert device.device_id in cli("devices", "list").stdout
    revoked = cli("devices", "revoke", device.device_id)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert district.device(device.device_id).revoked
    bundle = tmp_path / "late.simpul"
    bundle.write_bytes(device.seal(device.new_cases(1)))
    refused = cli("import", str(bundle))
    assert refused.returncode == 1 and "rejected: device_revoked" in refused.stdout


def test_user_add_creates_an_account_that_can_sign_in(cli: Cli, district: District) -> None:
    password = "kata sandi yang cukup panjang"
    made = cli("user", "add", "sari", "--role", "staff", SIMPUL_USER_PASSWORD=password)
    assert made.returncode == 0, made.stderr
    assert district.staff(district.login("sari", password)).role == "staff"
    again = cli("user", "add", "sari", "--role", "viewer", SIMPUL_USER_PASSWORD=password)
    _one_line_error(again, "exists already")
    _one_line_error(cli("user", "add", "dewi", "--role", "staff"), "SIMPUL_USER_PASSWORD")
    weak = cli("user", "add", "dewi", "--role", "staff", SIMPUL_USER_PASSWORD="pendek")
    _one_line_error(weak, "at least 12")
    bad_role = cli("user", "add", "dewi", "--role", "boss", SIMPUL_USER_PASSWORD=password)
    assert bad_role.returncode == 2 and "Traceback" not in bad_role.stderr


# --------------------------------------------------------------------------- import


def _json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_import_writes_receipts_and_changes_nothing_the_second_time(
    cli: Cli, district: District, enrolled: Callable[..., SyntheticDevice], tmp_path: Path
) -> None:
    device, neighbour = enrolled(), enrolled()
    inbox, out = tmp_path / "usb", tmp_path / "out"
    inbox.mkdir()
    first, second = inbox / "a.simpul", inbox / "b.simpul"
    first.write_bytes(device.seal(device.new_cases(8, seed=1)))
    second.write_bytes(device.seal(device.new_outreach(2, seed=1)))
    district.import_bundle(neighbour.seal(neighbour.new_cases(3, seed=2)), via="test")
    result = cli("import", str(first), str(second), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    a, b = _json_lines(result)
    assert (a["status"], a["counts"]) == ("imported", {"cases": 8, "outreach": 0, "changes": 8})
    assert (b["status"], b["counts"]["outreach"]) == ("imported", 2)
    receipt_path = Path(a["receipt"])
    assert receipt_path.parent == out
    for name in (receipt_path.name, Path(a["return_bundle"]).name):
        assert VILLAGE not in name and device.device_id not in name and "kasus" not in name
    receipt = verify_receipt(receipt_path.read_bytes(), district_key=device.district_signing)
    assert receipt.device == device.device_id and receipt.acks[device.device_id].high == 8
    returned = device.open_return(Path(a["return_bundle"]).read_bytes())
    assert device.receive(returned.changes) == 3  # the neighbour's cases
    again = cli("import", str(first), "--json")
    assert again.returncode == 0
    [c] = _json_lines(again)
    assert c["status"] == "already_imported" and Path(c["receipt"]).parent == inbox
    assert Path(c["receipt"]).read_bytes() == receipt_path.read_bytes()
    text = cli("import", str(first))
    assert text.returncode == 0 and f"{first}: already imported" in text.stdout
    assert len(district.list_records(AUDITOR)) == 13


def test_import_reports_rejected_bundles_and_exits_1(
    cli: Cli, district: District, device: SyntheticDevice, tmp_path: Path
) -> None:
    good = tmp_path / "good.simpul"
    good.write_bytes(device.seal(device.new_cases(2)))
    data = bytearray(device.seal(device.new_cases(2)))
    data[len(data) // 2] ^= 0x40
    bad = tmp_path / "bad.simpul"
    bad.write_bytes(bytes(data))
    missing = tmp_path / "missing.simpul"
    result = cli("import", str(good), str(bad), str(missing))
    assert result.returncode == 1, result.stderr
    assert f"{good}: imported (2 cases, 0 outreach, 2 changes)" in result.stdout
    assert f"{bad}: rejected: tampered" in result.stdout
    assert f"{missing}: rejected: file_unreadable" in result.stdout
    assert "Traceback" not in result.stderr
    as_json = _json_lines(cli("import", str(bad), "--json"))
    assert [(r["status"], r["reason"], r["receipt"]) for r in as_json] == [
        ("rejected", "tampered", None)
    ]
    assert len(district.list_records(AUDITOR)) == 2
    indonesian = cli("import", str(bad), SIMPUL_LANG="id")
    assert "ditolak: tampered" in indonesian.stdout


def _state(district: District) -> dict[str, Any]:
    """What the district holds, without the times at which it received it."""
    records = district.list_records(AUDITOR, limit=1000)
    with district._read() as session:
        changes = session.execute(
            sa.select(
                ChangeRow.device_id,
                ChangeRow.counter,
                ChangeRow.record_id,
                ChangeRow.hlc,
                ChangeRow.digest,
            ).order_by(ChangeRow.device_id, ChangeRow.counter)
        ).all()
    return {
        "records": sorted(
            (r.record_id, r.kind, r.code, r.village, r.period, r.status, r.violence_types)
            for r in records
        ),
        "documents": {
            r.record_id: district.read_record(AUDITOR, r.record_id).document for r in records
        },
        "changes": [tuple(row) for row in changes],
    }


def _receipt_facts(data: bytes, district: District) -> dict[str, Any]:
    receipt: Receipt = verify_receipt(data, district_key=district.keys.signing)
    facts = receipt.to_json()
    facts.pop("issued_at", None)
    return facts


def test_cli_import_and_http_push_end_identical(
    cli: Cli,
    server: LiveServer,
    another_district_config: DistrictConfig,
    enrolled: Callable[..., SyntheticDevice],
    tmp_path: Path,
) -> None:
    device = enrolled()  # in the district the HTTP server serves
    assert device.credentials is not None
    with District.open(another_district_config, PASSPHRASE) as other:
        code = other.create_enrollment(VILLAGE).code
        other.enroll(
            code,
            device_enc_public=device.encryption.public_bytes(),
            device_sign_public=device.signing.public_bytes(),
            device_id=device.device_id,
        )
    data = device.seal(device.new_cases(10, seed=7) + device.new_outreach(2, seed=7))
    bundle = tmp_path / "bundle.simpul"
    bundle.write_bytes(data)
    by_usb = _runner(another_district_config)("import", str(bundle), "--json")
    assert by_usb.returncode == 0, by_usb.stderr
    [usb] = _json_lines(by_usb)
    by_http = requests.post(
        f"{server.url}/v1/sync/push",
        data=data,
        headers={"Authorization": f"Bearer {device.credentials.token}"},
        timeout=60,
    )
    assert by_http.status_code == 200
    with District.open(another_district_config, PASSPHRASE) as other:
        assert _state(other) == _state(server.district)
        usb_receipt = _receipt_facts(Path(usb["receipt"]).read_bytes(), other)
    assert usb_receipt == _receipt_facts(by_http.content, server.district)
    # the same file carried by hand to the server's district afterwards changes nothing
    late = cli("import", str(bundle), "--json")
    [again] = _json_lines(late)
    assert again["status"] == "already_imported"
    assert Path(again["receipt"]).read_bytes() == by_http.content
    assert len(_state(server.district)["records"]) == 12


# --------------------------------------------------------------------------- records, backup


def test_records_list(cli: Cli, district: District, device: SyntheticDevice) -> None:
    district.import_bundle(device.seal(device.new_cases(4) + device.new_outreach(1)), via="t")
    rows = json.loads(cli("records", "list", "--json").stdout)
    assert len(rows) == 5 and {r["village"] for r in rows} == {VILLAGE}
    outreach = json.loads(cli("records", "list", "--kind", "outreach", "--json").stdout)
    assert [r["kind"] for r in outreach] == ["outreach"]
    assert json.loads(cli("records", "list", "--village", "33.27.01.2001", "--json").stdout) == []
    text = cli("records", "list", "--kind", "case")
    assert text.returncode == 0 and len(text.stdout.splitlines()) == 4


def test_backup_and_restore(
    cli: Cli,
    district: District,
    district_config: DistrictConfig,
    device: SyntheticDevice,
    tmp_path: Path,
) -> None:
    backup = tmp_path / "district.bak"
    district.import_bundle(device.seal(device.new_cases(3)), via="t")
    made = cli("backup", "--out", str(backup))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    district.import_bundle(device.seal(device.new_cases(2)), via="t")
    assert len(district.list_records(AUDITOR)) == 5
    district.close()  # the restore replaces the file under every connection
    restored = cli("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    with District.open(district_config, PASSPHRASE) as reopened:
        assert len(reopened.list_records(AUDITOR)) == 3
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a backup")
    _one_line_error(cli("restore", str(junk)), "not a backup of this district")
    if not district_config.is_sqlite:
        # pg_dump is looked for in SIMPUL_PG_BIN alone when it is set
        missing = cli(
            "backup",
            "--out",
            str(tmp_path / "b2.bak"),
            SIMPUL_PG_BIN="/nonexistent",
            SIMPUL_LANG=None,
        )
        _one_line_error(missing, "Program PostgreSQL pg_dump tidak ditemukan")
        assert not (tmp_path / "b2.bak").exists()


# --------------------------------------------------------------------------- serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``simpul-district serve`` running as a subprocess."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def stop(self) -> str:
        """Stop it the way an operator does (Ctrl-C); return what it logged."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return stderr


def _serve(config: DistrictConfig, *extra: str) -> Served:
    """Start ``simpul-district serve --port P [--database-url URL] EXTRA…``; wait for it."""
    port = _free_port()
    args = ["serve", "--port", str(port), *extra]
    if config.database_url:
        args += ["--database-url", config.database_url]
    process = subprocess.Popen(
        [str(SCRIPT), "--data", str(config.data_dir), *args],
        env=_env(config, SIMPUL_DATABASE_URL=None),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    live = Served(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{live.url}/v1/health", timeout=1).ok:
                return live
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve did not start: {live.stop()}")
        time.sleep(0.05)


@pytest.fixture
def served(district_config: DistrictConfig, district: District) -> Iterator[Served]:
    """``simpul-district serve --port P [--database-url URL]`` on the test district."""
    live = _serve(district_config)
    try:
        yield live
    finally:
        live.stop()


def test_serve_answers_and_logs_route_templates_only(
    served: Served, district: District, device: SyntheticDevice
) -> None:
    assert device.credentials is not None
    [change] = device.new_cases(1)
    push = requests.post(
        f"{served.url}/v1/sync/push",
        data=device.seal([change]),
        headers={"Authorization": f"Bearer {device.credentials.token}"},
        timeout=60,
    )
    assert push.status_code == 200
    assert verify_receipt(push.content, district_key=device.district_signing).device == (
        device.device_id
    )
    read = requests.get(f"{served.url}/v1/records/{change.record_id}", timeout=10)
    assert read.status_code == 401
    assert [r.record_id for r in district.list_records(AUDITOR)] == [change.record_id]
    logs = served.stop()
    assert served.process.returncode == 0, logs
    assert "POST /v1/sync/push 200" in logs and "GET /v1/records/{record_id} 401" in logs
    for value in (change.record_id, device.credentials.token, device.device_id, "127.0.0.1:"):
        assert value not in logs.replace(served.url, "")
    assert "Traceback" not in logs


# --------------------------------------------------------------------------- review fixes


def test_files_the_cli_creates_are_private(district_config: DistrictConfig, tmp_path: Path) -> None:
    fresh = DistrictConfig(tmp_path / "fresh" / "data", district_config.database_url)
    run = _runner(fresh)
    assert run("init").returncode == 0
    assert run("enroll", "--village", VILLAGE).returncode == 0
    made = [p for p in fresh.data_dir.iterdir() if p.name.startswith("district.db")]
    if district_config.database_url is None:
        assert made
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_serve_drops_the_passphrase_from_its_environment(
    district: District, district_config: DistrictConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from district import cli as district_cli

    seen: dict[str, str | None] = {}

    def fake_run(*_args: object, **_kwargs: object) -> None:
        seen["passphrase"] = os.environ.get(district_cli.PASSPHRASE_ENV)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv(district_cli.PASSPHRASE_ENV, PASSPHRASE)
    if district_config.database_url:
        monkeypatch.setenv("SIMPUL_DATABASE_URL", district_config.database_url)
    assert district_cli.main(["--data", str(district_config.data_dir), "serve"]) == 0
    assert seen == {"passphrase": None}
    assert district_cli.PASSPHRASE_ENV not in os.environ


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")"
        if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_serve_starts_its_helper_without_the_passphrase(
    district: District, district_config: DistrictConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from district import cli as district_cli

    seen: dict[str, object] = {}

    def fake_run(*_args: object, **_kwargs: object) -> None:
        helpers = [
            pid
            for pid in _children(os.getpid())
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        seen["helpers"] = len(helpers)
        seen["with the passphrase"] = [
            pid
            for pid in helpers
            for name in ("environ", "cmdline")
            if PASSPHRASE.encode() in Path(f"/proc/{pid}/{name}").read_bytes()
        ]

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv(district_cli.PASSPHRASE_ENV, PASSPHRASE)
    if district_config.database_url:
        monkeypatch.setenv("SIMPUL_DATABASE_URL", district_config.database_url)
    assert district_cli.main(["--data", str(district_config.data_dir), "serve"]) == 0
    assert seen["helpers"] == 1
    assert seen["with the passphrase"] == []


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_serve_with_workers_keeps_the_passphrase_out_of_every_environment(
    district_config: DistrictConfig, district: District
) -> None:
    password = "kata sandi yang cukup panjang"
    district.add_user("sari", "staff", password)
    live = _serve(district_config, "--workers", "2")
    try:
        for _ in range(6):  # sessions live in the database: any worker knows them
            login = requests.post(
                f"{live.url}/v1/staff/login", json={"name": "sari", "password": password}
            )
            assert login.status_code == 200, login.text
            me = requests.get(
                f"{live.url}/v1/staff/me",
                headers={"Authorization": f"Bearer {login.json()['token']}"},
                timeout=10,
            )
            assert me.json()["name"] == "sari"
        children = _children(live.process.pid)
        workers = [p for p in children if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(workers) == 2
        # (the supervisor's own /proc environ is the block it was started with: the caller's)
        for pid in children:
            for name in ("environ", "cmdline"):
                assert PASSPHRASE.encode() not in Path(f"/proc/{pid}/{name}").read_bytes()
    finally:
        logs = live.stop()
    assert live.process.returncode == 0, logs
    started = {
        line.rsplit("[", 1)[1] for line in logs.splitlines() if "Started server process" in line
    }
    assert len(started) == 2, logs
    assert "Traceback" not in logs


def test_serve_workers_must_be_a_sensible_number(tmp_path: Path) -> None:
    run = _runner(DistrictConfig(tmp_path / "nothing"))
    _one_line_error(run("serve", "--workers", "0"), "--workers must be between 1 and 64")
    _one_line_error(run("serve", "--workers", "65", SIMPUL_LANG=None), "--workers harus")


# --------------------------------------------------------------------------- who did it


def test_cli_actions_are_audited_as_the_operating_system_user(
    cli: Cli, district: District, device: SyntheticDevice, tmp_path: Path
) -> None:
    me = f"cli:{getpass.getuser()}"
    password = "kata sandi yang cukup panjang"
    district.import_bundle(device.seal(device.new_cases(2)), via="t")
    for args, env in (
        (["enroll", "--village", VILLAGE], {}),
        (["enroll", "--village", VILLAGE, "--file", str(tmp_path / "e.json")], {}),
        (["devices", "list"], {}),
        (["records", "list", "--kind", "case"], {}),
        (["user", "add", "sari", "--role", "viewer"], {"SIMPUL_USER_PASSWORD": password}),
        (["devices", "revoke", device.device_id], {}),
        (["backup", "--out", str(tmp_path / "b.bak")], {}),
    ):
        done = cli(*args, **env)
        assert done.returncode == 0, (args, done.stderr)
    entries = [e for e in reversed(district.audit_log(AUDITOR)) if e.actor.startswith("cli:")]
    assert [(e.actor, e.action, e.detail) for e in entries] == [
        (me, "enrollment_code", f"village={VILLAGE}"),
        (me, "enrollment_file", f"village={VILLAGE}"),
        (me, "devices_list", "n=1"),
        (me, "list", "kind=case n=2"),
        (me, "user_add", "user=sari role=viewer"),
        (me, "revoke", f"device={device.device_id}"),
        (me, "backup", entries[-1].detail),
    ]
    assert not any(e.actor in ("admin", "staff:cli-admin") for e in district.audit_log(AUDITOR))


# --------------------------------------------------------------------------- language of the help

COMMANDS: list[tuple[list[str], str]] = [
    ([], "help_description"),
    (["init"], "help_init"),
    (["serve"], "help_serve"),
    (["enroll"], "help_enroll"),
    (["devices"], "help_devices"),
    (["devices", "list"], "help_devices_list"),
    (["devices", "revoke"], "help_devices_revoke"),
    (["user"], "help_user"),
    (["user", "add"], "help_user_add"),
    (["import"], "help_import"),
    (["records"], "help_records"),
    (["records", "list"], "help_records_list"),
    (["backup"], "help_backup"),
    (["restore"], "help_restore"),
]


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from district.cli import main

    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_help_page_is_indonesian_by_default_and_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from district.messages import translate

    monkeypatch.delenv("SIMPUL_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "400")  # one line per option: texts are compared whole
    for words, code in COMMANDS:
        page = _help([*words, "--help"], capsys)
        assert page.startswith(f"penggunaan: simpul-district {' '.join(words)}".rstrip())
        assert translate(code, "id") in page
        assert "tampilkan bantuan ini lalu keluar" in page and "opsi:" in page
        for english in ("usage:", "show this help", "options:", "positional arguments", "default"):
            assert english not in page, (words, english)
        english_page = _help(["--lang", "en", *words, "--help"], capsys)
        assert english_page.startswith(f"usage: simpul-district {' '.join(words)}".rstrip())
        assert translate(code, "en") in english_page
        assert "show this help message and exit" in english_page and "bawaan" not in english_page
    serve = _help(["serve", "--help"], capsys)
    assert "jumlah proses pekerja (bawaan 1)" in serve
    assert "PERINTAH" in _help(["--help"], capsys)
    monkeypatch.setenv("SIMPUL_LANG", "en")
    assert _help(["--help"], capsys).startswith("usage: ")


def test_usage_errors_speak_the_operators_language(tmp_path: Path) -> None:
    run = _runner(DistrictConfig(tmp_path / "nothing"))
    missing = run("devices", SIMPUL_LANG=None)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("penggunaan: simpul-district")
    assert "kesalahan: argumen berikut wajib diisi: TINDAKAN" in missing.stderr
    english = run("--lang", "en", "devices", SIMPUL_LANG=None)
    assert "error: the following arguments are required: ACTION" in english.stderr
    choice = run("records", "list", "--kind", "kasus", SIMPUL_LANG=None)
    assert choice.returncode == 2 and "pilihan tidak sah: 'kasus'" in choice.stderr
    number = run("serve", "--port", "delapan", SIMPUL_LANG=None)
    assert number.returncode == 2 and "nilai tidak sah: 'delapan'" in number.stderr
    unknown = run("--lang=id", "cadangkan", SIMPUL_LANG="en")
    assert unknown.returncode == 2 and "pilihan tidak sah: 'cadangkan'" in unknown.stderr
    nothing = run(SIMPUL_LANG=None)
    assert nothing.returncode == 2 and nothing.stderr.startswith("penggunaan: simpul-district")
    assert "Administrasi server kabupaten Simpul." in nothing.stderr
