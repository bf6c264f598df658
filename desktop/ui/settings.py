"""Preferences of the app: declared once, typed, with defaults; an INI file in the profile folder.

Nothing identifying goes here (no names, no village, no server token): the file is plain text
and is read before the profile is unlocked, to speak the user's language on the unlock screen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["MINUTES_RANGE", "SETTINGS_NAME", "Settings", "load_settings", "save_settings"]

SETTINGS_NAME = "settings.ini"

MINUTES_RANGE = (1, 240)
"""The lowest and highest number of minutes accepted for auto-lock and the sync interval."""


@dataclass(frozen=True)
class Settings:
    """Every preference.

    Attributes:
        language: ``id`` (default) or ``en``.
        autolock_minutes: Lock after this many minutes without keyboard or mouse input.
        sync_interval_minutes: Time between background sync rounds.
    """

    language: str = DEFAULT_LANGUAGE
    autolock_minutes: int = 5
    sync_interval_minutes: int = 15


def _minutes(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    low, high = MINUTES_RANGE
    return number if low <= number <= high else default


def load_settings(path: Path) -> Settings:
    """The preferences stored at ``path``; defaults for anything missing or invalid."""
    defaults = Settings()
    if not path.exists():
        return defaults
    store = QSettings(str(path), QSettings.Format.IniFormat)
    language = str(store.value("language", defaults.language))
    return Settings(
        language=language if language in LANGUAGES else defaults.language,
        autolock_minutes=_minutes(
            store.value("autolock_minutes", defaults.autolock_minutes), defaults.autolock_minutes
        ),
        sync_interval_minutes=_minutes(
            store.value("sync_interval_minutes", defaults.sync_interval_minutes),
            defaults.sync_interval_minutes,
        ),
    )


def save_settings(path: Path, settings: Settings) -> None:
    """Write every preference to ``path`` (its folder must exist)."""
    store = QSettings(str(path), QSettings.Format.IniFormat)
    for item in fields(settings):
        store.setValue(item.name, getattr(settings, item.name))
    store.sync()
