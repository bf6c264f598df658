"""A bug opens a dialog in the user's language whose details carry no personal data."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.crash import CrashReporter, crash_details
from desktop.ui.language import Texts

SECRET = "Siti Aminah, NIK 3327081234567890"


def _save(name: str) -> None:
    raise KeyError(f"victim {name}")


def _form(name: str) -> None:
    try:
        _save(name)
    except KeyError as exc:
        raise ValueError(f"could not save the case of {name}") from exc


def caught() -> tuple[type[BaseException], BaseException, TracebackType | None]:
    try:
        _form(SECRET)
    except ValueError:
        info = sys.exc_info()
        assert info[0] is not None and info[1] is not None
        return info[0], info[1], info[2]
    raise AssertionError("no exception")


def test_details_name_types_and_frames_only() -> None:
    details = crash_details(*caught())
    assert "Siti" not in details and "3327" not in details and "victim" not in details
    assert "\nValueError\n" in details and "caused by KeyError" in details
    assert "tests/desktop/ui/test_crash.py:" in details and " in _save" in details
    assert "/root/" not in details and "/home/" not in details  # no user folder names


def test_the_reporter_opens_a_dialog_in_the_language(qtbot: QtBot, qapp: QApplication) -> None:
    reporter = CrashReporter(Texts("id"))
    exc_type, exc, tb = caught()
    reporter.report(exc_type, exc, tb)
    qtbot.waitUntil(lambda: len(reporter.dialogs) == 1)
    dialog = reporter.dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Simpul — kesalahan program"
    assert "Siti" not in dialog.details.toPlainText()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == dialog.details.toPlainText()
    dialog.accept()
    qtbot.waitUntil(lambda: reporter.dialogs == [])


def test_a_crash_on_a_worker_thread_reaches_the_ui_thread(qtbot: QtBot) -> None:
    import threading

    reporter = CrashReporter(Texts("en"))
    reporter.install()
    try:
        worker = threading.Thread(target=_form, args=(SECRET,))
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(reporter.dialogs) == 1)
    finally:
        reporter.uninstall()
    dialog = reporter.dialogs[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Simpul — program error"
    assert "Siti" not in dialog.details.toPlainText()
    dialog.accept()
