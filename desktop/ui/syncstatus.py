"""The sync indicator in the status bar, driven by the background sync scheduler.

The scheduler reports from its own thread; :class:`SyncController` hands each event to the UI
thread through a queued signal. Offline is a state shown here, never an error dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.sync.scheduler import SchedulerEvent, SyncScheduler
from desktop.sync.status import SyncStatus
from desktop.ui import ops
from desktop.ui.context import AppContext
from desktop.ui.widgets import set_tone

__all__ = ["SyncController", "SyncStatusWidget", "SyncView"]

PHASES = (
    "locked",
    "loading",
    "not_enrolled",
    "by_file",
    "idle",
    "syncing",
    "synced",
    "offline",
    "error",
)


@dataclass(frozen=True)
class SyncView:
    """What the indicator shows.

    Attributes:
        phase: One of :data:`PHASES`.
        pending: Changes the district is not known to hold.
        done: Changes sent so far in this round (``syncing``).
        total: Changes to send in this round; 0 while receiving (size unknown).
        code: The error code (``error``).
        last_sync: When the last round completed (UTC ISO 8601), if ever.
    """

    phase: str = "locked"
    pending: int = 0
    done: int = 0
    total: int = 0
    code: str = ""
    last_sync: str | None = None


class SyncController(QObject):
    """Owns the scheduler of the unlocked store and turns its events into a :class:`SyncView`.

    Signals:
        changed: :attr:`view` changed.
    """

    changed = Signal()
    _event_received = Signal(object, int)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._scheduler: SyncScheduler | None = None
        self._generation = 0
        self.view = SyncView()
        self._event_received.connect(self._on_event_received)
        ctx.settings_changed.connect(self._on_settings_changed)

    @property
    def scheduler(self) -> SyncScheduler | None:
        """The running scheduler (online enrollment only)."""
        return self._scheduler

    @property
    def can_sync_now(self) -> bool:
        """Whether "Sync now" has a server to talk to."""
        return self._scheduler is not None

    def start(self) -> None:
        """After unlock: read the sync situation, start the scheduler if enrolled online."""
        self._generation += 1
        self._set(SyncView(phase="loading"))
        self.refresh()

    def stop(self) -> SyncScheduler | None:
        """On lock or quit: forget the state; return the scheduler for the caller to stop off
        the UI thread (stopping waits for a running round to reach a batch boundary)."""
        self._generation += 1
        scheduler, self._scheduler = self._scheduler, None
        self._set(SyncView())
        return scheduler

    def refresh(self) -> None:
        """Read pending counts and enrollment again (after an export, apply or enrollment)."""
        generation = self._generation
        ops.load_sync_status(
            self._ctx, done=lambda status: self._on_status_loaded(status, generation)
        )

    def sync_now(self) -> None:
        """Start a round at once ("Sinkronkan sekarang")."""
        if self._scheduler is not None:
            self._scheduler.sync_now()

    def notify_saved(self) -> None:
        """A record was saved: a round follows within the debounce delay."""
        if self._scheduler is not None:
            self._scheduler.notify_saved()

    # ------------------------------------------------------------------ UI thread

    def _on_status_loaded(self, status: SyncStatus, generation: int) -> None:
        if generation != self._generation or self._ctx.store is None:
            return  # locked since it was asked for
        last_sync = max(filter(None, (status.last_sync, self.view.last_sync)), default=None)
        view = replace(self.view, pending=status.pending_changes, last_sync=last_sync)
        if not status.enrolled:
            view = replace(view, phase="not_enrolled")
        elif status.via != "online":
            view = replace(view, phase="by_file")
        else:
            if self._scheduler is None:
                self._start_scheduler()
            if view.phase in ("loading", "not_enrolled", "by_file"):
                if status.last_error:
                    view = replace(view, phase="error", code=status.last_error)
                else:
                    view = replace(view, phase="synced" if status.last_sync else "idle")
        self._set(view)

    def _start_scheduler(self) -> None:
        store = self._ctx.store
        if store is None:
            return
        generation = self._generation

        def on_event(event: SchedulerEvent) -> None:  # on the scheduler's thread
            self._event_received.emit(event, generation)

        interval = self._ctx.settings.sync_interval_minutes * 60.0
        self._scheduler = self._ctx.scheduler_factory(store, on_event, interval)
        self._scheduler.start()

    @Slot()
    def _on_settings_changed(self) -> None:
        # The sync interval from the settings page, for the rounds after the current wait.
        if self._scheduler is not None:
            self._scheduler.interval_s = self._ctx.settings.sync_interval_minutes * 60.0

    @Slot(object, int)
    def _on_event_received(self, event: SchedulerEvent, generation: int) -> None:
        if generation != self._generation:
            return  # from a scheduler stopped by a lock
        view = self.view
        if event.state == "syncing":
            step = event.progress
            done, total = (step.done, step.total) if step is not None else (0, 0)
            self._set(replace(view, phase="syncing", done=done, total=total, code=""))
        elif event.state == "synced":
            now = datetime.now(UTC).isoformat(timespec="seconds")
            self._set(replace(view, phase="synced", code="", last_sync=now))
            report = event.report
            if report is not None and report.new_changes:
                self._ctx.records_changed.emit()
            self.refresh()
        elif event.state == "offline":
            self._set(replace(view, phase="offline", code=""))
        elif event.state == "error":
            self._set(replace(view, phase="error", code=event.code))
        elif event.state == "cancelled":
            self._set(replace(view, phase="idle", code=""))
            self.refresh()

    def _set(self, view: SyncView) -> None:
        self.view = view
        self.changed.emit()


def _clock_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d/%m %H:%M")


class SyncStatusWidget(QWidget):
    """Label, progress bar and one button (Sync now, or Enroll while not enrolled).

    Signals:
        enroll_clicked: The user wants to enroll this laptop.
    """

    enroll_clicked = Signal()

    def __init__(
        self, ctx: AppContext, controller: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._controller = controller
        self.label = QLabel()
        self.label.setObjectName("sync_label")
        self.progress = QProgressBar()
        self.progress.setObjectName("sync_progress")
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.button = QPushButton()
        self.button.setObjectName("sync_button")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.button.clicked.connect(self._on_button_clicked)
        controller.changed.connect(self._update)
        ctx.texts.changed.connect(self._update)
        self._update()

    @Slot()
    def _on_button_clicked(self) -> None:
        if self._controller.view.phase == "not_enrolled":
            self.enroll_clicked.emit()
        else:
            self._controller.sync_now()

    @Slot()
    def _update(self) -> None:
        t = self._ctx.texts.t
        view = self._controller.view
        phase = view.phase
        self.setVisible(phase != "locked")
        text, tone, tip = "", "", ""
        if phase == "loading":
            text = t("gui_sync_loading")
        elif phase == "not_enrolled":
            text, tone = t("gui_sync_not_enrolled"), "hint"
        elif phase == "by_file":
            text = t("gui_sync_by_file", pending=view.pending)
        elif phase == "idle":
            text = (
                t("gui_sync_pending", pending=view.pending) if view.pending else t("gui_sync_never")
            )
        elif phase == "syncing":
            text = t("gui_sync_syncing")
        elif phase == "synced":
            text, tone = t("gui_sync_synced", time=_clock_time(view.last_sync)), "success"
            if view.pending:
                text = t(
                    "gui_sync_synced_pending",
                    time=_clock_time(view.last_sync),
                    pending=view.pending,
                )
        elif phase == "offline":
            text = t("gui_sync_offline", pending=view.pending)
            tip = self._ctx.texts.reason("offline")
        elif phase == "error":
            tip = self._ctx.texts.reason(view.code)
            text, tone = t("gui_sync_attention", reason=tip), "problem"
        self.label.setText(text)
        self.label.setToolTip(tip)
        set_tone(self.label, tone)

        syncing = phase == "syncing"
        self.progress.setVisible(syncing)
        if syncing:
            if view.total:
                self.progress.setRange(0, view.total)
                self.progress.setValue(min(view.done, view.total))
            else:
                self.progress.setRange(0, 0)  # receiving: size unknown
        if phase == "not_enrolled":
            self.button.setText(t("gui_enroll_action"))
            self.button.setVisible(True)
            self.button.setEnabled(True)
        else:
            self.button.setText(t("gui_sync_now"))
            self.button.setVisible(self._controller.can_sync_now)
            self.button.setEnabled(not syncing)
