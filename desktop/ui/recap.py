"""Skeleton: the recap page (being built)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop.ui.context import AppContext
from desktop.ui.pages import PlaceholderPage

__all__ = ["RecapPage"]


class RecapPage(PlaceholderPage):
    """Placeholder until the page is built."""

    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "gui_nav_recap", "gui_recap_placeholder", parent)
