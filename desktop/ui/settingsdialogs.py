"""The settings page's dialogs that change the profile's locks (passphrase, users, recovery
code), and the storage work behind them and behind a new server address.

Each dialog first asks the signed-in user's passphrase again, so a laptop left unlocked for a
moment cannot be given a new passphrase, user or recovery code by someone passing by. The key
derivation (about half a second per passphrase slot) runs on the worker with the dialog's
buttons disabled; a wrong passphrase is said calmly on the dialog. A lock closes the dialog at
once, and a change whose result nobody would see any more is not written.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.storage.errors import VaultLockedError, WrongPassphraseError
from desktop.storage.store import Store
from desktop.sync.client import normalize_server_url
from desktop.sync.errors import NotEnrolledError
from desktop.sync.state import SyncState
from desktop.ui.context import AppContext
from desktop.ui.passphrase import PassphraseFields, secret_field
from desktop.ui.printing import print_recovery_sheet
from desktop.ui.widgets import busy_bar, heading, set_tone
from simpul.errors import UserError

__all__ = [
    "AddUserDialog",
    "ChangePassphraseDialog",
    "RecoveryCodeDialog",
    "add_user",
    "change_passphrase",
    "checked_server_url",
    "make_recovery_code",
    "set_server_url",
]

Failed = Callable[[UserError], None]
T = TypeVar("T")

# --- operations (on the worker; the same shape as desktop/ui/ops.py) ----------------------------


def _store(ctx: AppContext) -> Store:
    store = ctx.store
    if store is None:
        raise RuntimeError("the profile is locked")
    return store


def _check_own_passphrase(store: Store, passphrase: str) -> None:
    """Refuse unless ``passphrase`` opens the slot of the user who is signed in (another user's
    passphrase opens the vault too, but does not speak for this user)."""
    opened = Store.load_vault(store.profile_dir).unlock(passphrase)
    try:
        own = opened.user is not None and opened.user == store.vault.user
    finally:
        opened.lock()
    if not own:
        raise WrongPassphraseError()


def _refuse_shared_passphrase(store: Store, passphrase: str, *, owner: str | None) -> None:
    """Refuse a passphrase another user already has: the lock screen tries the slots in order,
    so the later of two users with one passphrase could never sign in as themselves."""
    try:
        opened = Store.load_vault(store.profile_dir).unlock(passphrase)
    except WrongPassphraseError:
        return
    try:
        holder = opened.user
    finally:
        opened.lock()
    if owner is None or holder != owner:
        raise UserError("gui_settings_passphrase_taken", "another user has this passphrase")


def _check_wanted(cancel: threading.Event) -> None:
    """The dialog was closed by a lock meanwhile: write nothing nobody would be told about."""
    if cancel.is_set():
        raise VaultLockedError()


def _confirmed_change(
    ctx: AppContext,
    current: str,
    cancel: threading.Event,
    change: Callable[[Store], T],
    *,
    action: str,
    check: Callable[[Store], None] = lambda _store: None,
    done: Callable[[T], None],
    failed: Failed,
) -> None:
    """On the worker: confirm the signed-in user's passphrase ``current``, run ``check``, then
    (unless the dialog was closed by a lock meanwhile) make the change and audit ``action``."""
    store = _store(ctx)

    def work() -> T:
        _check_own_passphrase(store, current)
        check(store)
        _check_wanted(cancel)
        result = change(store)
        store.audit_action(action)
        return result

    ctx.runner.submit(work, done=done, failed=failed)


def change_passphrase(
    ctx: AppContext,
    *,
    current: str,
    new: str,
    cancel: threading.Event,
    done: Callable[[None], None],
    failed: Failed,
) -> None:
    """Give the signed-in user a new passphrase once the current one is confirmed."""
    _confirmed_change(
        ctx,
        current,
        cancel,
        lambda store: store.vault.change_passphrase(new),
        action="passphrase_change",
        check=lambda store: _refuse_shared_passphrase(store, new, owner=store.vault.user),
        done=done,
        failed=failed,
    )


def add_user(
    ctx: AppContext,
    *,
    current: str,
    user: str,
    passphrase: str,
    cancel: threading.Event,
    done: Callable[[None], None],
    failed: Failed,
) -> None:
    """Add another user with a passphrase of their own, confirmed by the signed-in user."""
    _confirmed_change(
        ctx,
        current,
        cancel,
        lambda store: store.vault.add_user(user, passphrase),
        action="user_add",
        check=lambda store: _refuse_shared_passphrase(store, passphrase, owner=None),
        done=done,
        failed=failed,
    )


def make_recovery_code(
    ctx: AppContext,
    *,
    current: str,
    cancel: threading.Event,
    done: Callable[[str], None],
    failed: Failed,
) -> None:
    """Replace the recovery code (the old one stops working); ``done`` gets the new code."""
    _confirmed_change(
        ctx,
        current,
        cancel,
        lambda store: store.vault.new_recovery_code(),
        action="recovery_code_new",
        done=done,
        failed=failed,
    )


_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_NAME = re.compile(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*\.?")


def _is_host(host: str) -> bool:
    if _HOST_NAME.fullmatch(host):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def checked_server_url(text: str) -> str:
    """The server address typed, written as enrollment writes it (``http(s)://host[:port]``
    with an optional path).

    Raises:
        UserError: ``bad_server_url``: not http or https, no valid host name or address, a bad
            port, or a user name, query or fragment that a server address never has.
    """
    try:
        url = normalize_server_url(text)
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or too big
    except ValueError as exc:
        raise UserError("bad_server_url", "not a server address", url=text.strip()) from exc
    if (
        not _is_host(parts.hostname or "")
        or parts.username is not None
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in url)
    ):
        raise UserError("bad_server_url", "not a server address", url=text.strip())
    return url


def set_server_url(
    ctx: AppContext, url: str, *, done: Callable[[str], None], failed: Failed
) -> None:
    """Sync online with the server at ``url`` from now on (checked with
    :func:`checked_server_url`). The pinned district keys stay: a server that does not hold
    them is refused at the next sync (``server_keys_changed``)."""
    store = _store(ctx)

    def work() -> str:
        state = SyncState(store)
        enrollment = state.enrollment()
        if enrollment is None:
            raise NotEnrolledError()
        if enrollment.via != "online":
            raise NotEnrolledError("not_enrolled_online")
        state.set_server_url(url)
        return url

    ctx.runner.submit(work, done=done, failed=failed)


# --- dialogs --------------------------------------------------------------------------------------


class _ConfirmedDialog(QDialog):
    """Asks the signed-in user's passphrase again, then runs a change on the worker.

    Subclasses add rows to :attr:`form` or widgets to :attr:`content` (all disabled while
    the worker runs) and implement :meth:`_ready` and :meth:`_start`; results come back to
    :meth:`_on_failed` or the subclass's own callback.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cancel = threading.Event()
        self._busy = False
        self._error: UserError | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.current = secret_field()
        self.current.setObjectName("current_passphrase")
        self._current_label = QLabel()
        self._current_label.setBuddy(self.current)
        self.inputs = QWidget()
        self.form = QFormLayout()
        self.form.addRow(self._current_label, self.current)
        self.content = QVBoxLayout()
        inputs = QVBoxLayout(self.inputs)
        inputs.setContentsMargins(0, 0, 0, 0)
        inputs.addLayout(self.form)
        inputs.addLayout(self.content)
        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setObjectName("settings_dialog_message")
        self.message.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.setObjectName("settings_dialog_action")
        self.action_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("settings_dialog_cancel")
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.action_button)
        self.buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addWidget(self.inputs)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(self.buttons)
        self.resize(560, 300)

        self.current.textChanged.connect(self._update_buttons)
        self.action_button.clicked.connect(self._on_action_clicked)
        self.cancel_button.clicked.connect(self.reject)
        ctx.locked.connect(self._on_locked)
        ctx.texts.changed.connect(self._retranslate)
        self._attached = True

    # ------------------------------------------------------------------ for subclasses

    def _ready(self) -> bool:
        """Whether the fields of the subclass are filled in well enough to try."""
        raise NotImplementedError

    def _start(self) -> None:
        """Submit the change (the passphrase typed is in :attr:`current`)."""
        raise NotImplementedError

    def _forget(self) -> None:
        """Empty every secret field."""
        self.current.clear()

    # ------------------------------------------------------------------ state

    @property
    def running(self) -> bool:
        """A change is being checked or written on the worker."""
        return self._busy

    @Slot()
    def _update_buttons(self) -> None:
        self.action_button.setEnabled(
            not self._busy and bool(self.current.text()) and self._ready()
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.inputs.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self._update_buttons()

    @Slot()
    def _on_action_clicked(self) -> None:
        if self._busy or not self.action_button.isEnabled():
            return
        self._error = None
        self.message.clear()
        self._set_busy(True)
        self._start()

    def _on_failed(self, exc: UserError) -> None:
        self._set_busy(False)
        self._error = exc
        set_tone(self.message, "problem")
        self.message.setText(self._ctx.texts.error(exc))
        if isinstance(exc, WrongPassphraseError):
            self.current.clear()
            self.current.setFocus()

    def _ready_to_show(self, width: int, height: int) -> None:
        """The end of a subclass's constructor: size, texts and buttons as they start."""
        self.resize(width, height)
        self._retranslate()
        self._update_buttons()

    def _inform(self, title_code: str, text_code: str) -> None:
        t = self._ctx.texts.t
        self._ctx.prompter.inform(self, t(title_code), t(text_code))

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        if not self._busy:  # a change under way finishes first (its buttons are disabled)
            super().reject()

    def done(self, result: int) -> None:
        self._forget()
        self._detach()
        super().done(result)

    @Slot()
    def _on_locked(self) -> None:
        self._cancel.set()
        self._busy = False
        self._forget()
        self._detach()
        QDialog.done(self, QDialog.DialogCode.Rejected)  # past the "written down" check

    def _detach(self) -> None:
        # A closed dialog is deleted later; until then it must not follow the app's signals
        # (its child widgets may already be gone when the language changes).
        if self._attached:
            self._attached = False
            self._ctx.locked.disconnect(self._on_locked)
            self._ctx.texts.changed.disconnect(self._retranslate)

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._current_label.setText(t("gui_settings_current_passphrase"))
        self.cancel_button.setText(t("gui_cancel"))
        if self._error is not None:
            self.message.setText(self._ctx.texts.error(self._error))


class _NewPassphraseDialog(_ConfirmedDialog):
    """The passphrase now, then a new one twice with the strength meter (:attr:`fields`);
    once the change is written the person is told so and the dialog closes.

    Subclasses name their texts (window title, intro, the new passphrase's title, the button,
    what is said when done) and their size, may add rows (:meth:`_add_rows`) and implement
    :meth:`_start`.
    """

    _TITLE = ""
    _INTRO = ""
    _NEW_TITLE = ""
    _BUTTON = ""
    _DONE = ""
    _SIZE = (580, 470)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._add_rows()
        self.fields = PassphraseFields(ctx.texts)
        self._new_title = heading(2)
        self.content.addSpacing(8)
        self.content.addWidget(self._new_title)
        self.content.addWidget(self.fields)
        self.fields.changed.connect(self._update_buttons)
        self._ready_to_show(*self._SIZE)

    def _add_rows(self) -> None:
        """Rows of the subclass below the passphrase now (made first: Tab reaches them before
        the new passphrase)."""

    def _ready(self) -> bool:
        return self.fields.acceptable

    def _on_changed(self, _none: None) -> None:
        self._set_busy(False)
        self._inform(self._TITLE, self._DONE)
        self.accept()

    def _forget(self) -> None:
        super()._forget()
        self.fields.clear()

    @Slot()
    def _retranslate(self) -> None:
        super()._retranslate()
        t = self._ctx.texts.t
        self.setWindowTitle(t(self._TITLE))
        self.intro.setText(t(self._INTRO))
        self._new_title.setText(t(self._NEW_TITLE))
        self.action_button.setText(t(self._BUTTON))


class ChangePassphraseDialog(_NewPassphraseDialog):
    """The passphrase now, then the new one twice with the strength meter."""

    _TITLE = "gui_settings_passphrase_title"
    _INTRO = "gui_settings_passphrase_intro"
    _NEW_TITLE = "gui_settings_new_passphrase"
    _BUTTON = "gui_settings_passphrase_button"
    _DONE = "gui_settings_passphrase_changed"

    def _start(self) -> None:
        change_passphrase(
            self._ctx,
            current=self.current.text(),
            new=self.fields.passphrase(),
            cancel=self._cancel,
            done=self._on_changed,
            failed=self._on_failed,
        )


class AddUserDialog(_NewPassphraseDialog):
    """Another focal point on this laptop: a name and a passphrase of their own."""

    _TITLE = "gui_settings_user_title"
    _INTRO = "gui_settings_user_intro"
    _NEW_TITLE = "gui_settings_user_passphrase"
    _BUTTON = "gui_settings_user_button"
    _DONE = "gui_settings_user_added"
    _SIZE = (580, 560)

    def _add_rows(self) -> None:
        self.name = QLineEdit()
        self.name.setObjectName("new_user_name")
        self._name_label = QLabel()
        self._name_label.setBuddy(self.name)
        self._name_hint = QLabel()
        self._name_hint.setWordWrap(True)
        set_tone(self._name_hint, "hint")
        self.form.addRow(self._name_label, self.name)
        self.form.addRow("", self._name_hint)
        self.name.textChanged.connect(self._update_buttons)

    def _ready(self) -> bool:
        return bool(self.name.text().strip()) and super()._ready()

    def _start(self) -> None:
        add_user(
            self._ctx,
            current=self.current.text(),
            user=self.name.text().strip(),
            passphrase=self.fields.passphrase(),
            cancel=self._cancel,
            done=self._on_changed,
            failed=self._on_failed,
        )

    def _forget(self) -> None:
        super()._forget()
        self.name.clear()

    @Slot()
    def _retranslate(self) -> None:
        super()._retranslate()
        t = self._ctx.texts.t
        self._name_label.setText(t("gui_settings_user_name"))
        self._name_hint.setText(t("gui_settings_user_name_hint"))


class RecoveryCodeDialog(_ConfirmedDialog):
    """Makes a new recovery code after the passphrase, shows it once with Print and an
    "I have written it down" confirmation; the old code stops working."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._code = ""
        self._printed = ""  # "gui_print_sent" or "gui_print_failed" once printing was tried
        self.made = QLabel()
        self.made.setWordWrap(True)
        set_tone(self.made, "success")
        self._explain = QLabel()
        self._explain.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setObjectName("recovery_code")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_recovery_code")
        self.printed = QLabel()
        self.written = QCheckBox()
        self.written.setObjectName("recovery_written")
        print_row = QHBoxLayout()
        print_row.addWidget(self.print_button)
        print_row.addWidget(self.printed, 1)
        self.shown = QWidget()
        shown_layout = QVBoxLayout(self.shown)
        shown_layout.setContentsMargins(0, 0, 0, 0)
        shown_layout.addWidget(self.made)
        shown_layout.addWidget(self._explain)
        shown_layout.addWidget(self.code_label)
        shown_layout.addLayout(print_row)
        shown_layout.addWidget(self.written)
        self.content.addWidget(self.shown)
        self.close_button = QPushButton()
        self.close_button.setObjectName("recovery_close")
        self.buttons.addWidget(self.close_button)
        self.shown.hide()
        self.close_button.hide()

        self.print_button.clicked.connect(self._on_print_clicked)
        self.written.toggled.connect(self._on_written_toggled)
        self.close_button.clicked.connect(self.accept)
        self._ready_to_show(560, 300)

    @property
    def code_shown(self) -> bool:
        """The new code is on screen (the old one no longer works)."""
        return bool(self._code)

    def _ready(self) -> bool:
        return not self._code

    def _start(self) -> None:
        make_recovery_code(
            self._ctx,
            current=self.current.text(),
            cancel=self._cancel,
            done=self._on_made,
            failed=self._on_failed,
        )

    def _on_made(self, code: str) -> None:
        self._set_busy(False)
        super()._forget()
        self._code = code
        self.code_label.setText(code)
        self.intro.hide()
        self.current.hide()
        self._current_label.hide()
        self.action_button.hide()
        self.cancel_button.hide()
        self.shown.show()
        self.close_button.show()
        self.close_button.setEnabled(False)
        self.close_button.setDefault(True)

    @Slot(bool)
    def _on_written_toggled(self, checked: bool) -> None:
        self.close_button.setEnabled(checked)

    def reject(self) -> None:
        # Once shown, the code is the only one that works: close only after "written down".
        if not self._code or self.written.isChecked():
            super().reject()

    def _forget(self) -> None:
        super()._forget()
        self._code = ""
        self.code_label.clear()

    @Slot()
    def _on_print_clicked(self) -> None:
        said = print_recovery_sheet(
            self._ctx,
            self,
            code=self._code,
            village=self._ctx.village_name() or "",
            result=self.printed,
        )
        if said is not None:
            self._printed = said

    @Slot()
    def _retranslate(self) -> None:
        super()._retranslate()
        t = self._ctx.texts.t
        self.setWindowTitle(t("gui_settings_recovery_title"))
        self.intro.setText(t("gui_settings_recovery_intro"))
        self.action_button.setText(t("gui_settings_recovery_button"))
        self.made.setText(t("gui_settings_recovery_made"))
        self._explain.setText(t("gui_wizard_recovery_explain"))
        self.print_button.setText(t("gui_print"))
        self.written.setText(t("gui_wizard_recovery_written"))
        self.close_button.setText(t("gui_close"))
        self.printed.setText(t(self._printed) if self._printed else "")
