"""The main window: lock screen or the unlocked shell (navigation, pages, sync status bar).

The lock screen is built first and painted; the shell — the pages, the sync status bar and
the modules they need (the store with SQLAlchemy, the sync client with requests) — is built
just after that first paint, while the person types the passphrase, or at the latest when a
store is about to be set. Start to the lock screen therefore pays for Qt and the lock screen
only.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from desktop.ui.autolock import IdleWatcher
from desktop.ui.context import AppContext
from desktop.ui.unlock import LockScreen
from desktop.ui.widgets import make_action, navigation_shell, text_toolbar
from simpul.errors import UserError

if TYPE_CHECKING:
    from desktop.sync.courier import ExportResult, FileOutcome
    from desktop.ui.enrollform import EnrollDialog

__all__ = ["MainWindow"]

NAVIGATION = (
    "gui_nav_cases",
    "gui_nav_outreach",
    "gui_nav_review",
    "gui_nav_recap",
    "gui_nav_settings",
)

_SHELL_PARTS = frozenset(
    {
        "cases_page",
        "outreach_page",
        "review_page",
        "recap_page",
        "settings_page",
        "pages",
        "navigation",
        "shell",
        "sync",
        "sync_status",
    }
)
"""Attributes that exist once the shell is built (asking for one builds it)."""


class MainWindow(QMainWindow):
    """The window a focal point works in. Its title never names a person: "Simpul" while
    locked, "Simpul — <village>" while unlocked."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._enroll_dialog: EnrollDialog | None = None
        self._progress: QProgressDialog | None = None
        self._closed = False
        self.setup_wizard: QWidget | None = None
        """The first-run wizard while it is open (the window shows after it)."""

        self._review_count = 0
        self._shell_built = False
        self._shell_scheduled = False
        self.lock_screen = LockScreen(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        self.idle_watcher = IdleWatcher(ctx.settings.autolock_minutes * 60_000, self)

        self._make_actions()
        self.idle_watcher.idle.connect(self.lock)
        ctx.about_to_unlock.connect(self._build_shell)
        ctx.unlocked.connect(self._on_unlocked)
        ctx.settings_changed.connect(self._on_settings_changed)
        ctx.texts.changed.connect(self._retranslate)
        self.lock_screen.installEventFilter(self)  # its first paint starts building the shell
        self.resize(1100, 700)
        self._retranslate()
        self._show_locked()

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set yet: a shell part asked for before it was built.
        if name in _SHELL_PARTS:
            self._build_shell()
            return self.__dict__[name]
        raise AttributeError(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.lock_screen
            and event.type() == QEvent.Type.Paint
            and not self._shell_scheduled
        ):
            self._shell_scheduled = True
            QTimer.singleShot(0, self._build_shell)
        return False

    @Slot()
    def _build_shell(self) -> None:
        """The pages, the navigation and the sync status bar (once)."""
        if self._shell_built:
            return
        self._shell_built = True
        from desktop.ui.cases import CasesPage
        from desktop.ui.outreach import OutreachPage
        from desktop.ui.pages import SettingsPage
        from desktop.ui.recap import RecapPage
        from desktop.ui.review import ReviewPage
        from desktop.ui.syncstatus import SyncController, SyncStatusWidget

        ctx = self.ctx
        self.cases_page = CasesPage(ctx)
        self.outreach_page = OutreachPage(ctx)
        self.review_page = ReviewPage(ctx)
        self.recap_page = RecapPage(ctx)
        self.settings_page = SettingsPage(ctx)
        self.pages = QStackedWidget()
        for page in (
            self.cases_page,
            self.outreach_page,
            self.review_page,
            self.recap_page,
            self.settings_page,
        ):
            self.pages.addWidget(page)
        self.navigation, self.shell = navigation_shell(self.pages, len(NAVIGATION))
        self.stack.addWidget(self.shell)
        self.sync = SyncController(ctx, self)
        self.sync_status = SyncStatusWidget(ctx, self.sync)
        self.statusBar().addPermanentWidget(self.sync_status, 1)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sync_status.enroll_clicked.connect(self._on_enroll_triggered)
        self.sync.changed.connect(self._update_actions)
        self.review_page.count_changed.connect(self._on_review_count_changed)
        self._retranslate()
        self._update_actions()

    # ------------------------------------------------------------------ set-up

    def _make_actions(self) -> None:
        action = partial(make_action, self)
        self.new_case_action = action(
            "new_case", self._on_new_case_triggered, QKeySequence(QKeySequence.StandardKey.New)
        )
        self.new_outreach_action = action("new_outreach", self._on_new_outreach_triggered)
        self.sync_now_action = action("sync_now", self._on_sync_now_triggered)
        self.export_action = action("export_bundles", self._on_export_triggered)
        self.apply_action = action("apply_files", self._on_apply_triggered)
        self.enroll_action = action("enroll", self._on_enroll_triggered)
        self.lock_action = action("lock", self.lock, QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action = action("quit", self.close, QKeySequence(QKeySequence.StandardKey.Quit))

        self.file_menu = QMenu(self)
        self.file_menu.addAction(self.new_case_action)
        self.file_menu.addAction(self.new_outreach_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.export_action)
        self.file_menu.addAction(self.apply_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.quit_action)
        self.sync_menu = QMenu(self)
        self.sync_menu.addAction(self.sync_now_action)
        self.sync_menu.addAction(self.enroll_action)
        self.menuBar().addMenu(self.file_menu)
        self.menuBar().addMenu(self.sync_menu)

        self.toolbar = text_toolbar()
        self.toolbar.addAction(self.new_case_action)
        self.toolbar.addAction(self.new_outreach_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.sync_now_action)
        self.toolbar.addAction(self.export_action)
        self.toolbar.addAction(self.apply_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)

    # ------------------------------------------------------------------ lock and unlock

    @property
    def locked(self) -> bool:
        """Whether the lock screen is showing (no store open)."""
        return self.ctx.store is None

    @Slot()
    def lock(self) -> None:
        """Drop keys and the working set, and show the lock screen (Ctrl+L, or idle)."""
        from desktop.ui import ops

        store = self.ctx.take_store()  # the pages forget what they show (ctx.locked)
        scheduler = self.sync.stop() if self._shell_built else None
        self.idle_watcher.stop()
        if self._enroll_dialog is not None:
            self._enroll_dialog.reject()
        if store is not None:
            ops.close_store(self.ctx, store, scheduler)
        self._show_locked()

    def _show_locked(self) -> None:
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.show_unlock()
        self.menuBar().hide()
        self.toolbar.hide()
        self._update_title()
        self._update_actions()

    @Slot()
    def _on_unlocked(self) -> None:
        self._build_shell()  # already built (ctx.about_to_unlock); a no-op
        self.stack.setCurrentWidget(self.shell)
        self.navigation.setCurrentRow(0)
        self.menuBar().show()
        self.toolbar.show()
        self._update_title()
        self.idle_watcher.set_timeout_ms(self.ctx.settings.autolock_minutes * 60_000)
        self.idle_watcher.start()
        self.sync.start()
        self._update_actions()

    def _update_title(self) -> None:
        village = self.ctx.village_name()
        title = self.ctx.texts.t("gui_app_name")
        # A village name, never a person's: the title shows in the task bar and switcher.
        self.setWindowTitle(f"{title} — {village}" if village else title)

    @Slot()
    def _update_actions(self) -> None:
        unlocked = not self.locked
        built = self._shell_built
        phase = self.sync.view.phase if built else None
        for act in (
            self.new_case_action,
            self.new_outreach_action,
            self.export_action,
            self.apply_action,
            self.lock_action,
        ):
            act.setEnabled(unlocked)
        self.sync_now_action.setEnabled(
            built and unlocked and self.sync.can_sync_now and phase != "syncing"
        )
        self.enroll_action.setEnabled(unlocked and phase == "not_enrolled")

    @Slot()
    def _on_settings_changed(self) -> None:
        if self.idle_watcher.watching:
            self.idle_watcher.set_timeout_ms(self.ctx.settings.autolock_minutes * 60_000)

    # ------------------------------------------------------------------ sync actions

    @Slot()
    def _on_sync_now_triggered(self) -> None:
        self.sync.sync_now()

    @Slot()
    def _on_enroll_triggered(self) -> None:
        from desktop.ui.enrollform import EnrollDialog

        store = self.ctx.store
        if store is None or self._enroll_dialog is not None:
            return
        dialog = EnrollDialog(self.ctx, store, self)
        self._enroll_dialog = dialog
        dialog.finished.connect(self._on_enroll_finished)
        dialog.open()

    @Slot(int)
    def _on_enroll_finished(self, _result: int) -> None:
        dialog, self._enroll_dialog = self._enroll_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if not self.locked:
            self.sync.start()

    @Slot()
    def _on_export_triggered(self) -> None:
        t = self.ctx.texts.t
        if self.locked:
            return
        folder = self.ctx.prompter.choose_directory(self, t("gui_export_title"))
        if folder is None:
            return
        from desktop.ui import ops

        progress = QProgressDialog(t("gui_export_progress"), "", 0, 0, self)
        progress.setCancelButton(None)  # a bundle is written whole
        progress.setWindowTitle(t("gui_export_title"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self._progress = progress
        self.export_action.setEnabled(False)
        ops.export_bundles(
            self.ctx,
            folder,
            progress=self._on_export_progress,
            done=lambda result: self._on_exported(folder, result),
            failed=self._on_export_failed,
        )

    def _on_export_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setRange(0, total)
            self._progress.setValue(done)

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self._update_actions()

    def _on_exported(self, folder: Path, result: ExportResult) -> None:
        self._end_progress()
        t = self.ctx.texts.t
        if result.bundles:
            lines = [
                t(
                    "gui_export_done",
                    count=len(result.bundles),
                    changes=result.changes,
                    folder=str(folder),
                )
            ]
        else:
            lines = [t("export_nothing")]
        if result.answer is not None:
            lines.append(t("export_answer_written", file=result.answer.name))
        self.ctx.prompter.inform(self, t("gui_export_title"), "\n\n".join(lines))
        self.sync.refresh()

    def _on_export_failed(self, exc: UserError) -> None:
        self._end_progress()
        t = self.ctx.texts.t
        self.ctx.prompter.warn(self, t("gui_export_title"), self.ctx.texts.error(exc))

    @Slot()
    def _on_apply_triggered(self) -> None:
        t = self.ctx.texts.t
        if self.locked:
            return
        paths = self.ctx.prompter.choose_files(self, t("gui_apply_title"), t("gui_apply_filter"))
        if not paths:
            return
        from desktop.ui import ops

        self.apply_action.setEnabled(False)
        ops.apply_files(self.ctx, paths, done=self._on_applied, failed=self._on_apply_failed)

    def _on_applied(self, outcomes: list[FileOutcome]) -> None:
        self._update_actions()
        t = self.ctx.texts.t
        lines = []
        for o in outcomes:
            if o.status == "rejected":
                line = t("apply_rejected", reason=self.ctx.texts.reason(o.reason))
            elif o.kind == "receipt":
                if o.status == "applied":
                    line = t("apply_receipt_applied", count=o.acknowledged)
                else:
                    line = t("apply_receipt_already_applied")
            elif o.status == "applied":
                line = t("apply_return_applied", count=o.new_changes)
            else:
                line = t("apply_return_already_applied")
            lines.append(f"{o.path.name}: {line}")
        text = "\n".join(lines)
        if any(o.status == "rejected" for o in outcomes):
            self.ctx.prompter.warn(self, t("gui_apply_title"), text)
        else:
            self.ctx.prompter.inform(self, t("gui_apply_title"), text)
        if any(o.new_changes for o in outcomes):
            self.ctx.records_changed.emit()
        self.sync.refresh()

    def _on_apply_failed(self, exc: UserError) -> None:
        self._update_actions()
        t = self.ctx.texts.t
        self.ctx.prompter.warn(self, t("gui_apply_title"), self.ctx.texts.error(exc))

    @Slot()
    def _on_new_case_triggered(self) -> None:
        from desktop.ui.caseform import open_new_case

        if self.ctx.store is not None:
            open_new_case(self.ctx, self)

    @Slot(int)
    def _on_review_count_changed(self, count: int) -> None:
        self._review_count = count
        self._retranslate()

    def show_page(self, code: str) -> None:
        """Show the page of a navigation code (``gui_nav_cases``, ``gui_nav_review``...)."""
        self.navigation.setCurrentRow(NAVIGATION.index(code))

    @Slot()
    def _on_new_outreach_triggered(self) -> None:
        if self.ctx.store is not None:
            self.outreach_page.open_new()

    # ------------------------------------------------------------------ texts, quit

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        for row, code in enumerate(NAVIGATION if self._shell_built else ()):
            item = self.navigation.item(row)
            if item is not None:
                text = t(code)
                if code == "gui_nav_review" and self._review_count:
                    text = t("gui_nav_review_count", count=self._review_count)
                item.setText(text)
        self.file_menu.setTitle(t("gui_menu_file"))
        self.sync_menu.setTitle(t("gui_menu_sync"))
        self.toolbar.setWindowTitle(t("gui_toolbar"))
        self.new_case_action.setText(t("gui_new_case"))
        self.new_outreach_action.setText(t("gui_new_outreach_action"))
        self.sync_now_action.setText(t("gui_sync_now"))
        self.export_action.setText(t("gui_export_action"))
        self.apply_action.setText(t("gui_apply_action"))
        self.enroll_action.setText(t("gui_enroll_action"))
        self.lock_action.setText(t("gui_lock"))
        self.quit_action.setText(t("gui_quit"))
        self._update_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit: stop syncing, lock, finish queued work (a bundle being written, a save)."""
        if not self._closed:
            from desktop.ui import ops

            self._closed = True
            store = self.ctx.take_store()
            scheduler = self.sync.stop() if self._shell_built else None
            self.idle_watcher.stop()
            self.lock_screen.recovery.reset()  # a profile opened by the code is locked too
            if store is not None:
                ops.close_store(self.ctx, store, scheduler)
            self.ctx.runner.shutdown()
        super().closeEvent(event)
