"""The district reports page against a real server holding two villages' synced records: the
numbers on screen, in the chart and in the XLSX/PDF/CSV files equal a count made here over the
same synthetic documents; sharing hides small village cells; signing out empties the page."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.sync.errors import ServerError
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.reports import ReportsPage, ReportTableModel, _parse_report
from desktop.ui.district.window import NAVIGATION, DistrictWindow
from district.reports import HIDDEN, SMALL, PeriodRecord, Report, compute_report
from simpul.recap import Period
from simpul.synthetic import generate_cases, generate_outreach
from tests.support.district_server import DistrictServer

from ..conftest import AnsweringPrompter, click
from .conftest import new_laptop, serve_copy

TODAY = date(2026, 10, 31)
BIG = "33.27.08.2012"  # Tambakrejo, Kec. Pemalang: many cases
SMALL_VILLAGE = "33.27.01.2001"  # Plakaran, Kec. Moga: two cases in the month
BANDS = ((0, 5, "0_5"), (6, 12, "6_12"), (13, 17, "13_17"), (18, 24, "18_24"))
BANDS += ((25, 44, "25_44"), (45, 59, "45_59"), (60, 200, "60_plus"))
GROUPS = ("female_child", "female_adult", "male_child", "male_adult")


@dataclass
class Synced:
    """What the two laptops sent: the month holding most cases, and every document."""

    month: str
    cases: dict[str, list[dict[str, Any]]]
    outreach: dict[str, list[dict[str, Any]]]


def _laptop(folder: Path, village: str, server: DistrictServer, docs: list[dict[str, Any]]) -> None:
    with new_laptop(folder, village) as store:
        store.save_many(docs)
        enroll_online(store, server.url, server.enrollment_code(village))
        SyncEngine(store).run_once()


@pytest.fixture(scope="module")
def _synced_data(
    tmp_path_factory: pytest.TempPathFactory, _district_with_staff: Path
) -> tuple[Path, Synced]:
    """A district data directory (with the staff accounts) that two enrolled laptops of
    villages in different kecamatans synced to: the big village with 80 cases, the small one
    with exactly two cases in the big village's busiest month; made once, copied per test."""
    root = tmp_path_factory.mktemp("reports")
    server = DistrictServer(root / "district")
    shutil.copytree(_district_with_staff, server.data)
    big = generate_cases(80, seed=11, village=BIG, today=TODAY)
    month = Counter(d["reported_on"][:7] for d in big).most_common(1)[0][0]
    other = generate_cases(120, seed=12, village=SMALL_VILLAGE, today=TODAY)
    inside = [d for d in other if d["reported_on"].startswith(month)]
    assert len(inside) >= 2
    small = inside[:2] + [d for d in other if not d["reported_on"].startswith(month)][:10]
    outreach = {}
    for village, seed in ((BIG, 21), (SMALL_VILLAGE, 22)):
        docs = generate_outreach(8, seed=seed, village=village, today=TODAY)
        for day, doc in zip((3, 14, 25), docs, strict=False):  # three held in the month
            doc["held_on"] = f"{month}-{day:02d}"
        outreach[village] = docs
    server.start()
    try:
        _laptop(root / "big", BIG, server, big + outreach[BIG])
        _laptop(root / "small", SMALL_VILLAGE, server, small + outreach[SMALL_VILLAGE])
    finally:
        server.stop()
    return server.data, Synced(month, {BIG: big, SMALL_VILLAGE: small}, outreach)


@pytest.fixture
def district_server(tmp_path: Path, _synced_data: tuple[Path, Synced]) -> Iterator[DistrictServer]:
    """A running server on a copy of the synced data directory."""
    yield from serve_copy(_synced_data[0], tmp_path / "district")


@pytest.fixture
def synced(_synced_data: tuple[Path, Synced]) -> Synced:
    return _synced_data[1]


# ---------------------------------------------------------------------------- own counts


def _age(victim: dict[str, Any], on: date) -> int | None:
    birth = victim.get("birth_date")
    if isinstance(birth, str):
        b = date.fromisoformat(birth)
        if b <= on:
            return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    age = victim.get("age")
    return age if isinstance(age, int) and age >= 0 else None


def count_victims(docs: list[dict[str, Any]], period: str) -> Counter[tuple[str, str]]:
    """(violence type, ``P:13_17``-style column key) → victims, counted here: each victim once
    under each of their types (their own, else the case's), sex and age band on the report
    date; plus (``all``, key) for every victim once."""
    counts: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        if not doc["reported_on"].startswith(period):
            continue
        on = date.fromisoformat(doc["reported_on"])
        for victim in doc.get("victims", []):
            sex = victim.get("sex")
            age = _age(victim, on)
            if sex not in ("P", "L"):
                key = "unknown_sex"
            elif age is None:
                key = f"{sex}:_none"
            else:
                key = f"{sex}:" + next(code for lo, hi, code in BANDS if lo <= age <= hi)
            for vtype in victim.get("violence_types") or doc["violence_types"]:
                counts[(vtype, key)] += 1
                counts[(vtype, "total")] += 1
            counts[("all", key)] += 1
            counts[("all", "total")] += 1
    return counts


def count_participants(docs: list[dict[str, Any]], period: str) -> dict[str, int]:
    sums = dict.fromkeys((*GROUPS, "with_disability"), 0)
    events = 0
    for doc in docs:
        if doc["held_on"].startswith(period):
            events += 1
            for cell in sums:
                sums[cell] += doc["participants"].get(cell, 0)
    return {**sums, "events": events, "total": sum(sums[g] for g in GROUPS)}


def count_cases(docs: list[dict[str, Any]], period: str) -> int:
    return sum(d["reported_on"].startswith(period) for d in docs)


# ---------------------------------------------------------------------------- driving


@pytest.fixture
def page(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    synced: Synced,
    sign_in: Callable[..., None],
) -> Iterator[ReportsPage]:
    """Signed in as a viewer, on the reports page (clicked in the navigation)."""
    sign_in(district_window, district_server, "viewer")
    navigation = district_window.navigation
    item = navigation.item([code for code, _ in NAVIGATION].index("gui_dm_nav_reports"))
    assert not item.isHidden()
    qtbot.mouseClick(
        navigation.viewport(),
        Qt.MouseButton.LeftButton,
        pos=navigation.visualItemRect(item).center(),
    )
    page = district_window.reports_page
    qtbot.waitUntil(page.isVisible)
    yield page
    qtbot.waitUntil(lambda: not page.busy_now, timeout=30_000)


def choose(qtbot: QtBot, page: ReportsPage, period: str) -> None:
    """Pick the period in the combo boxes by keyboard, as a person would."""
    year, _, month = period.partition("-")
    # monthly is the first entry, yearly the second
    qtbot.keyClick(page.kind, Qt.Key.Key_Up if month else Qt.Key.Key_Down)
    # typing selects the entry it starts (typed quickly twice into one list, the words would
    # run together, so only what differs is typed)
    if page.year.currentText() != year:
        qtbot.keyClicks(page.year, year)
    if month and page.month.currentIndex() != int(month) - 1:
        qtbot.keyClicks(page.month, page.month.itemText(int(month) - 1))
    assert page.period() == period


def show(qtbot: QtBot, page: ReportsPage) -> None:
    with qtbot.waitSignal(page.report_shown, timeout=30_000):
        click(qtbot, page.show_button)


def numbers(model: ReportTableModel) -> dict[tuple[str, str], object]:
    """(row code, column key) → the cell as shown: an int (digit grouping removed) or a mark."""
    assert model.table is not None
    out: dict[tuple[str, str], object] = {}
    for r, row in enumerate(model.table.rows):
        for c, column in enumerate(model.table.columns, start=1):
            text = str(model.data(model.index(r, c)))
            digits = text.replace(".", "").replace(",", "")
            out[(row.code, column.key)] = int(digits) if digits.isdigit() else text
    return out


def save(qtbot: QtBot, page: ReportsPage, fmt: str) -> Path:
    with qtbot.waitSignal(page.saved, timeout=60_000) as saved:
        click(qtbot, page.export_buttons[fmt])  # type: ignore[index]
    path = saved.args[0]
    assert isinstance(path, Path)
    return path


# ---------------------------------------------------------------------------- tests


def test_the_month_on_screen_and_in_the_chart_equals_a_count_made_here(
    qtbot: QtBot, page: ReportsPage, synced: Synced, qtmodeltester: Any
) -> None:
    assert page.model.rowCount() == 0 and not page.export_buttons["xlsx"].isEnabled()
    choose(qtbot, page, synced.month)
    show(qtbot, page)

    all_cases = synced.cases[BIG] + synced.cases[SMALL_VILLAGE]
    assert "Tambakrejo" not in page.summary.text()  # the summary says the period and counts
    assert f"{count_cases(all_cases, synced.month)} kasus" in page.summary.text()
    assert page.table_keys()[:4] == [
        "summary",
        "victims_by_type",
        "victims_by_sex_age",
        "type_sex_age",
    ]
    assert {"outreach", "tppo", "tppo_indicators", "deadline"} <= set(page.table_keys())

    # victims × sex × age band, district-wide
    page.choose_table("type_sex_age")
    assert page.panels.currentIndex() == 1 and page.view.isVisible()
    qtmodeltester.check(page.model)
    expected = count_victims(all_cases, synced.month)
    shown = numbers(page.model)
    assert shown and all(v == expected[k] for k, v in shown.items()), {
        k: (v, expected[k]) for k, v in shown.items() if v != expected[k]
    }
    assert shown[("all", "total")] == sum(
        len(d["victims"]) for d in all_cases if d["reported_on"].startswith(synced.month)
    )
    header = page.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Jenis kekerasan"
    # the count columns' headers are broken over lines; the tooltip has the label whole
    tip = page.model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == page.model.table.columns[0].label  # type: ignore[union-attr]
    shown_head = str(page.model.headerData(1, Qt.Orientation.Horizontal))
    assert shown_head.replace("\n", " ") == tip

    # outreach participants per village
    page.choose_table("outreach")
    qtmodeltester.check(page.model)
    shown = numbers(page.model)
    for village in (BIG, SMALL_VILLAGE):
        own = count_participants(synced.outreach[village], synced.month)
        for key in (*GROUPS, "events", "with_disability", "total"):
            assert shown[(village, key)] == own[key], (village, key)

    # the charts hold the same numbers
    page.tables.setCurrentRow(0)
    assert page.panels.currentIndex() == 0 and page.victim_chart.isVisible()
    values = page.victim_chart.values()
    captions = {
        "Anak perempuan": ("P", True),
        "Perempuan dewasa": ("P", False),
        "Anak laki-laki": ("L", True),
        "Laki-laki dewasa": ("L", False),
    }
    table = next(t for t in page.shown.report.tables if t.key == "type_sex_age")  # type: ignore[union-attr]
    label_of = {row.label: row.code for row in table.rows}
    for caption, (sex, child) in captions.items():
        for n, label in enumerate(page.victim_chart.categories()):
            vtype = label_of[label]
            bands = [code for lo, _hi, code in BANDS if (lo < 18) == child]
            assert values[caption][n] == sum(expected[(vtype, f"{sex}:{b}")] for b in bands)
    outreach_values = page.outreach_chart.values()
    assert page.outreach_chart.categories() == ["Moga", "Pemalang"]
    for n, village in enumerate((SMALL_VILLAGE, BIG)):  # kecamatan order: 33.27.01, 33.27.08
        own = count_participants(synced.outreach[village], synced.month)
        assert outreach_values["Anak perempuan"][n] == own["female_child"]
        assert outreach_values["Laki-laki dewasa"][n] == own["male_adult"]


def test_xlsx_pdf_and_csv_hold_the_same_numbers(
    qtbot: QtBot,
    page: ReportsPage,
    synced: Synced,
    prompter: AnsweringPrompter,
    tmp_path: Path,
) -> None:
    import pypdf

    choose(qtbot, page, synced.month)
    show(qtbot, page)
    folder = tmp_path / "unduhan"
    folder.mkdir()
    prompter.save_folder = folder
    all_cases = synced.cases[BIG] + synced.cases[SMALL_VILLAGE]
    expected = count_victims(all_cases, synced.month)

    xlsx = save(qtbot, page, "xlsx")
    assert xlsx == folder / f"rekap-{synced.month}.xlsx"
    assert prompter.suggested == [f"rekap-{synced.month}.xlsx"]
    assert page.status.text() == f"Tersimpan: rekap-{synced.month}.xlsx"
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert page.shown is not None
    assert len(book.sheetnames) == len(page.shown.report.tables) + 1  # a cover sheet first
    tables = page.shown.report.tables
    assert book.sheetnames[0] == "Rekap"
    for sheet, table in zip(book.worksheets[1:], tables, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [table.head, *(c.label for c in table.columns)], table.key
        assert [str(r[0]).strip() for r in rows[1:]] == [r.label for r in table.rows]
        if table.key == "type_sex_age":
            for row, cells in zip(table.rows, rows[1:], strict=True):
                for column, value in zip(table.columns, cells[1:], strict=True):
                    assert value == expected[(row.code, column.key)], (row.code, column.key)
        if table.key == "outreach":
            keys = [c.key for c in table.columns]
            for row, cells in zip(table.rows, rows[1:], strict=True):
                if row.code in (BIG, SMALL_VILLAGE):
                    own = count_participants(synced.outreach[row.code], synced.month)
                    assert cells[1 + keys.index("female_adult")] == own["female_adult"]
                    assert cells[1 + keys.index("total")] == own["total"]
    book.close()

    pdf = save(qtbot, page, "pdf")
    assert pdf.name == f"rekap-{synced.month}.pdf"
    words = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split()
    text = " ".join(words)
    assert "Kabupaten Pemalang" in text and page.shown.report.period_label in text
    assert "Halaman 1" in text
    assert str(expected[("all", "total")]) in words
    assert {str(count_participants(synced.outreach[BIG], synced.month)["total"])} <= set(words)

    csv_path = save(qtbot, page, "csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    cells = {(r["code"], r["column"]): r["value"] for r in lines if r["table"] == "type_sex_age"}
    assert cells[("all", "total")] == str(expected[("all", "total")])


def test_sharing_hides_the_small_village(
    qtbot: QtBot, page: ReportsPage, synced: Synced, prompter: AnsweringPrompter, tmp_path: Path
) -> None:
    choose(qtbot, page, synced.month)
    show(qtbot, page)
    page.choose_table("summary")
    assert numbers(page.model)[(SMALL_VILLAGE, "cases")] == 2
    assert "dibagikan" not in page.summary.text()
    # ticking the box fetches the report again in the shared form; no file can be saved from
    # the unshared one meanwhile
    with qtbot.waitSignal(page.report_shown, timeout=30_000):
        qtbot.mouseClick(page.share, Qt.MouseButton.LeftButton)
        assert page.share.isChecked()
        assert not any(b.isEnabled() for b in page.export_buttons.values())
    assert page.shown is not None and page.shown.share
    assert "dibagikan" in page.summary.text()
    page.choose_table("summary")
    shown = numbers(page.model)
    # the small village's two cases: "x" (a total column), its small cells "<3"
    assert shown[(SMALL_VILLAGE, "cases")] == HIDDEN
    page.choose_table("victims_by_sex_age")
    row = next(
        r
        for r in range(page.model.rowCount())
        if page.model.table.rows[r].code == SMALL_VILLAGE  # type: ignore[union-attr]
    )
    marks = [page.model.data(page.model.index(row, c)) for c in range(1, page.model.columnCount())]
    assert SMALL in marks
    index = page.model.index(row, marks.index(SMALL) + 1)
    assert "1 atau 2" in str(page.model.data(index, Qt.ItemDataRole.ToolTipRole))
    # the kecamatan and district rows stay exact where a complementary cell exists
    kecamatan = SMALL_VILLAGE.rsplit(".", 1)[0]
    summary = page.shown.report.table("summary")  # type: ignore[union-attr]
    assert summary.cell(kecamatan, "cases") in (2, HIDDEN)

    prompter.save_folder = tmp_path
    xlsx = save(qtbot, page, "xlsx")
    assert xlsx.name == f"rekap-{synced.month}-untuk-dibagikan.xlsx"
    book = openpyxl.load_workbook(xlsx, read_only=True)
    values = {
        c for name in book.sheetnames for r in book[name].iter_rows(values_only=True) for c in r
    }
    assert SMALL in values
    book.close()


def test_a_newer_request_wins_and_signing_out_empties_the_page(
    qtbot: QtBot,
    page: ReportsPage,
    synced: Synced,
    district_window: DistrictWindow,
    dctx: DistrictContext,
) -> None:
    choose(qtbot, page, synced.month)
    click(qtbot, page.show_button)
    assert page.busy.isVisible() and page.status.text() == "Menghitung laporan…"
    year = synced.month[:4]
    choose(qtbot, page, year)
    show(qtbot, page)  # the month's answer, overtaken, is dropped
    qtbot.waitUntil(lambda: not dctx.runner.busy, timeout=30_000)
    assert page.shown is not None and page.shown.report.period == year
    all_cases = synced.cases[BIG] + synced.cases[SMALL_VILLAGE]
    assert page.shown.report.cases == count_cases(all_cases, year)
    assert not page.busy.isVisible()
    dctx.records_changed.emit()  # an import stored records: the report may be behind
    assert page.status.text().startswith("Data berubah sejak laporan ini dibuat")

    district_window.lock()
    qtbot.waitUntil(lambda: not district_window.signed_in)
    assert page.shown is None and page.model.rowCount() == 0 and page.tables.count() == 0
    assert page.victim_chart.series is None and page.outreach_chart.series is None
    assert page.summary.text() == "" and page.status.text() == "" and not page.share.isChecked()
    assert not any(b.isEnabled() for b in page.export_buttons.values())


def test_the_page_speaks_english_and_an_offline_server_is_said_calmly(
    qtbot: QtBot,
    page: ReportsPage,
    synced: Synced,
    dctx: DistrictContext,
    district_server: DistrictServer,
) -> None:
    choose(qtbot, page, synced.month)
    show(qtbot, page)
    assert page.shown is not None and page.shown.report.lang == "id"
    with qtbot.waitSignal(page.report_shown, timeout=30_000):
        dctx.update_settings(language="en")  # the report is asked for again in English
    assert page.shown.report.lang == "en"
    assert page.show_button.text() == "Show" and page.share.text().startswith("For sharing")
    assert page.tables.item(0).text() == "Charts"
    assert "Victims by type of violence" in page.tables.item(2).text()
    assert page.victim_chart.values() and "Girls" in page.victim_chart.values()
    page.choose_table("type_sex_age")
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Type of violence"
    assert "cases" in page.summary.text()

    district_server.stop()
    with qtbot.waitSignal(page.failed, timeout=60_000) as failed:
        click(qtbot, page.show_button)
    assert "server" in str(failed.args[0]).lower() and "Traceback" not in failed.args[0]
    assert page.status.text() == failed.args[0]
    assert page.shown is not None  # the last report stays on screen
    QApplication.processEvents()


def test_model_is_empty_and_sound_without_a_report(
    qtmodeltester: Any, dctx: DistrictContext
) -> None:
    model = ReportTableModel(dctx.texts)
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) is None
    assert model.data(QModelIndex()) is None


def test_a_report_survives_its_json_and_a_malformed_answer_is_a_server_error() -> None:
    docs = generate_cases(30, seed=5, village=BIG, today=TODAY)
    docs += generate_outreach(5, seed=6, village=BIG, today=TODAY)
    records = [
        PeriodRecord(str(n), d["kind"], BIG, BIG.rsplit(".", 1)[0], d) for n, d in enumerate(docs)
    ]
    for share in (False, True):
        report = compute_report(records, Period.parse(TODAY.strftime("%Y")), share=share)
        exact = replace(report, generated_at=report.generated_at.replace(microsecond=0))
        assert Report.from_json(report.to_json()) == exact
    broken = report.to_json()
    broken["tables"][0]["rows"][0]["cells"].pop()
    for answer in (broken, {"period": "2026"}, {**report.to_json(), "lang": "fr"}):
        with pytest.raises(ServerError):
            _parse_report(answer)
