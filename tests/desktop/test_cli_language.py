"""The language of `simpul`: its help, argparse's own words, and labels instead of codes."""

from __future__ import annotations

import argparse
import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import cli
from desktop.i18n import MESSAGES, translate
from simpul.cli_language import ARGPARSE_ID, lang_option
from simpul.records.taxonomy import load_taxonomy

SIMPUL = str(Path(sys.executable).parent / "simpul")
PASS = "kunci rahasia desa pemalang"
VILLAGE = "33.27.08.2012"
HELP_CODES = [c for c in MESSAGES if c.startswith("help_") and not c.startswith("help_metavar")]
ENGLISH_WORDS = ("usage:", "positional arguments", "options:", "show this help", "error:")


def run(
    profile: Path, *args: str, lang: str | None = "id", stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    env.update(SIMPUL_PROFILE=str(profile), SIMPUL_PASSPHRASE=PASS)
    env["TMPDIR"] = str(profile.parent)
    if lang is not None:
        env["SIMPUL_LANG"] = lang
    return subprocess.run(
        [SIMPUL, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def opening(code: str, lang: str) -> str:
    """The first three words of a help text: a wrapped help still shows them on one line."""
    return " ".join(translate(code, lang).split()[:3])


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lang") / "profile"
    ok(run(path, "init", "--village", VILLAGE))
    template = ok(run(path, "record", "template", "--kind", "case"))  # a trafficking case
    ok(run(path, "record", "add", "-", stdin=template))
    ok(run(path, "demo-data", "--cases", "3", "--outreach", "2", "--seed", "7"))
    return path


# -- help --------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--help",), ("record", "add", "--help"), ("init", "-h")])
def test_help_is_indonesian_by_default(tmp_path: Path, args: tuple[str, ...]) -> None:
    text = ok(run(tmp_path / "p", *args, lang=None))
    assert text.startswith("penggunaan: simpul")
    assert "tampilkan bantuan ini lalu keluar" in text and "opsi:" in text
    for word in ENGLISH_WORDS:
        assert word not in text
    for code in HELP_CODES:
        assert opening(code, "en") not in text, code
    if args == ("--help",):
        assert "buat profil" in text and "argumen posisi:" in text and "PERINTAH" in text


def test_help_follows_lang_and_simpul_lang(tmp_path: Path) -> None:
    english = ok(run(tmp_path / "p", "--lang", "en", "--help"))
    assert english.startswith("usage: simpul")
    assert "create a profile" in english and "show this help message and exit" in english
    assert "buat profil" not in english
    assert ok(run(tmp_path / "p", "--help", lang="en")) == english
    assert ok(run(tmp_path / "p", "--lang=en", "--help", lang="id")) == english
    indonesian = ok(run(tmp_path / "p", "--lang=id", "--help", lang="en"))
    assert "buat profil" in indonesian and "create a profile" not in indonesian
    sub = ok(run(tmp_path / "p", "--lang", "en", "record", "show", "-h"))
    assert "record id or case code" in sub and "id catatan" not in sub


def test_lang_is_found_before_the_parser_is_built() -> None:
    assert lang_option(["--lang", "en", "status"]) == "en"
    assert lang_option(["status", "--lang=en"]) == "en"
    assert lang_option(["--lan", "en"]) == "en"
    assert lang_option(["--lang"]) is None
    assert lang_option(["record", "add", "--", "--lang", "en"]) is None
    assert lang_option(["record", "list"]) is None


def test_every_help_text_has_both_languages() -> None:
    for code in HELP_CODES:
        english, indonesian = MESSAGES[code]
        assert english and indonesian and "%" not in english + indonesian, code
        assert english != indonesian, code


def test_argparse_translations_keep_their_placeholders() -> None:
    pattern = re.compile(r"%\(\w+\)[sr]|%[sr]|\n")
    for msgid, indonesian in ARGPARSE_ID.items():
        wanted = sorted(set(pattern.findall(msgid)))
        if msgid == "invalid %(type)s value: %(value)r":
            wanted.remove("%(type)s")  # the type's Python name is left out on purpose
        assert sorted(set(pattern.findall(indonesian))) == wanted, msgid


# -- argument errors ---------------------------------------------------------------------


def test_an_argument_error_is_usage_and_one_indonesian_line(tmp_path: Path) -> None:
    result = run(tmp_path / "p", "record", "add", "--kind", "nope", "x", lang=None)
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("penggunaan: simpul record add")
    assert lines[-1] == (
        "simpul record add: kesalahan: argumen --kind: pilihan tidak sah: 'nope' "
        "(pilih dari 'case', 'outreach')"
    )
    for word in ENGLISH_WORDS + ("invalid choice", "argument"):
        assert word not in result.stderr
    missing = run(tmp_path / "p", "init", lang=None)
    assert missing.returncode == 2
    last = missing.stderr.splitlines()[-1]
    assert last == "simpul init: kesalahan: argumen berikut wajib diisi: --village"


def test_an_argument_error_in_english(tmp_path: Path) -> None:
    result = run(tmp_path / "p", "--lang", "en", "record", "add", "--kind", "nope", "x")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: simpul record add")
    assert "error: argument --kind: invalid choice: 'nope'" in result.stderr.splitlines()[-1]


def test_argparse_is_left_as_it_was(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SIMPUL_LANG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo-data", "--cases", "banyak"])
    assert exit_info.value.code == 2
    assert "kesalahan: argumen --cases: nilai tidak sah: 'banyak'" in capsys.readouterr().err
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext


# -- labels instead of codes -------------------------------------------------------------


def test_record_list_shows_labels_not_codes(profile: Path) -> None:
    taxonomy = load_taxonomy()
    rows = json.loads(ok(run(profile, "record", "list", "--json")))
    assert any("trafficking" in r.get("violence_types", ()) for r in rows)  # --json keeps codes
    for lang in ("id", "en"):
        text = ok(run(profile, "record", "list", lang=lang))
        lines = {line.split()[0]: line for line in text.splitlines()}
        for row in rows:
            line = lines[row["code"]]
            if row["kind"] == "case":
                pairs = [("violence_type", c) for c in row["violence_types"]]
                pairs.append(("case_status", row["status"]))
            else:
                pairs = [("outreach_topic", c) for c in row["topics"]]
                pairs.append(("outreach_type", row["type"]))
            for list_name, code in pairs:
                label = taxonomy.label(list_name, code, lang=lang)
                assert label in line, (code, line)
                if label.casefold() != code.casefold():
                    assert not re.search(rf"(?<![\w/]){re.escape(code)}(?![\w/])", line), line
    text = ok(run(profile, "record", "list"))
    assert "Trafficking (TPPO)" in text and "korban" in text
    assert not re.search(r"\btrafficking\b", text)


def test_record_show_starts_with_a_readable_summary(profile: Path) -> None:
    rows = json.loads(ok(run(profile, "record", "list", "--json")))
    case = next(r for r in rows if "trafficking" in r.get("violence_types", ()))
    taxonomy = load_taxonomy()
    text = ok(run(profile, "record", "show", case["code"]))
    head, _, rest = text.partition("{")
    fields = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in head.splitlines()[:8])
    assert fields["Kode"] == case["code"] and fields["ID"] == case["id"]
    assert fields["Jenis catatan"] == "kasus"
    assert fields["Tanggal laporan"] == case["date"]
    assert fields["Status"] == taxonomy.label("case_status", case["status"], lang="id")
    assert fields["Jenis kekerasan"] == ", ".join(
        taxonomy.label("violence_type", c, lang="id") for c in case["violence_types"]
    )
    assert fields["Jumlah korban"] == str(case["victims"])
    assert fields["Isian yang perlu ditinjau"] == "-"
    assert '"violence_types"' in rest and "Riwayat:" in rest  # the document, then the history
    outreach = next(r for r in rows if r["kind"] == "outreach")
    english = ok(run(profile, "record", "show", outreach["id"], lang="en"))
    assert "Type of activity" in english and "Participants" in english
    assert taxonomy.label("outreach_type", outreach["type"], lang="en") in english
    shown = json.loads(ok(run(profile, "record", "show", case["code"], "--json")))
    assert shown["record"]["violence_types"] == case["violence_types"]
