"""Work off the UI thread: one worker thread, results handed back to the UI thread by a signal.

One thread (not a pool) so that storage work — key derivation, saves, bundle export, lock —
runs in the order it was asked for and never two at once (STYLE.md, Threading; Picard's
single-writer save pool). The sync scheduler has its own thread; the store serializes writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from simpul.errors import UserError

__all__ = ["TaskRunner"]

T = TypeVar("T")


class TaskRunner(QObject):
    """Runs callables on one worker thread; callbacks run on the UI thread.

    An expected failure (a :class:`UserError`: wrong passphrase, full disk, offline server)
    goes to the task's ``failed`` callback; anything else is a bug and is raised on the UI
    thread, where the crash dialog catches it.

    Signals:
        idle: The last queued task finished (tests and quitting wait for it).
    """

    idle = Signal()
    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simpul-ops")
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        # Emitted from the worker thread, received by this object on the UI thread: Qt queues
        # the call (AutoConnection across threads).
        self._delivered.connect(self._on_delivered)

    @property
    def busy(self) -> bool:
        """Whether a task is queued or running."""
        with self._lock:
            return self._pending > 0

    def submit(
        self,
        work: Callable[[], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[UserError], None] | None = None,
    ) -> None:
        """Queue ``work``; then ``done(result)`` or ``failed(error)`` on the UI thread."""
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        with self._lock:
            self._pending += 1

        def run() -> None:
            try:
                result = work()
            except BaseException as exc:  # noqa: BLE001 - handed to the UI thread below
                error = exc  # ``exc`` is unbound when the except block ends
                self._delivered.emit(lambda: self._finish_error(error, failed))
            else:
                self._delivered.emit(lambda: self._finish(done, result))

        self._pool.submit(run)

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread (for progress reported from the worker)."""
        self._delivered.emit(callback)

    def progress(self, callback: Callable[[int, int], None]) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` function for the worker that calls ``callback`` on the UI
        thread."""

        def report(done: int, total: int) -> None:
            self._delivered.emit(lambda: callback(done, total))

        return report

    def shutdown(self) -> None:
        """Finish the queued tasks and end the worker thread (their callbacks are dropped)."""
        self._closed = True
        self._pool.shutdown(wait=True)

    # ------------------------------------------------------------------ UI thread

    @Slot(object)
    def _on_delivered(self, callback: Callable[[], None]) -> None:
        callback()

    def _finish(self, done: Callable[[Any], None] | None, result: object) -> None:
        try:
            if done is not None and not self._closed and _alive(done):
                done(result)
        finally:
            self._settle()

    def _finish_error(self, exc: BaseException, failed: Callable[[UserError], None] | None) -> None:
        try:
            if isinstance(exc, UserError) and failed is not None:
                if not self._closed and _alive(failed):
                    failed(exc)
                return
            raise exc  # a bug (or an expected error nobody handles): the crash dialog
        finally:
            self._settle()

    def _settle(self) -> None:
        with self._lock:
            self._pending -= 1
            now_idle = self._pending == 0
        if now_idle:
            self.idle.emit()


def _alive(callback: Callable[..., object]) -> bool:
    """False for a method of a widget Qt has deleted meanwhile (its window was closed while the
    work ran): the result has nowhere to go."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
