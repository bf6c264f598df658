"""What the record forms (case, outreach) share: the frame around their sections, sealed
drafts, the problems panel and the save through the worker.

A form is a :class:`RecordForm`: it builds its sections (:meth:`RecordForm._build_sections`),
fills its fields from a document and writes them back (:meth:`RecordForm._load_items`,
:meth:`RecordForm._fill_document`), and says which field shows the problem of a path
(:meth:`RecordForm.box_for`). Everything else happens here, the same in both forms: the title
and the buttons, the restore banner and the autosave timer, listing the problems above the
form (a click on one puts the focus on its field), saving through the worker (problems of
validation come back to the panel, a success to :attr:`RecordForm.saved`), and a lock that
queues the draft, empties the form and says :attr:`RecordForm.lock_closed`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, Generic, Self, TypeVar

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.problem_messages import problem_text
from desktop.storage import drafts
from desktop.storage.store import RecordView, SaveResult, Store, ValidationFailedError
from desktop.ui import caseform_ops
from desktop.ui.caseform_fields import FieldBox, place
from desktop.ui.caseform_rules import display_date
from desktop.ui.context import AppContext
from desktop.ui.formwindow import FormWindow, open_form_window
from desktop.ui.widgets import heading, set_tone
from simpul.errors import UserError
from simpul.records.derived import parse_date
from simpul.records.validation import Problem, validate

__all__ = [
    "AUTOSAVE_MS",
    "FORM_STYLE",
    "RecordForm",
    "RecordFormWindow",
    "edited_record",
    "value_at",
]

AUTOSAVE_MS = 1500
"""A draft is sealed this long after the last keystroke (a crash loses at most that)."""

FORM_STYLE = """
QFrame#item_card { background: #f7f9fa; border: 1px solid #cfd8dc; border-radius: 6px; }
QGroupBox { font-weight: bold; border: 1px solid #b0bec5; border-radius: 6px;
            margin-top: 14px; padding: 14px 8px 8px 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #00695c;
                   font-size: 12pt; }
QGroupBox QLabel, QGroupBox QCheckBox, QGroupBox QRadioButton { font-weight: normal; }
QLabel[subheading="true"] { font-size: 11pt; font-weight: bold; color: #37474f; }
*[problem="true"] { border: 2px solid #b71c1c; background: #ffebee; }
QLabel[tone="problem"] { color: #b71c1c; }
QLabel[tone="hint"] { color: #555555; }
QLabel[tone="success"] { color: #1b5e20; }
QFrame#problems_panel { background: #ffebee; border: 1px solid #e57373; border-radius: 6px; }
QFrame#draft_banner { background: #fff8e1; border: 1px solid #ffd54f; border-radius: 6px; }
QFrame#concurrent_banner { background: #e3f2fd; border: 1px solid #90caf9; border-radius: 6px; }
QLabel[urgency="open"] { background: #fff3e0; border: 1px solid #ffb74d;
                         border-radius: 6px; }
QLabel[urgency="late"] { background: #ffebee; border: 1px solid #e57373;
                         border-radius: 6px; color: #b71c1c; }
QLabel[urgency="done"] { background: #e8f5e9; border: 1px solid #81c784;
                         border-radius: 6px; }
QListWidget#case_sections { background: #eceff1; border: none; font-size: 10.5pt; }
QListWidget#case_sections::item { padding: 7px 10px; }
QListWidget#case_sections::item:selected { background: #00796b; color: white; }
"""
"""The look of the record forms: sections, item cards, banners, problems."""

F = TypeVar("F", bound=QWidget)
"""The kind of field widget a form holds (each has ``value()``, ``set_value()``, ``edited``)."""
R = TypeVar("R", bound="RecordForm[Any]")


def value_at(doc: Mapping[str, Any], path: str) -> Any:
    """The value at a ``/``-separated field path of a document, or None."""
    node: Any = doc
    for key in path.split("/"):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


class RecordForm(QWidget, Generic[F]):
    """The form of one record of :attr:`KIND` (new, or an edit of ``view``).

    Subclasses name their texts and implement the hooks below the constructor; the object
    names of the buttons and the scroll area follow the kind (``save_case``,
    ``close_outreach_form``, ``case_form_scroll``).

    Signals:
        saved: The record was saved (the new :class:`RecordView` is passed).
        close_requested: The person chose "Close" (the window closes; input stays a draft).
        lock_closed: The profile was locked; the input was queued as a draft and the form
            emptied.
    """

    saved = Signal(object)
    close_requested = Signal()
    lock_closed = Signal()

    KIND = ""
    """The record kind the form edits (``case``, ``outreach``)."""
    DRAFT_KIND: str | None = None
    """The ``kind`` a draft of this form carries (None: none, as case drafts always were)."""
    TITLE_NEW = ""
    TITLE_EDIT = ""
    SUBTITLE = ""
    KEYS = ""
    """Text codes: the title of a new record and of an edit (``code``), the line below the
    title, the keys hint beside the buttons."""
    PROBLEM_ROWS = 6
    """How many problems the panel shows without scrolling."""
    SAY_DRAFT_KEPT = False
    """Whether the status says when the draft was last sealed."""
    COMPOUND_FIELDS: tuple[type[QWidget], ...] = ()
    """Fields made of several Tab stops: a problem puts the focus on the first of them."""

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
        self.draft_key = drafts.draft_key(self.record_id, kind=self.KIND)
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
        self._fields: dict[str, F] = {}
        self._boxes: dict[str, FieldBox] = {}
        self._labels: list[tuple[QWidget, str]] = []
        self.sections: dict[str, QGroupBox] = {}
        self._prepare()

        self.setStyleSheet(FORM_STYLE)  # before the fields: each is polished once
        self._build(store)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(self._autosave_ms())
        self._autosave.timeout.connect(self.keep_draft)

        self.set_document(self._doc)
        self._baseline = self.document()
        self._restore_draft(store)

        ctx.locked.connect(self._on_locked)
        ctx.texts.changed.connect(self._retranslate)
        self._apply_texts(refill=False)

    # ------------------------------------------------------------------ for subclasses

    def _prepare(self) -> None:
        """Set up the subclass's own state before the form is built."""

    def _autosave_ms(self) -> int:
        """How long after the last keystroke the draft is sealed."""
        return AUTOSAVE_MS

    def _new_doc(self, store: Store) -> dict[str, Any]:
        """The document of a new record."""
        raise NotImplementedError

    def _build_sections(self, store: Store) -> None:
        """Add the sections to :attr:`_content_layout` (see :meth:`_add_section`)."""
        raise NotImplementedError

    def _notices(self) -> list[QWidget]:
        """What stands between the restore banner and the form."""
        return [self.problems_panel]

    def _beside_form(self) -> list[QWidget]:
        """What stands left of the form (an index of the sections)."""
        return []

    def focus_chain(self) -> list[QWidget]:
        """Every Tab stop of the form, in reading order."""
        raise NotImplementedError

    def go_to_start(self) -> None:
        """Put the focus where the form is filled in from (its window was opened)."""
        raise NotImplementedError

    def _load_items(self) -> None:
        """Fill what :meth:`set_document` does not fill field by field (list items)."""

    def _after_load(self) -> None:
        """The form was filled from a document."""

    def _fill_document(self, doc: dict[str, Any]) -> None:
        """Write the fields into ``doc`` (a copy of the document loaded, with its id)."""
        raise NotImplementedError

    def box_for(self, path: str) -> FieldBox | None:
        """Where the problem of a field path is shown."""
        raise NotImplementedError

    def _path_labeller(self) -> Callable[[str], str]:
        """Names a field path in words in the problems list."""
        raise NotImplementedError

    def _item_numbers(self) -> Mapping[str, object]:
        """The number shown for an item id (``victim`` in a problem says "Korban 2")."""
        return {}

    def _mark_problem_sections(self, paths: Collection[str]) -> None:
        """The problems listed now are of ``paths`` (none: the list was cleared)."""

    def _problem_boxes(self) -> Iterable[FieldBox]:
        """Every place a problem may be shown."""
        return self._boxes.values()

    def _field_problem(self, path: str, field: F) -> str | None:
        """The code of the problem with what was typed in ``field`` (before validation)."""
        raise NotImplementedError

    def _validation_body(
        self, doc: Mapping[str, Any], typed: Collection[str], store: Store
    ) -> dict[str, Any]:
        """``doc`` to validate without the fields whose typing is wrong (``typed``)."""
        raise NotImplementedError

    def _empty_form(self) -> None:
        """Show nothing any more (the profile was locked)."""
        for field in self._fields.values():
            field.set_value(None)  # type: ignore[attr-defined]

    def _section_title(self, code: str, title: str) -> str:
        """The title shown on the section whose title code is ``code``."""
        return title

    def _retranslate_form(self, *, refill: bool) -> None:
        """The subclass's own texts; ``refill``: the language changed (not the first time)."""

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

        # The scroll area and its content are in place before the sections are built: under
        # a style sheet, every widget moved into a parent is polished again with all it
        # holds, so building top-down polishes each field once (form opens ~2x faster).
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName(f"{self.KIND}_form_scroll")
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
        self.save_button.setObjectName(f"save_{self.KIND}")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton()
        self.close_button.setObjectName(f"close_{self.KIND}_form")
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

        body = QHBoxLayout()
        body.setSpacing(8)
        for widget in self._beside_form():
            body.addWidget(widget)
        body.addWidget(self.scroll_area, 1)
        top = QVBoxLayout(self)
        for widget in (self.title, self.subtitle, self.draft_banner, *self._notices()):
            top.addWidget(widget)
        top.addLayout(body, 1)
        top.addLayout(buttons)
        self.save_shortcut = self._shortcut("Ctrl+S", self.save)

    def _shortcut(self, keys: str, slot: Callable[[], object]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _add_section(self, key: str, title_code: str) -> QGroupBox:
        """A section of the form titled ``title_code``, added below the others."""
        box = QGroupBox(self._content)
        box.setObjectName(f"section_{key}")
        self._labels.append((box, title_code))
        self.sections[key] = box
        self._content_layout.addWidget(box)
        return box

    def _add_field(
        self,
        grid: QGridLayout,
        path: str,
        field: F,
        row: int,
        column: int,
        *,
        span: int = 1,
        extras: Sequence[QWidget] = (),
        label: QLabel | None,
        label_code: str,
    ) -> FieldBox:
        """Place the field of ``path`` (with ``extras`` beside it) in ``grid`` under
        ``label`` (None: the field is a check box that carries its label)."""
        field.setObjectName(path)
        box = FieldBox(field, *extras)
        self._fields[path] = field
        self._boxes[path] = box
        if label is None:
            self._labels.append((field, label_code))
        else:
            label.setBuddy(field)
            self._labels.append((label, label_code))
        place(grid, label, box, row, column, span)
        self._watch(field, box)
        return box

    def _watch(self, field: QWidget, box: FieldBox) -> None:
        """An edit of ``field`` starts the autosave timer and clears its problem."""
        edited = field.edited  # type: ignore[attr-defined]
        edited.connect(self._on_edited)
        edited.connect(box.clear_problem)

    def _rebuild_tab_order(self) -> None:
        chain = self.focus_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def field(self, path: str) -> F:
        """The field of a path (``reported_on``, ``title``, ``tppo/means``…)."""
        return self._fields[path]

    # ------------------------------------------------------------------ the document

    def set_document(self, doc: Mapping[str, Any]) -> None:
        """Fill the form from a document of its kind (docs/record-format.md)."""
        self._loading = True
        try:
            self._doc = copy.deepcopy(dict(doc))
            for path, field in self._fields.items():
                field.set_value(value_at(self._doc, path))  # type: ignore[attr-defined]
            self._load_items()
        finally:
            self._loading = False
        self._after_load()

    def document(self) -> dict[str, Any]:
        """The record as the form holds it now (fields it does not show are kept as loaded)."""
        doc = {
            k: copy.deepcopy(v) for k, v in self._doc.items() if k not in ("code", "_base", "kind")
        }
        if self.record_id is not None:
            doc["id"] = self.record_id
        self._fill_document(doc)
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
        for box in self._problem_boxes():
            box.clear_problem()
        self.problems.clear()
        self.problems_panel.hide()
        self._mark_problem_sections(())

    def _problem_text(self, problem: Problem) -> str:
        numbers = self._item_numbers()
        params: dict[str, object] = {}
        for key, value in problem.params.items():
            if key == "victim" and isinstance(value, str) and value in numbers:
                value = numbers[value]
            elif isinstance(value, str) and parse_date(value) is not None:
                value = display_date(value)
            params[key] = value
        return problem_text(problem.code, params, lang=self._texts.lang, fallback=problem.message)

    def show_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """List every problem above the form and show each beside its field."""
        self.clear_problems()
        where = self._path_labeller()
        first: QWidget | None = None
        for path, text in problems:
            box = self.box_for(path)
            if box is not None:
                box.show_problem(text)
                if first is None:
                    first = box.field
            item = QListWidgetItem(f"{where(path)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.problems.addItem(item)
        self.problems_title.setText(self._texts.t("gui_cf_problems_title", count=len(problems)))
        rows = min(len(problems), self.PROBLEM_ROWS)
        row_height = self.problems.sizeHintForRow(0) if problems else 0
        self.problems.setFixedHeight(rows * row_height + 2 * self.problems.frameWidth() + 4)
        self.problems_panel.show()
        self._mark_problem_sections([path for path, _text in problems])
        if first is not None:
            self._focus_field(first)

    def _focus_field(self, widget: QWidget) -> None:
        target = widget
        if isinstance(widget, self.COMPOUND_FIELDS):
            target = widget.focus_order()[0]  # type: ignore[attr-defined]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(target, 0, 60)

    @Slot(QListWidgetItem)
    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        box = self.box_for(str(item.data(Qt.ItemDataRole.UserRole)))
        if box is not None:
            self._focus_field(box.field)

    def _local_problems(self) -> list[tuple[str, str]]:
        """What was typed is not a date, time or number: the path and text of each."""
        t = self._texts.t
        found: list[tuple[str, str]] = []
        for path, field in self._fields.items():
            code = self._field_problem(path, field)
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
            # what was typed is not a date or a number: say so, with every other problem
            paths = {path for path, _text in local}
            others = [
                (p.path, self._problem_text(p))
                for p in validate(self._validation_body(doc, paths, store), today=self._today())
                if p.path not in paths
            ]
            self.show_problems([*local, *others])
            self._set_status("gui_cf_not_saved", "problem")
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self._set_status("gui_cf_saving", "hint")
        caseform_ops.save_record(
            self._ctx,
            store,
            doc,
            kind=self.KIND,
            today=self._today(),
            base=self._base,
            draft_key=self.draft_key,
            done=self._on_saved,
            failed=self._on_save_failed,
        )

    def _on_saved(self, result: SaveResult) -> None:
        if not shiboken6.isValid(self):
            return  # the window was closed and deleted meanwhile
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

    def _draft_data(self) -> dict[str, Any]:
        kind = {"kind": self.DRAFT_KIND} if self.DRAFT_KIND is not None else {}
        return {
            "version": 1,
            **kind,
            "record_id": self.record_id,
            "base": self._base,
            "doc": self.document(),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }

    def _restore_draft(self, store: Store) -> None:
        data = drafts.load_draft(store, self.draft_key)
        if data is None or not isinstance(data.get("doc"), dict):
            return
        if data.get("record_id") != self.record_id or data.get("kind") != self.DRAFT_KIND:
            return
        base = data.get("base")
        if self.record_id is not None and isinstance(base, list):
            self._base = [str(b) for b in base]  # the version the unsaved edit started from
        self.set_document(data["doc"])
        self.has_draft = True
        self.draft_restored_at = str(data.get("saved_at") or "")
        self.draft_banner.show()
        self._retranslate_draft_banner()

    @Slot()
    def keep_draft(self) -> None:
        """Seal the unsaved input as this form's draft now (or drop it if nothing is unsaved)."""
        store = self._store
        if store is None or self._saving or self._done:
            return
        self._autosave.stop()
        if self.dirty:
            done = self._on_draft_kept if self.SAY_DRAFT_KEPT else None
            caseform_ops.keep_draft(self._ctx, store, self.draft_key, self._draft_data(), done=done)
            self.has_draft = True
        elif self.has_draft:
            caseform_ops.discard_draft(self._ctx, store, self.draft_key)
            self.has_draft = False

    def _on_draft_kept(self, _result: None) -> None:
        if not self._done and self._store is not None:
            self._set_status("gui_cf_draft_kept", "hint", time=datetime.now().strftime("%H:%M"))

    @Slot()
    def discard_draft(self) -> None:
        """Drop the restored draft and show the record as saved (or a new, empty form)."""
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
        self._empty_form()
        self.problems.clear()
        self.lock_closed.emit()

    # ------------------------------------------------------------------ texts

    def window_title(self) -> str:
        """The title: a new record, or the edit of a record code (never a name)."""
        t = self._texts.t
        if self._view is None:
            return t(self.TITLE_NEW)
        return t(self.TITLE_EDIT, code=self._view.code)

    def _retranslate_draft_banner(self) -> None:
        at = self.draft_restored_at or ""
        try:
            when = datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M")
        except ValueError:
            when = ""
        self.draft_text.setText(self._texts.t("gui_cf_draft_restored", when=when))

    @Slot()
    def _retranslate(self) -> None:
        self._apply_texts(refill=True)

    def _apply_texts(self, *, refill: bool) -> None:
        t = self._texts.t
        self.title.setText(self.window_title())
        self.subtitle.setText(t(self.SUBTITLE))
        for widget, code in self._labels:
            if isinstance(widget, QGroupBox):
                title = t(code).replace("&", "&&")  # a group box title takes & as a mnemonic
                widget.setTitle(self._section_title(code, title))
            elif isinstance(widget, QLabel | QAbstractButton):
                widget.setText(t(code))
        self._retranslate_form(refill=refill)
        self.discard_draft_button.setText(t("gui_cf_discard_draft"))
        self.save_button.setText(t("gui_cf_save"))
        self.close_button.setText(t("gui_close"))
        self.keys_hint.setText(t(self.KEYS))
        self.problems.setToolTip(t("gui_cf_problems_tooltip"))
        self._retranslate_draft_banner()
        status = self._status
        if status is not None:
            self._set_status(status[0], status[1], **status[2])


# ---------------------------------------------------------------------- windows


class RecordFormWindow(FormWindow, Generic[R]):
    """The window of one record form (:attr:`form`, a :attr:`FORM`). Closing it keeps unsaved
    input as a draft; a save closes it; a lock empties and closes it. Its title carries the
    record code, never a name. One window per record (and one new record) at a time: the open
    ones are in :attr:`REGISTRY` by draft key.

    Signals:
        saved: The record was saved (its :class:`RecordView`).
    """

    saved = Signal(object)

    FORM: type[R]
    """The form the window holds."""
    NAME = ""
    """The window's object name."""
    SIZE = (900, 760)
    """The window's size when it opens."""
    REGISTRY: dict[str, Any]
    """The open windows of this kind by draft key."""

    def __init__(
        self, ctx: AppContext, *, view: RecordView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            lambda window: self.FORM(ctx, view=view, parent=window),
            registry=self.REGISTRY,
            parent=parent,
        )
        self.form: R = self._form  # type: ignore[assignment]
        self.setObjectName(self.NAME)
        self.resize(*self.SIZE)
        self._retranslate()

    @classmethod
    def open(cls, ctx: AppContext, view: RecordView | None, parent: QWidget | None) -> Self:
        """The open window of the record ``view`` (None: a new one), brought to the front,
        or a new one; the focus on the start of its form.

        Raises:
            RuntimeError: the profile is locked.
        """
        key = drafts.draft_key(view.record_id if view is not None else None, kind=cls.FORM.KIND)
        registry: dict[str, Self] = cls.REGISTRY
        window = open_form_window(registry, key, lambda: cls(ctx, view=view, parent=parent))
        window.form.go_to_start()
        return window


def edited_record(ctx: AppContext, record_id: str) -> RecordView:
    """The record ``record_id`` as a form edits it.

    Raises:
        RuntimeError: the profile is locked.
        UnknownRecordError: no such record.
    """
    store = ctx.store
    if store is None:
        raise RuntimeError("the profile is locked")
    return store.get(record_id)
