"""Questions the app asks through the desktop's own dialogs (files, folders, printer, notices).

Widgets ask through a :class:`Prompter` held by the app context, never through a dialog class
directly, so tests hand in one that answers at once instead of blocking on a modal dialog
(Picard's ``UserDialogService``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

__all__ = ["Prompter"]


class Prompter:
    """The real dialogs."""

    def choose_directory(self, parent: QWidget, title: str) -> Path | None:
        """A folder the user picks, or None if they cancel."""
        chosen = QFileDialog.getExistingDirectory(parent, title)
        return Path(chosen) if chosen else None

    def choose_files(self, parent: QWidget, title: str, name_filter: str) -> list[Path]:
        """Files the user picks (none if they cancel)."""
        chosen, _ = QFileDialog.getOpenFileNames(parent, title, "", name_filter)
        return [Path(p) for p in chosen]

    def choose_file(self, parent: QWidget, title: str, name_filter: str) -> Path | None:
        """One file the user picks, or None."""
        chosen, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
        return Path(chosen) if chosen else None

    def choose_save_file(
        self, parent: QWidget, title: str, suggested_name: str, name_filter: str
    ) -> Path | None:
        """Where the user wants a new file saved (``suggested_name`` offered), or None."""
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested_name, name_filter)
        return Path(chosen) if chosen else None

    def setup_printer(self, parent: QWidget, printer: QPrinter, title: str) -> bool:
        """Let the user choose a printer; False if they cancel."""
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        """A short notice the user acknowledges (the result of something they asked for)."""
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget, title: str, text: str) -> None:
        """An expected failure of something the user asked for, in their language."""
        QMessageBox.warning(parent, title, text)

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        """Ask before something that cannot be undone; True only if the user says yes."""
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
