"""What every district-mode screen shares: language, settings, worker, and the staff session.

District mode keeps nothing about any person on the laptop: records are read from the server
page by page and dropped on sign-out or lock. The settings file holds the language, the
auto-lock minutes and the server's address — never a name, a token or a password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from desktop.ui.language import Texts
from desktop.ui.prompter import Prompter
from desktop.ui.tasks import TaskRunner
from simpul.errors import UserError

__all__ = [
    "DISTRICT_SETTINGS_NAME",
    "ROLE_ACTIONS",
    "DistrictContext",
    "DistrictSettings",
    "SignedIn",
    "StaffSession",
]

DISTRICT_SETTINGS_NAME = "district.ini"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {"read", "follow_up", "import", "devices", "revoke", "enroll", "audit", "reports"}
    ),
    "staff": frozenset({"read", "follow_up", "import", "devices", "reports"}),
    "viewer": frozenset({"read", "reports"}),
}
"""What each role may do on screen (the server enforces the same rules on every request)."""


class StaffSession(Protocol):
    """The part of the staff API client the shell needs (``desktop.sync.staff.StaffClient``)."""

    def login(self, name: str, password: str) -> Any: ...

    def logout(self) -> Any: ...


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in: the account name and role the server answered."""

    name: str
    role: str


@dataclass(frozen=True)
class DistrictSettings:
    """District-mode preferences (no names, no tokens).

    Attributes:
        language: ``id`` (default) or ``en``.
        autolock_minutes: Sign out after this many minutes without keyboard or mouse input.
        server_url: The district server's address, offered at sign-in.
    """

    language: str = DEFAULT_LANGUAGE
    autolock_minutes: int = 10
    server_url: str = ""


def load_district_settings(path: Path) -> DistrictSettings:
    """The preferences stored at ``path``; defaults for anything missing or invalid."""
    defaults = DistrictSettings()
    if not path.exists():
        return defaults
    store = QSettings(str(path), QSettings.Format.IniFormat)
    language = str(store.value("language", defaults.language))
    try:
        minutes = int(str(store.value("autolock_minutes", defaults.autolock_minutes)))
    except ValueError:
        minutes = defaults.autolock_minutes
    url = str(store.value("server_url", "") or "")
    return DistrictSettings(
        language=language if language in LANGUAGES else defaults.language,
        autolock_minutes=minutes if 1 <= minutes <= 240 else defaults.autolock_minutes,
        server_url=url if url.startswith(("http://", "https://")) else "",
    )


def save_district_settings(path: Path, settings: DistrictSettings) -> None:
    """Write every preference to ``path`` (its folder is made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(path), QSettings.Format.IniFormat)
    for item in fields(settings):
        store.setValue(item.name, getattr(settings, item.name))
    store.sync()


ClientFactory = Callable[[str], Any]
"""Makes the staff API client of a server address."""


def _default_client(url: str) -> Any:
    from desktop.sync.staff import StaffClient

    return StaffClient(url)


class DistrictContext(QObject):
    """District mode's shared state; ``client`` and ``staff`` are set while signed in.

    Signals:
        signed_in: A session started (after sign-in).
        signed_out: The session ended (sign-out, lock, expiry); screens forget what they show.
        records_changed: Records changed on the server by this window (import, follow-up).
        settings_changed: A preference changed.
    """

    signed_in = Signal()
    signed_out = Signal()
    records_changed = Signal()
    settings_changed = Signal()

    def __init__(
        self,
        settings_path: Path,
        *,
        lang: str | None = None,
        prompter: Prompter | None = None,
        client_factory: ClientFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings_path = settings_path
        self.settings = load_district_settings(settings_path)
        if lang is not None and lang != self.settings.language:
            self.settings = replace(self.settings, language=lang)
        self.texts = Texts(self.settings.language, self)
        self.runner = TaskRunner(self)
        self.prompter = prompter or Prompter()
        self.client_factory = client_factory or _default_client
        self.client: Any = None
        """The signed-in staff API client (``desktop.sync.staff.StaffClient``), else None."""
        self.staff: SignedIn | None = None

    # ------------------------------------------------------------------ session

    @property
    def signed_in_now(self) -> bool:
        """Whether a session is open."""
        return self.client is not None and self.staff is not None

    def can(self, action: str) -> bool:
        """Whether the signed-in role may do ``action`` (see :data:`ROLE_ACTIONS`)."""
        return self.staff is not None and action in ROLE_ACTIONS.get(self.staff.role, frozenset())

    def sign_in(
        self,
        url: str,
        name: str,
        password: str,
        *,
        failed: Callable[[UserError], None],
    ) -> None:
        """Sign in in the background; on success remember the address and emit signed_in."""
        client = self.client_factory(url)

        def work() -> SignedIn:
            answer = client.login(name, password)
            return SignedIn(name=str(_field(answer, "name")), role=str(_field(answer, "role")))

        def done(who: SignedIn) -> None:
            self.client, self.staff = client, who
            if url != self.settings.server_url:
                self.update_settings(server_url=url)
            self.signed_in.emit()

        self.runner.submit(work, done=done, failed=failed)

    def sign_out(self) -> None:
        """End the session (the server is told in the background) and clear every screen."""
        client, self.client, self.staff = self.client, None, None
        if client is not None:

            def work() -> None:
                try:
                    client.logout()
                except UserError:
                    pass  # offline or already expired: the token is dropped here anyway

            self.runner.submit(work)
            self.signed_out.emit()

    def session_failed(self, exc: UserError) -> bool:
        """Sign out if ``exc`` says the session is over (expired or revoked); whether it did."""
        if exc.code in ("refused_session_expired", "session_expired", "refused_unauthorized"):
            self.sign_out()
            return True
        return False

    # ------------------------------------------------------------------ settings

    def update_settings(self, **changes: Any) -> None:
        """Change preferences, store them, and apply the language."""
        self.settings = replace(self.settings, **changes)
        save_district_settings(self.settings_path, self.settings)
        self.texts.set_language(self.settings.language)
        self.settings_changed.emit()


def _field(answer: Any, name: str) -> Any:
    return answer[name] if isinstance(answer, dict) else getattr(answer, name)
