"""The outreach form: one activity (sosialisasi, penyuluhan, ...) of the village, in five
short sections.

Kegiatan, Penyelenggara, Peserta, Hasil & tindak lanjut and Dana, one below the other. Combo
boxes and check boxes show labels and hold taxonomy codes (docs/record-format.md, *Outreach*).
Participants are four counts, male/female × child/adult, with the totals kept up to date as
they are typed. A disclosure made during the activity is recorded as a link to a case by its
code only: the outreach record never holds case detail (DOMAIN.md, *Outreach*).

As in the case form, the store validates the whole record on save; every problem is listed
above the form and shown beside its field, and nothing is saved while any remains. Unsaved
input is kept as a sealed draft (a lock or closing the window loses nothing): the machinery
shared with the case form is in ``desktop/ui/recordform.py``. Open it with
:func:`open_new_outreach` and :func:`open_edit_outreach`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import Store
from desktop.ui.caseform_fields import (
    NONE_TEXT,
    CodeChecks,
    CodeCombo,
    DateField,
    FieldBox,
    IntField,
    LongTextField,
    TextField,
    focus_order,
    local_problem,
    two_pair_grid,
)
from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.recordform import (
    AUTOSAVE_MS,
    RecordForm,
    RecordFormWindow,
    edited_record,
)
from desktop.ui.widgets import set_tone
from simpul.records.derived import participants_total
from simpul.records.wilayah import load_regions

__all__ = [
    "AUTOSAVE_MS",
    "FIELD_CODES",
    "KIND",
    "PARTICIPANT_KEYS",
    "SECTIONS",
    "CaseLinksField",
    "OutreachForm",
    "OutreachFormWindow",
    "ParticipantsField",
    "TimeField",
    "VenueVillageCombo",
    "open_edit_outreach",
    "open_new_outreach",
    "outreach_path_label",
]

KIND = "outreach"
"""The record kind the form edits."""

SECTIONS: tuple[tuple[str, str], ...] = (
    ("activity", "gui_of_sec_activity"),
    ("people", "gui_of_sec_people"),
    ("participants", "gui_of_sec_participants"),
    ("results", "gui_of_sec_results"),
    ("funding", "gui_of_sec_funding"),
)
"""The form's sections, in order: key and title code."""

PARTICIPANT_KEYS: tuple[str, ...] = ("male_child", "male_adult", "female_child", "female_adult")
"""The four counts of the participants grid (sex × child/adult), in reading order."""
_DISABILITY = "with_disability"

FIELD_CODES: Mapping[str, str] = {
    "title": "gui_of_f_title",
    "type": "gui_of_f_type",
    "topics": "gui_of_f_topics",
    "held_on": "gui_of_f_held_on",
    "start_time": "gui_of_f_start_time",
    "end_time": "gui_of_f_end_time",
    "venue": "gui_of_f_venue",
    "venue_village": "gui_of_f_venue_village",
    "organisers": "gui_of_f_organisers",
    "speakers": "gui_of_f_speakers",
    "facilitator": "gui_of_f_facilitator",
    "target_groups": "gui_of_f_target_groups",
    "participants": "gui_of_f_participants",
    "participants/male_child": "gui_of_f_male_child",
    "participants/male_adult": "gui_of_f_male_adult",
    "participants/female_child": "gui_of_f_female_child",
    "participants/female_adult": "gui_of_f_female_adult",
    "participants/with_disability": "gui_of_f_with_disability",
    "summary": "gui_of_f_summary",
    "follow_up": "gui_of_f_follow_up",
    "materials": "gui_of_f_materials",
    "evaluation": "gui_of_f_evaluation",
    "linked_cases": "gui_of_f_linked_cases",
    "funding": "gui_of_f_funding",
    "budget": "gui_of_f_budget",
}
"""The label code of each field path of an outreach document the form shows."""

_TIME = re.compile(r"\s*([01]?[0-9]|2[0-3])\s*[:.]?\s*([0-5][0-9])\s*")


def outreach_path_label(t: Callable[..., str], path: str) -> str:
    """A field path of an outreach document in words (``participants/female_child`` →
    ``Peserta › Perempuan, anak``)."""
    code = FIELD_CODES.get(path)
    if code is not None:
        if path.startswith("participants/"):
            return f"{t(FIELD_CODES['participants'])} › {t(code)}"
        return t(code)
    head = path.split("/")[0]
    return t(FIELD_CODES[head]) if head in FIELD_CODES else (path or t("gui_cf_f_record"))


# ---------------------------------------------------------------------- fields


class TimeField(QLineEdit):
    """A time of day typed as ``09:00`` (``9.00`` and ``0900`` work too), held as ``HH:MM``.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(6)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9:. ]{0,6}")))
        self.setMaximumWidth(90)
        self.textChanged.connect(self.edited)

    def value(self) -> str | None:
        """The time as ``HH:MM``, or None when empty or not a time (see :meth:`is_valid`)."""
        match = _TIME.fullmatch(self.text())
        if match is None:
            return None
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    def is_valid(self) -> bool:
        """Whether the text is empty or a time."""
        return not self.text().strip() or self.value() is not None

    def set_value(self, value: object) -> None:
        """Show a stored time (None clears)."""
        self.setText("" if value is None else str(value))


class CountField(QSpinBox):
    """A number of people (0 and up); a blank count is 0.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()
    WIDTH = 120
    """Width of a count (the FieldBox keeps a narrow field at the left)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 999_999)
        self.setFixedWidth(self.WIDTH)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.valueChanged.connect(self.edited)

    def set_value(self, value: object) -> None:
        """Show a stored count (anything but a whole number shows 0)."""
        self.setValue(value if isinstance(value, int) and not isinstance(value, bool) else 0)


class ParticipantsField(QWidget):
    """Participants: laki-laki/perempuan × anak/dewasa, with row, column and grand totals
    that follow the typing, and how many of them live with a disability.

    Signals:
        edited: A count may have changed.
    """

    edited = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self._loaded: dict[str, Any] = {}
        self.counts: dict[str, CountField] = {}
        self.boxes: dict[str, FieldBox] = {}
        self.totals: dict[str, QLabel] = {}
        self._labels: list[tuple[QLabel, str]] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for column, code in enumerate(("gui_of_child", "gui_of_adult", "gui_of_total"), 1):
            self._label(grid, code, 0, column, bold=True)
        for row, (sex, code) in enumerate(
            (("male", "gui_of_male"), ("female", "gui_of_female")), 1
        ):
            self._label(grid, code, row, 0, bold=True)
            for column, age in enumerate(("child", "adult"), 1):
                key = f"{sex}_{age}"
                self._count(grid, key, row, column)
            self._total(grid, sex, row, 3)
        self._label(grid, "gui_of_total", 3, 0, bold=True)
        self._total(grid, "child", 3, 1)
        self._total(grid, "adult", 3, 2)
        self._total(grid, "total", 3, 3)
        self.disability_label = self._label(grid, "gui_of_f_with_disability", 4, 0)
        self._count(grid, _DISABILITY, 4, 1)
        grid.setColumnStretch(4, 1)
        self.update_totals()

    def _label(
        self, grid: QGridLayout, code: str, row: int, column: int, *, bold: bool = False
    ) -> QLabel:
        label = QLabel()
        if bold:
            label.setProperty("subheading", True)
        self._labels.append((label, code))
        grid.addWidget(label, row, column)
        return label

    def _count(self, grid: QGridLayout, key: str, row: int, column: int) -> None:
        field = CountField()
        field.setObjectName(f"participants/{key}")
        box = FieldBox(field)
        self.counts[key] = field
        self.boxes[key] = box
        field.valueChanged.connect(self.update_totals)
        field.edited.connect(self.edited)
        field.edited.connect(box.clear_problem)
        grid.addWidget(box, row, column)

    def _total(self, grid: QGridLayout, key: str, row: int, column: int) -> None:
        label = QLabel("0")
        label.setObjectName(f"total_{key}")
        # as wide as a count, its digits under the count's digits (left of the arrows)
        label.setFixedWidth(CountField.WIDTH)
        label.setContentsMargins(0, 0, 26, 0)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.totals[key] = label
        grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignLeft)

    @Slot()
    def update_totals(self) -> None:
        """Show the totals of the counts as they are now."""
        totals = participants_total({"participants": self._counts()})
        for key, label in self.totals.items():
            label.setText(str(totals[key]))

    def _counts(self) -> dict[str, int]:
        return {key: field.value() for key, field in self.counts.items()}

    def value(self) -> dict[str, Any] | None:
        """The ``participants`` object, or None when nothing was counted (and none loaded).

        Once anything is counted the four counts are all written (0 is a count too); the
        disability count when given or loaded; keys of a newer Simpul are kept as loaded.
        """
        counts = self._counts()
        if not any(counts.values()) and not self._loaded:
            return None
        out = dict(self._loaded)
        for key in PARTICIPANT_KEYS:
            out[key] = counts[key]
        if counts[_DISABILITY] or _DISABILITY in self._loaded:
            out[_DISABILITY] = counts[_DISABILITY]
        return out

    def set_value(self, value: object) -> None:
        """Show a stored ``participants`` object (None: all 0)."""
        loaded = dict(value) if isinstance(value, Mapping) else {}
        self._loaded = loaded
        for key, field in self.counts.items():
            field.set_value(loaded.get(key))
        self.update_totals()

    def focus_order(self) -> list[QWidget]:
        """The counts in reading order: row by row, then the disability count."""
        return [self.counts[key] for key in (*PARTICIPANT_KEYS, _DISABILITY)]

    def retranslate(self) -> None:
        """Labels in the current language."""
        for label, code in self._labels:
            label.setText(self._texts.t(code))


class VenueVillageCombo(QComboBox):
    """The village the activity was held in: the desa and kelurahan of the profile's
    kecamatan by name (a code from elsewhere, e.g. from sync, is kept and shown by name).

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, home_village: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        regions = load_regions()
        kecamatan = regions.village(home_village).kecamatan_code
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addItem(NONE_TEXT, None)
        for village in sorted(regions.villages(kecamatan), key=lambda v: v.name):
            self.addItem(village.name, village.code)
        self.currentIndexChanged.connect(self.edited)

    def value(self) -> str | None:
        """The village code, or None."""
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_value(self, value: object) -> None:
        """Choose the village with code ``value`` (None: none)."""
        code = value if isinstance(value, str) and value else None
        if code is not None and self.findData(code) < 0:
            regions = load_regions()
            self.addItem(regions.village(code).name if regions.is_village(code) else code, code)
        self.setCurrentIndex(self.findData(code) if code is not None else 0)


class CaseLinksField(QWidget):
    """Cases a disclosure during the activity led to, picked and shown by case code only.

    The record holds the cases' record ids (``linked_cases``); no name, date or detail of a
    case is shown or copied into the outreach record.

    Signals:
        edited: The links may have changed.
    """

    edited = Signal()

    def __init__(
        self, texts: Texts, cases: Mapping[str, str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._texts = texts
        self._codes = dict(cases)  # record id -> case code
        self._ids = {code.casefold(): rid for rid, code in self._codes.items()}
        self._linked: list[str] = []
        self.picker = QComboBox()
        self.picker.setObjectName("case_link_picker")
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.picker.addItems(sorted(self._codes.values(), reverse=True))
        self.picker.setCurrentIndex(-1)
        completer = self.picker.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_case_link")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.links = QListWidget()
        self.links.setObjectName("case_links")
        self.links.setMaximumHeight(90)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("remove_case_link")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        self.message.hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        set_tone(self.hint, "hint")
        pick = QHBoxLayout()
        pick.setContentsMargins(0, 0, 0, 0)
        pick.addWidget(self.picker, 1)
        pick.addWidget(self.add_button)
        listed = QHBoxLayout()
        listed.setContentsMargins(0, 0, 0, 0)
        listed.addWidget(self.links, 1)
        listed.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addLayout(pick)
        layout.addWidget(self.message)
        layout.addLayout(listed)
        self.retranslate()

    def value(self) -> list[str] | None:
        """The linked cases' record ids, or None."""
        return list(self._linked) or None

    def set_value(self, value: object) -> None:
        """Show stored links (a list of record ids)."""
        ids = value if isinstance(value, list) else []
        self._linked = list(dict.fromkeys(str(v) for v in ids))
        self._show()

    def codes(self) -> list[str]:
        """The linked cases as their codes, as shown."""
        return [self._code_of(rid) for rid in self._linked]

    def focus_order(self) -> list[QWidget]:
        """Its Tab stops."""
        return [self.picker, self.add_button, self.links, self.remove_button]

    def _code_of(self, record_id: str) -> str:
        code = self._codes.get(record_id)
        return code if code is not None else self._texts.t("gui_of_case_not_here")

    def _show(self) -> None:
        self.links.clear()
        for rid in self._linked:
            item = QListWidgetItem(self._code_of(rid))
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.links.addItem(item)
        self.links.setVisible(bool(self._linked))
        self.remove_button.setVisible(bool(self._linked))

    @Slot()
    def _on_add_clicked(self) -> None:
        typed = self.picker.currentText().strip()
        if not typed:
            return
        record_id = self._ids.get(typed.casefold())
        if record_id is None:
            self.message.setText(self._texts.t("gui_of_case_unknown", code=typed))
            self.message.show()
            return
        self.message.hide()
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        if record_id not in self._linked:
            self._linked.append(record_id)
            self._show()
            self.edited.emit()

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.links.currentRow()
        if not 0 <= row < len(self._linked):
            row = len(self._linked) - 1
        if row < 0:
            return
        del self._linked[row]
        self._show()
        self.edited.emit()

    def retranslate(self) -> None:
        """Labels in the current language."""
        t = self._texts.t
        self.add_button.setText(t("gui_of_link_case"))
        self.remove_button.setText(t("gui_of_unlink_case"))
        self.hint.setText(t("gui_of_linked_cases_hint"))
        line = self.picker.lineEdit()
        if line is not None:
            line.setPlaceholderText(t("gui_of_case_code_hint"))
        self.message.hide()
        self._show()


OutreachField = (
    TextField
    | LongTextField
    | DateField
    | TimeField
    | IntField
    | CodeCombo
    | CodeChecks
    | VenueVillageCombo
    | ParticipantsField
    | CaseLinksField
)
"""Every kind of field the outreach form holds."""


def _local_problem(field: OutreachField) -> str | None:
    """The form's own problem code for what was typed (before the record is validated)."""
    if isinstance(field, TimeField):
        return None if field.is_valid() else "gui_of_bad_time"
    if isinstance(field, DateField | IntField):
        return local_problem(field)
    return None


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


# ---------------------------------------------------------------------- the form


class OutreachForm(RecordForm[OutreachField]):
    """The form of one outreach activity (new, or an edit of ``view``).

    Signals (of :class:`~desktop.ui.recordform.RecordForm`):
        saved: The activity was saved (the new :class:`RecordView` is passed).
        close_requested: The person chose "Close" (the window closes; input stays a draft).
        lock_closed: The profile was locked; the input was queued as a draft and the form
            emptied.
    """

    KIND = KIND
    DRAFT_KIND = KIND
    TITLE_NEW = "gui_of_title_new"
    TITLE_EDIT = "gui_of_title_edit"
    SUBTITLE = "gui_of_subtitle"
    KEYS = "gui_of_keys"
    PROBLEM_ROWS = 5
    COMPOUND_FIELDS = (CodeChecks, ParticipantsField, CaseLinksField)

    def _prepare(self) -> None:
        self._focus: list[QWidget] = []

    def _autosave_ms(self) -> int:
        return AUTOSAVE_MS

    def _new_doc(self, store: Store) -> dict[str, Any]:
        return {
            "village": store.village,
            "held_on": self._today().isoformat(),
            "venue_village": store.village,
        }

    # ------------------------------------------------------------------ building

    def _build(self, store: Store) -> None:
        super()._build(store)
        self._rebuild_tab_order()

    def focus_chain(self) -> list[QWidget]:
        """Every Tab stop of the form, in reading order."""
        return [*self._focus, self.close_button, self.save_button]

    def go_to_start(self) -> None:
        """The title (the window was opened)."""
        self.field("title").setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _section(self, key: str, title_code: str) -> QGridLayout:
        grid = two_pair_grid()
        self._add_section(key, title_code).setLayout(grid)
        return grid

    def _build_sections(self, store: Store) -> None:
        t = self._texts
        cases = {v.record_id: v.code for v in store.records("case")}
        grid = self._section(*SECTIONS[0])
        self._place(grid, "title", TextField(), 0, 0, 2)
        self._place(grid, "type", CodeCombo(t, "outreach_type"), 1, 0)
        self._place(grid, "held_on", DateField(), 1, 1)
        self._place(grid, "start_time", TimeField(), 2, 0)
        self._place(grid, "end_time", TimeField(), 2, 1)
        self._place(grid, "venue", TextField(), 3, 0)
        self._place(grid, "venue_village", VenueVillageCombo(store.village), 3, 1)
        self._place(grid, "topics", CodeChecks(t, "outreach_topic", columns=2), 4, 0, 2)
        grid = self._section(*SECTIONS[1])
        self._place(grid, "organisers", CodeChecks(t, "organiser", columns=2), 0, 0, 2)
        self._place(grid, "speakers", TextField(), 1, 0)
        self._place(grid, "facilitator", TextField(), 1, 1)
        grid = self._section(*SECTIONS[2])
        self._place(grid, "target_groups", CodeChecks(t, "target_group", columns=2), 0, 0, 2)
        self.participants = ParticipantsField(t)
        self._place(grid, "participants", self.participants, 1, 0, 2)
        grid = self._section(*SECTIONS[3])
        self._place(grid, "summary", LongTextField(lines=5), 0, 0, 2)
        self._place(grid, "follow_up", LongTextField(lines=3), 1, 0, 2)
        self._place(grid, "materials", LongTextField(lines=2), 2, 0, 2)
        self._place(grid, "evaluation", LongTextField(lines=2), 3, 0, 2)
        self._place(grid, "linked_cases", CaseLinksField(t, cases), 4, 0, 2)
        grid = self._section(*SECTIONS[4])
        self._place(grid, "funding", CodeCombo(t, "funding_source"), 0, 0)
        self._place(grid, "budget", IntField(), 0, 1)

    def _place(
        self,
        grid: QGridLayout,
        path: str,
        field: OutreachField,
        row: int,
        column: int,
        span: int = 1,
    ) -> None:
        label = QLabel()
        label.setWordWrap(True)
        self._add_field(
            grid, path, field, row, column, span=span, label=label, label_code=FIELD_CODES[path]
        )
        if isinstance(field, ParticipantsField | CaseLinksField):
            self._focus.extend(field.focus_order())
        else:
            self._focus.extend(focus_order([field]))

    def box_for(self, path: str) -> FieldBox | None:
        """Where the problem of a field path is shown."""
        if path.startswith("participants/"):
            box = self.participants.boxes.get(path.split("/")[1])
            if box is not None:
                return box
        return self._boxes.get(path.split("/")[0])

    # ------------------------------------------------------------------ the document

    def _fill_document(self, doc: dict[str, Any]) -> None:
        # an empty value loaded as such stays, so an unchanged save changes nothing
        for path, field in self._fields.items():
            value = field.value()
            if value is not None:
                doc[path] = value
            elif path in doc and not _empty(doc[path]):
                doc.pop(path)

    # ------------------------------------------------------------------ problems

    def _problem_boxes(self) -> list[FieldBox]:
        return [*self._boxes.values(), *self.participants.boxes.values()]

    def _path_labeller(self) -> Callable[[str], str]:
        return functools.partial(outreach_path_label, self._texts.t)

    def _field_problem(self, path: str, field: OutreachField) -> str | None:
        return _local_problem(field)

    def _validation_body(
        self, doc: Mapping[str, Any], typed: Collection[str], store: Store
    ) -> dict[str, Any]:
        body = {k: v for k, v in doc.items() if k not in typed and k != "id"}
        body.update(kind=KIND, village=store.village)
        return body

    # ------------------------------------------------------------------ texts

    def _retranslate_form(self, *, refill: bool) -> None:
        # the participants' grid and the case links take their texts here from the start
        t = self._texts.t
        for field in self._fields.values():
            if isinstance(field, DateField):
                field.setPlaceholderText(t("gui_cf_date_hint"))
            elif isinstance(field, TimeField):
                field.setPlaceholderText(t("gui_of_time_hint"))
            elif isinstance(field, CodeCombo | CodeChecks | ParticipantsField | CaseLinksField):
                field.retranslate()


# ---------------------------------------------------------------------- windows


_OPEN: dict[str, OutreachFormWindow] = {}
"""The open form windows by draft key: one per activity (and one new activity) at a time."""


class OutreachFormWindow(RecordFormWindow[OutreachForm]):
    """The window of one outreach form. Closing it keeps unsaved input as a draft; a save
    closes it; a lock empties and closes it. Its title carries the record code, never a name.

    Signals:
        saved: The activity was saved (its :class:`RecordView`).
    """

    FORM = OutreachForm
    NAME = "outreach_form_window"
    SIZE = (900, 760)
    REGISTRY = _OPEN


def open_new_outreach(ctx: AppContext, parent: QWidget | None = None) -> OutreachFormWindow:
    """Open the form for a new activity (unsaved input from before a lock comes back).

    Raises:
        RuntimeError: the profile is locked.
    """
    return OutreachFormWindow.open(ctx, None, parent)


def open_edit_outreach(
    ctx: AppContext, record_id: str, parent: QWidget | None = None
) -> OutreachFormWindow:
    """Open the form to edit the activity ``record_id`` (an unsaved edit comes back).

    Raises:
        RuntimeError: the profile is locked.
        UnknownRecordError: no such record.
    """
    return OutreachFormWindow.open(ctx, edited_record(ctx, record_id), parent)
