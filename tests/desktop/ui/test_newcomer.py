"""The issue's "done when", as one person's first hour with Simpul: the wizard in Indonesian
(enrolling with the district's file), a case, an outreach activity, lock and unlock, a bundle
exported to a flash drive — every step through the widgets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QWizard
from pytestqt.qtbot import QtBot

from desktop.sync.status import sync_status
from desktop.ui.caseform import CaseFormWindow
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import NAVIGATION, MainWindow
from desktop.ui.outreachform import OutreachFormWindow

from .conftest import PASS, VILLAGE_NAME, AnsweringPrompter, click, enrollment_file, tick
from .test_caseform import checks, choose, save_and_wait, type_in, victim
from .test_wizard import fill_until_recovery, open_wizard

VICTIM = "Sri Lestari Wulandari"


def _top(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _visible_text(window: MainWindow) -> str:
    return " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())


def test_a_new_user_sets_up_records_locks_unlocks_and_exports(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    prompter: AnsweringPrompter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 1. the wizard, in Indonesian, enrolling with the file the district handed over
    window, wizard = open_wizard(qtbot, launch)
    assert wizard.windowTitle() == "Menyiapkan Simpul"
    fill_until_recovery(qtbot, wizard)
    recovery = wizard.recovery_page
    qtbot.waitUntil(lambda: recovery.created, timeout=10_000)
    tick(qtbot, recovery.written)
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    form = wizard.enroll_page.form
    tick(qtbot, form.by_file)
    prompter.file = enrollment_file(tmp_path / "pendaftaran.json")
    click(qtbot, form.choose_file)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: window.isVisible() and not window.locked, timeout=10_000)
    assert window.windowTitle() == f"Simpul — {VILLAGE_NAME}"

    # 2. a case, from the keyboard shortcut
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_top(CaseFormWindow)), timeout=5_000)
    case_form = _top(CaseFormWindow)[0].form
    choose(qtbot, case_form.field("channel"), "Datang")
    first = victim(case_form, 0)
    type_in(qtbot, first.fields["name"], VICTIM)
    choose(qtbot, first.fields["sex"], "Perem")
    type_in(qtbot, first.fields["age"], "31")
    tick(qtbot, checks(case_form, "violence_types").boxes["psikis"])
    type_in(qtbot, case_form.field("narrative"), "Korban diancam dan dimaki suaminya.")
    case = save_and_wait(qtbot, case_form)
    qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 1, timeout=5_000)

    # 3. an outreach activity, from the File menu's action
    window.new_outreach_action.trigger()
    qtbot.waitUntil(lambda: bool(_top(OutreachFormWindow)), timeout=5_000)
    outreach_form = _top(OutreachFormWindow)[0].form
    qtbot.keyClicks(outreach_form.field("title"), "Sosialisasi Pencegahan TPPO")
    choose(qtbot, outreach_form.field("type"), "Peny")
    type_in(qtbot, outreach_form.field("held_on"), "02/11/2026", replace=True)
    participants = outreach_form.field("participants")
    type_in(qtbot, participants.counts["female_adult"], "18", replace=True)  # type: ignore[attr-defined]
    type_in(qtbot, participants.counts["male_adult"], "7", replace=True)  # type: ignore[attr-defined]
    with qtbot.waitSignal(outreach_form.saved, timeout=10_000):
        click(qtbot, outreach_form.save_button)
    window.navigation.setCurrentRow(NAVIGATION.index("gui_nav_outreach"))
    qtbot.waitUntil(lambda: window.outreach_page.model.rowCount() == 1, timeout=5_000)

    # 4. lock with Ctrl+L: nothing about anyone on screen; unlock with the passphrase
    window.activateWindow()  # the form that just closed had the focus
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.outreach_page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked)
    assert VICTIM not in _visible_text(window) and case.code not in _visible_text(window)
    assert window.windowTitle() == "Simpul"
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    qtbot.keyClick(window.lock_screen.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 1, timeout=5_000)

    # 5. export a bundle to the flash drive
    out = tmp_path / "flashdisk"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(out))
    qtbot.waitUntil(lambda: window.sync.view.phase == "by_file", timeout=10_000)
    button = window.toolbar.widgetForAction(window.export_action)
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(prompter.notices) == 1, timeout=10_000)
    kind, title, _text = prompter.notices.pop()
    assert (kind, title) == ("inform", "Ekspor bundel")
    bundles = list(out.glob("*.simpul"))
    assert len(bundles) == 1
    assert VICTIM.encode() not in bundles[0].read_bytes()  # sealed
    assert all(VICTIM not in p.name and case.code not in p.name for p in out.iterdir())
    store = ctx.store
    assert store is not None
    status = sync_status(store)
    assert status.enrolled and len(status.awaiting) == 1
