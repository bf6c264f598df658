"""Return bundles: a device receives its village's changes made elsewhere, sealed to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from district.errors import DeviceRevokedError, UnknownDeviceError
from district.service import District
from district.testing import SyntheticDevice
from simpul.bundle import SUITES, BundleRejectedError, peek_suite

from .conftest import OTHER_VILLAGE


def test_return_bundle_reaches_only_the_devices_village(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    first, second, elsewhere = enrolled(), enrolled(), enrolled(OTHER_VILLAGE)
    ours = first.new_cases(4)
    district.import_bundle(first.seal(ours), via="usb")
    district.import_bundle(elsewhere.seal(elsewhere.new_cases(3)), via="usb")
    bundle, cursor = district.return_bundle(second.device_id)
    assert bundle is not None
    opened = second.open_return(bundle)
    assert opened.kind == "return" and opened.sender == "district"
    assert [c.id for c in opened.changes] == [c.id for c in ours]
    assert second.receive(opened.changes) == 4
    # nothing new after the cursor; the author gets nothing of its own
    assert district.return_bundle(second.device_id, since=cursor) == (None, cursor)
    assert district.return_bundle(first.device_id) == (None, 0)
    other, _ = district.return_bundle(elsewhere.device_id)
    assert other is None
    # only the device's key opens it
    with pytest.raises(BundleRejectedError) as info:
        first.open_return(bundle)
    assert info.value.code == "not_for_us"


def test_the_cursor_brings_later_changes_only(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    author, reader = enrolled(), enrolled()
    district.import_bundle(author.seal(author.new_cases(2, seed=1)), via="usb")
    first, cursor = district.return_bundle(reader.device_id)
    district.import_bundle(author.seal(author.new_cases(3, seed=2)), via="usb")
    second, later = district.return_bundle(reader.device_id, since=cursor)
    assert first is not None and second is not None and later > cursor
    opened = reader.open_return(second)
    assert [c.id.counter for c in opened.changes] == [3, 4, 5]
    assert opened.sequence > reader.open_return(first).sequence


def test_a_large_backlog_is_split_over_pulls(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    author, reader = enrolled(), enrolled()
    district.import_bundle(author.seal(author.new_cases(30)), via="usb")
    seen: list[int] = []
    cursor = 0
    for _ in range(30):
        bundle, cursor = district.return_bundle(reader.device_id, since=cursor, max_bytes=40_000)
        if bundle is None:
            break
        assert len(bundle) <= 40_000
        seen.extend(c.id.counter for c in reader.open_return(bundle).changes)
    assert seen == list(range(1, 31))


def test_unknown_and_revoked_devices_get_nothing(
    district: District, device: SyntheticDevice
) -> None:
    with pytest.raises(UnknownDeviceError):
        district.return_bundle("nobody-at-all")
    district.revoke_device(device.device_id)
    with pytest.raises(DeviceRevokedError):
        district.return_bundle(device.device_id)


@pytest.mark.parametrize("suite", SUITES)
def test_a_bundle_brought_by_hand_gets_its_return_in_the_suite_it_came_in(
    district: District, enrolled: Callable[..., SyntheticDevice], suite: int
) -> None:
    # A laptop not updated yet seals with suite 1 and reads only suite 1: what goes back to
    # it on the same flash drive must open there.
    author, reader = enrolled(), enrolled()
    district.import_bundle(author.seal(author.new_cases(2, seed=1)), via="usb")
    data = reader.seal(reader.new_cases(1, seed=2), suite=suite)
    for status in ("imported", "already_imported"):
        outcome = district.import_with_return(data, via="cli")
        assert outcome.result.status == status
        assert outcome.return_bundle is not None
        assert peek_suite(outcome.return_bundle) == suite
        opened = reader.open_return(outcome.return_bundle)
        assert opened.suite == suite
        assert {c.id.device for c in opened.changes} == {author.device_id}
