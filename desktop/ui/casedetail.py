"""Opening a case: a readable summary (labels, not codes) and its history.

The summary follows the sections of the intake form; a field with concurrent edits awaiting a
decision is marked *perlu ditinjau*. The history lists every change: when, by whom, from which
device (this laptop or another, by its device tag) and which fields it set. "Ubah kasus" opens
the form. Open it with :func:`open_case_view` or embed :class:`CaseView`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import HistoryEntry
from desktop.ui import caseform_ops
from desktop.ui.caseform import deadline_text, open_edit_case, value_at
from desktop.ui.caseform_ops import CaseSnapshot
from desktop.ui.caseform_rules import (
    FIELD_CODES,
    ITEM_CODES,
    TRAFFICKING,
    age_facts,
    changed_labels,
    display_date,
    item_numbers,
)
from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.widgets import set_tone
from simpul.errors import UserError
from simpul.records.derived import device_tag, parse_date
from simpul.records.schema import spec_for_path
from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import load_regions

__all__ = [
    "CaseSummaryView",
    "CaseView",
    "CaseViewWindow",
    "format_value",
    "open_case_view",
]

_VIEW_STYLE = """
QGroupBox { font-weight: bold; border: 1px solid #b0bec5; border-radius: 6px;
            margin-top: 14px; padding: 12px 8px 8px 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #00695c;
                   font-size: 12pt; }
QGroupBox QLabel { font-weight: normal; }
QLabel#case_code { font-size: 16pt; font-weight: bold; }
QFrame#review_banner { background: #fff8e1; border: 1px solid #ffb300; border-radius: 6px; }
QLabel#status_chip { background: #e0f2f1; color: #004d40; border-radius: 9px;
                     padding: 2px 10px; font-weight: bold; }
QLabel[urgency="open"] { background: #fff3e0; border: 1px solid #ffb74d;
                         border-radius: 6px; }
QLabel[urgency="late"] { background: #ffebee; border: 1px solid #e57373;
                         border-radius: 6px; color: #b71c1c; }
QLabel[urgency="done"] { background: #e8f5e9; border: 1px solid #81c784;
                         border-radius: 6px; }
QLabel[tone="hint"] { color: #555555; }
"""

_REVIEW_STYLE = "background:#fff3cd;color:#7a5200;padding:0 4px;font-weight:bold"
_HISTORY_LIMIT = 8  # field names listed per change before "+N more"

# What each summary section shows, in the order of the intake form.
_REPORT = (
    "reported_on",
    "incident_on",
    "channel",
    "reporter/name",
    "reporter/relation",
    "reporter/contact",
)
_VIOLENCE = (
    "violence_types",
    "tpks_types",
    "kdrt",
    "place",
    "incident_village",
    "incident_address",
    "online",
    "narrative",
    "urgent_risk",
    "urgent_note",
)
_TPPO_ELEMENTS = ("tppo/process", "tppo/means", "tppo/purpose")
_TPPO_DETAILS = (
    "tppo/destination",
    "tppo/destination_domestic",
    "tppo/transit",
    "tppo/departed_on",
    "tppo/returned_on",
    "tppo/recruiter_type",
    "tppo/route",
    "tppo/work_sector",
    "tppo/documents_held",
    "tppo/debt_amount",
    "tppo/still_abroad",
    "tppo/needs_repatriation",
    "tppo/reported_to",
)
_CONSENT = (
    "consent/given_by",
    "consent/given_by_relation",
    "consent/justification",
    "consent/on",
    "consent/method",
    "consent/scope",
    "consent/explained",
    "consent/withdrawn_on",
)
_STATUS = ("status", "legal_status", "outcome")
_VICTIM = (
    "name",
    "nik",
    "sex",
    "birth_date",
    "age",
    "education",
    "school_status",
    "occupation",
    "marital_status",
    "disability",
    "disability_types",
    "citizenship",
    "domicile_village",
    "pregnant",
    "contact",
    "violence_types",
)
_PERPETRATOR = ("name", "sex", "age", "child", "occupation")


def format_value(texts: Texts, path: str, value: Any, *, kind: str = "case") -> str:
    """A stored value of a ``kind`` record in words: labels for codes, names for villages,
    dates day first."""
    if value is None or value == "" or value == []:
        return ""
    spec = spec_for_path(kind, path)
    field_type = spec.type if spec is not None else ""
    t = texts.t
    if isinstance(value, bool):
        return t("gui_cv_yes") if value else t("gui_cv_no")
    if field_type == "code" and spec is not None and spec.taxonomy:
        return texts.label(spec.taxonomy, value)
    if field_type == "codes" and spec is not None and spec.taxonomy and isinstance(value, list):
        return ", ".join(texts.label(spec.taxonomy, v) for v in value)
    if field_type == "date":
        return display_date(value)
    if field_type == "village" and isinstance(value, str):
        regions = load_regions()
        if regions.is_village(value):
            village = regions.village(value)
            return t("gui_cf_village_item", name=village.name, kecamatan=village.kecamatan_name)
        return value
    if path.endswith("debt_amount") and isinstance(value, int):
        return "Rp" + f"{value:,}".replace(",", ".")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class _Rows:
    """Rows of a summary table (rich text), each marked when its field needs review."""

    def __init__(self, texts: Texts, conflicts: Iterable[str]) -> None:
        self.texts = texts
        self.conflicts = set(conflicts)
        self.lines: list[str] = []

    def review_mark(self) -> str:
        words = html.escape(self.texts.t("gui_needs_review"))
        return f' <span style="{_REVIEW_STYLE}">⚠ {words}</span>'

    def add(self, label: str, text: str, *, paths: Iterable[str] = (), raw: bool = False) -> None:
        """One row; ``paths`` are the fields it shows (for the review mark)."""
        flagged = any(
            p in self.conflicts or any(c.startswith(p + "/") for c in self.conflicts) for p in paths
        )
        if not text and not flagged:
            return
        shown = text if raw else html.escape(text).replace("\n", "<br>")
        if flagged:
            shown = (shown or "-") + self.review_mark()
        self.lines.append(
            '<tr><td width="230" style="color:#546e7a;padding:2px 14px 2px 0" '
            f'valign="top">{html.escape(label)}</td><td style="padding:2px 0">{shown}</td></tr>'
        )

    def add_field(self, doc: Mapping[str, Any], path: str, *, prefix: str = "") -> None:
        value = value_at(doc, path)
        full = f"{prefix}{path}"
        label = self.texts.t(_label_code(full))
        self.add(label, format_value(self.texts, full, value), paths=[full])

    def html(self) -> str:
        if not self.lines:
            return ""
        return '<table cellspacing="0">' + "".join(self.lines) + "</table>"


# Shorter words where the form's label carries an instruction ("initials are enough").
_VIEW_CODES = {
    "name": "gui_cv_name",
    "child": "gui_cv_child",
    "tppo/transit": "gui_cv_transit",
    "consent/justification": "gui_cv_justification",
}


def _label_code(path: str) -> str:
    parts = path.split("/")
    if parts[0] in ITEM_CODES and len(parts) >= 3:
        key = parts[2]
        return _VIEW_CODES.get(key) or ITEM_CODES[parts[0]].get(key, "gui_cf_f_record")
    return _VIEW_CODES.get(path) or FIELD_CODES.get(path, "gui_cf_f_record")


class CaseSummaryView(QWidget):
    """The summary and history of one case, drawn from a :class:`CaseSnapshot` it is given:
    no storage, no context — the village :class:`CaseView` reads the snapshot from the
    profile, district mode builds it from the server's answer.

    Signals:
        edit_requested: The button beside the code was chosen (the record id is passed).
        loaded: A case is shown.
    """

    edit_requested = Signal(str)
    loaded = Signal()

    EDIT_TEXT = "gui_cv_edit"
    """The code of the button beside the case code ("Ubah kasus")."""

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.snapshot: CaseSnapshot | None = None
        self.record_id: str | None = None
        self.setStyleSheet(_VIEW_STYLE)

        self.code = QLabel()
        self.code.setObjectName("case_code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status_chip")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_case")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.edit_button.setEnabled(False)
        head = QHBoxLayout()
        head.addWidget(self.code)
        head.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addStretch(1)
        head.addWidget(self.edit_button)

        self.meta = QLabel()
        set_tone(self.meta, "hint")
        self.review_banner = QFrame()
        self.review_banner.setObjectName("review_banner")
        self.review_text = QLabel()
        self.review_text.setObjectName("review_text")
        self.review_text.setWordWrap(True)
        QVBoxLayout(self.review_banner).addWidget(self.review_text)
        self.review_banner.hide()
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.deadline.setContentsMargins(8, 6, 8, 6)
        self.deadline.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        self._section_keys = (
            ("report", "gui_cf_sec_report"),
            ("victims", "gui_cf_sec_victims"),
            ("perpetrators", "gui_cf_sec_perpetrators"),
            ("violence", "gui_cf_sec_violence"),
            ("tppo", "gui_cf_sec_tppo"),
            ("services", "gui_cf_sec_services"),
            ("consent", "gui_cf_sec_consent"),
            ("status", "gui_cf_sec_status"),
        )
        self.sections: dict[str, tuple[QGroupBox, QLabel]] = {}
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 10, 10)
        for key, _code in self._section_keys:
            box = QGroupBox()
            box.setObjectName(f"summary_{key}")
            label = QLabel()
            label.setObjectName(f"summary_{key}_text")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            QVBoxLayout(box).addWidget(label)
            body.addWidget(box)
            self.sections[key] = (box, label)
        self.history_box = QGroupBox()
        self.history_box.setObjectName("history")
        self.history = QTableWidget(0, 4)
        self.history.setObjectName("history_table")
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        QVBoxLayout(self.history_box).addWidget(self.history)
        body.addWidget(self.history_box)
        body.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.meta)
        layout.addWidget(self.review_banner)
        layout.addWidget(self.deadline)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)

        texts.changed.connect(self._render)
        self._render()

    # ------------------------------------------------------------------ showing

    def show_snapshot(self, snapshot: CaseSnapshot) -> None:
        """Show a case already read (its document and history)."""
        self.snapshot = snapshot
        self.record_id = snapshot.view.record_id
        self.message.hide()
        self._render()
        self.loaded.emit()

    def show_problem(self, text: str) -> None:
        """Say calmly, above the summary, why the case could not be read or saved."""
        self.message.setText(text)
        set_tone(self.message, "problem")
        self.message.show()

    @Slot()
    def clear(self) -> None:
        """Forget the case (on lock): nothing about any person stays on screen."""
        self.snapshot = None
        self.record_id = None
        self._render()

    @Slot()
    def _on_edit_clicked(self) -> None:
        if self.snapshot is not None:
            self.edit_requested.emit(self.snapshot.view.record_id)

    # ------------------------------------------------------------------ rendering

    @Slot()
    def _render(self) -> None:
        t = self._texts.t
        self.edit_button.setText(t(self.EDIT_TEXT))
        self.history_box.setTitle(t("gui_cv_history"))
        self.history.setHorizontalHeaderLabels(
            [
                t("gui_cv_col_when"),
                t("gui_cv_col_who"),
                t("gui_cv_col_device"),
                t("gui_cv_col_what"),
            ]
        )
        for number, (key, code) in enumerate(self._section_keys, start=1):
            title = t(code).replace("&", "&&")  # a group box title takes & as a mnemonic
            self.sections[key][0].setTitle(f"{number}. {title}")
        snapshot = self.snapshot
        self.edit_button.setEnabled(snapshot is not None and not snapshot.view.deleted)
        if snapshot is None:
            self.code.setText(t("gui_cv_title"))
            self.status_chip.hide()
            self.meta.clear()
            self.review_banner.hide()
            self.deadline.hide()
            for box, label in self.sections.values():
                label.clear()
                box.hide()
            self.history.setRowCount(0)
            self.history_box.hide()
            return
        view, doc = snapshot.view, snapshot.doc
        self.code.setText(view.code)
        self.status_chip.setText(self._texts.label("case_status", doc.get("status")))
        self.status_chip.setVisible(bool(doc.get("status")))
        self.meta.setText(
            t(
                "gui_cv_meta",
                reported=display_date(doc.get("reported_on")) or "-",
                changes=view.changes,
                updated=local_time(view.updated.wall),
            )
        )
        self._render_review(view.conflicts, doc)
        text, urgency = deadline_text(t, doc, datetime.now())
        self.deadline.setText(text)
        self.deadline.setProperty("urgency", urgency)
        self.deadline.setVisible(bool(text))
        self.deadline.style().unpolish(self.deadline)
        self.deadline.style().polish(self.deadline)
        conflicts = view.conflicts
        render: dict[str, Callable[[Mapping[str, Any], Sequence[str]], str]] = {
            "report": self._report_html,
            "victims": self._victims_html,
            "perpetrators": self._perpetrators_html,
            "violence": self._violence_html,
            "tppo": self._tppo_html,
            "services": self._services_html,
            "consent": self._consent_html,
            "status": self._status_html,
        }
        for key, (box, label) in self.sections.items():
            content = render[key](doc, conflicts)
            label.setText(
                content or f'<span style="color:#777">{html.escape(t("gui_cv_empty"))}</span>'
            )
            box.setVisible(bool(content) or key not in ("tppo",))
        self.sections["tppo"][0].setVisible(
            TRAFFICKING in (doc.get("violence_types") or []) or bool(doc.get("tppo"))
        )
        self._render_history(snapshot.history, doc, snapshot.device_id)
        self.history_box.show()

    def _render_review(self, conflicts: Sequence[str], doc: Mapping[str, Any]) -> None:
        if not conflicts:
            self.review_banner.hide()
            return
        numbers = item_numbers(doc)
        names = changed_labels(self._texts.t, conflicts, numbers, label=self._texts.label)
        self.review_text.setText(
            self._texts.t("gui_cv_review", count=len(conflicts), fields=", ".join(names))
        )
        self.review_banner.show()

    def _rows(self, conflicts: Sequence[str]) -> _Rows:
        return _Rows(self._texts, conflicts)

    def _report_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        rows = self._rows(conflicts)
        for path in _REPORT:
            if path == "incident_on" and doc.get("incident_on") and doc.get("incident_on_approx"):
                text = self._texts.t(
                    "gui_cv_approx_date", date=display_date(doc.get("incident_on"))
                )
                rows.add(self._texts.t("gui_cf_f_incident_on"), text, paths=["incident_on"])
                continue
            rows.add_field(doc, path)
        return rows.html()

    def _violence_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        rows = self._rows(conflicts)
        for path in _VIOLENCE:
            rows.add_field(doc, path)
        return rows.html()

    def _person_block(
        self,
        list_name: str,
        item: Mapping[str, Any],
        number: int,
        keys: Sequence[str],
        conflicts: Sequence[str],
        extra: Callable[[_Rows], None] | None = None,
    ) -> str:
        t = self._texts.t
        rows = self._rows(conflicts)
        prefix = f"{list_name}/{item.get('id')}/"
        for key in keys:
            rows.add(
                t(_label_code(prefix + key)),
                format_value(self._texts, prefix + key, item.get(key))
                + (
                    f" ({t('gui_cf_f_age_estimated_short')})"
                    if key == "age" and item.get("age") is not None and item.get("age_estimated")
                    else ""
                ),
                paths=[prefix + key],
            )
        if extra is not None:
            extra(rows)
        title_code = "gui_cf_victim_n" if list_name == "victims" else "gui_cf_perpetrator_n"
        return f"<p><b>{html.escape(t(title_code, n=number))}</b></p>{rows.html()}"

    def _victims_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        on = parse_date(doc.get("reported_on")) or datetime.now().date()
        blocks = []
        for number, victim in enumerate(_items(doc, "victims"), start=1):

            def derived(rows: _Rows, victim: Mapping[str, Any] = victim) -> None:
                facts = age_facts(victim, on=on)
                if facts is not None:
                    t = self._texts.t
                    group = t("gui_cf_child") if facts.child else t("gui_cf_adult")
                    rows.add(
                        t("gui_cv_age_band"),
                        t(
                            "gui_cv_age_summary",
                            age=facts.age,
                            band=self._texts.label("age_band", facts.band),
                            group=group,
                        ),
                    )

            blocks.append(
                self._person_block("victims", victim, number, _VICTIM, conflicts, derived)
            )
        return "".join(blocks)

    def _perpetrators_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        numbers = item_numbers(doc)
        blocks = []
        for number, person in enumerate(_items(doc, "perpetrators"), start=1):

            def relations(rows: _Rows, person: Mapping[str, Any] = person) -> None:
                t = self._texts.t
                relationships = person.get("relationships") or {}
                for victim_id, code in relationships.items():
                    n = numbers.get(victim_id)
                    victim = (
                        t("gui_cf_victim_n", n=n) if n is not None else t("gui_cf_victim_removed")
                    )
                    rows.add(
                        f"{t('gui_cf_f_relationship')} ({victim})",
                        self._texts.label("relationship", code),
                        paths=[f"perpetrators/{person.get('id')}/relationships/{victim_id}"],
                    )

            blocks.append(
                self._person_block(
                    "perpetrators", person, number, _PERPETRATOR, conflicts, relations
                )
            )
        return "".join(blocks)

    def _tppo_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        rows = self._rows(conflicts)
        for path in _TPPO_ELEMENTS:
            rows.add_field(doc, path)
        indicators = value_at(doc, "tppo/indicators") or {}
        t = self._texts.t
        order = load_taxonomy().codes("tppo_indicator")
        for answer in load_taxonomy().codes("tristate"):
            chosen = [code for code in order if indicators.get(code) == answer]
            if chosen:
                rows.add(
                    f"{t('gui_cf_f_tppo_indicators')}: {self._texts.label('tristate', answer)}",
                    "\n".join(f"• {self._texts.label('tppo_indicator', c)}" for c in chosen),
                    paths=[f"tppo/indicators/{c}" for c in chosen],
                )
        for path in _TPPO_DETAILS:
            rows.add_field(doc, path)
        return rows.html()

    def _services_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        t = self._texts.t
        rows = self._rows(conflicts)
        for item in sorted(_items(doc, "services"), key=lambda i: str(i.get("on") or "")):
            parts = [
                self._texts.label("service_type", item.get("type")),
                item.get("institution") or "",
                item.get("description") or "",
            ]
            rows.add(
                f"{t('gui_cv_service')} {display_date(item.get('on')) or '-'}",
                " — ".join(p for p in parts if p and p != "-"),
                paths=[f"services/{item.get('id')}"],
            )
        for item in sorted(_items(doc, "referrals"), key=lambda i: str(i.get("on") or "")):
            parts = [
                self._texts.label("referral_target", item.get("to")),
                self._texts.label("referral_status", item.get("status")),
                item.get("note") or "",
            ]
            rows.add(
                f"{t('gui_cv_referral')} {display_date(item.get('on')) or '-'}",
                " — ".join(p for p in parts if p and p != "-"),
                paths=[f"referrals/{item.get('id')}"],
            )
        return rows.html()

    def _consent_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        rows = self._rows(conflicts)
        for path in _CONSENT:
            rows.add_field(doc, path)
        return rows.html()

    def _status_html(self, doc: Mapping[str, Any], conflicts: Sequence[str]) -> str:
        rows = self._rows(conflicts)
        for path in _STATUS:
            rows.add_field(doc, path)
        return rows.html()

    def _render_history(
        self, history: Sequence[HistoryEntry], doc: Mapping[str, Any], own_device: str
    ) -> None:
        t = self._texts.t
        numbers = item_numbers(doc)
        entries = list(reversed(history))  # newest first
        self.history.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            paths = [e.path for e in entry.edits]
            names = changed_labels(t, paths, numbers, label=self._texts.label)
            if "code" in paths:
                what = t("gui_cv_created", count=len(names))
                full = ", ".join(names)
            else:
                shown = names[:_HISTORY_LIMIT]
                what = ", ".join(shown)
                if len(names) > len(shown):
                    what += " " + t("gui_cv_more", count=len(names) - len(shown))
                full = ", ".join(names)
            device = self.device_text(entry.change_id.device, own_device)
            author = self.author_text(entry.author)
            cells = [local_time(entry.hlc.wall), author, device, what]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                if column == 3:
                    item.setToolTip(full)
                if column == 2:
                    item.setToolTip(entry.change_id.device)
                self.history.setItem(row, column, item)
        self.history.resizeRowsToContents()
        height = self.history.horizontalHeader().height() + 2 * self.history.frameWidth() + 2
        height += sum(self.history.rowHeight(r) for r in range(min(len(entries), 12)))
        self.history.setFixedHeight(height)

    def device_text(self, device: str, own_device: str) -> str:
        """How the history names the device a change came from."""
        return device_label(self._texts, device, own_device)

    def author_text(self, author: str) -> str:
        """How the history names who made a change."""
        return author_label(self._texts, author)


class CaseView(CaseSummaryView):
    """The summary and history of one case of this profile; refreshed when records change,
    cleared on lock.

    Signals:
        edit_requested: "Ubah kasus" was chosen (the record id is passed).
        loaded: A case is shown (after :meth:`show_case` read it on the worker).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__(ctx.texts, parent)
        ctx.records_changed.connect(self._on_records_changed)
        ctx.locked.connect(self.clear)

    # ------------------------------------------------------------------ loading

    def show_case(self, record_id: str) -> None:
        """Open the case (the read is audited) and show it when it is read."""
        self.record_id = record_id
        self._read(audit=True)

    def _read(self, *, audit: bool) -> None:
        record_id = self.record_id
        if record_id is None:
            return
        caseform_ops.read_case(
            self._ctx, record_id, audit=audit, done=self.set_snapshot, failed=self._on_failed
        )

    def set_snapshot(self, snapshot: CaseSnapshot) -> None:
        """Show a case already read (its document and history)."""
        if self._ctx.store is None:
            return  # locked while it was read
        self.show_snapshot(snapshot)

    def _on_failed(self, exc: UserError) -> None:
        self.show_problem(self._texts.error(exc))

    @Slot()
    def _on_records_changed(self) -> None:
        if self.snapshot is not None and self._ctx.store is not None:
            self._read(audit=False)


def _items(doc: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    return [i for i in doc.get(name) or [] if isinstance(i, Mapping)]


def local_time(wall_ms: int) -> str:
    """A change's wall-clock time (ms since the epoch) in local time, day first."""
    return datetime.fromtimestamp(wall_ms / 1000).strftime("%d/%m/%Y %H:%M")


DISTRICT_DEVICE = "district"
"""The device id of changes made at the district server (staff follow-up)."""
_STAFF = "staff:"


def device_label(texts: Texts, device: str, own_device: str | None) -> str:
    """ "Laptop ini" for this laptop's changes, "Kantor kabupaten" for the district's, else
    "Perangkat lain (tag)"."""
    if device == own_device:
        return texts.t("gui_cv_this_device")
    if device == DISTRICT_DEVICE:
        return texts.t("gui_cv_district_device")
    return texts.t("gui_cv_other_device", tag=device_tag(device))


def author_label(texts: Texts, author: str | None) -> str:
    """Who made a change: a district staff member as "name (kabupaten)"; a change made after
    opening with the recovery code says so."""
    if author == "recovery":
        return texts.t("gui_cv_recovery_user")
    if author and author.startswith(_STAFF):
        return texts.t("gui_cv_staff_author", name=author[len(_STAFF) :])
    return author or "-"


class CaseViewWindow(QWidget):
    """A window showing one case; "Ubah kasus" opens the form; a lock closes it.

    Its title carries the case code, never a name.
    """

    def __init__(self, ctx: AppContext, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("case_view_window")
        self.ctx = ctx
        self.view = CaseView(ctx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.view)
        self.view.edit_requested.connect(self._on_edit_requested)
        self.view.loaded.connect(self._retranslate)
        ctx.locked.connect(self.close)
        ctx.texts.changed.connect(self._retranslate)
        self.resize(900, 760)
        self._retranslate()
        self.view.show_case(record_id)

    @Slot()
    def _retranslate(self) -> None:
        snapshot = self.view.snapshot
        title = self.ctx.texts.t("gui_cv_title")
        if snapshot is not None:
            title = f"{snapshot.view.code} — {title}"
        self.setWindowTitle(f"{title} — {self.ctx.texts.t('gui_app_name')}")

    @Slot(str)
    def _on_edit_requested(self, record_id: str) -> None:
        if self.ctx.store is not None:
            open_edit_case(self.ctx, record_id, self.parentWidget())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.clear()
        if self.parent() is not None:
            self.deleteLater()
        super().closeEvent(event)


def open_case_view(
    ctx: AppContext, record_id: str, parent: QWidget | None = None
) -> CaseViewWindow:
    """Show a case (summary and history) in its own window; the read is audited."""
    window = CaseViewWindow(ctx, record_id, parent)
    window.show()
    return window
