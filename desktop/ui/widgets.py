"""Small pieces the screens share: message tones, headings, a busy bar, a key debouncer."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QObject, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from desktop.ui.language import Texts
    from simpul.records.wilayah import Village

__all__ = [
    "Debouncer",
    "VillagePicker",
    "busy_bar",
    "centered_card",
    "heading",
    "make_action",
    "navigation_shell",
    "row_table",
    "set_tone",
    "text_toolbar",
]

TONES = ("problem", "success", "hint", "")


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour a message by its tone (``problem``, ``success``, ``hint``; the style sheet)."""
    widget.setProperty("tone", tone)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def heading(level: int = 1) -> QLabel:
    """A heading label (level 1: page title, 2: section)."""
    label = QLabel()
    label.setProperty("heading", level)
    label.setWordWrap(True)
    return label


def busy_bar() -> QProgressBar:
    """An indeterminate progress bar (key derivation, a network call), hidden at first."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.hide()
    return bar


def centered_card(screen: QWidget, width: int) -> QVBoxLayout:
    """Give ``screen`` the lock screen's look: a white card ``width`` wide in its middle (a
    little above), the rest grey. Returns the card's layout, for the caller to fill."""
    screen.setObjectName("lock_screen")
    screen.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    card = QFrame()
    card.setObjectName("unlock_card")
    card.setFixedWidth(width)
    card_layout = QVBoxLayout(card)
    card_layout.setContentsMargins(28, 24, 28, 24)
    row = QHBoxLayout()  # not an alignment flag: that would lose the wrapped lines' height
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    outer = QVBoxLayout(screen)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return card_layout


def make_action(
    window: QWidget,
    name: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | None = None,
) -> QAction:
    """An action of ``window`` named ``name`` (its text is set on retranslation), running
    ``slot``; added to the window so its shortcut works even with the menu bar hidden."""
    action = QAction(window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def text_toolbar() -> QToolBar:
    """The main window's toolbar: fixed, buttons showing their text only."""
    toolbar = QToolBar()
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setIconSize(QSize(16, 16))
    return toolbar


def navigation_shell(pages: QWidget, entries: int) -> tuple[QListWidget, QWidget]:
    """The navigation list (``entries`` items, their texts set on retranslation) beside
    ``pages``: the list, and the widget holding both."""
    navigation = QListWidget()
    navigation.setObjectName("navigation")
    navigation.setFixedWidth(200)
    for _ in range(entries):
        navigation.addItem(QListWidgetItem())
    shell = QWidget()
    layout = QHBoxLayout(shell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(navigation)
    layout.addWidget(pages, 1)
    return navigation, shell


def row_table(
    model: QAbstractItemModel,
    name: str,
    stretch: int,
    *,
    single: bool = True,
    fit: bool = True,
) -> QTableView:
    """A list as a table, one line per row: rows chosen whole (one at a time when ``single``),
    nothing edited in place, alternating colours, no row numbers, no wrapping. Column
    ``stretch`` takes the spare width; the others fit their contents (``fit``) or keep the
    width they are given."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(
        QHeaderView.ResizeMode.ResizeToContents if fit else QHeaderView.ResizeMode.Interactive
    )
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


STYLE_SHEET = """
QLabel[tone="problem"] { color: #b71c1c; }
QLabel[tone="success"] { color: #1b5e20; }
QLabel[tone="hint"] { color: #555555; }
QLabel[heading="1"] { font-size: 18pt; font-weight: bold; }
QLabel[heading="2"] { font-size: 13pt; font-weight: bold; }
QLabel#recovery_code {
    font-family: "DejaVu Sans Mono", "Consolas", monospace;
    font-size: 17pt; font-weight: bold;
    background: #fffde7; border: 1px solid #c9b458; padding: 12px;
}
QListWidget#navigation {
    background: #263238; color: #eceff1; border: none; font-size: 11pt;
}
QListWidget#navigation::item { padding: 10px 14px; }
QListWidget#navigation::item:selected { background: #00796b; color: white; }
QPushButton[link="true"] {
    color: #00695c; text-decoration: underline; border: none; padding: 2px 0px;
}
QPushButton[link="true"]:disabled { color: #90a4ae; }
QFrame#unlock_card {
    background: white; border: 1px solid #cfd8dc; border-radius: 8px;
}
QWidget#lock_screen { background: #eceff1; }
"""
"""The app's style sheet (applied to the QApplication)."""


class Debouncer(QObject):
    """Runs ``action`` at once for the first key of a burst, then once more when the typing
    pauses for ``delay_ms`` (search as you type: the first letter answers immediately, a fast
    burst is not filtered key by key)."""

    def __init__(self, action: Callable[[], None], delay_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._action = action
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timeout)

    @Slot()
    def trigger(self) -> None:
        """A key was typed (connect ``textChanged`` here)."""
        if self._timer.isActive():
            self._pending = True
            self._timer.start()  # wait for the pause
            return
        self._timer.start()
        self._action()

    def cancel(self) -> None:
        """Forget a pending run (the action ran another way, or the page was cleared)."""
        self._pending = False
        self._timer.stop()

    @Slot()
    def _on_timeout(self) -> None:
        if self._pending:
            self._pending = False
            self._timer.start()
            self._action()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold()


class VillagePicker(QWidget):
    """A village of Pemalang: filter by kecamatan, search as you type (the first-run wizard's
    village page, the district's enrollment dialog). ``names`` prefixes the fields' object
    names.

    Signals:
        changed: The choice may have changed (a village clicked, or the list filtered again).
    """

    changed = Signal()

    def __init__(self, texts: Texts, names: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from simpul.records.wilayah import load_regions  # not before the lock screen shows

        self._texts = texts
        regions = load_regions()
        self._villages = regions.villages()
        self.kecamatan = QComboBox()
        self.kecamatan.setObjectName(f"{names}kecamatan")
        self.kecamatan.addItem("", None)
        for kecamatan in regions.kecamatans():
            self.kecamatan.addItem(kecamatan.name, kecamatan.code)
        self.search = QLineEdit()
        self.search.setObjectName(f"{names}village_search")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("villages")
        self._kecamatan_label = QLabel()
        self._kecamatan_label.setBuddy(self.kecamatan)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        self._count = QLabel()
        set_tone(self._count, "hint")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._kecamatan_label, self.kecamatan)
        form.addRow(self._search_label, self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.list, 1)
        layout.addWidget(self._count)
        self.kecamatan.currentIndexChanged.connect(self._fill)
        self.search.textChanged.connect(self._fill)
        self.list.itemSelectionChanged.connect(self.changed)
        texts.changed.connect(self._retranslate)
        self._retranslate()

    def selected(self) -> Village | None:
        """The village chosen, if any."""
        from simpul.records.wilayah import UnknownVillageError, load_regions

        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        try:
            return load_regions().village(str(item.data(Qt.ItemDataRole.UserRole)))
        except UnknownVillageError:
            return None

    @Slot()
    def _fill(self) -> None:
        chosen = self.selected()
        kecamatan = self.kecamatan.currentData()
        needle = _fold(self.search.text().strip())
        t = self._texts.t
        self.list.clear()
        shown = 0
        for village in self._villages:
            if kecamatan and village.kecamatan_code != kecamatan:
                continue
            if needle and needle not in _fold(f"{village.name} {village.kecamatan_name}"):
                continue
            kind = t("gui_kelurahan") if village.kind == "kelurahan" else t("gui_desa")
            text = t(
                "gui_village_item", kind=kind, name=village.name, kecamatan=village.kecamatan_name
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, village.code)
            self.list.addItem(item)
            shown += 1
            if chosen is not None and chosen.code == village.code:
                self.list.setCurrentItem(item)
        self._count.setText(t("gui_village_count", count=shown))
        self.changed.emit()

    @Slot()
    def _retranslate(self) -> None:
        t = self._texts.t
        self._kecamatan_label.setText(t("gui_kecamatan"))
        self._search_label.setText(t("gui_search"))
        self.search.setPlaceholderText(t("gui_village_search_hint"))
        self.kecamatan.setItemText(0, t("gui_all_kecamatan"))
        self._fill()
