"""Bugs: a dialog in the user's language with details that hold no personal data.

The details name the exception type and the frames (file, line, function) — never the
exception's message or any variable's value, since either could carry a name or a narrative.
Paths are cut to the part inside the program, so a Windows user folder named after a person
does not show either.
"""

from __future__ import annotations

import platform
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.language import Texts
from desktop.ui.widgets import heading

__all__ = ["CrashDialog", "CrashReporter", "crash_details"]

_ROOT = Path(__file__).resolve().parents[2]
_MAX_FRAMES = 40


def _short_path(filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(_ROOT).as_posix()
    except (ValueError, OSError):
        pass
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    return path.name  # the standard library, or somewhere unknown: the file name only


def _frames(tb: TracebackType | None) -> list[str]:
    lines = [
        f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)
    ]
    if len(lines) > _MAX_FRAMES:
        lines = lines[:5] + ["  …"] + lines[-(_MAX_FRAMES - 6) :]
    return lines


def _type_name(exc_type: type[BaseException]) -> str:
    module = exc_type.__module__
    return exc_type.__qualname__ if module == "builtins" else f"{module}.{exc_type.__qualname__}"


def crash_details(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """The text to copy into a bug report: versions, exception types, frames — no values."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        simpul_version = version("simpul")
    except PackageNotFoundError:
        simpul_version = "?"
    lines = [
        f"Simpul {simpul_version}",
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "",
        _type_name(exc_type),
        *_frames(tb),
    ]
    seen = {id(exc)}
    cause = exc.__cause__ or exc.__context__ if exc is not None else None
    while cause is not None and id(cause) not in seen and len(seen) < 8:
        seen.add(id(cause))
        lines += ["", f"caused by {_type_name(type(cause))}", *_frames(cause.__traceback__)]
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


class CrashDialog(QDialog):
    """Says that something went wrong, offers the details to copy, and stays calm."""

    def __init__(self, texts: Texts, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = texts.t
        self.setWindowTitle(t("gui_crash_title"))
        title = heading(2)
        title.setText(t("gui_crash_heading"))
        body = QLabel(t("gui_crash_body"))
        body.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.copy_button = QPushButton(t("gui_crash_copy"))
        self.copy_button.setObjectName("crash_copy")
        close = QPushButton(t("gui_close"))
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.resize(560, 380)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        close.clicked.connect(self.accept)

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashReporter(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook``; shows :class:`CrashDialog`.

    A crash on another thread reaches the UI thread through a queued signal.

    Signals:
        crashed: Details of a crash (emitted from any thread).
    """

    crashed = Signal(str)

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._open: list[CrashDialog] = []
        self._showing = False
        self.crashed.connect(self._on_crashed)
        self._previous: (
            tuple[Callable[..., object], Callable[[threading.ExceptHookArgs], object]] | None
        ) = None

    def install(self) -> None:
        """Take over ``sys.excepthook`` and ``threading.excepthook``."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.report
        threading.excepthook = self._report_thread

    def uninstall(self) -> None:
        """Put the previous hooks back."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def report(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Show the crash dialog (or print the details if no window can be shown)."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        self.crashed.emit(crash_details(exc_type, exc, tb))

    def _report_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback)

    @property
    def dialogs(self) -> list[CrashDialog]:
        """The crash dialogs open now."""
        return list(self._open)

    @Slot(str)
    def _on_crashed(self, details: str) -> None:
        print(details, file=sys.stderr)
        if QApplication.instance() is None or self._showing or len(self._open) >= 3:
            return  # a crash while showing a crash, or a storm: stderr is enough
        self._showing = True
        try:
            dialog = CrashDialog(self._texts, details, QApplication.activeWindow())
            dialog.finished.connect(lambda _result: self._forget(dialog))
            self._open.append(dialog)
            dialog.open()
        finally:
            self._showing = False

    def _forget(self, dialog: CrashDialog) -> None:
        if dialog in self._open:
            self._open.remove(dialog)
        dialog.deleteLater()
