"""The district reports page (DESIGN.md §9): a month or a year, its tables and charts, and files.

The report is counted by the server (``GET /v1/reports``, :mod:`district.reports`) on the
worker; the page shows the answer: a list of the report's tables (and the charts) beside one
table view. CSV and XLSX come from the server's export endpoint; the PDF is drawn here from the
report on screen with :func:`district.report_pdf.report_pdf` (pure rendering, no server), in a
``QThread`` of its own — a monthly report of every village of the kabupaten is ~80 A4 pages,
several seconds of text layout, and a Python worker thread is no place for Qt's text layout
(it warns of a missing event dispatcher; a ``QThread`` has one). Files are written atomically
where the user chooses, under a name that says only the period (``rekap-2026-10.xlsx``).

"Untuk dibagikan ke luar kabupaten" asks the server for the shared form of the report: village
counts of 1–2 shown as ``<3`` and the cells that would give them away as ``x``. The CSV, XLSX
and PDF of a report are always of the form on screen.

A report holds counts only, but the page still forgets it on sign-out like every other page.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.errors import ServerError
from desktop.ui.charts import BarSet, StackedBarChart
from desktop.ui.district.context import DistrictContext
from desktop.ui.language import Texts
from desktop.ui.widgets import busy_bar, heading, set_tone
from district.reports import HIDDEN, SMALL, Cell, Report, Table
from simpul.errors import UserError
from simpul.files import write_atomic
from simpul.recap import band_is_child

__all__ = [
    "EXPORTS",
    "OUTREACH_GROUPS",
    "VICTIM_GROUPS",
    "ReportTableModel",
    "ReportsPage",
    "file_name",
    "victim_groups",
]

ExportFormat = Literal["csv", "xlsx", "pdf"]
EXPORTS: Final[tuple[ExportFormat, ...]] = ("csv", "xlsx", "pdf")

VICTIM_GROUPS: Final = (
    ("female_child", "gui_dm_rp_female_child", "#ad1457"),
    ("female_adult", "gui_dm_rp_female_adult", "#f48fb1"),
    ("male_child", "gui_dm_rp_male_child", "#1565c0"),
    ("male_adult", "gui_dm_rp_male_adult", "#90caf9"),
    ("unknown", "gui_dm_rp_unknown", "#9e9e9e"),
)
"""The victim chart's bar sets: group, caption code, colour (the village recap's colours)."""

OUTREACH_GROUPS: Final = VICTIM_GROUPS[:4]
"""The outreach chart's bar sets (the ``outreach`` table's columns of the same keys)."""

_CHARTS_ROW = 0
"""The charts' entry in the table list (the tables follow)."""
_CHART_HEIGHT = 380
_HEADER_CHARS = 12
"""Characters per line of a column header (the columns are ~100 pixels wide)."""
_COLUMN_WIDTH = 104
_PAGE_STYLE = """
QListWidget#report_tables::item { padding: 3px 4px; }
QLabel#report_summary { font-weight: bold; }
"""
_SHADE = QColor("#eceff1")
_MUTED = QColor("#616161")
_Index = QModelIndex | QPersistentModelIndex


def file_name(period: str, fmt: str, *, share: bool) -> str:
    """The default file name of an export: the period only, nothing about anyone."""
    return f"rekap-{period}{'-untuk-dibagikan' if share else ''}.{fmt}"


def victim_groups(table: Table) -> dict[str, dict[str, int]]:
    """Per violence type (the ``type_sex_age`` table's item rows, by label): its victims in
    the groups of :data:`VICTIM_GROUPS` (female/male × child/adult, unknown sex or age)."""
    out: dict[str, dict[str, int]] = {}
    for row in table.rows:
        if row.level != "item":
            continue
        groups = dict.fromkeys((g for g, _c, _k in VICTIM_GROUPS), 0)
        for column, value in zip(table.columns, row.cells, strict=True):
            if column.total or not isinstance(value, int):
                continue
            groups[_victim_group(column.key)] += value
        out[row.label] = groups
    return out


def _victim_group(key: str) -> str:
    sex, _, band = key.partition(":")
    if sex not in ("P", "L") or not band or band.startswith("_"):
        return "unknown"
    try:
        child = band_is_child(band)
    except Exception:  # noqa: BLE001 - a band of a newer taxonomy: counted as unknown age
        return "unknown"
    return f"{'female' if sex == 'P' else 'male'}_{'child' if child else 'adult'}"


# ---------------------------------------------------------------------------- table model


class ReportTableModel(QAbstractTableModel):
    """One table of a report: the row labels (areas or categories), then one column per count.

    Kecamatan and district rows are bold on a shaded background, villages indented under their
    kecamatan; a suppressed cell shows the report's mark (``<3`` or ``x``) with a tooltip
    saying why. ``Qt.UserRole`` gives the raw cell (an int, or the mark).
    """

    LABEL = 0

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.table: Table | None = None
        """The table shown; None when nothing is."""
        texts.changed.connect(self._on_language_changed)

    def set_table(self, table: Table | None) -> None:
        """Show a table (None: nothing)."""
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns) + 1

    def cell(self, row: int, column: int) -> Cell:
        """The raw cell of a count column (``column`` ≥ 1)."""
        assert self.table is not None
        return self.table.rows[row].cells[column - 1]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        table = self.table
        if table is None or not index.isValid() or not 0 <= index.row() < len(table.rows):
            return None
        row, column = table.rows[index.row()], index.column()
        if not 0 <= column <= len(table.columns):
            return None
        value: Cell | None = None if column == self.LABEL else row.cells[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ("    " if row.level == "village" else "") + row.label
            return _number(value, self._texts.lang) if isinstance(value, int) else value
        if role == Qt.ItemDataRole.UserRole:
            return row.label if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.level in ("kecamatan", "district"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and row.level in ("kecamatan", "district"):
            return QBrush(_SHADE)
        if role == Qt.ItemDataRole.ForegroundRole and value in (SMALL, HIDDEN):
            return QBrush(_MUTED)
        if role == Qt.ItemDataRole.ToolTipRole and value in (SMALL, HIDDEN):
            code = "gui_dm_rp_small_tip" if value == SMALL else "gui_dm_rp_hidden_tip"
            return self._texts.t(code)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        table = self.table
        if orientation != Qt.Orientation.Horizontal or table is None:
            return None
        if not 0 <= section <= len(table.columns):
            return None
        text = table.head if section == self.LABEL else table.columns[section - 1].label
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.LABEL:  # the widest column: fitted to its rows
                return text
            # a header does not wrap by itself: break the count columns' labels over lines
            return textwrap.fill(text, _HEADER_CHARS, break_long_words=False)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text
        return None

    @Slot()
    def _on_language_changed(self) -> None:
        # the labels are the report's own (it is fetched again in the new language); the
        # numbers' digit grouping and the tooltips follow the language now
        if self.table is not None and self.table.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )


def _number(value: int, lang: str) -> str:
    language = QLocale.Language.English if lang == "en" else QLocale.Language.Indonesian
    return QLocale(language).toString(value)


# ---------------------------------------------------------------------------- PDF thread


class _PdfThread(QThread):
    """Draws a report's PDF off the UI thread (module docstring: why a ``QThread``).

    Signals:
        drawn: The drawing ended (``data`` holds the PDF, or None if it failed); emitted from
            the thread, so a receiver on the UI thread gets it queued.
    """

    drawn = Signal(object)

    def __init__(self, report: Report, path: Path, request: int) -> None:
        super().__init__()
        self.report, self.path, self.request = report, path, request
        self.data: bytes | None = None

    def run(self) -> None:
        from district.report_pdf import report_pdf

        try:
            self.data = report_pdf(self.report)
        finally:
            self.drawn.emit(self)


_RUNNING: set[_PdfThread] = set()
"""PDF threads still drawing: kept alive here until they end, whatever happens to the page."""


# ---------------------------------------------------------------------------- page


@dataclass(frozen=True)
class _Shown:
    """A report on screen and the request that fetched it (the export asks for the same)."""

    report: Report
    period: str
    share: bool


class ReportsPage(QWidget):
    """The "Laporan" page: period, sharing mode, the report's tables and charts, exports.

    Signals:
        report_shown: A freshly fetched report is on screen.
        saved: A file was written (its path).
        failed: Fetching or saving failed (the message shown, in the user's language).
    """

    report_shown = Signal()
    saved = Signal(Path)
    failed = Signal(str)

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.today: Callable[[], date] = date.today
        """The clock that decides the years offered and the month chosen at first."""
        self.shown: _Shown | None = None
        """The report on screen; None when nothing is."""
        self._request = 0
        self._fetching = False
        self._saving = 0
        self._message: tuple[str, str] | None = None  # (tone, text) of the last outcome
        self.setStyleSheet(_PAGE_STYLE)

        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")

        self._period_label = QLabel()
        self.kind = QComboBox()
        self.kind.setObjectName("report_kind")
        self.kind.addItems(["", ""])
        self._period_label.setBuddy(self.kind)
        self.month = QComboBox()
        self.month.setObjectName("report_month")
        self.month.addItems([""] * 12)
        self.year = QComboBox()
        self.year.setObjectName("report_year")
        self.share = QCheckBox()
        self.share.setObjectName("report_share")
        self.show_button = QPushButton()
        self.show_button.setObjectName("report_show")
        self.show_button.setDefault(True)
        self.busy = busy_bar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        set_tone(self.status, "hint")

        self.summary = QLabel()
        self.summary.setObjectName("report_summary")
        self.summary.setWordWrap(True)
        self.export_buttons: dict[ExportFormat, QPushButton] = {}
        for fmt in EXPORTS:
            button = QPushButton()
            button.setObjectName(f"report_export_{fmt}")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button

        self.tables = QListWidget()
        self.tables.setObjectName("report_tables")
        self.tables.setWordWrap(True)
        self.tables.setMinimumWidth(220)
        self.tables.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model = ReportTableModel(ctx.texts, self)
        self.view = QTableView()
        self.view.setObjectName("report_table")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(56)
        self.model.modelReset.connect(self._fit_columns)
        self.table_title = heading(2)
        self.table_title.setWordWrap(True)

        self.victim_chart = StackedBarChart()
        self.victim_chart.setObjectName("report_victim_chart")
        self.victim_chart.setMinimumHeight(_CHART_HEIGHT)
        self.outreach_chart = StackedBarChart()
        self.outreach_chart.setObjectName("report_outreach_chart")
        self.outreach_chart.setMinimumHeight(300)
        self._victim_title = heading(2)
        self._outreach_title = heading(2)
        self.no_victims = QLabel()
        self.no_outreach = QLabel()
        for label in (self.no_victims, self.no_outreach):
            set_tone(label, "hint")
            label.hide()

        self._build_layout()
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.show_button.clicked.connect(self.show_report)
        self.share.toggled.connect(self._on_share_toggled)
        self.tables.currentRowChanged.connect(self._on_table_chosen)
        ctx.signed_out.connect(self.clear)
        ctx.records_changed.connect(self._on_records_changed)
        ctx.texts.changed.connect(self._retranslate)
        self._fill_years()
        self._retranslate()
        self._on_kind_changed()
        self._show(None)

    def _build_layout(self) -> None:
        choose = QHBoxLayout()
        choose.addWidget(self._period_label)
        choose.addWidget(self.kind)
        choose.addWidget(self.month)
        choose.addWidget(self.year)
        choose.addSpacing(16)
        choose.addWidget(self.share)
        choose.addSpacing(16)
        choose.addWidget(self.show_button)
        choose.addSpacing(12)
        state = QVBoxLayout()
        state.addWidget(self.busy)
        state.addWidget(self.status)
        choose.addLayout(state, 1)
        exports = QHBoxLayout()
        exports.addWidget(self.summary, 1)
        for button in self.export_buttons.values():
            exports.addWidget(button)

        table_panel = QWidget()
        table_layout = QVBoxLayout(table_panel)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table_title)
        table_layout.addWidget(self.view, 1)

        charts = QWidget()
        chart_layout = QVBoxLayout(charts)
        chart_layout.setContentsMargins(0, 0, 8, 0)
        chart_layout.addWidget(self._victim_title)
        chart_layout.addWidget(self.victim_chart)
        chart_layout.addWidget(self.no_victims)
        chart_layout.addSpacing(10)
        chart_layout.addWidget(self._outreach_title)
        chart_layout.addWidget(self.outreach_chart)
        chart_layout.addWidget(self.no_outreach)
        chart_layout.addStretch(1)
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        chart_scroll.setWidget(charts)

        self.panels = QStackedWidget()
        self.panels.addWidget(chart_scroll)
        self.panels.addWidget(table_panel)
        splitter = QSplitter()
        splitter.addWidget(self.tables)
        splitter.addWidget(self.panels)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        splitter.setChildrenCollapsible(False)
        self.body = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addLayout(choose)
        layout.addLayout(exports)
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------------ period

    def period(self) -> str:
        """The period chosen: ``YYYY-MM`` (monthly) or ``YYYY`` (yearly)."""
        year = self.year.currentText()
        if self.kind.currentIndex() == 1:
            return year
        return f"{year}-{self.month.currentIndex() + 1:02d}"

    def choose_period(self, period: str) -> None:
        """Pick a month (``YYYY-MM``) or a year (``YYYY``) in the combo boxes."""
        year, _, month = period.partition("-")
        self.kind.setCurrentIndex(0 if month else 1)
        index = self.year.findText(year)
        if index < 0:
            raise ValueError(f"year not offered: {year}")
        self.year.setCurrentIndex(index)
        if month:
            self.month.setCurrentIndex(int(month) - 1)

    def _fill_years(self) -> None:
        """This year and the ten before; the previous month chosen (the last whole month)."""
        today = self.today()
        self.year.clear()
        self.year.addItems([str(y) for y in range(today.year, today.year - 11, -1)])
        last = date(today.year, today.month, 1).toordinal() - 1
        previous = date.fromordinal(last)
        self.year.setCurrentIndex(today.year - previous.year)
        self.month.setCurrentIndex(previous.month - 1)

    @Slot()
    def _on_kind_changed(self) -> None:
        self.month.setEnabled(self.kind.currentIndex() == 0)

    @Slot(bool)
    def _on_share_toggled(self, share: bool) -> None:
        """Ticking or clearing "for sharing" fetches the report on screen again in that form
        at once, so a file saved next is never of the other form."""
        shown, client = self.shown, self._ctx.client
        if shown is not None and client is not None and shown.share != share:
            self._fetch(client, shown.period, share, self._ctx.texts.lang)

    # ------------------------------------------------------------------ fetching

    @Slot()
    def show_report(self) -> None:
        """Fetch the chosen period's report in the background ("Tampilkan")."""
        client = self._ctx.client
        if client is None or not self._ctx.can("reports"):
            return
        period, share, lang = self.period(), self.share.isChecked(), self._ctx.texts.lang
        self._fetch(client, period, share, lang)

    def _fetch(self, client: Any, period: str, share: bool, lang: str) -> None:
        self._request += 1
        request = self._request

        def work() -> Report:
            return _parse_report(client.report(period, share=share, lang=lang))

        def done(report: Report) -> None:
            if request != self._request or self._ctx.client is not client:
                return  # overtaken by a newer request, or signed out meanwhile
            self._fetching = False
            self._message = None
            self._show(_Shown(report, period, share))
            self._update_busy()
            self.report_shown.emit()

        def failed(exc: UserError) -> None:
            if request != self._request:
                return
            self._fetching = False
            shown = self.shown
            if shown is not None and self.share.isChecked() != shown.share:
                # the box says the form on screen (and so of the files saved next)
                self.share.blockSignals(True)
                self.share.setChecked(shown.share)
                self.share.blockSignals(False)
            self._update_busy()
            if not self._ctx.session_failed(exc):
                self._say("problem", self._ctx.texts.error(exc))

        self._fetching = True
        self._message = None
        self._update_busy()
        self._ctx.runner.submit(work, done=done, failed=failed)

    # ------------------------------------------------------------------ showing

    def _show(self, shown: _Shown | None) -> None:
        self.shown = shown
        report = shown.report if shown is not None else None
        chosen = max(self.tables.currentRow(), _CHARTS_ROW)
        self.tables.blockSignals(True)
        self.tables.clear()
        if report is not None:
            self.tables.addItem(QListWidgetItem(self._ctx.texts.t("gui_dm_rp_charts")))
            for table in report.tables:
                item = QListWidgetItem(table.title)
                item.setData(Qt.ItemDataRole.UserRole, table.key)
                item.setToolTip(table.title)
                self.tables.addItem(item)
        self.tables.blockSignals(False)
        self.body.setVisible(report is not None)
        self._draw_charts(report)
        if report is not None:
            self.tables.setCurrentRow(min(chosen, self.tables.count() - 1))
            self._on_table_chosen(self.tables.currentRow())
        else:
            self.model.set_table(None)
            self.table_title.clear()
        self._update_summary()

    def table_keys(self) -> list[str]:
        """The keys of the tables in the list, in order (the charts' entry left out)."""
        return [
            str(self.tables.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(_CHARTS_ROW + 1, self.tables.count())
        ]

    def choose_table(self, key: str) -> None:
        """Show a table of the report by key, as a click in the list does."""
        self.tables.setCurrentRow(self.table_keys().index(key) + _CHARTS_ROW + 1)

    @Slot(int)
    def _on_table_chosen(self, row: int) -> None:
        report = self.shown.report if self.shown is not None else None
        if report is None or row < 0:
            return
        if row == _CHARTS_ROW:
            self.panels.setCurrentIndex(0)
            return
        table = report.tables[row - _CHARTS_ROW - 1]
        self.table_title.setText(table.title)
        self.model.set_table(table)
        self.panels.setCurrentIndex(1)

    @Slot()
    def _fit_columns(self) -> None:
        self.view.resizeColumnToContents(ReportTableModel.LABEL)
        header = self.view.horizontalHeader()
        for column in range(1, self.model.columnCount()):
            header.resizeSection(column, _COLUMN_WIDTH)

    def _draw_charts(self, report: Report | None) -> None:
        t = self._ctx.texts.t
        self.victim_chart.clear()
        self.outreach_chart.clear()
        self.no_victims.hide()
        self.no_outreach.hide()
        if report is None:
            return
        groups = victim_groups(report.table("type_sex_age"))
        labels = list(groups)
        sets = [
            BarSet(t(caption), colour, [groups[label][group] for label in labels])
            for group, caption, colour in VICTIM_GROUPS
            if group != "unknown" or any(groups[label][group] for label in labels)
        ]
        if any(sum(g.values()) for g in groups.values()):
            self.victim_chart.show_bars(labels, sets)
            self.victim_chart.show()
        else:
            self.victim_chart.hide()
            self.no_victims.show()
        outreach = report.table("outreach")
        keys = [c.key for c in outreach.columns]
        rows = [r for r in outreach.rows if r.level == "kecamatan"]
        numbers = {
            group: [_int(r.cells[keys.index(group)]) for r in rows]
            for group, _caption, _colour in OUTREACH_GROUPS
        }
        if any(any(n) for n in numbers.values()):
            self.outreach_chart.show_bars(
                [r.label for r in rows],
                [BarSet(t(caption), colour, numbers[g]) for g, caption, colour in OUTREACH_GROUPS],
            )
            self.outreach_chart.setMinimumHeight(max(220, 110 + 34 * len(rows)))
            self.outreach_chart.show()
        else:
            self.outreach_chart.hide()
            self.no_outreach.show()

    def _update_summary(self) -> None:
        shown = self.shown
        if shown is None:
            self.summary.clear()
            return
        report = shown.report
        text = self._ctx.texts.t(
            "gui_dm_rp_summary",
            period=report.period_label,
            cases=report.cases,
            outreach=report.outreach,
            time=report.generated_at.strftime("%d-%m-%Y %H:%M"),
        )
        if report.share:
            text += " · " + self._ctx.texts.t("gui_dm_rp_summary_shared")
        self.summary.setText(text)

    # ------------------------------------------------------------------ exporting

    def export(self, fmt: ExportFormat) -> None:
        """Save the report on screen as CSV, XLSX or PDF where the user chooses."""
        shown, client = self.shown, self._ctx.client
        if shown is None or client is None:
            return
        t = self._ctx.texts.t
        filters = {
            "csv": "gui_dm_rp_filter_csv",
            "xlsx": "gui_dm_rp_filter_xlsx",
            "pdf": "gui_dm_rp_filter_pdf",
        }
        path = self._ctx.prompter.choose_save_file(
            self,
            t("gui_dm_rp_save_title"),
            file_name(shown.period, fmt, share=shown.share),
            t(filters[fmt]),
        )
        if path is None:
            return
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        request = self._request
        self._saving += 1
        self._message = None
        self._update_busy()
        if fmt == "pdf":
            thread = _PdfThread(shown.report, path, request)
            _RUNNING.add(thread)
            thread.drawn.connect(self._on_pdf_drawn)
            thread.start()
            return
        period, share, lang = shown.period, shown.share, shown.report.lang

        def fetch() -> bytes:
            return bytes(client.report_export(period, fmt, share=share, lang=lang))

        self._write(fetch, path, request)

    @Slot(object)
    def _on_pdf_drawn(self, thread: _PdfThread) -> None:
        thread.wait()  # it is on its last line
        _RUNNING.discard(thread)
        data, path, request = thread.data, thread.path, thread.request
        thread.deleteLater()
        if data is None:  # the drawing raised (a bug, printed by Python): nothing to save
            self._saved(request, None, UserError("gui_dm_rp_pdf_failed", "PDF failed"))
            return
        self._write(lambda: data, path, request)

    def _write(self, make: Callable[[], bytes], path: Path, request: int) -> None:
        def work() -> Path:
            data = make()
            try:
                write_atomic(path, data, mode=0o644)
            except OSError as exc:
                raise UserError(
                    "gui_dm_rp_save_failed", "cannot write the file", name=path.name
                ) from exc
            return path

        self._ctx.runner.submit(
            work,
            done=lambda written: self._saved(request, written, None),
            failed=lambda exc: self._saved(request, None, exc),
        )

    def _saved(self, request: int, path: Path | None, exc: UserError | None) -> None:
        self._saving = max(0, self._saving - 1)
        self._update_busy()
        if exc is not None:
            if self._ctx.session_failed(exc):
                return
            if request == self._request:
                self._say("problem", self._ctx.texts.error(exc))
            return
        assert path is not None
        if request == self._request:
            self._say("success", self._ctx.texts.t("gui_dm_rp_saved", name=path.name))
        self.saved.emit(path)

    # ------------------------------------------------------------------ state

    def _say(self, tone: str, text: str) -> None:
        self._message = (tone, text)
        self._update_busy()
        if tone == "problem":
            self.failed.emit(text)

    def _update_busy(self) -> None:
        busy = self._fetching or self._saving > 0
        self.busy.setVisible(busy)
        # while a report is on its way the one on screen may be about to change form or period
        for button in self.export_buttons.values():
            button.setEnabled(self.shown is not None and not self._fetching)
        t = self._ctx.texts.t
        if self._fetching:
            tone, text = "hint", t("gui_dm_rp_fetching")
        elif self._saving:
            tone, text = "hint", t("gui_dm_rp_saving")
        elif self._message is not None:
            tone, text = self._message
        else:
            tone, text = "hint", ""
        self.status.setText(text)
        set_tone(self.status, tone)

    @property
    def busy_now(self) -> bool:
        """Whether a report is being fetched or a file saved."""
        return self._fetching or self._saving > 0

    @Slot()
    def _on_records_changed(self) -> None:
        """Records changed on the server (an import, a follow-up): the report may be behind."""
        if self.shown is not None and not self._fetching:
            self._say("hint", self._ctx.texts.t("gui_dm_rp_outdated"))

    @Slot()
    def clear(self) -> None:
        """Forget the report (sign-out): answers still on their way are dropped."""
        self._request += 1
        self._fetching = False
        self._saving = 0
        self._message = None
        self._show(None)
        self.share.setChecked(False)
        self._update_busy()

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_nav_reports"))
        self._intro.setText(t("gui_dm_rp_intro"))
        self._period_label.setText(t("gui_dm_rp_period"))
        self.kind.setItemText(0, t("gui_dm_rp_monthly"))
        self.kind.setItemText(1, t("gui_dm_rp_yearly"))
        english = self._ctx.texts.lang == "en"
        locale = QLocale(QLocale.Language.English if english else QLocale.Language.Indonesian)
        for month in range(12):
            self.month.setItemText(month, locale.standaloneMonthName(month + 1))
        self.share.setText(t("gui_dm_rp_share"))
        self.share.setToolTip(t("gui_dm_rp_share_tip"))
        self.show_button.setText(t("gui_dm_rp_show"))
        for fmt, button in self.export_buttons.items():
            button.setText(t(f"gui_dm_rp_export_{fmt}"))
        self._victim_title.setText(t("gui_dm_rp_chart_victims"))
        self._outreach_title.setText(t("gui_dm_rp_chart_outreach"))
        self.no_victims.setText(t("gui_dm_rp_no_victims"))
        self.no_outreach.setText(t("gui_dm_rp_no_outreach"))
        self._update_busy()
        self._update_summary()
        shown, client = self.shown, self._ctx.client
        if shown is None:
            return
        # the report's own titles and labels are in the language it was asked in: ask again
        self._draw_charts(shown.report)
        if client is not None and shown.report.lang != self._ctx.texts.lang:
            self._fetch(client, shown.period, shown.share, self._ctx.texts.lang)


def _int(value: Cell) -> int:
    """A chart's number of a cell (a suppressed cell counts 0; charts show area totals)."""
    return value if isinstance(value, int) else 0


def _parse_report(data: Mapping[str, Any]) -> Report:
    """The server's report JSON as a :class:`Report` (a malformed answer is a server error)."""
    try:
        return Report.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ServerError(200, "malformed report") from None
