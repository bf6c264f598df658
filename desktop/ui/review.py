"""The "Perlu ditinjau" page: fields edited in two places at once, and settling each of them.

When the same field of a record was changed on two laptops (or on a laptop and at the district)
without one seeing the other's change, the merge keeps both values and flags the field *needs
review* (DESIGN.md §3). This page lists every such field of the cases and outreach records,
with each competing value as a person reads it, who set it, on which device and when. Choosing
one value, or typing a new one, and pressing "Tetapkan" saves a change that settles the field
(``Store.save(..., resolve=[path])``): it supersedes every value held now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.problem_messages import problem_text
from desktop.storage.store import SaveResult, Store, ValidationFailedError
from desktop.ui.casedetail import author_label, device_label, format_value, local_time
from desktop.ui.caseform_fields import (
    CodeCombo,
    DateField,
    IntField,
    LongTextField,
    TextField,
    local_problem,
)
from desktop.ui.caseform_rules import item_numbers, path_label
from desktop.ui.context import AppContext
from desktop.ui.language import Texts
from desktop.ui.outreachform import outreach_path_label
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import heading, set_tone
from simpul.changes import ChangeId
from simpul.errors import UserError
from simpul.records.paths import flatten, unflatten
from simpul.records.schema import SHORT_TEXT_MAX, FieldSpec, spec_for_path

__all__ = [
    "Candidate",
    "ReviewChangedError",
    "ReviewItem",
    "ReviewPage",
    "ReviewTableModel",
    "load_review_items",
    "settle_field",
]

_Index = QModelIndex | QPersistentModelIndex
_SHORT = 90  # characters of a value shown on one line (a narrative is shown in full below)

# Words for outreach fields where the form's label carries an instruction ("(wajib)") or
# the form has none (the recording village is set by the profile).
_OUTREACH_VIEW_CODES: Mapping[str, str] = {
    "held_on": "gui_rv_of_held_on",
    "village": "gui_cf_f_village",
}


# ---------------------------------------------------------------------- what is to be reviewed


@dataclass(frozen=True)
class Candidate:
    """One competing value of a field: the value and the change that set it."""

    change_id: ChangeId
    value: Any
    author: str
    wall_ms: int
    own_device: bool
    """Whether the change was made on this laptop."""


@dataclass(frozen=True)
class ReviewItem:
    """A field of a record that needs review, with its competing values (the shown one first)."""

    record_id: str
    kind: str
    code: str
    path: str
    numbers: Mapping[str, int]
    """Item id → position in its list (``Korban 2``), for the field's label."""
    candidates: tuple[Candidate, ...]

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the entry across reloads: the record and the field."""
        return self.record_id, self.path


class ReviewChangedError(UserError):
    """The competing values changed since they were shown (a sync brought another one)."""

    def __init__(self) -> None:
        super().__init__("review_changed", "the values of the field changed meanwhile")


def load_review_items(store: Store) -> list[ReviewItem]:
    """Every field needing review, of cases and outreach records (runs on the worker: it
    replays each flagged record's changes)."""
    items: list[ReviewItem] = []
    for view in store.records():
        if not view.conflicts:
            continue
        history = {entry.change_id: entry for entry in store.history(view.record_id)}
        numbers = item_numbers(view.doc)
        for path in view.conflicts:
            candidates = []
            for change_id, value in store.heads(view.record_id, path):
                entry = history.get(change_id)
                candidates.append(
                    Candidate(
                        change_id=change_id,
                        value=value,
                        author=entry.author if entry is not None else "",
                        wall_ms=entry.hlc.wall if entry is not None else 0,
                        own_device=change_id.device == store.device_id,
                    )
                )
            if len(candidates) > 1:
                items.append(
                    ReviewItem(
                        view.record_id, view.kind, view.code, path, numbers, tuple(candidates)
                    )
                )
    return items


def settle_field(store: Store, item: ReviewItem, value: Any) -> SaveResult:
    """Save ``value`` as the field's value, superseding every competing one.

    Raises:
        ReviewChangedError: The field's values are no longer the ones shown.
        ValidationFailedError: The record with that value is not valid.
    """
    view = store.get(item.record_id)
    held = {change_id for change_id, _value in store.heads(item.record_id, item.path)}
    if held != {c.change_id for c in item.candidates}:
        raise ReviewChangedError
    flat = flatten(view.doc)
    if value is None or value == "" or value == []:
        flat.pop(item.path, None)
    else:
        flat[item.path] = value
    doc = {**unflatten(flat), "id": item.record_id}
    return store.save(doc, kind=item.kind, resolve=[item.path], base=view)


# ---------------------------------------------------------------------- words


def field_label(texts: Texts, item: ReviewItem) -> str:
    """The field of an entry in words (``Korban 2 › Usia (tahun)``, ``Status kasus``)."""
    if item.kind == "case":
        return path_label(texts.t, item.path, item.numbers, label=texts.label)
    code = _OUTREACH_VIEW_CODES.get(item.path)
    return texts.t(code) if code is not None else outreach_path_label(texts.t, item.path)


def value_text(texts: Texts, kind: str, path: str, value: Any) -> str:
    """A competing value as a person reads it: labels for codes, dates day first, Ya/Tidak."""
    if value is None or value == "" or value == []:
        return texts.t("gui_rv_no_value")
    return format_value(texts, path, value, kind=kind)


def who_text(texts: Texts, candidate: Candidate) -> str:
    """``kader · Laptop ini · 30/11/2026 10:15``: who set a value, where and when."""
    own = candidate.change_id.device if candidate.own_device else None
    device = device_label(texts, candidate.change_id.device, own)
    when = local_time(candidate.wall_ms) if candidate.wall_ms else "-"
    return texts.t(
        "gui_rv_who", author=author_label(texts, candidate.author), device=device, when=when
    )


def _forget(widget: QWidget) -> None:
    """Empty a widget of the choices and delete it (its text must not outlive a lock until
    Qt gets round to the deletion)."""
    widget.hide()
    if isinstance(widget, QLabel | QLineEdit | QPlainTextEdit):
        widget.clear()
    elif isinstance(widget, QAbstractButton):
        widget.setText("")
    widget.deleteLater()


def _one_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else text
    if len(line) > _SHORT or line != text.strip():
        return line[:_SHORT].rstrip() + "…"
    return line


# ---------------------------------------------------------------------- the list


class ReviewTableModel(RowTableModel[ReviewItem]):
    """Columns: record code, kind, field, competing values, who set them."""

    CODE, KIND, FIELD, VALUES, WHO = range(5)
    HEADERS = (
        "gui_rv_col_code",
        "gui_rv_col_kind",
        "gui_rv_col_field",
        "gui_rv_col_values",
        "gui_rv_col_who",
    )

    def set_items(self, items: Sequence[ReviewItem]) -> None:
        """Replace every entry (after a load; empty on lock)."""
        self.set_rows(items)

    def item_at(self, row: int) -> ReviewItem:
        """The entry shown on ``row``."""
        return self.row_at(row)

    def row_of(self, key: tuple[str, str]) -> int:
        """The row of the entry with that record and field, or -1."""
        return next((n for n, item in enumerate(self._rows) if item.key == key), -1)

    def tooltip(self, item: ReviewItem, column: int) -> str | None:
        if column not in (self.VALUES, self.WHO):
            return None
        return "\n".join(
            f"{value_text(self._texts, item.kind, item.path, c.value)} — {who_text(self._texts, c)}"
            for c in item.candidates
        )

    def display(self, item: ReviewItem, column: int) -> str | None:
        t = self._texts.t
        if column == self.CODE:
            return item.code
        if column == self.KIND:
            return t("gui_rv_kind_case") if item.kind == "case" else t("gui_rv_kind_outreach")
        if column == self.FIELD:
            return field_label(self._texts, item)
        if column == self.VALUES:
            return " / ".join(
                _one_line(value_text(self._texts, item.kind, item.path, c.value))
                for c in item.candidates
            )
        if column == self.WHO:
            return ", ".join(dict.fromkeys(c.author or "-" for c in item.candidates))
        return None


# ---------------------------------------------------------------------- the choices


_Editor = TextField | LongTextField | DateField | IntField | CodeCombo


def _editor_for(texts: Texts, spec: FieldSpec | None) -> _Editor | None:
    """Where a new value can be typed: free text, numbers, dates; a list for a code."""
    if spec is None:
        return None
    if spec.type == "text":
        limit = spec.max_length or SHORT_TEXT_MAX
        return LongTextField(lines=3) if limit > SHORT_TEXT_MAX else TextField(max_length=limit)
    if spec.type == "int":
        return IntField()
    if spec.type == "date":
        return DateField()
    if spec.type == "code" and spec.taxonomy:
        return CodeCombo(texts, spec.taxonomy, none=False)
    return None


class ReviewChoices(QWidget):
    """The competing values of one entry as radio buttons, a new value, and "Tetapkan".

    Signals:
        settle_requested: "Tetapkan" was pressed with a valid choice (the value is passed).
        open_requested: "Lihat kasus" was pressed (the record id is passed).
    """

    settle_requested = Signal(object)
    open_requested = Signal(str)

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.item: ReviewItem | None = None
        self.radios: list[QRadioButton] = []
        self.who_labels: list[QLabel] = []
        """Under each radio button: who set the value, on which device, when."""
        self._full: list[QLabel | None] = []
        self.new_radio: QRadioButton | None = None
        self.editor: _Editor | None = None
        self.group = QButtonGroup(self)
        self.group.idToggled.connect(self._update_button)

        self.title = heading(2)
        self.title.setObjectName("review_title")
        self.open_button = QPushButton()
        self.open_button.setObjectName("review_open_case")
        self.open_button.setProperty("link", True)
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        set_tone(self.hint, "hint")
        self.box = QGroupBox()
        self.box.setObjectName("review_choices")
        self._box_layout = QVBoxLayout(self.box)
        self.problem = QLabel()
        self.problem.setObjectName("review_problem")
        self.problem.setWordWrap(True)
        set_tone(self.problem, "problem")
        self.problem.hide()
        self.settle_button = QPushButton()
        self.settle_button.setObjectName("review_settle")
        self.settle_button.setDefault(True)
        self.settle_button.clicked.connect(self._on_settle_clicked)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settle_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.hint)
        layout.addWidget(self.box)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addStretch(1)
        texts.changed.connect(self.retranslate)
        self.show_item(None)

    def show_item(self, item: ReviewItem | None) -> None:
        """Offer the values of ``item`` (None: nothing, as after a lock)."""
        self.item = item
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self._box_layout.count():
            child = self._box_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                _forget(widget)
        self.radios, self.who_labels, self._full = [], [], []
        self.new_radio, self.editor = None, None
        self.problem.clear()
        self.problem.hide()
        if item is not None:
            for number, candidate in enumerate(item.candidates):
                radio = QRadioButton()
                radio.setObjectName(f"review_choice_{number}")
                self.group.addButton(radio, number)
                full = QLabel() if self._is_long(item, candidate) else None
                who = QLabel()
                who.setObjectName(f"review_who_{number}")
                who.setIndent(24)
                set_tone(who, "hint")
                self._box_layout.addWidget(radio)
                if full is not None:
                    full.setWordWrap(True)
                    full.setIndent(24)
                    full.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                    self._box_layout.addWidget(full)
                self._box_layout.addWidget(who)
                self.radios.append(radio)
                self.who_labels.append(who)
                self._full.append(full)
            self.editor = _editor_for(self._texts, spec_for_path(item.kind, item.path))
            if self.editor is not None:
                self.new_radio = QRadioButton()
                self.new_radio.setObjectName("review_new_value")
                self.group.addButton(self.new_radio, len(item.candidates))
                self._box_layout.addWidget(self.new_radio)
                self._box_layout.addWidget(self.editor)
                self.editor.edited.connect(self._on_editor_edited)
        self.box.setVisible(item is not None)
        self.settle_button.setVisible(item is not None)
        self.open_button.setVisible(item is not None and item.kind == "case")
        self.retranslate()
        self._update_button()

    def _is_long(self, item: ReviewItem, candidate: Candidate) -> bool:
        text = value_text(self._texts, item.kind, item.path, candidate.value)
        return _one_line(text) != text

    def chosen_value(self) -> tuple[bool, Any]:
        """``(True, value)`` for a choice that can be saved; ``(False, None)`` otherwise."""
        item = self.item
        checked = self.group.checkedId()
        if item is None or checked < 0:
            return False, None
        if checked < len(item.candidates):
            return True, item.candidates[checked].value
        editor = self.editor
        if editor is None or local_problem(editor) is not None:
            return False, None
        value = editor.value()
        return value is not None, value

    @Slot()
    def _on_editor_edited(self) -> None:
        if self.new_radio is not None and not self.new_radio.isChecked():
            self.new_radio.setChecked(True)
        self._show_problem(None)
        self._update_button()

    @Slot()
    def _update_button(self) -> None:
        self.settle_button.setEnabled(self.chosen_value()[0])

    def _show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        """Say why the choice was not saved."""
        self._show_problem(text)
        self._update_button()

    @Slot()
    def _on_settle_clicked(self) -> None:
        if self.editor is not None and self.group.checkedButton() is self.new_radio:
            code = local_problem(self.editor)
            if code is not None:
                self._show_problem(self._texts.t(code))
                return
        ok, value = self.chosen_value()
        if ok:
            self.settle_button.setEnabled(False)
            self.settle_requested.emit(value)

    @Slot()
    def _on_open_clicked(self) -> None:
        if self.item is not None:
            self.open_requested.emit(self.item.record_id)

    @Slot()
    def retranslate(self) -> None:
        """Words in the current language (the values too: labels of codes, Ya/Tidak)."""
        t = self._texts.t
        item = self.item
        self.box.setTitle(t("gui_rv_choose"))
        self.settle_button.setText(t("gui_rv_settle"))
        self.open_button.setText(t("gui_rv_open_case"))
        if item is None:
            self.title.setText(t("gui_rv_none_selected"))
            self.hint.clear()
            self.hint.hide()
            return
        kind = t("gui_rv_kind_case") if item.kind == "case" else t("gui_rv_kind_outreach")
        self.title.setText(f"{kind} {item.code} · {field_label(self._texts, item)}")
        hint = "gui_rv_hint_typed" if self.editor is not None else "gui_rv_hint_choose"
        self.hint.setText(t(hint))
        self.hint.show()
        for radio, who, full, candidate in zip(
            self.radios, self.who_labels, self._full, item.candidates, strict=True
        ):
            text = value_text(self._texts, item.kind, item.path, candidate.value)
            radio.setText(_one_line(text).replace("&", "&&"))
            who.setText(who_text(self._texts, candidate))
            if full is not None:
                full.setText(text)
        if self.new_radio is not None:
            self.new_radio.setText(t("gui_rv_new_value"))
        if isinstance(self.editor, CodeCombo):
            self.editor.retranslate()


# ---------------------------------------------------------------------- the page


class ReviewPage(QWidget):
    """The "Perlu ditinjau" page: the list of fields needing review and the choice of a value.

    Signals:
        count_changed: The number of fields needing review (0 while locked).
        loaded: A fresh list is shown (after unlock, a save or a sync).
        settled: A field was settled and saved (its record id and path are passed).
    """

    count_changed = Signal(int)
    loaded = Signal()
    settled = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0  # a list loaded before a lock or a newer load is dropped
        self._selected: tuple[str, str] | None = None
        self._settling: ReviewItem | None = None
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.empty = QLabel()
        self.empty.setObjectName("review_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.model = ReviewTableModel(ctx.texts, self)
        self.table = QTableView()
        self.table.setObjectName("review_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReviewTableModel.VALUES, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.choices = ReviewChoices(ctx.texts)
        self.choices.settle_requested.connect(self._on_settle_requested)
        self.choices.open_requested.connect(self._on_open_requested)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.choices)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([180, 420])  # the choices need the room; the list scrolls
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)  # takes the list's room while it is hidden
        ctx.unlocked.connect(self.refresh)
        ctx.records_changed.connect(self.refresh)
        ctx.locked.connect(self.clear)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._update_empty()

    @property
    def items(self) -> list[ReviewItem]:
        """The entries listed now."""
        return [self.model.item_at(row) for row in range(self.model.rowCount())]

    # ------------------------------------------------------------------ loading

    @Slot()
    def refresh(self) -> None:
        """Read the fields needing review on the worker, then list them."""
        store = self._ctx.store
        if store is None:
            return
        self._generation += 1
        generation = self._generation
        self._ctx.runner.submit(
            lambda: load_review_items(store),
            done=lambda items: self._on_loaded(generation, items),
            failed=self._on_load_failed,
        )

    def _on_loaded(self, generation: int, items: list[ReviewItem]) -> None:
        if generation != self._generation or self._ctx.store is None:
            return  # locked meanwhile, or a newer list is on its way
        row, keep = self.table.currentIndex().row(), self._selected
        self.model.set_items(items)
        chosen = self.model.row_of(keep) if keep is not None else -1
        if chosen < 0 and items:
            chosen = min(max(row, 0), len(items) - 1)  # the next one, after a settled entry
        if chosen >= 0:
            self.table.selectRow(chosen)
        else:
            self._selected = None
            self.choices.show_item(None)
        self._update_empty()
        self.count_changed.emit(len(items))
        self.loaded.emit()

    def _on_load_failed(self, exc: UserError) -> None:
        self._show_message(self._ctx.texts.error(exc), "problem")

    @Slot()
    def clear(self) -> None:
        """Forget every entry (on lock): nothing about any record stays on screen."""
        self._generation += 1
        self._selected = None
        self._settling = None
        self.model.set_items([])
        self.choices.show_item(None)
        self.message.clear()
        self.message.hide()
        self._update_empty()
        self.count_changed.emit(0)

    # ------------------------------------------------------------------ choosing

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.model.item_at(rows[0].row()) if rows else None
        self._selected = item.key if item is not None else None
        if item != self.choices.item:  # reloaded unchanged: keep what was typed
            self.choices.show_item(item)

    @Slot(object)
    def _on_settle_requested(self, value: object) -> None:
        store = self._ctx.store
        item = self.choices.item
        if store is None or item is None or self._settling is not None:
            return
        self._settling = item
        self.message.hide()
        self._ctx.runner.submit(
            lambda: settle_field(store, item, value),
            done=self._on_settle_done,
            failed=self._on_settle_failed,
        )

    def _on_settle_done(self, result: SaveResult) -> None:
        item, self._settling = self._settling, None
        if self._ctx.store is None or item is None:
            return
        self._show_message(
            self._ctx.texts.t(
                "gui_rv_settled", code=item.code, field=field_label(self._ctx.texts, item)
            ),
            "success",
        )
        self.settled.emit(item.record_id, item.path)
        self._ctx.records_changed.emit()

    def _on_settle_failed(self, exc: UserError) -> None:
        self._settling = None
        if self._ctx.store is None:
            return
        texts = self._ctx.texts
        text = texts.error(exc)
        if isinstance(exc, ValidationFailedError):
            text += "\n" + "\n".join(
                "• " + problem_text(p.code, p.params, lang=texts.lang, fallback=p.text())
                for p in exc.problems
            )
        if isinstance(exc, ReviewChangedError):
            self._show_message(text, "problem")  # said above the list: the choices are rebuilt
            self.refresh()
        else:
            self.choices.show_error(text)

    @Slot(str)
    def _on_open_requested(self, record_id: str) -> None:
        from desktop.ui.casedetail import open_case_view

        if self._ctx.store is not None:
            open_case_view(self._ctx, record_id, self.window())

    # ------------------------------------------------------------------ texts

    def _show_message(self, text: str, tone: str) -> None:
        self.message.setText(text)
        set_tone(self.message, tone)
        self.message.show()

    def _update_empty(self) -> None:
        rows = self.model.rowCount()
        self.empty.setVisible(rows == 0)
        self.splitter.setVisible(rows > 0)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_review"))
        self._intro.setText(t("gui_rv_intro"))
        self.empty.setText(t("gui_rv_empty"))
        self.message.hide()  # said in the previous language
