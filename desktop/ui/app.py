"""Start the desktop app: `simpul` alone, `simpul gui`, or `python -m desktop.ui.app`.

A profile folder without a profile starts the first-run wizard; otherwise the lock screen.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from desktop.i18n import current_language
from desktop.storage.profile import resolve_profile_dir
from desktop.ui.context import AppContext
from desktop.ui.crash import CrashReporter
from desktop.ui.language import QtWordsTranslator
from desktop.ui.mainwindow import MainWindow
from desktop.ui.settings import SETTINGS_NAME
from desktop.ui.widgets import STYLE_SHEET

__all__ = ["main", "prepare_application", "start"]


def prepare_application(app: QApplication, ctx: AppContext) -> None:
    """What every run of the app sets on the QApplication: style, Qt's own words."""
    app.setApplicationName("Simpul")
    app.setApplicationDisplayName("Simpul")
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    app.installTranslator(QtWordsTranslator(ctx.texts, app))


def start(ctx: AppContext) -> MainWindow:
    """Show the wizard (no profile yet) or the lock screen; return the main window."""
    window = MainWindow(ctx)
    if ctx.has_profile():
        window.show()
        return window
    from desktop.ui.wizard import SetupWizard

    wizard = SetupWizard(ctx)
    window.setup_wizard = wizard  # kept alive (and found by tests)

    def on_finished(_result: int) -> None:
        store = wizard.store
        wizard.deleteLater()
        window.setup_wizard = None
        if store is None:
            window.close()  # cancelled before a profile was made: quit
            return
        ctx.save_settings()
        ctx.set_store(store)
        window.show()

    wizard.finished.connect(on_finished)
    wizard.show()
    return window


def main(
    argv: Sequence[str] | None = None, *, profile: str | None = None, lang: str | None = None
) -> int:
    """Run the app until its window closes; the exit status."""
    profile_dir = resolve_profile_dir(profile)
    if lang is None and not (profile_dir / SETTINGS_NAME).exists():
        lang = current_language(None)  # SIMPUL_LANG before the wizard stores a choice
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    assert isinstance(app, QApplication)
    ctx = AppContext(profile_dir, lang=lang)
    prepare_application(app, ctx)
    reporter = CrashReporter(ctx.texts, app)
    reporter.install()
    try:
        window = start(ctx)  # held here: Python owns the window for the whole run
        code = int(app.exec())
        window.close()  # after quitting from the wizard, or a platform close
        return code
    finally:
        reporter.uninstall()
        QCoreApplication.processEvents()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
