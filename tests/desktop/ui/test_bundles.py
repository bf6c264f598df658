"""Bundles by hand from the menu: enrollment by file from the status bar, export to a folder,
files from the district."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import translate
from desktop.ui.context import AppContext
from desktop.ui.enrollform import EnrollDialog
from desktop.ui.mainwindow import MainWindow

from .conftest import PASS, AnsweringPrompter, click, enrollment_file, make_profile, tick


def unlocked(qtbot: QtBot, launch: Callable[[], MainWindow]) -> MainWindow:
    window = launch()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    click(qtbot, window.lock_screen.unlock.unlock_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    return window


def toolbar_button(window: MainWindow, name: str) -> QWidget:
    action = getattr(window, name)
    button = window.toolbar.widgetForAction(action)
    assert button is not None
    return button


def test_enroll_by_file_then_export_a_bundle_to_a_folder(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    prompter: AnsweringPrompter,
    profile_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_profile(profile_dir, cases=4)
    out = tmp_path / "flashdisk"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(out))
    window = unlocked(qtbot, launch)
    status = window.sync_status
    qtbot.waitUntil(lambda: window.sync.view.phase == "not_enrolled")
    assert status.label.text() == "Belum terdaftar di kabupaten"
    assert status.button.text() == "Daftarkan ke kabupaten…"

    # not enrolled: exporting says what to do, calmly
    qtbot.mouseClick(toolbar_button(window, "export_action"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(prompter.notices) == 1, timeout=10_000)
    kind, _title, text = prompter.notices.pop()
    assert kind == "warn" and text == translate("gui_err_not_enrolled", "id")
    assert list(out.iterdir()) == []

    # enroll from the status bar, with the district's file
    click(qtbot, status.button)
    dialog = window.findChild(EnrollDialog)
    assert isinstance(dialog, EnrollDialog) and dialog.isVisible()
    assert not dialog.enroll_button.isEnabled()
    tick(qtbot, dialog.form.by_file)
    prompter.file = enrollment_file(tmp_path / "pendaftaran.json")
    click(qtbot, dialog.form.choose_file)
    click(qtbot, dialog.enroll_button)
    qtbot.waitUntil(lambda: window.findChild(EnrollDialog) is None, timeout=10_000)
    qtbot.waitUntil(lambda: window.sync.view.phase == "by_file", timeout=10_000)
    pending = window.sync.view.pending
    assert pending > 0
    assert status.label.text() == (
        f"Sinkron lewat berkas bundel · {pending} perubahan belum terkirim"
    )
    assert not window.sync_now_action.isEnabled()  # no server to sync with

    qtbot.mouseClick(toolbar_button(window, "export_action"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(prompter.notices) == 1, timeout=10_000)
    kind, title, text = prompter.notices.pop()
    assert (kind, title) == ("inform", "Ekspor bundel")
    bundles = sorted(out.glob("*.simpul"))
    answers = sorted(out.glob("*.simpul-enroll"))
    assert len(bundles) == 1 and len(answers) == 1
    assert text.startswith(f"1 berkas bundel berisi {pending} perubahan ditulis ke {out}")
    assert answers[0].name in text
    assert window.export_action.isEnabled()


def test_a_file_that_is_not_from_the_district_is_refused_calmly(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    prompter: AnsweringPrompter,
    profile_dir: Path,
    tmp_path: Path,
) -> None:
    make_profile(profile_dir, cases=1)
    window = unlocked(qtbot, launch)
    stray = tmp_path / "foto.simpul-return"
    stray.write_bytes(b"not a bundle at all")
    prompter.files = [stray]
    qtbot.mouseClick(toolbar_button(window, "apply_action"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(prompter.notices) == 1, timeout=10_000)
    kind, title, text = prompter.notices.pop()
    assert (kind, title) == ("warn", "Berkas dari kabupaten")
    assert text.startswith("foto.simpul-return: ditolak: ")
    assert "{" not in text and "_" not in text.split(": ", 1)[1]
    assert not window.locked
