"""The outreach list: the village's activities (sosialisasi, penyuluhan, ...) in a table, with
search as you type and a button for a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import RecordView, Store
from desktop.ui.cases import SEARCH_DELAY_MS, display_date
from desktop.ui.context import AppContext
from desktop.ui.tablemodel import SORT_ROLE, RowTableModel
from desktop.ui.widgets import Debouncer, heading, set_tone
from simpul.errors import UserError
from simpul.records.wilayah import load_regions

__all__ = ["NEW_SHORTCUT", "OutreachPage", "OutreachRow", "OutreachTableModel", "load_rows"]

NEW_SHORTCUT = "Ctrl+Shift+N"
"""Opens the form for a new activity while the page is shown (Ctrl+N is a new case)."""

_Index = QModelIndex | QPersistentModelIndex


def _village_name(code: str) -> str:
    regions = load_regions()
    return regions.village(code).name if regions.is_village(code) else code


@dataclass(frozen=True, slots=True)
class OutreachRow:
    """One line of the outreach table: the activity, never a participant."""

    record_id: str
    code: str
    held_on: str
    title: str
    type: str
    venue_village: str
    participants: int
    needs_review: bool
    haystack: str = field(default="", repr=False)
    """What search looks in: code, title, venue and venue village (case-folded)."""

    @classmethod
    def from_view(cls, view: RecordView) -> OutreachRow:
        """The row of an outreach view (opens its document: the venue is not in the summary)."""
        summary, doc = view.summary, view.doc
        village = str(doc.get("venue_village") or "")
        title = str(summary.get("title") or "")
        parts = [view.code, title, str(doc.get("venue") or "")]
        if village:
            parts.append(_village_name(village))
        return cls(
            record_id=view.record_id,
            code=view.code,
            held_on=view.main_date or "",
            title=title,
            type=str(summary.get("type") or ""),
            venue_village=village,
            participants=int(summary.get("participants") or 0),
            needs_review=view.needs_review,
            haystack="\n".join(parts).casefold(),
        )

    def matches(self, text: str) -> bool:
        """Whether ``text`` is part of the code, title, venue or venue village."""
        return text.strip().casefold() in self.haystack


def load_rows(store: Store) -> list[OutreachRow]:
    """The rows of every outreach record of the working set, newest first (run on the
    worker: each document is opened)."""
    return [OutreachRow.from_view(v) for v in store.records("outreach")]


class OutreachTableModel(RowTableModel[OutreachRow]):
    """Columns: record code, date held, title, type, venue village, participants, review."""

    CODE, HELD, TITLE, TYPE, VILLAGE, PARTICIPANTS, REVIEW = range(7)
    HEADERS = (
        "gui_outreach_col_code",
        "gui_outreach_col_held",
        "gui_outreach_col_title",
        "gui_outreach_col_type",
        "gui_outreach_col_village",
        "gui_outreach_col_participants",
        "gui_col_review",
    )
    NUMBER_COLUMNS = frozenset({PARTICIPANTS})
    LABEL_COLUMNS = frozenset({TYPE})

    def display(self, row: OutreachRow, column: int) -> str | None:
        if column == self.CODE:
            return row.code
        if column == self.HELD:
            return display_date(row.held_on) if row.held_on else "-"
        if column == self.TITLE:
            return row.title
        if column == self.TYPE:
            return self._texts.label("outreach_type", row.type or None)
        if column == self.VILLAGE:
            return _village_name(row.venue_village) if row.venue_village else "-"
        if column == self.PARTICIPANTS:
            return str(row.participants)
        if column == self.REVIEW:
            return self._texts.t("gui_needs_review") if row.needs_review else ""
        return None

    def sort_key(self, row: OutreachRow, column: int) -> Any:
        if column == self.PARTICIPANTS:
            return row.participants
        if column == self.REVIEW:
            return int(row.needs_review)
        if column == self.HELD:
            return row.held_on
        return (self.display(row, column) or "").casefold()

    def tooltip(self, row: OutreachRow, column: int) -> str | None:
        if column == self.REVIEW and row.needs_review:
            return self._texts.t("gui_review_tooltip")
        return None


class OutreachPage(QWidget):
    """The "Sosialisasi" page: a new-activity button, search, and the table (sortable by
    any column; double-click or Enter opens an activity in its form).

    The rows are read on the worker (each document is opened for its venue); search filters
    them in memory as you type.

    Signals:
        count_changed: The number of activities held (after a refresh; 0 on lock).
    """

    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._all: list[OutreachRow] = []
        self._generation = 0
        self._title = heading(1)
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_outreach")
        self.new_button.clicked.connect(self.open_new)
        self.new_shortcut = QShortcut(QKeySequence(NEW_SHORTCUT), self)
        # the page's window, while the page is shown (a hidden widget's shortcut is off)
        self.new_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.new_shortcut.activated.connect(self.open_new)
        self.search = QLineEdit()
        self.search.setObjectName("outreach_search")
        self.search.setClearButtonEnabled(True)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        self._search_timer = Debouncer(self.apply_search, SEARCH_DELAY_MS, self)
        self.search.textChanged.connect(self._search_timer.trigger)
        self.model = OutreachTableModel(ctx.texts, self)
        self.proxy = QSortFilterProxyModel(self)  # a village holds tens to hundreds of events
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("outreach_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(OutreachTableModel.HELD, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OutreachTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(0)
        self.table.activated.connect(self._open_row)
        self.count = QLabel()
        set_tone(self.count, "hint")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        title_row = QHBoxLayout()
        title_row.addWidget(self._title, 1)
        title_row.addWidget(self.new_button)
        search_row = QHBoxLayout()
        search_row.addWidget(self._search_label)
        search_row.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addLayout(search_row)
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
        """Read the activities of the working set again (on the worker)."""
        store = self._ctx.store
        if store is None:
            return
        self._generation += 1
        generation = self._generation
        self._ctx.runner.submit(
            lambda: load_rows(store),
            done=lambda rows: self._on_rows_loaded(generation, rows),
            failed=self._on_load_failed,
        )

    def _on_rows_loaded(self, generation: int, rows: list[OutreachRow]) -> None:
        if generation != self._generation or self._ctx.store is None:
            return  # a newer refresh is on its way, or the profile was locked meanwhile
        self._all = rows
        self.apply_search()
        self.count_changed.emit(len(rows))

    def _on_load_failed(self, exc: UserError) -> None:
        self.empty.setText(self._ctx.texts.error(exc))

    @Slot()
    def apply_search(self) -> None:
        """Show the activities whose code, title, venue or venue village hold the text."""
        text = self.search.text().strip()
        rows = [r for r in self._all if r.matches(text)] if text else self._all
        self.model.set_rows(rows)
        self._update_count()

    @Slot()
    def open_new(self) -> None:
        """Open the form for a new activity (the button, or Ctrl+Shift+N on this page)."""
        from desktop.ui.outreachform import open_new_outreach

        if self._ctx.store is not None:
            open_new_outreach(self._ctx, self.window())

    @Slot(QModelIndex)
    def _open_row(self, index: QModelIndex) -> None:
        from desktop.ui.outreachform import open_edit_outreach

        source = self.proxy.mapToSource(index)
        if source.isValid() and self._ctx.store is not None:
            open_edit_outreach(self._ctx, self.model.row_at(source.row()).record_id, self.window())

    @Slot()
    def clear(self) -> None:
        """Forget every row and the search text (on lock)."""
        self._generation += 1  # a load still running is dropped when it arrives
        self._search_timer.cancel()
        self._all = []
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_rows([])
        self._update_count()
        self.count_changed.emit(0)

    def _update_count(self) -> None:
        t = self._ctx.texts.t
        rows, total = self.model.rowCount(), len(self._all)
        if self.search.text().strip() and total:
            self.count.setText(t("gui_outreach_count_filtered", shown=rows, count=total))
        else:
            self.count.setText(t("gui_outreach_count", count=rows))
        self.empty.setText(t("gui_outreach_no_match") if total else t("gui_outreach_empty"))
        self.empty.setVisible(rows == 0)
        self.table.setVisible(rows > 0)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_outreach"))
        self.new_button.setText(t("gui_outreach_new", keys=NEW_SHORTCUT))
        self._search_label.setText(t("gui_outreach_search"))
        self.search.setPlaceholderText(t("gui_outreach_search_hint"))
        self._update_count()
