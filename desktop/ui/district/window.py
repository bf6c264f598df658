"""The district-mode window: the sign-in screen, or the signed-in shell (navigation, pages).

Its title never names anyone: "Simpul — Kabupaten". Locking (Ctrl+L, or idle for the minutes
in the settings) signs out: the token is dropped, every page forgets what it showed, and the
sign-in screen asks for the password again.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop.ui.autolock import IdleWatcher
from desktop.ui.district.audit import AuditPage
from desktop.ui.district.cases import DistrictCasesPage
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.devices import DevicesPage
from desktop.ui.district.imports import ImportPage
from desktop.ui.district.reports import ReportsPage
from desktop.ui.district.signin import SignInScreen
from desktop.ui.widgets import make_action, navigation_shell, text_toolbar

__all__ = ["NAVIGATION", "DistrictWindow"]

NAVIGATION: tuple[tuple[str, str], ...] = (
    ("gui_dm_nav_cases", "read"),
    ("gui_dm_nav_import", "import"),
    ("gui_dm_nav_devices", "devices"),
    ("gui_dm_nav_reports", "reports"),
    ("gui_dm_nav_audit", "audit"),
)
"""Navigation entries: the page's title code and the action its role must allow."""


class DistrictWindow(QMainWindow):
    """The window district staff work in."""

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._closed = False
        self.sign_in_screen = SignInScreen(ctx)
        self.cases_page = DistrictCasesPage(ctx)
        self.import_page = ImportPage(ctx)
        self.devices_page = DevicesPage(ctx)
        self.reports_page = ReportsPage(ctx)
        self.audit_page = AuditPage(ctx)
        self.pages = QStackedWidget()
        for page in (
            self.cases_page,
            self.import_page,
            self.devices_page,
            self.reports_page,
            self.audit_page,
        ):
            self.pages.addWidget(page)
        self.navigation, self.shell = navigation_shell(self.pages, len(NAVIGATION))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in_screen)
        self.stack.addWidget(self.shell)
        self.setCentralWidget(self.stack)
        self.who = QLabel()
        self.who.setObjectName("signed_in_as")
        self.statusBar().addPermanentWidget(self.who, 1)
        self.idle_watcher = IdleWatcher(ctx.settings.autolock_minutes * 60_000, self)

        self._make_actions()
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.idle_watcher.idle.connect(self.lock)
        ctx.signed_in.connect(self._on_signed_in)
        ctx.signed_out.connect(self._show_sign_in)
        ctx.texts.changed.connect(self._retranslate)
        self.resize(1200, 760)
        self._retranslate()
        self._show_sign_in()

    def _make_actions(self) -> None:
        self.lock_action = make_action(self, "lock", self.lock, QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.sign_out_action = make_action(self, "sign_out", self.lock)
        self.toolbar = text_toolbar()
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addAction(self.sign_out_action)
        self.addToolBar(self.toolbar)

    # ------------------------------------------------------------------ session

    @property
    def signed_in(self) -> bool:
        """Whether the shell (not the sign-in screen) is showing."""
        return self.stack.currentWidget() is self.shell

    @Slot()
    def lock(self) -> None:
        """Sign out and show the sign-in screen (Ctrl+L, the toolbar, or idle)."""
        self.idle_watcher.stop()
        if self.ctx.signed_in_now:
            self.ctx.sign_out()  # the pages clear themselves on ctx.signed_out
        else:
            self._show_sign_in()

    @Slot()
    def _show_sign_in(self) -> None:
        self.idle_watcher.stop()
        self.stack.setCurrentWidget(self.sign_in_screen)
        self.sign_in_screen.reset()
        self.toolbar.hide()
        self.who.clear()
        self._update_title()

    @Slot()
    def _on_signed_in(self) -> None:
        first = None
        for row, (_code, need) in enumerate(NAVIGATION):
            item = self.navigation.item(row)
            allowed = self.ctx.can(need)
            if item is not None:
                item.setHidden(not allowed)
            if allowed and first is None:
                first = row
        self.stack.setCurrentWidget(self.shell)
        self.navigation.setCurrentRow(first or 0)
        self.toolbar.show()
        self.idle_watcher.set_timeout_ms(self.ctx.settings.autolock_minutes * 60_000)
        self.idle_watcher.start()
        self._retranslate()

    def show_page(self, code: str) -> None:
        """Show the page of a navigation code (``gui_dm_nav_cases``...)."""
        codes = [c for c, _ in NAVIGATION]
        self.navigation.setCurrentRow(codes.index(code))

    def _update_title(self) -> None:
        t = self.ctx.texts.t
        self.setWindowTitle(f"{t('gui_app_name')} — {t('gui_dm_title')}")

    # ------------------------------------------------------------------ texts, quit

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        for row, (code, _need) in enumerate(NAVIGATION):
            item = self.navigation.item(row)
            if item is not None:
                item.setText(t(code))
        self.toolbar.setWindowTitle(t("gui_toolbar"))
        self.lock_action.setText(t("gui_lock"))
        self.sign_out_action.setText(t("gui_dm_sign_out"))
        staff = self.ctx.staff
        if staff is not None:
            host = urlsplit(self.ctx.settings.server_url).netloc
            self.who.setText(
                t(
                    "gui_dm_signed_in_as",
                    name=staff.name,
                    role=t(f"gui_dm_role_{staff.role}"),
                    server=host,
                )
            )
        self._update_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit: sign out (the server forgets the token), finish queued work."""
        if not self._closed:
            self._closed = True
            self.idle_watcher.stop()
            self.ctx.sign_out()
            self.ctx.runner.shutdown()
        super().closeEvent(event)
