"""District mode's case table: every village's cases, read page by page from the server.

The server holds tens of thousands of cases, so the table never holds more than one page
(:data:`PAGE_SIZE` rows): the filters, the search (case codes only — names are sealed on the
server) and the sort order are sent to ``GET /v1/records`` on the worker, which answers one
page and the total. Every filter change or search burst (debounced) asks for page 1 again;
an answer to a request that a newer one replaced is dropped. Double-click or Enter opens the
case (:mod:`desktop.ui.district.caseview`). Signing out empties the table and the filters and
closes every case window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.errors import OfflineError
from desktop.sync.staff import RecordPage, RecordSummary
from desktop.ui.caseform_fields import DateField
from desktop.ui.caseform_rules import display_date
from desktop.ui.district.caseview import DistrictCaseWindow
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.fetch import PageFetches
from desktop.ui.language import Texts
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import busy_bar, heading, row_table, set_tone
from simpul.errors import UserError
from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import load_regions

__all__ = [
    "PAGE_SIZE",
    "SEARCH_DELAY_MS",
    "SORTS",
    "CaseQuery",
    "DistrictCaseModel",
    "DistrictCasesPage",
]

PAGE_SIZE = 100
"""Rows per page (one request)."""

SEARCH_DELAY_MS = 250
"""Typing in the search or a date waits this long after the last key before asking."""

SORTS: tuple[str, ...] = ("reported", "code", "village", "status", "updated")
"""The server's sort orders, in the order the sort box offers them."""

_OVERDUE_COLOUR = QColor("#b71c1c")
_REVIEW_COLOUR = QColor("#7a5200")


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the filters and the search ask the server for (None / False / "": any)."""

    kecamatan: str | None = None
    village: str | None = None
    status: str | None = None
    violence_type: str | None = None
    tppo: bool = False
    reported_from: date | None = None
    reported_to: date | None = None
    needs_review: bool = False
    overdue: bool = False
    q: str = ""
    sort: str = "reported"

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`StaffClient.list_records` (cases only)."""
        return {
            "kind": "case",
            "kecamatan": self.kecamatan,
            "village": self.village,
            "status": self.status,
            "violence_type": self.violence_type,
            "tppo": True if self.tppo else None,
            "reported_from": self.reported_from,
            "reported_to": self.reported_to,
            "needs_review": True if self.needs_review else None,
            "overdue": True if self.overdue else None,
            "q": self.q.strip() or None,
            "sort": self.sort,
        }


def _village_name(code: str) -> str:
    regions = load_regions()
    return regions.village(code).name if regions.is_village(code) else code


def _kecamatan_name(code: str) -> str:
    names = _kecamatan_names()
    return names.get(code, code)


_KECAMATAN_NAMES: dict[str, str] = {}


def _kecamatan_names() -> dict[str, str]:
    if not _KECAMATAN_NAMES:
        _KECAMATAN_NAMES.update({k.code: k.name for k in load_regions().kecamatans()})
    return _KECAMATAN_NAMES


class DistrictCaseModel(RowTableModel[RecordSummary]):
    """One page of the district case table; the server sorts and filters.

    Columns: case code, kecamatan, village, reported date, violence types, victims, status,
    TPPO, needs review, overdue (the UU TPKS 3×24-hour police deadline passed, in red).
    """

    (CODE, KECAMATAN, VILLAGE, REPORTED, VIOLENCE, VICTIMS, STATUS, TPPO, REVIEW, OVERDUE) = range(
        10
    )
    HEADERS: ClassVar[tuple[str, ...]] = (
        "gui_dm_cases_col_code",
        "gui_dm_cases_col_kecamatan",
        "gui_dm_cases_col_village",
        "gui_dm_cases_col_reported",
        "gui_dm_cases_col_violence",
        "gui_dm_cases_col_victims",
        "gui_dm_cases_col_status",
        "gui_dm_cases_col_tppo",
        "gui_dm_cases_col_review",
        "gui_dm_cases_col_overdue",
    )
    NUMBER_COLUMNS: ClassVar[frozenset[int]] = frozenset({VICTIMS})

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(texts, parent)

    def display(self, row: RecordSummary, column: int) -> str | None:
        t = self._texts.t
        if column == self.CODE:
            return row.code or "-"
        if column == self.KECAMATAN:
            return _kecamatan_name(row.kecamatan)
        if column == self.VILLAGE:
            return _village_name(row.village)
        if column == self.REPORTED:
            return display_date(row.reported_on) or "-"
        if column == self.VIOLENCE:
            return ", ".join(self._texts.label("violence_type", v) for v in row.violence_types)
        if column == self.VICTIMS:
            return str(row.victims)
        if column == self.STATUS:
            return self._texts.label("case_status", row.status)
        if column == self.TPPO:
            return t("gui_dm_cases_yes") if row.tppo else ""
        if column == self.REVIEW:
            return t("gui_dm_cases_review_mark") if row.needs_review else ""
        if column == self.OVERDUE:
            return t("gui_dm_cases_overdue_mark") if row.overdue else ""
        return None

    def tooltip(self, row: RecordSummary, column: int) -> str | None:
        if column == self.OVERDUE and row.overdue:
            return self._texts.t("gui_dm_cases_overdue_tip")
        if column == self.REVIEW and row.needs_review:
            return self._texts.t("gui_dm_cases_review_tip")
        if column == self.VIOLENCE:
            return self.display(row, column) or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The server sorts (the sort box): a page is never re-sorted on its own."""

    def foreground(self, row: RecordSummary, column: int) -> object:
        if column == self.OVERDUE and row.overdue:
            return QBrush(_OVERDUE_COLOUR)
        if column == self.REVIEW and row.needs_review:
            return QBrush(_REVIEW_COLOUR)
        return None


class DistrictCasesPage(QWidget):
    """The "Kasus" page of district mode: filters, search by case code, one page of the
    cases, paging, and the case windows opened from it.

    Signals:
        page_loaded: A page (or an empty answer) is shown (tests wait for it).
    """

    page_loaded = Signal()

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._failure: UserError | None = None
        self._offset = 0
        self.total = 0
        self.loaded_query: CaseQuery | None = None
        """The query of the page shown (None: nothing shown)."""
        self.windows: list[DistrictCaseWindow] = []
        """The case windows open now."""
        self._regions = load_regions()

        self._title = heading(1)
        self.kecamatan_filter = QComboBox()
        self.kecamatan_filter.setObjectName("filter_kecamatan")
        self.village_filter = QComboBox()
        self.village_filter.setObjectName("filter_village")
        self.village_filter.setMinimumContentsLength(14)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("filter_status")
        self.violence_filter = QComboBox()
        self.violence_filter.setObjectName("filter_violence")
        self.tppo_filter = QCheckBox()
        self.tppo_filter.setObjectName("filter_tppo")
        self.review_filter = QCheckBox()
        self.review_filter.setObjectName("filter_review")
        self.overdue_filter = QCheckBox()
        self.overdue_filter.setObjectName("filter_overdue")
        self.date_from = DateField()
        self.date_from.setObjectName("filter_from")
        self.date_to = DateField()
        self.date_to.setObjectName("filter_to")
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("sort")
        self.search = QLineEdit()
        self.search.setObjectName("cases_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(64)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clear_filters")
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("reload")
        self._labels: dict[str, QLabel] = {}

        def label(code: str, buddy: QWidget) -> QLabel:
            widget = QLabel()
            widget.setBuddy(buddy)
            self._labels[code] = widget
            return widget

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)

        self.model = DistrictCaseModel(ctx.texts, self)
        # Widths are measured once per session and language (first page), not at every page
        # or filter change: measuring asks ``data`` thousands of times (the 300 ms budget).
        self.table = row_table(
            self.model, "district_cases_table", DistrictCaseModel.VIOLENCE, fit=False
        )
        self.table.horizontalHeader().setResizeContentsPrecision(0)
        self._sized = False
        self.table.activated.connect(self._open_row)

        self.count = QLabel()
        self.count.setObjectName("cases_count")
        self.count.setProperty("heading", 2)
        self.range_label = QLabel()
        set_tone(self.range_label, "hint")
        self.busy = busy_bar()
        self.busy.setMaximumWidth(160)
        self._fetches = PageFetches(ctx, self.busy)
        self.prev_button = QPushButton()
        self.prev_button.setObjectName("prev_page")
        self.next_button = QPushButton()
        self.next_button.setObjectName("next_page")
        self.message = QLabel()
        self.message.setObjectName("cases_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.empty = QLabel()
        self.empty.setObjectName("cases_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        set_tone(self.empty, "hint")
        self.empty.hide()

        first = QHBoxLayout()
        for code, widget in (
            ("gui_dm_cases_kecamatan", self.kecamatan_filter),
            ("gui_dm_cases_village", self.village_filter),
            ("gui_dm_cases_status", self.status_filter),
            ("gui_dm_cases_violence", self.violence_filter),
        ):
            first.addWidget(label(code, widget))
            first.addWidget(widget, 1)
        second = QHBoxLayout()
        second.addWidget(label("gui_dm_cases_from", self.date_from))
        second.addWidget(self.date_from)
        second.addWidget(label("gui_dm_cases_to", self.date_to))
        second.addWidget(self.date_to)
        second.addSpacing(12)
        for box in (self.tppo_filter, self.review_filter, self.overdue_filter):
            second.addWidget(box)
        second.addStretch(1)
        second.addWidget(label("gui_dm_cases_sort", self.sort_box))
        second.addWidget(self.sort_box)
        third = QHBoxLayout()
        third.addWidget(label("gui_dm_cases_search", self.search))
        third.addWidget(self.search, 1)
        third.addWidget(self.clear_button)
        third.addWidget(self.reload_button)
        counts = QHBoxLayout()
        counts.addWidget(self.count)
        counts.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignVCenter)
        counts.addStretch(1)
        counts.addWidget(self.range_label)
        counts.addWidget(self.prev_button)
        counts.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addLayout(third)
        layout.addWidget(self.message)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

        self.kecamatan_filter.currentIndexChanged.connect(self._on_kecamatan_changed)
        for combo in (self.village_filter, self.status_filter, self.violence_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.sort_box.currentIndexChanged.connect(self._on_filter_changed)
        for box in (self.tppo_filter, self.review_filter, self.overdue_filter):
            box.toggled.connect(self._on_filter_changed)
        for field in (self.search, self.date_from, self.date_to):
            field.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self.refresh)
        self.clear_button.clicked.connect(self.clear_filters)
        self.reload_button.clicked.connect(self.reload)
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        ctx.signed_in.connect(self._on_signed_in)
        ctx.signed_out.connect(self.clear)
        ctx.records_changed.connect(self.reload)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._show_state()

    # ------------------------------------------------------------------ the query

    def current_query(self) -> CaseQuery:
        """What the filters ask for (a date not yet complete is ignored)."""
        return CaseQuery(
            kecamatan=self.kecamatan_filter.currentData(),
            village=self.village_filter.currentData(),
            status=self.status_filter.currentData(),
            violence_type=self.violence_filter.currentData(),
            tppo=self.tppo_filter.isChecked(),
            reported_from=_day(self.date_from.value()),
            reported_to=_day(self.date_to.value()),
            needs_review=self.review_filter.isChecked(),
            overdue=self.overdue_filter.isChecked(),
            q=self.search.text(),
            sort=self.sort_box.currentData() or "reported",
        )

    @property
    def busy_now(self) -> bool:
        """Whether an answer is awaited."""
        return not self.busy.isHidden()

    # ------------------------------------------------------------------ fetching

    @Slot()
    def refresh(self) -> None:
        """Ask for page 1 of the current filters."""
        self._fetch(0)

    @Slot()
    def reload(self) -> None:
        """Ask for the page shown again (after a follow-up, or Reload)."""
        self._fetch(self._offset if self.loaded_query == self.current_query() else 0)

    @Slot()
    def next_page(self) -> None:
        """The next :data:`PAGE_SIZE` cases."""
        if self._offset + PAGE_SIZE < self.total:
            self._fetch(self._offset + PAGE_SIZE)

    @Slot()
    def previous_page(self) -> None:
        """The previous :data:`PAGE_SIZE` cases."""
        if self._offset > 0:
            self._fetch(max(0, self._offset - PAGE_SIZE))

    def _fetch(self, offset: int) -> None:
        self._debounce.stop()
        client = self._ctx.client
        if client is None or not self._ctx.can("read"):
            return
        self._fetches.drop()  # an answer still on its way is replaced by this one
        query = self.current_query()
        self._show_problem_dates()
        arguments = query.arguments()

        def work() -> RecordPage:
            page: RecordPage = client.list_records(**arguments, limit=PAGE_SIZE, offset=offset)
            return page

        self._fetches.submit(work, lambda page: self._on_page(query, page), self._on_failed)

    def _on_page(self, query: CaseQuery, page: RecordPage) -> None:
        self._failure = None
        self.message.hide()
        self.loaded_query = query
        self._offset = page.offset
        self.total = page.total
        self.model.set_rows(list(page.records))
        if not self._sized and page.records:
            self._sized = True
            self.table.resizeColumnsToContents()
        self._show_state()
        self.page_loaded.emit()

    def _on_failed(self, exc: UserError) -> None:
        self._failure = exc
        self._show_failure()
        self._show_state()
        self.page_loaded.emit()

    def _show_failure(self) -> None:
        exc = self._failure
        if exc is None:
            self.message.hide()
            return
        if isinstance(exc, OfflineError):
            self.message.setText(self._ctx.texts.t("gui_dm_cases_offline"))
            set_tone(self.message, "hint")
        else:
            self.message.setText(self._ctx.texts.error(exc))
            set_tone(self.message, "problem")
        self.message.show()

    # ------------------------------------------------------------------ reacting

    @Slot()
    def _on_signed_in(self) -> None:
        self.refresh()

    @Slot()
    def _on_filter_changed(self) -> None:
        self.refresh()

    @Slot()
    def _on_text_changed(self) -> None:
        self._debounce.start()

    @Slot()
    def _on_kecamatan_changed(self) -> None:
        self._fill_villages()
        self.refresh()

    @Slot()
    def clear_filters(self) -> None:
        """Every filter and the search back to "any", then page 1."""
        self._reset_filters()
        self.refresh()

    def _reset_filters(self) -> None:
        widgets: list[QWidget] = [
            self.kecamatan_filter,
            self.village_filter,
            self.status_filter,
            self.violence_filter,
            self.sort_box,
            self.tppo_filter,
            self.review_filter,
            self.overdue_filter,
            self.search,
            self.date_from,
            self.date_to,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        for combo in (
            self.kecamatan_filter,
            self.status_filter,
            self.violence_filter,
            self.sort_box,
        ):
            combo.setCurrentIndex(0)
        self._fill_villages()
        self.village_filter.setCurrentIndex(0)
        for box in (self.tppo_filter, self.review_filter, self.overdue_filter):
            box.setChecked(False)
        for field in (self.search, self.date_from, self.date_to):
            field.clear()
        for widget in widgets:
            widget.blockSignals(False)

    @Slot()
    def clear(self) -> None:
        """Forget every row, the filters and the search, and close every case window (on
        sign-out: the search text may be anything a person typed)."""
        self._debounce.stop()
        self._fetches.drop()  # an answer still on its way is dropped
        for window in list(self.windows):
            window.close()
        self.windows.clear()
        self._reset_filters()
        self.loaded_query = None
        self._offset = 0
        self.total = 0
        self.model.set_rows([])
        self._sized = False
        self._failure = None
        self.message.hide()
        self._show_state()

    @Slot(QModelIndex)
    def _open_row(self, index: QModelIndex) -> None:
        if not index.isValid() or self._ctx.client is None:
            return
        row = self.model.row_at(index.row())
        for window in self.windows:
            if window.record_id == row.record_id:
                window.raise_()
                window.activateWindow()
                return
        window = DistrictCaseWindow(self._ctx, row.record_id, row.code, self.window())
        window.destroyed.connect(lambda _=None, w=window: self._forget_window(w))
        self.windows.append(window)
        window.show()

    def _forget_window(self, window: DistrictCaseWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    # ------------------------------------------------------------------ showing

    def _show_problem_dates(self) -> None:
        bad = [f for f in (self.date_from, self.date_to) if not f.is_valid()]
        for field in (self.date_from, self.date_to):
            field.setToolTip(self._ctx.texts.t("gui_dm_cases_bad_date") if field in bad else "")

    def _show_state(self) -> None:
        t = self._ctx.texts.t
        lang = self._ctx.texts.lang
        rows = self.model.rowCount()
        shown = self.loaded_query is not None
        self.count.setText(
            t("gui_dm_cases_count", count=_number(self.total, lang)) if shown else ""
        )
        if shown and rows:
            self.range_label.setText(
                t(
                    "gui_dm_cases_range",
                    first=_number(self._offset + 1, lang),
                    last=_number(self._offset + rows, lang),
                    count=_number(self.total, lang),
                )
            )
        else:
            self.range_label.clear()
        self.prev_button.setEnabled(shown and self._offset > 0)
        self.next_button.setEnabled(shown and self._offset + rows < self.total)
        filtering = self.loaded_query is not None and self.loaded_query != CaseQuery(
            sort=self.loaded_query.sort
        )
        self.empty.setText(t("gui_dm_cases_no_match") if filtering else t("gui_dm_cases_empty"))
        self.empty.setVisible(shown and rows == 0)
        self.table.setVisible(not (shown and rows == 0))

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
        """Replace the entries, keeping the chosen one (signals blocked)."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _fill_villages(self) -> None:
        kecamatan = self.kecamatan_filter.currentData()
        items: list[tuple[str, str | None]] = [(self._ctx.texts.t("gui_dm_cases_all"), None)]
        for village in self._regions.villages(kecamatan):
            text = village.name
            if kecamatan is None:
                text = f"{village.name} ({village.kecamatan_name})"
            items.append((text, village.code))
        self._fill_combo(self.village_filter, items)

    def _taxonomy_items(self, list_name: str) -> list[tuple[str, str | None]]:
        texts = self._ctx.texts
        return [(texts.t("gui_dm_cases_all"), None)] + [
            (texts.label(list_name, code), code) for code in load_taxonomy().codes(list_name)
        ]

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_cases_title"))
        for code, widget in self._labels.items():
            widget.setText(t(code))
        self.search.setPlaceholderText(t("gui_dm_cases_search_hint"))
        self.tppo_filter.setText(t("gui_dm_cases_tppo"))
        self.review_filter.setText(t("gui_dm_cases_review"))
        self.overdue_filter.setText(t("gui_dm_cases_overdue"))
        self.overdue_filter.setToolTip(t("gui_dm_cases_overdue_tip"))
        for field in (self.date_from, self.date_to):
            field.setPlaceholderText(t("gui_cf_date_hint"))
        self.clear_button.setText(t("gui_dm_cases_clear"))
        self.reload_button.setText(t("gui_dm_cases_reload"))
        self.prev_button.setText(t("gui_dm_cases_prev"))
        self.next_button.setText(t("gui_dm_cases_next"))
        kecamatans: list[tuple[str, str | None]] = [(t("gui_dm_cases_all"), None)]
        kecamatans += [(k.name, k.code) for k in self._regions.kecamatans()]
        self._fill_combo(self.kecamatan_filter, kecamatans)
        self._fill_villages()
        self._fill_combo(self.status_filter, self._taxonomy_items("case_status"))
        self._fill_combo(self.violence_filter, self._taxonomy_items("violence_type"))
        self._fill_combo(self.sort_box, [(t(f"gui_dm_cases_sort_{s}"), s) for s in SORTS])
        self._show_failure()
        if self._sized:
            self.table.resizeColumnsToContents()  # the words changed length
        self._show_state()


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _number(n: int, lang: str) -> str:
    """A count with thousands separators: ``50.000`` in Indonesian, ``50,000`` in English."""
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", ".")
