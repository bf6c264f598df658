"""The recap page: its table and chart agree with a count made here, follow saves, the period
list and the language, and forget everything on lock."""

from __future__ import annotations

import copy
import shutil
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.ui.caseform import CaseFormWindow
from desktop.ui.language import Texts
from desktop.ui.mainwindow import MainWindow
from desktop.ui.recap import GROUPS, RecapPage, RecapTableModel, period_choices
from simpul.recap import Period, recap_cases
from simpul.synthetic import generate_cases, generate_outreach

from .conftest import FAST_KDF, PASS, VILLAGE, tick
from .test_caseform import checks, choose, save_and_wait, type_in, victim
from .test_lock import open_window, unlock

TODAY = date(2026, 10, 14)
"""The recap's "today" in these tests (the synthetic records are dated against it)."""
THIS_MONTH, THIS_YEAR = "2026-10", "2026"
COLUMNS = [field for field, _caption, _colour in GROUPS]  # female_child … unknown


# ----------------------------------------------------------------------------- set-up


class Profile:
    """The documents saved into the test profile (one case of this month deleted again)."""

    def __init__(self, cases: list[dict[str, Any]], outreach: list[dict[str, Any]]) -> None:
        self.cases = cases
        self.outreach = outreach


def make_recap_profile(profile_dir: Path, *, cases: int = 300, outreach: int = 30) -> Profile:
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    case_docs = generate_cases(cases, seed=21, village=VILLAGE, today=TODAY)
    outreach_docs = generate_outreach(outreach, seed=21, village=VILLAGE, today=TODAY)
    if outreach:  # one activity this month for sure, with every participant cell filled
        outreach_docs.append(
            {
                "kind": "outreach",
                "title": "Sosialisasi pencegahan perkawinan anak",
                "held_on": "2026-10-03",
                "participants": {
                    "female_child": 12,
                    "female_adult": 20,
                    "male_child": 7,
                    "male_adult": 9,
                    "with_disability": 2,
                },
            }
        )
    with store:
        saved = store.save_many(case_docs) if cases else []
        if outreach:
            store.save_many(outreach_docs)
        gone = next(
            (n for n, d in enumerate(case_docs) if d["reported_on"].startswith(THIS_MONTH)), None
        )
        if gone is not None:
            store.delete(saved[gone].record.record_id)
            case_docs[gone]["_deleted"] = True
    return Profile(case_docs, outreach_docs)


@pytest.fixture(scope="module")
def saved_profile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Profile]:
    """One profile with synthetic records for the module (saving 300 cases takes seconds)."""
    folder = tmp_path_factory.mktemp("recap") / "profile"
    return folder, make_recap_profile(folder)


@pytest.fixture
def profile(profile_dir: Path, saved_profile: tuple[Path, Profile]) -> Profile:
    """A copy of the module's profile in this test's profile folder (tests change it)."""
    folder, documents = saved_profile
    shutil.copytree(folder, profile_dir)
    return Profile(copy.deepcopy(documents.cases), copy.deepcopy(documents.outreach))


def open_recap(qtbot: QtBot, launch: Callable[[], MainWindow]) -> tuple[MainWindow, RecapPage]:
    """Unlock the app and go to the recap page (it counts on the worker, then shows)."""
    window = open_window(qtbot, launch)
    page = window.recap_page
    page.today = lambda: TODAY
    unlock(qtbot, window)
    assert page.result is None  # nothing is counted while the page is not on screen
    with qtbot.waitSignal(page.recap_shown, timeout=10_000):
        window.navigation.setCurrentRow(window.pages.indexOf(page))
        assert page.result is None and page.status.text() == "Sedang menghitung…"
    return window, page


def choose_period(qtbot: QtBot, page: RecapPage, period: Period) -> None:
    with qtbot.waitSignal(page.recap_shown, timeout=10_000):
        page.choose_period(period)
    assert page.current_period() == period


# ----------------------------------------------------------------------------- reading the page


def expected(docs: list[dict[str, Any]], prefix: str) -> dict[str, Counter[str]]:
    """Victims per violence type and group, counted here without ``simpul.recap``; ``""``
    is every victim once."""
    table: dict[str, Counter[str]] = {"": Counter()}
    for doc in docs:
        if doc.get("_deleted") or doc["reported_on"][: len(prefix)] != prefix:
            continue
        ry, rm, rd = map(int, doc["reported_on"].split("-"))
        for person in doc["victims"]:
            if "birth_date" in person:
                by, bm, bd = map(int, person["birth_date"].split("-"))
                age: int | None = ry - by - int((rm, rd) < (bm, bd))
            else:
                age = person.get("age")
            sex = {"P": "female", "L": "male"}.get(person.get("sex"))
            if sex is None or age is None:
                group = "unknown"
            else:
                group = f"{sex}_{'child' if age < 18 else 'adult'}"
            table[""][group] += 1
            for kind in set(person.get("violence_types") or doc["violence_types"]):
                table.setdefault(kind, Counter())[group] += 1
    return table


def table_numbers(page: RecapPage) -> dict[str, list[int]]:
    """Each row of the table as shown: its first cell, then the numbers."""
    model = page.table.model()
    shown = {}
    for row in range(model.rowCount()):
        cells = [model.index(row, c).data() for c in range(model.columnCount())]
        shown[cells[0]] = [int(c) for c in cells[1:]]
    return shown


def expected_rows(texts: Texts, counts: dict[str, Counter[str]]) -> dict[str, list[int]]:
    rows = {}
    for kind in ("fisik", "psikis", "seksual", "eksploitasi", "trafficking", "penelantaran"):
        rows[texts.label("violence_type", kind)] = counts.get(kind, Counter())
    rows[texts.label("violence_type", "lainnya")] = counts.get("lainnya", Counter())
    rows[texts.t("gui_recap_row_total")] = counts[""]
    return {label: [c[g] for g in COLUMNS] + [sum(c.values())] for label, c in rows.items()}


def chart_numbers(page: RecapPage) -> dict[str, list[int]]:
    """Each violence type's bars in the chart: the groups in table order, then their sum."""
    values = page.chart.values()
    captions = [page._ctx.texts.t(caption) for _field, caption, _colour in GROUPS]
    shown = {}
    for n, category in enumerate(page.chart.categories()):
        numbers = [values[c][n] if c in values else 0 for c in captions]
        shown[category] = [*numbers, sum(numbers)]
    return shown


def check_page(page: RecapPage, docs: list[dict[str, Any]], prefix: str) -> dict[str, list[int]]:
    counts = expected(docs, prefix)
    rows = expected_rows(page._ctx.texts, counts)
    assert table_numbers(page) == rows
    # the chart shows the same numbers, minus the table's all-victims row
    total_label = page._ctx.texts.t("gui_recap_row_total")
    assert chart_numbers(page) == {k: v for k, v in rows.items() if k != total_label}
    assert page.chart.isVisible() and not page.no_cases.isVisible()
    cases = sum(1 for d in docs if not d.get("_deleted") and d["reported_on"].startswith(prefix))
    assert page.summary.text() == page._ctx.texts.t(
        "gui_recap_summary", cases=cases, victims=sum(counts[""].values())
    )
    return rows


# ----------------------------------------------------------------------------- tests


def test_the_table_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = RecapTableModel(Texts("id"))
    qtmodeltester.check(model)  # empty, as while locked
    docs = generate_cases(80, seed=3, village=VILLAGE, today=TODAY)
    model.set_recap(recap_cases(docs, THIS_YEAR))
    assert model.rowCount() == 8 and model.columnCount() == 7
    qtmodeltester.check(model)
    model.set_recap(recap_cases([], THIS_MONTH))  # every type, all zero
    assert model.rowCount() == 8
    qtmodeltester.check(model)
    model.set_recap(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_this_month_and_this_year_match_a_count_of_the_records(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    assert page.period.currentText() == "Bulan ini (Oktober 2026)"
    assert page.current_period() == Period(2026, 10)
    month = check_page(page, profile.cases, THIS_MONTH)
    assert month["Jumlah korban"][-1] > 5  # the synthetic month is not empty
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "Perempuan anak"

    assert page.period.itemText(1) == "Tahun ini (2026)"
    choose_period(qtbot, page, Period(2026))
    year = check_page(page, profile.cases, THIS_YEAR)
    assert year["Jumlah korban"][-1] > month["Jumlah korban"][-1]

    # earlier months and years are offered back to the oldest record
    offered = [page.period.itemText(i) for i in range(page.period.count())]
    assert offered[2:4] == ["September 2026", "Agustus 2026"] and "2025" in offered
    choose_period(qtbot, page, Period(2025, 3))
    check_page(page, profile.cases, "2025-03")
    choose_period(qtbot, page, Period(2025))
    check_page(page, profile.cases, "2025")


def test_outreach_participants_appear(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    _window, page = open_recap(qtbot, launch)
    for prefix in (THIS_MONTH, THIS_YEAR):
        if prefix == THIS_YEAR:
            choose_period(qtbot, page, Period(2026))
        held = [d for d in profile.outreach if d["held_on"].startswith(prefix)]
        assert held, "the synthetic activities reach into the period"
        sums: Counter[str] = Counter()
        for doc in held:
            sums.update(doc.get("participants", {}))
        block = page.outreach
        assert block.events.text() == f"{len(held)} kegiatan dilaksanakan"
        for sex in ("female", "male"):
            for age in ("child", "adult"):
                assert block.number(sex, age) == sums[f"{sex}_{age}"], (sex, age)
            assert block.number(sex, "total") == sums[f"{sex}_child"] + sums[f"{sex}_adult"]
        assert block.number("total", "child") == sums["female_child"] + sums["male_child"]
        everyone = sum(
            sums[k] for k in ("female_child", "female_adult", "male_child", "male_adult")
        )
        assert block.number("total", "total") == everyone > 0
        assert block.disability.text().endswith(f": {sums['with_disability']}")


def test_a_case_saved_this_month_adds_exactly_its_victims(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    before = table_numbers(page)
    new_case = {
        "reported_on": "2026-10-09",
        "violence_types": ["fisik", "psikis"],
        "victims": [
            {"sex": "P", "age": 9},
            {"sex": "L", "age": 40, "violence_types": ["fisik"]},
        ],
    }
    store = window.ctx.store
    assert store is not None
    store.save(new_case, kind="case")
    with qtbot.waitSignal(page.recap_shown, timeout=10_000):
        window.ctx.records_changed.emit()
    after = table_numbers(page)
    change = {
        label: [a - b for a, b in zip(after[label], before[label], strict=True)] for label in after
    }
    # columns: girl, woman, boy, man, unknown, total
    assert change == {
        "Fisik": [1, 0, 0, 1, 0, 2],
        "Psikis": [1, 0, 0, 0, 0, 1],
        "Seksual": [0] * 6,
        "Eksploitasi": [0] * 6,
        "Trafficking (TPPO)": [0] * 6,
        "Penelantaran": [0] * 6,
        "Lainnya": [0] * 6,
        "Jumlah korban": [1, 0, 0, 1, 0, 2],
    }
    check_page(page, [*profile.cases, new_case], THIS_MONTH)


def test_a_case_from_the_form_in_another_month_changes_only_that_month(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    month_before = table_numbers(page)
    choose_period(qtbot, page, Period(2026, 9))
    september_before = table_numbers(page)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    form = _forms()[0].form
    type_in(qtbot, form.field("reported_on"), "22/09/2026", replace=True)
    type_in(qtbot, form.field("incident_on"), "20/09/2026")
    choose(qtbot, form.field("channel"), "Datang")
    first = victim(form, 0)
    choose(qtbot, first.fields["sex"], "Perem")
    type_in(qtbot, first.fields["age"], "29")
    tick(qtbot, checks(form, "violence_types").boxes["psikis"])
    type_in(qtbot, form.field("narrative"), "Korban dimaki dan diancam oleh suaminya.")
    with qtbot.waitSignal(page.recap_shown, timeout=10_000):
        save_and_wait(qtbot, form)

    after = table_numbers(page)
    assert after["Psikis"] == [
        n + d for n, d in zip(september_before["Psikis"], [0, 1, 0, 0, 0, 1], strict=True)
    ]
    assert after["Jumlah korban"][1] == september_before["Jumlah korban"][1] + 1
    assert after["Fisik"] == september_before["Fisik"]
    choose_period(qtbot, page, Period(2026, 10))
    assert table_numbers(page) == month_before
    for window_ in _forms():
        window_.close()


def _forms() -> list[CaseFormWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CaseFormWindow) and w.isVisible()
    ]


def test_lock_clears_the_table_the_chart_and_the_outreach(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    choose_period(qtbot, page, Period(2025))
    assert page.model.rowCount() == 8 and page.chart.series is not None

    window.lock()
    assert window.locked
    assert page.result is None
    assert page.model.rowCount() == 0
    assert page.chart.series is None and page.chart.categories() == []
    assert page.chart.chart().series() == []
    assert page.summary.text() == "" and page.outreach.events.text() == ""
    assert {cell.text() for cell in page.outreach.cells.values()} == {"–"}
    assert page.period.count() == 2 and page.current_period() == Period(2026, 10)

    # unlocked again, the page on screen counts this month afresh
    with qtbot.waitSignal(page.recap_shown, timeout=10_000):
        unlock(qtbot, window)
        window.navigation.setCurrentRow(window.pages.indexOf(page))
    check_page(page, profile.cases, THIS_MONTH)


def test_a_count_overtaken_by_a_lock_is_dropped(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    page.choose_period(Period(2026))  # counting starts on the worker …
    window.lock()  # … and the lock comes before its answer
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=10_000)
    assert page.result is None and page.model.rowCount() == 0
    assert page.chart.series is None


def test_the_page_speaks_english_after_a_switch(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile: Profile
) -> None:
    window, page = open_recap(qtbot, launch)
    window.ctx.update_settings(language="en")
    headers = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    assert headers == [
        "Type of violence",
        "Female, child",
        "Female, adult",
        "Male, child",
        "Male, adult",
        "Unknown",
        "Total",
    ]
    assert page.period.itemText(0) == "This month (October 2026)"
    assert page.period.itemText(2) == "September 2026"
    rows = check_page(page, profile.cases, THIS_MONTH)
    assert list(rows)[0] == "Physical" and list(rows)[-1] == "All victims"
    assert page.chart.categories()[0] == "Physical"
    assert set(page.chart.values()) <= {
        "Female, child",
        "Female, adult",
        "Male, child",
        "Male, adult",
        "Unknown",
    }
    assert page.outreach.events.text().endswith("activity(ies) held")
    assert window.ctx.texts.missing == set()


def test_a_profile_without_cases_shows_zeros_and_says_so(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_recap_profile(profile_dir, cases=0, outreach=0)
    _window, page = open_recap(qtbot, launch)
    assert set(map(tuple, table_numbers(page).values())) == {(0,) * 6}
    assert page.table.isColumnHidden(RecapTableModel.UNKNOWN)
    assert page.no_cases.isVisible() and not page.chart.isVisible()
    assert page.no_cases.text() == "Tidak ada kasus yang dilaporkan pada periode ini."
    assert page.outreach.events.text() == "0 kegiatan dilaksanakan"
    assert page.period.count() == 2  # nothing older to offer


def test_a_victim_of_unknown_age_shows_the_unknown_column(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        store.save(
            {
                "reported_on": "2026-10-02",
                "violence_types": ["penelantaran"],
                "victims": [{"sex": "P"}, {"sex": "L", "age": 70}],
            },
            kind="case",
        )
    _window, page = open_recap(qtbot, launch)
    assert not page.table.isColumnHidden(RecapTableModel.UNKNOWN)
    assert table_numbers(page)["Penelantaran"] == [0, 0, 0, 1, 1, 2]
    assert page.chart.values()["Tidak diketahui"][page.chart.categories().index("Penelantaran")]


def test_period_choices() -> None:
    dates = ["2026-10-01", "2026-07-30", None, "bad", "2024-02-11"]
    choices = period_choices(dates, TODAY)
    assert choices[:2] == [Period(2026, 10), Period(2026)]
    assert choices[2:5] == [Period(2026, 9), Period(2026, 8), Period(2026, 7)]
    months = [p for p in choices[2:] if p.month is not None]
    assert months[-1] == Period(2024, 2)  # the oldest record's month
    assert [p for p in choices[2:] if p.month is None] == [Period(2025), Period(2024)]
    assert period_choices([], TODAY) == [Period(2026, 10), Period(2026)]
    # a very old record does not make the list endless: 36 months back at most
    old = period_choices(["2001-01-05"], TODAY)
    assert len([p for p in old if p.month is not None]) == 37
    assert old[-1] == Period(2001)
