"""The sync scheduler: debounced saves, timer, "Sync now", offline probing, cancel — on a real
background thread (short delays instead of minutes)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from desktop.sync.engine import SyncProgress, SyncReport
from desktop.sync.enroll import enroll_online
from desktop.sync.errors import OfflineError, ServerRefusedError
from desktop.sync.outbox import pending_ids
from desktop.sync.scheduler import SchedulerEvent, SyncScheduler, for_store
from simpul.synthetic import generate_cases

from .conftest import VILLAGE, DistrictServer


class Recorder:
    """Counts rounds; each round can be told to fail or to wait for cancellation."""

    def __init__(self) -> None:
        self.rounds = 0
        self.events: list[SchedulerEvent] = []
        self.fail_with: Exception | None = None
        self.block = False
        self.started = threading.Event()
        self.lock = threading.Lock()

    def run(self, cancel: threading.Event, progress: Callable[[SyncProgress], None]) -> SyncReport:
        with self.lock:
            self.rounds += 1
        self.started.set()
        progress(SyncProgress("push", 1, 2))
        if self.fail_with is not None:
            raise self.fail_with
        if self.block:
            cancelled = cancel.wait(10)
            return SyncReport(cancelled=cancelled)
        return SyncReport(pushed_changes=1)

    def on_event(self, event: SchedulerEvent) -> None:
        self.events.append(event)

    def states(self) -> list[str]:
        return [e.state for e in self.events]


def _wait(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


def _scheduler(recorder: Recorder, **kwargs: Any) -> SyncScheduler:
    options: dict[str, Any] = {"interval_s": 60.0, "debounce_s": 0.15}
    options.update(kwargs)
    return SyncScheduler(recorder.run, on_event=recorder.on_event, **options)


def test_a_burst_of_saves_makes_one_round_after_the_debounce() -> None:
    recorder = Recorder()
    scheduler = _scheduler(recorder)
    scheduler.start(sync_now=False)
    try:
        for _ in range(5):
            scheduler.notify_saved()
        time.sleep(0.05)
        assert recorder.rounds == 0  # not before the debounce delay
        _wait(lambda: recorder.rounds == 1)
        time.sleep(0.3)
        assert recorder.rounds == 1
        assert recorder.states()[-1] == "synced"
        assert any(e.progress == SyncProgress("push", 1, 2) for e in recorder.events)
    finally:
        scheduler.stop()


def test_sync_now_runs_at_once_and_the_timer_repeats_rounds() -> None:
    recorder = Recorder()
    scheduler = _scheduler(recorder, interval_s=0.2)
    scheduler.start(sync_now=False)
    try:
        scheduler.sync_now()
        _wait(lambda: recorder.rounds >= 1, timeout=0.15)
        _wait(lambda: recorder.rounds >= 3)
    finally:
        scheduler.stop()
    assert not scheduler.running


def test_offline_is_a_state_and_the_first_probe_that_answers_starts_a_round() -> None:
    recorder = Recorder()
    recorder.fail_with = OfflineError("refused")
    online = threading.Event()
    probes: list[float] = []

    def probe() -> None:
        probes.append(time.monotonic())
        if not online.is_set():
            raise OfflineError("refused")

    scheduler = _scheduler(recorder, probe=probe, offline_retry_s=(0.05, 0.2))
    scheduler.start()
    try:
        _wait(lambda: len(probes) >= 3)
        assert scheduler.state == "offline"
        assert recorder.rounds == 1  # probes, not full rounds, while offline
        gaps = [b - a for a, b in zip(probes, probes[1:], strict=False)]
        assert gaps[1] >= gaps[0] * 1.5  # the probe delay grows
        recorder.fail_with = None
        online.set()
        _wait(lambda: scheduler.state == "synced")
        assert recorder.rounds == 2
    finally:
        scheduler.stop()


def test_a_refusal_is_reported_with_its_code_and_syncing_goes_on_later() -> None:
    recorder = Recorder()
    recorder.fail_with = ServerRefusedError("device_revoked", 403)
    scheduler = _scheduler(recorder, interval_s=0.1)
    scheduler.start()
    try:
        _wait(lambda: recorder.rounds >= 2)
        errors = [e for e in recorder.events if e.state == "error"]
        assert errors and errors[0].code == "refused_device_revoked"
    finally:
        scheduler.stop()


def test_cancel_stops_a_round_between_batches_and_stop_ends_the_worker() -> None:
    recorder = Recorder()
    recorder.block = True
    scheduler = _scheduler(recorder)
    scheduler.start()
    recorder.started.wait(5)
    scheduler.cancel()
    _wait(lambda: scheduler.state == "cancelled")
    scheduler.stop(timeout=5)
    assert not any(t.name == "simpul-sync" for t in threading.enumerate())


def test_a_listener_that_fails_does_not_stop_syncing() -> None:
    recorder = Recorder()

    def bad_listener(event: SchedulerEvent) -> None:
        raise RuntimeError("a bug in a screen")

    scheduler = SyncScheduler(recorder.run, on_event=bad_listener, interval_s=0.1)
    scheduler.start()
    try:
        _wait(lambda: recorder.rounds >= 2)
    finally:
        scheduler.stop()


def test_the_scheduler_syncs_a_profile_saved_on_another_thread(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    enroll_online(store, district_server.url, district_server.enrollment_code())
    events: list[SchedulerEvent] = []
    scheduler = for_store(store, on_event=events.append, debounce_s=0.1, interval_s=60)
    scheduler.start(sync_now=False)
    try:
        for doc in generate_cases(6, seed=3, village=VILLAGE):
            store.save(doc)  # the screens save on their thread while the worker syncs
            scheduler.notify_saved()
        _wait(lambda: not pending_ids(store) and not scheduler.running, timeout=60)
    finally:
        scheduler.stop()
    assert "synced" in [e.state for e in events]
    assert len(district_server.records()) == 6
