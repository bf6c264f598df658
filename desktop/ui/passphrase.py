"""Choosing a passphrase: typed twice, with a strength meter that follows the vault's own rule."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from desktop.storage.errors import WeakPassphraseError
from desktop.storage.vault import check_passphrase_strength
from desktop.ui.language import Texts
from desktop.ui.widgets import set_tone

__all__ = ["PassphraseFields", "passphrase_strength", "secret_field"]

STRENGTH_CODES = (
    "",
    "gui_strength_weak",
    "gui_strength_fair",
    "gui_strength_good",
    "gui_strength_strong",
)
_STRENGTH_COLOURS = ("#c62828", "#c62828", "#ef6c00", "#2e7d32", "#1b5e20")


def passphrase_strength(text: str) -> int:
    """0 empty, 1 refused by the vault, 2 accepted, 3 good, 4 strong.

    Only level 1 is a rule (``check_passphrase_strength``: 12 characters, or four words);
    above it the meter encourages longer phrases.
    """
    if not text.strip():
        return 0
    try:
        check_passphrase_strength(text)
    except WeakPassphraseError:
        return 1
    length, words = len(text.strip()), len(text.split())
    if length >= 24 or words >= 5:
        return 4
    if length >= 16 or words >= 4:
        return 3
    return 2


def secret_field() -> QLineEdit:
    """A passphrase field: hidden, no context menu (nothing to copy out of it by mistake)."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText
        | Qt.InputMethodHint.ImhNoPredictiveText
        | Qt.InputMethodHint.ImhSensitiveData
    )
    return field


class PassphraseFields(QWidget):
    """A new passphrase, typed twice, with a strength meter.

    Signals:
        changed: The passphrase or its repetition changed (``acceptable`` may differ).
    """

    changed = Signal()

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = texts
        self.first = secret_field()
        self.first.setObjectName("new_passphrase")
        self.second = secret_field()
        self.second.setObjectName("repeat_passphrase")
        self._first_label = QLabel()
        self._first_label.setBuddy(self.first)
        self._second_label = QLabel()
        self._second_label.setBuddy(self.second)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.strength_label = QLabel()
        self._rule = QLabel()
        self._rule.setWordWrap(True)
        set_tone(self._rule, "hint")
        self.mismatch = QLabel()
        set_tone(self.mismatch, "problem")
        self.show_text = QCheckBox()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self._first_label, 0, 0)
        grid.addWidget(self.first, 0, 1)
        grid.addWidget(self.meter, 1, 1)
        grid.addWidget(self.strength_label, 2, 1)
        grid.addWidget(self._rule, 3, 1)
        grid.addWidget(self._second_label, 4, 0)
        grid.addWidget(self.second, 4, 1)
        grid.addWidget(self.mismatch, 5, 1)
        grid.addWidget(self.show_text, 6, 1)

        self.first.textChanged.connect(self._on_text_changed)
        self.second.textChanged.connect(self._on_text_changed)
        self.show_text.toggled.connect(self._on_show_text_toggled)
        texts.changed.connect(self._retranslate)
        self._retranslate()

    @property
    def acceptable(self) -> bool:
        """Strong enough for the vault and typed the same twice."""
        text = self.first.text()
        return passphrase_strength(text) >= 2 and text == self.second.text()

    def passphrase(self) -> str:
        """The passphrase typed."""
        return self.first.text()

    def clear(self) -> None:
        """Forget what was typed."""
        self.first.clear()
        self.second.clear()

    @Slot()
    def _on_text_changed(self) -> None:
        self._update()
        self.changed.emit()

    @Slot(bool)
    def _on_show_text_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    @Slot()
    def _retranslate(self) -> None:
        t = self._texts.t
        self._first_label.setText(t("gui_passphrase_new"))
        self._second_label.setText(t("gui_passphrase_repeat"))
        self._rule.setText(t("gui_passphrase_rule"))
        self.show_text.setText(t("gui_passphrase_show"))
        self._update()

    def _update(self) -> None:
        level = passphrase_strength(self.first.text())
        self.meter.setValue(level)
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {_STRENGTH_COLOURS[level]}; }}"
        )
        self.strength_label.setText(self._texts.t(STRENGTH_CODES[level]) if level else "")
        first, repeated = self.first.text(), self.second.text()
        # said only once the repetition has gone wrong, not while it is still being typed
        mismatch = bool(repeated) and (
            not first.startswith(repeated) or (len(repeated) >= len(first) and repeated != first)
        )
        self.mismatch.setText(self._texts.t("gui_passphrase_mismatch") if mismatch else "")
