"""The `simpul` command as an administrator or a script uses it: real processes, real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SIMPUL = str(Path(sys.executable).parent / "simpul")
PASS = "kunci rahasia desa pemalang"
NEW_PASS = "frasa baru yang cukup panjang"
VILLAGE = "33.27.08.2012"


def run(
    profile: Path,
    *args: str,
    passphrase: str | None = PASS,
    new: str | None = None,
    stdin: str | None = None,
    lang: str = "en",
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env["SIMPUL_PROFILE"] = str(profile)
    env["SIMPUL_LANG"] = lang
    env["TMPDIR"] = str(profile.parent / "tmp")
    (profile.parent / "tmp").mkdir(exist_ok=True)
    if passphrase is not None:
        env["SIMPUL_PASSPHRASE"] = passphrase
    if new is not None:
        env["SIMPUL_NEW_PASSPHRASE"] = new
    return subprocess.run(
        [SIMPUL, *args],
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def one_clear_line(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("cli") / "profile"
    out = json.loads(ok(run(path, "init", "--village", VILLAGE, "--user", "kader", "--json")))
    return path, out["recovery_code"]


def test_init_prints_a_recovery_code_once_in_groups(profile: tuple[Path, str]) -> None:
    _, code = profile
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", code)


def test_template_add_list_show(profile: tuple[Path, str]) -> None:
    path, _ = profile
    template = ok(run(path, "record", "template", "--kind", "case"))
    doc: dict[str, Any] = json.loads(template)
    added = json.loads(
        ok(run(path, "record", "add", "--kind", "case", "-", "--json", stdin=template))
    )
    assert added["code"].startswith("PML-082012-")
    listed = json.loads(ok(run(path, "record", "list", "--json")))
    assert added["id"] in [r["id"] for r in listed]
    shown = json.loads(ok(run(path, "record", "show", added["code"], "--json")))
    assert shown["record"]["narrative"] == doc["narrative"]
    assert shown["history"][0]["author"] == "kader"
    text = ok(run(path, "record", "list"))
    assert added["code"] in text
    outreach = ok(run(path, "record", "template", "--kind", "outreach"))
    o = json.loads(
        ok(run(path, "record", "add", "-", "--json", "--kind", "outreach", stdin=outreach))
    )
    assert o["code"].startswith("SOS-082012-")


def test_invalid_record_lists_every_problem_and_saves_nothing(profile: tuple[Path, str]) -> None:
    path, _ = profile
    before = json.loads(ok(run(path, "status", "--json")))["changes"]
    doc = json.loads(ok(run(path, "record", "template", "--kind", "outreach")))
    doc["participants"]["female_child"] = -3
    doc["title"] = ""
    result = run(path, "record", "add", "-", "--kind", "outreach", stdin=json.dumps(doc))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "participants/female_child" in result.stderr
    assert "title" in result.stderr
    assert json.loads(ok(run(path, "status", "--json")))["changes"] == before


def test_bad_input_gives_one_clear_line(profile: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = profile
    line = one_clear_line(run(path, "record", "add", "--kind", "case", "-", stdin="{not json"))
    assert "not valid JSON" in line
    line = one_clear_line(run(path, "status", passphrase="ini frasa yang salah sekali"))
    assert "Wrong passphrase" in line
    line = one_clear_line(run(path, "status", passphrase="ini frasa yang salah sekali", lang="id"))
    assert "Frasa sandi salah" in line
    line = one_clear_line(run(tmp_path / "none", "status"))
    assert "No profile" in line
    line = one_clear_line(run(tmp_path / "new", "init", "--village", "33.27.99.9999"))
    assert "33.27.99.9999" in line
    line = one_clear_line(run(path, "record", "show", "PML-000000-2026-XX-0009"))
    assert "PML-000000-2026-XX-0009" in line
    line = one_clear_line(
        run(path, "record", "add", "--kind", "case", str(tmp_path / "missing.json"))
    )
    assert "missing.json" in line


def test_status_demo_data_and_audit(profile: tuple[Path, str]) -> None:
    path, _ = profile
    before = json.loads(ok(run(path, "status", "--json")))
    ok(run(path, "demo-data", "--cases", "12", "--outreach", "3", "--seed", "5"))
    after = json.loads(ok(run(path, "status", "--json")))
    assert after["cases"] == before["cases"] + 12
    assert after["outreach"] == before["outreach"] + 3
    assert after["village"] == VILLAGE
    assert after["pending_changes"] == after["changes"]
    text = ok(run(path, "status", lang="id"))
    assert "Kasus" in text and "Desa" in text
    audit = json.loads(ok(run(path, "audit", "--json")))
    assert {"create", "view"} <= {a["action"] for a in audit}


def test_passphrase_change_then_recovery(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    code = json.loads(ok(run(path, "init", "--village", VILLAGE, "--json")))["recovery_code"]
    ok(run(path, "passphrase", "change", new=NEW_PASS))
    one_clear_line(run(path, "status"))  # the old passphrase no longer opens it
    ok(run(path, "status", passphrase=NEW_PASS))
    lowered = code.lower().replace("-", " ")
    ok(
        run(
            path, "recover", "--code", lowered, passphrase=None, new="sesudah pemulihan aman sekali"
        )
    )
    ok(run(path, "status", passphrase="sesudah pemulihan aman sekali"))
    one_clear_line(run(path, "status", passphrase=NEW_PASS))
    line = one_clear_line(
        run(path, "recover", "--code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", new=NEW_PASS)
    )
    assert "recovery code" in line


def test_second_user_has_their_own_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    ok(run(path, "init", "--village", VILLAGE, "--user", "kader"))
    ok(run(path, "user", "add", "bidan", new="passphrase bidan desa"))
    status = json.loads(ok(run(path, "status", "--json", passphrase="passphrase bidan desa")))
    assert status["user"] == "bidan"
    weak = run(path, "user", "add", "tiga", new="pendek")
    assert weak.returncode == 1 and "Traceback" not in weak.stderr
