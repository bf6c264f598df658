"""Pages of the main window: placeholders for pages not built yet, and the settings page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.status import SyncStatus
from desktop.ui import ops
from desktop.ui.context import AppContext
from desktop.ui.settings import MINUTES_RANGE
from desktop.ui.settingsdialogs import (
    AddUserDialog,
    ChangePassphraseDialog,
    RecoveryCodeDialog,
    checked_server_url,
    set_server_url,
)
from desktop.ui.widgets import heading, set_tone
from simpul.errors import UserError

__all__ = ["SettingsPage"]


class SettingsPage(QWidget):
    """Preferences of this laptop (language, auto-lock, sync interval: ``settings.ini``) and
    settings of the unlocked profile: the server address (in the sealed sync state), the
    passphrase, another user, a new recovery code.

    Nothing personal is shown, not even user names. While locked, the parts that need the
    profile are emptied and disabled, and an open dialog closes.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.dialog: QDialog | None = None
        """The passphrase, user or recovery-code dialog while it is open."""
        self._enrollment = ""  # "", "loading", "none", "file" or "online"
        self._stored_url = ""
        self._saving = False
        self._server_note: tuple[str, UserError | None] = ("", None)
        low, high = MINUTES_RANGE

        self._title = heading(1)
        self._general_title = heading(2)
        self.language = QComboBox()
        self.language.setObjectName("settings_language")
        self.language.addItem("", "id")
        self.language.addItem("", "en")
        self.autolock = QSpinBox()
        self.autolock.setObjectName("settings_autolock")
        self.sync_interval = QSpinBox()
        self.sync_interval.setObjectName("settings_sync_interval")
        for spin in (self.autolock, self.sync_interval):
            spin.setRange(low, high)
            spin.setKeyboardTracking(False)  # typed minutes apply on Enter, not per digit
            spin.setMaximumWidth(160)
        self.language.setMaximumWidth(280)
        self._language_label = QLabel()
        self._autolock_label = QLabel()
        self._sync_title = heading(2)
        self._interval_label = QLabel()
        self._interval_hint = _hint()
        self._server_label = QLabel()
        self.server_state = _hint()
        self.server_state.setObjectName("settings_server_state")
        self.server_url = QLineEdit()
        self.server_url.setObjectName("settings_server_url")
        self.server_save = QPushButton()
        self.server_save.setObjectName("settings_server_save")
        self._server_hint = _hint()
        self.server_message = QLabel()
        self.server_message.setObjectName("settings_server_message")
        self.server_message.setWordWrap(True)
        url_row = QHBoxLayout()
        url_row.setContentsMargins(0, 0, 0, 0)
        url_row.addWidget(self.server_url, 1)
        url_row.addWidget(self.server_save)
        self._server_box = QWidget()
        box = QVBoxLayout(self._server_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(url_row)
        box.addWidget(self._server_hint)
        box.addWidget(self.server_message)
        self._server_column = QWidget()
        column = QVBoxLayout(self._server_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.server_state)
        column.addWidget(self._server_box)
        interval_column = QWidget()
        interval = QVBoxLayout(interval_column)
        interval.setContentsMargins(0, 0, 0, 0)
        interval.addWidget(self.sync_interval)
        interval.addWidget(self._interval_hint)

        self._security_title = heading(2)
        self._security_hint = _hint()
        self.change_passphrase = QPushButton()
        self.change_passphrase.setObjectName("settings_change_passphrase")
        self.add_user = QPushButton()
        self.add_user.setObjectName("settings_add_user")
        self.recovery_code = QPushButton()
        self.recovery_code.setObjectName("settings_recovery_code")
        self._recovery_hint = _hint()
        self._security = QWidget()
        security = QVBoxLayout(self._security)
        security.setContentsMargins(0, 0, 0, 0)
        security.addWidget(self._security_hint)
        for button in (self.change_passphrase, self.add_user, self.recovery_code):
            security.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        security.addWidget(self._recovery_hint)

        for section in (self._general_title, self._sync_title, self._security_title):
            section.setContentsMargins(0, 14, 0, 2)
        # one form for every section, so that the fields line up down the page
        form = QFormLayout()
        form.addRow(self._general_title)
        form.addRow(self._language_label, self.language)
        form.addRow(self._autolock_label, self.autolock)
        form.addRow(self._sync_title)
        form.addRow(self._interval_label, interval_column)
        form.addRow(self._server_label, self._server_column)
        form.addRow(self._security_title)
        form.addRow(self._security)
        inner = QWidget()
        inner.setMaximumWidth(860)  # a server address field across a wide screen is hard to read
        layout = QVBoxLayout(inner)
        layout.addWidget(self._title)
        layout.addLayout(form)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._load()
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.autolock.valueChanged.connect(self._on_autolock_changed)
        self.sync_interval.valueChanged.connect(self._on_sync_interval_changed)
        self.server_url.textChanged.connect(self._update_server)
        self.server_url.textEdited.connect(self._on_server_edited)
        self.server_url.returnPressed.connect(self._on_server_save_clicked)
        self.server_save.clicked.connect(self._on_server_save_clicked)
        self.change_passphrase.clicked.connect(self._on_change_passphrase_clicked)
        self.add_user.clicked.connect(self._on_add_user_clicked)
        self.recovery_code.clicked.connect(self._on_recovery_code_clicked)
        ctx.unlocked.connect(self._on_unlocked)
        ctx.locked.connect(self._on_locked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._update_server()

    def _load(self) -> None:
        settings = self._ctx.settings
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.autolock.setValue(settings.autolock_minutes)
        self.sync_interval.setValue(settings.sync_interval_minutes)

    # ------------------------------------------------------------------ preferences

    @Slot()
    def _on_language_changed(self) -> None:
        self._ctx.update_settings(language=str(self.language.currentData()))

    @Slot(int)
    def _on_autolock_changed(self, minutes: int) -> None:
        self._ctx.update_settings(autolock_minutes=minutes)

    @Slot(int)
    def _on_sync_interval_changed(self, minutes: int) -> None:
        # settings_changed: the sync controller re-times the running scheduler
        self._ctx.update_settings(sync_interval_minutes=minutes)

    # ------------------------------------------------------------------ lock and unlock

    @Slot()
    def _on_unlocked(self) -> None:
        self._enrollment = "loading"
        self._load_enrollment()

    @Slot()
    def _on_locked(self) -> None:
        # the dialogs close themselves on ctx.locked
        self._enrollment = ""
        self._stored_url = ""
        self._server_note = ("", None)
        self.server_url.clear()
        self._update_server()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the enrollment again: it may have been made since (the Sync menu)."""
        super().showEvent(event)
        self._load_enrollment()

    def _load_enrollment(self) -> None:
        if self._ctx.store is None:
            return
        ops.load_sync_status(self._ctx, done=self._on_status_loaded)
        self._update_server()

    def _on_status_loaded(self, status: SyncStatus) -> None:
        if self._ctx.store is None:
            return  # locked since it was asked for
        if not status.enrolled:
            self._enrollment = "none"
        elif status.via != "online":
            self._enrollment = "file"
        else:
            self._enrollment = "online"
            self._stored_url = status.server_url or ""
            if not self.server_url.isModified():  # keep what is being typed
                self.server_url.setText(self._stored_url)
        self._update_server()

    # ------------------------------------------------------------------ server address

    @Slot()
    def _on_server_save_clicked(self) -> None:
        if not self.server_save.isEnabled():
            return
        try:
            url = checked_server_url(self.server_url.text())
        except UserError as exc:
            self._note("", exc)
            return
        self._saving = True
        self._update_server()
        set_server_url(self._ctx, url, done=self._on_server_saved, failed=self._on_server_failed)

    def _on_server_saved(self, url: str) -> None:
        self._saving = False
        if self._ctx.store is None:
            return
        self._stored_url = url
        self.server_url.setText(url)
        self._note("gui_settings_server_saved")

    def _on_server_failed(self, exc: UserError) -> None:
        self._saving = False
        self._note("", exc)

    @Slot()
    def _on_server_edited(self) -> None:
        if self._server_note != ("", None):
            self._note("")

    def _note(self, code: str, error: UserError | None = None) -> None:
        self._server_note = (code, error)
        self._update_server()

    @Slot()
    def _update_server(self) -> None:
        t = self._ctx.texts.t
        unlocked = self._ctx.store is not None
        self._server_column.setEnabled(unlocked)
        self._security.setEnabled(unlocked)
        state = {
            "loading": t("gui_settings_server_loading"),
            "none": t("gui_settings_server_not_enrolled"),
            "file": t("gui_settings_server_by_file"),
        }.get(self._enrollment, "")
        self.server_state.setText(state)
        self.server_state.setVisible(bool(state))
        self._server_box.setVisible(self._enrollment == "online")
        typed = self.server_url.text().strip()
        self.server_save.setEnabled(
            unlocked and not self._saving and bool(typed) and typed != self._stored_url
        )
        code, error = self._server_note
        if error is not None:
            set_tone(self.server_message, "problem")
            self.server_message.setText(self._ctx.texts.error(error))
        else:
            set_tone(self.server_message, "success")
            self.server_message.setText(t(code) if code else "")

    # ------------------------------------------------------------------ dialogs

    @Slot()
    def _on_change_passphrase_clicked(self) -> None:
        self._open(ChangePassphraseDialog)

    @Slot()
    def _on_add_user_clicked(self) -> None:
        self._open(AddUserDialog)

    @Slot()
    def _on_recovery_code_clicked(self) -> None:
        self._open(RecoveryCodeDialog)

    def _open(self, kind: Callable[[AppContext, QWidget], QDialog]) -> None:
        if self.dialog is not None or self._ctx.store is None:
            return
        dialog = kind(self._ctx, self)
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot()
    def _on_dialog_finished(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # ------------------------------------------------------------------ texts

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_nav_settings"))
        self._general_title.setText(t("gui_settings_general"))
        self._language_label.setText(t("gui_settings_language"))
        self._autolock_label.setText(t("gui_settings_autolock"))
        self.language.setItemText(0, t("gui_language_id"))
        self.language.setItemText(1, t("gui_language_en"))
        self._sync_title.setText(t("gui_settings_sync"))
        self._interval_label.setText(t("gui_settings_sync_interval"))
        self._interval_hint.setText(t("gui_settings_sync_interval_hint"))
        for spin in (self.autolock, self.sync_interval):
            spin.setSuffix(t("gui_settings_minutes_suffix"))
        self._server_label.setText(t("gui_settings_server"))
        self.server_url.setPlaceholderText(t("gui_enroll_server_example"))
        self.server_save.setText(t("gui_settings_server_save"))
        self._server_hint.setText(t("gui_settings_server_hint"))
        self._security_title.setText(t("gui_settings_security"))
        self._security_hint.setText(t("gui_settings_security_hint"))
        self.change_passphrase.setText(t("gui_settings_change_passphrase"))
        self.add_user.setText(t("gui_settings_add_user"))
        self.recovery_code.setText(t("gui_settings_recovery_code"))
        self._recovery_hint.setText(t("gui_settings_recovery_hint"))
        self._update_server()


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    set_tone(label, "hint")
    return label
