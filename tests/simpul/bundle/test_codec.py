"""The body codecs' size bound holds, so the splitter never seals a part over its cap."""

from __future__ import annotations

import random

import pytest

from simpul.bundle import SUITES
from simpul.bundle.format import body_codec


@pytest.mark.parametrize("suite", SUITES)
def test_what_a_flush_adds_never_exceeds_the_bound(suite: int) -> None:
    # Incompressible input is the worst case: the codec falls back to stored/raw blocks.
    codec = body_codec(suite)
    rng = random.Random(suite)
    stream = codec.stream()
    stream.feed(b"[")
    stream.flush()
    assert stream.emitted <= codec.bound(1) + codec.framing
    for size in (1, 1_000, 16_383, 16_384, 40_000, 131_072, 1 << 20, 4 << 20):
        before = stream.emitted
        stream.feed(rng.randbytes(size))
        stream.flush()
        assert stream.emitted - before <= codec.bound(size), (size, stream.emitted - before)
    flushed = stream.emitted
    whole = stream.finish()
    assert len(whole) - flushed <= codec.framing
    assert len(codec.inflate(whole, 16 << 20)) == 1 + sum(
        (1, 1_000, 16_383, 16_384, 40_000, 131_072, 1 << 20, 4 << 20)
    )


@pytest.mark.parametrize("suite", SUITES)
def test_the_bound_holds_for_one_unflushed_run_of_any_size(suite: int) -> None:
    codec = body_codec(suite)
    rng = random.Random(7 + suite)
    for size in (0, 5, 70_000, 300_000):
        stream = codec.stream()
        stream.feed(rng.randbytes(size))
        stream.flush()
        assert stream.emitted <= codec.bound(size) + codec.framing
