"""The case intake form: the sections a focal point fills while listening, saved in one go.

Laporan, Korban, Pelaku, Kekerasan, TPPO (only for trafficking), Layanan & Rujukan,
Persetujuan and Status, one below the other with an index to jump between them. Combo boxes
show labels and hold taxonomy codes. On save the store validates the whole record; every
problem is listed above the form and shown beside its field, and nothing is saved while any
remains. Unsaved input is kept as a sealed draft (a crash, a lock or closing the window loses
nothing); an edit is saved as an edit *of the version the form was filled from* (``base``),
so a change that arrived by sync meanwhile is never overwritten silently. The frame, drafts,
problems panel and save it shares with the outreach form are in ``desktop/ui/recordform.py``.

Open it with :func:`open_new_case` and :func:`open_edit_case`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import Store
from desktop.ui.caseform_fields import (
    BoolField,
    CodeChecks,
    CodeCombo,
    DateField,
    FieldBox,
    FieldWidget,
    IntField,
    LongTextField,
    TextField,
    TextListField,
    TriStateField,
    VillageCombo,
    focus_order,
    local_problem,
    two_pair_grid,
)
from desktop.ui.caseform_items import ItemCard, PerpetratorCard, VictimCard, make_card
from desktop.ui.caseform_rules import (
    FIELD_CODES,
    MEDIATION,
    SEXUAL,
    TRAFFICKING,
    display_date,
    item_numbers,
    path_label,
    police_deadline,
    section_of,
)
from desktop.ui.context import AppContext
from desktop.ui.recordform import (
    AUTOSAVE_MS,
    RecordForm,
    RecordFormWindow,
    edited_record,
    value_at,
)
from desktop.ui.widgets import set_tone
from simpul.errors import UserError
from simpul.records.derived import is_child, parse_date, victim_age
from simpul.records.taxonomy import load_taxonomy

__all__ = [
    "AUTOSAVE_MS",
    "SECTIONS",
    "CaseForm",
    "CaseFormWindow",
    "open_edit_case",
    "open_new_case",
    "value_at",
]

SECTIONS: tuple[tuple[str, str], ...] = (
    ("report", "gui_cf_sec_report"),
    ("victims", "gui_cf_sec_victims"),
    ("perpetrators", "gui_cf_sec_perpetrators"),
    ("violence", "gui_cf_sec_violence"),
    ("tppo", "gui_cf_sec_tppo"),
    ("services", "gui_cf_sec_services"),
    ("consent", "gui_cf_sec_consent"),
    ("status", "gui_cf_sec_status"),
)
"""The form's sections, in order: key and title code."""

_SECTION_CODES = dict(SECTIONS)
_SECTION_NUMBERS = {code: number for number, (_key, code) in enumerate(SECTIONS, start=1)}
LISTS = ("victims", "perpetrators", "services", "referrals")
_LIST_SECTIONS = {
    "victims": "victims",
    "perpetrators": "perpetrators",
    "services": "services",
    "referrals": "services",
}
_JUSTIFIED = frozenset({"dasar_hukum_lain", "lembaga"})
_SECTION_LISTS = {
    "victims": ("victims",),
    "perpetrators": ("perpetrators",),
    "services": ("services", "referrals"),
}
_ADD_CODES = {
    "victims": "gui_cf_add_victim",
    "perpetrators": "gui_cf_add_perpetrator",
    "services": "gui_cf_add_service",
    "referrals": "gui_cf_add_referral",
}
_UNDO_CODES = {
    "victims": "gui_cf_undo_remove_victim",
    "perpetrators": "gui_cf_undo_remove_perpetrator",
    "services": "gui_cf_undo_remove_service",
    "referrals": "gui_cf_undo_remove_referral",
}


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    """Set ``a/b`` in nested dicts; None removes the key (and an object left empty)."""
    parts = path.split("/")
    node = doc
    trail: list[tuple[dict[str, Any], str]] = []
    for key in parts[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            if value is None:
                return
            child = {}
            node[key] = child
        trail.append((node, key))
        node = child
    if value is None:
        node.pop(parts[-1], None)
        for parent, key in reversed(trail):
            if not parent[key]:
                parent.pop(key)
    else:
        node[parts[-1]] = value


class CaseForm(RecordForm[FieldWidget]):
    """The intake form of one case (new, or an edit of ``view``).

    Signals (of :class:`~desktop.ui.recordform.RecordForm`):
        saved: The case was saved (the new :class:`RecordView` is passed).
        close_requested: The person chose "Close" (the window closes; input stays a draft).
        lock_closed: The profile was locked; the input was queued as a draft and the form
            emptied.
    """

    KIND = "case"
    TITLE_NEW = "gui_cf_title_new"
    TITLE_EDIT = "gui_cf_title_edit"
    SUBTITLE = "gui_cf_subtitle"
    KEYS = "gui_cf_keys"
    PROBLEM_ROWS = 6
    SAY_DRAFT_KEPT = True
    COMPOUND_FIELDS = (CodeChecks, TriStateField)

    def _prepare(self) -> None:
        self._section_focus: dict[str, list[QWidget]] = {}
        self.cards: dict[str, list[ItemCard]] = {name: [] for name in LISTS}
        self._removed: dict[str, ItemCard | None] = {name: None for name in LISTS}
        self.add_buttons: dict[str, QPushButton] = {}
        self.undo_buttons: dict[str, QPushButton] = {}
        self._list_boxes: dict[str, FieldBox] = {}
        self._card_layouts: dict[str, QVBoxLayout] = {}
        self._problem_sections: set[str] = set()
        self._row_labels: dict[str, QLabel] = {}
        self._indicator_labels: list[tuple[QLabel, str]] = []
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._update_deadline)
        self._clock.start()
        self._ctx.records_changed.connect(self._on_records_changed)

    def _autosave_ms(self) -> int:
        return AUTOSAVE_MS

    # ------------------------------------------------------------------ building

    def _new_doc(self, store: Store) -> dict[str, Any]:
        return {
            "village": store.village,
            "reported_on": self._today().isoformat(),
            "incident_village": store.village,
            "status": "dicatat",
        }

    def _build(self, store: Store) -> None:
        super()._build(store)
        self.add_victim_shortcut = self._shortcut("Ctrl+Shift+V", lambda: self.add_item("victims"))
        self.add_perpetrator_shortcut = self._shortcut(
            "Ctrl+Shift+P", lambda: self.add_item("perpetrators")
        )
        for number, (key, _code) in enumerate(SECTIONS, start=1):
            self._shortcut(f"Alt+{number}", functools.partial(self.go_to_section, key))

    def _build_sections(self, store: Store) -> None:
        self.concurrent_banner = QFrame()
        self.concurrent_banner.setObjectName("concurrent_banner")
        self.concurrent_text = QLabel()
        self.concurrent_text.setWordWrap(True)
        QHBoxLayout(self.concurrent_banner).addWidget(self.concurrent_text)
        self.concurrent_banner.hide()

        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)
        self.deadline.setContentsMargins(8, 6, 8, 6)
        self.deadline.hide()

        self._build_report()
        self._build_list_section("victims", "gui_cf_victims_hint")
        self._build_list_section("perpetrators", "gui_cf_perpetrators_hint")
        self._build_violence()
        self._build_tppo()
        self._build_services()
        self._build_consent()
        self._build_status()

        self.nav = QListWidget()
        self.nav.setObjectName("case_sections")
        self.nav.setFixedWidth(200)
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for _key, _code in SECTIONS:
            self.nav.addItem(QListWidgetItem())
        self.nav.itemClicked.connect(self._on_nav_clicked)

    def _notices(self) -> list[QWidget]:
        return [self.concurrent_banner, self.problems_panel, self.deadline]

    def _beside_form(self) -> list[QWidget]:
        return [self.nav]

    def _section(self, key: str, title_code: str) -> QGroupBox:
        box = self._add_section(key, title_code)
        self._section_focus[key] = []
        return box

    def _fields_in(self, section: str, grid: QGridLayout, rows: Sequence[tuple[Any, ...]]) -> None:
        """Place fields: ``(path, field, row, column[, span[, extras]])``, labelled by the
        path's label (:data:`FIELD_CODES`)."""
        for spec in rows:
            path, field, row, column = spec[:4]
            span = spec[4] if len(spec) > 4 else 1
            extras: Sequence[QWidget] = spec[5] if len(spec) > 5 else ()
            self._field(section, path, field, grid, row, column, span=span, extras=extras)

    def _field(
        self,
        section: str,
        path: str,
        field: FieldWidget,
        grid: QGridLayout,
        row: int,
        column: int,
        *,
        span: int = 1,
        extras: Sequence[QWidget] = (),
    ) -> FieldWidget:
        label = None if isinstance(field, BoolField) else QLabel()
        self._add_field(
            grid,
            path,
            field,
            row,
            column,
            span=span,
            extras=extras,
            label=label,
            label_code=FIELD_CODES[path],
        )
        if label is not None:
            self._row_labels[path] = label
        self._section_focus[section].extend(focus_order([field, *extras]))
        return field

    def _flag(self, path: str, label_code: str) -> BoolField:
        """A check box shown beside another field (``approximate``, ``within Indonesia``)."""
        flag = BoolField()
        flag.setObjectName(path)
        self._fields[path] = flag
        self._labels.append((flag, label_code))
        flag.edited.connect(self._on_edited)
        return flag

    def _hint(self, layout: QVBoxLayout, code: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        set_tone(label, "hint")
        self._labels.append((label, code))
        layout.addWidget(label)
        return label

    def _grid_section(self, key: str, *hints: str) -> tuple[QVBoxLayout, QGridLayout, list[QLabel]]:
        """A section: its hints, then a grid of fields."""
        box = self._section(key, _SECTION_CODES[key])
        layout = QVBoxLayout(box)
        labels = [self._hint(layout, hint) for hint in hints]
        grid = two_pair_grid()
        layout.addLayout(grid)
        return layout, grid, labels

    def _subheading(self, layout: QVBoxLayout, code: str) -> None:
        title = QLabel()
        title.setProperty("subheading", True)
        self._labels.append((title, code))
        layout.addWidget(title)

    def _build_report(self) -> None:
        t = self._texts
        _layout, grid, _hints = self._grid_section("report")
        approx = self._flag("incident_on_approx", "gui_cf_f_approx_short")
        self._fields_in(
            "report",
            grid,
            [
                ("reported_on", DateField(), 0, 0),
                ("incident_on", DateField(), 0, 1, 1, [approx]),
                ("channel", CodeCombo(t, "report_channel"), 1, 0),
                ("reporter/name", TextField(), 2, 0),
                ("reporter/relation", TextField(), 2, 1),
                ("reporter/contact", TextField(), 3, 0),
            ],
        )
        self._fields["reported_on"].edited.connect(self._update_ages)

    def _build_list_section(self, name: str, hint_code: str) -> None:
        box = self._section(name, _SECTION_CODES[name])
        layout = QVBoxLayout(box)
        self._hint(layout, hint_code)
        self._add_list(name, layout)

    def _add_list(self, name: str, layout: QVBoxLayout) -> None:
        cards = QVBoxLayout()
        cards.setSpacing(8)
        layout.addLayout(cards)
        self._card_layouts[name] = cards
        add = QPushButton()
        add.setObjectName(f"add_{name}")
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_item(name))
        self._labels.append((add, _ADD_CODES[name]))
        undo = QPushButton()
        undo.setObjectName(f"undo_remove_{name}")
        undo.setAutoDefault(False)
        undo.clicked.connect(lambda: self.undo_remove(name))
        undo.hide()
        self._labels.append((undo, _UNDO_CODES[name]))
        list_box = FieldBox(add, undo)
        row = QHBoxLayout()
        row.addWidget(list_box)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_buttons[name] = add
        self.undo_buttons[name] = undo
        self._list_boxes[name] = list_box

    def _build_violence(self) -> None:
        t = self._texts
        _layout, grid, _hints = self._grid_section("violence")
        self._fields_in(
            "violence",
            grid,
            [
                ("violence_types", CodeChecks(t, "violence_type", columns=3), 0, 0, 2),
                ("tpks_types", CodeChecks(t, "tpks_type", columns=2), 1, 0, 2),
                ("kdrt", BoolField(), 2, 0),
                ("online", BoolField(), 2, 1),
                ("place", CodeCombo(t, "place"), 3, 0),
                ("incident_village", VillageCombo(t), 3, 1),
                ("incident_address", LongTextField(lines=2), 4, 0, 2),
                ("narrative", LongTextField(lines=6), 5, 0, 2),
                ("urgent_risk", BoolField(), 6, 0, 2),
                ("urgent_note", LongTextField(lines=2), 7, 0, 2),
            ],
        )
        for path in ("violence_types", "tpks_types", "urgent_risk"):
            self._fields[path].edited.connect(self._update_rules)

    def _build_tppo(self) -> None:
        t = self._texts
        layout, grid, hints = self._grid_section(
            "tppo", "gui_cf_tppo_hint", "gui_cf_tppo_child_means"
        )
        self.tppo_child_hint = hints[1]
        self._fields_in(
            "tppo",
            grid,
            [
                ("tppo/process", CodeChecks(t, "tppo_process", columns=3), 0, 0, 2),
                ("tppo/means", CodeChecks(t, "tppo_means", columns=2), 1, 0, 2),
                ("tppo/purpose", CodeChecks(t, "tppo_purpose", columns=2), 2, 0, 2),
            ],
        )
        self._subheading(layout, "gui_cf_f_tppo_indicators")
        indicators = QGridLayout()
        indicators.setHorizontalSpacing(16)
        indicators.setVerticalSpacing(2)
        indicators.setColumnStretch(0, 1)
        layout.addLayout(indicators)
        for row, code in enumerate(load_taxonomy().codes("tppo_indicator")):
            path = f"tppo/indicators/{code}"
            field = TriStateField(t)
            field.setObjectName(path)
            fbox = FieldBox(field)
            label = QLabel()
            label.setWordWrap(True)
            label.setBuddy(field.first_button())
            indicators.addWidget(label, row, 0)
            indicators.addWidget(fbox, row, 1)
            self._fields[path] = field
            self._boxes[path] = fbox
            self._section_focus["tppo"].extend(field.focus_order())
            self._watch(field, fbox)
            self._indicator_labels.append((label, code))
        self._subheading(layout, "gui_cf_tppo_details")
        details = two_pair_grid()
        layout.addLayout(details)
        domestic = self._flag("tppo/destination_domestic", "gui_cf_f_domestic_short")
        self._fields_in(
            "tppo",
            details,
            [
                ("tppo/destination", TextField(), 0, 0, 1, [domestic]),
                ("tppo/transit", TextListField(max_length=2000), 0, 1),
                ("tppo/departed_on", DateField(), 1, 0),
                ("tppo/returned_on", DateField(), 1, 1),
                ("tppo/recruiter_type", CodeCombo(t, "recruiter_type"), 2, 0),
                ("tppo/route", CodeCombo(t, "tppo_route"), 2, 1),
                ("tppo/work_sector", TextField(), 3, 0),
                ("tppo/debt_amount", IntField(), 3, 1),
                ("tppo/documents_held", LongTextField(lines=2), 4, 0, 2),
                ("tppo/still_abroad", BoolField(), 5, 0),
                ("tppo/needs_repatriation", BoolField(), 5, 1),
                ("tppo/reported_to", CodeChecks(t, "tppo_reported_to", columns=4), 6, 0, 2),
            ],
        )

    def _build_services(self) -> None:
        box = self._section("services", _SECTION_CODES["services"])
        layout = QVBoxLayout(box)
        for name in ("services", "referrals"):
            self._subheading(layout, FIELD_CODES[name])
            self._add_list(name, layout)

    def _build_consent(self) -> None:
        t = self._texts
        _layout, grid, hints = self._grid_section("consent", "gui_cf_consent_child")
        self.consent_child_hint = hints[0]
        self._fields_in(
            "consent",
            grid,
            [
                ("consent/given_by", CodeCombo(t, "consent_by"), 0, 0),
                ("consent/given_by_relation", TextField(), 0, 1),
                ("consent/justification", LongTextField(lines=2), 1, 0, 2),
                ("consent/on", DateField(), 2, 0),
                ("consent/method", CodeCombo(t, "consent_method"), 2, 1),
                ("consent/scope", CodeChecks(t, "consent_scope", columns=2), 3, 0, 2),
                ("consent/explained", CodeChecks(t, "consent_explained", columns=3), 4, 0, 2),
                ("consent/withdrawn_on", DateField(), 5, 0),
            ],
        )
        self._fields["consent/given_by"].edited.connect(self._update_rules)

    def _build_status(self) -> None:
        t = self._texts
        layout, grid, _hints = self._grid_section("status")
        self._fields_in(
            "status",
            grid,
            [
                ("status", CodeCombo(t, "case_status"), 0, 0),
                ("legal_status", CodeCombo(t, "legal_status"), 0, 1),
                ("outcome", CodeCombo(t, "case_outcome"), 1, 0),
            ],
        )
        self.mediation_hint = self._hint(layout, "gui_cf_no_mediation")
        self.status_deadline = QLabel()
        self.status_deadline.setObjectName("status_deadline")
        self.status_deadline.setWordWrap(True)
        self.status_deadline.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.status_deadline)
        self._fields["legal_status"].edited.connect(self._update_deadline)

    # ------------------------------------------------------------------ list items

    def add_item(self, name: str, item: Mapping[str, Any] | None = None) -> ItemCard:
        """Add a victim, perpetrator, service or referral card (empty, or holding ``item``);
        a card added by the person gets the focus."""
        card = make_card(
            name,
            self._texts,
            item,
            parent=self.sections[_LIST_SECTIONS[name]],
            reported_on=self._reported_on,
            default_village=self._store.village if self._store is not None else None,
        )
        self.cards[name].append(card)
        self._card_layouts[name].addWidget(card)
        if self.isVisible():
            card.show()  # now, not when the event loop next runs: Tab must find it at once
        card.edited.connect(self._on_edited)
        card.remove_requested.connect(self._on_remove_requested)
        if name == "victims":
            card.edited.connect(self._on_victims_edited)
        if name == "referrals":
            card.edited.connect(self._update_deadline)
        self._list_boxes[name].clear_problem()
        self._renumber(name)
        if not self._loading:
            self._after_structure_change()
            first = card.focus_widgets()[0]
            first.setFocus(Qt.FocusReason.ShortcutFocusReason)
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(card, 0, 40))
            self._on_edited()
        return card

    @Slot(object)
    def _on_remove_requested(self, card: ItemCard) -> None:
        self.remove_item(card)

    def remove_item(self, card: ItemCard) -> None:
        """Take a card out of the case; "Undo" puts the last one removed back."""
        name = card.LIST
        previous = self._removed[name]
        if previous is not None:
            previous.deleteLater()
        self.cards[name].remove(card)
        self._card_layouts[name].removeWidget(card)
        card.hide()
        self._removed[name] = card
        self.undo_buttons[name].show()
        self._renumber(name)
        self._after_structure_change()
        self.add_buttons[name].setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_edited()

    def undo_remove(self, name: str) -> None:
        """Put back the card removed last from list ``name``."""
        card = self._removed[name]
        if card is None:
            return
        self._removed[name] = None
        self.undo_buttons[name].hide()
        self.cards[name].append(card)
        self._card_layouts[name].addWidget(card)
        card.show()
        self._renumber(name)
        self._after_structure_change()
        card.focus_widgets()[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_edited()

    def _renumber(self, name: str) -> None:
        for number, card in enumerate(self.cards[name], start=1):
            card.set_number(number)

    def _after_structure_change(self) -> None:
        self._sync_relationships()
        self._update_rules()
        self._rebuild_tab_order()

    def _sync_relationships(self) -> None:
        victims = [c for c in self.cards["victims"] if isinstance(c, VictimCard)]
        for card in self.cards["perpetrators"]:
            if isinstance(card, PerpetratorCard):
                card.set_victims(victims)

    @Slot()
    def _on_victims_edited(self) -> None:
        if self._loading:
            return
        victims = [c for c in self.cards["victims"] if isinstance(c, VictimCard)]
        for card in self.cards["perpetrators"]:
            if isinstance(card, PerpetratorCard):
                for victim in victims:
                    label = card._relation_labels.get(victim.item_id)
                    if label is not None:
                        label.setText(victim.short_name())
        self._update_rules()

    def _reported_on(self) -> date:
        value = self._fields["reported_on"].value() if hasattr(self, "_fields") else None
        return parse_date(value) or self._today()

    @Slot()
    def _update_ages(self) -> None:
        for card in self.cards["victims"]:
            if isinstance(card, VictimCard):
                card.update_age()

    # ------------------------------------------------------------------ the document

    def _load_items(self) -> None:
        for name in LISTS:
            for card in self.cards[name]:
                self._card_layouts[name].removeWidget(card)
                card.hide()
                card.deleteLater()
            self.cards[name] = []
            removed = self._removed[name]
            if removed is not None:
                removed.deleteLater()
                self._removed[name] = None
            self.undo_buttons[name].hide()
            for item in self._doc.get(name) or []:
                if isinstance(item, Mapping):
                    self.add_item(name, item)
        if not self.cards["victims"]:
            self.add_item("victims")  # a case has at least one victim

    def _after_load(self) -> None:
        self._after_structure_change()
        self._update_ages()

    def _fill_document(self, doc: dict[str, Any]) -> None:
        for path, field in self._fields.items():
            if not path.startswith("tppo/indicators/"):
                _set_path(doc, path, field.value())
        known = set(load_taxonomy().codes("tppo_indicator"))
        loaded = value_at(self._doc, "tppo/indicators")
        indicators = {
            k: v
            for k, v in (loaded.items() if isinstance(loaded, Mapping) else ())
            if k not in known
        }
        for code in known:
            value = self._fields[f"tppo/indicators/{code}"].value()
            if value is not None:
                indicators[code] = value
        _set_path(doc, "tppo/indicators", indicators or None)
        for name in LISTS:
            items = [card.value() for card in self.cards[name]]
            if items:
                doc[name] = items
            else:
                doc.pop(name, None)
        types = doc.get("violence_types") or []
        if TRAFFICKING not in types:
            doc.pop("tppo", None)  # the section is hidden: nothing unseen is saved
        if SEXUAL not in types:
            doc.pop("tpks_types", None)
        if doc.get("urgent_risk") is not True:
            doc.pop("urgent_note", None)

    # ------------------------------------------------------------------ rules shown live

    @Slot()
    def _update_rules(self) -> None:
        if self._loading:
            return
        types = self._codes("violence_types")
        tpks = self._codes("tpks_types")
        sexual = SEXUAL in types or bool(tpks)
        trafficking = TRAFFICKING in types
        self.sections["tppo"].setVisible(trafficking)
        nav_item = self.nav.item(self._section_index("tppo"))
        if nav_item is not None:
            nav_item.setHidden(not trafficking)
        show_tpks = SEXUAL in types
        self._boxes["tpks_types"].setVisible(show_tpks)
        self._row_labels["tpks_types"].setVisible(show_tpks)
        urgent = self._fields["urgent_risk"].value() is True
        self._boxes["urgent_note"].setVisible(urgent)
        self._row_labels["urgent_note"].setVisible(urgent)
        # the legal basis is asked for "another legal basis" (required) and an institution
        justification = (
            self._fields["consent/given_by"].value() in _JUSTIFIED
            or self._fields["consent/justification"].value() is not None
        )
        self._boxes["consent/justification"].setVisible(justification)
        self._row_labels["consent/justification"].setVisible(justification)
        # UU TPKS Pasal 23: a sexual-violence case is never settled by mediation
        outcome = self._fields["outcome"]
        assert isinstance(outcome, CodeCombo)
        outcome.hide_codes([MEDIATION] if sexual else [])
        self.mediation_hint.setVisible(sexual)
        children = self._child_victims()
        self.tppo_child_hint.setVisible(
            bool(children) and len(children) == len(self.cards["victims"])
        )
        self.consent_child_hint.setVisible(bool(children))
        self._update_deadline()

    def _codes(self, path: str) -> list[str]:
        value = self._fields[path].value()
        return value if isinstance(value, list) else []

    def _child_victims(self) -> list[str]:
        on = self._reported_on()
        out = []
        for card in self.cards["victims"]:
            age = victim_age(card.value(), on=on)
            if age is not None and is_child(age):
                out.append(card.item_id)
        return out

    @Slot()
    def _update_deadline(self) -> None:
        if self._loading or not hasattr(self, "status_deadline"):
            return
        text, urgency = deadline_text(self._texts.t, self.document(), datetime.now())
        for label in (self.deadline, self.status_deadline):
            label.setText(text)
            label.setProperty("urgency", urgency)
            label.setVisible(bool(text))
            label.style().unpolish(label)
            label.style().polish(label)
            label.updateGeometry()

    # ------------------------------------------------------------------ tab order

    def focus_chain(self) -> list[QWidget]:
        """Every Tab stop of the form, in reading order."""
        chain: list[QWidget] = []
        for key, _code in SECTIONS:
            chain.extend(self._section_focus.get(key, []))
            for name in _SECTION_LISTS.get(key, ()):
                for card in self.cards[name]:
                    chain.extend(card.focus_widgets())
                chain.append(self.add_buttons[name])
                chain.append(self.undo_buttons[name])
        chain.extend([self.close_button, self.save_button])
        return chain

    # ------------------------------------------------------------------ navigation

    def _section_index(self, key: str) -> int:
        return [k for k, _c in SECTIONS].index(key)

    def go_to_section(self, key: str) -> None:
        """Scroll to a section and put the focus on its first field (Alt+1 … Alt+8)."""
        box = self.sections[key]
        if box.isHidden():
            return
        self.scroll_area.verticalScrollBar().setValue(box.y())
        chain = [w for w in self._section_focus_all(key) if w.isVisibleTo(self)]
        if chain:
            chain[0].setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.nav.setCurrentRow(self._section_index(key))

    def go_to_start(self) -> None:
        """The first section (the window was opened)."""
        self.go_to_section("report")

    def _section_focus_all(self, key: str) -> list[QWidget]:
        widgets = list(self._section_focus.get(key, []))
        for name in _SECTION_LISTS.get(key, ()):
            for card in self.cards[name]:
                widgets.extend(card.focus_widgets())
            widgets.append(self.add_buttons[name])
        return widgets

    @Slot(QListWidgetItem)
    def _on_nav_clicked(self, item: QListWidgetItem) -> None:
        self.go_to_section(SECTIONS[self.nav.row(item)][0])

    # ------------------------------------------------------------------ problems

    def _problem_boxes(self) -> Iterable[FieldBox]:
        yield from self._boxes.values()
        yield from self._list_boxes.values()
        for name in LISTS:
            for card in self.cards[name]:
                yield from card.boxes.values()
                if isinstance(card, PerpetratorCard):
                    yield from card.relation_boxes.values()

    def _mark_problem_sections(self, paths: Collection[str]) -> None:
        self._problem_sections = {section_of(path) for path in paths}
        self._retranslate_nav()

    def box_for(self, path: str) -> FieldBox | None:
        """Where the problem of a field path is shown (its field, else its card or list)."""
        if path in self._boxes:
            return self._boxes[path]
        parts = path.split("/")
        if parts[0] in LISTS:
            if len(parts) == 1:
                return self._list_boxes[parts[0]]
            card = next((c for c in self.cards[parts[0]] if c.item_id == parts[1]), None)
            if card is None:
                return self._list_boxes[parts[0]]
            if (
                len(parts) >= 4
                and parts[2] == "relationships"
                and isinstance(card, PerpetratorCard)
            ):
                return card.relation_boxes.get(parts[3]) or card.boxes.get("name")
            key = parts[2] if len(parts) >= 3 else "name"
            return card.boxes.get(key) or next(iter(card.boxes.values()), None)
        for cut in range(len(parts) - 1, 0, -1):
            box = self._boxes.get("/".join(parts[:cut]))
            if box is not None:
                return box
        return None

    def _item_numbers(self) -> Mapping[str, object]:
        return item_numbers(self.document())

    def _path_labeller(self) -> Callable[[str], str]:
        numbers = item_numbers(self.document())
        t = self._texts.t
        return lambda path: path_label(t, path, numbers, label=self._texts.label)

    def _field_problem(self, path: str, field: FieldWidget) -> str | None:
        code = local_problem(field)
        if code is not None and field.isVisibleTo(self) and self._sections_shown(path):
            return code
        return None

    def _local_problems(self) -> list[tuple[str, str]]:
        t = self._texts.t
        found = super()._local_problems()
        for name in LISTS:
            for card in self.cards[name]:
                for key, field in card.local_fields().items():
                    code = local_problem(field)
                    if code is not None:
                        found.append((f"{name}/{card.item_id}/{key}", t(code)))
        return found

    def _sections_shown(self, path: str) -> bool:
        return not self.sections[section_of(path)].isHidden()

    # ------------------------------------------------------------------ saving

    def _validation_body(
        self, doc: Mapping[str, Any], typed: Collection[str], store: Store
    ) -> dict[str, Any]:
        body = {**doc, "kind": "case"}
        body.setdefault("village", store.village)
        for path in typed:
            _drop_path(body, path)
        return body

    # ------------------------------------------------------------------ drafts and locks

    def finish(self) -> None:
        """The form is closing: keep unsaved input as a draft, forget the store."""
        super().finish()
        self._clock.stop()

    def _empty_form(self) -> None:
        for name in LISTS:
            for card in [*self.cards[name], self._removed[name]]:
                if card is not None:
                    for field in card.fields.values():
                        field.set_value(None)
                    card.hide()
        super()._empty_form()

    @Slot()
    def _on_records_changed(self) -> None:
        store = self._store
        if store is None or self.record_id is None or self._base is None or self._done:
            return
        try:
            current = store.get(self.record_id)
        except UserError:
            return
        self.concurrent_banner.setVisible(set(current.base) != set(self._base))

    # ------------------------------------------------------------------ texts

    def _retranslate_nav(self) -> None:
        t = self._texts.t
        problems = self._problem_sections
        for row, (key, code) in enumerate(SECTIONS):
            item = self.nav.item(row)
            if item is None:
                continue
            text = f"{row + 1}. {t(code)}"
            if key in problems:
                text = f"{text}  ⚠"
            item.setText(text)
            item.setToolTip(t("gui_cf_section_key", n=row + 1))

    def _section_title(self, code: str, title: str) -> str:
        number = _SECTION_NUMBERS.get(code)
        return f"{number}. {title}" if number else title

    def _retranslate_form(self, *, refill: bool) -> None:
        t = self._texts.t
        for label, code in self._indicator_labels:
            label.setText(self._texts.label("tppo_indicator", code))
        for field in self._fields.values():
            if isinstance(field, DateField):
                field.setPlaceholderText(t("gui_cf_date_hint"))
            elif refill and isinstance(
                field, CodeCombo | CodeChecks | VillageCombo | TriStateField
            ):
                field.retranslate()
        if refill:
            for name in LISTS:
                for card in self.cards[name]:
                    card.retranslate()
                removed = self._removed[name]
                if removed is not None:
                    removed.retranslate()
        self.concurrent_text.setText(t("gui_cf_concurrent"))
        self._retranslate_nav()
        self._update_rules()
        self._update_deadline()


def _drop_path(doc: dict[str, Any], path: str) -> None:
    """Remove the value at ``path`` (an item field too) before validating the rest."""
    parts = path.split("/")
    if parts[0] in LISTS and len(parts) >= 3:
        for item in doc.get(parts[0]) or []:
            if isinstance(item, dict) and item.get("id") == parts[1]:
                item.pop(parts[2], None)
        return
    _set_path(doc, path, None)


def deadline_text(t: Callable[..., str], doc: Mapping[str, Any], now: datetime) -> tuple[str, str]:
    """The UU TPKS Pasal 41 countdown of a case as text and urgency (``open``, ``late``,
    ``done``); empty when it does not apply."""
    deadline = police_deadline(doc)
    if deadline is None:
        return "", ""
    received = display_date(deadline.received_on.isoformat())
    due = deadline.due.strftime("%d/%m/%Y %H:%M")
    if deadline.forwarded:
        return t("gui_cf_deadline_done", received=received), "done"
    left = deadline.remaining(now)
    if left.total_seconds() <= 0:
        late = -left
        return (
            t(
                "gui_cf_deadline_late",
                due=due,
                days=late.days,
                hours=late.seconds // 3600,
                received=received,
            ),
            "late",
        )
    return (
        t(
            "gui_cf_deadline_open",
            due=due,
            days=left.days,
            hours=left.seconds // 3600,
            received=received,
        ),
        "open",
    )


# ---------------------------------------------------------------------- windows


_OPEN: dict[str, CaseFormWindow] = {}
"""The open form windows by draft key: one per case (and one new case) at a time."""


class CaseFormWindow(RecordFormWindow[CaseForm]):
    """The window of one case form. Closing it keeps unsaved input as a draft; a save
    closes it; a lock empties and closes it. Its title carries the case code, never a name.

    Signals:
        saved: The case was saved (its :class:`RecordView`).
    """

    FORM = CaseForm
    NAME = "case_form_window"
    SIZE = (1060, 780)
    REGISTRY = _OPEN


def open_new_case(ctx: AppContext, parent: QWidget | None = None) -> CaseFormWindow:
    """Open the form for a new case (an unsaved one from before a crash or lock comes back).

    Raises:
        RuntimeError: the profile is locked.
    """
    return CaseFormWindow.open(ctx, None, parent)


def open_edit_case(
    ctx: AppContext, record_id: str, parent: QWidget | None = None
) -> CaseFormWindow:
    """Open the form to edit the case ``record_id`` (an unsaved edit comes back).

    Raises:
        RuntimeError: the profile is locked.
        UnknownRecordError: no such case.
    """
    return CaseFormWindow.open(ctx, edited_record(ctx, record_id), parent)
