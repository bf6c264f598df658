"""The cases list: a read-only table over the working set's case summaries, with search and
filters (issue 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QIdentityProxyModel,
    QModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import RecordView
from desktop.ui import ops
from desktop.ui.caseform_fields import DateField
from desktop.ui.context import AppContext
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import Debouncer, heading, set_tone
from simpul.records.taxonomy import load_taxonomy

__all__ = ["CaseFilter", "CaseRow", "CaseTableModel", "CasesPage"]

SEARCH_DELAY_MS = 60
"""Search as you type answers the first key at once, then waits this long for a pause."""


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the cases table (from the sealed list summary, never the document)."""

    record_id: str
    code: str
    reported_on: str
    status: str
    victims: int
    needs_review: bool
    violence_types: tuple[str, ...] = ()
    tppo: bool = False

    @classmethod
    def from_view(cls, view: RecordView) -> CaseRow:
        """The row of a case view."""
        summary = view.summary
        return cls(
            record_id=view.record_id,
            code=view.code,
            reported_on=view.main_date or "",
            status=str(summary.get("status") or ""),
            victims=int(summary.get("victims") or 0),
            needs_review=view.needs_review,
            violence_types=tuple(str(t) for t in summary.get("violence_types") or ()),
            tppo=bool(summary.get("tppo")),
        )


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the filters above the table ask for (None or False: no condition)."""

    status: str | None = None
    violence_type: str | None = None
    tppo_only: bool = False
    reported_from: str | None = None
    reported_to: str | None = None

    @property
    def active(self) -> bool:
        """True when at least one condition is set."""
        return self != CaseFilter()

    def accepts(self, row: CaseRow) -> bool:
        """Whether ``row`` meets every condition (ISO dates compare as text)."""
        if self.status is not None and row.status != self.status:
            return False
        if self.violence_type is not None and self.violence_type not in row.violence_types:
            return False
        if self.tppo_only and not row.tppo:
            return False
        if self.reported_from is not None and not (
            row.reported_on and row.reported_on >= self.reported_from
        ):
            return False
        return self.reported_to is None or bool(
            row.reported_on and row.reported_on <= self.reported_to
        )


def display_date(iso: str) -> str:
    """``2025-03-07`` as ``07/03/2025`` (day first, as Indonesian forms write it)."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


class CaseTableModel(RowTableModel[CaseRow]):
    """Columns: case code, reported date, status, number of victims, needs review."""

    CODE, REPORTED, STATUS, VICTIMS, REVIEW = range(5)
    HEADERS = (
        "gui_col_code",
        "gui_col_reported",
        "gui_col_status",
        "gui_col_victims",
        "gui_col_review",
    )
    NUMBER_COLUMNS = frozenset({VICTIMS})
    LABEL_COLUMNS = frozenset({STATUS})

    def display(self, row: CaseRow, column: int) -> str | None:
        if column == self.CODE:
            return row.code
        if column == self.REPORTED:
            return display_date(row.reported_on) if row.reported_on else "-"
        if column == self.STATUS:
            return self._texts.label("case_status", row.status)
        if column == self.VICTIMS:
            return str(row.victims)
        if column == self.REVIEW:
            return self._texts.t("gui_needs_review") if row.needs_review else ""
        return None

    def sort_key(self, row: CaseRow, column: int) -> Any:
        if column == self.VICTIMS:
            return row.victims
        if column == self.REVIEW:
            return int(row.needs_review)
        if column == self.REPORTED:
            return row.reported_on
        return self.display(row, column) or ""

    def tooltip(self, row: CaseRow, column: int) -> str | None:
        if column == self.REVIEW and row.needs_review:
            return self._texts.t("gui_review_tooltip")
        return None


class CasesPage(QWidget):
    """The "Kasus" page: search, filters and the table, sortable by any column.

    Filtering runs on the UI thread over the in-memory working set (``Store.search`` for the
    text); nothing is decrypted or read from disk per keystroke.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._all: list[CaseRow] = []
        self.search = QLineEdit()
        self.search.setObjectName("cases_search")
        self.search.setClearButtonEnabled(True)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        self._search_timer = Debouncer(self.apply_filters, SEARCH_DELAY_MS, self)
        self.search.textChanged.connect(self._search_timer.trigger)
        self.status_filter = QComboBox()
        self.violence_filter = QComboBox()
        self.tppo_filter = QCheckBox()
        self.date_from = DateField()
        self.date_to = DateField()
        self._status_label = QLabel()
        self._status_label.setBuddy(self.status_filter)
        self._violence_label = QLabel()
        self._violence_label.setBuddy(self.violence_filter)
        self._from_label = QLabel()
        self._from_label.setBuddy(self.date_from)
        self._to_label = QLabel()
        self._to_label.setBuddy(self.date_to)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.violence_filter.currentIndexChanged.connect(self.apply_filters)
        self.tppo_filter.toggled.connect(self.apply_filters)
        self.date_from.textChanged.connect(self._search_timer.trigger)
        self.date_to.textChanged.connect(self._search_timer.trigger)
        self.model = CaseTableModel(ctx.texts, self)
        # a pass-through: sorting happens in the model, filtering before the rows reach it
        self.proxy = QIdentityProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("cases_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseTableModel.REPORTED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CaseTableModel.STATUS, QHeaderView.ResizeMode.Stretch)
        # measure the rows in view only: the default (1,000 rows) asks `data` ~30,000 times
        # per search keystroke over a village's cases
        header.setResizeContentsPrecision(0)
        self.table.verticalHeader().setDefaultSectionSize(26)
        # double-click or Enter on a row opens the case (summary and history)
        self.table.activated.connect(self._open_row)
        self._title = heading(1)
        self.count = QLabel()
        set_tone(self.count, "hint")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        search_row = QHBoxLayout()
        search_row.addWidget(self._search_label)
        search_row.addWidget(self.search, 1)
        filter_row = QHBoxLayout()
        for widget in (
            self._status_label,
            self.status_filter,
            self._violence_label,
            self.violence_filter,
            self.tppo_filter,
            self._from_label,
            self.date_from,
            self._to_label,
            self.date_to,
        ):
            filter_row.addWidget(widget)
        filter_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)  # takes the table's room while it is hidden
        ctx.unlocked.connect(self.refresh)
        ctx.records_changed.connect(self.refresh)
        ctx.locked.connect(self.clear)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    @Slot()
    def refresh(self) -> None:
        """Show the cases of the working set (through the search and filters)."""
        self._all = [CaseRow.from_view(v) for v in ops.case_views(self._ctx)]
        self.apply_filters()

    def current_filter(self) -> CaseFilter:
        """The conditions the filter widgets ask for (a date not yet valid is ignored)."""
        return CaseFilter(
            status=self.status_filter.currentData(),
            violence_type=self.violence_filter.currentData(),
            tppo_only=self.tppo_filter.isChecked(),
            reported_from=self.date_from.value(),
            reported_to=self.date_to.value(),
        )

    @Slot()
    def apply_filters(self) -> None:
        """Show the rows that match the search text and every filter."""
        rows = self._all
        text = self.search.text().strip()
        if text:
            found = ops.search_case_ids(self._ctx, text)
            rows = [r for r in rows if r.record_id in found]
        conditions = self.current_filter()
        if conditions.active:
            rows = [r for r in rows if conditions.accepts(r)]
        self.model.set_rows(rows)
        self._update_count()

    @property
    def filtering(self) -> bool:
        """True when the search text or a filter narrows the list."""
        return bool(self.search.text().strip()) or self.current_filter().active

    @Slot(QModelIndex)
    def _open_row(self, index: QModelIndex) -> None:
        from desktop.ui.casedetail import open_case_view

        source = self.proxy.mapToSource(index)
        if source.isValid() and self._ctx.store is not None:
            open_case_view(self._ctx, self.model.row_at(source.row()).record_id, self.window())

    @Slot()
    def clear(self) -> None:
        """Forget every row, the search text and the filters (on lock: the text may be a
        name)."""
        self._search_timer.cancel()
        self._all = []
        for widget in (self.search, self.date_from, self.date_to):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        for combo in (self.status_filter, self.violence_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.tppo_filter.blockSignals(True)
        self.tppo_filter.setChecked(False)
        self.tppo_filter.blockSignals(False)
        self.model.set_rows([])
        self._update_count()

    def _update_count(self) -> None:
        t = self._ctx.texts.t
        rows, total = self.model.rowCount(), len(self._all)
        if self.filtering and total:
            self.count.setText(t("gui_cases_count_filtered", shown=rows, count=total))
        else:
            self.count.setText(t("gui_cases_count", count=rows))
        self.empty.setText(t("gui_cases_no_match") if total else t("gui_cases_empty"))
        self.empty.setVisible(rows == 0)
        self.table.setVisible(rows > 0)

    def _fill_combo(self, combo: QComboBox, list_name: str) -> None:
        """Taxonomy labels in the UI language, "Semua" first; keeps the chosen code."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self._ctx.texts.t("gui_cases_filter_all"), None)
        for code in load_taxonomy().codes(list_name):
            combo.addItem(self._ctx.texts.label(list_name, code), code)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_cases"))
        self._search_label.setText(t("gui_cases_search"))
        self.search.setPlaceholderText(t("gui_cases_search_hint"))
        self._status_label.setText(t("gui_col_status"))
        self._violence_label.setText(t("gui_cases_filter_violence"))
        self.tppo_filter.setText(t("gui_cases_filter_tppo"))
        self._from_label.setText(t("gui_cases_filter_from"))
        self._to_label.setText(t("gui_cases_filter_to"))
        self._fill_combo(self.status_filter, "case_status")
        self._fill_combo(self.violence_filter, "violence_type")
        self._update_count()
