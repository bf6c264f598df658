"""Splitting a backlog: every part seals under the cap, in order, nothing lost or repeated."""

from __future__ import annotations

import random
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.bundle import (
    SUITES,
    WRITE_SUITE,
    BundlePayload,
    BundleTooLargeError,
    Limits,
    encode_changes,
    open_bundle,
    seal_bundle,
    split_changes,
    split_compressed,
)
from simpul.bundle.format import encode_change
from simpul.changes import Change, ChangeId, FieldEdit, Hlc

if TYPE_CHECKING:  # fixtures' types only: conftest is not imported at run time
    from .conftest import Keys

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


MakeChanges = Callable[..., list[Change]]


@pytest.fixture(scope="module")
def backlog(make_changes: MakeChanges) -> list[Change]:
    return make_changes(80, saves=4, seed=9)


def seal_parts(
    parts: list[list[Change]],
    keys: Keys,
    *,
    recipients: int = 1,
    holds: dict[str, int] | None = None,
    chunk_size: int = 64 * 1024,
    suite: int = WRITE_SUITE,
) -> list[bytes]:
    keyring = [keys.district_enc, keys.other_enc, keys.device_enc][:recipients]
    return [
        seal_bundle(
            BundlePayload(
                kind="changes",
                sender="d" * 128,
                sequence=2**63 - 1,
                changes=tuple(part),
                holds=holds or {},
                bundle_id="b" * 64,
                created_at=T0,
            ),
            recipients=[key.public_key for key in keyring],
            signer=keys.device_sig,
            chunk_size=chunk_size,
            limits=Limits(max_bundle_bytes=2**40),
            suite=suite,
        )
        for part in parts
    ]


@pytest.mark.parametrize("cap", [12 * 1024, 40 * 1024, 200 * 1024])
@pytest.mark.parametrize("recipients", [1, 3])
@pytest.mark.parametrize("suite", SUITES)
def test_each_part_seals_under_the_cap(
    backlog: list[Change], keys: Keys, cap: int, recipients: int, suite: int
) -> None:
    holds = {f"device-{n:03d}": n + 1 for n in range(40)}
    parts = split_changes(
        backlog, max_bundle_bytes=cap, recipients=recipients, holds=holds, suite=suite
    )
    assert [c for part in parts for c in part] == backlog
    assert all(parts)
    sealed = seal_parts(parts, keys, recipients=recipients, holds=holds, suite=suite)
    sizes = [len(b) for b in sealed]
    assert max(sizes) <= cap
    # Greedy: a part closes only when the next change, at the most it could compress to (its
    # JSON length), did not fit: with it, every part but the last would be nearly full (the
    # overhead estimate assumes the longest possible inner header, heavier under a small cap).
    fullness = 0.75 if cap < 20 * 1024 else 0.9
    next_items = [len(encode_change(part[0])) for part in parts[1:]]
    assert all(
        size + item > fullness * cap for size, item in zip(sizes, next_items, strict=False)
    ), (sizes, next_items)
    if cap < 100 * 1024:
        assert len(parts) > 1


def test_parts_open_and_give_back_the_backlog(backlog: list[Change], keys: Keys) -> None:
    parts = split_changes(backlog, max_bundle_bytes=30 * 1024)
    received: list[Change] = []
    for data in seal_parts(parts, keys):
        opened = open_bundle(
            data,
            recipient=keys.district_enc,
            trusted_signers=keys.trusted,
            limits=Limits(max_bundle_bytes=30 * 1024),
        )
        received.extend(opened.changes)
    assert received == backlog


@pytest.mark.parametrize("cap", [12 * 1024, 40 * 1024])
@pytest.mark.parametrize("suite", SUITES)
def test_parts_sealed_with_the_splitters_own_compression_open_and_stay_under_the_cap(
    backlog: list[Change], keys: Keys, cap: int, suite: int
) -> None:
    parts = split_compressed(backlog, max_bundle_bytes=cap, suite=suite)
    assert [list(part.changes) for part in parts] == split_changes(
        backlog, max_bundle_bytes=cap, suite=suite
    )
    received: list[Change] = []
    for index, part in enumerate(parts):
        payload = BundlePayload(
            kind="changes", sender="dev-a", sequence=index + 1, changes=part.changes
        )
        data = seal_bundle(
            payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, body=part
        )
        assert len(data) <= cap
        assert struct.unpack_from(">H", data, 10) == (suite,)
        opened = open_bundle(
            data,
            recipient=keys.district_enc,
            trusted_signers=keys.trusted,
            limits=Limits(max_bundle_bytes=cap),
        )
        assert part.size == len(encode_changes(part.changes))
        assert opened.suite == suite
        received.extend(opened.changes)
    assert received == backlog


def test_a_compressed_body_of_other_changes_is_refused(backlog: list[Change], keys: Keys) -> None:
    first, second = split_compressed(backlog, max_bundle_bytes=12 * 1024)[:2]
    payload = BundlePayload(kind="changes", sender="dev-a", sequence=1, changes=first.changes)
    with pytest.raises(ValueError, match="other changes"):
        seal_bundle(
            payload, recipients=[keys.district_enc.public_key], signer=keys.device_sig, body=second
        )


def test_backlog_that_fits_is_one_part(backlog: list[Change]) -> None:
    assert split_changes(backlog, max_bundle_bytes=16 * 1024 * 1024) == [backlog]
    assert split_changes([], max_bundle_bytes=16 * 1024 * 1024) == []


def test_uncompressed_size_stays_within_the_receivers_limit(backlog: list[Change]) -> None:
    limit = 20_000
    parts = split_changes(backlog, max_bundle_bytes=16 * 1024 * 1024, max_payload_bytes=limit)
    assert len(parts) > 1
    assert all(len(encode_changes(part)) <= limit for part in parts)
    assert [c for part in parts for c in part] == backlog


def _big_change(size: int) -> Change:
    # Random-looking text does not compress: a long free-text field of a synthetic record.
    rng = random.Random(size)
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(size))
    return Change(
        id=ChangeId("dev-a", 1),
        record_id="0b5e6f1c-6a0e-4b8c-9d7e-2f1a3c4b5d6e",
        kind="case",
        hlc=Hlc(T0, 0),
        author="kader-01",
        edits=(FieldEdit("narrative", text, frozenset()),),
    )


def test_a_change_too_large_for_any_bundle(backlog: list[Change]) -> None:
    with pytest.raises(BundleTooLargeError):
        split_changes([_big_change(50_000)], max_bundle_bytes=20_000)
    with pytest.raises(BundleTooLargeError):
        split_changes(backlog[:3], max_bundle_bytes=1 << 20, max_payload_bytes=100)


def test_a_cap_below_the_overhead(backlog: list[Change]) -> None:
    with pytest.raises(ValueError):
        split_changes(backlog, max_bundle_bytes=2_000)


@settings(max_examples=25, deadline=None)
@given(
    cap=st.integers(8 * 1024, 80 * 1024),
    start=st.integers(0, 200),
    count=st.integers(0, 120),
    chunk_size=st.sampled_from([64, 1000, 64 * 1024]),
    suite=st.sampled_from(SUITES),
)
def test_random_caps(
    backlog: list[Change],
    keys: Keys,
    cap: int,
    start: int,
    count: int,
    chunk_size: int,
    suite: int,
) -> None:
    changes = backlog[start : start + count]
    parts = split_changes(changes, max_bundle_bytes=cap, chunk_size=chunk_size, suite=suite)
    assert [c for part in parts for c in part] == changes
    sealed = seal_parts(parts, keys, chunk_size=chunk_size, suite=suite)
    assert all(len(b) <= cap for b in sealed)
