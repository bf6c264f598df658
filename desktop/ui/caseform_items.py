"""The repeated parts of the case form: a card per victim, perpetrator, service and referral.

Each card holds one list item (its id is made when the card is, so a problem found on save
points at this card) and keeps the item's fields the form does not show, so an edit never
drops them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

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
    VillageCombo,
    focus_order,
    place,
    two_pair_grid,
)
from desktop.ui.caseform_rules import ITEM_CODES, ITEM_TITLE_CODES, age_facts
from desktop.ui.language import Texts
from desktop.ui.widgets import set_tone
from simpul.records.derived import is_child
from simpul.records.paths import new_item_id

__all__ = ["ItemCard", "PerpetratorCard", "ReferralCard", "ServiceCard", "VictimCard", "make_card"]

REMOVE_CODES = {
    "victims": "gui_cf_remove_victims",
    "perpetrators": "gui_cf_remove_perpetrators",
    "services": "gui_cf_remove_services",
    "referrals": "gui_cf_remove_referrals",
}


class ItemCard(QFrame):
    """One item of a list (victim, perpetrator, service, referral) as a titled card.

    Signals:
        edited: A field of the item may have changed.
        remove_requested: The person asked to remove this item.
    """

    edited = Signal()
    remove_requested = Signal(object)

    LIST = ""

    def __init__(
        self,
        texts: Texts,
        item: Mapping[str, Any] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("item_card")
        self._texts = texts
        self._item: dict[str, Any] = copy.deepcopy(dict(item or {}))
        self.item_id: str = str(self._item.get("id") or new_item_id())
        self.number = 0
        self.fields: dict[str, FieldWidget] = {}
        self.boxes: dict[str, FieldBox] = {}
        self._labels: list[tuple[QLabel | QCheckBox, str]] = []
        self.title = QLabel()
        self.title.setProperty("subheading", True)
        self.remove = QPushButton()
        self.remove.setObjectName(f"remove_{self.LIST}")
        self.remove.setAutoDefault(False)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.remove)
        self.grid = two_pair_grid()
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 8, 12, 10)
        self.body.addLayout(header)
        self.body.addLayout(self.grid)
        self._order: list[QWidget] = []

    # ------------------------------------------------------------------ building

    def add(
        self,
        key: str,
        field: FieldWidget,
        row: int,
        column: int,
        *,
        span: int = 1,
        extras: Sequence[QWidget] = (),
        label_code: str | None = None,
    ) -> FieldWidget:
        """Place ``field`` (the item's ``key``) with its label at grid ``row``/``column`` (0/1)."""
        field.setObjectName(f"{self.LIST}:{key}")
        box = FieldBox(field, *extras)
        self.fields[key] = field
        self.boxes[key] = box
        code = label_code or ITEM_CODES[self.LIST][key]
        if isinstance(field, BoolField):
            self._labels.append((field, code))  # a check box carries its own label
            place(self.grid, None, box, row, column, span)
        else:
            label = QLabel()
            label.setBuddy(field)
            self._labels.append((label, code))
            place(self.grid, label, box, row, column, span)
        self._order.append(field)
        self._order.extend(extras)
        field.edited.connect(self.edited)
        field.edited.connect(lambda: box.clear_problem())
        return field

    def fill(self) -> None:
        """Show the item's values (after the fields are placed)."""
        for key, field in self.fields.items():
            field.set_value(self._item.get(key))

    # ------------------------------------------------------------------ values

    def value(self) -> dict[str, Any]:
        """The item as a document holds it: shown fields as filled, hidden ones as they were."""
        item = copy.deepcopy(self._item)
        item["id"] = self.item_id
        for key, field in self.fields.items():
            item[key] = field.value()
        return {k: v for k, v in item.items() if v is not None}

    def local_fields(self) -> dict[str, FieldWidget]:
        """Fields by their key (for the form's own checks of typed dates and numbers)."""
        return dict(self.fields)

    def focus_widgets(self) -> list[QWidget]:
        """Tab stops in reading order: the fields, then the remove button."""
        return [*focus_order(self._order), self.remove]

    def set_number(self, number: int) -> None:
        """This item's position in its list (its title says "Korban 2")."""
        if number != self.number:
            self.number = number
            self.title.setText(self._texts.t(ITEM_TITLE_CODES[self.LIST], n=number))

    def retranslate(self, *, refill: bool = True) -> None:
        """Texts in the current language; ``refill`` also relabels the lists of choices
        (not needed right after they were made)."""
        t = self._texts.t
        self.title.setText(t(ITEM_TITLE_CODES[self.LIST], n=self.number))
        self.remove.setText(t(REMOVE_CODES[self.LIST]))
        for label, code in self._labels:
            label.setText(t(code))
        for field in self.fields.values():
            if isinstance(field, DateField):
                field.setPlaceholderText(t("gui_cf_date_hint"))
            elif refill and isinstance(field, CodeCombo | CodeChecks | VillageCombo):
                field.retranslate()


class VictimCard(ItemCard):
    """A victim: identity (all optional), sex, age or birth date with the derived age band and
    child/adult shown as they are typed, education, disability, domicile."""

    LIST = "victims"

    def __init__(
        self,
        texts: Texts,
        item: Mapping[str, Any] | None = None,
        *,
        reported_on: Callable[[], date],
        default_village: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(texts, item, parent=parent)
        self._reported_on = reported_on
        self.age_estimated = BoolField()
        self.age_estimated.setObjectName("victims:age_estimated")
        self.fields["age_estimated"] = self.age_estimated
        self.age_estimated.edited.connect(self.edited)
        self._labels.append((self.age_estimated, "gui_cf_f_age_estimated_short"))
        self.derived = QLabel()
        self.derived.setObjectName("victim_derived")
        set_tone(self.derived, "hint")

        self.add("name", TextField(), 0, 0)
        self.add("nik", _nik_field(), 0, 1)
        self.add("sex", CodeCombo(texts, "sex"), 1, 0)
        self.add("citizenship", CodeCombo(texts, "citizenship"), 1, 1)
        self.add("birth_date", DateField(), 2, 0)
        self.add("age", IntField(max_digits=3), 2, 1, extras=[self.age_estimated])
        self.grid.addWidget(self.derived, 3, 1, 1, 3)
        self.add("education", CodeCombo(texts, "education"), 4, 0)
        self.add("school_status", CodeCombo(texts, "school_status"), 4, 1)
        self.add("occupation", TextField(), 5, 0)
        self.add("marital_status", CodeCombo(texts, "marital_status"), 5, 1)
        disability = self.add("disability", CodeCombo(texts, "disability"), 6, 0)
        self.add("disability_types", CodeChecks(texts, "disability_type", columns=3), 7, 0, span=2)
        self.add("domicile_village", VillageCombo(texts), 8, 0)
        self.add("contact", TextField(), 8, 1)
        self.add("pregnant", BoolField(), 9, 0)
        self.add(
            "violence_types",
            CodeChecks(texts, "violence_type", columns=3),
            10,
            0,
            span=2,
            label_code="gui_cf_f_victim_violence_types",
        )
        if not self._item:
            self._item = {"citizenship": "wni", "domicile_village": default_village}
        self.fill()
        disability.edited.connect(self._show_disability_types)
        for key in ("birth_date", "age"):
            self.fields[key].edited.connect(self.update_age)
        self._show_disability_types()
        self.update_age()

    def value(self) -> dict[str, Any]:
        item = super().value()
        if item.get("disability") != "ya":
            item.pop("disability_types", None)
        return item

    @Slot()
    def _show_disability_types(self) -> None:
        self.boxes["disability_types"].setVisible(self.fields["disability"].value() == "ya")
        item = self.grid.itemAtPosition(7, 0)
        label = item.widget() if item is not None else None
        if label is not None:
            label.setVisible(self.boxes["disability_types"].isVisibleTo(self))

    @Slot()
    def update_age(self) -> None:
        """Show the age, SIMFONI age band and child/adult derived from what is typed."""
        t = self._texts.t
        facts = age_facts(self.value(), on=self._reported_on())
        if facts is None:
            self.derived.setText(t("gui_cf_age_unknown"))
            return
        group = t("gui_cf_child") if facts.child else t("gui_cf_adult")
        code = "gui_cf_age_from_birth" if facts.from_birth_date else "gui_cf_age_derived"
        self.derived.setText(
            t(code, age=facts.age, band=self._texts.label("age_band", facts.band), group=group)
        )

    def short_name(self) -> str:
        """How the relationship rows of perpetrators name this victim (``Korban 1: Sri``)."""
        name = self.fields["name"].value()
        title = self._texts.t("gui_cf_victim_n", n=self.number)
        return f"{title}: {name}" if isinstance(name, str) and name else title

    def retranslate(self, *, refill: bool = True) -> None:
        super().retranslate(refill=refill)
        if hasattr(self, "derived"):
            self.update_age()


def _nik_field() -> TextField:
    field = TextField(max_length=16)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,16}")))
    return field


class PerpetratorCard(ItemCard):
    """A perpetrator: identity, sex, age (the child flag follows it), occupation, and the
    relationship to each victim of the case."""

    LIST = "perpetrators"

    def __init__(
        self,
        texts: Texts,
        item: Mapping[str, Any] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(texts, item, parent=parent)
        self.age_estimated = BoolField()
        self.age_estimated.setObjectName("perpetrators:age_estimated")
        self.fields["age_estimated"] = self.age_estimated
        self.age_estimated.edited.connect(self.edited)
        self._labels.append((self.age_estimated, "gui_cf_f_age_estimated_short"))
        self.add("name", TextField(), 0, 0)
        self.add("sex", CodeCombo(texts, "sex"), 0, 1)
        self.add("age", IntField(max_digits=3), 1, 0, extras=[self.age_estimated])
        self.add("occupation", TextField(), 1, 1)
        self.add("child", BoolField(), 2, 0, span=2)
        self.relations_title = QLabel()
        self.relations_title.setContentsMargins(0, 6, 0, 0)
        self._labels.append((self.relations_title, "gui_cf_relationships_title"))
        self.relations = QGridLayout()
        self.relations.setColumnStretch(1, 1)
        self.body.addWidget(self.relations_title)
        self.body.addLayout(self.relations)
        self._victim_order: list[str] = []
        self.relation_fields: dict[str, CodeCombo] = {}
        self.relation_boxes: dict[str, FieldBox] = {}
        self._relation_labels: dict[str, QLabel] = {}
        relationships = self._item.get("relationships")
        self._relationships: dict[str, Any] = (
            dict(relationships) if isinstance(relationships, Mapping) else {}
        )
        self.fill()
        self.fields["age"].edited.connect(self._follow_age)
        self._follow_age()

    @Slot()
    def _follow_age(self) -> None:
        age = self.fields["age"].value()
        child = self.fields["child"]
        assert isinstance(child, BoolField)
        if isinstance(age, int):
            child.setChecked(is_child(age))
            child.setEnabled(False)  # the age says it (the flag is for an unknown age)
        else:
            child.setEnabled(True)

    def set_victims(self, victims: Sequence[VictimCard]) -> None:
        """One relationship row per victim of the case (values kept by victim id)."""
        for vid, combo in self.relation_fields.items():
            self._relationships[vid] = combo.value()
        wanted = [v.item_id for v in victims]
        for vid in list(self.relation_fields):
            self.relations.removeWidget(self._relation_labels[vid])
            self.relations.removeWidget(self.relation_boxes[vid])
            if vid not in wanted:
                self.relation_fields.pop(vid)
                for widget in (self.relation_boxes.pop(vid), self._relation_labels.pop(vid)):
                    widget.hide()
                    widget.deleteLater()
        for row, victim in enumerate(victims):
            if victim.item_id not in self.relation_fields:
                self._add_relation(victim.item_id)
            label = self._relation_labels[victim.item_id]
            label.setText(victim.short_name())
            self.relations.addWidget(label, row, 0)
            self.relations.addWidget(self.relation_boxes[victim.item_id], row, 1)
        self._victim_order = wanted

    def _add_relation(self, victim_id: str) -> None:
        combo = CodeCombo(self._texts, "relationship")
        combo.setObjectName("perpetrators:relationship")
        combo.set_value(self._relationships.get(victim_id))
        box = FieldBox(combo)
        label = QLabel()
        label.setBuddy(combo)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 4, 0, 0)
        combo.edited.connect(self.edited)
        combo.edited.connect(box.clear_problem)
        self.relation_fields[victim_id] = combo
        self.relation_boxes[victim_id] = box
        self._relation_labels[victim_id] = label

    def value(self) -> dict[str, Any]:
        item = super().value()
        age = item.get("age")
        if isinstance(age, int):
            item["child"] = is_child(age)
        relationships = {
            vid: combo.value()
            for vid, combo in self.relation_fields.items()
            if combo.value() is not None
        }
        if relationships:
            item["relationships"] = relationships
        else:
            item.pop("relationships", None)
        return item

    def focus_widgets(self) -> list[QWidget]:
        relation = [
            self.relation_fields[v] for v in self._victim_order if v in self.relation_fields
        ]
        return [*focus_order(self._order), *relation, self.remove]

    def retranslate(self, *, refill: bool = True) -> None:
        super().retranslate(refill=refill)
        if refill:
            for combo in getattr(self, "relation_fields", {}).values():
                combo.retranslate()


class ServiceCard(ItemCard):
    """A service given (a dated event): type, date, institution, description."""

    LIST = "services"

    def __init__(
        self,
        texts: Texts,
        item: Mapping[str, Any] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(texts, item, parent=parent)
        self.add("type", CodeCombo(texts, "service_type"), 0, 0)
        self.add("on", DateField(), 0, 1)
        self.add("institution", TextField(), 1, 0, span=2)
        self.add("description", LongTextField(lines=2), 2, 0, span=2)
        self.fill()


class ReferralCard(ItemCard):
    """A referral (a dated event): to whom, date, status, note."""

    LIST = "referrals"

    def __init__(
        self,
        texts: Texts,
        item: Mapping[str, Any] | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(texts, item, parent=parent)
        self.add("to", CodeCombo(texts, "referral_target"), 0, 0)
        self.add("on", DateField(), 0, 1)
        self.add("status", CodeCombo(texts, "referral_status"), 1, 0)
        self.add("note", LongTextField(lines=2), 2, 0, span=2)
        if not self._item:
            self._item = {"status": "dikirim"}
        self.fill()


def make_card(
    list_name: str,
    texts: Texts,
    item: Mapping[str, Any] | None,
    *,
    reported_on: Callable[[], date],
    default_village: str | None,
    parent: QWidget | None = None,
) -> ItemCard:
    """A card for an item of ``list_name``, its texts in the current language."""
    card: ItemCard
    if list_name == "victims":
        card = VictimCard(
            texts, item, reported_on=reported_on, default_village=default_village, parent=parent
        )
    elif list_name == "perpetrators":
        card = PerpetratorCard(texts, item, parent=parent)
    elif list_name == "services":
        card = ServiceCard(texts, item, parent=parent)
    elif list_name == "referrals":
        card = ReferralCard(texts, item, parent=parent)
    else:
        raise ValueError(f"not an item list: {list_name}")
    card.retranslate(refill=False)
    return card
