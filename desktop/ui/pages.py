"""Pages of the main window not built yet in full: placeholders, and the first settings."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desktop.ui.context import AppContext
from desktop.ui.widgets import heading, set_tone

__all__ = ["PlaceholderPage", "SettingsPage"]


class PlaceholderPage(QWidget):
    """A page title and a sentence saying what will be here."""

    def __init__(
        self, ctx: AppContext, title_code: str, body_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._codes = (title_code, body_code)
        self._title = heading(1)
        self._body = QLabel()
        self._body.setWordWrap(True)
        set_tone(self._body, "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._body)
        layout.addStretch(1)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    @Slot()
    def _retranslate(self) -> None:
        title, body = self._codes
        self._title.setText(self._ctx.texts.t(title))
        self._body.setText(self._ctx.texts.t(body))


class SettingsPage(QWidget):
    """Language and auto-lock minutes (stored in the profile's settings file)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._title = heading(1)
        self.language = QComboBox()
        self.language.setObjectName("settings_language")
        self.language.addItem("", "id")
        self.language.addItem("", "en")
        self.autolock = QSpinBox()
        self.autolock.setObjectName("settings_autolock")
        self.autolock.setRange(1, 240)
        self.language.setMaximumWidth(280)
        self.autolock.setMaximumWidth(160)
        self._language_label = QLabel()
        self._autolock_label = QLabel()
        self._more = QLabel()
        self._more.setWordWrap(True)
        set_tone(self._more, "hint")
        form = QFormLayout()
        form.addRow(self._language_label, self.language)
        form.addRow(self._autolock_label, self.autolock)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addWidget(self._more)
        layout.addStretch(1)
        self._load()
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.autolock.valueChanged.connect(self._on_autolock_changed)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    def _load(self) -> None:
        settings = self._ctx.settings
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.autolock.setValue(settings.autolock_minutes)

    @Slot()
    def _on_language_changed(self) -> None:
        self._ctx.update_settings(language=str(self.language.currentData()))

    @Slot(int)
    def _on_autolock_changed(self, minutes: int) -> None:
        self._ctx.update_settings(autolock_minutes=minutes)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_settings"))
        self._language_label.setText(t("gui_settings_language"))
        self._autolock_label.setText(t("gui_settings_autolock"))
        self.autolock.setSuffix(t("gui_settings_minutes_suffix"))
        self.language.setItemText(0, t("gui_language_id"))
        self.language.setItemText(1, t("gui_language_en"))
        self._more.setText(t("gui_settings_more"))
