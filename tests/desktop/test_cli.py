"""The `simpul` command as an administrator or a script uses it: real processes, real files."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from desktop import cli
from desktop.i18n import MESSAGES, translate

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
    env_extra: dict[str, str] | None = None,
    tmpdir: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(env_extra or {})
    env["SIMPUL_PROFILE"] = str(profile)
    env["SIMPUL_LANG"] = lang
    tmpdir = tmpdir or profile.parent / "tmp"
    env["TMPDIR"] = str(tmpdir)
    tmpdir.mkdir(exist_ok=True)
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


# -- input limits ------------------------------------------------------------------------


def test_deeply_nested_json_is_one_clear_line(profile: tuple[Path, str]) -> None:
    path, _ = profile
    line = one_clear_line(run(path, "record", "add", "--kind", "case", "-", stdin="[" * 100_000))
    assert "nested too deeply" in line
    # parses, but deeper than any record: refused before the store copies it recursively
    doc = {"kind": "case", "narrative": json.loads("[" * 900 + "]" * 900)}
    line = one_clear_line(run(path, "record", "add", "-", stdin=json.dumps(doc)))
    assert "nested too deeply" in line


def test_input_over_5_mb_is_refused_before_parsing(
    profile: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = profile
    before = json.loads(ok(run(path, "status", "--json")))["changes"]
    summary = "x" * (5 * 1024 * 1024)
    big = json.dumps(
        {"kind": "outreach", "title": "Rapat", "held_on": "2026-01-05", "summary": summary}
    )
    (tmp_path / "big.json").write_text(big, encoding="utf-8")
    line = one_clear_line(run(path, "record", "add", str(tmp_path / "big.json")))
    assert "larger than 5 MB" in line
    line = one_clear_line(run(path, "record", "add", "-", stdin=big, lang="id"))
    assert "lebih besar dari 5 MB" in line
    assert json.loads(ok(run(path, "status", "--json")))["changes"] == before


def test_a_notepad_byte_order_mark_is_accepted(profile: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = profile
    template = ok(run(path, "record", "template", "--kind", "outreach"))
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + template.encode("utf-8"))
    ok(run(path, "record", "add", str(tmp_path / "bom.json")))


def test_an_unsafe_item_id_is_a_validation_problem_not_a_crash(profile: tuple[Path, str]) -> None:
    path, _ = profile
    doc = json.loads(ok(run(path, "record", "template", "--kind", "case")))
    doc["victims"][0]["id"] = "../../" + "x" * 5000
    doc.pop("perpetrators", None)
    result = run(path, "record", "add", "-", stdin=json.dumps(doc))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "victims/0/id" in result.stderr


# -- kinds -------------------------------------------------------------------------------


def test_kind_mismatch_says_so(profile: tuple[Path, str]) -> None:
    path, _ = profile
    template = ok(run(path, "record", "template", "--kind", "case"))
    line = one_clear_line(run(path, "record", "add", "--kind", "outreach", "-", stdin=template))
    assert line == "simpul: The document is a case record, not outreach."
    line = one_clear_line(
        run(path, "record", "add", "--kind", "outreach", "-", stdin=template, lang="id")
    )
    assert line == "simpul: Dokumen ini catatan kasus, bukan sosialisasi."
    # an edit whose kind differs from the record's
    added = json.loads(ok(run(path, "record", "add", "-", "--json", stdin=template)))
    doc = {"id": added["id"], "kind": "outreach", "title": "Rapat", "held_on": "2026-01-05"}
    line = one_clear_line(run(path, "record", "add", "-", stdin=json.dumps(doc)))
    assert line == "simpul: The document is a case record, not outreach."
    line = one_clear_line(run(path, "record", "add", "-", stdin='{"narrative": "x"}'))
    assert "does not say its kind" in line


# -- record list and show ----------------------------------------------------------------


def test_record_list_shows_the_summary_columns(profile: tuple[Path, str]) -> None:
    path, _ = profile
    template = ok(run(path, "record", "template", "--kind", "outreach", "--seed", "4"))
    ok(run(path, "record", "add", "-", stdin=template))
    rows = json.loads(ok(run(path, "record", "list", "--json")))
    case = next(r for r in rows if r["kind"] == "case")
    outreach = next(r for r in rows if r["kind"] == "outreach")
    assert {"violence_types", "victims", "status", "tppo"} <= set(case)
    assert isinstance(case["tppo"], bool) and case["victims"] >= 1
    assert {"title", "type", "topics", "participants"} <= set(outreach)
    assert outreach["title"] and outreach["participants"] > 0


def test_record_list_never_decrypts_a_document(
    profile: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.storage.store import RecordView

    def no_doc(self: RecordView) -> dict[str, Any]:
        raise AssertionError("record list decrypted a whole document")

    path, _ = profile
    monkeypatch.setattr(RecordView, "doc", property(no_doc))
    monkeypatch.setenv("SIMPUL_PROFILE", str(path))
    monkeypatch.setenv("SIMPUL_PASSPHRASE", PASS)
    assert cli.main(["--lang", "en", "record", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert cli.main(["--lang", "en", "record", "list"]) == 0


def test_show_json_round_trips_as_an_edit_of_that_version(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    ok(run(path, "init", "--village", VILLAGE))
    template = ok(run(path, "record", "template", "--kind", "case"))
    added = json.loads(ok(run(path, "record", "add", "-", "--json", stdin=template)))
    shown = json.loads(ok(run(path, "record", "show", added["id"], "--json")))
    record = shown["record"]
    assert record["id"] == added["id"] and record["kind"] == "case"
    assert record["_base"] == [h["change"] for h in shown["history"]]
    # two scripts edit the same printed version
    first = json.dumps({**record, "narrative": "Versi pertama.", "status": "dirujuk"})
    second = json.dumps({**record, "narrative": "Versi kedua."})
    edit = json.loads(ok(run(path, "record", "add", "-", "--json", stdin=first)))
    assert edit["created"] is False and edit["id"] == added["id"]
    ok(run(path, "record", "add", "-", stdin=second))
    after = json.loads(ok(run(path, "record", "show", added["id"], "--json")))
    assert len(after["history"]) == 3
    assert after["record"]["status"] == "dirujuk"  # the first edit is kept ...
    assert after["needs_review"] == ["narrative"]  # ... and the field both changed is flagged
    listed = json.loads(ok(run(path, "record", "list", "--json")))
    assert [r["id"] for r in listed] == [added["id"]]


# -- recovery code and user names --------------------------------------------------------


def test_recover_takes_the_code_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    code = json.loads(ok(run(path, "init", "--village", VILLAGE, "--json")))["recovery_code"]
    new = "sesudah pemulihan aman sekali"
    env = {"SIMPUL_RECOVERY_CODE": code}
    out = ok(run(path, "recover", passphrase=None, new=new, env_extra=env))
    assert "kader" in out
    ok(run(path, "status", passphrase=new))


def test_recover_without_a_code_off_a_terminal_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    ok(run(path, "init", "--village", VILLAGE))
    line = one_clear_line(run(path, "recover", passphrase=None, new=NEW_PASS))
    assert "SIMPUL_RECOVERY_CODE" in line
    line = one_clear_line(run(path, "recover", passphrase=None, new=NEW_PASS, lang="id"))
    assert "Kode pemulihan tidak diberikan" in line


def test_user_names_match_as_the_vault_matches_them(tmp_path: Path) -> None:
    path = tmp_path / "profile"
    name = unicodedata.normalize("NFC", "Dévi")
    code = json.loads(ok(run(path, "init", "--village", VILLAGE, "--user", name, "--json")))[
        "recovery_code"
    ]
    ok(run(path, "user", "add", "bidan", new="passphrase bidan desa"))
    line = one_clear_line(run(path, "user", "add", "DÉVI", new="passphrase lain yang panjang"))
    assert line == f"simpul: A user named {name} already exists."
    line = one_clear_line(run(path, "user", "add", " Bidan ", new="passphrase lain yang panjang"))
    assert line == "simpul: A user named bidan already exists."
    decomposed = unicodedata.normalize("NFD", "DÉVI")
    new = "sesudah pemulihan aman sekali"
    env = {"SIMPUL_RECOVERY_CODE": code}
    out = ok(run(path, "recover", "--user", decomposed, passphrase=None, new=new, env_extra=env))
    assert name in out
    assert json.loads(ok(run(path, "status", "--json", passphrase=new)))["user"] == name
    line = one_clear_line(
        run(path, "recover", "--user", "nobody", passphrase=None, new=new, env_extra=env)
    )
    assert line == "simpul: No user named nobody in this profile."


# -- disk errors -------------------------------------------------------------------------


def test_profile_in_the_place_of_a_file_is_not_a_disk_full(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for profile in (tmp_path / "file", tmp_path / "file" / "profile"):
        line = one_clear_line(run(profile, "init", "--village", VILLAGE, tmpdir=tmp_path / "t"))
        assert "is not a folder" in line and str(profile) in line
        assert "space" not in line


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_no_permission_names_no_path(tmp_path: Path) -> None:
    # sysfs refuses a new folder even to root (EPERM), and to other users (EACCES)
    profile = Path("/sys/kernel/simpul-test/profile")
    line = one_clear_line(run(profile, "init", "--village", VILLAGE, tmpdir=tmp_path / "t"))
    assert "not allowed to write" in line
    assert "/sys" not in line and "space" not in line


def test_other_os_errors_are_not_disk_full(tmp_path: Path) -> None:
    profile = tmp_path / ("p" * 300)  # ENAMETOOLONG
    line = one_clear_line(run(profile, "init", "--village", VILLAGE))
    assert "The disk reported an error" in line and "space" not in line


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ENOSPC, "write_failed"),
        (getattr(errno, "EDQUOT", errno.ENOSPC), "write_failed"),
        (errno.EACCES, "no_permission"),
        (errno.EPERM, "no_permission"),
        (errno.EROFS, "no_permission"),
        (errno.ENOTDIR, "profile_not_a_directory"),
        (errno.EEXIST, "profile_not_a_directory"),
        (errno.EISDIR, "profile_not_a_directory"),
        (errno.EIO, "io_error"),
    ],
)
def test_os_errors_are_told_apart_by_errno(number: int, code: str) -> None:
    exc = OSError(number, os.strerror(number))
    found, params = cli._os_error_message(exc, Path("/p"))
    assert found == code
    text = translate(found, "en", params)
    assert "{" not in text and ("space" in text) == (code == "write_failed")


def test_a_typed_write_failure_is_told_apart_by_errno() -> None:
    from desktop.storage.errors import DiskFullError, WriteFailedError

    denied = WriteFailedError(message="could not create the folder", errno=errno.EACCES)
    assert cli._user_error_message(denied, Path("/p"))[0] == "no_permission"
    assert cli._user_error_message(DiskFullError(), Path("/p"))[0] == "write_failed"


# -- message catalog ---------------------------------------------------------------------


def test_every_code_the_cli_raises_has_a_message() -> None:
    source = Path(cli.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'CliError\(\s*"(\w+)"', source))
    raised |= set(re.findall(r'return "(\w+)", \{', source))
    raised |= set(re.findall(r'_fail\(lang, "(\w+)"', source))
    raised |= set(re.findall(r'ctx\.(?:say|t)\(\s*"(\w+)"\s*[,)]', source))
    storage = {
        "profile_busy",
        "storage_failed",
        "profile_newer",
        "record_deleted",
        "change_rejected",
        "unknown_kind",
        "unknown_record",
        "write_failed",
    }
    assert len(raised) > 20
    assert raised | storage <= set(MESSAGES)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_translate_never_shows_a_raw_placeholder(lang: str) -> None:
    for code in MESSAGES:
        text = translate(code, lang)
        assert "{" not in text and "}" not in text, (code, text)
        assert "  " not in text.strip(), (code, text)
    assert translate("user_exists", lang, {"user": "kader"}).count("kader") == 1
    assert translate("unknown_user", "en") == "No user named in this profile."
    assert translate("no_such_code", lang, fallback="no user {user} here") == "no user here"
    assert translate("no_such_code", lang, fallback="odd {brace") == "odd brace"


def test_new_messages_read_as_agreed() -> None:
    assert translate("profile_newer", "en") == (
        "This profile was written by a newer version of Simpul; update Simpul to open it."
    )
    assert translate("profile_newer", "id").startswith("Profil ini ditulis oleh Simpul versi")
    assert translate("kind_mismatch", "en", {"found": "case", "wanted": "outreach"}) == (
        "The document is a case record, not outreach."
    )
