"""A page's server calls in the background: the busy bar, stale answers dropped, a session that
ended signing out.

Every district page asks the server through ``ctx.runner`` (never on the UI thread) and must
not show an answer that arrives after the user signed out, or after a newer question replaced
it. :class:`PageFetches` keeps the count of calls running (the page's busy bar shows while
there is one) and a generation: :meth:`PageFetches.drop` starts a new one, and an answer of an
older generation is dropped without a word. A failure that means the session ended goes to
``ctx.session_failed`` (it signs out; the sign-in screen says why); any other to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QProgressBar

from desktop.ui.district.context import DistrictContext
from simpul.errors import UserError

__all__ = ["PageFetches"]

T = TypeVar("T")


class PageFetches:
    """The background calls of one page (see the module's doc).

    ``changed`` is called whenever a call starts or ends (to enable or disable buttons).
    """

    def __init__(
        self,
        ctx: DistrictContext,
        busy: QProgressBar,
        changed: Callable[[], None] | None = None,
    ) -> None:
        self._ctx = ctx
        self._busy = busy
        self._changed = changed
        self.generation = 0
        """Bumped by :meth:`drop`: answers of an older one are dropped."""
        self.running = 0
        """Calls of the current generation still on their way."""

    def submit(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[UserError], None] | None = None,
    ) -> None:
        """Run ``work`` in the background; then ``done(result)``, or ``failed(error)`` unless
        the error ended the session, on the UI thread — unless :meth:`drop` came first."""
        generation = self.generation

        def on_done(result: T) -> None:
            if generation == self.generation:
                self._end()
                done(result)

        def on_failed(exc: UserError) -> None:
            if generation != self.generation:
                return
            self._end()
            if not self._ctx.session_failed(exc) and failed is not None:
                failed(exc)

        self.running += 1
        self._busy.show()
        self._notify()
        self._ctx.runner.submit(work, done=on_done, failed=on_failed)

    def drop(self) -> None:
        """Forget every call on its way (sign-out, a newer question): their answers are
        dropped, the busy bar hides."""
        self.generation += 1
        self.running = 0
        self._busy.hide()

    def _end(self) -> None:
        self.running = max(0, self.running - 1)
        self._busy.setVisible(self.running > 0)
        self._notify()

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed()
