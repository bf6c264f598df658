"""The district sign-in screen: the server's address, the account name and the password.

A wrong password, an unreachable server or too many attempts are said calmly on the screen
itself (no dialog). The password field is emptied after every attempt; the name stays only in
memory, never in the settings file.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.ui.district.context import DistrictContext
from desktop.ui.passphrase import secret_field
from desktop.ui.widgets import busy_bar, centered_card, heading, set_tone
from simpul.errors import UserError

__all__ = ["SignInScreen", "valid_server_url"]


def valid_server_url(text: str) -> str | None:
    """The address as typed if it is an http(s) URL with a host, else None."""
    text = text.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.hostname:
        return text
    return None


class SignInScreen(QWidget):
    """A card in the middle of the window: server, name, password, "Masuk"."""

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setObjectName("signin_server")
        self.name = QLineEdit()
        self.name.setObjectName("signin_name")
        self.password = secret_field()
        self.password.setObjectName("signin_password")
        self.sign_in_button = QPushButton()
        self.sign_in_button.setObjectName("signin_button")
        self.sign_in_button.setDefault(True)
        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setObjectName("signin_message")
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        self._server_label = QLabel()
        self._name_label = QLabel()
        self._password_label = QLabel()
        for label, field in (
            (self._server_label, self.server),
            (self._name_label, self.name),
            (self._password_label, self.password),
        ):
            label.setBuddy(field)
        form = QFormLayout()
        form.addRow(self._server_label, self.server)
        form.addRow(self._name_label, self.name)
        form.addRow(self._password_label, self.password)
        card_layout = centered_card(self, 520)  # the lock screen's look
        card_layout.addWidget(self._title)
        card_layout.addWidget(self._intro)
        card_layout.addSpacing(8)
        card_layout.addLayout(form)
        card_layout.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignRight)
        card_layout.addWidget(self.busy)
        card_layout.addWidget(self.message)
        for field in (self.server, self.name, self.password):
            field.returnPressed.connect(self._on_sign_in_clicked)
        self.sign_in_button.clicked.connect(self._on_sign_in_clicked)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self.reset()

    def reset(self) -> None:
        """Ready to sign in: the stored address, the name typed before, an empty password."""
        if not self.server.text():
            self.server.setText(self._ctx.settings.server_url)
        self.password.clear()
        self.message.clear()
        self._set_busy(False)
        for field in (self.server, self.name, self.password):
            if not field.text():
                field.setFocus()
                break

    @Slot()
    def _on_sign_in_clicked(self) -> None:
        if self.busy.isVisible():
            return
        t = self._ctx.texts.t
        url = valid_server_url(self.server.text())
        if url is None:
            self._show_problem(t("gui_dm_bad_server_url"), self.server)
            return
        name = self.name.text().strip()
        if not name:
            self._show_problem(t("gui_dm_name_missing"), self.name)
            return
        password = self.password.text()
        if not password:
            self._show_problem(t("gui_dm_password_missing"), self.password)
            return
        self.message.clear()
        self._set_busy(True)
        self._ctx.sign_in(url, name, password, failed=self._on_failed)
        self.password.clear()  # not kept on screen while the server answers

    def _on_failed(self, exc: UserError) -> None:
        self._set_busy(False)
        self._show_problem(self._ctx.texts.error(exc), self.password)

    def _show_problem(self, text: str, field: QLineEdit) -> None:
        self.message.setText(text)
        field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.sign_in_button.setEnabled(not busy)
        for field in (self.server, self.name, self.password):
            field.setReadOnly(busy)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_signin_title"))
        self._intro.setText(t("gui_dm_signin_intro"))
        self._server_label.setText(t("gui_dm_server"))
        self._name_label.setText(t("gui_dm_name"))
        self._password_label.setText(t("gui_dm_password"))
        self.server.setPlaceholderText("https://simpul.pemalangkab.go.id")
        self.sign_in_button.setText(t("gui_dm_sign_in"))
