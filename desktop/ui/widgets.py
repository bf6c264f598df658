"""Small pieces the screens share: message tones, headings, a busy bar, a key debouncer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

__all__ = ["Debouncer", "busy_bar", "heading", "set_tone"]

TONES = ("problem", "success", "hint", "")


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour a message by its tone (``problem``, ``success``, ``hint``; the style sheet)."""
    widget.setProperty("tone", tone)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def heading(level: int = 1) -> QLabel:
    """A heading label (level 1: page title, 2: section)."""
    label = QLabel()
    label.setProperty("heading", level)
    label.setWordWrap(True)
    return label


def busy_bar() -> QProgressBar:
    """An indeterminate progress bar (key derivation, a network call), hidden at first."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.hide()
    return bar


STYLE_SHEET = """
QLabel[tone="problem"] { color: #b71c1c; }
QLabel[tone="success"] { color: #1b5e20; }
QLabel[tone="hint"] { color: #555555; }
QLabel[heading="1"] { font-size: 18pt; font-weight: bold; }
QLabel[heading="2"] { font-size: 13pt; font-weight: bold; }
QLabel#recovery_code {
    font-family: "DejaVu Sans Mono", "Consolas", monospace;
    font-size: 17pt; font-weight: bold;
    background: #fffde7; border: 1px solid #c9b458; padding: 12px;
}
QListWidget#navigation {
    background: #263238; color: #eceff1; border: none; font-size: 11pt;
}
QListWidget#navigation::item { padding: 10px 14px; }
QListWidget#navigation::item:selected { background: #00796b; color: white; }
QPushButton[link="true"] {
    color: #00695c; text-decoration: underline; border: none; padding: 2px 0px;
}
QPushButton[link="true"]:disabled { color: #90a4ae; }
QFrame#unlock_card {
    background: white; border: 1px solid #cfd8dc; border-radius: 8px;
}
QWidget#lock_screen { background: #eceff1; }
"""
"""The app's style sheet (applied to the QApplication)."""


class Debouncer(QObject):
    """Runs ``action`` at once for the first key of a burst, then once more when the typing
    pauses for ``delay_ms`` (search as you type: the first letter answers immediately, a fast
    burst is not filtered key by key)."""

    def __init__(self, action: Callable[[], None], delay_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._action = action
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timeout)

    @Slot()
    def trigger(self) -> None:
        """A key was typed (connect ``textChanged`` here)."""
        if self._timer.isActive():
            self._pending = True
            self._timer.start()  # wait for the pause
            return
        self._timer.start()
        self._action()

    def cancel(self) -> None:
        """Forget a pending run (the action ran another way, or the page was cleared)."""
        self._pending = False
        self._timer.stop()

    @Slot()
    def _on_timeout(self) -> None:
        if self._pending:
            self._pending = False
            self._timer.start()
            self._action()
