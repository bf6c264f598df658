"""The window around a record form (case, outreach): title, save closes it, a lock or Esc
closes it keeping unsaved input as a draft, and one window per record at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import Qt, SignalInstance, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.storage.store import RecordView
from desktop.ui.context import AppContext

__all__ = ["FormWindow", "RecordForm", "open_form_window"]


class RecordForm(Protocol):
    """What a form offers its window."""

    saved: SignalInstance
    close_requested: SignalInstance
    lock_closed: SignalInstance
    draft_key: str

    def window_title(self) -> str: ...

    def finish(self) -> None: ...


F = TypeVar("F", bound=QWidget)
W = TypeVar("W", bound="FormWindow")


class FormWindow(QWidget):
    """A top-level window holding one form. Its title carries the record code, never a name.

    ``make_form`` builds the form with the window as its parent; subclasses declare their
    ``saved`` signal.
    """

    def __init__(
        self,
        ctx: AppContext,
        make_form: Callable[[QWidget], QWidget],
        *,
        registry: dict[str, FormWindow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self._registry = registry
        # Made with the window as its parent: reparenting a built form afterwards restyles
        # its ~600 widgets again (~0.2 s).
        form = make_form(self)
        self._form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(form)
        record_form: RecordForm = form  # type: ignore[assignment]
        record_form.saved.connect(self._on_form_saved)
        record_form.close_requested.connect(self.close)
        record_form.lock_closed.connect(self.close)
        ctx.texts.changed.connect(self._retranslate)

    def _record_form(self) -> RecordForm:
        return self._form  # type: ignore[return-value]

    @Slot()
    def _retranslate(self) -> None:
        title = self._record_form().window_title()
        self.setWindowTitle(f"{title} — {self.ctx.texts.t('gui_app_name')}")

    @Slot(object)
    def _on_form_saved(self, view: RecordView) -> None:
        self.saved.emit(view)  # type: ignore[attr-defined]
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes the window; what was typed stays as a draft."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        form = self._record_form()
        form.finish()
        self._registry.pop(form.draft_key, None)
        if self.parent() is not None:
            self.deleteLater()
        super().closeEvent(event)


def open_form_window(registry: dict[str, W], key: str, make: Callable[[], W]) -> W:
    """The open window of ``key``, brought to the front, or a new one from ``make``."""
    window = registry.get(key)
    if window is None:
        window = make()
        registry[key] = window
        window.show()
    else:
        window.show()
        window.raise_()  # already open: bring it to the front
    window.activateWindow()
    return window
