"""No identifying value in plaintext in any file the app writes (DESIGN.md §4)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.storage.store import Store
from desktop.storage.vault import KdfCost
from simpul.synthetic import generate_cases, generate_outreach

VILLAGE = "33.27.08.2012"
PASS = "kunci rahasia desa pemalang"
SECRETS = {
    "victim name": "Kusumawardhani Prasetyaningrum",
    "NIK": "3327084512110007",
    "narrative": "Kronologi: korban disekap di gudang pelabuhan Tegalsari",
    "reporter": "Sumarsih Handayaningtyas",
    "perpetrator": "Darmo Wiryosukarto",
    "author": "Wahyuningsih Kader",
}


def _forms(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.lower().encode("utf-8")]


def _scan(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for label, secret in SECRETS.items():
            for fragment in (secret, secret.split()[0], secret.split()[-1]):
                if any(form in data for form in _forms(fragment)):
                    found.append(f"{label} ({fragment!r}) in {path.name}")
    return found


def _secret_case() -> dict[str, object]:
    doc = generate_cases(1, seed=11, village=VILLAGE)[0]
    doc["victims"][0]["name"] = SECRETS["victim name"]
    doc["victims"][0]["nik"] = SECRETS["NIK"]
    doc["narrative"] = SECRETS["narrative"] + " pada malam hari."
    doc["reporter"] = {"name": SECRETS["reporter"], "relation": "tetangga"}
    doc["perpetrators"][0]["name"] = SECRETS["perpetrator"]
    return doc


def test_no_identifying_bytes_in_any_profile_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    profile = tmp_path / "profile"
    store, _ = Store.create(
        profile, village=VILLAGE, user=SECRETS["author"], passphrase=PASS, cost=KdfCost(1, 8192, 1)
    )
    rec = store.save(_secret_case()).record
    store.save_many(
        generate_cases(20, seed=2, village=VILLAGE) + generate_outreach(5, seed=2, village=VILLAGE)
    )
    edit = copy.deepcopy(rec.doc)
    edit.update(id=rec.record_id, kind="case", narrative=SECRETS["narrative"] + " (diperbarui).")
    store.save(edit)
    store.read(rec.record_id)
    store.vault.change_passphrase("frasa sandi baru yang panjang")
    store.vault.add_user("Bidan Desa Kedua", "frasa bidan yang panjang")
    # scanned while open (the WAL still holds the recent pages) and again after closing
    assert (profile / "simpul.db-wal").exists()
    assert _scan(profile) == []
    store.close()
    assert _scan(profile) == []
    assert list(tmp.iterdir()) == []
    reopened = Store.open(profile, passphrase="frasa sandi baru yang panjang")
    try:
        assert reopened.get(rec.record_id).doc["victims"][0]["name"] == SECRETS["victim name"]
    finally:
        reopened.close()


def test_cli_session_leaves_no_identifying_bytes(tmp_path: Path) -> None:
    import json

    profile = tmp_path / "profile"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(
        SIMPUL_PROFILE=str(profile), SIMPUL_PASSPHRASE=PASS, TMPDIR=str(tmp), SIMPUL_LANG="en"
    )
    simpul = str(Path(sys.executable).parent / "simpul")

    def run(*args: str, stdin: str = "") -> str:
        out = subprocess.run(
            [simpul, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    run("init", "--village", VILLAGE, "--user", SECRETS["author"])
    run("record", "add", "--kind", "case", "-", stdin=json.dumps(_secret_case()))
    listed = run("record", "list")
    code = listed.split()[0]
    run("record", "show", code)
    assert _scan(profile) == []
    assert list(tmp.iterdir()) == []
