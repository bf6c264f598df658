"""When to sync: a background worker thread that runs sync rounds as they fall due (no Qt).

Triggers (DESIGN.md §6): after a save (``notify_saved``; a burst of saves makes one round, at
most ``debounce_s`` after the first), on a timer (every ``interval_s`` after a round), on demand
(``sync_now``) and when connectivity returns: while offline, a cheap connectivity probe runs
with a growing delay, and the first probe that answers starts a round at once.

The worker never runs on the caller's thread; ``on_event`` is called from the worker, so a GUI
must hand events over to its own thread (a Qt signal does). Being offline is a state reported
through ``on_event``, never an exception out of the scheduler.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop.storage.store import Store
from desktop.sync.client import SyncClient
from desktop.sync.engine import Backoff, SyncEngine, SyncProgress, SyncReport
from desktop.sync.errors import NotEnrolledError, OfflineError, SyncError
from desktop.sync.state import SyncState

__all__ = ["RoundRunner", "SchedulerEvent", "SyncScheduler", "for_store"]

RoundRunner = Callable[[threading.Event, Callable[[SyncProgress], None]], SyncReport]
"""Runs one round: ``(cancel, progress) -> report`` (``SyncEngine.run_once`` wrapped)."""


@dataclass(frozen=True, slots=True)
class SchedulerEvent:
    """What the worker reports.

    Attributes:
        state: ``syncing`` (a round started or made progress), ``synced``, ``offline``,
            ``error`` (a refusal or failure the user must see; ``code`` says which) or
            ``cancelled``.
        progress: For ``syncing``, where the round is.
        report: For ``synced`` and ``cancelled``, what the round did.
        code: For ``error``, the error code (translated by the UI).
    """

    state: str
    progress: SyncProgress | None = None
    report: SyncReport | None = None
    code: str = ""


class SyncScheduler:
    """Runs sync rounds on a background thread when due.

    Args:
        run_round: One sync round (see :data:`RoundRunner`).
        probe: A cheap connectivity check (``SyncClient.health``) used while offline; raises
            :class:`OfflineError` when the server cannot be reached.
        on_event: Called from the worker thread with each :class:`SchedulerEvent`.
        interval_s: Time between rounds when nothing else triggers one.
        debounce_s: Delay between a save and the round that carries it.
        offline_retry_s: First and longest delay between probes while offline.
        clock: Monotonic seconds (tests may pass their own).
    """

    def __init__(
        self,
        run_round: RoundRunner,
        *,
        probe: Callable[[], object] | None = None,
        on_event: Callable[[SchedulerEvent], None] | None = None,
        interval_s: float = 15 * 60,
        debounce_s: float = 20.0,
        offline_retry_s: tuple[float, float] = (30.0, 600.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run_round = run_round
        self._probe = probe
        self._on_event = on_event or (lambda _event: None)
        self.interval_s = interval_s
        self.debounce_s = debounce_s
        self._retry_first, self._retry_max = offline_retry_s
        self._clock = clock
        self._cond = threading.Condition()
        self._due: float | None = None
        self._offline_delay: float | None = None
        self._stopping = False
        self._cancel = threading.Event()
        self._running = False
        self._thread: threading.Thread | None = None
        self.state = "idle"

    # ------------------------------------------------------------------ control

    def start(self, *, sync_now: bool = True) -> None:
        """Start the worker (and a first round at once unless ``sync_now`` is False)."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            if sync_now:
                self._due = self._clock()
            else:
                self._due = self._clock() + self.interval_s
            self._thread = threading.Thread(target=self._loop, name="simpul-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Cancel a running round (between batches) and end the worker."""
        with self._cond:
            self._stopping = True
            self._cancel.set()
            self._cond.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)

    def sync_now(self) -> None:
        """Run a round as soon as the worker is free ("Sync now")."""
        self._schedule(self._clock(), force=True)

    def notify_saved(self) -> None:
        """A record was saved: make sure a round runs within ``debounce_s``."""
        self._schedule(self._clock() + self.debounce_s, force=False)

    def cancel(self) -> None:
        """Cancel the running round between two batches (what was sent is kept)."""
        self._cancel.set()

    @property
    def running(self) -> bool:
        """Whether a round (or a probe) is running now."""
        return self._running

    # ------------------------------------------------------------------ worker

    def _schedule(self, at: float, *, force: bool) -> None:
        with self._cond:
            if force:
                self._offline_delay = None  # "Sync now" tries a full round even offline
            if self._due is None or at < self._due:
                self._due = at
            self._cond.notify_all()

    def _emit(self, event: SchedulerEvent) -> None:
        self.state = event.state
        try:
            self._on_event(event)
        except Exception:  # noqa: BLE001 - a listener's bug must not stop syncing
            pass

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping:
                    now = self._clock()
                    if self._due is not None and self._due <= now:
                        break
                    self._cond.wait(None if self._due is None else self._due - now)
                if self._stopping:
                    return
                self._due = None
                self._cancel = threading.Event()
                cancel = self._cancel
                offline = self._offline_delay is not None
            self._running = True
            try:
                next_in = self._probe_then_round(cancel) if offline else self._round(cancel)
            finally:
                self._running = False
            with self._cond:
                at = self._clock() + next_in
                if self._due is None or at < self._due:
                    self._due = at

    def _probe_then_round(self, cancel: threading.Event) -> float:
        if self._probe is not None:
            try:
                self._probe()
            except OfflineError:
                return self._still_offline()
            except SyncError:
                pass  # it answered: let the round say what is wrong
        return self._round(cancel)

    def _round(self, cancel: threading.Event) -> float:
        self._emit(SchedulerEvent("syncing"))

        def progress(step: SyncProgress) -> None:
            self._emit(SchedulerEvent("syncing", progress=step))

        try:
            report = self._run_round(cancel, progress)
        except OfflineError:
            return self._still_offline()
        except SyncError as exc:
            self._offline_delay = None
            self._emit(SchedulerEvent("error", code=exc.code))
            return self.interval_s
        self._offline_delay = None
        self._emit(SchedulerEvent("cancelled" if report.cancelled else "synced", report=report))
        return self.interval_s

    def _still_offline(self) -> float:
        delay = (
            self._retry_first
            if self._offline_delay is None
            else min(self._retry_max, self._offline_delay * 2)
        )
        self._offline_delay = delay
        self._emit(SchedulerEvent("offline"))
        return delay


def for_store(
    store: Store,
    *,
    on_event: Callable[[SchedulerEvent], None] | None = None,
    interval_s: float = 15 * 60,
    debounce_s: float = 20.0,
    offline_retry_s: tuple[float, float] = (30.0, 600.0),
    backoff: Backoff | None = None,
) -> SyncScheduler:
    """A scheduler that syncs ``store`` with its enrolled server.

    Rounds started by the scheduler retry only briefly (it will come back anyway); the probe
    is ``GET /v1/health`` on the enrolled server.
    """
    quick = backoff or Backoff(base=0.5, cap=5.0, attempts=3)

    def run(cancel: threading.Event, progress: Callable[[SyncProgress], None]) -> SyncReport:
        return SyncEngine(store, backoff=quick).run_once(progress=progress, cancel=cancel)

    def probe() -> object:
        enrollment = SyncState(store).require_enrollment()
        if not enrollment.server_url:
            raise NotEnrolledError("not_enrolled_online")
        with SyncClient(enrollment.server_url, timeout=(5.0, 10.0)) as client:
            return client.health()

    return SyncScheduler(
        run,
        probe=probe,
        on_event=on_event,
        interval_s=interval_s,
        debounce_s=debounce_s,
        offline_retry_s=offline_retry_s,
    )
