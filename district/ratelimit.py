"""In-process limits on failed attempts (staff sign-in, enrollment codes) per name and address.

A sliding window per key: once ``failures`` attempts failed within ``window`` seconds, further
attempts for that key are refused — without checking the password or the code — until the
oldest of those failures is ``window`` seconds old. A refused attempt is not counted, so a
correct password works again as soon as the window has passed.

Attempts made in parallel cannot slip past the limit: no more attempts of a key run at once
than it has failures left. One more waits (at most ``max_wait`` seconds) for one in flight to
end — and then runs, or is refused if that one failed and used up the budget. So a training
day's laptops, all enrolling at once behind one router with correct codes, each get through,
while parallel guesses still get no more than the limit.

The state lives in the memory of one server process (the district runs as one process; with
``serve --workers N`` every worker keeps its own counts, so a client may get up to N times the
attempts). It is bounded: past ``max_keys`` keys the least recently failed are forgotten.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from district.errors import TooManyAttemptsError

__all__ = ["DEFAULT_RATE_LIMITS", "AttemptLimiter", "Limit", "RateLimits"]

MAX_KEYS: Final = 10_000
MAX_WAIT: Final = 10.0


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed attempts per key within ``window`` seconds."""

    failures: int
    window: float


@dataclass(frozen=True)
class RateLimits:
    """The limits of the HTTP API (OWASP ASVS 2.2.1: anti-automation on authentication).

    Attributes:
        login_per_name: Failed sign-ins for one account name (existing or not, so the limit
            tells nothing about which names exist).
        login_per_address: Failed sign-ins from one client address, whatever the names.
        enroll_per_address: Wrong, used or expired enrollment codes from one client address.
    """

    login_per_name: Limit = field(default_factory=lambda: Limit(5, 15 * 60))
    login_per_address: Limit = field(default_factory=lambda: Limit(20, 15 * 60))
    enroll_per_address: Limit = field(default_factory=lambda: Limit(10, 15 * 60))


DEFAULT_RATE_LIMITS: Final = RateLimits()


class AttemptLimiter:
    """Failure limits of one kind of attempt, over several kinds of key (name, address).

    Thread-safe: FastAPI runs the endpoints that use it in worker threads.
    """

    def __init__(
        self,
        code: str,
        limits: Mapping[str, Limit],
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
        on_limit: Callable[[str, Limit], None] | None = None,
        max_wait: float = MAX_WAIT,
    ) -> None:
        """Make a limiter.

        Args:
            code: Error code of the refusal (``too_many_logins``, ``too_many_enrollments``).
            limits: The limit of each kind of key, e.g. ``{"name": ..., "address": ...}``.
            clock: Seconds, monotonic (tests pass a fake one).
            max_keys: How many keys are remembered at most.
            on_limit: Called with the kind and its limit when a key reaches its limit.
            max_wait: Longest wait, in real seconds, for attempts in flight to end before
                an attempt is refused (``retry_after`` 1).
        """
        self._code = code
        self._limits = dict(limits)
        self._clock = clock
        self._max_keys = max(1, max_keys)
        self._on_limit = on_limit
        self._max_wait = max_wait
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._running: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._ended = threading.Condition(self._lock)

    def _wait(self, kind: str, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0: now); drops failures out of the window."""
        limit = self._limits[kind]
        times = self._failures.get((kind, key))
        if times is None:
            return 0.0
        while times and times[0] <= now - limit.window:
            times.popleft()
        if not times:
            del self._failures[(kind, key)]
            return 0.0
        if len(times) < limit.failures:
            return 0.0
        return times[len(times) - limit.failures] + limit.window - now

    def _forget_oldest(self) -> None:
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)

    def _full(self, keys: Mapping[str, str]) -> bool:
        """Whether a key has as many attempts in flight as failures left (call _wait first)."""
        for kind, key in keys.items():
            times = self._failures.get((kind, key))
            done = len(times) if times is not None else 0
            if done + self._running[(kind, key)] >= self._limits[kind].failures:
                return True
        return False

    @contextmanager
    def attempt(
        self,
        keys: Mapping[str, str],
        *,
        counts: tuple[type[BaseException], ...],
        forget: tuple[str, ...] = (),
    ) -> Iterator[None]:
        """Run one attempt under the limits; an exception of ``counts`` is a failure.

        Args:
            keys: The attempt's key of each kind, e.g. ``{"name": "sari", "address": ...}``.
            counts: The exceptions that make the attempt a failure (a wrong password), as
                opposed to errors that say nothing about a guess (the database is busy).
            forget: Kinds whose past failures a success clears (the account name: its owner
                just proved the password; never the address, which an attacker could clear
                by signing in to an account of their own).

        Raises:
            TooManyAttemptsError: A key is over its limit (``retry_after`` in seconds); the
                attempt did not run.
        """
        deadline = time.monotonic() + self._max_wait
        with self._lock:
            while True:
                now = self._clock()
                wait = max((self._wait(kind, key, now) for kind, key in keys.items()), default=0)
                if wait > 0:
                    raise TooManyAttemptsError(self._code, retry_after=max(1, math.ceil(wait)))
                if not self._full(keys):
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TooManyAttemptsError(self._code, retry_after=1)
                self._ended.wait(left)
            self._running.update(keys.items())
        outcome = "error"  # an error that says nothing about a guess
        try:
            yield
            outcome = "success"
        except counts:
            outcome = "failure"
            raise
        finally:
            reached: list[str] = []
            with self._lock:
                self._running.subtract(keys.items())
                for item in keys.items():
                    if self._running[item] <= 0:
                        del self._running[item]
                if outcome == "failure":
                    at = self._clock()
                    for kind, key in keys.items():
                        times = self._failures.setdefault((kind, key), deque())
                        times.append(at)
                        self._failures.move_to_end((kind, key))
                        if len(times) == self._limits[kind].failures:
                            reached.append(kind)
                    self._forget_oldest()
                elif outcome == "success":
                    for kind in forget:
                        self._failures.pop((kind, keys[kind]), None)
                self._ended.notify_all()
            if self._on_limit is not None:
                for kind in reached:
                    self._on_limit(kind, self._limits[kind])
