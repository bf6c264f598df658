"""One online sync round: push the outbox in small bundles, pull return bundles.

Safe to interrupt anywhere. A push is idempotent (the bundle id is the ``Idempotency-Key``) and
retried with the *same* bytes, so a connection cut after the server committed costs nothing but
the retry; acknowledgement moves only with a verified receipt; the pull cursor is stored only
after the return bundle's changes are committed. Each batch is acknowledged on its own, so a
dropped link costs at most one batch. Cancellation is honoured between batches and during the
waits between retries.
"""

from __future__ import annotations

import functools
import gc
import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from desktop.storage.store import Store
from desktop.sync.client import SyncClient
from desktop.sync.errors import (
    FileRejectedError,
    NotEnrolledError,
    OfflineError,
    ServerError,
    ServerKeysChangedError,
    ServerRefusedError,
    SyncError,
)
from desktop.sync.outbox import (
    OutgoingBundle,
    apply_receipt,
    apply_return,
    make_bundles,
    pending_ids,
)
from desktop.sync.state import Enrollment, SyncState, now_iso
from simpul.bundle import SUITE_V1

__all__ = ["Backoff", "SyncEngine", "SyncProgress", "SyncReport"]

BATCH_CHANGES = 500
"""Changes per pushed bundle: ~0.4 MB of cases, a few seconds on a slow link."""

BATCH_BYTES = 1024 * 1024
MAX_PULLS = 10_000
T = TypeVar("T")
_KEY_ERRORS = frozenset({"bad_signature", "unknown_sender", "not_for_us"})


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a round is: ``phase`` is ``push`` or ``pull``; ``done``/``total`` in changes
    (``total`` is 0 for a pull, whose size is not known in advance)."""

    phase: str
    done: int
    total: int


@dataclass(slots=True)
class SyncReport:
    """What one round did."""

    pushed_changes: int = 0
    pushed_bundles: int = 0
    received_changes: int = 0
    new_changes: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    retries: int = 0
    cancelled: bool = False
    finished_at: str = ""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter: attempt ``n`` waits up to
    ``min(cap, base * 2**n)`` seconds, chosen at random so many laptops do not retry in step."""

    base: float = 0.5
    cap: float = 30.0
    attempts: int = 6

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0, min(self.cap, self.base * (2**attempt)))


class SyncEngine:
    """Runs sync rounds for one unlocked profile.

    Args:
        store: The profile.
        client_factory: Makes the HTTP client from ``(url, token)`` (tests pass the URL of
            a fault proxy in front of the real server).
        backoff: Retry policy for network failures and server errors.
        batch_changes: Changes per pushed bundle.
    """

    def __init__(
        self,
        store: Store,
        *,
        client_factory: Callable[..., SyncClient] = SyncClient,
        backoff: Backoff | None = None,
        batch_changes: int = BATCH_CHANGES,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.state = SyncState(store)
        self._client_factory = client_factory
        self.backoff = backoff or Backoff()
        self.batch_changes = batch_changes
        self._rng = rng or random.Random()

    def run_once(
        self,
        *,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncReport:
        """One round: push everything pending, then pull until nothing is new.

        Returns:
            The report (``cancelled`` when stopped between batches; what was done is kept).

        Raises:
            NotEnrolledError: ``not_enrolled`` or ``not_enrolled_online`` (enrolled by file,
                no server URL or token).
            OfflineError: The server stayed unreachable through every retry.
            ServerRefusedError: The server refused (revoked device, …).
            ServerKeysChangedError: The server signs with other keys than the pinned ones.
        """
        enrollment = self.state.require_enrollment()
        if not enrollment.server_url or not enrollment.token:
            raise NotEnrolledError("not_enrolled_online")
        cancel = cancel or threading.Event()
        report = SyncReport()
        self._note({"last_attempt": now_iso()})
        try:
            with self._client_factory(enrollment.server_url, token=enrollment.token) as client:
                try:
                    self._push_in_a_suite_it_reads(client, report, progress, cancel)
                    if not report.cancelled:
                        own = enrollment.sender(self.store)
                        self._pull(client, own, report, progress, cancel)
                except ServerRefusedError:
                    # A server that does not know this laptop may simply be another district
                    # (a changed address): say so rather than "unknown device".
                    self._check_keys(client, enrollment)
                    raise
                finally:
                    if client.district_suite is not None:  # the server said what it reads
                        self.state.set_district_suite(client.district_suite)
        except SyncError as exc:
            self._note({"last_error": exc.code})
            raise
        report.finished_at = now_iso()
        if not report.cancelled:
            self._note({"last_sync": report.finished_at, "last_error": None})
        return report

    # ------------------------------------------------------------------ phases

    def _push_in_a_suite_it_reads(
        self,
        client: SyncClient,
        report: SyncReport,
        progress: Callable[[SyncProgress], None] | None,
        cancel: threading.Event,
    ) -> None:
        """:meth:`_push`; a server older than this laptop refuses a newer bundle suite as
        ``unsupported_suite``: then push again in suite 1, and remember it until the server
        says (``X-Simpul-Bundle-Suite``) that it reads a newer one."""
        try:
            self._push(client, report, progress, cancel)
        except ServerRefusedError as exc:
            if exc.reason != "unsupported_suite" or self.state.district_suite() == SUITE_V1:
                raise
            self.state.set_district_suite(SUITE_V1)
            self._push(client, report, progress, cancel)

    def _push(
        self,
        client: SyncClient,
        report: SyncReport,
        progress: Callable[[SyncProgress], None] | None,
        cancel: threading.Event,
    ) -> None:
        """Push the pending changes batch by batch.

        The next batch is sealed while the previous one is on the wire and being imported
        (one upload at a time, on a helper thread), so the laptop's work and the server's
        overlap; each receipt is applied before the next upload starts.

        Only one batch is decrypted at a time, and its parsed changes are dropped once sealed:
        each is ~85 objects the cyclic collector tracks, and a full collection walks them all
        while holding the interpreter lock (measured: 25 ms with 1,000 changes held, 7 ms with
        500), which the screen waits out.
        """
        todo = pending_ids(self.store)
        total = len(todo)
        done = 0
        inflight: tuple[Future[Any], OutgoingBundle] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="simpul-push") as uploader:
            try:
                for start in range(0, total, self.batch_changes):
                    if cancel.is_set():
                        report.cancelled = True
                        break
                    with _parsed_changes_held():
                        bundles = make_bundles(
                            self.store,
                            changes=self.store.read_changes(
                                todo[start : start + self.batch_changes]
                            ),
                            max_bundle_bytes=BATCH_BYTES,
                        )
                    for bundle in bundles:
                        if inflight is not None:
                            done += self._settle(*inflight, report)
                            inflight = None
                            if progress is not None:
                                progress(SyncProgress("push", done, total))
                            if report.cancelled:
                                return
                        upload = functools.partial(
                            client.push, bundle.data, bundle_id=bundle.bundle_id
                        )
                        inflight = (
                            uploader.submit(self._retrying, upload, report, cancel),
                            bundle,
                        )
                if inflight is not None:
                    done += self._settle(*inflight, report)
                    inflight = None
                    if progress is not None:
                        progress(SyncProgress("push", done, total))
            finally:
                if inflight is not None:
                    # An error while sealing, or an upload refused: stop the upload's retries
                    # and let it finish (or fail) before leaving; then the event is the
                    # caller's again (a push in another suite may follow).
                    stopped_here = not cancel.is_set()
                    cancel.set()
                    inflight[0].exception()
                    if stopped_here:
                        cancel.clear()

    def _settle(self, future: Future[Any], bundle: OutgoingBundle, report: SyncReport) -> int:
        """Wait for an upload and apply its receipt; return the changes it carried (0 if
        cancelled)."""
        receipt = future.result()
        if receipt is None:
            return 0
        outcome = _from_the_server(apply_receipt, self.store, receipt)
        report.pushed_bundles += 1
        report.pushed_changes += bundle.changes
        report.rejected.extend(outcome.rejected)
        return bundle.changes

    def _pull(
        self,
        client: SyncClient,
        own: str,
        report: SyncReport,
        progress: Callable[[SyncProgress], None] | None,
        cancel: threading.Event,
    ) -> None:
        for _ in range(MAX_PULLS):
            if cancel.is_set():
                report.cancelled = True
                return
            cursor = self.state.cursor()
            # what this laptop holds of the enrolled device's own changes: less than the
            # district holds when the database was put back from an older copy
            holds = self.store.held_through(own)
            answer = self._retrying(functools.partial(client.pull, cursor, holds), report, cancel)
            if answer is None:
                return
            data, next_cursor = answer
            if data is not None:
                with _parsed_changes_held():
                    outcome = _from_the_server(apply_return, self.store, data)
                report.received_changes += outcome.changes
                report.new_changes += outcome.new_changes
            # Stored only now: the bundle's changes are committed.
            if next_cursor != cursor:
                self._note({"cursor": next_cursor})
            if progress is not None:
                progress(SyncProgress("pull", report.received_changes, 0))
            if data is None or next_cursor <= cursor:
                return

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _check_keys(client: SyncClient, enrollment: Enrollment) -> None:
        """Raise ServerKeysChangedError when the server names other keys than the pinned."""
        try:
            health = client.health()
        except SyncError:
            return
        if health.sign_key_id is not None and (
            health.sign_key_id != enrollment.district_signing.key_id
            or health.enc_key_id != enrollment.district_encryption.key_id
        ):
            raise ServerKeysChangedError()

    def _retrying(
        self, call: Callable[[], Any], report: SyncReport, cancel: threading.Event
    ) -> Any:
        """``call()`` retried on network failures and server errors; ``None`` if cancelled."""
        attempt = 0
        while True:
            try:
                return call()
            except (OfflineError, ServerError):
                attempt += 1
                if attempt >= self.backoff.attempts:
                    raise
            report.retries += 1
            if cancel.wait(self.backoff.delay(attempt, self._rng)):
                report.cancelled = True
                return None

    def _note(self, values: dict[str, Any]) -> None:
        def put(raw: dict[str, Any]) -> None:
            raw.update(values)

        self.state.update(put)


@contextmanager
def _parsed_changes_held() -> Iterator[None]:
    """No cyclic garbage collection while a batch of changes is parsed and sealed (or applied).

    The parsed changes (~85 tracked objects each, no reference cycles: refcounting frees them
    when the batch is done) are what a full collection would walk in that time, finding
    nothing, with the interpreter lock held: with 500 changes held, 7 ms of frozen screen on an
    idle two-core machine, up to 50 ms on a busy one (bench/bench_ui.py figure 5). Collection
    resumes once they are gone; a cycle made meanwhile anywhere is collected then.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _from_the_server(apply: Callable[[Store, bytes], T], store: Store, data: bytes) -> T:
    """Apply a receipt or return bundle the server sent; one that does not verify with the
    pinned district keys means the server is another district's (or an impostor)."""
    try:
        return apply(store, data)
    except FileRejectedError as exc:
        if exc.reason in _KEY_ERRORS:
            raise ServerKeysChangedError() from None
        raise
