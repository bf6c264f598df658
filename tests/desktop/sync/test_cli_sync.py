"""``simpul enroll / sync / bundle / status`` as a focal point uses them: real processes, a real
``simpul-district serve``, real files on a "flash drive" folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import VILLAGE, DistrictServer

SIMPUL = str(Path(sys.executable).parent / "simpul")
PASS = "kunci rahasia desa pemalang"


def simpul(
    profile: Path, *args: str, lang: str = "en", passphrase: str = PASS
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(SIMPUL_PROFILE=str(profile), SIMPUL_LANG=lang, SIMPUL_PASSPHRASE=passphrase)
    return subprocess.run(
        [SIMPUL, *args], env=env, capture_output=True, text=True, timeout=300, input=""
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def status(profile: Path) -> dict[str, object]:
    return dict(json.loads(ok(simpul(profile, "status", "--json"))))


def test_online_sync_then_by_hand_when_the_server_is_down(
    district_server: DistrictServer, tmp_path: Path
) -> None:
    profile = tmp_path / "laptop"
    ok(simpul(profile, "init", "--village", VILLAGE, "--json"))
    ok(simpul(profile, "demo-data", "--cases", "5", "--outreach", "2"))
    said = ok(
        simpul(
            profile,
            "enroll",
            "--server",
            district_server.url,
            "--code",
            district_server.enrollment_code(),
        )
    )
    assert "Tambakrejo" in said and VILLAGE in said
    synced = json.loads(ok(simpul(profile, "sync", "--json")))
    assert synced["state"] == "synced" and synced["pushed_changes"] == 7
    assert len(district_server.records()) == 7
    assert status(profile)["pending_changes"] == 0

    district_server.stop()
    ok(simpul(profile, "demo-data", "--cases", "3", "--outreach", "0", "--seed", "2"))
    offline = simpul(profile, "sync")
    assert offline.returncode == 3 and "Traceback" not in offline.stderr
    assert len(offline.stdout.strip().splitlines()) == 1
    assert "3 change(s) wait" in offline.stdout
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    written = ok(simpul(profile, "bundle", "export", "--out", str(drive))).split()
    assert written and all(Path(p).parent == drive for p in written)
    assert status(profile)["pending_changes"] == 3  # exported is not acknowledged

    imported = district_server.cli("import", str(drive))
    assert "imported" in imported.stdout
    back = sorted(drive.glob("*.simpul-receipt")) + sorted(drive.glob("*.simpul-return"))
    assert back
    ok(simpul(profile, "bundle", "apply", *map(str, back)))
    final = status(profile)
    assert final["pending_changes"] == 0 and final["awaiting_receipt"] == []
    assert len(district_server.records()) == 10
    # applying the same files again changes nothing
    again = ok(simpul(profile, "bundle", "apply", *map(str, back)))
    assert "already applied" in again


def test_enrollment_by_file_for_a_village_without_internet(
    district_data: Path, tmp_path: Path
) -> None:
    district = DistrictServer(district_data)  # never served: everything by hand
    enrollment = tmp_path / "enrollment.json"
    district.cli("enroll", "--village", VILLAGE, "--file", str(enrollment))
    profile = tmp_path / "laptop"
    ok(simpul(profile, "init", "--village", VILLAGE, "--json"))
    ok(simpul(profile, "enroll", "--file", str(enrollment)))
    assert status(profile)["enrollment_confirmed"] is False
    ok(simpul(profile, "demo-data", "--cases", "4", "--outreach", "1"))
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    ok(simpul(profile, "bundle", "export", "--out", str(drive)))
    assert list(drive.glob("*.simpul-enroll"))  # the answer travels with the bundle

    district.cli("import", str(drive))  # registers the laptop, then imports its bundle

    assert len(district.records()) == 5
    back = sorted(drive.glob("*.simpul-receipt")) + sorted(drive.glob("*.simpul-return"))
    ok(simpul(profile, "bundle", "apply", *map(str, back)))
    final = status(profile)
    assert final["enrollment_confirmed"] is True and final["pending_changes"] == 0
    # once confirmed, an export no longer carries the answer
    ok(simpul(profile, "demo-data", "--cases", "1", "--outreach", "0", "--seed", "9"))
    later = tmp_path / "later"
    later.mkdir()
    ok(simpul(profile, "bundle", "export", "--out", str(later)))
    assert not list(later.glob("*.simpul-enroll"))


def test_user_mistakes_get_one_clear_line_in_indonesian(
    district_server: DistrictServer, tmp_path: Path
) -> None:
    profile = tmp_path / "laptop"
    ok(simpul(profile, "init", "--village", VILLAGE, "--json"))
    line = one_line_error(simpul(profile, "sync", lang="id"))
    assert "belum terdaftar" in line
    line = one_line_error(
        simpul(
            profile, "enroll", "--server", district_server.url, "--code", "SALAH-KODE", lang="id"
        )
    )
    assert "kode pendaftaran" in line.lower()
    one_line_error(simpul(profile, "enroll", "--code", "X"), code=2)
    ok(
        simpul(
            profile,
            "enroll",
            "--server",
            district_server.url,
            "--code",
            district_server.enrollment_code(),
        )
    )
    junk = tmp_path / "junk.simpul-receipt"
    junk.write_bytes(b"not a receipt at all")
    applied = simpul(profile, "bundle", "apply", str(junk), lang="id")
    assert applied.returncode == 1 and "Traceback" not in applied.stderr
    assert "bukan tanda terima" in applied.stdout
    district_server.stop()
    offline = simpul(profile, "sync", lang="id")
    assert offline.returncode == 3
    assert "tidak ada yang hilang" in offline.stdout
