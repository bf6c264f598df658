"""Every visible string comes from the catalogue, in both languages, and follows a switch.

Fails on: a code used by the screens that the catalogue lacks or leaves empty in a language,
an Indonesian text copied from English, a raw code on screen, a widget left in the previous
language after switching.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QSpinBox,
    QTableView,
    QWidget,
    QWizard,
    QWizardPage,
)
from pytestqt.qtbot import QtBot

from desktop.i18n import MESSAGES
from desktop.ui.context import AppContext
from desktop.ui.crash import CrashDialog
from desktop.ui.enrollform import EnrollDialog
from desktop.ui.mainwindow import MainWindow
from desktop.ui.syncstatus import PHASES, SyncView
from desktop.ui.wizard import SetupWizard

from .conftest import PASS, click, make_profile

UI = Path(__file__).resolve().parents[3] / "desktop" / "ui"
CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")

# Codes whose text is the same in both languages on purpose (names, symbols, loan words).
SAME_IN_BOTH = {
    "gui_app_name",
    "gui_ok",
    "gui_language_id",
    "gui_language_en",
    "gui_desa",
    "gui_kelurahan",
    "gui_col_status",
    "gui_recover_code_hint",
}


def gui_codes() -> set[str]:
    found: set[str] = set()
    for path in UI.rglob("*.py"):
        found |= set(re.findall(r"[\"'](gui_[a-z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_the_screens_use_has_both_texts() -> None:
    used = gui_codes()
    assert len(used) > 100
    assert sorted(used - set(MESSAGES)) == []
    for code in sorted(c for c in MESSAGES if c.startswith("gui_")):
        english, indonesian = MESSAGES[code]
        assert english.strip() and indonesian.strip(), code
        assert placeholders(english) == placeholders(indonesian), code
        if code not in SAME_IN_BOTH:
            assert english != indonesian, f"{code}: Indonesian text is the English one"


# -- what is on screen ------------------------------------------------------------------


def texts_of(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string a person can read in ``root`` and its children."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        name = f"{type(w).__name__}#{w.objectName()}"
        if w.isWindow() and w.windowTitle():
            yield name + ".windowTitle", w.windowTitle()
        if w.toolTip():
            yield name + ".toolTip", w.toolTip()
        if isinstance(w, QLabel | QAbstractButton):
            yield name, w.text()
        if isinstance(w, QLineEdit) and w.placeholderText():
            yield name + ".placeholder", w.placeholderText()
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name}[{i}]", w.itemText(i)
        if isinstance(w, QListWidget) and w.objectName() != "villages":
            for i in range(w.count()):
                item = w.item(i)
                assert item is not None
                yield f"{name}[{i}]", item.text()
        if isinstance(w, QWizardPage):
            yield name + ".title", w.title()
            yield name + ".subTitle", w.subTitle()
        if isinstance(w, QGroupBox):
            yield name + ".title", w.title()
        if isinstance(w, QSpinBox):
            yield name + ".suffix", w.suffix()
        if isinstance(w, QMenu):
            yield name + ".title", w.title()
        for action in w.actions():
            if action.text():
                yield f"{name}.action#{action.objectName()}", action.text()
        if isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            for column in range(model.columnCount()):
                header = model.headerData(column, Qt.Orientation.Horizontal)
                yield f"{name}.header[{column}]", str(header)


def other_language_texts(lang: str) -> dict[str, str]:
    """Texts (without placeholders) of the other language that differ from this one's."""
    index = 0 if lang == "id" else 1  # the other language's position in (English, Indonesian)
    return {
        pair[index]: code
        for code, pair in MESSAGES.items()
        if pair[0] != pair[1] and not placeholders(pair[index]) and len(pair[index]) > 3
    }


def check_screen(root: QWidget, ctx: AppContext, *, buttons_need_text: bool = True) -> int:
    lang = ctx.texts.lang
    stale = other_language_texts(lang)
    problems = []
    seen = 0
    for where, text in texts_of(root):
        if not text:
            continue
        seen += 1
        plain = text.replace("&", "")
        if CODE.fullmatch(text) or text in MESSAGES:
            problems.append(f"raw code at {where}: {text}")
        if text in stale or plain in {k.replace("&", "") for k in stale}:
            problems.append(f"{where} still in the other language: {text}")
    if buttons_need_text:
        for button in root.findChildren(QAbstractButton):
            if button.isVisibleTo(root) and not button.text() and button.icon().isNull():
                problems.append(f"button without text: {button.objectName()}")
    assert problems == []
    assert ctx.texts.missing == set()
    return seen


def walk_wizard(qtbot: QtBot, wizard: SetupWizard, ctx: AppContext) -> None:
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert check_screen(page, ctx, buttons_need_text=False) > 0
    for which in (
        QWizard.WizardButton.BackButton,
        QWizard.WizardButton.NextButton,
        QWizard.WizardButton.CancelButton,
        QWizard.WizardButton.FinishButton,
        QWizard.WizardButton.CommitButton,
    ):
        assert wizard.button(which).text() not in ("", "&Next >", "< &Back", "&Finish")
    check_screen(wizard, ctx, buttons_need_text=False)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_wizard_speaks_one_language(
    qtbot: QtBot, ctx: AppContext, launch: Callable[[], MainWindow], lang: str
) -> None:
    ctx.update_settings(language=lang)
    window = launch()
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    walk_wizard(qtbot, wizard, ctx)
    # and switching on the first page turns every page over
    other = "en" if lang == "id" else "id"
    radio = wizard.language_page.english if other == "en" else wizard.language_page.indonesian
    radio.setChecked(True)
    assert ctx.texts.lang == other
    walk_wizard(qtbot, wizard, ctx)


def test_the_main_window_speaks_one_language_and_follows_a_switch(
    qtbot: QtBot, ctx: AppContext, launch: Callable[[], MainWindow], profile_dir: Path
) -> None:
    make_profile(profile_dir, cases=3)
    window = launch()
    qtbot.waitExposed(window)
    check_screen(window, ctx)  # locked
    click(qtbot, window.lock_screen.unlock.forgot)
    check_screen(window, ctx)
    click(qtbot, window.lock_screen.recovery.back)
    qtbot.keyClicks(window.lock_screen.unlock.passphrase, PASS)
    click(qtbot, window.lock_screen.unlock.unlock_button)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    qtbot.waitUntil(lambda: not ctx.runner.busy)

    def every_phase() -> None:
        real = window.sync.view
        for phase in PHASES:
            window.sync.view = SyncView(phase=phase, pending=2, total=5, code="offline")
            window.sync.changed.emit()
            check_screen(window, ctx)
        window.sync.view = real
        window.sync.changed.emit()

    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        check_screen(window, ctx)
    every_phase()

    # switch to English on the settings page, as a person would
    window.navigation.setCurrentRow(window.navigation.count() - 1)
    combo = window.settings_page.language
    combo.setCurrentIndex(combo.findData("en"))
    assert ctx.texts.lang == "en" and ctx.settings.language == "en"
    assert window.cases_page.table.model().headerData(0, Qt.Orientation.Horizontal) == "Case code"
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        check_screen(window, ctx)
    every_phase()

    store = ctx.store
    assert store is not None
    dialog = EnrollDialog(ctx, store, window)
    check_screen(dialog, ctx)
    dialog.close()
    crash = CrashDialog(ctx.texts, "ValueError\n  desktop/ui/x.py:1 in f", window)
    check_screen(crash, ctx)
    crash.close()


def test_qt_own_words_come_from_the_catalogue(qtbot: QtBot, ctx: AppContext) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    assert menu is not None
    words = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert "&Salin" in words and "&Tempel" in words and "&Copy" not in words
    ctx.texts.set_language("en")
    menu = field.createStandardContextMenu()
    assert menu is not None
    assert "&Copy" in [a.text().split("\t")[0] for a in menu.actions()]
