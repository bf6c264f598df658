"""Enrolling online from the dialog: what the form says when the server cannot be reached or
the address is not one (the successful online path is covered by the sync tests)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.i18n import translate
from desktop.ui.context import AppContext
from desktop.ui.enrollform import EnrollDialog
from desktop.ui.mainwindow import MainWindow

from .conftest import PASS, click, make_profile


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nothing listens


def test_online_enrollment_failures_are_said_on_the_form(
    qtbot: QtBot, ctx: AppContext, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    window = launch()
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    click(qtbot, window.lock_screen.unlock.unlock_button)
    qtbot.waitUntil(lambda: window.sync.view.phase == "not_enrolled", timeout=10_000)
    click(qtbot, window.sync_status.button)
    dialog = window.findChild(EnrollDialog)
    assert isinstance(dialog, EnrollDialog)
    form = dialog.form
    assert form.online.isChecked()  # the dialog starts with the online way

    qtbot.keyClicks(form.server, "ftp://kabupaten")
    qtbot.keyClicks(form.code, "7KQ2-M4XD")
    click(qtbot, dialog.enroll_button)
    qtbot.waitUntil(lambda: form.message.text() != "", timeout=10_000)
    assert form.message.text() == translate("bad_server_url", "id", {"url": "ftp://kabupaten"})

    form.server.clear()
    qtbot.keyClicks(form.server, f"http://127.0.0.1:{closed_port()}")
    click(qtbot, dialog.enroll_button)
    assert form.running and not dialog.enroll_button.isEnabled()
    qtbot.waitUntil(lambda: not form.running, timeout=20_000)
    assert form.message.text() == translate("offline", "id")
    assert dialog.isVisible() and window.sync.view.phase == "not_enrolled"
    click(qtbot, dialog.close_button)
