"""Unlock, forgot passphrase, Ctrl+L and auto-lock: what the lock screen says and hides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.i18n import translate
from desktop.storage.store import Store
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow

from .conftest import PASS, VILLAGE_NAME, click, make_profile

NEW_PASS = "frasa baru yang cukup panjang"


Launch = Callable[[], MainWindow]


def open_window(qtbot: QtBot, launch: Launch) -> MainWindow:
    window = launch()
    qtbot.waitExposed(window)
    return window


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASS) -> None:
    panel = window.lock_screen.unlock
    qtbot.keyClicks(panel.passphrase, passphrase)
    click(qtbot, panel.unlock_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def shown_texts(window: QWidget) -> list[str]:
    """Every text a person could read in the window now (labels, buttons, fields, cells)."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
    model = window.cases_page.model  # type: ignore[attr-defined]
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            texts.append(str(model.index(row, column).data()))
    return texts


def open_dialogs() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def test_wrong_then_right_passphrase(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir)
    window = open_window(qtbot, launch)
    assert window.locked and window.windowTitle() == "Simpul"
    assert window.menuBar().isHidden() and window.toolbar.isHidden()
    panel = window.lock_screen.unlock
    assert panel.unlock_button.text() == "Buka"

    qtbot.keyClicks(panel.passphrase, "bukan frasa yang benar")
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=10_000)
    assert panel.message.text() == translate("wrong_passphrase", "id")
    assert panel.passphrase.text() == "" and panel.passphrase.isEnabled()
    assert window.locked and open_dialogs() == []  # said calmly on the screen, no dialog

    unlock(qtbot, window)
    assert window.windowTitle() == f"Simpul — {VILLAGE_NAME}"
    assert panel.message.text() == ""
    table = window.cases_page.table
    assert table.model().rowCount() == 6
    assert window.cases_page.count.text() == "6 kasus"
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Kode kasus", "Tanggal lapor", "Status", "Korban", "Tinjau"]


def test_ctrl_l_locks_and_hides_everything_personal(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir)
    window = open_window(qtbot, launch)
    unlock(qtbot, window)
    store = ctx.store
    assert store is not None
    views = store.records("case")
    codes = [v.code for v in views]
    names = [
        victim["name"] for v in views for victim in v.doc.get("victims", []) if victim.get("name")
    ]
    assert names and any(code in shown_texts(window) for code in codes)

    window.activateWindow()
    qtbot.keyClick(window.cases_page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert window.windowTitle() == "Simpul"
    assert window.stack.currentWidget() is window.lock_screen
    texts = "\n".join(shown_texts(window))
    for secret in [*codes, *names, VILLAGE_NAME, "kader"]:
        assert secret not in texts
    assert window.cases_page.model.rowCount() == 0
    assert not window.sync_status.isVisible()

    # the store is closed off the UI thread: keys gone
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert store.vault.is_locked

    unlock(qtbot, window)
    assert window.cases_page.model.rowCount() == 6


def test_idle_locks_and_input_keeps_it_open(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=2)
    window = open_window(qtbot, launch)
    assert window.idle_watcher.timeout_ms == 5 * 60_000  # the default: five minutes
    unlock(qtbot, window)
    window.idle_watcher.set_timeout_ms(400)
    handle = window.windowHandle()  # keys arrive through the window, as from a keyboard
    for _ in range(6):  # 600 ms of typing: never 400 ms without input
        qtbot.wait(100)
        QTest.keyClick(handle, Qt.Key.Key_Down)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3_000)
    assert window.windowTitle() == "Simpul"
    assert window.cases_page.model.rowCount() == 0
    assert not window.idle_watcher.watching


def test_forgot_passphrase_recovers_with_the_code(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    code = make_profile(profile_dir, cases=1)
    window = open_window(qtbot, launch)
    screen = window.lock_screen
    click(qtbot, screen.unlock.forgot)
    panel = screen.recovery
    assert screen.panels.currentWidget() is panel

    qtbot.keyClicks(panel.code, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    click(qtbot, panel.check_button)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=10_000)
    assert panel.message.text() == translate("wrong_recovery_code", "id")
    assert panel.steps.currentIndex() == 0

    panel.code.clear()
    qtbot.keyClicks(panel.code, code.lower())  # typed in lower case: still accepted
    click(qtbot, panel.check_button)
    qtbot.waitUntil(lambda: panel.steps.currentIndex() == 1, timeout=10_000)
    assert window.locked  # nothing shown before a new passphrase is set
    assert not panel.user.isVisible()  # one user: nothing to choose
    assert not panel.save_button.isEnabled()
    qtbot.keyClicks(panel.fields.first, NEW_PASS)
    qtbot.keyClicks(panel.fields.second, NEW_PASS)
    click(qtbot, panel.save_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.cases_page.model.rowCount() == 1
    window.close()

    with Store.open(profile_dir, passphrase=NEW_PASS) as store:
        assert store.vault.user == "kader"
        assert store.audit_log()[-1].action == "recover"


def test_going_back_from_recovery_locks_the_profile_again(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    code = make_profile(profile_dir, cases=0)
    window = open_window(qtbot, launch)
    screen = window.lock_screen
    click(qtbot, screen.unlock.forgot)
    qtbot.keyClicks(screen.recovery.code, code)
    click(qtbot, screen.recovery.check_button)
    qtbot.waitUntil(lambda: screen.recovery.steps.currentIndex() == 1, timeout=10_000)
    opened = screen.recovery._store
    assert opened is not None
    click(qtbot, screen.recovery.back)
    assert screen.panels.currentWidget() is screen.unlock
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert opened.vault.is_locked and window.locked
