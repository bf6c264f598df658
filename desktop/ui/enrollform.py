"""Enrolling this laptop with the district: a server address and code, or an enrollment file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.store import Store
from desktop.sync.state import Enrollment
from desktop.ui import ops
from desktop.ui.context import AppContext
from desktop.ui.widgets import busy_bar, set_tone
from simpul.errors import UserError

__all__ = ["EnrollDialog", "EnrollForm"]

SKIP, ONLINE, FILE = "skip", "online", "file"


class EnrollForm(QWidget):
    """Choose how to enroll and run it; expected failures are said on the form itself.

    Signals:
        changed: What is chosen or typed changed (``ready`` may differ).
        enrolled: Enrollment succeeded (the enrollment is passed).
    """

    changed = Signal()
    enrolled = Signal(object)

    def __init__(self, ctx: AppContext, *, allow_skip: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._file: Path | None = None
        self._busy = False
        self._done: Callable[[Enrollment], None] | None = None

        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.skip = QRadioButton()
        self.skip.setObjectName("enroll_skip")
        self.online = QRadioButton()
        self.online.setObjectName("enroll_online")
        self.by_file = QRadioButton()
        self.by_file.setObjectName("enroll_file")
        group = QButtonGroup(self)
        for button in (self.skip, self.online, self.by_file):
            group.addButton(button)
        self.skip.setVisible(allow_skip)
        (self.skip if allow_skip else self.online).setChecked(True)

        self.server = QLineEdit()
        self.server.setObjectName("server_url")
        self.code = QLineEdit()
        self.code.setObjectName("enroll_code")
        self._server_label = QLabel()
        self._code_label = QLabel()
        online_box = QWidget()
        online_form = QFormLayout(online_box)
        online_form.setContentsMargins(24, 0, 0, 0)
        online_form.addRow(self._server_label, self.server)
        online_form.addRow(self._code_label, self.code)
        self._online_box = online_box

        self.file_label = QLabel()
        self.choose_file = QPushButton()
        self.choose_file.setObjectName("choose_enrollment_file")
        file_box = QWidget()
        file_row = QHBoxLayout(file_box)
        file_row.setContentsMargins(24, 0, 0, 0)
        file_row.addWidget(self.choose_file)
        file_row.addWidget(self.file_label, 1)
        self._file_box = file_box

        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._intro)
        layout.addWidget(self.skip)
        layout.addWidget(self.online)
        layout.addWidget(online_box)
        layout.addWidget(self.by_file)
        layout.addWidget(file_box)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addStretch(1)

        group.buttonToggled.connect(self._on_mode_toggled)
        self.server.textChanged.connect(self._on_input_changed)
        self.code.textChanged.connect(self._on_input_changed)
        self.choose_file.clicked.connect(self._on_choose_file_clicked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._show_mode()

    # ------------------------------------------------------------------ state

    @property
    def mode(self) -> str:
        """``skip``, ``online`` or ``file``."""
        if self.online.isChecked():
            return ONLINE
        if self.by_file.isChecked():
            return FILE
        return SKIP

    @property
    def ready(self) -> bool:
        """Whether enough is filled in to try (or to skip)."""
        if self._busy:
            return False
        if self.mode == ONLINE:
            return bool(self.server.text().strip() and self.code.text().strip())
        if self.mode == FILE:
            return self._file is not None
        return True

    @property
    def running(self) -> bool:
        """An enrollment is under way."""
        return self._busy

    def start(self, store: Store) -> None:
        """Enroll ``store`` as chosen (nothing to do for ``skip``); ``enrolled`` follows."""
        if self.mode == SKIP or not self.ready:
            return
        self._set_busy(True)
        self.message.clear()
        if self.mode == ONLINE:
            ops.enroll_online(
                self._ctx,
                store,
                self.server.text().strip(),
                self.code.text().strip(),
                done=self._on_enrolled,
                failed=self._on_failed,
            )
        else:
            assert self._file is not None
            ops.enroll_from_file(
                self._ctx, store, self._file, done=self._on_enrolled, failed=self._on_failed
            )

    # ------------------------------------------------------------------ slots

    def _on_enrolled(self, enrollment: Enrollment) -> None:
        self._set_busy(False)
        set_tone(self.message, "success")
        self.message.setText(self._ctx.texts.t("gui_enroll_done"))
        self.enrolled.emit(enrollment)

    def _on_failed(self, exc: UserError) -> None:
        self._set_busy(False)
        set_tone(self.message, "problem")
        self.message.setText(self._ctx.texts.error(exc))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.skip, self.online, self.by_file, self._online_box, self._file_box):
            widget.setEnabled(not busy)
        self.changed.emit()

    @Slot()
    def _on_mode_toggled(self) -> None:
        self.message.clear()
        self._show_mode()
        self.changed.emit()

    @Slot()
    def _on_input_changed(self) -> None:
        self.changed.emit()

    @Slot()
    def _on_choose_file_clicked(self) -> None:
        t = self._ctx.texts.t
        chosen = self._ctx.prompter.choose_file(
            self, t("gui_enroll_file_title"), t("gui_enroll_file_filter")
        )
        if chosen is not None:
            self._file = chosen
            self.file_label.setText(chosen.name)
            self.changed.emit()

    def _show_mode(self) -> None:
        self._online_box.setVisible(self.mode == ONLINE)
        self._file_box.setVisible(self.mode == FILE)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._intro.setText(t("gui_enroll_intro"))
        self.skip.setText(t("gui_enroll_skip"))
        self.online.setText(t("gui_enroll_online"))
        self.by_file.setText(t("gui_enroll_by_file"))
        self._server_label.setText(t("gui_enroll_server"))
        self._code_label.setText(t("gui_enroll_code"))
        self.server.setPlaceholderText(t("gui_enroll_server_example"))
        self.choose_file.setText(t("gui_choose_file"))
        if self._file is None:
            self.file_label.setText(t("gui_no_file_chosen"))


class EnrollDialog(QDialog):
    """Enrollment after set-up (offered by the status bar while the laptop is not enrolled)."""

    def __init__(self, ctx: AppContext, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._store = store
        self.form = EnrollForm(ctx, allow_skip=False)
        self.enroll_button = QPushButton()
        self.enroll_button.setObjectName("enroll_button")
        self.enroll_button.setDefault(True)
        self.close_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        self.resize(520, 360)

        self.form.changed.connect(self._on_form_changed)
        self.form.enrolled.connect(self._on_enrolled)
        self.enroll_button.clicked.connect(self._on_enroll_clicked)
        self.close_button.clicked.connect(self.reject)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._on_form_changed()

    @Slot()
    def _on_form_changed(self) -> None:
        self.enroll_button.setEnabled(self.form.ready)

    @Slot()
    def _on_enroll_clicked(self) -> None:
        self.form.start(self._store)

    @Slot(object)
    def _on_enrolled(self, _enrollment: object) -> None:
        self.accept()

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self.setWindowTitle(t("gui_enroll_title"))
        self.enroll_button.setText(t("gui_enroll_button"))
        self.close_button.setText(t("gui_close"))
