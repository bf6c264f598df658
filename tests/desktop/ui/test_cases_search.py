"""Search as you type and the filters above the cases table, driven like a person would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from desktop.storage.store import RecordView, Store
from desktop.ui.cases import SEARCH_DELAY_MS, CasesPage
from desktop.ui.context import AppContext
from simpul.synthetic import generate_cases

from .conftest import FAST_KDF, PASS, VILLAGE, tick


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, profile_dir: Path) -> Iterator[CasesPage]:
    """The cases page over an unlocked profile of 60 synthetic cases."""
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    store.save_many(generate_cases(60, seed=5, village=VILLAGE))
    widget = CasesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    ctx.set_store(store)
    yield widget


def views(ctx: AppContext) -> list[RecordView]:
    assert ctx.store is not None
    return ctx.store.records("case")


def shown_codes(page: CasesPage) -> set[str]:
    proxy = page.proxy
    return {proxy.index(r, 0).data() for r in range(proxy.rowCount())}


def victim_names(view: RecordView) -> list[str]:
    return [str(v["name"]) for v in view.doc.get("victims") or () if v.get("name")]


def choose(combo: QComboBox, label: str) -> None:
    """Pick the item with this label, as a person picks from the list."""
    index = combo.findText(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)


def test_typing_part_of_a_victims_name_keeps_the_matching_cases(
    qtbot: QtBot, ctx: AppContext, page: CasesPage
) -> None:
    everything = views(ctx)
    assert page.model.rowCount() == len(everything) == 60
    name = next(n for v in everything for n in victim_names(v) if len(n.split()) > 1)
    part = name.split()[-1][:5].lower()  # part of the surname, in any case
    expected = {v.code for v in everything if any(part in n.lower() for n in victim_names(v))}
    expected |= {v.code for v in everything if part in str(v.doc.get("narrative", "")).lower()}
    assert 0 < len(expected) < 60

    qtbot.keyClicks(page.search, part)
    qtbot.waitUntil(lambda: shown_codes(page) == expected, timeout=2_000)
    assert page.count.text() == f"{len(expected)} dari 60 kasus"

    # a case code finds its case
    page.search.clear()
    qtbot.keyClicks(page.search, everything[7].code)
    qtbot.waitUntil(lambda: shown_codes(page) == {everything[7].code}, timeout=2_000)

    # nothing matches: the table gives way to a calm line
    page.search.clear()
    qtbot.keyClicks(page.search, "zzzqqq")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=2_000)
    assert page.count.text() == "0 dari 60 kasus"
    assert page.empty.isVisible() and not page.table.isVisible()
    assert page.empty.text() == ctx.texts.t("gui_cases_no_match")

    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 60, timeout=2_000)
    assert page.count.text() == "60 kasus"


def test_search_answers_the_first_key_then_waits_for_a_pause(
    qtbot: QtBot, ctx: AppContext, page: CasesPage
) -> None:
    resets: list[int] = []
    page.model.modelReset.connect(lambda: resets.append(1))
    qtbot.keyClicks(page.search, "zzzq")
    assert resets == [1]  # the first letter at once; not again per key while typing fast
    qtbot.wait(SEARCH_DELAY_MS + 100)
    assert len(resets) == 2 and page.model.rowCount() == 0  # once more after the pause
    qtbot.wait(SEARCH_DELAY_MS + 100)
    assert len(resets) == 2


def test_filters_combine(qtbot: QtBot, ctx: AppContext, page: CasesPage) -> None:
    everything = views(ctx)
    texts = ctx.texts
    status = max(
        {str(v.summary["status"]) for v in everything},
        key=lambda s: sum(v.summary["status"] == s for v in everything),
    )
    choose(page.status_filter, texts.label("case_status", status))
    with_status = {v.code for v in everything if v.summary["status"] == status}
    qtbot.waitUntil(lambda: shown_codes(page) == with_status, timeout=2_000)

    kind = max(
        {t for v in everything for t in v.summary["violence_types"]},
        key=lambda k: sum(k in v.summary["violence_types"] for v in everything),
    )
    choose(page.violence_filter, texts.label("violence_type", kind))
    both = {
        v.code for v in everything if v.code in with_status and kind in v.summary["violence_types"]
    }
    qtbot.waitUntil(lambda: shown_codes(page) == both, timeout=2_000)
    assert page.count.text() == f"{len(both)} dari 60 kasus"

    choose(page.status_filter, "Semua")
    choose(page.violence_filter, "Semua")
    tick(qtbot, page.tppo_filter)
    tppo = {v.code for v in everything if v.summary["tppo"]}
    qtbot.waitUntil(lambda: shown_codes(page) == tppo, timeout=2_000)
    tick(qtbot, page.tppo_filter)

    dates = sorted(str(v.main_date) for v in everything if v.main_date)
    low, high = dates[10], dates[40]
    start, end = (f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d in (low, high))  # day first
    qtbot.keyClicks(page.date_from, start)
    qtbot.keyClicks(page.date_to, end)
    in_range = {v.code for v in everything if v.main_date and low <= v.main_date <= high}
    qtbot.waitUntil(lambda: shown_codes(page) == in_range, timeout=2_000)
    rows = [page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())]
    assert all(row != "-" for row in rows)

    # a date still being typed is no condition yet
    page.date_to.clear()
    qtbot.keyClicks(page.date_to, "3/1")
    after_low = {v.code for v in everything if v.main_date and v.main_date >= low}
    qtbot.waitUntil(lambda: shown_codes(page) == after_low, timeout=2_000)


def test_a_lock_clears_the_search_text_and_the_filters(
    qtbot: QtBot, ctx: AppContext, page: CasesPage
) -> None:
    everything = views(ctx)
    name = next(n for v in everything for n in victim_names(v))
    qtbot.keyClicks(page.search, name)
    tick(qtbot, page.tppo_filter)
    page.status_filter.setCurrentIndex(2)
    qtbot.keyClicks(page.date_from, "01/01/2020")
    qtbot.waitUntil(lambda: page.model.rowCount() < 60, timeout=2_000)

    store = ctx.take_store()  # what a lock does before closing the store on the worker
    assert store is not None
    store.close()
    assert page.search.text() == ""
    assert page.date_from.text() == ""
    assert not page.tppo_filter.isChecked()
    assert page.status_filter.currentIndex() == 0
    assert page.model.rowCount() == 0
    assert page.count.text() == "0 kasus"
    qtbot.wait(SEARCH_DELAY_MS + 50)  # no pending search brings anything back
    assert page.model.rowCount() == 0


def test_filter_labels_follow_the_language(qtbot: QtBot, ctx: AppContext, page: CasesPage) -> None:
    choose(page.status_filter, ctx.texts.label("case_status", "dirujuk"))
    qtbot.keyClicks(page.search, "zzzq")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=2_000)
    ctx.texts.set_language("en")
    assert page.status_filter.itemText(0) == "All"
    assert page.status_filter.currentData() == "dirujuk"  # the choice survives
    assert page.status_filter.currentText() == ctx.texts.label("case_status", "dirujuk")
    assert page.tppo_filter.text() == "TPPO only"
    assert page.count.text() == "0 of 60 case(s)"
    assert page.search.placeholderText() == "Name, case code, NIK or narrative"
    assert ctx.texts.missing == set()


def test_a_header_click_sorts_the_filtered_rows(
    qtbot: QtBot, ctx: AppContext, page: CasesPage
) -> None:
    tick(qtbot, page.tppo_filter)
    qtbot.waitUntil(lambda: page.model.rowCount() < 60, timeout=2_000)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(page.model.VICTIMS) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    counts = [
        int(page.proxy.index(r, page.model.VICTIMS).data()) for r in range(page.proxy.rowCount())
    ]
    assert counts == sorted(counts) or counts == sorted(counts, reverse=True)
    assert len(set(counts)) > 1 or len(counts) < 2
