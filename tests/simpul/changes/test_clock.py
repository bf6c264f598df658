"""Tests for the hybrid logical clock: monotonic ticks, the skew bound, the text encoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.changes import MAX_SKEW_MS, ChangeFormatError, Hlc, HybridClock
from simpul.changes.clock import MAX_LOGICAL, MAX_WALL

NOW = 1_767_225_600_000  # 2026-01-01T00:00:00Z
TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000


class FakeTime:
    """A physical clock the test moves by hand."""

    def __init__(self, now: int = NOW) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def test_first_tick_is_physical_time() -> None:
    clock = HybridClock(now_ms=FakeTime())
    assert clock.tick() == Hlc(NOW, 0)
    assert clock.last == Hlc(NOW, 0)


def test_ticks_in_one_millisecond_count_up() -> None:
    clock = HybridClock(now_ms=FakeTime())
    assert [clock.tick() for _ in range(3)] == [Hlc(NOW, 0), Hlc(NOW, 1), Hlc(NOW, 2)]


def test_tick_stays_ahead_when_the_physical_clock_steps_back() -> None:
    time = FakeTime()
    clock = HybridClock(now_ms=time)
    first = clock.tick()
    time.now -= 60_000
    assert clock.tick() == Hlc(first.wall, 1)


def test_logical_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridClock(last=Hlc(NOW, MAX_LOGICAL), now_ms=FakeTime())
    assert clock.tick() == Hlc(NOW + 1, 0)


@given(steps=st.lists(st.integers(min_value=-MAX_SKEW_MS // 4, max_value=2_000), max_size=60))
def test_ticks_strictly_increase_while_the_clock_wanders_within_the_bound(
    steps: list[int],
) -> None:
    time = FakeTime()
    clock = HybridClock(now_ms=time)
    previous = clock.tick()
    lowest = time.now
    for step in steps:
        # Keep physical time within the skew bound of the highest stamp, so no reset happens.
        time.now = max(time.now + step, lowest)
        tick = clock.tick()
        assert tick > previous
        assert tick.wall >= time.now
        previous = tick
        lowest = previous.wall - MAX_SKEW_MS


def test_tick_after_observe_sorts_after_the_remote_stamp() -> None:
    clock = HybridClock(now_ms=FakeTime())
    remote = Hlc(NOW + 1_000, 7)
    clock.observe(remote)
    assert clock.last == remote
    assert clock.tick() == Hlc(NOW + 1_000, 8)


def test_observe_of_an_older_stamp_changes_nothing() -> None:
    clock = HybridClock(now_ms=FakeTime())
    mine = clock.tick()
    clock.observe(Hlc(NOW - 5_000, 3))
    assert clock.last == mine


def test_observe_clamps_a_far_future_remote() -> None:
    time = FakeTime()
    clock = HybridClock(now_ms=time)
    clock.observe(Hlc(NOW + TEN_YEARS_MS, 3))
    assert clock.last == Hlc(NOW + MAX_SKEW_MS, 0)
    tick = clock.tick()
    assert Hlc(NOW + MAX_SKEW_MS, 0) < tick <= Hlc(NOW + MAX_SKEW_MS, 1)


def test_observe_clamp_follows_physical_time() -> None:
    time = FakeTime()
    clock = HybridClock(now_ms=time, max_skew_ms=1_000)
    clock.observe(Hlc(NOW + TEN_YEARS_MS, 0))
    time.now += 60_000
    clock.observe(Hlc(NOW + TEN_YEARS_MS, 0))
    assert clock.last == Hlc(time.now + 1_000, 0)


@given(
    remote_wall=st.integers(min_value=0, max_value=MAX_WALL),
    remote_logical=st.integers(min_value=0, max_value=MAX_LOGICAL),
    offset=st.integers(min_value=-TEN_YEARS_MS, max_value=MAX_SKEW_MS),
)
def test_observe_never_moves_the_clock_past_now_plus_skew(
    remote_wall: int, remote_logical: int, offset: int
) -> None:
    time = FakeTime()
    clock = HybridClock(now_ms=time, last=Hlc(NOW + offset, 0))
    clock.observe(Hlc(remote_wall, remote_logical))
    assert clock.last.wall <= time.now + MAX_SKEW_MS
    assert clock.last >= min(Hlc(remote_wall, remote_logical), Hlc(NOW + MAX_SKEW_MS, 0))


def test_tick_resets_when_the_stored_clock_was_far_ahead() -> None:
    clock = HybridClock(last=Hlc(NOW + TEN_YEARS_MS, 12), now_ms=FakeTime())
    assert clock.tick() == Hlc(NOW, 0)
    assert clock.tick() == Hlc(NOW, 1)


def test_observe_resets_a_stored_clock_that_was_far_ahead() -> None:
    clock = HybridClock(last=Hlc(NOW + TEN_YEARS_MS, 12), now_ms=FakeTime())
    clock.observe(Hlc(NOW - 1, 0))
    assert clock.last == Hlc(NOW, 0)


def test_tick_keeps_a_stored_clock_that_is_ahead_within_the_bound() -> None:
    last = Hlc(NOW + MAX_SKEW_MS, 4)
    clock = HybridClock(last=last, now_ms=FakeTime())
    assert clock.tick() == Hlc(NOW + MAX_SKEW_MS, 5)


def test_negative_skew_bound_is_refused() -> None:
    with pytest.raises(ValueError, match="max_skew_ms"):
        HybridClock(max_skew_ms=-1)


def test_system_clock_is_the_default() -> None:
    import time

    before = time.time_ns() // 1_000_000
    tick = HybridClock().tick()
    after = time.time_ns() // 1_000_000
    assert before <= tick.wall <= after


def test_encode_example() -> None:
    assert Hlc(0x19A2B3C4D5E, 0).encode() == "0000019a2b3c4d5e-0000"
    assert str(Hlc(1, 0xABC)) == "0000000000000001-0abc"


hlcs = st.builds(
    Hlc,
    wall=st.integers(min_value=0, max_value=MAX_WALL),
    logical=st.integers(min_value=0, max_value=MAX_LOGICAL),
)


@given(hlcs)
def test_decode_inverts_encode(hlc: Hlc) -> None:
    text = hlc.encode()
    assert len(text) == 21
    assert Hlc.decode(text) == hlc


@given(hlcs, hlcs)
def test_encoded_order_matches_hlc_order(a: Hlc, b: Hlc) -> None:
    assert (a < b) == (a.encode() < b.encode())
    assert (a == b) == (a.encode() == b.encode())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0000019a2b3c4d5e",
        "0000019a2b3c4d5e-000",
        "0000019a2b3c4d5e-00000",
        "000019a2b3c4d5e-0000",
        "0000019A2B3C4D5E-0000",
        "0000019a2b3c4d5e_0000",
        "0000019a2b3c4d5e-0000\n",
        " 0000019a2b3c4d5e-0000",
        "-000019a2b3c4d5e-0000",
        "0000019a2b3c4d5g-0000",
        None,
        1234,
        ["0000019a2b3c4d5e-0000"],
    ],
)
def test_decode_rejects_anything_but_the_canonical_form(text: object) -> None:
    with pytest.raises(ChangeFormatError, match="hlc"):
        Hlc.decode(text)


@pytest.mark.parametrize(
    ("wall", "logical"),
    [(-1, 0), (0, -1), (MAX_WALL + 1, 0), (0, MAX_LOGICAL + 1), (True, 0), (1.0, 0)],
)
def test_hlc_rejects_out_of_range_parts(wall: int, logical: int) -> None:
    with pytest.raises(ValueError, match="Hlc"):
        Hlc(wall, logical)
