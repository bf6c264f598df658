"""The recovery code on paper: one page with the code in large type and what it is for, and
the Print button behind it (the wizard's recovery page and the settings' new recovery code)."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QWidget

from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.widgets import set_tone

__all__ = ["PRINT_FAILED", "PRINT_SENT", "print_recovery_code", "print_recovery_sheet"]

PRINT_SENT = "gui_print_sent"
"""The text code said beside Print once the sheet went to the printer."""
PRINT_FAILED = "gui_print_failed"
"""The text code said beside Print when the printer could not be started."""


def print_recovery_code(printer: QPrinter, *, code: str, village: str, texts: Texts) -> None:
    """Paint the recovery sheet on ``printer`` (a real printer, or a PDF file in tests).

    The sheet carries the village name and the code only: no user name, nothing about a case.
    """
    printer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        page = QRectF(painter.viewport())
        y = 0.0

        def block(text: str, font: QFont, *, gap: float = 0.4, flags: int = 0) -> None:
            nonlocal y
            painter.setFont(font)
            area = QRectF(0, y, page.width(), page.height() - y)
            options = int(Qt.TextFlag.TextWordWrap) | flags
            used = painter.boundingRect(area, options, text)
            painter.drawText(area, options, text)
            y += used.height() + painter.fontMetrics().height() * gap

        title = QFont("DejaVu Sans", 18, QFont.Weight.Bold)
        body = QFont("DejaVu Sans", 11)
        code_font = QFont("DejaVu Sans Mono", 22, QFont.Weight.Bold)
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        block(texts.t("gui_print_title"), title)
        block(texts.t("gui_print_village", village=village), body, gap=1.5)
        groups = code.split("-")
        lines = "\n".join("  ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
        block(lines, code_font, gap=1.5, flags=int(Qt.AlignmentFlag.AlignHCenter))
        block(texts.t("gui_print_keep_safe"), body)
        block(texts.t("gui_print_when"), body)
    finally:
        painter.end()


def print_recovery_sheet(
    ctx: AppContext, parent: QWidget, *, code: str, village: str, result: QLabel
) -> str | None:
    """The Print button: choose a printer (through ``ctx.prompter``), print the recovery sheet
    and say on ``result`` whether it went (:data:`PRINT_SENT` or :data:`PRINT_FAILED`, which is
    returned); None when the person cancelled the printer dialog (``result`` is untouched)."""
    t = ctx.texts.t
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if not ctx.prompter.setup_printer(parent, printer, t("gui_print_dialog_title")):
        return None
    try:
        print_recovery_code(printer, code=code, village=village, texts=ctx.texts)
    except OSError:
        said = PRINT_FAILED
    else:
        said = PRINT_SENT
    set_tone(result, "problem" if said == PRINT_FAILED else "success")
    result.setText(t(said))
    return said
