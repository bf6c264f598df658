"""The cases list: a read-only table over the working set's case summaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import RecordView
from desktop.ui import ops
from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.widgets import heading, set_tone

__all__ = ["CaseRow", "CaseTableModel", "CasesPage"]

SORT_ROLE = Qt.ItemDataRole.UserRole
"""The raw value a column sorts by (ISO date, count) rather than its display text."""

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the cases table (from the sealed list summary, never the document)."""

    record_id: str
    code: str
    reported_on: str
    status: str
    victims: int
    needs_review: bool

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
        )


def display_date(iso: str) -> str:
    """``2025-03-07`` as ``07/03/2025`` (day first, as Indonesian forms write it)."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


class CaseTableModel(QAbstractTableModel):
    """Columns: case code, reported date, status, number of victims, needs review."""

    CODE, REPORTED, STATUS, VICTIMS, REVIEW = range(5)
    _HEADERS = (
        "gui_col_code",
        "gui_col_reported",
        "gui_col_status",
        "gui_col_victims",
        "gui_col_review",
    )

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._rows: list[CaseRow] = []
        texts.changed.connect(self._on_language_changed)

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        """Replace every row (after unlock, a save or a sync; empty on lock)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CaseRow:
        """The case shown on ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VICTIMS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REVIEW and row.needs_review:
            return self._texts.t("gui_review_tooltip")
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._HEADERS)
        ):
            return self._texts.t(self._HEADERS[section])
        return None

    def _display(self, row: CaseRow, column: int) -> str | None:
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

    def _sort_key(self, row: CaseRow, column: int) -> object:
        if column == self.VICTIMS:
            return row.victims
        if column == self.REVIEW:
            return int(row.needs_review)
        if column == self.REPORTED:
            return row.reported_on
        return self._display(row, column)

    @Slot()
    def _on_language_changed(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._HEADERS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._HEADERS) - 1)
            )


class CasesPage(QWidget):
    """The "Kasus" page: the table, sortable by any column; refreshed from the working set."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = CaseTableModel(ctx.texts, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
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
        self.table.verticalHeader().setDefaultSectionSize(26)
        # double-click or Enter on a row opens the case (summary and history)
        self.table.activated.connect(self._open_row)
        self._title = heading(1)
        self.count = QLabel()
        set_tone(self.count, "hint")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        ctx.unlocked.connect(self.refresh)
        ctx.records_changed.connect(self.refresh)
        ctx.locked.connect(self.clear)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    @Slot()
    def refresh(self) -> None:
        """Show the cases of the working set."""
        self.model.set_rows([CaseRow.from_view(v) for v in ops.case_views(self._ctx)])
        self._update_count()

    @Slot(QModelIndex)
    def _open_row(self, index: QModelIndex) -> None:
        from desktop.ui.casedetail import open_case_view

        source = self.proxy.mapToSource(index)
        if source.isValid() and self._ctx.store is not None:
            open_case_view(self._ctx, self.model.row_at(source.row()).record_id, self.window())

    @Slot()
    def clear(self) -> None:
        """Forget every row (on lock)."""
        self.model.set_rows([])
        self._update_count()

    def _update_count(self) -> None:
        rows = self.model.rowCount()
        self.count.setText(self._ctx.texts.t("gui_cases_count", count=rows))
        self.empty.setVisible(rows == 0)
        self.table.setVisible(rows > 0)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_cases"))
        self.empty.setText(t("gui_cases_empty"))
        self._update_count()
