"""Auto-lock: notice when nobody has touched the keyboard or mouse for a while.

Input reaches a top-level window (``QWindow``) before the widget it is for, so the watcher
filters the app's windows, not the whole application: an application-wide Python filter is
called for every event of every object (~17,000 while a case form is built), a window's only
for what the window system delivers to it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QWindow

__all__ = ["IdleWatcher"]

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class IdleWatcher(QObject):
    """Watches the input events reaching the app's top-level windows.

    Signals:
        idle: No keyboard or mouse input for :attr:`timeout_ms`; fires once per idle spell.
    """

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        self._watching = False
        self._windows: set[int] = set()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._on_focus_window_changed)

    @property
    def timeout_ms(self) -> int:
        """Idle time before :attr:`idle` fires."""
        return self._timer.interval()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """Change the idle time (settings); counts from now when watching."""
        self._timer.setInterval(timeout_ms)
        if self._watching:
            self._timer.start()

    @property
    def watching(self) -> bool:
        """Whether input is being watched (while unlocked)."""
        return self._watching

    def start(self) -> None:
        """Start watching (after unlock)."""
        for window in QGuiApplication.topLevelWindows():
            self._watch(window)
        self._watching = True
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (on lock)."""
        self._watching = False
        self._timer.stop()

    def _watch(self, window: QWindow) -> None:
        # The filter stays on the window for its lifetime and does nothing while stopped:
        # removing it later could touch a window Qt has already deleted.
        key = id(window)
        if key not in self._windows:
            self._windows.add(key)
            window.installEventFilter(self)
            window.destroyed.connect(lambda: self._windows.discard(key))

    @Slot(QWindow)
    def _on_focus_window_changed(self, window: QWindow | None) -> None:
        if window is not None:
            self._watch(window)  # a window opened since (a form, a dialog)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._watching and event.type() in _INPUT_EVENTS:
            self._timer.start()  # restarts the countdown
        return False
