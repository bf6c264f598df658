"""The report as a PDF, drawn with Qt's PDF writer (A4 landscape, page numbers).

The one module of ``district`` allowed to use Qt (docs/architecture.md): the issue asks for
Qt's PDF writer. PySide6 is imported inside :func:`report_pdf` only, so importing ``district``
loads no Qt; when no Qt application exists (the command line, the server) a
``QGuiApplication`` on the ``offscreen`` platform is made once, so no display is needed.

Every page carries the district's title ("Kabupaten Pemalang — DP3AP2KB"), the period and
the generation time at the top, and "Halaman N dari M" ("Page N of M") at the bottom.

The tables are drawn with ``QPainter`` cell by cell, not laid out by ``QTextDocument``: a
yearly report where every village has cases is ~2,600 rows on ~80 pages, which
``QTextDocument`` took 3–9 s to lay out, and drawing the rows directly takes well under a
second. The pages are planned first (:func:`_plan`: which rows go on which page, so the page
count is known for the footers), then drawn. A table longer than a page continues on the next
under its title ("(lanjutan)") and header row again; header cells and long row labels wrap;
district and kecamatan rows are shaded and bold, village rows indented under their kecamatan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from district.reports import Report, Table

__all__ = ["report_pdf"]

_FONT: Final = "DejaVu Sans"
_WORDS: Final = {
    "id": ("Periode", "Dibuat", "Halaman {n} dari {m}", "untuk dibagikan", "lanjutan"),
    "en": ("Period", "Generated", "Page {n} of {m}", "for sharing", "continued"),
}
_app: Any = None  # the offscreen application made here, kept alive for later calls


def _ensure_application() -> None:
    """A Qt GUI application must exist to lay out text; make an offscreen one if none does."""
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["simpul-district", "-platform", "offscreen"])


@dataclass
class _Fonts:
    """The fonts and their metrics on the PDF writer (``Any``: PySide6 is imported lazily)."""

    body: Any
    bold: Any
    title: Any
    metrics: Any
    bold_metrics: Any
    title_metrics: Any
    pad: float
    device: Any  # the PDF writer the metrics are for

    @property
    def line(self) -> float:
        return float(self.metrics.height())


@dataclass
class _Grid:
    """One table's geometry: column edges, the header row's height, each row's height."""

    table: Table
    edges: list[float]  # x of each column's left edge, then the right edge of the last
    header_font: Any
    header_height: float
    row_heights: list[float]
    wrapped: list[bool]  # a row whose label needs more than one line

    @property
    def width(self) -> float:
        return self.edges[-1]


@dataclass
class _Page:
    """What one page shows: ``(kind, grid, first, last, y)`` pieces, drawn in order: a table's
    ``title`` (``first`` 1: continued from the page before), its ``header`` row, or its
    ``rows`` ``first`` to ``last`` (exclusive), each from the top ``y``."""

    pieces: list[tuple[str, _Grid, int, int, float]] = field(default_factory=list)


_WRAP_FLAGS: Final = 0x1000 | 0x0001 | 0x0020  # TextWordWrap | AlignLeft | AlignTop
_HEAD_FLAGS: Final = 0x1000 | 0x0004 | 0x0040  # TextWordWrap | AlignHCenter | AlignBottom
_HEAD_LABEL_FLAGS: Final = 0x1000 | 0x0001 | 0x0040  # TextWordWrap | AlignLeft | AlignBottom
_INDENT: Final = 3  # characters of indentation of a village row (width of "   ")


def _grid(table: Table, width: float, fonts: _Fonts) -> _Grid:
    """Column widths from the texts (the label column up to 32% of the page), wrapped header
    and label heights where a text does not fit its column."""
    from PySide6.QtCore import QRectF

    pad, fm, bold = fonts.pad, fonts.metrics, fonts.bold_metrics
    indent = fm.horizontalAdvance(" " * _INDENT)
    label_need = max(
        [bold.horizontalAdvance(table.head)]
        + [
            bold.horizontalAdvance(r.label)
            if r.level in ("district", "kecamatan")
            else fm.horizontalAdvance(r.label) + (indent if r.level == "village" else 0)
            for r in table.rows
        ]
    )
    label_width = min(label_need + 2 * pad, width * 0.32)
    count = max(1, len(table.columns))
    cell_width = (width - label_width) / count
    edges = [0.0, label_width] + [label_width + cell_width * (i + 1) for i in range(count)]
    edges[-1] = width

    def wrapped_height(metrics: Any, text: str, box: float) -> float:
        rect = metrics.boundingRect(QRectF(0, 0, max(box, 1.0), 1e6), _WRAP_FLAGS, text)
        return float(rect.height())

    # a header word wider than its column (18 narrow columns of "Perempuan 0-5"…): the header
    # row's font is made smaller until the widest word fits, never below 5 points
    header_font, header_metrics = fonts.bold, bold
    words = [w for c in table.columns for w in c.label.split()]
    widest = max((bold.horizontalAdvance(w) for w in words), default=0.0)
    if widest > cell_width - 2 * pad:
        from PySide6.QtGui import QFont, QFontMetricsF

        size = max(5.0, header_font.pointSizeF() * (cell_width - 2 * pad) / widest)
        header_font = QFont(_FONT)
        header_font.setPointSizeF(size)
        header_font.setBold(True)
        header_metrics = QFontMetricsF(header_font, fonts.device)
    heads = [table.head, *(c.label for c in table.columns)]
    header_height = 2 * pad + max(
        wrapped_height(header_metrics, text, edges[i + 1] - edges[i] - 2 * pad)
        for i, text in enumerate(heads)
    )
    heights: list[float] = []
    wrapped: list[bool] = []
    single = fonts.line + 2 * pad
    for row in table.rows:
        strong = row.level in ("district", "kecamatan")
        metrics = bold if strong else fm
        room = label_width - 2 * pad - (indent if row.level == "village" else 0)
        if metrics.horizontalAdvance(row.label) <= room:
            heights.append(single)
            wrapped.append(False)
        else:
            heights.append(max(single, wrapped_height(metrics, row.label, room) + 2 * pad))
            wrapped.append(True)
    return _Grid(table, edges, header_font, header_height, heights, wrapped)


def _plan(grids: list[_Grid], top: float, bottom: float, fonts: _Fonts) -> list[_Page]:
    """Place each table's title, header row and rows on pages; a table that does not fit
    continues on the next page under its header row again."""
    title_height = float(fonts.title_metrics.height()) + fonts.pad * 2
    gap = fonts.line
    pages = [_Page()]
    y = top

    def new_page() -> float:
        pages.append(_Page())
        return top

    for grid in grids:
        first_row = grid.row_heights[0] if grid.row_heights else 0.0
        if y > top and y + title_height + grid.header_height + first_row > bottom:
            y = new_page()
        pages[-1].pieces.append(("title", grid, 0, 0, y))
        y += title_height
        pages[-1].pieces.append(("header", grid, 0, 0, y))
        y += grid.header_height
        start, segment_top = 0, y
        for index, height in enumerate(grid.row_heights):
            if y + height > bottom and index > start:
                pages[-1].pieces.append(("rows", grid, start, index, segment_top))
                y = new_page()
                pages[-1].pieces.append(("title", grid, 1, 0, y))  # 1: continued
                y += title_height
                pages[-1].pieces.append(("header", grid, 0, 0, y))
                y += grid.header_height
                start, segment_top = index, y
            y += height
        pages[-1].pieces.append(("rows", grid, start, len(grid.row_heights), segment_top))
        y += gap
    return pages


def _draw_header(painter: Any, grid: _Grid, y: float, fonts: _Fonts) -> None:
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor

    pad = fonts.pad
    painter.fillRect(QRectF(0, y, grid.width, grid.header_height), QColor("#dddddd"))
    painter.setFont(grid.header_font)
    heads = [grid.table.head, *(c.label for c in grid.table.columns)]
    for i, text in enumerate(heads):
        left, right = grid.edges[i], grid.edges[i + 1]
        box = QRectF(left + pad, y + pad, right - left - 2 * pad, grid.header_height - 2 * pad)
        painter.drawText(box, _HEAD_FLAGS if i else _HEAD_LABEL_FLAGS, text)
    painter.drawRect(QRectF(0, y, grid.width, grid.header_height))
    for x in grid.edges[1:-1]:
        painter.drawLine(QPointF(x, y), QPointF(x, y + grid.header_height))


def _draw_rows(painter: Any, grid: _Grid, first: int, last: int, y: float, fonts: _Fonts) -> None:
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor

    pad, fm = fonts.pad, fonts.metrics
    shade = QColor("#eeeeee")
    ascent = float(fm.ascent())
    indent = fm.horizontalAdvance(" " * _INDENT)
    top = y
    label_right = grid.edges[1]
    for index in range(first, last):
        row = grid.table.rows[index]
        height = grid.row_heights[index]
        strong = row.level in ("district", "kecamatan")
        if strong:
            painter.fillRect(QRectF(0, y, grid.width, height), shade)
        painter.setFont(fonts.bold if strong else fonts.body)
        left = pad + (indent if row.level == "village" else 0)
        if grid.wrapped[index]:
            box = QRectF(left, y + pad, label_right - left - pad, height - 2 * pad)
            painter.drawText(box, _WRAP_FLAGS, row.label)
        else:
            painter.drawText(QPointF(left, y + pad + ascent), row.label)
        painter.setFont(fonts.body)
        baseline = y + pad + ascent
        for column, value in enumerate(row.cells):
            text = str(value)
            right = grid.edges[column + 2] - 2 * pad
            painter.drawText(QPointF(right - fm.horizontalAdvance(text), baseline), text)
        y += height
        painter.drawLine(QPointF(0, y), QPointF(grid.width, y))
    painter.drawRect(QRectF(0, top, grid.width, y - top))
    for x in grid.edges[1:-1]:
        painter.drawLine(QPointF(x, top), QPointF(x, y))


def report_pdf(report: Report) -> bytes:
    """Draw the report as a PDF (module docstring) and return its bytes."""
    _ensure_application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import (
        QFont,
        QFontMetricsF,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
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

    body, bold = QFont(_FONT, 7), QFont(_FONT, 7, QFont.Weight.Bold)
    table_title = QFont(_FONT, 9, QFont.Weight.Bold)
    fonts = _Fonts(
        body,
        bold,
        table_title,
        QFontMetricsF(body, writer),
        QFontMetricsF(bold, writer),
        QFontMetricsF(table_title, writer),
        pad=writer.resolution() / 50,  # half a millimetre
        device=writer,
    )
    grids = [_grid(table, width, fonts) for table in report.tables]
    pages = _plan(grids, header_h, height - footer_h, fonts)

    title_font = QFont(_FONT, 11, QFont.Weight.Bold)
    small_font = QFont(_FONT, 8)
    heading = f"{words[0]}: {report.period_label}   ·   {words[1]}: "
    heading += report.generated_at.strftime("%Y-%m-%d %H:%M") + " WIB"
    if report.share:
        heading += f"   ·   {words[3]}"
    painter = QPainter(writer)
    try:
        for index, planned in enumerate(pages):
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
                words[2].format(n=index + 1, m=len(pages)),
            )
            for kind, grid, first, last, y in planned.pieces:
                if kind == "title":
                    painter.setFont(table_title)
                    title = grid.table.title + (f" ({words[4]})" if first else "")
                    painter.drawText(
                        QRectF(0, y, width, fonts.title_metrics.height() + fonts.pad * 2),
                        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                        title,
                    )
                elif kind == "header":
                    _draw_header(painter, grid, y, fonts)
                else:
                    _draw_rows(painter, grid, first, last, y, fonts)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
