"""Start district mode: ``simpul district`` (or ``python -m desktop.ui.district.app``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from desktop.i18n import current_language
from desktop.storage.profile import resolve_profile_dir
from desktop.ui.crash import CrashReporter
from desktop.ui.district.context import DISTRICT_SETTINGS_NAME, DistrictContext
from desktop.ui.district.window import DistrictWindow
from desktop.ui.language import QtWordsTranslator
from desktop.ui.widgets import STYLE_SHEET

__all__ = ["main", "start"]


def start(ctx: DistrictContext, app: QApplication) -> DistrictWindow:
    """Set the application's look and show the sign-in window."""
    app.setApplicationName("Simpul")
    app.setApplicationDisplayName("Simpul")
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
    app.installTranslator(QtWordsTranslator(ctx.texts, app))
    window = DistrictWindow(ctx)
    window.show()
    return window


def main(
    argv: Sequence[str] | None = None,
    *,
    profile: str | None = None,
    lang: str | None = None,
    server: str | None = None,
) -> int:
    """Run district mode until its window closes; the exit status."""
    settings_path: Path = resolve_profile_dir(profile) / DISTRICT_SETTINGS_NAME
    if lang is None and not settings_path.exists():
        lang = current_language(None)
    app = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    assert isinstance(app, QApplication)
    ctx = DistrictContext(settings_path, lang=lang)
    if server:
        ctx.update_settings(server_url=server)
    reporter = CrashReporter(ctx.texts, app)
    reporter.install()
    try:
        window = start(ctx, app)
        code = int(app.exec())
        window.close()
        return code
    finally:
        reporter.uninstall()
        QCoreApplication.processEvents()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
