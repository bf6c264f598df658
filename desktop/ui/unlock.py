"""The lock screen: unlock with the passphrase, or recover with the printed code.

It shows nothing about the profile's records or users (not even the village) until a
passphrase or the recovery code has opened it. A wrong passphrase is said calmly on the screen
itself: no dialog.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.context import AppContext
from desktop.ui.passphrase import PassphraseFields, secret_field
from desktop.ui.widgets import busy_bar, centered_card, heading, set_tone
from simpul.errors import UserError

if TYPE_CHECKING:
    from desktop.storage.store import Store

__all__ = ["LockScreen", "RecoveryPanel", "UnlockPanel"]


def _ops() -> ModuleType:
    """The door to storage, loaded when first used (not before the lock screen shows)."""
    from desktop.ui import ops

    return ops


def fit_to_current(stack: QStackedWidget) -> None:
    """Size a stack to the page shown, not to its tallest page (the card stays compact)."""
    for index in range(stack.count()):
        page = stack.widget(index)
        if page is None:
            continue
        shown = index == stack.currentIndex()
        policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
        page.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        page.updateGeometry()
    stack.updateGeometry()


class UnlockPanel(QWidget):
    """Passphrase field and "Buka"; the key derivation runs on the worker thread.

    Signals:
        forgot_clicked: The user asked to recover with the printed code.
    """

    forgot_clicked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.passphrase = secret_field()
        self.passphrase.setObjectName("unlock_passphrase")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)
        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setObjectName("unlock_message")
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        self.forgot = QPushButton()
        self.forgot.setObjectName("forgot_passphrase")
        self.forgot.setFlat(True)
        self.forgot.setProperty("link", True)
        self.forgot.setCursor(Qt.CursorShape.PointingHandCursor)

        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        layout.addWidget(self.forgot, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

        self.passphrase.returnPressed.connect(self._on_unlock_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.forgot.clicked.connect(self.forgot_clicked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    def reset(self) -> None:
        """Empty the field and the message, ready to type."""
        self.passphrase.clear()
        self.message.clear()
        self.passphrase.setFocus()

    @Slot()
    def _on_unlock_clicked(self) -> None:
        text = self.passphrase.text()
        if not text or self.busy.isVisible():
            return
        self._set_busy(True)
        self.message.clear()
        _ops().unlock(self._ctx, text, done=self._on_opened, failed=self._on_failed)

    def _on_opened(self, store: Store) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self._ctx.set_store(store)

    def _on_failed(self, exc: UserError) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.message.setText(self._ctx.texts.error(exc))
        self.passphrase.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.forgot.setEnabled(not busy)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_app_name"))
        self._intro.setText(t("gui_unlock_intro"))
        self.passphrase.setPlaceholderText(t("gui_passphrase"))
        self.unlock_button.setText(t("gui_unlock"))
        self.forgot.setText(t("gui_forgot_passphrase"))


class RecoveryPanel(QWidget):
    """Forgot the passphrase: the recovery code opens the profile, then a new passphrase.

    Signals:
        back_clicked: Back to the passphrase (the half-finished recovery is locked again).
    """

    back_clicked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._store: Store | None = None
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)

        # step 1: the code
        self.code = QLineEdit()
        self.code.setObjectName("recovery_code_input")
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.code.setFont(mono)
        self.code.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.check_button = QPushButton()
        self.check_button.setObjectName("check_recovery_code")
        self.check_button.setDefault(True)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.check_button)
        step1 = QWidget()
        step1_layout = QVBoxLayout(step1)
        step1_layout.setContentsMargins(0, 0, 0, 0)
        step1_layout.addLayout(code_row)

        # step 2: who, and the new passphrase
        self.user = QComboBox()
        self.user.setObjectName("recovery_user")
        self._user_label = QLabel()
        self.fields = PassphraseFields(ctx.texts)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_new_passphrase")
        step2 = QWidget()
        step2_layout = QVBoxLayout(step2)
        step2_layout.setContentsMargins(0, 0, 0, 0)
        user_form = QFormLayout()
        user_form.addRow(self._user_label, self.user)
        step2_layout.addLayout(user_form)
        step2_layout.addWidget(self.fields)
        step2_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

        self.steps = QStackedWidget()
        self.steps.addWidget(step1)
        self.steps.addWidget(step2)
        self.steps.currentChanged.connect(lambda _index: fit_to_current(self.steps))
        fit_to_current(self.steps)
        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setObjectName("recovery_message")
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        self.back = QPushButton()
        self.back.setObjectName("recovery_back")
        self.back.setFlat(True)
        self.back.setProperty("link", True)
        self.back.setCursor(Qt.CursorShape.PointingHandCursor)

        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addSpacing(8)
        layout.addWidget(self.steps)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

        self.code.returnPressed.connect(self._on_check_clicked)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.fields.changed.connect(self._on_fields_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.back.clicked.connect(self._on_back_clicked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._on_fields_changed()

    def reset(self) -> None:
        """Back to step 1 with empty fields; a store opened by the code is locked again."""
        if self._store is not None:
            _ops().close_store(self._ctx, self._store, None)
            self._store = None
        self.code.clear()
        self.fields.clear()
        self.user.clear()
        self.message.clear()
        self.steps.setCurrentIndex(0)
        self._retranslate()
        self.code.setFocus()

    # ------------------------------------------------------------------ step 1

    @Slot()
    def _on_check_clicked(self) -> None:
        code = self.code.text().strip()
        if not code or self.busy.isVisible():
            return
        self._set_busy(True)
        self.message.clear()
        _ops().open_with_recovery_code(
            self._ctx, code, done=self._on_code_opened, failed=self._on_failed
        )

    def _on_code_opened(self, store: Store) -> None:
        self._set_busy(False)
        self._store = store
        self.code.clear()
        names = _ops().users(store)
        self.user.clear()
        self.user.addItems(names)
        self._user_label.setVisible(len(names) > 1)
        self.user.setVisible(len(names) > 1)
        self.steps.setCurrentIndex(1)
        self._retranslate()
        self.fields.first.setFocus()

    # ------------------------------------------------------------------ step 2

    @Slot()
    def _on_fields_changed(self) -> None:
        self.save_button.setEnabled(self.fields.acceptable and not self.busy.isVisible())

    @Slot()
    def _on_save_clicked(self) -> None:
        store = self._store
        if store is None or not self.fields.acceptable:
            return
        self._set_busy(True)
        _ops().set_passphrase_after_recovery(
            self._ctx,
            store,
            user=self.user.currentText(),
            passphrase=self.fields.passphrase(),
            done=lambda _none: self._on_saved(store),
            failed=self._on_failed,
        )

    def _on_saved(self, store: Store) -> None:
        self._set_busy(False)
        self._store = None
        self.fields.clear()
        self.steps.setCurrentIndex(0)
        self._ctx.set_store(store)

    # ------------------------------------------------------------------ both

    def _on_failed(self, exc: UserError) -> None:
        self._set_busy(False)
        self.message.setText(self._ctx.texts.error(exc))

    @Slot()
    def _on_back_clicked(self) -> None:
        self.reset()
        self.back_clicked.emit()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.steps.setEnabled(not busy)
        self.back.setEnabled(not busy)
        self._on_fields_changed()

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_recover_title"))
        step = self.steps.currentIndex()
        self._intro.setText(t("gui_recover_intro" if step == 0 else "gui_recover_new_intro"))
        self.code.setPlaceholderText(t("gui_recover_code_hint"))
        self.check_button.setText(t("gui_continue"))
        self._user_label.setText(t("gui_user_name"))
        self.save_button.setText(t("gui_recover_save"))
        self.back.setText(t("gui_recover_back"))


class LockScreen(QWidget):
    """A card in the middle of the window with the unlock or the recovery panel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unlock = UnlockPanel(ctx)
        self.recovery = RecoveryPanel(ctx)
        self.panels = QStackedWidget()
        self.panels.addWidget(self.unlock)
        self.panels.addWidget(self.recovery)
        centered_card(self, 480).addWidget(self.panels)
        self.unlock.forgot_clicked.connect(self._on_forgot_clicked)
        self.recovery.back_clicked.connect(self.show_unlock)
        self.panels.currentChanged.connect(self._on_panel_changed)
        self._on_panel_changed()

    @Slot()
    def _on_panel_changed(self) -> None:
        fit_to_current(self.panels)

    @Slot()
    def show_unlock(self) -> None:
        """The passphrase panel, empty."""
        self.panels.setCurrentWidget(self.unlock)
        self.unlock.reset()

    @Slot()
    def _on_forgot_clicked(self) -> None:
        self.recovery.reset()
        self.panels.setCurrentWidget(self.recovery)
