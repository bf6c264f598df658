"""Desktop sync against a real ``simpul-district serve`` on 127.0.0.1 (a subprocess)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from desktop.storage.store import Store
from desktop.sync.courier import apply_files, export_bundles
from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.sync.errors import (
    EnrollmentError,
    OfflineError,
    ServerKeysChangedError,
    ServerRefusedError,
)
from desktop.sync.outbox import pending_ids
from desktop.sync.state import SyncState
from desktop.sync.status import sync_status
from simpul.synthetic import generate_cases, generate_outreach

from .conftest import VILLAGE, DistrictServer


def _add_cases(store: Store, n: int, seed: int = 1) -> list[str]:
    results = store.save_many(list(generate_cases(n, seed=seed, village=VILLAGE)))
    return [r.record.record_id for r in results]


def _enrolled(store: Store, server: DistrictServer) -> None:
    enroll_online(store, server.url, server.enrollment_code())


def _server_state(server: DistrictServer) -> list[tuple[Any, ...]]:
    """What a district user sees of the records, without times the import itself sets."""
    rows = server.records()
    return sorted(
        (
            r["record_id"],
            r["kind"],
            r["code"],
            r["status"],
            r["victims"],
            tuple(r["violence_types"]),
            r["conflicts"],
            r["period"],
        )
        for r in rows
    )


def _stored_changes(server: DistrictServer) -> int:
    """Rows in the district's change log (read-only, beside the running server)."""
    uri = f"file:{server.data / 'district.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM changes").fetchone()[0])


def test_enroll_sync_and_the_district_holds_every_record(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    ids = _add_cases(store, 12)
    store.save_many(list(generate_outreach(3, seed=2, village=VILLAGE)))
    _enrolled(store, district_server)
    assert sync_status(store).pending_changes == 15

    report = SyncEngine(store).run_once()

    assert report.pushed_changes == 15
    on_server = {r["record_id"]: r for r in district_server.records()}
    assert set(ids) <= set(on_server)
    assert len(on_server) == 15
    assert {on_server[i]["code"] for i in ids} == {store.get(i).code for i in ids}
    assert _stored_changes(district_server) == 15
    status = sync_status(store)
    assert status.pending_changes == 0 and status.last_sync is not None
    assert store.status().pending_changes == 0
    # nothing new: nothing pushed, nothing received
    again = SyncEngine(store).run_once()
    assert (again.pushed_changes, again.received_changes) == (0, 0)


def test_a_district_follow_up_comes_back_and_concurrent_edits_are_flagged_on_both_sides(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    first, second = _add_cases(store, 2)
    _enrolled(store, district_server)
    SyncEngine(store).run_once()
    token = district_server.staff_token()
    auth = {"Authorization": f"Bearer {token}"}
    http, url = district_server.http, district_server.url

    def follow_up(record_id: str, **fields: Any) -> None:
        shown = http.get(f"{url}/v1/records/{record_id}", headers=auth).json()
        doc = {**shown["document"], **fields}
        answer = http.post(
            f"{url}/v1/records/{record_id}/followup",
            headers=auth,
            json={"document": doc, "base": shown["base"]},
        )
        assert answer.status_code == 200, answer.text

    # a follow-up on the first record only at the district
    follow_up(first, status="diterima_uptd")
    # the second record's status changed at both ends before they talk again
    follow_up(second, status="dirujuk")
    view = store.get(second)
    store.save({**view.doc, "id": second, "status": "selesai"}, kind="case", base=view)

    report = SyncEngine(store).run_once()

    assert report.new_changes == 2
    assert store.get(first).doc["status"] == "diterima_uptd"
    assert not store.get(first).needs_review
    flagged = store.get(second)
    assert flagged.needs_review
    assert {value for _cid, value in store.heads(second, "status")} == {"dirujuk", "selesai"}
    on_server = {r["record_id"]: r for r in district_server.records()}
    assert on_server[second]["conflicts"] == 1
    assert on_server[first]["conflicts"] == 0
    assert on_server[first]["status"] == "diterima_uptd"


def test_bundle_files_give_the_same_district_state_as_online_sync(
    district_server: DistrictServer, make_profile: Any, tmp_path: Path
) -> None:
    store = make_profile()
    _enrolled(store, district_server)
    # a second district with the same keys and the same enrolled laptop, reached only by hand
    district_server.stop()
    twin = DistrictServer(tmp_path / "twin")
    shutil.copytree(district_server.data, twin.data)
    district_server.start()
    _add_cases(store, 20)
    store.save_many(list(generate_outreach(4, seed=3, village=VILLAGE)))
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    exported = export_bundles(store, drive)
    assert exported.changes == 24 and exported.bundles
    assert len(sync_status(store).awaiting) == len(exported.bundles)

    SyncEngine(store).run_once()  # the same changes, online
    twin.cli("import", *map(str, exported.bundles), "--out", str(tmp_path / "back"))

    assert _server_state(twin) == _server_state(district_server)
    assert len(_server_state(twin)) == 24


def test_a_bundle_imported_by_hand_and_pushed_online_is_held_once(
    district_server: DistrictServer, make_profile: Any, tmp_path: Path
) -> None:
    store = make_profile()
    _enrolled(store, district_server)
    _add_cases(store, 10)
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    exported = export_bundles(store, drive)
    district_server.cli("import", *map(str, exported.bundles))

    report = SyncEngine(store).run_once()  # pushes the same changes again in new bundles

    assert report.pushed_changes == 10
    rows = district_server.records()
    assert len(rows) == 10
    assert _stored_changes(district_server) == 10
    # the receipts written beside the bundle answer the export; applying changes nothing more
    receipts = sorted(drive.glob("*.simpul-receipt"))
    assert receipts
    outcomes = apply_files(store, receipts)
    assert {o.status for o in outcomes} == {"already_applied"}
    assert sync_status(store).awaiting == ()


def test_a_revoked_laptop_is_told_so_and_keeps_its_records(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    _enrolled(store, district_server)
    district_server.cli("devices", "revoke", store.device_id)
    _add_cases(store, 3)

    with pytest.raises(ServerRefusedError) as caught:
        SyncEngine(store).run_once()

    assert caught.value.code == "refused_device_revoked"
    assert len(pending_ids(store)) == 3
    assert len(store.records()) == 3
    assert SyncState(store).raw()["last_error"] == "refused_device_revoked"


def test_offline_is_a_state_and_nothing_is_lost(
    district_server: DistrictServer, make_profile: Any
) -> None:
    from desktop.sync.engine import Backoff

    store = make_profile()
    _enrolled(store, district_server)
    _add_cases(store, 4)
    district_server.stop()

    with pytest.raises(OfflineError):
        SyncEngine(store, backoff=Backoff(base=0.01, attempts=2)).run_once()

    assert len(pending_ids(store)) == 4
    district_server.start()
    assert SyncEngine(store).run_once().pushed_changes == 4
    assert len(pending_ids(store)) == 0


def test_a_server_with_other_keys_is_refused_and_nothing_is_acknowledged(
    district_server: DistrictServer, make_profile: Any, tmp_path: Path
) -> None:
    store = make_profile()
    _enrolled(store, district_server)
    stranger = DistrictServer(tmp_path / "stranger")
    stranger.cli("init")  # new keys
    stranger.start()
    try:
        SyncState(store).set_server_url(stranger.url)
        with pytest.raises(ServerKeysChangedError):
            SyncEngine(store).run_once()  # nothing pending: the pull is refused
        _add_cases(store, 2)
        with pytest.raises(ServerKeysChangedError):
            SyncEngine(store).run_once()
        assert len(pending_ids(store)) == 2
    finally:
        stranger.stop()


def test_enrolling_twice_or_with_a_used_code_says_why(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    code = district_server.enrollment_code()
    enroll_online(store, district_server.url, code)
    with pytest.raises(EnrollmentError) as twice:
        enroll_online(store, district_server.url, district_server.enrollment_code())
    assert twice.value.code == "already_enrolled"
    other = make_profile("other")
    with pytest.raises(ServerRefusedError) as used:
        enroll_online(other, district_server.url, code)
    assert used.value.code == "refused_enrollment_code_used"
    assert SyncState(other).enrollment() is None


@pytest.mark.parametrize("courier", ["online", "flash drive"])
def test_a_database_put_back_from_an_older_copy_continues_under_a_new_device_id(
    district_server: DistrictServer, make_profile: Any, tmp_path: Path, courier: str
) -> None:
    from .conftest import PASSPHRASE

    store = make_profile()
    _enrolled(store, district_server)
    _add_cases(store, 3)
    profile = store.profile_dir
    backup = tmp_path / "backup"
    backup.mkdir()
    with contextlib.closing(sqlite3.connect(profile / "simpul.db")) as db:
        db.execute("VACUUM INTO ?", (str(backup / "simpul.db"),))  # a consistent old copy
    _add_cases(store, 2, seed=2)
    SyncEngine(store).run_once()  # counters 1..5 have left the laptop
    old_id = store.device_id
    before = {view.record_id for view in store.records(kind="case")}
    store.close()
    for name in ("simpul.db-wal", "simpul.db-shm"):
        (profile / name).unlink(missing_ok=True)
    shutil.copy(backup / "simpul.db", profile / "simpul.db")

    restored = Store.open(profile, passphrase=PASSPHRASE)
    try:
        assert restored.restored_from_backup
        assert restored.device_id != old_id
        new = restored.save(next(iter(generate_cases(1, seed=9, village=VILLAGE))))
        assert new.change_id is not None and new.change_id.device == restored.device_id
        assert new.change_id.counter == 1
        if courier == "online":
            report = SyncEngine(restored).run_once()
            assert report.rejected == []
        else:
            # no internet: the bundle goes on a flash drive, the district imports it and
            # writes the receipt and a return bundle beside it, the laptop applies both
            drive = tmp_path / "flashdisk"
            drive.mkdir()
            assert export_bundles(restored, drive).bundles
            district_server.cli("import", str(drive), "--out", str(drive))
            answers = sorted(p for p in drive.iterdir() if p.suffix != ".simpul")
            assert {p.suffix for p in answers} == {".simpul-receipt", ".simpul-return"}
            apply_files(restored, answers)
        assert not pending_ids(restored)
        held = _stored_changes(district_server)
        assert held == 6  # the five that had left, and the new one: no counter reused
        # the two cases saved after the copy was made came back from the district
        after = {view.record_id for view in restored.records(kind="case")}
        assert after == before | {new.record.record_id}
        assert len(after) == 6
        if courier == "online":
            assert SyncEngine(restored).run_once().received_changes == 0  # and only once
    finally:
        restored.close()


def test_no_full_garbage_collection_walks_a_batch_of_parsed_changes(
    district_server: DistrictServer, make_profile: Any
) -> None:
    """A full collection holds the interpreter lock while it walks every object it tracks, so
    the screen waits it out; during a round those are mostly the parsed changes of the batch
    being sealed (~85 each). A round parses one batch at a time and no cyclic collection
    runs while one is held (they hold no cycles: refcounting frees them).

    The collector is set as the unlocked app has it (everything frozen, ``AppContext``) and
    made to run often, so that one would surely fall inside a batch.
    """
    import gc
    import sys

    store = make_profile()
    _add_cases(store, 60)
    _enrolled(store, district_server)
    inside: list[str] = []
    full = [0]

    def note(phase: str, info: dict[str, int]) -> None:
        if phase != "start" or info["generation"] != 2:
            return
        full[0] += 1
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name in ("read_changes", "make_bundles", "apply_return"):
                inside.append(frame.f_code.co_name)
            frame = frame.f_back

    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.collect()
    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(note)
    try:
        report = SyncEngine(store, batch_changes=25).run_once()
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    assert (report.pushed_changes, report.pushed_bundles) == (60, 3)
    assert full[0] > 0  # the collector did run in the round, between batches
    assert inside == []
