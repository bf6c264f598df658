"""The village recap ("Rekap"): victims by violence type, sex and child/adult as a table and a
chart, and outreach participants, for this month, this year or an earlier month or year.

The counting is :mod:`simpul.recap` (shared with the district reports; its docstring says what
is counted); this page picks the period and shows the result. Counting needs the documents,
decrypted and parsed at ~0.1 ms each, so it runs on the worker (``load_recap``): for 5,000
cases, 0.2 s for a month and 0.75 s for a year, measured on a busy laptop, of which the count
itself is 10-50 ms (``recap_cases``: ~30 ms for a year over 5,000 documents in memory); the UI
thread spends under 30 ms per refresh (the period list, the table, the chart). Only the
records whose list date falls in the period are opened. The page counts only while it is on
screen: a save or a sync while another page shows marks it stale, and it counts when shown."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.charts import BarSet, StackedBarChart
from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.widgets import heading, set_tone
from simpul.errors import UserError
from simpul.recap import CaseRecap, OutreachRecap, Period, VictimTally, recap_cases, recap_outreach
from simpul.records.taxonomy import load_taxonomy

__all__ = [
    "GROUPS",
    "OutreachSummary",
    "RecapPage",
    "RecapResult",
    "RecapTableModel",
    "VictimChart",
    "load_recap",
    "period_choices",
]

MONTHS_OFFERED = 36
"""Earlier months the period list offers (at most; never before the oldest record)."""

GROUPS: tuple[tuple[str, str, str], ...] = (
    ("female_child", "gui_recap_col_female_child", "#ad1457"),
    ("female_adult", "gui_recap_col_female_adult", "#f48fb1"),
    ("male_child", "gui_recap_col_male_child", "#1565c0"),
    ("male_adult", "gui_recap_col_male_adult", "#90caf9"),
    ("unknown", "gui_recap_col_unknown", "#9e9e9e"),
)
"""Victim groups as columns and bar sets: ``VictimTally`` field, caption code, bar colour
(deep and light of one hue per sex, so child and adult of a sex read as one block)."""

CHART_HEIGHT = 380
"""Pixels: seven bars and a one-line legend, with room to read every label."""

_Index = QModelIndex | QPersistentModelIndex

_PAGE_STYLE = """
QFrame#recap_outreach { background: white; border: 1px solid #cfd8dc; border-radius: 6px; }
QFrame#recap_outreach QLabel[cell="head"] { color: #555555; font-weight: bold; }
QFrame#recap_outreach QLabel[cell="total"] { font-weight: bold; }
QLabel#recap_summary, QLabel#recap_events { font-size: 12pt; }
"""


# ---------------------------------------------------------------------------- operation


@dataclass(frozen=True)
class RecapResult:
    """What the page shows: the cases and the outreach of one period.

    ``request`` numbers the refresh that asked for it, so an answer overtaken by a newer
    request (another period, a lock) is dropped; ``oldest`` is the earliest list date of the
    profile's records (the period list goes back to it).
    """

    request: int
    cases: CaseRecap
    outreach: OutreachRecap
    oldest: str | None = None


def load_recap(
    ctx: AppContext,
    period: Period,
    *,
    request: int = 0,
    done: Callable[[RecapResult], None],
    failed: Callable[[UserError], None],
) -> None:
    """Count the cases and outreach of ``period`` on the worker (nothing while locked).

    Even listing the working set takes ~50 ms for 5,000 cases (it is sorted), so all of it
    runs on the worker; only the records whose list date (report date, day held) falls in the
    period are opened.
    """
    store = ctx.store
    if store is None:
        return
    prefix = period.key

    def work() -> RecapResult:
        views = store.records()
        chosen = [v for v in views if (v.main_date or "").startswith(prefix)]
        return RecapResult(
            request,
            recap_cases((v.doc for v in chosen if v.kind == "case"), period),
            recap_outreach((v.doc for v in chosen if v.kind == "outreach"), period),
            oldest=min((d for v in views if (d := v.main_date)), default=None),
        )

    ctx.runner.submit(work, done=done, failed=failed)


def period_choices(dates: Iterable[str | None], today: date) -> list[Period]:
    """The periods to offer: this month, this year, then earlier months back to the oldest
    record's (at most :data:`MONTHS_OFFERED`), then earlier years back to the oldest record's.

    Args:
        dates: The list dates (ISO) of the records; missing or malformed ones are ignored.
        today: Today's date.
    """
    months = [int(d[:4]) * 12 + int(d[5:7]) - 1 for d in dates if d and _is_iso_month(d[:7])]
    now = today.year * 12 + today.month - 1
    oldest = max(min(months, default=now), now - MONTHS_OFFERED)
    choices = [Period.month_of(today), Period.year_of(today)]
    choices += [Period(m // 12, m % 12 + 1) for m in range(now - 1, oldest - 1, -1)]
    oldest_year = min((m // 12 for m in months), default=today.year)
    choices += [Period(y) for y in range(today.year - 1, oldest_year - 1, -1)]
    return choices


def _is_iso_month(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


# ---------------------------------------------------------------------------- table


class RecapTableModel(QAbstractTableModel):
    """Rows: every violence type, then all victims (each once); columns: the type, the victim
    groups of :data:`GROUPS` and the total. Empty (no rows) while locked."""

    TYPE = 0
    TOTAL = len(GROUPS) + 1
    UNKNOWN = len(GROUPS)

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._rows: list[tuple[str | None, VictimTally]] = []
        texts.changed.connect(self._on_language_changed)

    def set_recap(self, recap: CaseRecap | None) -> None:
        """Show a recap (None: nothing, after a lock)."""
        self.beginResetModel()
        if recap is None:
            self._rows = []
        else:
            self._rows = [(code, recap.tally(code)) for code in recap.violence_types]
            self._rows.append((None, recap.tally()))
        self.endResetModel()

    def violence_type_at(self, row: int) -> str | None:
        """The violence type code of a row; None for the total row."""
        return self._rows[row][0]

    def count_at(self, row: int, column: int) -> int:
        """The number shown in a cell of a victim group or the total."""
        tally = self._rows[row][1]
        return tally.total if column == self.TOTAL else int(getattr(tally, GROUPS[column - 1][0]))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(GROUPS) + 2

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        code = self._rows[row][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TYPE:
                if code is None:
                    return self._texts.t("gui_recap_row_total")
                return self._texts.label("violence_type", code)
            return str(self.count_at(row, column))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.TYPE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (code is None or column == self.TOTAL):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts.t(self._header_code(section))
        if role == Qt.ItemDataRole.ToolTipRole and section == self.UNKNOWN:
            return self._texts.t("gui_recap_col_unknown_tip")
        return None

    def _header_code(self, section: int) -> str:
        if section == self.TYPE:
            return "gui_recap_col_type"
        if section == self.TOTAL:
            return "gui_recap_col_total"
        return GROUPS[section - 1][1]

    @Slot()
    def _on_language_changed(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))


# ---------------------------------------------------------------------------- chart


class VictimChart(StackedBarChart):
    """Victims per violence type as horizontal bars, stacked by victim group (the table's
    rows, top to bottom; a bar's length is the type's total)."""

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.setFixedHeight(CHART_HEIGHT)

    def show_recap(self, recap: CaseRecap | None) -> None:
        """Draw a recap's victims (None: an empty chart)."""
        if recap is None:
            self.clear()
            return
        types = list(recap.violence_types)
        tallies = [recap.tally(code) for code in types]
        sets = []
        for field, caption, colour in GROUPS:
            numbers = [int(getattr(tally, field)) for tally in tallies]
            if field == "unknown" and not any(numbers):
                continue  # shown only when some victim's sex or age is missing
            sets.append(BarSet(self._texts.t(caption), colour, numbers))
        self.show_bars([self._texts.label("violence_type", code) for code in types], sets)


# ---------------------------------------------------------------------------- outreach


class OutreachSummary(QWidget):
    """The number of outreach activities and their participants, female/male × child/adult."""

    ROWS = ("female", "male", "total")
    COLUMNS = ("child", "adult", "total")

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._recap: OutreachRecap | None = None
        self._title = heading(2)
        self.events = QLabel()
        self.events.setObjectName("recap_events")
        self.disability = QLabel()
        set_tone(self.disability, "hint")
        self._participants = QLabel()
        self._participants.setProperty("cell", "head")
        self._row_heads = {row: QLabel() for row in self.ROWS}
        self._column_heads = {column: QLabel() for column in self.COLUMNS}
        self.cells: dict[tuple[str, str], QLabel] = {}
        """The number labels by (``female``/``male``/``total``, ``child``/``adult``/``total``)."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.addWidget(self._participants, 0, 0)
        for c, column in enumerate(self.COLUMNS, start=1):
            head = self._column_heads[column]
            head.setProperty("cell", "head")
            head.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(head, 0, c)
        for r, row in enumerate(self.ROWS, start=1):
            grid.addWidget(self._row_heads[row], r, 0)
            for c, column in enumerate(self.COLUMNS, start=1):
                cell = QLabel()
                cell.setObjectName(f"recap_{row}_{column}")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                if "total" in (row, column):
                    cell.setProperty("cell", "total")
                self.cells[(row, column)] = cell
                grid.addWidget(cell, r, c)
        self._row_heads["total"].setProperty("cell", "total")
        box = QFrame()
        box.setObjectName("recap_outreach")
        facts = QVBoxLayout()
        facts.addWidget(self.events)
        facts.addWidget(self.disability)
        facts.addStretch(1)
        inside = QHBoxLayout(box)
        inside.setContentsMargins(14, 10, 14, 12)
        inside.addLayout(facts)
        inside.addSpacing(40)
        inside.addLayout(grid)
        inside.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._title)
        layout.addWidget(box)
        self.show_recap(None)

    def number(self, row: str, column: str) -> int:
        """The participants shown in one cell (0 when nothing is shown)."""
        text = self.cells[(row, column)].text()
        return int(text) if text.isdigit() else 0

    def show_recap(self, recap: OutreachRecap | None) -> None:
        """Show a period's outreach (None: blank, after a lock)."""
        self._recap = recap
        t = self._texts.t
        self._title.setText(t("gui_nav_outreach"))
        self._participants.setText(t("gui_recap_participants"))
        self._row_heads["female"].setText(self._texts.label("sex", "P"))
        self._row_heads["male"].setText(self._texts.label("sex", "L"))
        self._row_heads["total"].setText(t("gui_recap_col_total"))
        self._column_heads["child"].setText(t("gui_recap_child"))
        self._column_heads["adult"].setText(t("gui_recap_adult"))
        self._column_heads["total"].setText(t("gui_recap_col_total"))
        if recap is None:
            for cell in self.cells.values():
                cell.setText("–")
            self.events.clear()
            self.disability.clear()
            return
        p = recap.participants
        numbers = {
            ("female", "child"): p.female_child,
            ("female", "adult"): p.female_adult,
            ("female", "total"): p.female,
            ("male", "child"): p.male_child,
            ("male", "adult"): p.male_adult,
            ("male", "total"): p.male,
            ("total", "child"): p.child,
            ("total", "adult"): p.adult,
            ("total", "total"): p.total,
        }
        for key, n in numbers.items():
            self.cells[key].setText(str(n))
        self.events.setText(t("gui_recap_events", count=recap.events))
        self.disability.setText(t("gui_recap_with_disability", count=p.with_disability))

    @Slot()
    def retranslate(self) -> None:
        """Set every text again in the current language."""
        self.show_recap(self._recap)


# ---------------------------------------------------------------------------- page


class RecapPage(QWidget):
    """The "Rekap" page: a period, the victims table, the chart and the outreach block.

    Signals:
        count_changed: Unused (the main window's badge hook; a recap has no count to show).
        recap_shown: A freshly counted recap is on screen.
    """

    count_changed = Signal(int)
    recap_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.today: Callable[[], date] = date.today
        """The clock that says which month is "this month" (tests set it)."""
        self.result: RecapResult | None = None
        """The recap on screen; None while locked or not counted yet."""
        self._request = 0
        self._stale = True
        self._counting = False
        self._failure: UserError | None = None
        self._periods: list[Period] = []
        self.setStyleSheet(_PAGE_STYLE)

        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")
        self.period = QComboBox()
        self.period.setObjectName("recap_period")
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._period_label = QLabel()
        self._period_label.setBuddy(self.period)
        self.status = QLabel()
        set_tone(self.status, "hint")
        self.summary = QLabel()
        self.summary.setObjectName("recap_summary")

        self._victims_title = heading(2)
        self.model = RecapTableModel(ctx.texts, self)
        self.table = QTableView()
        self.table.setObjectName("recap_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RecapTableModel.TYPE, QHeaderView.ResizeMode.ResizeToContents)
        self.model.modelReset.connect(self._fit_table)
        self._child_hint = QLabel()
        self._note = QLabel()
        for label in (self._child_hint, self._note):
            label.setWordWrap(True)
            set_tone(label, "hint")

        self.chart = VictimChart(ctx.texts)
        self.chart.setObjectName("recap_chart")
        self.no_cases = QLabel()
        """Says so in place of the chart when no case was reported in the period."""
        self.no_cases.setWordWrap(True)
        self.no_cases.hide()
        set_tone(self.no_cases, "hint")
        self.outreach = OutreachSummary(ctx.texts)

        period_row = QHBoxLayout()
        period_row.addWidget(self._period_label)
        period_row.addWidget(self.period)
        period_row.addWidget(self.status, 1)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(12, 8, 16, 16)
        column.addWidget(self._title)
        column.addWidget(self._intro)
        column.addLayout(period_row)
        column.addWidget(self.summary)
        column.addSpacing(6)
        column.addWidget(self._victims_title)
        column.addWidget(self.table)
        column.addWidget(self._child_hint)
        column.addWidget(self._note)
        column.addWidget(self.chart)
        column.addWidget(self.no_cases)
        column.addSpacing(10)
        column.addWidget(self.outreach)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self._oldest: str | None = None
        self._update_periods(reset=True)
        self.period.currentIndexChanged.connect(self._on_period_changed)
        ctx.unlocked.connect(self.refresh)
        ctx.records_changed.connect(self.refresh)
        ctx.locked.connect(self.clear)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._show(None)

    # ------------------------------------------------------------------ counting

    def current_period(self) -> Period:
        """The period chosen (this month unless another was picked)."""
        index = self.period.currentIndex()
        if 0 <= index < len(self._periods):
            return self._periods[index]
        return Period.month_of(self.today())

    def choose_period(self, period: Period) -> None:
        """Pick a period as a person would in the list (it must be offered)."""
        self.period.setCurrentIndex(self._periods.index(period))

    @Slot()
    def refresh(self) -> None:
        """Count again now if the page is on screen, else when it is shown."""
        self._stale = True
        if self.isVisible():
            self._count()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._count()

    def _count(self) -> None:
        store = self._ctx.store
        if store is None:
            return
        self._stale = False
        self._update_periods()  # "this month" follows the clock
        self._request += 1
        self._set_status(counting=True)
        load_recap(
            self._ctx,
            self.current_period(),
            request=self._request,
            done=self._on_counted,
            failed=self._on_count_failed,
        )

    def _on_counted(self, result: RecapResult) -> None:
        if result.request != self._request or self._ctx.store is None:
            return  # a newer request (another period, a lock) overtook it
        self._oldest = result.oldest
        self._update_periods()
        self._set_status()
        self._show(result)
        self.recap_shown.emit()

    def _on_count_failed(self, exc: UserError) -> None:
        self._set_status(failure=exc)

    def _set_status(self, *, counting: bool = False, failure: UserError | None = None) -> None:
        self._counting, self._failure = counting, failure
        self._retranslate_status()

    def _retranslate_status(self) -> None:
        if self._failure is not None:
            self.status.setText(self._ctx.texts.error(self._failure))
        else:
            self.status.setText(self._ctx.texts.t("gui_recap_counting") if self._counting else "")
        set_tone(self.status, "problem" if self._failure is not None else "hint")

    @Slot()
    def clear(self) -> None:
        """Forget the recap on lock (a recap names nobody, but a locked screen shows nothing
        of the profile); the period list goes back to this month and this year."""
        self._request += 1
        self._stale = True
        self._set_status()
        self._oldest = None
        self._update_periods(reset=True)
        self._show(None)

    @Slot(int)
    def _on_period_changed(self, _index: int) -> None:
        self.refresh()

    # ------------------------------------------------------------------ showing

    def _show(self, result: RecapResult | None) -> None:
        self.result = result
        cases = result.cases if result is not None else None
        self.model.set_recap(cases)
        self.chart.show_recap(cases)
        self.outreach.show_recap(result.outreach if result is not None else None)
        unknown = cases is not None and cases.tally().unknown > 0
        self.table.setColumnHidden(RecapTableModel.UNKNOWN, not unknown)
        empty = cases is not None and cases.victims == 0
        self.chart.setVisible(not empty)
        self.no_cases.setVisible(empty)
        self._update_summary()

    def _update_summary(self) -> None:
        result = self.result
        if result is None:
            self.summary.clear()
            return
        self.summary.setText(
            self._ctx.texts.t(
                "gui_recap_summary", cases=result.cases.cases, victims=result.cases.victims
            )
        )

    @Slot()
    def _fit_table(self) -> None:
        """Show every row without a scroll bar (the page scrolls, not the table)."""
        rows = max(self.model.rowCount(), len(load_taxonomy().codes("violence_type")) + 1)
        header = self.table.horizontalHeader().sizeHint().height()
        height = header + rows * self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

    def _update_periods(self, *, reset: bool = False) -> None:
        """Offer the periods back to the oldest record. "This month" and "this year" stay
        chosen as such (a new month turns them over); another period chosen stays chosen.
        ``reset``: back to this month."""
        index = 0 if reset else self.period.currentIndex()
        relative = index in (0, 1)
        chosen = self.current_period()
        choices = period_choices([self._oldest], self.today())
        if not relative and chosen not in choices:
            choices.append(chosen)  # its last record went meanwhile
        if choices == self._periods and index == self.period.currentIndex():
            return
        self.period.blockSignals(True)
        self._periods = choices
        self.period.clear()
        self.period.addItems([self._period_text(p, n) for n, p in enumerate(choices)])
        self.period.setCurrentIndex(index if relative else choices.index(chosen))
        self.period.blockSignals(False)

    def _period_text(self, period: Period, position: int) -> str:
        t = self._ctx.texts.t
        english = self._ctx.texts.lang == "en"
        locale = QLocale(QLocale.Language.English if english else QLocale.Language.Indonesian)
        if period.month is None:
            year = str(period.year)
            return t("gui_recap_this_year", year=year) if position == 1 else year
        month = f"{locale.standaloneMonthName(period.month)} {period.year}"
        return t("gui_recap_this_month", month=month) if position == 0 else month

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_recap"))
        self._intro.setText(t("gui_recap_intro"))
        self._period_label.setText(t("gui_recap_period"))
        self._victims_title.setText(t("gui_recap_victims_heading"))
        self._child_hint.setText(t("gui_recap_child_hint"))
        self._note.setText(t("gui_recap_note"))
        self.no_cases.setText(t("gui_recap_no_cases"))
        for n, period in enumerate(self._periods):
            self.period.setItemText(n, self._period_text(period, n))
        self._retranslate_status()
        self.chart.show_recap(self.result.cases if self.result is not None else None)
        self.outreach.retranslate()
        self._update_summary()
