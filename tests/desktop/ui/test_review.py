"""The "Perlu ditinjau" page: fields changed in two places at once are listed with every value,
who set it, where and when; choosing one (or typing a new one) settles the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.ui.casedetail import CaseViewWindow
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import NAVIGATION, MainWindow
from desktop.ui.review import ReviewPage
from simpul.changes import Change, ChangeId, FieldEdit, Hlc
from simpul.records.derived import device_tag
from simpul.synthetic import generate_cases, generate_outreach

from . import test_translations as screens
from .conftest import FAST_KDF, PASS, VILLAGE, click, tick
from .test_lock import open_window, shown_texts, unlock

DISTRICT = "district0000beef"
"""The device id of the district server's changes in these tests."""


def from_elsewhere(
    store: Store, record_id: str, kind: str, author: str, values: dict[str, object]
) -> Change:
    """A change made on another device from the version this laptop holds now."""
    edits = tuple(
        FieldEdit(path, value, frozenset(c for c, _v in store.heads(record_id, path)))
        for path, value in sorted(values.items())
    )
    latest = store.history(record_id)[-1].hlc
    return Change(ChangeId(DISTRICT, 1), record_id, kind, Hlc(latest.wall + 1000, 0), author, edits)


def conflicted_profile(profile_dir: Path) -> tuple[str, str]:
    """A profile with one case whose status and incident address were each changed at the
    district and on this laptop at once; returns the case's id and code."""
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        store.save_many(generate_cases(3, seed=2, village=VILLAGE))  # nothing to review in these
        case = store.save(generate_cases(1, seed=6, village=VILLAGE)[0], kind="case").record
        assert case.doc["status"] not in ("diterima_uptd", "ditolak_korban")
        store.apply_changes(
            [
                from_elsewhere(
                    store,
                    case.record_id,
                    "case",
                    "petugas.uptd",
                    {"status": "diterima_uptd", "incident_address": "Jl. Mawar 5, Dusun Krajan"},
                )
            ]
        )
        # meanwhile on this laptop, from the version before the district's change arrived
        store.save(
            {
                **case.doc,
                "id": case.record_id,
                "status": "ditolak_korban",
                "incident_address": "Jl. Melati 3, Dusun Krajan",
            },
            kind="case",
            base=case,
        )
        assert store.get(case.record_id).conflicts == ("incident_address", "status")
    return case.record_id, case.code


def review_nav(window: MainWindow) -> str:
    item = window.navigation.item(NAVIGATION.index("gui_nav_review"))
    assert item is not None
    return item.text()


def open_review(qtbot: QtBot, window: MainWindow, rows: int) -> ReviewPage:
    page = window.review_page
    qtbot.waitUntil(lambda: page.model.rowCount() == rows, timeout=10_000)
    window.show_page("gui_nav_review")
    assert page.isVisible()
    return page


def table_rows(page: ReviewPage) -> list[list[str]]:
    model = page.model
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def select(qtbot: QtBot, page: ReviewPage, field: str) -> None:
    """Click the entry of a field in the list."""
    row = next(r for r, cells in enumerate(table_rows(page)) if cells[2] == field)
    index = page.model.index(row, 0)
    page.table.scrollTo(index)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualRect(index).center()
    )
    assert page.choices.item is not None and page.choices.item.path == page.model.item_at(row).path


def choice_texts(qtbot: QtBot, page: ReviewPage) -> list[tuple[str, str]]:
    """(value, who) of each competing value offered."""
    choices = page.choices
    shown = [*choices.radios, *choices.who_labels]
    qtbot.waitUntil(lambda: all(w.isVisible() for w in shown))  # shown once laid out
    return [
        (radio.text(), who.text())
        for radio, who in zip(choices.radios, choices.who_labels, strict=True)
    ]


def settle(qtbot: QtBot, page: ReviewPage, rows_after: int) -> None:
    with qtbot.waitSignal(page.settled, timeout=10_000):
        click(qtbot, page.choices.settle_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == rows_after, timeout=10_000)


def case_windows() -> list[CaseViewWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, CaseViewWindow) and w.isVisible()
    ]


def test_choosing_a_value_or_typing_a_new_one_settles_each_field(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, ctx: AppContext
) -> None:
    record_id, code = conflicted_profile(profile_dir)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=2)
    assert review_nav(window) == "Perlu ditinjau (2)"
    assert page.empty.isHidden()

    rows = {cells[2]: cells for cells in table_rows(page)}
    assert set(rows) == {"Status kasus", "Alamat kejadian"}
    status_row = rows["Status kasus"]
    assert status_row[0] == code and status_row[1] == "Kasus"
    assert "Diterima UPTD PPA" in status_row[3] and "Ditolak korban" in status_row[3]
    assert "diterima_uptd" not in status_row[3]  # a label, never the code
    assert "petugas.uptd" in status_row[4] and "kader" in status_row[4]

    # the status: both values, who set each, on which device
    select(qtbot, page, "Status kasus")
    assert code in page.choices.title.text() and "Status kasus" in page.choices.title.text()
    offered = dict(choice_texts(qtbot, page))
    assert set(offered) == {"Diterima UPTD PPA", "Ditolak korban"}
    assert offered["Ditolak korban"].startswith("oleh kader · Laptop ini · ")
    assert offered["Diterima UPTD PPA"].startswith(
        f"oleh petugas.uptd · Perangkat lain ({device_tag(DISTRICT)}) · "
    )
    assert page.choices.new_radio is not None  # a status can be chosen from its list too
    assert not page.choices.settle_button.isEnabled()  # nothing chosen yet

    # the case view, opened from here, says the case needs review
    click(qtbot, page.choices.open_button)
    qtbot.waitUntil(lambda: bool(case_windows()), timeout=5_000)
    case_view = case_windows()[0].view
    qtbot.waitUntil(lambda: case_view.snapshot is not None, timeout=5_000)
    assert case_view.review_banner.isVisible()

    district_radio = page.choices.radios[list(offered).index("Diterima UPTD PPA")]
    tick(qtbot, district_radio)
    settle(qtbot, page, rows_after=1)
    store = ctx.store
    assert store is not None
    record = store.get(record_id)
    assert record.doc["status"] == "diterima_uptd"
    assert record.conflicts == ("incident_address",)
    assert review_nav(window) == "Perlu ditinjau (1)"
    assert "Status kasus" in page.message.text() and code in page.message.text()
    assert [cells[2] for cells in table_rows(page)] == ["Alamat kejadian"]

    # the address: neither value is right, a new one is typed
    assert page.choices.item is not None and page.choices.item.path == "incident_address"
    offered = dict(choice_texts(qtbot, page))
    assert set(offered) == {"Jl. Mawar 5, Dusun Krajan", "Jl. Melati 3, Dusun Krajan"}
    editor = page.choices.editor
    assert editor is not None and page.choices.new_radio is not None
    editor.setFocus()
    qtbot.keyClicks(editor, "Jl. Kenanga 7, Dusun Krajan")
    assert page.choices.new_radio.isChecked()  # typing chose "another value"
    settle(qtbot, page, rows_after=0)
    record = store.get(record_id)
    assert record.doc["incident_address"] == "Jl. Kenanga 7, Dusun Krajan"
    assert not record.needs_review
    assert record.doc["status"] == "diterima_uptd"  # the first choice stays
    assert review_nav(window) == "Perlu ditinjau"
    assert page.empty.isVisible() and page.empty.text() == "Tidak ada yang perlu ditinjau."
    assert not page.table.isVisible()

    # the case view refreshed: no banner any more
    qtbot.waitUntil(lambda: case_view.review_banner.isHidden(), timeout=5_000)
    assert "Jl. Kenanga 7" in case_view.sections["violence"][1].text()
    for view_window in case_windows():
        view_window.close()


def test_a_value_arriving_while_choosing_is_shown_before_anything_is_settled(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, ctx: AppContext
) -> None:
    record_id, _code = conflicted_profile(profile_dir)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=2)
    select(qtbot, page, "Alamat kejadian")
    editor = page.choices.editor
    assert editor is not None
    editor.setFocus()
    qtbot.keyClicks(editor, "   ")  # blanks only: nothing to save
    assert not page.choices.settle_button.isEnabled()
    tick(qtbot, page.choices.radios[0])
    assert page.choices.settle_button.isEnabled()

    # before "Tetapkan" is pressed, a third value arrives from another laptop
    store = ctx.store
    assert store is not None
    original = store.history(record_id)[0].change_id
    latest = store.history(record_id)[-1].hlc
    third = Change(
        ChangeId("laptop2000000cafe", 1),
        record_id,
        "case",
        Hlc(latest.wall + 1000, 0),
        "kader.dua",
        (FieldEdit("incident_address", "Jl. Anggrek 9", frozenset({original})),),
    )
    store.apply_changes([third])
    click(qtbot, page.choices.settle_button)
    qtbot.waitUntil(lambda: len(page.choices.radios) == 3, timeout=10_000)
    assert "Jl. Anggrek 9" in {text for text, _who in choice_texts(qtbot, page)}
    assert page.message.isVisible()
    assert page.message.text().startswith("Nilai isian ini berubah sementara itu")
    assert not page.choices.settle_button.isEnabled()  # choose again
    assert store.get(record_id).conflicts == ("incident_address", "status")  # nothing settled
    assert page.model.rowCount() == 2


def test_the_list_follows_changes_arriving_and_a_lock_empties_it(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, ctx: AppContext
) -> None:
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        case = store.save(generate_cases(1, seed=6, village=VILLAGE)[0], kind="case").record
        doc = case.doc
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=0)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert page.empty.isVisible() and page.empty.text() == "Tidak ada yang perlu ditinjau."
    assert review_nav(window) == "Perlu ditinjau"

    # a sync brings the district's status while this laptop changed it too
    opened = ctx.store
    assert opened is not None
    opened.apply_changes(
        [from_elsewhere(opened, case.record_id, "case", "petugas.uptd", {"status": "selesai"})]
    )
    opened.save({**doc, "id": case.record_id, "status": "dirujuk"}, kind="case", base=case)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        ctx.records_changed.emit()
    assert page.model.rowCount() == 1 and review_nav(window) == "Perlu ditinjau (1)"
    assert page.choices.item is not None  # the only entry is chosen at once
    assert {text for text, _who in choice_texts(qtbot, page)} == {"Selesai", "Dirujuk"}

    window.lock()
    assert window.locked
    assert page.model.rowCount() == 0 and page.choices.item is None
    assert page.choices.radios == [] and page.choices.editor is None
    assert review_nav(window) == "Perlu ditinjau"
    shown = " ".join(shown_texts(window))
    assert case.code not in shown and "Selesai" not in shown
    labels = " ".join(w.text() for w in page.findChildren(QLabel))
    assert case.code not in labels and "petugas.uptd" not in labels
    qtbot.waitUntil(lambda: not ctx.runner.busy)


def test_an_outreach_record_needing_review_is_listed_in_its_words(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, ctx: AppContext
) -> None:
    store, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        event = store.save(generate_outreach(1, seed=2, village=VILLAGE)[0]).record
        assert event.doc["type"] == "sosialisasi"
        store.apply_changes(
            [
                from_elsewhere(
                    store,
                    event.record_id,
                    "outreach",
                    "petugas.dp3a",
                    {"type": "penyuluhan", "held_on": "2026-02-04"},
                )
            ]
        )
        store.save(
            {**event.doc, "id": event.record_id, "type": "kampanye", "held_on": "2026-02-05"},
            kind="outreach",
            base=event,
        )
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=2)
    rows = {cells[2]: cells for cells in table_rows(page)}
    assert set(rows) == {"Jenis kegiatan", "Tanggal kegiatan"}
    assert rows["Jenis kegiatan"][1] == "Kegiatan sosialisasi"
    assert rows["Jenis kegiatan"][3] in ("Penyuluhan / Kampanye", "Kampanye / Penyuluhan")
    assert "04/02/2026" in rows["Tanggal kegiatan"][3]  # dates day first
    assert not page.choices.open_button.isVisible()  # no case to open

    # the type: another code from the list
    select(qtbot, page, "Jenis kegiatan")
    combo = page.choices.editor
    assert combo is not None
    combo.setCurrentIndex(combo.findText("Edukasi"))
    assert page.choices.new_radio is not None and page.choices.new_radio.isChecked()
    settle(qtbot, page, rows_after=1)
    opened = ctx.store
    assert opened is not None
    assert opened.get(event.record_id).doc["type"] == "edukasi"

    # the date: a wrong date is said beside the choice, not saved
    select(qtbot, page, "Tanggal kegiatan")
    editor = page.choices.editor
    assert editor is not None
    editor.setFocus()
    qtbot.keyClicks(editor, "31/02/2026")
    assert not page.choices.settle_button.isEnabled()
    editor.clear()
    qtbot.keyClicks(editor, "6/2/2026")
    settle(qtbot, page, rows_after=0)
    assert opened.get(event.record_id).doc["held_on"] == "2026-02-06"
    assert not opened.get(event.record_id).needs_review


def test_the_review_list_passes_the_model_checks(
    qtbot: QtBot,
    launch: Callable[[], MainWindow],
    profile_dir: Path,
    qtmodeltester: ModelTester,
) -> None:
    conflicted_profile(profile_dir)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=2)
    qtmodeltester.check(page.model)
    page.clear()
    qtmodeltester.check(page.model)


def test_the_review_page_speaks_english_after_a_switch(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, ctx: AppContext
) -> None:
    conflicted_profile(profile_dir)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = open_review(qtbot, window, rows=2)
    select(qtbot, page, "Status kasus")
    screens.check_screen(page, ctx)

    ctx.texts.set_language("en")
    assert review_nav(window) == "Needs review (2)"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Record code"
    assert {cells[2] for cells in table_rows(page)} == {"Case status", "Address of incident"}
    offered = dict(choice_texts(qtbot, page))
    assert set(offered) == {"Received by UPTD PPA", "Declined by the victim"}
    assert offered["Declined by the victim"].startswith("by kader · This laptop · ")
    assert page.choices.settle_button.text() == "Settle"
    screens.check_screen(page, ctx)
    window.lock()
    screens.check_screen(page, ctx)
