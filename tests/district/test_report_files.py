"""Report files (CSV, XLSX, PDF, SIMFONI CSV) read back with real readers; the CLI end to end."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from district.config import DistrictConfig
from district.report_files import (
    SIMFONI_FIELDS,
    consent_allows_identity,
    report_csv,
    report_xlsx,
    simfoni_csv,
    simfoni_rows,
)
from district.report_pdf import report_pdf
from district.reports import SMALL, build_report, parse_period, read_period
from district.service import District
from district.testing import SyntheticDevice
from simpul.records.taxonomy import load_taxonomy

from . import test_reports
from .conftest import OTHER_VILLAGE, PASSPHRASE, VILLAGE
from .test_reports import ADMIN, THIRD_VILLAGE, Loaded

# The synthetic villages of the report tests, as fixtures of this module too.
loaded = test_reports.loaded
small_villages = test_reports.small_villages

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


def _csv_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return comments, list(csv.DictReader(io.StringIO(body)))


def test_the_csv_holds_every_cell(district: District, loaded: Loaded) -> None:
    report = build_report(district, ADMIN, "2026")
    comments, rows = _csv_rows(report_csv(report))
    assert comments[0].startswith("# Rekap Kabupaten Pemalang")
    assert "Tahun 2026" in comments[1]
    assert len(rows) == sum(len(t.rows) * len(t.columns) for t in report.tables)
    wanted = report.table("summary").cell(VILLAGE, "cases")
    [line] = [
        r
        for r in rows
        if r["table"] == "summary" and r["code"] == VILLAGE and r["column"] == "cases"
    ]
    assert int(line["value"]) == wanted and line["level"] == "village"
    assert line["column_label"] == "Kasus" and line["table_title"] == "Ringkasan"


def test_a_shared_csv_marks_small_cells(district: District, small_villages: None) -> None:
    comments, rows = _csv_rows(report_csv(build_report(district, ADMIN, "2026-10", share=True)))
    assert any("untuk dibagikan" in c for c in comments)
    cells = {
        (r["code"], r["column"]): r["value"]
        for r in rows
        if r["table"] == "place" and r["column"] in ("rumah_tangga", "total")
    }
    assert cells[(OTHER_VILLAGE, "rumah_tangga")] == SMALL
    assert cells[(THIRD_VILLAGE, "rumah_tangga")] == SMALL
    assert cells[("33.27.01", "rumah_tangga")] == "8"
    assert cells[(OTHER_VILLAGE, "total")] == "x"


def test_the_xlsx_has_a_cover_and_a_sheet_per_table(district: District, loaded: Loaded) -> None:
    report = build_report(district, ADMIN, "2026", share=True)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book.sheetnames[0] == "Rekap"
    cover = book["Rekap"]
    assert cover["A1"].value == "Rekap Kabupaten Pemalang"
    texts = [c.value for row in cover.iter_rows() for c in row if c.value]
    assert "Tahun 2026" in texts and "untuk dibagikan" in texts
    assert len(book.sheetnames) == 1 + len(report.tables)
    assert book.sheetnames[1:3] == ["Ringkasan", "Korban per jenis"]
    summary = book[book.sheetnames[1]]
    header = [c.value for c in summary[1]]
    assert header[:3] == ["Wilayah", "Kasus", "Korban"]
    assert all(c.font.bold for c in summary[1])
    assert summary.freeze_panes == "B2"
    assert summary.column_dimensions["A"].width > 10
    district_row = [c.value for c in summary[summary.max_row]]
    assert district_row[0] == "Kabupaten Pemalang"
    assert district_row[1] == report.table("summary").cell("33.27", "cases")
    places = book[book.sheetnames[1 + [t.key for t in report.tables].index("place")]]
    values = [c.value for row in places.iter_rows(min_row=2) for c in row[1:]]
    assert all(isinstance(v, int) or v in (SMALL, "x") for v in values)


def test_the_pdf_has_title_period_and_page_numbers(district: District, loaded: Loaded) -> None:
    report = build_report(district, ADMIN, "2026")
    reader = PdfReader(io.BytesIO(report_pdf(report)))
    pages = len(reader.pages)
    assert pages >= 2
    texts = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    assert all("Kabupaten Pemalang — DP3AP2KB" in t for t in texts)
    assert all("Periode: Tahun 2026" in t for t in texts)
    for n, text in enumerate(texts, start=1):
        assert f"Halaman {n} dari {pages}" in text
    cases = report.table("summary").cell("33.27", "cases")
    assert re.search(rf"Kabupaten Pemalang {cases} ", texts[0])
    assert "Korban menurut jenis kekerasan" in " ".join(texts)
    english = PdfReader(io.BytesIO(report_pdf(build_report(district, ADMIN, "2026", lang="en"))))
    assert f"Page 1 of {len(english.pages)}" in english.pages[0].extract_text().replace("\t", " ")


def test_the_simfoni_csv_has_a_line_per_victim_and_names_only_with_consent(
    district: District, loaded: Loaded
) -> None:
    period = parse_period("2026")
    lines, named = simfoni_rows(read_period(district, period, full=True), period)
    cases = [
        doc
        for _, kind, doc in loaded.docs
        if kind == "case" and not doc.get("_deleted") and doc["reported_on"].startswith("2026")
    ]
    assert len(lines) == sum(len(doc["victims"]) for doc in cases) and named == []
    data = simfoni_csv(lines)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(SIMFONI_FIELDS)
    assert {r["Nama"] for r in rows} == {""} and {r["NIK"] for r in rows} == {""}
    assert {r["Jenis Kelamin"] for r in rows} <= {"Perempuan", "Laki-laki", ""}
    assert {r["Kode Kasus"] for r in rows} == {doc["code"] for doc in cases}
    educations = load_taxonomy().codes("education")
    simfoni_education = {load_taxonomy().simfoni("education", c) for c in educations}
    assert {r["Pendidikan"] for r in rows} - {""} <= simfoni_education
    assert any(r["Pendidikan"] for r in rows) and any(r["Tanggal Kejadian"] for r in rows)

    identified, named = simfoni_rows(
        read_period(district, period, full=True), period, identified=True
    )
    allowed = [doc for doc in cases if consent_allows_identity(doc)]
    assert 0 < len(allowed) < len(cases)
    assert len(named) == len(allowed)
    names = {line[SIMFONI_FIELDS.index("Nama")] for line in identified} - {""}
    expected = {v["name"] for doc in allowed for v in doc["victims"] if v.get("name")}
    assert names == expected
    refused = {v.get("name") for doc in cases if doc not in allowed for v in doc["victims"]}
    assert not names & (refused - expected)


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def run(district_config: DistrictConfig) -> Run:
    def go(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SIMPUL_", "QT_"))}
        env["SIMPUL_DISTRICT_PASSPHRASE"] = PASSPHRASE
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        if lang:
            env["SIMPUL_LANG"] = lang
        if district_config.database_url:
            env["SIMPUL_DATABASE_URL"] = district_config.database_url
        return subprocess.run(
            [sys.executable, "-m", "district.cli", "--data", str(district_config.data_dir), *args],
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    return go


def test_the_cli_writes_reports(
    run: Run, district: District, loaded: Loaded, tmp_path: Path
) -> None:
    out = tmp_path / "rekap.xlsx"
    done = run("report", "--month", "2026-10", "--format", "xlsx", "--out", str(out), "--share")
    assert done.returncode == 0, done.stderr
    assert "Rekap Oktober 2026 ditulis ke" in done.stdout
    book = load_workbook(out)
    assert "untuk dibagikan" in [c.value for row in book["Rekap"].iter_rows() for c in row]

    pdf = tmp_path / "rekap.pdf"
    done = run("report", "--year", "2026", "--out", str(pdf))  # format from the extension
    assert done.returncode == 0, done.stderr
    assert "Halaman 1 dari" in PdfReader(pdf).pages[0].extract_text().replace("\t", " ")

    english = tmp_path / "report.csv"
    done = run("--lang", "en", "report", "--year", "2026", "--out", str(english))
    assert done.returncode == 0, done.stderr
    assert "Report for Year 2026 written to" in done.stdout
    comments, rows = _csv_rows(english.read_bytes())
    assert "Period: Year 2026" in comments[1]
    assert {r["table_title"] for r in rows} >= {"Summary", "Cases by place of incident"}

    simfoni = tmp_path / "simfoni.csv"
    done = run("report", "--year", "2026", "--simfoni", "--identified", "--out", str(simfoni))
    assert done.returncode == 0, done.stderr
    assert "CSV SIMFONI 2026 ditulis" in done.stdout
    entries = district.audit_log(ADMIN, limit=100_000)
    assert any(e.action == "report_simfoni_record" and e.actor.startswith("cli:") for e in entries)
    assert any(e.action == "report" and e.actor.startswith("cli:") for e in entries)


def test_the_cli_refuses_a_bad_period_and_an_unwritable_file(
    run: Run, district: District, tmp_path: Path
) -> None:
    out = tmp_path / "rekap.csv"
    bad = run("report", "--month", "2026-13", "--out", str(out))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [
        "simpul-district: Periode laporan tidak sah: 2026-13. Gunakan TTTT-BB (bulan) atau "
        "TTTT (tahun)."
    ]
    year_as_month = run("report", "--month", "2026", "--out", str(out))
    assert year_as_month.returncode == 2 and "2026" in year_as_month.stderr
    missing = tmp_path / "no-such-folder" / "rekap.csv"
    unwritable = run("report", "--month", "2026-10", "--out", str(missing))
    assert unwritable.returncode == 1 and "Traceback" not in unwritable.stderr
    assert "tidak ada yang ditulis" in unwritable.stderr
    assert not out.exists() and not missing.parent.exists()
    english = run("report", "--month", "oktober", "--out", str(out), lang="en")
    assert english.returncode == 2 and "Not a report period: oktober" in english.stderr


def test_a_simfoni_export_without_identity_rights_holds_no_names(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    device = enrolled(VILLAGE)
    doc = {
        "kind": "case",
        "reported_on": "2026-10-02",
        "violence_types": ["psikis"],
        "victims": [{"sex": "P", "age": 40, "name": "Siti Contoh", "nik": "3327080101860001"}],
        "consent": {"given_by": "korban", "scope": ["catat", "statistik_anonim"]},
    }
    district.import_bundle(device.seal([device.save(doc)]), via="test")
    period = parse_period("2026-10")
    lines, named = simfoni_rows(read_period(district, period, full=True), period, identified=True)
    assert named == [] and "Siti Contoh" not in str(lines) and "3327080101860001" not in str(lines)
