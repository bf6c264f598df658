"""Preparing a bundle's changes with the helper process gives what preparing them alone gives."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator, Sequence

import pytest

from district.prepare import PreparedChange, PrepareHelper, prepare_changes
from district.testing import SyntheticDevice
from simpul.bundle import BundleRejectedError, RejectionCode, encode_changes
from simpul.changes import Change, ChangeId, FieldEdit, Hlc

from .conftest import VILLAGE


@pytest.fixture(scope="module")
def helper() -> Iterator[PrepareHelper]:
    """A helper that takes lists of two changes or more (one process for the module)."""
    made = PrepareHelper(min_changes=2)
    made.start()
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def cases() -> list[Change]:
    device = SyntheticDevice(VILLAGE)
    return device.new_cases(40, seed=8) + device.new_outreach(10, seed=8)


def _facts(prepared: Sequence[PreparedChange]) -> list[tuple[object, ...]]:
    """Everything an import reads of prepared changes."""
    return [
        (p.id, p.record_id, p.kind, p.hlc, p.village, p.code, p.canonical, p.row(VILLAGE))
        for p in prepared
    ]


def _rejection(body: bytes, count: int, helper: PrepareHelper | None) -> str:
    with pytest.raises(BundleRejectedError) as refused:
        if helper is None:
            prepare_changes(body, count, None)
        else:
            helper.prepare(body, count, VILLAGE)
    assert refused.value.code == RejectionCode.MALFORMED_CONTENT
    return str(refused.value)


def test_half_of_a_list_is_prepared_by_the_helper_with_the_same_result(
    helper: PrepareHelper, cases: list[Change]
) -> None:
    body = encode_changes(cases)
    helped = helper.prepare(body, len(cases), VILLAGE)
    alone = prepare_changes(body, len(cases), None)
    assert _facts(helped) == _facts(alone)
    # the helper's half came back over the pipe, without the parsed changes
    came_back = [p for p in helped if p._change is None]
    assert 0 < len(came_back) < len(cases)
    ids = {p.id for p in came_back}
    assert [p.change() for p in came_back] == [c for c in cases if c.id in ids]


def test_a_cut_inside_an_item_changes_nothing(helper: PrepareHelper) -> None:
    # Every change holds '},{"author":' inside a value: the cut lands inside an item, the run
    # does not parse, and the list is prepared whole.
    tricky = [
        Change(
            ChangeId("dev-x", counter),
            str(uuid.UUID(int=counter)),
            "case",
            Hlc(1_700_000_000_000, counter),
            "kader",
            (
                FieldEdit("notes", [{"author": "a"}, {"author": "b"}], frozenset()),
                FieldEdit("village", VILLAGE, frozenset()),
            ),
        )
        for counter in range(1, 9)
    ]
    body = encode_changes(tricky)
    assert body.count(b'},{"author":') > len(tricky) - 1
    helped = helper.prepare(body, len(tricky), VILLAGE)
    assert [p.change() for p in helped] == tricky
    assert _facts(helped) == _facts(prepare_changes(body, len(tricky), None))


def test_a_fault_in_the_helpers_half_is_named_as_the_reader_names_it(
    helper: PrepareHelper, cases: list[Change]
) -> None:
    body = encode_changes(cases)
    # the last change's clock is broken: it lies in the half the helper parses
    last = body.rindex(b'"hlc":"') + len(b'"hlc":"')
    broken = body[:last] + b"X" + body[last + 1 :]
    assert _rejection(broken, len(cases), helper) == _rejection(broken, len(cases), None)
    assert "changes[49]" in _rejection(broken, len(cases), helper)


def test_a_change_in_both_halves_is_refused_as_twice(
    helper: PrepareHelper, cases: list[Change]
) -> None:
    twice = [*cases[:25], cases[0], *cases[26:]]
    body = encode_changes(twice)
    assert _rejection(body, len(twice), helper) == _rejection(body, len(twice), None)
    assert "appears twice" in _rejection(body, len(twice), helper)


def test_a_count_other_than_the_headers_is_refused(
    helper: PrepareHelper, cases: list[Change]
) -> None:
    body = encode_changes(cases)
    said = _rejection(body, len(cases) + 1, helper)
    assert said == _rejection(body, len(cases) + 1, None)
    assert "the header says 51" in said


def test_a_helper_that_dies_loses_nothing_and_is_replaced(cases: list[Change]) -> None:
    others = set(multiprocessing.active_children())
    helper = PrepareHelper(min_changes=2)
    helper.start()
    try:
        body = encode_changes(cases)
        alone = _facts(prepare_changes(body, len(cases), None))
        assert _facts(helper.prepare(body, len(cases), VILLAGE)) == alone
        [own] = set(multiprocessing.active_children()) - others
        own.kill()
        own.join(10)
        assert _facts(helper.prepare(body, len(cases), VILLAGE)) == alone
        # a new helper took its place and prepares half again
        replaced = helper.prepare(body, len(cases), VILLAGE)
        assert _facts(replaced) == alone
        assert any(p._change is None for p in replaced)
    finally:
        helper.close()
