"""The status bar follows the sync scheduler's events (a real scheduler thread, rounds faked):
syncing with progress, synced at HH:MM, offline, needs attention; stopped on lock."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.i18n import translate
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow

from .conftest import PASS, FakeRounds, click, enroll_online_fake, make_profile


def test_the_indicator_follows_the_scheduler(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    rounds: FakeRounds,
    profile_dir: Path,
) -> None:
    make_profile(profile_dir, cases=3)
    enroll_online_fake(profile_dir)
    rounds.plan = ["block"]
    window = launch()
    qtbot.waitExposed(window)
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    click(qtbot, window.lock_screen.unlock.unlock_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    status = window.sync_status

    # the first round starts at unlock and reports progress from its own thread
    qtbot.waitUntil(lambda: window.sync.view.phase == "syncing" and window.sync.view.total == 10)
    assert status.label.text() == "Menyinkronkan…"
    assert status.progress.isVisible()
    assert (status.progress.value(), status.progress.maximum()) == (3, 10)
    assert not status.button.isEnabled() and not window.sync_now_action.isEnabled()
    rounds.release.set()
    qtbot.waitUntil(lambda: window.sync.view.phase == "synced", timeout=5_000)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert re.fullmatch(
        r"Tersinkron pukul \d\d:\d\d( · \d+ perubahan menunggu)?", status.label.text()
    ), status.label.text()
    assert not status.progress.isVisible()

    # offline is a state in the status bar, not a dialog
    rounds.plan = ["offline"]
    assert status.button.text() == "Sinkronkan sekarang"
    click(qtbot, status.button)
    qtbot.waitUntil(lambda: window.sync.view.phase == "offline", timeout=5_000)
    pending = window.sync.view.pending
    assert status.label.text() == f"Luring · {pending} perubahan menunggu"
    assert status.label.toolTip() == translate("offline", "id")

    # a refusal needs attention, in words
    rounds.plan = ["refused"]
    window.sync_now_action.trigger()
    qtbot.waitUntil(lambda: window.sync.view.phase == "error", timeout=5_000)
    assert status.label.text() == "Perlu perhatian: " + translate("refused_device_revoked", "id")

    # locking stops the scheduler and hides the indicator
    scheduler = rounds.schedulers[0]
    qtbot.keyClick(window.cases_page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not status.isVisible()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert not scheduler.running
    assert not any(t.name == "simpul-sync" for t in threading.enumerate())


def test_without_a_server_there_is_no_sync_now(
    qtbot: QtBot, ctx: AppContext, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    window = launch()
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    click(qtbot, window.lock_screen.unlock.unlock_button)
    qtbot.waitUntil(lambda: window.sync.view.phase == "not_enrolled", timeout=10_000)
    assert not window.sync_now_action.isEnabled()
    assert window.enroll_action.isEnabled()
    assert window.sync.scheduler is None
