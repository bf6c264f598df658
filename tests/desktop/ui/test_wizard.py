"""The first-run wizard, driven like a person: language, village, name, passphrase, recovery
code (confirmed, printed), enrollment skipped or by file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.sync.status import sync_status
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow
from desktop.ui.settings import load_settings
from desktop.ui.wizard import SetupWizard

from .conftest import (
    PASS,
    VILLAGE,
    VILLAGE_NAME,
    AnsweringPrompter,
    click,
    enrollment_file,
    tick,
)

Button = QWizard.WizardButton


def open_wizard(qtbot: QtBot, launch: Callable[[], MainWindow]) -> tuple[MainWindow, SetupWizard]:
    window = launch()
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    qtbot.waitExposed(wizard)
    return window, wizard


def fill_until_recovery(qtbot: QtBot, wizard: SetupWizard) -> None:
    """Language (Indonesian), village by search, name, passphrase twice, create."""
    click(qtbot, wizard.button(Button.NextButton))
    page = wizard.village_page
    assert wizard.currentPage() is page
    assert not wizard.button(Button.NextButton).isEnabled()  # no village chosen yet
    qtbot.keyClicks(page.search, "tambak")
    names = [page.list.item(i).text() for i in range(page.list.count())]
    assert f"Desa {VILLAGE_NAME} — Kec. Pemalang" in names
    row = names.index(f"Desa {VILLAGE_NAME} — Kec. Pemalang")
    item = page.list.item(row)
    qtbot.mouseClick(
        page.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.list.visualItemRect(item).center(),
    )
    chosen = page.selected()
    assert chosen is not None and chosen.code == VILLAGE
    click(qtbot, wizard.button(Button.NextButton))

    assert wizard.currentPage() is wizard.user_page
    assert not wizard.button(Button.NextButton).isEnabled()
    qtbot.keyClicks(wizard.user_page.name, "Kader Uji")
    click(qtbot, wizard.button(Button.NextButton))

    fields = wizard.passphrase_page.fields
    assert wizard.currentPage() is wizard.passphrase_page
    create = wizard.button(Button.CommitButton)
    assert create.text() == "Buat profil"
    qtbot.keyClicks(fields.first, "pendek")
    assert fields.strength_label.text() == "Terlalu lemah"
    fields.first.clear()
    qtbot.keyClicks(fields.first, PASS[:13])  # "kunci rahasia": 13 characters
    assert fields.strength_label.text() == "Cukup"
    qtbot.keyClicks(fields.first, PASS[13:])
    assert fields.strength_label.text() == "Kuat"
    qtbot.keyClicks(fields.second, PASS[:-3] + "xyz")
    assert fields.mismatch.text() == "Kedua isian tidak sama."
    assert not create.isEnabled()
    fields.second.clear()
    qtbot.keyClicks(fields.second, PASS)
    assert fields.mismatch.text() == ""
    click(qtbot, create)


def test_the_wizard_makes_a_profile_and_shows_the_recovery_code_once(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    prompter: AnsweringPrompter,
    profile_dir: Path,
) -> None:
    window, wizard = open_wizard(qtbot, launch)
    assert wizard.windowTitle() == "Menyiapkan Simpul"
    assert wizard.language_page.indonesian.isChecked()
    assert wizard.button(Button.NextButton).text() == "Lanjut >"

    # English for a moment: the wizard follows at once, then back to Indonesian
    tick(qtbot, wizard.language_page.english)
    assert wizard.language_page.title() == "Welcome to Simpul"
    assert wizard.button(Button.NextButton).text() == "Next >"
    tick(qtbot, wizard.language_page.indonesian)
    assert wizard.language_page.title() == "Selamat datang di Simpul"

    fill_until_recovery(qtbot, wizard)
    page = wizard.recovery_page
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.created, timeout=10_000)
    code = page.code_label.text()
    assert len(code.split("-")) == 8
    assert page.status.text() == "Profil sudah siap."
    # the passphrase fields were emptied once the profile was made
    assert wizard.passphrase_page.fields.first.text() == ""

    # confirmation is required to go on
    next_button = wizard.button(Button.CommitButton)
    assert not next_button.isEnabled()
    click(qtbot, page.print_button)
    assert prompter.pdf.stat().st_size > 1000
    assert page.printed.text() == "Sudah dikirim ke pencetak."
    tick(qtbot, page.written)
    assert page.written.isChecked()
    click(qtbot, next_button)

    # enrollment: later; the code cannot be seen again
    assert wizard.currentPage() is wizard.enroll_page
    assert wizard.enroll_page.form.skip.isChecked()
    assert page.code_label.text() == ""
    assert not wizard.button(Button.BackButton).isEnabled()  # past a commit page
    click(qtbot, wizard.button(Button.FinishButton))

    qtbot.waitUntil(lambda: window.isVisible())
    assert not window.locked
    assert window.windowTitle() == f"Simpul — {VILLAGE_NAME}"
    assert window.cases_page.count.text() == "0 kasus"
    assert load_settings(profile_dir / "settings.ini").language == "id"
    window.close()

    with Store.open(profile_dir, passphrase=PASS) as store:
        assert store.village == VILLAGE
        assert store.vault.user == "Kader Uji"
    with Store.open_with_recovery_code(profile_dir, code=code) as store:
        assert store.village == VILLAGE


def test_cancelling_before_the_profile_is_made_leaves_nothing(
    qtbot: QtBot, ctx: AppContext, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    window, wizard = open_wizard(qtbot, launch)
    click(qtbot, wizard.button(Button.CancelButton))
    qtbot.waitUntil(lambda: window.setup_wizard is None)
    assert not window.isVisible()
    assert not (profile_dir / "vault.json").exists()


def test_the_wizard_in_english_and_enrollment_by_file(
    qtbot: QtBot,
    ctx: AppContext,
    launch: Callable[[], MainWindow],
    prompter: AnsweringPrompter,
    tmp_path: Path,
    profile_dir: Path,
) -> None:
    window, wizard = open_wizard(qtbot, launch)
    tick(qtbot, wizard.language_page.english)
    click(qtbot, wizard.button(Button.NextButton))
    page = wizard.village_page
    page.kecamatan.setCurrentIndex(page.kecamatan.findText("Pemalang"))
    qtbot.keyClicks(page.search, "tambakrejo")
    assert page.list.count() == 1
    assert page.list.item(0).text() == "Desa Tambakrejo — Pemalang subdistrict"
    qtbot.mouseClick(
        page.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.list.visualItemRect(page.list.item(0)).center(),
    )
    click(qtbot, wizard.button(Button.NextButton))
    qtbot.keyClicks(wizard.user_page.name, "Kader")
    click(qtbot, wizard.button(Button.NextButton))
    fields = wizard.passphrase_page.fields
    qtbot.keyClicks(fields.first, PASS)
    qtbot.keyClicks(fields.second, PASS)
    assert wizard.button(Button.CommitButton).text() == "Create profile"
    click(qtbot, wizard.button(Button.CommitButton))
    recovery = wizard.recovery_page
    qtbot.waitUntil(lambda: recovery.created, timeout=10_000)
    tick(qtbot, recovery.written)
    click(qtbot, wizard.button(Button.CommitButton))

    form = wizard.enroll_page.form
    tick(qtbot, form.by_file)
    assert not wizard.button(Button.FinishButton).isEnabled()  # no file chosen yet
    prompter.file = enrollment_file(tmp_path / "enrollment.json")
    click(qtbot, form.choose_file)
    assert form.file_label.text() == "enrollment.json"
    click(qtbot, wizard.button(Button.FinishButton))
    qtbot.waitUntil(lambda: window.isVisible(), timeout=10_000)
    assert window.windowTitle() == f"Simpul — {VILLAGE_NAME}"
    store = ctx.store
    assert store is not None
    qtbot.waitUntil(lambda: window.sync.view.phase == "by_file")
    assert window.sync_status.label.text().startswith("Sync by bundle files")
    status = sync_status(store)
    assert status.enrolled and status.via == "file"
    assert load_settings(profile_dir / "settings.ini").language == "en"
