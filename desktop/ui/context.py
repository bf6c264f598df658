"""What every screen shares: the profile folder, settings, language, worker, the unlocked store."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.storage.profile import VAULT_NAME
from desktop.ui.language import Texts
from desktop.ui.prompter import Prompter
from desktop.ui.settings import SETTINGS_NAME, load_settings, save_settings
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:  # loaded with the shell, not before the lock screen shows
    from desktop.storage.store import Store
    from desktop.sync.scheduler import SchedulerEvent, SyncScheduler

__all__ = ["AppContext", "SchedulerFactory"]

SchedulerFactory = Callable[["Store", Callable[["SchedulerEvent"], None], float], "SyncScheduler"]
"""Makes the sync scheduler of an unlocked store: ``(store, on_event, interval_s)``."""


def _default_scheduler(
    store: Store, on_event: Callable[[SchedulerEvent], None], interval_s: float
) -> SyncScheduler:
    from desktop.sync.scheduler import for_store

    return for_store(store, on_event=on_event, interval_s=interval_s)


class AppContext(QObject):
    """The app's shared state; the store is set while unlocked and None while locked.

    Signals:
        about_to_unlock: A store is about to be set (the main window builds its pages).
        unlocked: A store was opened (after unlock, recovery or set-up).
        locked: The store was handed over to be closed; nothing personal may stay on screen.
        records_changed: Records were saved or arrived (sync, bundle); lists refresh.
        settings_changed: A preference changed.
    """

    about_to_unlock = Signal()
    unlocked = Signal()
    locked = Signal()
    records_changed = Signal()
    settings_changed = Signal()

    def __init__(
        self,
        profile_dir: Path,
        *,
        lang: str | None = None,
        prompter: Prompter | None = None,
        scheduler_factory: SchedulerFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile_dir = profile_dir
        self.settings_path = profile_dir / SETTINGS_NAME
        self.settings = load_settings(self.settings_path)
        if lang is not None and lang != self.settings.language:
            self.settings = replace(self.settings, language=lang)
        self.texts = Texts(self.settings.language, self)
        self.runner = TaskRunner(self)
        self.prompter = prompter or Prompter()
        self.scheduler_factory = scheduler_factory or _default_scheduler
        self._store: Store | None = None

    # ------------------------------------------------------------------ profile

    def has_profile(self) -> bool:
        """Whether a profile was set up in the profile folder (else the wizard runs)."""
        return (self.profile_dir / VAULT_NAME).exists()

    @property
    def store(self) -> Store | None:
        """The unlocked store, or None while locked."""
        return self._store

    def set_store(self, store: Store) -> None:
        """Take an unlocked store; the screens show the profile.

        The working set (~130,000 objects for 5,000 cases) lives until the lock and holds no
        reference cycles, so it is moved out of the cyclic collector's sight: otherwise every
        full collection — set off by a sync round's allocations on the worker — walks it while
        holding the interpreter lock, and the screen freezes for ~100-200 ms.
        """
        self.about_to_unlock.emit()
        self._store = store
        gc.freeze()
        self.unlocked.emit()

    def take_store(self) -> Store | None:
        """Hand the store over for closing and tell the screens to forget what they show."""
        store, self._store = self._store, None
        if store is not None:
            gc.unfreeze()  # what the working set leaves behind is collected as usual again
            self.locked.emit()
        return store

    def village_name(self) -> str | None:
        """The name of the unlocked profile's village (for the window title), else None."""
        if self._store is None:
            return None
        from simpul.records.wilayah import load_regions

        return load_regions().village(self._store.village).name

    # ------------------------------------------------------------------ settings

    def update_settings(self, **changes: Any) -> None:
        """Change preferences, store them (once the profile exists) and apply the language."""
        self.settings = replace(self.settings, **changes)
        if self.profile_dir.is_dir():
            save_settings(self.settings_path, self.settings)
        self.texts.set_language(self.settings.language)
        self.settings_changed.emit()

    def save_settings(self) -> None:
        """Write the current preferences (after the wizard made the profile folder)."""
        save_settings(self.settings_path, self.settings)
