"""The outreach page and form, driven like a person: typing, clicking, shortcuts, over a real
store. Synthetic activities only."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.storage import drafts
from desktop.storage.store import RecordView, Store
from desktop.ui import outreachform
from desktop.ui.caseform_fields import CodeChecks
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import NAVIGATION, MainWindow
from desktop.ui.outreach import OutreachPage, OutreachRow, OutreachTableModel, load_rows
from desktop.ui.outreachform import (
    CaseLinksField,
    OutreachForm,
    OutreachFormWindow,
    ParticipantsField,
    open_new_outreach,
)
from simpul.synthetic import generate_cases, generate_outreach

from . import test_translations as screens
from .conftest import FAST_KDF, PASS, VILLAGE, click, make_profile, tick
from .test_caseform import KEY_SEARCH_MS, choose, type_in
from .test_lock import open_window, unlock

TITLE = "Penyuluhan Bahaya Perkawinan Anak di Balai Desa"
NEW_DRAFT = "draft:new-outreach"


@pytest.fixture(autouse=True)
def _fast_drafts(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[None]:
    monkeypatch.setattr(outreachform, "AUTOSAVE_MS", 50)
    interval = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(KEY_SEARCH_MS)
    yield
    QApplication.setKeyboardInputInterval(interval)
    for window in [*outreachform._OPEN.values(), *_WINDOWS]:
        window.close()
    _WINDOWS.clear()


@pytest.fixture
def store(ctx: AppContext, profile_dir: Path) -> Store:
    """An unlocked profile with three synthetic cases and no outreach yet."""
    opened, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    opened.save_many(generate_cases(3, seed=5, village=VILLAGE))
    ctx.set_store(opened)
    return opened


def _forms() -> list[OutreachFormWindow]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, OutreachFormWindow) and w.isVisible()
    ]


def _page(qtbot: QtBot, window: MainWindow) -> OutreachPage:
    window.navigation.setCurrentRow(NAVIGATION.index("gui_nav_outreach"))
    page = window.outreach_page
    qtbot.waitUntil(lambda: page.isVisible() and not window.ctx.runner.busy)
    return page


def _open_new_with_shortcut(qtbot: QtBot, window: MainWindow) -> OutreachForm:
    window.activateWindow()
    qtbot.keyClick(
        window.outreach_page.table,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    return _forms()[0].form


def _checks(form: OutreachForm, path: str) -> CodeChecks:
    field = form.field(path)
    assert isinstance(field, CodeChecks)
    return field


def _participants(form: OutreachForm) -> ParticipantsField:
    field = form.field("participants")
    assert isinstance(field, ParticipantsField)
    return field


def _count(qtbot: QtBot, form: OutreachForm, key: str, number: int) -> None:
    type_in(qtbot, _participants(form).counts[key], str(number), replace=True)


def _totals(form: OutreachForm) -> dict[str, str]:
    return {key: label.text() for key, label in _participants(form).totals.items()}


def _save(qtbot: QtBot, form: OutreachForm, *, keys: bool = False) -> RecordView:
    """Save with the button, or with Ctrl+S typed in the title (``keys``)."""
    with qtbot.waitSignal(form.saved, timeout=10_000) as blocker:
        if keys:
            title = form.field("title")
            title.setFocus()
            qtbot.waitUntil(lambda: QApplication.focusWidget() is title)
            qtbot.keyClick(title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        else:
            click(qtbot, form.save_button)
    view = blocker.args[0]
    assert isinstance(view, RecordView)
    return view


def _column(page: OutreachPage, column: int) -> list[str]:
    proxy = page.proxy
    return [str(proxy.index(row, column).data()) for row in range(proxy.rowCount())]


def _problem_paths(form: OutreachForm) -> list[str]:
    return sorted(
        str(form.problems.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(form.problems.count())
    )


_WINDOWS: list[QWidget] = []
"""Windows a test opened without a parent, kept alive until it ends (a save closes them)."""


def _open_form(qtbot: QtBot, ctx: AppContext) -> OutreachForm:
    window = open_new_outreach(ctx)
    _WINDOWS.append(window)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window.form


# -- a new activity, from the page ------------------------------------------------------


def test_a_new_activity_is_typed_saved_listed_and_found_by_search(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=2)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = _page(qtbot, window)
    assert page.model.rowCount() == 0 and page.empty.isVisible()
    assert page.count.text() == "0 kegiatan"

    form = _open_new_with_shortcut(qtbot, window)
    assert form.window().windowTitle().startswith("Sosialisasi baru")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.field("title"))
    qtbot.keyClicks(form.field("title"), TITLE)
    choose(qtbot, form.field("type"), "Peny")
    tick(qtbot, _checks(form, "topics").boxes["perkawinan_anak"])
    tick(qtbot, _checks(form, "topics").boxes["perlindungan_anak"])
    type_in(qtbot, form.field("held_on"), "14/06/2025", replace=True)
    type_in(qtbot, form.field("start_time"), "9.00")
    type_in(qtbot, form.field("end_time"), "11:30")
    tick(qtbot, _checks(form, "target_groups").boxes["orang_tua"])
    _count(qtbot, form, "male_child", 3)
    assert _totals(form) == {"male": "3", "female": "0", "child": "3", "adult": "0", "total": "3"}
    _count(qtbot, form, "male_adult", 5)
    _count(qtbot, form, "female_child", 4)
    _count(qtbot, form, "female_adult", 12)
    # the totals follow the typing, row by row and column by column
    assert _totals(form) == {
        "male": "8",
        "female": "16",
        "child": "7",
        "adult": "17",
        "total": "24",
    }
    type_in(qtbot, form.field("summary"), "Peserta membahas dampak perkawinan anak.")
    choose(qtbot, form.field("funding"), "Dana")
    saved = _save(qtbot, form, keys=True)
    assert saved.code.startswith("SOS-082012-")
    qtbot.waitUntil(lambda: not _forms())  # a save closes the window

    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert _column(page, OutreachTableModel.CODE) == [saved.code]
    assert _column(page, OutreachTableModel.TITLE) == [TITLE]
    assert _column(page, OutreachTableModel.HELD) == ["14/06/2025"]
    assert _column(page, OutreachTableModel.TYPE) == ["Penyuluhan"]
    assert _column(page, OutreachTableModel.VILLAGE) == ["Tambakrejo"]  # the profile's own
    assert _column(page, OutreachTableModel.PARTICIPANTS) == ["24"]
    assert page.count.text() == "1 kegiatan"

    store = window.ctx.store
    assert store is not None
    doc = store.get(saved.record_id).doc
    assert doc["participants"] == {
        "male_child": 3,
        "male_adult": 5,
        "female_child": 4,
        "female_adult": 12,
    }
    assert doc["topics"] == ["perlindungan_anak", "perkawinan_anak"]
    assert (doc["type"], doc["held_on"], doc["start_time"], doc["end_time"]) == (
        "penyuluhan",
        "2025-06-14",
        "09:00",
        "11:30",
    )
    assert (doc["venue_village"], doc["funding"]) == (VILLAGE, "dana_desa")
    assert drafts.draft_keys(store) == []

    # search as you type: part of the title, any case; then something no activity has
    qtbot.keyClicks(page.search, "perkawinan ANAK")
    qtbot.waitUntil(lambda: page.count.text() == "1 dari 1 kegiatan")
    assert _column(page, OutreachTableModel.CODE) == [saved.code]
    qtbot.keyClicks(page.search, " di pasar")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty.isVisible() and "cocok" in page.empty.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "tambakrejo")  # the venue village by name
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)


def test_an_activity_opens_by_double_click_and_an_edit_updates_the_table(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    with Store.open(profile_dir, passphrase=PASS) as store:
        store.save_many(generate_outreach(4, seed=3, village=VILLAGE))
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    # newest first; a click on a header sorts by that column
    held = _column(page, OutreachTableModel.HELD)
    iso = ["-".join(reversed(d.split("/"))) for d in held]
    assert iso == sorted(iso, reverse=True)
    page.table.sortByColumn(OutreachTableModel.PARTICIPANTS, Qt.SortOrder.AscendingOrder)
    counts = [int(c) for c in _column(page, OutreachTableModel.PARTICIPANTS)]
    assert counts == sorted(counts)

    table = page.table
    index = page.proxy.index(0, OutreachTableModel.TITLE)
    code = str(page.proxy.index(0, OutreachTableModel.CODE).data())
    centre = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    form = _forms()[0].form
    assert code in form.window().windowTitle()
    participants = _participants(form)
    before = {k: f.value() for k, f in participants.counts.items()}
    type_in(qtbot, form.field("title"), "Sosialisasi Pencegahan KDRT (diubah)", replace=True)
    _count(qtbot, form, "female_adult", before["female_adult"] + 10)
    total = sum(v for k, v in before.items() if k != "with_disability") + 10
    assert _totals(form)["total"] == str(total)
    saved = _save(qtbot, form)
    assert saved.code == code

    qtbot.waitUntil(
        lambda: "Sosialisasi Pencegahan KDRT (diubah)" in _column(page, OutreachTableModel.TITLE)
    )
    row = _column(page, OutreachTableModel.CODE).index(code)
    assert _column(page, OutreachTableModel.PARTICIPANTS)[row] == str(total)
    assert page.model.rowCount() == 4
    current = window.ctx.store
    assert current is not None
    doc = current.get(saved.record_id).doc
    assert doc["participants"]["female_adult"] == before["female_adult"] + 10
    assert len(current.history(saved.record_id)) == 2  # the edit is one more change

    # the keyboard way: Enter on the selected row opens it too
    index = page.proxy.index(1, OutreachTableModel.TITLE)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)


# -- problems ---------------------------------------------------------------------------


def test_a_save_with_problems_lists_each_marks_its_field_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = _open_form(qtbot, ctx)
    # no title (required); the end before the start; more with a disability than in total
    type_in(qtbot, form.field("start_time"), "10:00")
    type_in(qtbot, form.field("end_time"), "09:00")
    _count(qtbot, form, "with_disability", 5)
    click(qtbot, form.save_button)
    expected = ["end_time", "participants/with_disability", "title"]
    qtbot.waitUntil(lambda: _problem_paths(form) == expected and form.save_button.isEnabled())
    assert form.problems_panel.isVisible() and "3" in form.problems_title.text()
    for path in expected:
        box = form.box_for(path)
        assert box is not None and box.has_problem, path
        assert box.field.property("problem") is True, path
        assert box.message.isVisible() and box.message.text(), path
    title_box = form.box_for("title")
    assert title_box is not None and title_box.message.text() == "Isian ini wajib diisi"
    lines = [form.problems.item(i).text() for i in range(form.problems.count())]
    assert any(line.startswith("Judul kegiatan (wajib): ") for line in lines)
    assert any("Peserta › Di antaranya penyandang disabilitas" in line for line in lines)
    assert store.records("outreach") == []

    # what is not a time is said at once, with the rest; a corrected field loses its mark
    type_in(qtbot, form.field("start_time"), "25:00", replace=True)
    type_in(qtbot, form.field("held_on"), "31/02/2025", replace=True)
    click(qtbot, form.save_button)
    assert _problem_paths(form) == [
        "held_on",
        "participants/with_disability",
        "start_time",
        "title",
    ]
    start_box = form.box_for("start_time")
    assert start_box is not None and "Bukan jam" in start_box.message.text()
    type_in(qtbot, form.field("title"), "Rapat koordinasi PATBM")
    assert title_box.has_problem is False
    assert store.records("outreach") == []

    type_in(qtbot, form.field("start_time"), "08:00", replace=True)
    type_in(qtbot, form.field("held_on"), "28/02/2025", replace=True)
    _count(qtbot, form, "female_adult", 9)
    view = _save(qtbot, form)
    doc = store.get(view.record_id).doc
    assert doc["participants"]["with_disability"] == 5
    assert doc["participants"]["female_adult"] == 9


def test_a_case_link_keeps_only_the_case_reference_and_shows_only_its_code(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    case = store.records("case")[0]
    names = [v["name"] for v in case.doc.get("victims", []) if v.get("name")]
    assert names
    form = _open_form(qtbot, ctx)
    qtbot.keyClicks(form.field("title"), "Kampanye Stop Kekerasan")
    links = form.field("linked_cases")
    assert isinstance(links, CaseLinksField)
    qtbot.keyClicks(links.picker.lineEdit(), "PML-000000-2020-XX-0001")  # no such case
    click(qtbot, links.add_button)
    assert links.message.isVisible() and "bukan kode kasus" in links.message.text()
    assert links.value() is None
    type_in(qtbot, links.picker.lineEdit(), case.code.lower(), replace=True)
    click(qtbot, links.add_button)
    assert links.codes() == [case.code] and links.links.item(0).text() == case.code
    assert not links.message.isVisible()
    shown = [w.text() for w in form.window().findChildren(QLineEdit)]
    shown += [links.links.item(i).text() for i in range(links.links.count())]
    for name in names:
        assert all(name not in text for text in shown)

    view = _save(qtbot, form)
    doc = store.get(view.record_id).doc
    assert doc["linked_cases"] == [case.record_id]  # a reference, never case detail
    text = json.dumps(doc, ensure_ascii=False)
    for name in names:
        assert name not in text
    assert case.doc.get("narrative", "")[:30] not in text


# -- lock and drafts --------------------------------------------------------------------


def test_a_lock_empties_the_table_closes_the_form_and_the_draft_comes_back(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=1)
    with Store.open(profile_dir, passphrase=PASS) as opened:
        opened.save_many(generate_outreach(2, seed=8, village=VILLAGE))
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    qtbot.keyClicks(page.search, "a")

    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    form_window = _forms()[0]
    form = form_window.form
    qtbot.keyClicks(form.field("title"), "Diskusi kelompok remaja")
    _count(qtbot, form, "female_child", 7)

    window.activateWindow()
    qtbot.keyClick(page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert not form_window.isVisible() and not _forms()
    assert all(
        not w.text()
        for w in form.findChildren(QLineEdit)
        if w.objectName() != "qt_spinbox_lineedit"
    )
    assert all(c.value() == 0 for c in _participants(form).counts.values())
    assert page.model.rowCount() == 0 and page.search.text() == ""
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)

    unlock(qtbot, window)
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    again = _forms()[0].form
    assert again.has_draft and again.draft_banner.isVisible()
    title = again.field("title")
    assert isinstance(title, QLineEdit) and title.text() == "Diskusi kelompok remaja"
    assert _participants(again).counts["female_child"].value() == 7
    assert _totals(again)["total"] == "7"
    store = window.ctx.store
    assert store is not None
    assert drafts.draft_keys(store) == [NEW_DRAFT]  # its own key: never the new case's draft
    _save(qtbot, again)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    assert drafts.draft_keys(store) == []


def test_esc_closes_the_form_and_keeps_what_was_typed(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = _open_form(qtbot, ctx)
    qtbot.keyClicks(form.field("title"), "Edukasi keamanan digital")
    qtbot.keyClick(form.field("title"), Qt.Key.Key_Escape)
    assert not _forms()
    qtbot.waitUntil(lambda: drafts.load_draft(store, NEW_DRAFT) is not None)
    assert drafts.load_draft(store, "draft:new") is None  # the case form's draft is untouched
    again = _open_form(qtbot, ctx)
    assert again.document()["title"] == "Edukasi keamanan digital"
    click(qtbot, again.discard_draft_button)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert drafts.draft_keys(store) == [] and "title" not in again.document()


def test_an_unchanged_activity_saves_no_change(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    for result in store.save_many(generate_outreach(10, seed=6, village=VILLAGE)):
        view = result.record
        form = OutreachForm(ctx, view=view)
        qtbot.addWidget(form)
        assert form.document() == {**view.doc, "id": view.record_id}
        assert not form.dirty


# -- the table model and language -------------------------------------------------------


def test_the_table_model_passes_the_model_tester(
    qtmodeltester, ctx: AppContext, store: Store
) -> None:  # type: ignore[no-untyped-def]
    store.save_many(generate_outreach(12, seed=2, village=VILLAGE))
    model = OutreachTableModel(ctx.texts)
    rows = load_rows(store)
    assert len(rows) == 12 and all(isinstance(r, OutreachRow) for r in rows)
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Kode catatan"
    ctx.texts.set_language("en")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Record code"
    model.set_rows([])
    qtmodeltester.check(model)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_page_and_the_form_speak_one_language(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: Path, lang: str
) -> None:
    make_profile(profile_dir, cases=2)
    with Store.open(profile_dir, passphrase=PASS) as opened:
        opened.save_many(generate_outreach(3, seed=4, village=VILLAGE))
    window = open_window(qtbot, launch)
    window.ctx.texts.set_language(lang)
    unlock(qtbot, window)
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    click(qtbot, page.new_button)
    qtbot.waitUntil(lambda: bool(_forms()), timeout=5_000)
    form_window: QWidget = _forms()[0]
    click(qtbot, _forms()[0].form.save_button)  # no title: the problems are listed too
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    for root in (page, form_window):
        screens.check_screen(root, window.ctx)
    other = "en" if lang == "id" else "id"
    window.ctx.texts.set_language(other)
    for root in (page, form_window):
        screens.check_screen(root, window.ctx)
    headers = [
        page.table.model().headerData(c, Qt.Orientation.Horizontal)
        for c in range(page.model.columnCount())
    ]
    title = form_window.windowTitle()
    if other == "en":
        assert headers[:3] == ["Record code", "Date held", "Title"]
        assert page.new_button.text() == "New outreach (Ctrl+Shift+N)"
        assert title.startswith("New outreach activity")
        assert page.count.text() == "3 activities"
    else:
        assert headers[:3] == ["Kode catatan", "Tanggal kegiatan", "Judul"]
        assert title.startswith("Sosialisasi baru")
        assert page.count.text() == "3 kegiatan"
