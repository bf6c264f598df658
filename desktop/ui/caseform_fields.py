"""Field widgets of the case form, each holding a value in the record's own terms.

Combo boxes and check boxes show taxonomy labels in the screen's language and hold codes;
dates are typed day first and held as ISO dates; every field says when a person changed it
(``edited``) and can show a problem beside itself (:class:`FieldBox`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QLocale, QRect, QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import (
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QRegularExpressionValidator,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.caseform_rules import display_date, parse_typed_date
from desktop.ui.language import Texts
from simpul.records.schema import SHORT_TEXT_MAX
from simpul.records.taxonomy import load_taxonomy
from simpul.records.wilayah import load_regions

__all__ = [
    "BoolField",
    "CodeChecks",
    "CodeCombo",
    "DateField",
    "FieldBox",
    "IntField",
    "LongTextField",
    "TextField",
    "TextListField",
    "TriStateField",
    "VillageCombo",
    "mark_problem",
    "place",
    "two_pair_grid",
]

NONE_TEXT = "—"
"""The entry of a combo box that holds no value (a dash needs no translation)."""


def place(
    grid: QGridLayout, label: QLabel | None, box: QWidget, row: int, column: int, span: int = 1
) -> None:
    """Put a labelled field in a two-pair grid (label, field, label, field) at ``column`` 0/1.

    ``label`` None: the field is a check box and carries its own label.
    """
    if label is None:
        grid.addWidget(box, row, column * 2, 1, 2 * span)
        return
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 5, 0, 0)
    grid.addWidget(label, row, column * 2)
    grid.addWidget(box, row, column * 2 + 1, 1, 2 * span - 1)


def two_pair_grid() -> QGridLayout:
    """A grid of two label–field pairs per row, the fields taking the width."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(6)
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)
    return grid


def mark_problem(widget: QWidget, on: bool) -> None:
    """Highlight a field that has a problem (the form's style sheet draws it)."""
    if bool(widget.property("problem")) == on:
        return
    widget.setProperty("problem", on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FieldBox(QWidget):
    """A field with the message of its problem right below it (made when first needed: a form
    holds a hundred fields and a problem is rare)."""

    def __init__(self, field: QWidget, *extras: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._message: QLabel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(row)
        narrow = field.maximumWidth() < 1000  # a date: keep it at the left, not centred
        row.addWidget(field, 0 if narrow else 1)
        for extra in extras:
            row.addWidget(extra)
        if narrow:
            row.addStretch(1)

    @property
    def message(self) -> QLabel:
        """The label the problem is said in."""
        if self._message is None:
            label = QLabel()
            label.setObjectName("problem_message")
            label.setWordWrap(True)
            label.setProperty("tone", "problem")
            label.hide()
            self._layout.addWidget(label)
            self._message = label
        return self._message

    @property
    def has_problem(self) -> bool:
        """Whether a problem is shown."""
        return self._message is not None and not self._message.isHidden()

    def show_problem(self, text: str) -> None:
        """Highlight the field and say what is wrong beside it (problems add up)."""
        current = self.message.text() if self.has_problem else ""
        self.message.setText(f"{current}\n{text}" if current else text)
        self.message.show()
        mark_problem(self.field, True)

    def clear_problem(self) -> None:
        """Remove the highlight and the message."""
        if self.has_problem:
            self.message.clear()
            self.message.hide()
        if self.field.property("problem"):
            mark_problem(self.field, False)


class TextField(QLineEdit):
    """A short text (names, contacts): at most 200 characters, blank means none.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, max_length: int = SHORT_TEXT_MAX) -> None:
        super().__init__(parent)
        self.setMaxLength(max_length)
        self.textChanged.connect(self.edited)

    def value(self) -> str | None:
        """The text, or None when blank."""
        text = self.text().strip()
        return text or None

    def set_value(self, value: object) -> None:
        """Show ``value`` (None clears)."""
        self.setText("" if value is None else str(value))


class TextListField(TextField):
    """Several short texts typed on one line, separated by commas (transit countries)."""

    def value(self) -> list[str] | None:  # type: ignore[override]
        items = [part.strip() for part in self.text().split(",")]
        return [item for item in items if item] or None

    def set_value(self, value: object) -> None:
        if isinstance(value, list):
            self.setText(", ".join(str(v) for v in value))
        else:
            super().set_value(value)


class LongTextField(QPlainTextEdit):
    """A long text (kronologi, notes). Tab moves on to the next field, as in any form.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setMaximumHeight(height * 2)
        self.textChanged.connect(self.edited)

    def value(self) -> str | None:
        """The text (trailing blanks dropped), or None when blank."""
        text = self.toPlainText().rstrip()
        return text if text.strip() else None

    def set_value(self, value: object) -> None:
        """Show ``value`` (None clears)."""
        self.setPlainText("" if value is None else str(value))


def _calendar_icon(palette: QPalette) -> QIcon:
    """A small calendar drawn in the text colour (no icon theme is needed)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = palette.color(QPalette.ColorRole.Text)
    painter.setPen(colour)
    painter.drawRect(QRect(1, 2, 13, 12))
    painter.fillRect(QRect(1, 2, 14, 4), colour)
    for x in (4, 7, 10):
        for y in (8, 11):
            painter.fillRect(QRect(x, y, 2, 2), colour)
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """A date typed day first (``17/03/2025``; ``17-3-2025`` and ``2025-03-17`` work too), or
    picked from a calendar (the icon at its end, or Alt+Down / F4).

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(12)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9/.\- ]{0,12}")))
        self.setMaximumWidth(170)
        self.calendar_action = self.addAction(
            _calendar_icon(self.palette()), QLineEdit.ActionPosition.TrailingPosition
        )
        self.calendar_action.setObjectName("date_calendar")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None
        """The calendar while it is open."""
        self.textChanged.connect(self.edited)

    def value(self) -> str | None:
        """The ISO date, or None when empty or not a date (see :meth:`is_valid`)."""
        return parse_typed_date(self.text())[0]

    def is_valid(self) -> bool:
        """Whether the text is empty or a date."""
        return parse_typed_date(self.text())[1]

    def set_value(self, value: object) -> None:
        """Show an ISO date (None clears)."""
        self.setText(display_date(value) if value else "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Alt+Down or F4 opens the calendar, as in a date box."""
        alt_down = event.key() == Qt.Key.Key_Down and bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    @Slot()
    def show_calendar(self) -> None:
        """Open a calendar below the field on the date typed (else today); a date picked there
        (click, or arrows and Enter) fills the field, Esc closes it unchanged."""
        if self.isReadOnly() or not self.isEnabled():
            return
        if self.calendar is not None:
            self.calendar.close()
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        calendar.setObjectName("date_calendar_popup")
        calendar.setLocale(QLocale())  # month and day names in the screen's language
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        calendar.setGridVisible(True)
        iso = self.value()
        if iso is not None:
            calendar.setSelectedDate(QDate.fromString(iso, Qt.DateFormat.ISODate))
        calendar.activated.connect(self._picked)
        calendar.clicked.connect(self._picked)
        calendar.destroyed.connect(self._calendar_gone)
        self.calendar = calendar
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()

    @Slot(QDate)
    def _picked(self, picked: QDate) -> None:
        self.set_value(picked.toString(Qt.DateFormat.ISODate))
        if self.calendar is not None:
            self.calendar.close()
        self.setFocus()

    @Slot()
    def _calendar_gone(self) -> None:
        self.calendar = None


_DIGITS = re.compile(r"[\s.,]|^rp", re.IGNORECASE)


class IntField(QLineEdit):
    """A whole number; thousands separators (``7.000.000``) and ``Rp`` are allowed.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, max_digits: int = 15) -> None:
        super().__init__(parent)
        self._max_digits = max_digits
        self.textChanged.connect(self.edited)

    def value(self) -> int | None:
        """The number, or None when empty or not a number (see :meth:`is_valid`)."""
        text = _DIGITS.sub("", self.text().strip())
        if text.isascii() and text.isdigit() and len(text) <= self._max_digits:
            return int(text)
        return None

    def is_valid(self) -> bool:
        """Whether the text is empty or a whole number."""
        return not self.text().strip() or self.value() is not None

    def set_value(self, value: object) -> None:
        """Show ``value`` (None clears)."""
        self.setText("" if value is None else str(value))


class BoolField(QCheckBox):
    """A yes/no flag. Unticked keeps an explicit ``false`` it was given, else means none.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unticked: bool | None = None
        self.toggled.connect(self.edited)

    def value(self) -> bool | None:
        """True when ticked; else False if the record said so, else None."""
        return True if self.isChecked() else self._unticked

    def set_value(self, value: object) -> None:
        """Show a stored flag."""
        self._unticked = False if value is False else None
        self.setChecked(value is True)


class CodeCombo(QComboBox):
    """One code of a taxonomy list; the first entry (``—``) is none.

    A code the list does not know (a record from a newer Simpul) is kept and shown as is.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(
        self, texts: Texts, list_name: str, parent: QWidget | None = None, *, none: bool = True
    ) -> None:
        super().__init__(parent)
        self._texts = texts
        self.list_name = list_name
        self._none = none
        self._hidden: frozenset[str] = frozenset()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fill(None)
        self.currentIndexChanged.connect(self.edited)

    def _codes(self) -> list[str]:
        return [c for c in load_taxonomy().codes(self.list_name) if c not in self._hidden]

    def _fill(self, keep: str | None) -> None:
        self.blockSignals(True)
        self.clear()
        if self._none:
            self.addItem(NONE_TEXT, None)
        for code in self._codes():
            self.addItem(self._texts.label(self.list_name, code), code)
        if keep is not None and self.findData(keep) < 0:
            self.addItem(self._texts.label(self.list_name, keep), keep)
        self.setCurrentIndex(max(0, self.findData(keep)) if keep is not None else 0)
        self.blockSignals(False)

    def value(self) -> str | None:
        """The chosen code, or None."""
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_value(self, value: object) -> None:
        """Choose ``value`` (None: the empty entry)."""
        code = value if isinstance(value, str) and value else None
        if code is not None and self.findData(code) < 0:
            self.addItem(self._texts.label(self.list_name, code), code)
        self.setCurrentIndex(self.findData(code) if code is not None else 0)

    def hide_codes(self, codes: Iterable[str]) -> bool:
        """Offer every code but ``codes``; True if the chosen one had to be dropped."""
        hidden = frozenset(codes)
        if hidden == self._hidden:
            return False
        current = self.value()
        self._hidden = hidden
        dropped = current in hidden
        self._fill(None if dropped else current)
        if dropped:
            self.edited.emit()
        return dropped

    def retranslate(self) -> None:
        """Labels in the current language."""
        self._fill(self.value())


class CodeChecks(QWidget):
    """Several codes of a taxonomy list: a check box per code, in columns.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(
        self, texts: Texts, list_name: str, parent: QWidget | None = None, *, columns: int = 2
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._texts = texts
        self.list_name = list_name
        self._given: list[str] = []
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        codes = load_taxonomy().codes(list_name)
        rows = (len(codes) + columns - 1) // columns
        for index, code in enumerate(codes):
            box = QCheckBox()
            box.setObjectName(f"{list_name}:{code}")
            box.toggled.connect(self.edited)
            self.boxes[code] = box
            # column by column, so the list reads down as it does on paper
            grid.addWidget(box, index % rows, index // rows)
        self.retranslate()

    def value(self) -> list[str] | None:
        """The ticked codes, or None. Codes it was given keep their order (a list is one
        value: reordering it would be an edit); newly ticked ones follow in list order."""
        ticked = {code for code, box in self.boxes.items() if box.isChecked()}
        kept = [c for c in self._given if c in ticked or c not in self.boxes]
        added = [c for c in self.boxes if c in ticked and c not in kept]
        return kept + added or None

    def set_value(self, value: object) -> None:
        """Tick the codes of ``value`` (a list)."""
        chosen = list(dict.fromkeys(str(v) for v in value)) if isinstance(value, list) else []
        self._given = chosen
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)

    def focus_order(self) -> list[QWidget]:
        """The check boxes in reading order (down each column, as they were placed)."""
        return list(self.boxes.values())

    def retranslate(self) -> None:
        """Labels in the current language."""
        for code, box in self.boxes.items():
            box.setText(self._texts.label(self.list_name, code))


class TriStateField(QWidget):
    """Ya / Tidak / Tidak tahu (taxonomy ``tristate``); none ticked means not asked.

    Only the ticked answer (or the first, while none is) is a Tab stop; the arrow keys move
    between the three, as in any group of radio buttons.

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._texts = texts
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(14)
        for code in load_taxonomy().codes("tristate"):
            button = QRadioButton()
            button.setObjectName(f"tristate:{code}")
            self.group.addButton(button)
            self.buttons[code] = button
            row.addWidget(button)
        row.addStretch(1)
        self.group.buttonToggled.connect(self._on_group_toggled)
        self._unknown: str | None = None
        self._update_tab_stop()
        self.retranslate()

    def value(self) -> str | None:
        """The answer's code, or None."""
        for code, button in self.buttons.items():
            if button.isChecked():
                return code
        return self._unknown

    def set_value(self, value: object) -> None:
        """Tick the answer ``value`` (None: none)."""
        code = value if isinstance(value, str) else None
        self._unknown = code if code is not None and code not in self.buttons else None
        self.group.setExclusive(False)
        for key, button in self.buttons.items():
            button.setChecked(key == code)
        self.group.setExclusive(True)
        self._update_tab_stop()

    def first_button(self) -> QRadioButton:
        """The Tab stop of the group."""
        return next(b for b in self.buttons.values() if b.focusPolicy() & Qt.FocusPolicy.TabFocus)

    def focus_order(self) -> list[QWidget]:
        """The one Tab stop of the group."""
        return [self.first_button()]

    @Slot()
    def _on_group_toggled(self) -> None:
        self._unknown = None
        self._update_tab_stop()
        self.edited.emit()

    def _update_tab_stop(self) -> None:
        checked = self.group.checkedButton()
        stop = checked or next(iter(self.buttons.values()))
        for button in self.buttons.values():
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus
            )

    def retranslate(self) -> None:
        """Labels in the current language."""
        for code, button in self.buttons.items():
            button.setText(self._texts.label("tristate", code))


_VILLAGE_MODELS: dict[str, QStandardItemModel] = {}


def _village_model(texts: Texts) -> QStandardItemModel:
    """Pemalang's villages by name in the screen's language, one model shared by every combo
    (a form with many victims would otherwise fill 224 entries per victim)."""
    model = _VILLAGE_MODELS.get(texts.lang)
    if model is None:
        model = QStandardItemModel()
        none = QStandardItem(NONE_TEXT)
        none.setData(None, Qt.ItemDataRole.UserRole)
        model.appendRow(none)
        villages = sorted(load_regions().villages(), key=lambda v: (v.name, v.kecamatan_name))
        for village in villages:
            item = QStandardItem(
                texts.t("gui_cf_village_item", name=village.name, kecamatan=village.kecamatan_name)
            )
            item.setData(village.code, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
        _VILLAGE_MODELS[texts.lang] = model
    return model


class VillageCombo(QComboBox):
    """A desa or kelurahan of Kabupaten Pemalang, by name (type the first letters to jump).

    Signals:
        edited: The value may have changed.
    """

    edited = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setModel(_village_model(texts))
        self.setCurrentIndex(0)
        self.currentIndexChanged.connect(self.edited)

    def value(self) -> str | None:
        """The village code, or None."""
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_value(self, value: object) -> None:
        """Choose the village with code ``value`` (None: none; an unknown code is kept)."""
        code = value if isinstance(value, str) and value else None
        if code is not None and self.findData(code) < 0:
            item = QStandardItem(code)
            item.setData(code, Qt.ItemDataRole.UserRole)
            model = self.model()
            assert isinstance(model, QStandardItemModel)
            model.appendRow(item)
        self.setCurrentIndex(self.findData(code) if code is not None else 0)

    def retranslate(self) -> None:
        """Labels in the current language."""
        keep = self.value()
        self.blockSignals(True)
        self.setModel(_village_model(self._texts))
        self.blockSignals(False)
        self.set_value(keep)


FieldWidget = (
    TextField
    | LongTextField
    | DateField
    | IntField
    | BoolField
    | CodeCombo
    | CodeChecks
    | TriStateField
    | VillageCombo
)
"""Every kind of field the case form holds."""


def field_value(field: FieldWidget) -> Any:
    """The value of a field in the record's terms."""
    return field.value()


def local_problem(field: FieldWidget) -> str | None:
    """The form's own problem code for what was typed (before the record is validated)."""
    if isinstance(field, DateField) and not field.is_valid():
        return "gui_cf_bad_date"
    if isinstance(field, IntField) and not field.is_valid():
        return "gui_cf_bad_number"
    return None


def focus_order(widgets: Sequence[QWidget]) -> list[QWidget]:
    """The Tab stops of ``widgets`` (a check-box group or a tri-state is several or one)."""
    out: list[QWidget] = []
    for widget in widgets:
        if isinstance(widget, CodeChecks | TriStateField):
            out.extend(widget.focus_order())
        else:
            out.append(widget)
    return out
