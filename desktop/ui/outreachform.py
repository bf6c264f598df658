"""The outreach form: one activity (sosialisasi, penyuluhan, ...) of the village, in five
short sections.

Kegiatan, Penyelenggara, Peserta, Hasil & tindak lanjut and Dana, one below the other. Combo
boxes and check boxes show labels and hold taxonomy codes (docs/record-format.md, *Outreach*).
Participants are four counts, male/female × child/adult, with the totals kept up to date as
they are typed. A disclosure made during the activity is recorded as a link to a case by its
code only: the outreach record never holds case detail (DOMAIN.md, *Outreach*).

As in the case form, the store validates the whole record on save; every problem is listed
above the form and shown beside its field, and nothing is saved while any remains. Unsaved
input is kept as a sealed draft (a lock or closing the window loses nothing). Open it with
:func:`open_new_outreach` and :func:`open_edit_outreach`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QKeySequence,
    QRegularExpressionValidator,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.problem_messages import problem_text
from desktop.storage import drafts
from desktop.storage.store import RecordView, SaveResult, Store, ValidationFailedError
from desktop.ui import caseform_ops
from desktop.ui.caseform import _FORM_STYLE, value_at
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
    place,
    two_pair_grid,
)
from desktop.ui.caseform_rules import display_date
from desktop.ui.context import AppContext
from desktop.ui.formwindow import FormWindow, open_form_window
from desktop.ui.language import Texts
from desktop.ui.widgets import heading, set_tone
from simpul.errors import UserError
from simpul.records.derived import parse_date, participants_total
from simpul.records.validation import Problem, validate
from simpul.records.wilayah import load_regions

__all__ = [
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

AUTOSAVE_MS = 1500
"""A draft is sealed this long after the last keystroke (a crash loses at most that)."""

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


class OutreachForm(QWidget):
    """The form of one outreach activity (new, or an edit of ``view``).

    Signals:
        saved: The activity was saved (the new :class:`RecordView` is passed).
        close_requested: The person chose "Close" (the window closes; input stays a draft).
        lock_closed: The profile was locked; the input was queued as a draft and the form
            emptied.
    """

    saved = Signal(object)
    close_requested = Signal()
    lock_closed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        *,
        view: RecordView | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        store = ctx.store
        if store is None:
            raise RuntimeError("the profile is locked")
        self._ctx = ctx
        self._texts = ctx.texts
        self._store: Store | None = store
        self._today = today
        self._view = view
        self.record_id: str | None = view.record_id if view is not None else None
        self.draft_key = drafts.draft_key(self.record_id, kind=KIND)
        self._base: list[str] | None = list(view.base) if view is not None else None
        self._doc: dict[str, Any] = (
            copy.deepcopy(view.doc) if view is not None else self._new_doc(store)
        )
        self._loading = False
        self._saving = False
        self._done = False
        self.has_draft = False
        self.draft_restored_at: str | None = None
        self._status: tuple[str, str, dict[str, object]] | None = None
        self._fields: dict[str, OutreachField] = {}
        self._boxes: dict[str, FieldBox] = {}
        self._labels: list[tuple[QWidget, str]] = []
        self._focus: list[QWidget] = []
        self.sections: dict[str, QGroupBox] = {}

        self.setStyleSheet(_FORM_STYLE)  # before the fields: each is polished once
        self._build(store)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.keep_draft)

        self.set_document(self._doc)
        self._baseline = self.document()
        self._restore_draft(store)

        ctx.locked.connect(self._on_locked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    def _new_doc(self, store: Store) -> dict[str, Any]:
        return {
            "village": store.village,
            "held_on": self._today().isoformat(),
            "venue_village": store.village,
        }

    # ------------------------------------------------------------------ building

    def _build(self, store: Store) -> None:
        self.title = heading(1)
        self.title.setWordWrap(False)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        set_tone(self.subtitle, "hint")

        self.draft_banner = QFrame()
        self.draft_banner.setObjectName("draft_banner")
        self.draft_text = QLabel()
        self.draft_text.setWordWrap(True)
        self.discard_draft_button = QPushButton()
        self.discard_draft_button.setObjectName("discard_draft")
        self.discard_draft_button.setAutoDefault(False)
        self.discard_draft_button.clicked.connect(self.discard_draft)
        row = QHBoxLayout(self.draft_banner)
        row.addWidget(self.draft_text, 1)
        row.addWidget(self.discard_draft_button)
        self.draft_banner.hide()

        self.problems_panel = QFrame()
        self.problems_panel.setObjectName("problems_panel")
        self.problems_title = QLabel()
        self.problems_title.setWordWrap(True)
        set_tone(self.problems_title, "problem")
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._on_problem_activated)
        self.problems.itemClicked.connect(self._on_problem_activated)
        box = QVBoxLayout(self.problems_panel)
        box.addWidget(self.problems_title)
        box.addWidget(self.problems)
        self.problems_panel.hide()

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("outreach_form_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self._content_layout = QVBoxLayout(content)
        self._content_layout.setContentsMargins(4, 0, 12, 12)
        self.scroll_area.setWidget(content)
        self._content = content
        self._build_sections(store)
        self._content_layout.addStretch(1)

        self.save_button = QPushButton()
        self.save_button.setObjectName("save_outreach")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton()
        self.close_button.setObjectName("close_outreach_form")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close_requested)
        self.status_text = QLabel()
        self.status_text.setObjectName("form_status")
        set_tone(self.status_text, "hint")
        self.keys_hint = QLabel()
        self.keys_hint.setWordWrap(True)
        set_tone(self.keys_hint, "hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.keys_hint, 1)
        buttons.addWidget(self.status_text)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)

        top = QVBoxLayout(self)
        top.addWidget(self.title)
        top.addWidget(self.subtitle)
        top.addWidget(self.draft_banner)
        top.addWidget(self.problems_panel)
        top.addWidget(self.scroll_area, 1)
        top.addLayout(buttons)

        self.save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_shortcut.activated.connect(self.save)

        chain = [*self._focus, self.close_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _section(self, key: str, title_code: str) -> QGridLayout:
        box = QGroupBox(self._content)
        box.setObjectName(f"section_{key}")
        self._labels.append((box, title_code))
        self.sections[key] = box
        self._content_layout.addWidget(box)
        grid = two_pair_grid()
        box.setLayout(grid)
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
        field.setObjectName(path)
        self._fields[path] = field
        box = FieldBox(field)
        self._boxes[path] = box
        label = QLabel()
        label.setBuddy(field)
        label.setWordWrap(True)
        self._labels.append((label, FIELD_CODES[path]))
        place(grid, label, box, row, column, span)
        if isinstance(field, ParticipantsField | CaseLinksField):
            self._focus.extend(field.focus_order())
        else:
            self._focus.extend(focus_order([field]))
        field.edited.connect(self._on_edited)
        field.edited.connect(box.clear_problem)

    def field(self, path: str) -> OutreachField:
        """The field of a top-level path (``title``, ``held_on``, ``participants``…)."""
        return self._fields[path]

    def box_for(self, path: str) -> FieldBox | None:
        """Where the problem of a field path is shown."""
        if path.startswith("participants/"):
            box = self.participants.boxes.get(path.split("/")[1])
            if box is not None:
                return box
        return self._boxes.get(path.split("/")[0])

    # ------------------------------------------------------------------ the document

    def set_document(self, doc: Mapping[str, Any]) -> None:
        """Fill the form from an outreach document (docs/record-format.md)."""
        self._loading = True
        try:
            self._doc = copy.deepcopy(dict(doc))
            for path, field in self._fields.items():
                field.set_value(value_at(self._doc, path))
        finally:
            self._loading = False

    def document(self) -> dict[str, Any]:
        """The activity as the form holds it now (fields it does not show are kept as
        loaded; an empty value loaded as such stays, so an unchanged save changes nothing)."""
        doc = {
            k: copy.deepcopy(v) for k, v in self._doc.items() if k not in ("code", "_base", "kind")
        }
        if self.record_id is not None:
            doc["id"] = self.record_id
        for path, field in self._fields.items():
            value = field.value()
            if value is not None:
                doc[path] = value
            elif path in doc and not _empty(doc[path]):
                doc.pop(path)
        return doc

    @property
    def dirty(self) -> bool:
        """Whether the form holds input not saved in the record."""
        return not self._done and self.document() != self._baseline

    @Slot()
    def _on_edited(self) -> None:
        if self._loading or self._done:
            return
        self._autosave.start()

    # ------------------------------------------------------------------ problems

    def clear_problems(self) -> None:
        """Remove every highlight and message."""
        for box in [*self._boxes.values(), *self.participants.boxes.values()]:
            box.clear_problem()
        self.problems.clear()
        self.problems_panel.hide()

    def _problem_text(self, problem: Problem) -> str:
        params = {
            key: display_date(value)
            if isinstance(value, str) and parse_date(value) is not None
            else value
            for key, value in problem.params.items()
        }
        return problem_text(problem.code, params, lang=self._texts.lang, fallback=problem.message)

    def show_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """List every problem above the form and show each beside its field."""
        self.clear_problems()
        t = self._texts.t
        first: QWidget | None = None
        for path, text in problems:
            box = self.box_for(path)
            if box is not None:
                box.show_problem(text)
                first = first or box.field
            item = QListWidgetItem(f"{outreach_path_label(t, path)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.problems.addItem(item)
        self.problems_title.setText(t("gui_cf_problems_title", count=len(problems)))
        rows = min(len(problems), 5)
        row_height = self.problems.sizeHintForRow(0) if problems else 0
        self.problems.setFixedHeight(rows * row_height + 2 * self.problems.frameWidth() + 4)
        self.problems_panel.show()
        if first is not None:
            self._focus_field(first)

    def _focus_field(self, widget: QWidget) -> None:
        target = widget
        if isinstance(widget, CodeChecks | ParticipantsField | CaseLinksField):
            target = widget.focus_order()[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(target, 0, 60)

    @Slot(QListWidgetItem)
    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        box = self.box_for(str(item.data(Qt.ItemDataRole.UserRole)))
        if box is not None:
            self._focus_field(box.field)

    def _local_problems(self) -> list[tuple[str, str]]:
        t = self._texts.t
        found = []
        for path, field in self._fields.items():
            code = _local_problem(field)
            if code is not None:
                found.append((path, t(code)))
        return found

    # ------------------------------------------------------------------ saving

    @Slot()
    def save(self) -> None:
        """Validate and save (Ctrl+S); on problems, list them all and save nothing."""
        store = self._store
        if self._saving or self._done or store is None:
            return
        self._autosave.stop()
        self.clear_problems()
        doc = self.document()
        local = self._local_problems()
        if local:
            # what was typed is not a date, time or number: say so, with every other problem
            paths = {path for path, _text in local}
            body = {k: v for k, v in doc.items() if k not in paths and k != "id"}
            body.update(kind=KIND, village=store.village)
            others = [
                (p.path, self._problem_text(p))
                for p in validate(body, today=self._today())
                if p.path not in paths
            ]
            self.show_problems([*local, *others])
            self._set_status("gui_cf_not_saved", "problem")
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self._set_status("gui_cf_saving", "hint")
        body = dict(doc)
        if self._base is not None:
            body["_base"] = list(self._base)
        key = self.draft_key
        ctx = self._ctx

        def work() -> SaveResult:
            result = store.save(body, kind=KIND, today=self._today())
            drafts.discard_draft(store, key)
            return result

        def done(result: SaveResult) -> None:
            ctx.records_changed.emit()
            if shiboken6.isValid(self):
                self._on_saved(result)

        ctx.runner.submit(work, done=done, failed=self._on_save_failed)

    def _on_saved(self, result: SaveResult) -> None:
        self._saving = False
        self._done = True
        self.has_draft = False
        self.save_button.setEnabled(True)
        self._view = result.record
        self.record_id = result.record.record_id
        self._base = list(result.record.base)
        self._set_status("gui_cf_saved", "success")
        self.saved.emit(result.record)

    def _on_save_failed(self, exc: UserError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailedError):
            self.show_problems([(p.path, self._problem_text(p)) for p in exc.problems])
        else:
            self.show_problems([("", self._texts.error(exc))])
        self._set_status("gui_cf_not_saved", "problem")

    def _set_status(self, code: str, tone: str, **params: object) -> None:
        self._status = (code, tone, params)
        self.status_text.setText(self._texts.t(code, **params))
        set_tone(self.status_text, tone)

    # ------------------------------------------------------------------ drafts

    def _restore_draft(self, store: Store) -> None:
        data = drafts.load_draft(store, self.draft_key)
        if data is None or not isinstance(data.get("doc"), dict):
            return
        if data.get("record_id") != self.record_id or data.get("kind") != KIND:
            return
        base = data.get("base")
        if self.record_id is not None and isinstance(base, list):
            self._base = [str(b) for b in base]  # the version the unsaved edit started from
        self.set_document(data["doc"])
        self.has_draft = True
        self.draft_restored_at = str(data.get("saved_at") or "")
        self.draft_banner.show()

    @Slot()
    def keep_draft(self) -> None:
        """Seal the unsaved input as this form's draft now (or drop it if nothing is unsaved)."""
        store = self._store
        if store is None or self._saving or self._done:
            return
        self._autosave.stop()
        if self.dirty:
            data = {
                "version": 1,
                "kind": KIND,
                "record_id": self.record_id,
                "base": self._base,
                "doc": self.document(),
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            caseform_ops.keep_draft(self._ctx, store, self.draft_key, data)
            self.has_draft = True
        elif self.has_draft:
            caseform_ops.discard_draft(self._ctx, store, self.draft_key)
            self.has_draft = False

    @Slot()
    def discard_draft(self) -> None:
        """Drop the restored draft and show the activity as saved (or a new, empty form)."""
        store = self._store
        if store is None:
            return
        caseform_ops.discard_draft(self._ctx, store, self.draft_key)
        self.has_draft = False
        self.draft_banner.hide()
        if self._view is not None:
            self._base = list(self._view.base)
            self.set_document(self._view.doc)
        else:
            self.set_document(self._new_doc(store))
        self._baseline = self.document()
        self.clear_problems()

    def finish(self) -> None:
        """The form is closing: keep unsaved input as a draft, forget the store."""
        if self._store is not None and not self._done and not self._saving:
            self.keep_draft()
        self._autosave.stop()
        self._store = None

    @Slot()
    def _on_locked(self) -> None:
        # The store is still open: the draft is queued on the worker ahead of the close.
        self.finish()
        self._done = True
        self._loading = True
        for field in self._fields.values():
            field.set_value(None)
        self.problems.clear()
        self.lock_closed.emit()

    # ------------------------------------------------------------------ texts

    def window_title(self) -> str:
        """The title: a new activity, or the edit of a record code (never a name)."""
        t = self._texts.t
        if self._view is None:
            return t("gui_of_title_new")
        return t("gui_of_title_edit", code=self._view.code)

    @Slot()
    def _retranslate(self) -> None:
        t = self._texts.t
        self.title.setText(self.window_title())
        self.subtitle.setText(t("gui_of_subtitle"))
        for widget, code in self._labels:
            if isinstance(widget, QGroupBox):
                widget.setTitle(t(code).replace("&", "&&"))  # & would be a mnemonic
            elif isinstance(widget, QLabel):
                widget.setText(t(code))
        for field in self._fields.values():
            if isinstance(field, DateField):
                field.setPlaceholderText(t("gui_cf_date_hint"))
            elif isinstance(field, TimeField):
                field.setPlaceholderText(t("gui_of_time_hint"))
            elif isinstance(field, CodeCombo | CodeChecks | ParticipantsField | CaseLinksField):
                field.retranslate()
        at = self.draft_restored_at or ""
        try:
            when = datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M")
        except ValueError:
            when = ""
        self.draft_text.setText(t("gui_cf_draft_restored", when=when))
        self.discard_draft_button.setText(t("gui_cf_discard_draft"))
        self.save_button.setText(t("gui_cf_save"))
        self.close_button.setText(t("gui_close"))
        self.keys_hint.setText(t("gui_of_keys"))
        self.problems.setToolTip(t("gui_cf_problems_tooltip"))
        status = self._status
        if status is not None:
            self._set_status(status[0], status[1], **status[2])


# ---------------------------------------------------------------------- windows


class OutreachFormWindow(FormWindow):
    """The window of one outreach form. Closing it keeps unsaved input as a draft; a save
    closes it; a lock empties and closes it. Its title carries the record code, never a name.

    Signals:
        saved: The activity was saved (its :class:`RecordView`).
    """

    saved = Signal(object)

    def __init__(
        self, ctx: AppContext, *, view: RecordView | None = None, parent: QWidget | None = None
    ) -> None:
        self.form = OutreachForm(ctx, view=view)
        super().__init__(ctx, self.form, registry=_OPEN, parent=parent)  # type: ignore[arg-type]
        self.setObjectName("outreach_form_window")
        self.resize(900, 760)
        self._retranslate()


_OPEN: dict[str, OutreachFormWindow] = {}
"""The open form windows by draft key: one per activity (and one new activity) at a time."""


def _open(ctx: AppContext, view: RecordView | None, parent: QWidget | None) -> OutreachFormWindow:
    key = drafts.draft_key(view.record_id if view is not None else None, kind=KIND)
    window = open_form_window(_OPEN, key, lambda: OutreachFormWindow(ctx, view=view, parent=parent))
    window.form.field("title").setFocus(Qt.FocusReason.ActiveWindowFocusReason)
    return window


def open_new_outreach(ctx: AppContext, parent: QWidget | None = None) -> OutreachFormWindow:
    """Open the form for a new activity (unsaved input from before a lock comes back).

    Raises:
        RuntimeError: the profile is locked.
    """
    return _open(ctx, None, parent)


def open_edit_outreach(
    ctx: AppContext, record_id: str, parent: QWidget | None = None
) -> OutreachFormWindow:
    """Open the form to edit the activity ``record_id`` (an unsaved edit comes back).

    Raises:
        RuntimeError: the profile is locked.
        UnknownRecordError: no such record.
    """
    store = ctx.store
    if store is None:
        raise RuntimeError("the profile is locked")
    return _open(ctx, store.get(record_id), parent)
