"""From the main window: a new case through the menu shortcut, saved, listed, opened again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.casedetail import CaseViewWindow
from desktop.ui.caseform import CaseFormWindow
from desktop.ui.mainwindow import MainWindow

from .conftest import make_profile, tick
from .test_caseform import checks, choose, save_and_wait, type_in, victim
from .test_lock import open_window, unlock


def _top(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_a_new_case_from_the_main_window_is_listed_and_opens_again(
    qtbot: QtBot, launch: Callable[[], MainWindow], profile_dir: object
) -> None:
    make_profile(profile_dir, cases=2)  # type: ignore[arg-type]
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    table = window.cases_page.table  # type: ignore[attr-defined]
    assert window.cases_page.model.rowCount() == 2  # type: ignore[attr-defined]

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(_top(CaseFormWindow)), timeout=5_000)
    form = _top(CaseFormWindow)[0].form
    type_in(qtbot, form.field("reported_on"), "12/05/2025", replace=True)
    type_in(qtbot, form.field("incident_on"), "3/4/2025")
    choose(qtbot, form.field("channel"), "Datang")
    first = victim(form, 0)
    type_in(qtbot, first.fields["name"], "Sri Wahyuni")
    choose(qtbot, first.fields["sex"], "Perem")
    type_in(qtbot, first.fields["age"], "29")
    tick(qtbot, checks(form, "violence_types").boxes["psikis"])
    type_in(qtbot, form.field("narrative"), "Korban dimaki dan diancam oleh suaminya.")
    saved = save_and_wait(qtbot, form)

    qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 3, timeout=5_000)  # type: ignore[attr-defined]
    proxy = window.cases_page.proxy  # type: ignore[attr-defined]
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == saved.code)
    index = proxy.index(row, 0)
    table.scrollTo(index)
    centre = table.visualRect(index).center()
    # a click then a double click, as a hand does (Qt opens on the second press)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: bool(_top(CaseViewWindow)), timeout=5_000)
    assert "Sri Wahyuni" not in window.windowTitle()
    for view in _top(CaseViewWindow):
        assert "Sri Wahyuni" not in view.windowTitle()
        view.close()
    # the keyboard way: Enter on the selected row opens it too
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(_top(CaseViewWindow)), timeout=5_000)
    for view in _top(CaseViewWindow):
        view.close()
