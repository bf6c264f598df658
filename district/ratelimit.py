"""In-process limits on failed attempts (staff sign-in, enrollment codes) per name and address.

A sliding window per key: once ``failures`` attempts failed within ``window`` seconds, further
attempts for that key are refused — without checking the password or the code — until the
oldest of those failures is ``window`` seconds old. A refused attempt is not counted, so a
correct password works again as soon as the window has passed. Each attempt is counted as a
failure *before* it runs and withdrawn when it turns out not to be one, so attempts made in
parallel cannot slip past the limit.

The state lives in the memory of one server process (the district runs as one process; with
``serve --workers N`` every worker keeps its own counts, so a client may get up to N times the
attempts). It is bounded: past ``max_keys`` keys the least recently failed are forgotten.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from district.errors import TooManyAttemptsError

__all__ = ["DEFAULT_RATE_LIMITS", "AttemptLimiter", "Limit", "RateLimits"]

MAX_KEYS: Final = 10_000


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
    ) -> None:
        """Make a limiter.

        Args:
            code: Error code of the refusal (``too_many_logins``, ``too_many_enrollments``).
            limits: The limit of each kind of key, e.g. ``{"name": ..., "address": ...}``.
            clock: Seconds, monotonic (tests pass a fake one).
            max_keys: How many keys are remembered at most.
            on_limit: Called with the kind and its limit when a key reaches its limit.
        """
        self._code = code
        self._limits = dict(limits)
        self._clock = clock
        self._max_keys = max(1, max_keys)
        self._on_limit = on_limit
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

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

    def _withdraw(self, keys: Mapping[str, str], at: float) -> None:
        for kind, key in keys.items():
            times = self._failures.get((kind, key))
            if times is None:
                continue
            try:
                times.remove(at)
            except ValueError:
                continue
            if not times:
                del self._failures[(kind, key)]

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
        with self._lock:
            now = self._clock()
            wait = max((self._wait(kind, key, now) for kind, key in keys.items()), default=0.0)
            if wait > 0:
                raise TooManyAttemptsError(self._code, retry_after=max(1, math.ceil(wait)))
            for kind, key in keys.items():
                self._failures.setdefault((kind, key), deque()).append(now)
                self._failures.move_to_end((kind, key))
            self._forget_oldest()
        try:
            yield
        except counts:
            reached: list[str] = []
            with self._lock:
                for kind, key in keys.items():
                    times = self._failures.get((kind, key))
                    if times is not None and len(times) == self._limits[kind].failures:
                        reached.append(kind)
            if self._on_limit is not None:
                for kind in reached:
                    self._on_limit(kind, self._limits[kind])
            raise
        except BaseException:
            with self._lock:
                self._withdraw(keys, now)
            raise
        with self._lock:
            self._withdraw(keys, now)
            for kind in forget:
                self._failures.pop((kind, keys[kind]), None)
