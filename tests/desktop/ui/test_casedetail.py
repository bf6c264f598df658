"""Opening a case: its summary in words (labels, not codes), its history (who, when, which
device, what) and the fields that need review; "Ubah kasus" opens the form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.storage.store import RecordView, Store
from desktop.ui import caseform
from desktop.ui.casedetail import CaseView, CaseViewWindow, open_case_view
from desktop.ui.context import AppContext
from simpul.changes import Change, ChangeId, FieldEdit, Hlc
from simpul.records.derived import device_tag
from simpul.synthetic import generate_cases

from . import test_translations as screens
from .conftest import FAST_KDF, PASS, VILLAGE, click

_WINDOWS: list[QWidget] = []


@pytest.fixture
def store(ctx: AppContext, profile_dir: Path) -> Store:
    opened, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    ctx.set_store(opened)
    return opened


@pytest.fixture(autouse=True)
def _close_windows() -> Iterator[None]:
    yield
    for window in [*caseform._OPEN.values(), *_WINDOWS]:
        window.close()
    _WINDOWS.clear()


def tppo_case(store: Store) -> RecordView:
    results = store.save_many(generate_cases(10, seed=3, village=VILLAGE))
    return next(r.record for r in results if r.record.summary.get("tppo"))


def show(qtbot: QtBot, ctx: AppContext, record_id: str) -> CaseViewWindow:
    window = open_case_view(ctx, record_id)
    _WINDOWS.append(window)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.view.snapshot is not None)
    return window


def section_text(view: CaseView, key: str) -> str:
    label: QLabel = view.sections[key][1]
    return label.text()


def history_rows(view: CaseView) -> list[list[str]]:
    table = view.history
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_summary_shows_labels_not_codes_and_the_history(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    case = tppo_case(store)
    doc = case.doc
    window = show(qtbot, ctx, case.record_id)
    view = window.view
    assert view.code.text() == case.code
    assert case.code in window.windowTitle()
    victim_name = doc["victims"][0].get("name")
    assert victim_name is None or victim_name not in window.windowTitle()  # never a name

    tppo = section_text(view, "tppo")
    assert "Trafficking (TPPO)" in section_text(view, "violence")
    assert "Perekrutan" in tppo and "perekrutan" not in tppo
    for code in doc["tppo"]["purpose"]:
        assert code not in tppo  # the code is never shown, its label is
    assert "Indikator: Ya" in tppo
    victims = section_text(view, "victims")
    assert "Korban 1" in victims and "Usia dan kelompok umur" in victims
    if victim_name:
        assert victim_name in victims
    assert "Tambakrejo (Kec. Pemalang)" in victims  # a village by name, not 33.27.08.2012
    assert VILLAGE not in victims
    relationship = next(iter(doc["perpetrators"][0]["relationships"].values()))
    assert relationship not in section_text(view, "perpetrators") or " " in relationship

    rows = history_rows(view)
    assert len(rows) == 1
    when, who, device, what = rows[0]
    assert who == "kader" and device == "Laptop ini"
    assert what.startswith("Kasus dicatat")
    assert store.audit_log()[-1].action == "view"  # opening a case is audited
    assert view.review_banner.isHidden()


def test_edit_opens_the_form_and_the_history_names_what_changed(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    case = tppo_case(store)
    window = show(qtbot, ctx, case.record_id)
    click(qtbot, window.view.edit_button)
    form_window = caseform._OPEN[f"draft:{case.record_id}"]
    form = form_window.form
    assert form.document()["narrative"] == case.doc["narrative"]
    status = form.field("status")
    status.setFocus()
    qtbot.keyClicks(status, "Selesai")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: window.view.history.rowCount() == 2)
    newest = history_rows(window.view)[0]
    assert newest[1] == "kader" and newest[2] == "Laptop ini"
    assert newest[3] == "Status kasus"
    assert "Selesai" in section_text(window.view, "status")
    assert window.view.status_chip.text() == "Selesai"


def test_a_change_from_another_device_and_a_field_needing_review_are_shown(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    case = tppo_case(store)
    heads = frozenset(change for change, _value in store.heads(case.record_id, "status"))
    other = "district0000beef"
    latest = store.history(case.record_id)[-1].hlc
    from_district = Change(
        ChangeId(other, 1),
        case.record_id,
        "case",
        Hlc(latest.wall + 1000, 0),
        "petugas.uptd",
        (FieldEdit("status", "diterima_uptd", heads),),
    )
    store.apply_changes([from_district])
    # meanwhile on this laptop, from the version before it arrived: the same field
    store.save({**case.doc, "id": case.record_id, "status": "selesai"}, kind="case", base=case)
    window = show(qtbot, ctx, case.record_id)
    view = window.view
    assert view.review_banner.isVisible()
    assert "Status kasus" in view.review_text.text()
    assert "⚠" in section_text(view, "status") and "Perlu ditinjau" in section_text(view, "status")
    assert "⚠" not in section_text(view, "report")
    devices = {row[2] for row in history_rows(view)}
    assert devices == {"Laptop ini", f"Perangkat lain ({device_tag(other)})"}
    assert "petugas.uptd" in {row[1] for row in history_rows(view)}


def test_a_lock_empties_the_case_view(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    case = tppo_case(store)
    view = CaseView(ctx)
    _WINDOWS.append(view)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_case(case.record_id)
    assert view.history.rowCount() == 1
    locked = ctx.take_store()
    assert locked is not None
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    locked.close()
    assert view.snapshot is None and view.history.rowCount() == 0
    shown = " ".join(w.text() for w in view.findChildren(QLabel) if w.isVisibleTo(view))
    name = case.doc["victims"][0].get("name") or case.code
    assert name not in shown and case.code not in shown
    assert not view.edit_button.isEnabled()
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_case_view_speaks_one_language(
    qtbot: QtBot, ctx: AppContext, store: Store, lang: str
) -> None:
    case = tppo_case(store)
    ctx.texts.set_language(lang)
    window = show(qtbot, ctx, case.record_id)
    screens.check_screen(window, ctx)
    ctx.texts.set_language("en" if lang == "id" else "id")
    screens.check_screen(window, ctx)
    header = window.view.history.horizontalHeaderItem(0)
    assert header is not None and header.text() in ("Waktu", "When")
    assert window.view.history.item(0, 2).text() in ("Laptop ini", "This laptop")
    assert Qt.ItemFlag.ItemIsEditable not in window.view.history.item(0, 0).flags()


def test_a_district_follow_up_is_named_as_the_district_made_it(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    # the district server authors staff follow-up as device "district", actor "staff:<name>"
    case = tppo_case(store)
    heads = frozenset(change for change, _value in store.heads(case.record_id, "status"))
    latest = store.history(case.record_id)[-1].hlc
    store.apply_changes(
        [
            Change(
                ChangeId("district", 1),
                case.record_id,
                "case",
                Hlc(latest.wall + 1000, 0),
                "staff:budi",
                (FieldEdit("status", "diterima_uptd", heads),),
            )
        ]
    )
    view = show(qtbot, ctx, case.record_id).view
    rows = history_rows(view)
    assert ("budi (kabupaten)", "Kantor kabupaten") in {(row[1], row[2]) for row in rows}
    assert all("staff:" not in row[1] for row in rows)
