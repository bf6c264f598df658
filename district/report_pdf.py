"""The report as a PDF, drawn with Qt's PDF writer (A4 landscape, page numbers).

The one module of ``district`` allowed to use Qt (docs/architecture.md): the issue asks for
Qt's PDF writer. PySide6 is imported inside :func:`report_pdf` only, so importing ``district``
loads no Qt; when no Qt application exists (the command line, the server) a
``QGuiApplication`` on the ``offscreen`` platform is made once, so no display is needed.

Every page carries the district's title ("Kabupaten Pemalang — DP3AP2KB"), the period and
the generation time at the top, and "Halaman N dari M" ("Page N of M") at the bottom. The
tables are laid out by ``QTextDocument`` (a table longer than a page continues on the next
with its header row repeated).
"""

from __future__ import annotations

import html
from typing import Any, Final

from district.reports import Report, Table

__all__ = ["report_pdf"]

_FONT: Final = "DejaVu Sans"
_WORDS: Final = {
    "id": ("Periode", "Dibuat", "Halaman {n} dari {m}", "untuk dibagikan"),
    "en": ("Period", "Generated", "Page {n} of {m}", "for sharing"),
}
_app: Any = None  # the offscreen application made here, kept alive for later calls


def _ensure_application() -> None:
    """A Qt GUI application must exist to lay out text; make an offscreen one if none does."""
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["simpul-district", "-platform", "offscreen"])


def _table_html(table: Table) -> str:
    head = "".join(
        f"<th>{html.escape(text)}</th>" for text in (table.head, *(c.label for c in table.columns))
    )
    body: list[str] = []
    for row in table.rows:
        label = html.escape(row.label)
        shade = ' bgcolor="#eeeeee"' if row.level in ("kecamatan", "district") else ""
        cells = "".join(f'<td align="right"{shade}>{html.escape(str(v))}</td>' for v in row.cells)
        if shade:
            body.append(f"<tr><td{shade}><b>{label}</b></td>{cells}</tr>")
        else:
            indent = "&nbsp;&nbsp;&nbsp;" if row.level == "village" else ""
            body.append(f"<tr><td>{indent}{label}</td>{cells}</tr>")
    return (
        f"<h3>{html.escape(table.title)}</h3>"
        '<table border="1" cellspacing="0" cellpadding="2" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table><p></p>"
    )


def report_pdf(report: Report) -> bytes:
    """Draw the report as a PDF (module docstring) and return its bytes."""
    _ensure_application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import (
        QAbstractTextDocumentLayout,
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
    )

    words = _WORDS[report.lang]
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{report.title} — {report.period_label}")
    writer.setCreator("Simpul")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(10, 10, 10, 10),
            QPageLayout.Unit.Millimeter,
        )
    )
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    width, height = float(page.width()), float(page.height())
    header_h, footer_h = height * 0.07, height * 0.05

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(QFont(_FONT, 7))
    document.setDocumentMargin(0)
    document.setHtml("".join(_table_html(t) for t in report.tables))
    body_h = height - header_h - footer_h
    document.setPageSize(QRectF(0, 0, width, body_h).size())
    pages = max(1, document.pageCount())

    title_font = QFont(_FONT, 11, QFont.Weight.Bold)
    small_font = QFont(_FONT, 8)
    heading = f"{words[0]}: {report.period_label}   ·   {words[1]}: "
    heading += report.generated_at.strftime("%Y-%m-%d %H:%M") + " WIB"
    if report.share:
        heading += f"   ·   {words[3]}"
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            painter.setFont(title_font)
            painter.drawText(
                QRectF(0, 0, width, header_h * 0.55),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                report.title,
            )
            painter.setFont(small_font)
            painter.drawText(
                QRectF(0, header_h * 0.55, width, header_h * 0.45),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                heading,
            )
            painter.drawText(
                QRectF(0, height - footer_h * 0.8, width, footer_h * 0.8),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                words[2].format(n=index + 1, m=pages),
            )
            painter.save()
            painter.translate(0, header_h - index * body_h)
            clip = QRectF(0, index * body_h, width, body_h)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            document.documentLayout().draw(painter, context)
            painter.restore()
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
