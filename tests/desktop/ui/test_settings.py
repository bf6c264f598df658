"""The settings page: the sync interval reaches the running scheduler, the server address is
changed in the sealed sync state, the passphrase is changed, a second user is added, a new
recovery code replaces the old one — each confirmed with the passphrase — and a lock closes
everything that shows a secret."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import translate
from desktop.storage.errors import WrongPassphraseError, WrongRecoveryCodeError
from desktop.storage.store import Store
from desktop.sync.state import SyncState
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow
from desktop.ui.pages import SettingsPage
from desktop.ui.settings import SETTINGS_NAME, load_settings
from desktop.ui.settingsdialogs import (
    AddUserDialog,
    ChangePassphraseDialog,
    RecoveryCodeDialog,
)

from .conftest import (
    PASS,
    AnsweringPrompter,
    FakeRounds,
    click,
    enroll_online_fake,
    enrollment_file,
    make_profile,
    tick,
)
from .test_translations import check_screen

NEW_PASS = "perahu layar di pantai widuri"
SECOND_PASS = "sawah hijau dekat balai desa"
CODE_SHAPE = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")

Launch = Callable[[], MainWindow]
D = TypeVar("D", bound=QDialog)


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASS) -> None:
    panel = window.lock_screen.unlock
    qtbot.keyClicks(panel.passphrase, passphrase)
    click(qtbot, panel.unlock_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def open_settings(qtbot: QtBot, launch: Launch, passphrase: str = PASS) -> MainWindow:
    window = launch()
    qtbot.waitExposed(window)
    unlock(qtbot, window, passphrase)
    window.show_page("gui_nav_settings")
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    return window


def lock(qtbot: QtBot, window: MainWindow) -> None:
    window.lock_action.trigger()  # File > Lock (Ctrl+L)
    assert window.locked
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=10_000)


def type_minutes(qtbot: QtBot, spin: QWidget, minutes: int) -> None:
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, str(minutes))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def start_dialog(qtbot: QtBot, page: SettingsPage, button: QPushButton, kind: type[D]) -> D:
    click(qtbot, button)
    dialog = page.dialog
    assert isinstance(dialog, kind)
    qtbot.waitExposed(dialog)
    return dialog


def run(
    qtbot: QtBot,
    ctx: AppContext,
    dialog: ChangePassphraseDialog | AddUserDialog | RecoveryCodeDialog,
) -> None:
    """Click the dialog's main button; its buttons are disabled until the worker answers."""
    click(qtbot, dialog.action_button)
    assert not dialog.action_button.isEnabled() and not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


def cancel(qtbot: QtBot, page: SettingsPage, dialog: QDialog) -> None:
    """Close a dialog with Esc and wait until Qt has deleted it."""
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert page.dialog is None
    qtbot.waitUntil(lambda: page.findChildren(QDialog) == [])


def open_dialogs(window: MainWindow) -> list[QDialog]:
    return [d for d in window.findChildren(QDialog) if d.isVisible()]


# -- sync interval and server address ------------------------------------------------------


def test_the_sync_interval_reaches_the_running_scheduler_and_is_kept(
    qtbot: QtBot, ctx: AppContext, launch: Launch, rounds: FakeRounds, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=2)
    enroll_online_fake(profile_dir)
    window = open_settings(qtbot, launch)
    qtbot.waitUntil(lambda: window.sync.scheduler is not None, timeout=5_000)
    scheduler = rounds.schedulers[0]
    assert scheduler.interval_s == 15 * 60
    page = window.settings_page
    assert page.sync_interval.value() == 15 and page.sync_interval.suffix() == " menit"

    type_minutes(qtbot, page.sync_interval, 30)
    assert scheduler.interval_s == 30 * 60  # the same scheduler: no restart
    assert window.sync.scheduler is scheduler
    assert load_settings(profile_dir / SETTINGS_NAME).sync_interval_minutes == 30

    # kept across a lock: the next scheduler starts with it
    lock(qtbot, window)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: len(rounds.schedulers) == 2, timeout=5_000)
    assert rounds.schedulers[1].interval_s == 30 * 60


def test_the_server_address_is_changed_in_the_sealed_state(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    enroll_online_fake(profile_dir)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.server_url.text() == "http://127.0.0.1:9", timeout=5_000)
    assert page.server_url.isVisible() and not page.server_state.isVisible()
    assert not page.server_save.isEnabled()  # nothing changed yet
    store = ctx.store
    assert store is not None
    before = SyncState(store).require_enrollment()

    for bad in ("ftp://simpul.pemalangkab.go.id", "http://server baru", "https://:8000"):
        page.server_url.selectAll()
        qtbot.keyClicks(page.server_url, bad)
        click(qtbot, page.server_save)
        assert page.server_message.text() == translate("bad_server_url", "id", {"url": bad})
        assert SyncState(store).require_enrollment().server_url == "http://127.0.0.1:9"

    page.server_url.selectAll()
    qtbot.keyClicks(page.server_url, "https://simpul2.pemalangkab.go.id/ ")
    click(qtbot, page.server_save)
    qtbot.waitUntil(
        lambda: page.server_message.text() == "Tersimpan. Sinkron berikutnya memakai alamat ini.",
        timeout=5_000,
    )
    after = SyncState(store).require_enrollment()
    assert after.server_url == "https://simpul2.pemalangkab.go.id"
    assert page.server_url.text() == "https://simpul2.pemalangkab.go.id"
    # the pinned district keys stay: another server is refused at the next sync
    assert after.district_sign_public == before.district_sign_public
    assert after.district_enc_public == before.district_enc_public
    assert after.token == before.token
    # not personal, but sealed: in no file of the profile in plain text
    for path in profile_dir.iterdir():
        assert b"simpul2" not in path.read_bytes(), path.name


def test_without_a_server_the_page_points_to_enrollment(
    qtbot: QtBot, ctx: AppContext, launch: Launch, prompter: AnsweringPrompter, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.server_state.isVisible(), timeout=5_000)
    assert "menu Sinkron" in page.server_state.text()
    assert not page.server_url.isVisible()

    # enrolled by file meanwhile (Sync menu): the page says there is no server address
    prompter.file = enrollment_file(profile_dir.parent / "enroll.json")
    window.enroll_action.trigger()
    dialog = window._enroll_dialog
    assert dialog is not None
    tick(qtbot, dialog.form.by_file)
    click(qtbot, dialog.form.choose_file)
    click(qtbot, dialog.enroll_button)
    qtbot.waitUntil(lambda: window._enroll_dialog is None, timeout=5_000)
    window.show_page("gui_nav_cases")
    window.show_page("gui_nav_settings")
    qtbot.waitUntil(
        lambda: page.server_state.text() == translate("gui_settings_server_by_file", "id"),
        timeout=5_000,
    )
    assert not page.server_url.isVisible()


# -- passphrase, users, recovery code --------------------------------------------------------


def test_change_passphrase_needs_the_current_one(
    qtbot: QtBot, ctx: AppContext, launch: Launch, prompter: AnsweringPrompter, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=1)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    dialog = start_dialog(qtbot, page, page.change_passphrase, ChangePassphraseDialog)
    assert "kader" not in dialog.windowTitle().casefold()
    assert not dialog.action_button.isEnabled()
    qtbot.keyClicks(dialog.current, "bukan frasa sandi saya")
    qtbot.keyClicks(dialog.fields.first, NEW_PASS)
    assert not dialog.action_button.isEnabled()  # typed once only
    assert dialog.fields.strength_label.text() == "Kuat"
    qtbot.keyClicks(dialog.fields.second, NEW_PASS)

    run(qtbot, ctx, dialog)
    assert dialog.message.text() == translate("wrong_passphrase", "id")
    assert dialog.current.text() == "" and dialog.isVisible()
    Store.load_vault(profile_dir).unlock(PASS).lock()  # nothing changed

    qtbot.keyClicks(dialog.current, PASS)
    run(qtbot, ctx, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert prompter.notices[-1] == (
        "inform",
        "Ubah frasa sandi",
        translate("gui_settings_passphrase_changed", "id"),
    )

    lock(qtbot, window)
    panel = window.lock_screen.unlock
    qtbot.keyClicks(panel.passphrase, PASS)
    click(qtbot, panel.unlock_button)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=10_000)
    assert window.locked and panel.message.text() == translate("wrong_passphrase", "id")
    unlock(qtbot, window, NEW_PASS)
    store = ctx.store
    assert store is not None and store.vault.user == "kader"
    assert [e.action for e in store.audit_log()][-1] == "passphrase_change"


def test_another_user_is_added_and_signs_in_on_the_lock_screen(
    qtbot: QtBot, ctx: AppContext, launch: Launch, prompter: AnsweringPrompter, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=1)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    dialog = start_dialog(qtbot, page, page.add_user, AddUserDialog)

    def fill(current: str, name: str, passphrase: str) -> None:
        for field in (dialog.current, dialog.name, dialog.fields.first, dialog.fields.second):
            field.clear()
        qtbot.keyClicks(dialog.current, current)
        qtbot.keyClicks(dialog.name, name)
        qtbot.keyClicks(dialog.fields.first, passphrase)
        qtbot.keyClicks(dialog.fields.second, passphrase)

    fill(PASS, "KADER", SECOND_PASS)  # the vault compares names without case
    run(qtbot, ctx, dialog)
    assert dialog.message.text() == "Pengguna dengan nama ini sudah ada."
    fill(PASS, "bidan", PASS)  # would open as the first user on the lock screen
    run(qtbot, ctx, dialog)
    assert dialog.message.text() == translate("gui_settings_passphrase_taken", "id")
    fill(SECOND_PASS, "bidan", SECOND_PASS)  # not the signed-in user's passphrase
    run(qtbot, ctx, dialog)
    assert dialog.message.text() == translate("wrong_passphrase", "id")
    store = ctx.store
    assert store is not None and store.vault.users() == ["kader"]

    fill(PASS, "bidan", SECOND_PASS)
    run(qtbot, ctx, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert prompter.notices[-1][2] == translate("gui_settings_user_added", "id")
    assert store.vault.users() == ["kader", "bidan"]
    assert "bidan" not in window.windowTitle()

    # the lock screen needs no user list: each passphrase opens its own user's slot
    lock(qtbot, window)
    unlock(qtbot, window, SECOND_PASS)
    second = ctx.store
    assert second is not None and second.vault.user == "bidan"
    assert "bidan" not in window.windowTitle()
    assert window.windowTitle() == "Simpul — Tambakrejo"
    # and the first user still opens as themselves
    lock(qtbot, window)
    unlock(qtbot, window, PASS)
    first = ctx.store
    assert first is not None and first.vault.user == "kader"


def test_a_new_recovery_code_needs_the_passphrase_and_replaces_the_old_one(
    qtbot: QtBot, ctx: AppContext, launch: Launch, prompter: AnsweringPrompter, profile_dir: Path
) -> None:
    old_code = make_profile(profile_dir, cases=1)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    dialog = start_dialog(qtbot, page, page.recovery_code, RecoveryCodeDialog)
    assert "tidak berlaku lagi" in dialog.intro.text()
    assert not dialog.action_button.isEnabled() and not dialog.code_label.isVisible()

    qtbot.keyClicks(dialog.current, "salah ketik frasa sandi")
    run(qtbot, ctx, dialog)
    assert dialog.message.text() == translate("wrong_passphrase", "id")
    assert not dialog.code_shown and not dialog.code_label.isVisible()
    Store.load_vault(profile_dir).unlock_with_recovery_code(old_code).lock()  # still works

    qtbot.keyClicks(dialog.current, PASS)
    run(qtbot, ctx, dialog)
    assert dialog.code_shown and dialog.code_label.isVisible()
    new_code = dialog.code_label.text()
    assert CODE_SHAPE.fullmatch(new_code) and new_code != old_code
    assert "Kode lama sudah tidak berlaku" in dialog.made.text()
    assert not dialog.current.isVisible() and dialog.current.text() == ""

    # print it (to a PDF here), and close only once it is written down
    click(qtbot, dialog.print_button)
    assert dialog.printed.text() == translate("gui_print_sent", "id")
    assert prompter.pdf.stat().st_size > 1000
    assert not dialog.close_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and page.dialog is dialog
    tick(qtbot, dialog.written)
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: page.dialog is None)

    lock(qtbot, window)
    with pytest.raises(WrongRecoveryCodeError):
        Store.open_with_recovery_code(profile_dir, code=old_code)
    with Store.open_with_recovery_code(profile_dir, code=new_code) as store:
        assert store.vault.users() == ["kader"]
        assert [e.action for e in store.audit_log()][-1] == "recovery_code_new"
    with pytest.raises(WrongPassphraseError):
        Store.load_vault(profile_dir).unlock("salah ketik frasa sandi")


def test_a_lock_closes_the_dialog_and_empties_the_page(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    enroll_online_fake(profile_dir)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.server_url.text() != "", timeout=5_000)
    dialog = start_dialog(qtbot, page, page.recovery_code, RecoveryCodeDialog)
    qtbot.keyClicks(dialog.current, PASS)
    run(qtbot, ctx, dialog)
    assert dialog.code_shown and not dialog.written.isChecked()
    left_on_screen: list[str] = []
    dialog.finished.connect(lambda _result: left_on_screen.append(dialog.code_label.text()))

    window.lock()  # as auto-lock does: even the unconfirmed code goes away
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert page.dialog is None and open_dialogs(window) == []
    assert left_on_screen == [""]
    assert page.server_url.text() == ""
    assert not page.change_passphrase.isEnabled() and not page.server_save.isEnabled()


def test_a_lock_while_a_passphrase_change_runs_writes_nothing(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    dialog = start_dialog(qtbot, page, page.change_passphrase, ChangePassphraseDialog)
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.keyClicks(dialog.fields.first, NEW_PASS)
    qtbot.keyClicks(dialog.fields.second, NEW_PASS)
    gate = threading.Event()
    ctx.runner.submit(gate.wait)  # the worker is busy with something else for a moment
    click(qtbot, dialog.action_button)
    window.lock()  # before the worker has got to the change
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert page.dialog is None
    Store.load_vault(profile_dir).unlock(PASS).lock()
    with pytest.raises(WrongPassphraseError):
        Store.load_vault(profile_dir).unlock(NEW_PASS)


# -- language ---------------------------------------------------------------------------------


def test_the_page_and_its_dialogs_speak_english_after_a_switch(
    qtbot: QtBot, ctx: AppContext, launch: Launch, profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=0)
    enroll_online_fake(profile_dir)
    window = open_settings(qtbot, launch)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.server_url.text() != "", timeout=5_000)
    dialog = start_dialog(qtbot, page, page.add_user, AddUserDialog)
    check_screen(dialog, ctx)
    cancel(qtbot, page, dialog)

    page.language.setCurrentIndex(page.language.findData("en"))
    assert ctx.texts.lang == "en"
    assert load_settings(profile_dir / SETTINGS_NAME).language == "en"
    assert check_screen(page, ctx) > 15
    assert page.sync_interval.suffix() == " minutes"
    assert page.change_passphrase.text() == "Change passphrase…"
    for button, kind in (
        (page.change_passphrase, ChangePassphraseDialog),
        (page.add_user, AddUserDialog),
        (page.recovery_code, RecoveryCodeDialog),
    ):
        each: QDialog = start_dialog(qtbot, page, button, kind)
        check_screen(each, ctx)
        cancel(qtbot, page, each)

    # an open dialog turns over too, with its message
    codes = start_dialog(qtbot, page, page.recovery_code, RecoveryCodeDialog)
    qtbot.keyClicks(codes.current, "not my passphrase at all")
    run(qtbot, ctx, codes)
    assert codes.message.text() == translate("wrong_passphrase", "en")
    page.language.setCurrentIndex(page.language.findData("id"))
    assert codes.message.text() == translate("wrong_passphrase", "id")
    assert codes.windowTitle() == "Kode pemulihan baru"
    qtbot.keyClicks(codes.current, PASS)
    run(qtbot, ctx, codes)
    click(qtbot, codes.print_button)
    ctx.texts.set_language("en")
    assert codes.written.text() == translate("gui_wizard_recovery_written", "en")
    assert codes.printed.text() == "Sent to the printer."
    check_screen(codes, ctx)
