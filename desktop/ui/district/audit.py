"""The audit log page (admin): who read or changed what on the district server, newest first.

The server writes an entry for every read and write (sign-in, case list, case view,
follow-up, import, enrollment, revocation, report…) with codes and counts only; this page
reads the newest entries (``GET /v1/audit``, itself audited), words the actions, and filters
by record (a case code or record id, asked of the server) and by actor and action. It is
dropped on sign-out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.staff import AuditEntry
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.devices import error_text, short_device, when_text
from desktop.ui.district.fetch import PageFetches
from desktop.ui.language import Texts
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import busy_bar, heading, row_table, set_tone
from simpul.errors import UserError
from simpul.records.wilayah import UnknownVillageError, load_regions

__all__ = ["ACTIONS", "PAGE_SIZE", "AuditPage", "AuditRow", "AuditTableModel", "actor_text"]

PAGE_SIZE = 200
"""Entries read at first and added by each "load more" (the server answers the newest N)."""

ACTIONS: dict[str, str] = {
    "login": "gui_dm_audit_a_login",
    "logout": "gui_dm_audit_a_logout",
    "list": "gui_dm_audit_a_list",
    "view": "gui_dm_audit_a_view",
    "followup": "gui_dm_audit_a_followup",
    "followup_unchanged": "gui_dm_audit_a_followup_unchanged",
    "audit_read": "gui_dm_audit_a_audit_read",
    "devices_list": "gui_dm_audit_a_devices_list",
    "revoke": "gui_dm_audit_a_revoke",
    "enrollment_code": "gui_dm_audit_a_enrollment_code",
    "enrollment_file": "gui_dm_audit_a_enrollment_file",
    "enrollment_answer": "gui_dm_audit_a_enrollment_answer",
    "enroll": "gui_dm_audit_a_enroll",
    "import": "gui_dm_audit_a_import",
    "bundle_preview": "gui_dm_audit_a_bundle_preview",
    "bundle_import": "gui_dm_audit_a_bundle_import",
    "user_add": "gui_dm_audit_a_user_add",
    "backup": "gui_dm_audit_a_backup",
    "restore": "gui_dm_audit_a_restore",
    "report": "gui_dm_audit_a_report",
    "report_record": "gui_dm_audit_a_report_record",
    "report_simfoni": "gui_dm_audit_a_report_simfoni",
    "report_simfoni_record": "gui_dm_audit_a_report_simfoni_record",
}
"""The action codes the server writes (``district.service`` ``_audit``, ``district.reports``
``audit_read``) and their words; a code from a newer server is shown as it is."""

_VILLAGE_CODE = re.compile(r"33\.27\.\d{2}\.\d{4}")
_DEVICE_ID = re.compile(r"[0-9a-f]{8,64}")
_RECORD_CODE = re.compile(r"^[A-Za-z]{3}-\d{6}-\d{4}-[A-Za-z2-7]{2}-\d{4}$")


def actor_text(texts: Texts, actor: str) -> str:
    """Who an entry names, in words: a staff account by its name, a server command by its
    operating-system user, a laptop by its tag."""
    kind, _, name = actor.partition(":")
    if kind == "staff" and name:
        return name
    if kind == "cli" and name:
        return texts.t("gui_dm_audit_actor_cli", user=name)
    if kind == "device" and name:
        return texts.t("gui_dm_audit_actor_device", device=short_device(name))
    if actor == "system":
        return texts.t("gui_dm_audit_actor_system")
    return actor


def action_text(texts: Texts, action: str) -> str:
    """An action code in words (as it is when unknown)."""
    code = ACTIONS.get(action)
    return texts.t(code) if code is not None else action


_DETAIL_KEYS: dict[str, str] = {
    "village": "gui_dm_audit_k_village",
    "device": "gui_dm_audit_k_device",
    "n": "gui_dm_audit_k_n",
    "kind": "gui_dm_audit_k_kind",
    "user": "gui_dm_audit_k_user",
    "role": "gui_dm_audit_k_role",
    "reason": "gui_dm_audit_k_reason",
    "bundle": "gui_dm_audit_k_bundle",
    "changes": "gui_dm_audit_k_changes",
    "rejected": "gui_dm_audit_k_rejected",
    "via": "gui_dm_audit_k_via",
    "period": "gui_dm_audit_k_period",
    "cases": "gui_dm_audit_k_cases",
    "outreach": "gui_dm_audit_k_outreach",
    "fields": "gui_dm_audit_k_fields",
    "resolve": "gui_dm_audit_k_resolve",
    "signature": "gui_dm_audit_k_signature",
    "victims": "gui_dm_audit_k_victims",
    "identified": "gui_dm_audit_k_identified",
    "share": "gui_dm_audit_k_share",
    "q": "gui_dm_audit_k_q",
}
"""Words for the ``key=value`` pairs of the details the server writes."""


def detail_text(texts: Texts, detail: str | None) -> str:
    """An entry's details in words: keys named, villages by name, devices by tag."""
    if not detail:
        return ""
    parts = []
    for token in re.split(r"[\s,]+", detail.strip()):
        key, equals, value = token.partition("=")
        if not equals:
            parts.append(token)
            continue
        if key == "village" and _VILLAGE_CODE.fullmatch(value):
            try:
                value = f"{load_regions().village(value).name} ({value})"
            except UnknownVillageError:
                pass
        elif key == "device" and _DEVICE_ID.fullmatch(value):
            value = short_device(value)
        code = _DETAIL_KEYS.get(key)
        parts.append(f"{texts.t(code) if code else key}: {value}")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of the audit table: the server's entry and, when known, its record's code."""

    entry: AuditEntry
    record_code: str | None = None


class AuditTableModel(RowTableModel[AuditRow]):
    """Columns: time, actor, action, record, details (newest first unless sorted otherwise)."""

    TIME, ACTOR, ACTION, RECORD, DETAIL = range(5)
    HEADERS = (
        "gui_dm_audit_col_time",
        "gui_dm_audit_col_actor",
        "gui_dm_audit_col_action",
        "gui_dm_audit_col_record",
        "gui_dm_audit_col_detail",
    )
    LABEL_COLUMNS = frozenset({ACTOR, ACTION})

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(texts, parent)
        self._order: dict[int, int] = {}

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        """Replace every row (rows come newest first; none after sign-out)."""
        self._order = {id(r): n for n, r in enumerate(rows)}
        super().set_rows(rows)

    def display(self, row: AuditRow, column: int) -> str | None:
        entry = row.entry
        if column == self.TIME:
            return when_text(self._texts, entry.at, seconds=True)
        if column == self.ACTOR:
            return actor_text(self._texts, entry.actor)
        if column == self.ACTION:
            return action_text(self._texts, entry.action)
        if column == self.RECORD:
            return row.record_code or entry.record_id or ""
        if column == self.DETAIL:
            return detail_text(self._texts, entry.detail)
        return None

    def tooltip(self, row: AuditRow, column: int) -> str | None:
        entry = row.entry
        if column == self.ACTOR:
            return entry.actor
        if column == self.ACTION:
            return entry.action
        if column == self.RECORD:
            return entry.record_id
        if column == self.DETAIL:
            return entry.detail
        return None

    def sort_key(self, row: AuditRow, column: int) -> Any:
        if column == self.TIME:
            # the server's order breaks ties between entries of the same instant
            return (row.entry.at.timestamp(), -self._order.get(id(row), 0))
        return super().sort_key(row, column)


@dataclass(frozen=True, slots=True)
class _Answer:
    entries: list[AuditEntry]
    record_id: str | None
    record_code: str | None
    limit: int


class AuditPage(QWidget):
    """The "Log audit" page (admin only): the newest entries, filters, and "load more"."""

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._all: list[AuditRow] = []
        self._loaded = False
        self.page_size = PAGE_SIZE
        """Entries read at first and added by each "load more"."""
        self._limit: int | None = None
        self._full = False
        self._record_id: str | None = None
        self._record_code: str | None = None
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")
        self.record_filter = QLineEdit()
        self.record_filter.setObjectName("audit_record")
        self.record_filter.setClearButtonEnabled(True)
        self._record_label = QLabel()
        self._record_label.setBuddy(self.record_filter)
        self.find_button = QPushButton()
        self.find_button.setObjectName("audit_find")
        self.actor_filter = QComboBox()
        self.actor_filter.setObjectName("audit_actor")
        self._actor_label = QLabel()
        self._actor_label.setBuddy(self.actor_filter)
        self.action_filter = QComboBox()
        self.action_filter.setObjectName("audit_action")
        self._action_label = QLabel()
        self._action_label.setBuddy(self.action_filter)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("audit_refresh")
        self.more_button = QPushButton()
        self.more_button.setObjectName("audit_more")
        self.busy = busy_bar()
        self._fetches = PageFetches(ctx, self.busy, self._update_buttons)
        self.message = QLabel()
        self.message.setObjectName("audit_message")
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        self.message.hide()
        self.model = AuditTableModel(ctx.texts, self)
        self.table = row_table(self.model, "audit_table", AuditTableModel.DETAIL, single=False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(AuditTableModel.TIME, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setResizeContentsPrecision(50)
        self.count = QLabel()
        set_tone(self.count, "hint")
        self.empty = QLabel()
        self.empty.setWordWrap(True)

        record_row = QHBoxLayout()
        record_row.addWidget(self._record_label)
        record_row.addWidget(self.record_filter, 1)
        record_row.addWidget(self.find_button)
        record_row.addSpacing(12)
        record_row.addWidget(self.refresh_button)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self._actor_label)
        filter_row.addWidget(self.actor_filter)
        filter_row.addWidget(self._action_label)
        filter_row.addWidget(self.action_filter)
        filter_row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addLayout(record_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(bottom)

        self.record_filter.returnPressed.connect(self._on_find)
        self.find_button.clicked.connect(self._on_find)
        self.refresh_button.clicked.connect(self.refresh)
        self.more_button.clicked.connect(self._on_more_clicked)
        self.actor_filter.currentIndexChanged.connect(self._apply_filters)
        self.action_filter.currentIndexChanged.connect(self._apply_filters)
        ctx.signed_in.connect(self._on_signed_in)
        ctx.signed_out.connect(self._on_signed_out)
        ctx.texts.changed.connect(self._retranslate)
        self._fill_filters()
        self._retranslate()
        self._update_buttons()

    # ------------------------------------------------------------------ session

    def showEvent(self, event: QShowEvent) -> None:
        """Read the newest entries each time the page is shown (the log grows with every
        step taken elsewhere, this window's own included)."""
        super().showEvent(event)
        if self._ctx.signed_in_now and self._ctx.can("audit") and self._fetches.running == 0:
            self.refresh()

    @Slot()
    def _on_signed_in(self) -> None:
        self._update_buttons()
        if self.isVisible() and self._ctx.can("audit"):
            self.refresh()

    @Slot()
    def _on_signed_out(self) -> None:
        self._fetches.drop()
        self._loaded = False
        self._all = []
        self._limit = None
        self._full = False
        self._record_id = self._record_code = None
        self.model.set_rows([])
        self.record_filter.clear()
        self._fill_filters()
        self.message.clear()
        self.message.hide()
        self._update_buttons()
        self._update_count()

    # ------------------------------------------------------------------ loading

    @Slot()
    def refresh(self) -> None:
        """Read the newest entries again (of the record asked for, if any)."""
        self._load(self.record_filter.text().strip(), self._limit or self.page_size)

    @Slot()
    def _on_find(self) -> None:
        self._load(self.record_filter.text().strip(), self.page_size)

    @Slot()
    def _on_more_clicked(self) -> None:
        self._load(
            self.record_filter.text().strip(), (self._limit or self.page_size) + self.page_size
        )

    def _load(self, needle: str, limit: int) -> None:
        client = self._ctx.client
        if client is None or not self._ctx.can("audit"):
            return

        def work() -> _Answer:
            record_id, record_code = _resolve_record(client, needle)
            entries = list(client.audit(record_id, limit=limit))
            return _Answer(entries, record_id, record_code, limit)

        self._fetches.submit(work, self._on_loaded, self._on_failed)

    def _on_loaded(self, answer: _Answer) -> None:
        self._loaded = True
        self.message.clear()
        self.message.hide()
        self._limit = answer.limit
        self._full = len(answer.entries) < answer.limit
        self._record_id, self._record_code = answer.record_id, answer.record_code
        self._all = [
            AuditRow(
                e,
                answer.record_code
                if e.record_id is not None and e.record_id == answer.record_id
                else None,
            )
            for e in answer.entries
        ]
        self._fill_filters()
        self._apply_filters()

    def _on_failed(self, exc: UserError) -> None:
        self.message.setText(error_text(self._ctx.texts, exc))
        self.message.show()

    # ------------------------------------------------------------------ filters

    def _fill_filters(self) -> None:
        """The actors and actions among the entries read (the current choice kept)."""
        t = self._ctx.texts.t
        for combo, all_code, values in (
            (
                self.actor_filter,
                "gui_dm_audit_all_actors",
                sorted(
                    {(actor_text(self._ctx.texts, r.entry.actor), r.entry.actor) for r in self._all}
                ),
            ),
            (
                self.action_filter,
                "gui_dm_audit_all_actions",
                sorted(
                    {
                        (action_text(self._ctx.texts, r.entry.action), r.entry.action)
                        for r in self._all
                    }
                ),
            ),
        ):
            current = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(t(all_code), None)
            for text, value in values:
                combo.addItem(text, value)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(blocked)

    @Slot()
    def _apply_filters(self) -> None:
        actor = self.actor_filter.currentData()
        action = self.action_filter.currentData()
        self.model.set_rows(
            [
                r
                for r in self._all
                if (not actor or r.entry.actor == actor)
                and (not action or r.entry.action == action)
            ]
        )
        self._update_count()

    def _update_count(self) -> None:
        t = self._ctx.texts.t
        shown, read = self.model.rowCount(), len(self._all)
        if not self._loaded:
            self.count.clear()
        elif shown == read:
            self.count.setText(t("gui_dm_audit_count", count=read))
        else:
            self.count.setText(t("gui_dm_audit_count_filtered", shown=shown, count=read))
        if self._loaded and not self._all and self._record_id is not None:
            self.empty.setText(t("gui_dm_audit_none_record", record=self.record_filter.text()))
        elif self._loaded and shown == 0:
            self.empty.setText(t("gui_dm_audit_none"))
        else:
            self.empty.clear()
        self.empty.setVisible(bool(self.empty.text()))
        self.more_button.setVisible(self._loaded and not self._full)

    def _update_buttons(self) -> None:
        allowed = self._ctx.signed_in_now and self._ctx.can("audit")
        idle = self._fetches.running == 0
        for widget in (self.find_button, self.refresh_button, self.more_button):
            widget.setEnabled(allowed and idle)
        self.record_filter.setEnabled(allowed)

    # ------------------------------------------------------------------ texts

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_nav_audit"))
        self._intro.setText(t("gui_dm_audit_intro"))
        self._record_label.setText(t("gui_dm_audit_record"))
        self.record_filter.setPlaceholderText(t("gui_dm_audit_record_hint"))
        self.find_button.setText(t("gui_search"))
        self._actor_label.setText(t("gui_dm_audit_actor"))
        self._action_label.setText(t("gui_dm_audit_action"))
        self.refresh_button.setText(t("gui_dm_dev_refresh"))
        self.more_button.setText(t("gui_dm_audit_more", count=self.page_size))
        self._fill_filters()
        self._update_count()


def _resolve_record(client: Any, needle: str) -> tuple[str | None, str | None]:
    """The record id (and code) a typed case code or record id names; runs on the worker.

    A record code is looked up among the records (``q`` searches codes and ids); anything
    else is taken as a record id.
    """
    if not needle:
        return None, None
    page = client.list_records(q=needle, limit=20)
    folded = needle.casefold()
    for record in page.records:
        if record.record_id == needle or (record.code or "").casefold() == folded:
            return record.record_id, record.code
    if _RECORD_CODE.match(needle):
        return needle.upper(), None  # a code the server does not know: no entries
    return needle, None
