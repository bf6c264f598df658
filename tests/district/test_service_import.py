"""Importing village bundles: idempotent, verified, village-scoped, concurrency-safe, receipts."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import cast

import pytest
import sqlalchemy as sa

from district import prepare
from district.config import DistrictConfig
from district.materialize import ROW_COLUMNS, materialize_flat
from district.models import (
    BundleSeen,
    ChangeRow,
    RecordRow,
    RecordVictims,
    RecordViolenceType,
)
from district.service import District
from district.testing import SyntheticDevice
from simpul.bundle import DeviceAck, EncryptionKeyPair, verify_receipt
from simpul.changes import Change, ChangeId, FieldEdit
from simpul.records import unflatten

from .conftest import OTHER_VILLAGE, PASSPHRASE, FakeClock


@pytest.fixture(params=["alone", "helped"])
def district(
    district_config: DistrictConfig,
    clock: FakeClock,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[District]:
    """A district that prepares every bundle itself, and one whose helper process prepares
    half of every bundle of two changes or more: each import test holds for both."""
    helped = request.param == "helped"
    if helped:
        monkeypatch.setattr(prepare, "MIN_HELPED_CHANGES", 2)
    d = District.open(district_config, PASSPHRASE, now=clock, helper=helped)
    try:
        yield d
    finally:
        d.close()


def _new_status(device: SyntheticDevice, record_id: str) -> str:
    state = device.replica.record(record_id)
    assert state is not None
    return "selesai" if state.value("status") != "selesai" else "dirujuk"


def _count(
    district: District,
    model: type[ChangeRow | RecordRow | RecordVictims | RecordViolenceType | BundleSeen],
) -> int:
    with district._read() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_a_synthetic_device_bundle_imports(district: District, device: SyntheticDevice) -> None:
    changes = device.new_cases(20, seed=3) + device.new_outreach(4, seed=3)
    result = district.import_bundle(device.seal(changes), via="test")
    assert result.status == "imported" and result.reason is None
    assert result.device_id == device.device_id
    assert (result.counts.cases, result.counts.outreach, result.counts.changes) == (20, 4, 24)
    assert result.receipt is not None
    receipt = verify_receipt(result.receipt, district_key=device.district_signing)
    assert receipt.device == device.device_id
    assert receipt.acks[device.device_id] == DeviceAck(high=24, top=24)
    assert receipt.rejected == () and result.bundle_id in receipt.bundles
    assert _count(district, ChangeRow) == 24 and _count(district, RecordRow) == 24
    [view] = district.devices()
    assert view.highest_sequence == 1 and view.last_bundle_at is not None


def test_the_same_bundle_again_changes_nothing(district: District, device: SyntheticDevice) -> None:
    bundle = device.seal(device.new_cases(5))
    first = district.import_bundle(bundle, via="http")
    second = district.import_bundle(bundle, via="usb")
    assert second.status == "already_imported"
    assert second.receipt == first.receipt  # byte for byte
    assert second.counts == first.counts
    assert _count(district, ChangeRow) == 5


def test_overlapping_bundles_store_each_change_once(
    district: District, device: SyntheticDevice
) -> None:
    changes = device.new_cases(10)
    district.import_bundle(device.seal(changes[:6]), via="http")
    result = district.import_bundle(device.seal(changes[3:]), via="usb")
    assert result.status == "imported" and result.counts.changes == 4
    assert _count(district, ChangeRow) == 10


def test_a_tampered_copy_is_rejected(district: District, device: SyntheticDevice) -> None:
    bundle = bytearray(device.seal(device.new_cases(3)))
    bundle[len(bundle) // 2] ^= 0x01
    result = district.import_bundle(bytes(bundle), via="usb")
    assert (result.status, result.reason, result.receipt) == ("rejected", "tampered", None)
    assert district.import_bundle(bytes(bundle[:-10]), via="usb").reason == "truncated"
    assert district.import_bundle(b"hello", via="usb").status == "rejected"
    assert _count(district, ChangeRow) == 0


def test_revoked_and_unknown_senders_are_rejected(
    district: District, device: SyntheticDevice
) -> None:
    bundle = device.seal(device.new_cases(2))
    district.revoke_device(device.device_id)
    result = district.import_bundle(bundle, via="http")
    assert (result.status, result.reason) == ("rejected", "device_revoked")
    stranger = SyntheticDevice(device.village)
    stranger.enroll_with(device.credentials)  # knows the district keys, never enrolled
    assert district.import_bundle(stranger.seal(stranger.new_cases(1)), via="usb").reason == (
        "unknown_sender"
    )
    assert _count(district, ChangeRow) == 0


def test_a_bundle_for_another_key_or_another_sender_name(
    district: District, device: SyntheticDevice
) -> None:
    other = EncryptionKeyPair.generate().public_key
    bundle = device.seal(device.new_cases(1), recipient=other)
    assert district.import_bundle(bundle, via="usb").reason == "not_for_us"
    lying = device.seal(device.new_cases(1), sender="someone-else-01")
    assert district.import_bundle(lying, via="usb").reason == "sender_mismatch"


def test_another_villages_record_is_rejected(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    ours, theirs = enrolled(), enrolled(OTHER_VILLAGE)
    foreign = theirs.new_cases(1)
    assert district.import_bundle(theirs.seal(foreign), via="http").status == "imported"
    # ours relays the other village's change, then edits that record itself
    ours.receive(foreign)
    edit = ours.edit(foreign[0].record_id, status=_new_status(ours, foreign[0].record_id))
    for carried in (foreign, [edit], ours.new_cases(1) + foreign):
        result = district.import_bundle(ours.seal(carried), via="usb")
        assert (result.status, result.reason) == ("rejected", "foreign_village")
    # a new record claiming another village is refused too
    fake = SyntheticDevice(OTHER_VILLAGE, device_id=ours.device_id)
    fake.signing, fake.credentials = ours.signing, ours.credentials
    fake.counter = 100
    result = district.import_bundle(fake.seal(fake.new_cases(1)), via="usb")
    assert result.reason == "foreign_village"
    assert _count(district, ChangeRow) == 1


def test_receipt_reports_gaps_and_rejected_changes(
    district: District, device: SyntheticDevice
) -> None:
    changes = device.new_cases(9)
    # counters 1-3 and 6-9 arrive; 4-5 are still on a lost flash drive
    result = district.import_bundle(device.seal(changes[:3] + changes[5:]), via="usb")
    assert result.receipt is not None
    ack = verify_receipt(result.receipt, district_key=device.district_signing).acks
    assert ack[device.device_id] == DeviceAck(high=3, top=9, missing=((4, 5),))
    # an equivocating copy of change 2 (same id, other content) is refused with its reason
    original = changes[1]
    forged = Change(
        original.id, original.record_id, original.kind, original.hlc, "someone", original.edits
    )
    result = district.import_bundle(device.seal([forged, *changes[3:5]]), via="usb")
    assert result.status == "imported" and result.receipt is not None
    receipt = verify_receipt(result.receipt, district_key=device.district_signing)
    assert receipt.acks[device.device_id] == DeviceAck(high=9, top=9)
    assert [(str(r.change_id), r.reason) for r in receipt.rejected] == [
        (str(original.id), "equivocation")
    ]


def test_changes_relayed_from_another_device_of_the_village(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    first, second = enrolled(), enrolled()
    made = first.new_cases(2)
    second.receive(made)
    edit = second.edit(made[0].record_id, status=_new_status(second, made[0].record_id))
    result = district.import_bundle(second.seal([*made, edit]), via="usb")
    assert result.status == "imported" and result.counts.changes == 3
    assert result.receipt is not None
    receipt = verify_receipt(result.receipt, district_key=second.district_signing)
    assert set(receipt.acks) == {first.device_id, second.device_id}


def test_concurrent_imports_of_overlapping_bundles(
    district: District, device: SyntheticDevice
) -> None:
    changes = device.new_cases(60, seed=7)
    bundles = [device.seal(changes[:40]), device.seal(changes[20:]), device.seal(changes)]
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(bundles) * 2)

    def run(bundle: bytes) -> None:
        try:
            start.wait()
            results.append(district.import_bundle(bundle, via="thread").status)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in bundles for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results).count("already_imported") == 3
    assert _count(district, ChangeRow) == 60 and _count(district, RecordRow) == 60
    with district._read() as session:
        dupes = session.execute(
            sa.select(ChangeRow.device_id, ChangeRow.counter)
            .group_by(ChangeRow.device_id, ChangeRow.counter)
            .having(sa.func.count() > 1)
        ).all()
    assert dupes == []


def test_plain_columns_hold_categories_only(district: District, device: SyntheticDevice) -> None:
    changes = device.new_cases(15, seed=11)
    district.import_bundle(device.seal(changes), via="usb")
    with district._read() as session:
        rows = session.execute(sa.select(RecordRow)).scalars().all()
        texts = " ".join(
            str(value)
            for row in rows
            for value in (row.code, row.status, row.period, row.village, row.kecamatan)
        )
    for change in changes:
        for edit in change.edits:
            if edit.path.endswith("/name") and isinstance(edit.value, str):
                assert edit.value not in texts
    assert {row.village for row in rows} == {device.village}


def test_records_read_back_as_the_device_holds_them(
    district: District, device: SyntheticDevice
) -> None:
    changes = device.new_cases(3, seed=21) + device.new_outreach(2, seed=21)
    edit = device.edit(changes[0].record_id, status=_new_status(device, changes[0].record_id))
    district.import_bundle(device.seal([*changes, edit]), via="usb")
    district.add_user("adi", "admin", "sandi admin yang panjang")
    admin = district.staff(district.login("adi", "sandi admin yang panjang"))
    for change in changes:
        state = device.replica.record(change.record_id)
        assert state is not None
        detail = district.read_record(admin, change.record_id)
        assert detail.document == unflatten(state.flat())
        assert set(detail.base) == {str(i) for i in state.change_ids}
        assert detail.code == state.value("code") and detail.kind == state.kind


def test_a_change_whose_paths_cannot_form_a_document_is_refused(
    district: District, device: SyntheticDevice
) -> None:
    [good] = device.new_cases(1)
    broken = Change(
        ChangeId(device.device_id, 2),
        good.record_id,
        "case",
        good.hlc,
        "kader",
        (FieldEdit("status/deeper", "x", frozenset()),),
    )
    result = district.import_bundle(device.seal([good, broken]), via="usb")
    assert result.status == "imported" and result.counts.changes == 1
    assert result.rejected_changes == ((str(broken.id), "malformed_record"),)


def test_a_change_id_of_a_device_of_another_village_is_refused(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    x, y = enrolled(), enrolled(OTHER_VILLAGE)
    [mine] = y.new_cases(1, seed=5)  # Y's real change #1, not pushed yet
    [base] = x.new_cases(1, seed=7)
    forged = Change(ChangeId(y.device_id, 1), base.record_id, base.kind, base.hlc, "k", base.edits)
    result = district.import_bundle(x.seal([forged]), via="test")
    assert (result.status, result.reason) == ("rejected", "foreign_village")
    assert _count(district, ChangeRow) == 0
    own = district.import_bundle(y.seal([mine]), via="test")
    assert own.status == "imported" and own.rejected_changes == ()
    assert own.counts.changes == 1 and own.receipt is not None
    receipt = verify_receipt(own.receipt, district_key=y.district_signing)
    assert receipt.acks[y.device_id] == DeviceAck(high=1, top=1) and receipt.rejected == ()


def test_a_relayed_change_of_the_same_village_or_not_enrolled_is_kept(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    x, neighbour = enrolled(), enrolled()
    relayed = neighbour.new_cases(1, seed=5)
    [base] = x.new_cases(1, seed=7)
    unenrolled = Change(
        ChangeId("belumterdaftar1", 1), base.record_id, base.kind, base.hlc, "k", base.edits
    )
    result = district.import_bundle(x.seal([*relayed, unenrolled]), via="test")
    assert result.status == "imported" and result.counts.changes == 2


def test_a_bundle_id_used_by_another_device_does_not_hide_a_bundle(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    x, y = enrolled(), enrolled(OTHER_VILLAGE)
    squatted = "squatted-bundle-0001"
    first = district.import_bundle(x.seal(x.new_cases(1, seed=9), bundle_id=squatted), via="t")
    assert first.status == "imported"
    [change] = y.new_cases(1, seed=11)
    result = district.import_bundle(y.seal([change], bundle_id=squatted), via="t")
    assert result.status == "imported" and result.device_id == y.device_id
    assert result.bundle_id == squatted and result.receipt is not None
    receipt = verify_receipt(result.receipt, district_key=y.district_signing)
    assert receipt.device == y.device_id and receipt.acks[y.device_id] == DeviceAck(high=1, top=1)
    with district._read() as session:
        assert session.get(RecordRow, change.record_id) is not None
    again = district.import_bundle(y.seal([change], bundle_id=squatted), via="t")
    assert again.status == "already_imported" and again.receipt == result.receipt


def test_a_push_is_tied_to_the_uploading_device(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    x, neighbour, y = enrolled(), enrolled(), enrolled(OTHER_VILLAGE)
    bundle = y.seal(y.new_cases(2, seed=3))
    refused = district.import_bundle(bundle, via="http", pushed_by=x.device_id)
    assert (refused.status, refused.reason) == ("rejected", "wrong_device")
    assert _count(district, ChangeRow) == 0
    assert district.import_bundle(bundle, via="http", pushed_by=y.device_id).status == "imported"
    # the very same bytes again (answered from the file digest) are checked too
    again = district.import_bundle(bundle, via="http", pushed_by=x.device_id)
    assert (again.status, again.reason, again.receipt) == ("rejected", "wrong_device", None)
    # relay inside the village is allowed
    relayed = neighbour.seal(neighbour.new_cases(1, seed=4))
    assert district.import_bundle(relayed, via="http", pushed_by=x.device_id).status == "imported"


def test_an_announced_bundle_id_is_checked_before_anything_is_stored(
    district: District, device: SyntheticDevice
) -> None:
    bundle = device.seal(device.new_cases(2, seed=3), bundle_id="announced-0001")
    wrong = district.import_bundle(bundle, via="http", expected_bundle_id="something-else-1")
    assert (wrong.status, wrong.reason) == ("rejected", "idempotency_key_mismatch")
    assert _count(district, ChangeRow) == 0
    ok = district.import_bundle(bundle, via="http", expected_bundle_id="announced-0001")
    assert ok.status == "imported"
    again = district.import_bundle(bundle, via="http", expected_bundle_id="something-else-1")
    assert (again.status, again.reason) == ("rejected", "idempotency_key_mismatch")


def test_a_change_holding_a_lone_surrogate_is_refused_not_a_crash(
    district: District, device: SyntheticDevice
) -> None:
    # "\ud800" without its pair is valid JSON but not text: it cannot be stored as UTF-8.
    good, bad = device.new_cases(2)
    edits = tuple(
        FieldEdit(e.path, "a\ud800" if e.path == "narrative" else e.value, e.pred)
        for e in bad.edits
    )
    bad = Change(bad.id, bad.record_id, bad.kind, bad.hlc, bad.author, edits)
    result = district.import_bundle(device.seal([good, bad]), via="usb")
    assert result.status == "imported" and result.counts.changes == 1
    assert result.rejected_changes == ((str(bad.id), "malformed_record"),)
    assert _count(district, RecordRow) == 1


def _refuse_rows_of(district: District, table: str) -> Callable[[], None]:
    """Make the database itself refuse every new row of ``table`` (a real trigger, as a full
    disk or a broken constraint would); return what lifts it."""
    with district._engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_row()"
            )
        else:
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )

    def lift() -> None:
        with district._engine.begin() as conn:
            conn.exec_driver_sql(
                f"DROP TRIGGER refuse ON {table}"
                if conn.dialect.name == "postgresql"
                else "DROP TRIGGER refuse"
            )

    return lift


def test_a_bundle_the_database_fails_to_store_leaves_nothing_behind(
    district: District, device: SyntheticDevice
) -> None:
    # The victim rows are written last: the changes, records and violence types written in
    # bulk before them must go too. Then the same bundle imports whole.
    bundle = device.seal(device.new_cases(40, seed=17))
    lift = _refuse_rows_of(district, "record_victims")
    with pytest.raises(sa.exc.DBAPIError, match="refused by the test"):
        district.import_bundle(bundle, via="usb")
    for model in (ChangeRow, RecordRow, RecordViolenceType, RecordVictims, BundleSeen):
        assert _count(district, model) == 0
    lift()
    result = district.import_bundle(bundle, via="usb")
    assert result.status == "imported" and result.counts.cases == 40
    assert _count(district, ChangeRow) == _count(district, RecordRow) == 40
    assert _count(district, RecordVictims) > 0 and _count(district, RecordViolenceType) > 0


def test_every_derived_column_is_written(district: District, device: SyntheticDevice) -> None:
    # Rows are written in bulk as tuples in ROW_COLUMNS order: it must name every column the
    # records table derives from a record, as materialize_flat fills them.
    [change] = device.new_cases(1, seed=2)
    flat = {edit.path: edit.value for edit in change.edits}
    derived = materialize_flat(
        change.kind, flat, device.village, conflicts=(), base=(change.id,), updated=change.hlc
    )
    table = cast(sa.Table, RecordRow.__table__)
    assert tuple(derived.columns) == ROW_COLUMNS
    assert {*ROW_COLUMNS, "record_id", "updated_at", "sealed"} == set(table.c.keys())
    district.import_bundle(device.seal([change]), via="usb")
    with district._read() as session:
        stored = session.execute(sa.select(*(table.c[name] for name in ROW_COLUMNS))).one()
    assert stored._asdict() == derived.columns
