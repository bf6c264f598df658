"""Hybrid logical clock: timestamps that order changes across devices whose clocks disagree.

An :class:`Hlc` is ``(wall, logical)``: milliseconds since the epoch plus a counter that breaks
ties within one millisecond (Kulkarni et al., "Logical Physical Clocks", 2014).
:class:`HybridClock` hands out strictly increasing timestamps for local changes and folds in the
timestamps of changes received from other devices.

Skew bound. :meth:`HybridClock.observe` clamps a remote wall time to ``now + max_skew_ms``, so
one device whose clock is set in the future cannot drag every other clock forward with it.
:meth:`HybridClock.tick` resets to physical time when its stored ``last.wall`` is more than
``max_skew_ms`` ahead of the physical clock (a laptop whose clock was wrong and got fixed).
Neither bound can reorder history: causality never depends on the clock, it comes from the
``pred`` of each edit (see :mod:`simpul.changes.merge`). A far-future clock only decides which
value is *displayed* for a concurrent conflict that is already flagged "needs review", and any
later edit made after seeing that value overrides it whatever its timestamp.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["MAX_LOGICAL", "MAX_SKEW_MS", "MAX_WALL", "Hlc", "HybridClock"]

MAX_SKEW_MS: int = 5 * 60 * 1000
"""How far ahead of this device's physical clock any timestamp it holds may be (5 minutes)."""

MAX_WALL: int = 16**16 - 1
"""Largest wall time that fits the 16 hex digits of :meth:`Hlc.encode`."""

MAX_LOGICAL: int = 16**4 - 1
"""Largest logical counter that fits the 4 hex digits of :meth:`Hlc.encode`."""

_ENCODED = re.compile(r"[0-9a-f]{16}-[0-9a-f]{4}")


def _system_now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, order=True, slots=True)
class Hlc:
    """A hybrid logical clock timestamp; orders by ``(wall, logical)``.

    Attributes:
        wall: Milliseconds since the Unix epoch, ``0 <= wall <= MAX_WALL``.
        logical: Tie-breaking counter within one millisecond, ``0 <= logical <= MAX_LOGICAL``.
    """

    wall: int
    logical: int

    def __post_init__(self) -> None:
        if type(self.wall) is not int or not 0 <= self.wall <= MAX_WALL:
            raise ValueError(f"Hlc wall must be an int in [0, {MAX_WALL}], got {self.wall!r}")
        if type(self.logical) is not int or not 0 <= self.logical <= MAX_LOGICAL:
            raise ValueError(
                f"Hlc logical must be an int in [0, {MAX_LOGICAL}], got {self.logical!r}"
            )

    def encode(self) -> str:
        """Return fixed-width lowercase hex text whose string order equals the Hlc order.

        Returns:
            Text such as ``"0000019a2b3c4d5e-0000"`` (16 hex digits, ``-``, 4 hex digits).
        """
        return f"{self.wall:016x}-{self.logical:04x}"

    @classmethod
    def decode(cls, text: object) -> Hlc:
        """Parse the output of :meth:`encode`, strictly.

        Args:
            text: Text in exactly the form :meth:`encode` produces.

        Returns:
            The timestamp.

        Raises:
            ChangeFormatError: ``text`` is not a string in the canonical encoded form.
        """
        # Imported here: change.py imports this module for Hlc.
        from simpul.changes.change import ChangeFormatError

        if not isinstance(text, str) or _ENCODED.fullmatch(text) is None:
            raise ChangeFormatError(
                f"hlc: expected 16 lowercase hex digits, '-', 4 lowercase hex digits; "
                f"got {text!r:.60}"
            )
        return cls(int(text[:16], 16), int(text[17:], 16))

    def __str__(self) -> str:
        return self.encode()


class HybridClock:
    """The clock of one device: timestamps for its changes, never behind those it has seen.

    Not thread-safe; the one writer thread that makes changes owns the clock.
    """

    def __init__(
        self,
        *,
        last: Hlc | None = None,
        now_ms: Callable[[], int] | None = None,
        max_skew_ms: int = MAX_SKEW_MS,
    ) -> None:
        """Create a clock.

        Args:
            last: The last timestamp this device issued or observed (persisted between runs),
                or ``None`` for a new device.
            now_ms: Physical clock in milliseconds since the epoch; the system clock if omitted.
            max_skew_ms: How far ahead of physical time the clock may run (see module docs).

        Raises:
            ValueError: ``max_skew_ms`` is negative.
        """
        if max_skew_ms < 0:
            raise ValueError(f"max_skew_ms must be >= 0, got {max_skew_ms}")
        self._last = last if last is not None else Hlc(0, 0)
        self._now_ms = now_ms if now_ms is not None else _system_now_ms
        self._max_skew_ms = max_skew_ms

    @property
    def last(self) -> Hlc:
        """The latest timestamp issued by :meth:`tick` or taken in by :meth:`observe`."""
        return self._last

    def tick(self) -> Hlc:
        """Return the timestamp for a new local change.

        Strictly greater than every timestamp issued or observed before, unless the stored
        clock was more than ``max_skew_ms`` ahead of physical time, in which case the clock
        restarts from physical time.

        Returns:
            The new timestamp, also stored as :attr:`last`.
        """
        now = self._now_ms()
        last = self._last
        if now > last.wall or self._far_ahead(now):
            new = Hlc(now, 0)
        elif last.logical < MAX_LOGICAL:
            new = Hlc(last.wall, last.logical + 1)
        else:
            # 65,536 ticks within one millisecond: borrow the next millisecond, as HLC does.
            new = Hlc(last.wall + 1, 0)
        self._last = new
        return new

    def observe(self, remote: Hlc) -> None:
        """Take in the timestamp of a received change so later ticks sort after it.

        Args:
            remote: The received change's timestamp.
        """
        now = self._now_ms()
        last = Hlc(now, 0) if self._far_ahead(now) else self._last
        # Skew bound: a remote wall more than max_skew_ms ahead of our physical clock is clamped,
        # so one device with a clock in the future cannot drag every other clock forward.
        # Ordering of causally related edits comes from pred, never from this clock.
        ceiling = now + self._max_skew_ms
        if remote.wall > ceiling:
            remote = Hlc(min(ceiling, MAX_WALL), 0)
        self._last = max(last, remote)

    def _far_ahead(self, now: int) -> bool:
        # Skew bound: a stored clock more than max_skew_ms ahead of physical time means this
        # device's clock was wrong and got fixed (or a far-future stamp was taken in before
        # this bound existed); start again from physical time rather than stay in the future.
        return self._last.wall - now > self._max_skew_ms
