"""The record store as the app and the CLI use it: save, list, search, edit, merge, reopen."""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.storage.errors import VaultExistsError, VaultMissingError, WrongPassphraseError
from desktop.storage.sealing import CorruptDataError
from desktop.storage.store import Store, UnknownRecordError, ValidationFailedError
from desktop.storage.vault import KdfCost
from simpul.records.wilayah import UnknownVillageError
from simpul.synthetic import generate_cases, generate_outreach

CHEAP = KdfCost(1, 8192, 1)
PASS = "kunci rahasia desa pemalang"
VILLAGE = "33.27.08.2012"


def make_store(path: Path, *, village: str = VILLAGE, user: str = "kader") -> Store:
    store, _code = Store.create(path, village=village, user=user, passphrase=PASS, cost=CHEAP)
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = make_store(tmp_path / "profile")
    yield s
    s.close()


def a_case(seed: int = 1) -> dict[str, Any]:
    return generate_cases(1, seed=seed, village=VILLAGE)[0]


def test_a_saved_case_gets_a_code_and_is_listed(store: Store) -> None:
    result = store.save(a_case())
    assert result.created
    code = result.record.code
    assert code.startswith("PML-082012-")
    assert code.endswith("-0001")
    listed = store.records("case")
    assert [v.record_id for v in listed] == [result.record.record_id]
    second = store.save(a_case(2))
    assert (
        second.record.code.endswith("-0002")
        or second.record.code.split("-")[2] != code.split("-")[2]
    )


def test_invalid_case_is_refused_with_every_problem_and_nothing_written(store: Store) -> None:
    doc = a_case()
    doc["reported_on"] = "2026-01-10"
    doc["incident_on"] = "2026-02-10"  # after the report
    doc["violence_types"] = ["not-a-type"]
    with pytest.raises(ValidationFailedError) as info:
        store.save(doc)
    paths = {p.path for p in info.value.problems}
    assert "incident_on" in paths
    assert any(p.startswith("violence_types") for p in paths)
    assert store.records() == []
    assert store.status().changes == 0


def test_an_edit_writes_only_the_changed_fields(store: Store) -> None:
    saved = store.save(a_case()).record
    doc = copy.deepcopy(saved.doc)
    doc["id"] = saved.record_id
    doc["kind"] = "case"
    doc["narrative"] = "Kronologi diperbarui setelah kunjungan rumah."
    result = store.save(doc)
    assert result.change_id is not None
    history = store.history(saved.record_id)
    assert len(history) == 2
    assert [e.path for e in history[1].edits] == ["narrative"]
    assert store.get(saved.record_id).doc["narrative"].startswith("Kronologi diperbarui")
    # saving the same document again writes nothing
    again = store.save(doc)
    assert again.change_id is None
    assert len(store.history(saved.record_id)) == 2


def test_removing_a_victim_leaves_a_tombstone_and_keeps_the_others(store: Store) -> None:
    doc = a_case()
    doc["victims"] = doc["victims"][:1] + [copy.deepcopy(doc["victims"][0])]
    doc["victims"][1].pop("id", None)
    doc["victims"][1]["name"] = "Korban Kedua"
    for perp in doc.get("perpetrators", []):
        perp.pop("relationships", None)
    saved = store.save(doc).record
    assert len(saved.doc["victims"]) == 2
    edit = copy.deepcopy(saved.doc)
    edit.update(id=saved.record_id, kind="case")
    removed = edit["victims"].pop(1)
    after = store.save(edit).record
    assert [v["id"] for v in after.doc["victims"]] == [edit["victims"][0]["id"]]
    last = store.history(saved.record_id)[-1]
    assert f"victims/{removed['id']}/_deleted" in {e.path for e in last.edits}
    # a later unrelated edit does not bring the removed victim back
    edit2 = copy.deepcopy(after.doc)
    edit2.update(id=saved.record_id, kind="case", narrative="Catatan tambahan.")
    assert len(store.save(edit2).record.doc["victims"]) == 1


def test_search_finds_by_name_code_and_narrative_in_any_case(store: Store) -> None:
    doc = a_case()
    doc["victims"][0]["name"] = "Sulastri Wijayanti"
    doc["narrative"] = "Korban dipukul di rumah pada malam hari setelah cekcok."
    rec = store.save(doc).record
    store.save_many(generate_cases(30, seed=9, village=VILLAGE))
    found = store.search("sulastri wijay")
    assert rec.record_id in [v.record_id for v in found]
    for view in found:
        names = [v.get("name", "") for v in view.doc.get("victims", [])]
        assert any("sulastri wijay" in n.lower() for n in names)
    assert rec.record_id in [v.record_id for v in store.search(rec.code.lower())]
    assert rec.record_id in [v.record_id for v in store.search("CEKCOK")]
    assert store.search("tidak-ada-yang-cocok-xyz") == []


def test_reopening_shows_the_same_records_and_a_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p"
    store = make_store(path)
    store.save_many(
        generate_cases(5, seed=3, village=VILLAGE) + generate_outreach(2, seed=3, village=VILLAGE)
    )
    before = {v.record_id: (v.code, v.doc) for v in store.records()}
    store.close()
    with pytest.raises(WrongPassphraseError):
        Store.open(path, passphrase="bukan frasa yang benar sama sekali")
    reopened = Store.open(path, passphrase=PASS)
    try:
        after = {v.record_id: (v.code, v.doc) for v in reopened.records()}
        assert after == before
        assert reopened.status().cases == 5
        assert reopened.status().outreach == 2
        assert reopened.village == VILLAGE
    finally:
        reopened.close()


def test_profile_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(VaultMissingError):
        Store.open(tmp_path / "nothing", passphrase=PASS)
    with pytest.raises(UnknownVillageError):
        make_store(tmp_path / "x", village="33.27.99.9999")
    assert not (tmp_path / "x" / "vault.json").exists()
    make_store(tmp_path / "y").close()
    with pytest.raises(VaultExistsError):
        make_store(tmp_path / "y")


def test_concurrent_edits_on_two_laptops_are_both_kept_and_flagged(tmp_path: Path) -> None:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", user="bidan")
    try:
        doc = a_case()
        doc["status"] = "dicatat"
        rec = a.save(doc).record
        b.apply_changes(c for _, c in a.changes_since(0))
        assert b.get(rec.record_id).doc == rec.doc
        for store, status in ((a, "dirujuk"), (b, "dalam_penanganan")):
            doc = copy.deepcopy(store.get(rec.record_id).doc)
            doc.update(id=rec.record_id, kind="case", status=status)
            store.save(doc)
        a.apply_changes(c for _, c in b.changes_since(0))
        b.apply_changes(c for _, c in a.changes_since(0))
        for store in (a, b):
            view = store.get(rec.record_id)
            assert view.conflicts == ("status",)
            assert {v for _, v in store.heads(rec.record_id, "status")} == {
                "dirujuk",
                "dalam_penanganan",
            }
        assert a.get(rec.record_id).doc == b.get(rec.record_id).doc
        # a person resolves it on laptop a; b receives the resolution and the flag clears there too
        doc = copy.deepcopy(a.get(rec.record_id).doc)
        doc.update(id=rec.record_id, kind="case", status="dalam_penanganan")
        a.save(doc, resolve=["status"])
        b.apply_changes(c for _, c in a.changes_since(0))
        for store in (a, b):
            assert store.get(rec.record_id).conflicts == ()
            assert store.get(rec.record_id).doc["status"] == "dalam_penanganan"
        # applying everything again changes nothing
        assert b.apply_changes(c for _, c in a.changes_since(0)) == 0
    finally:
        a.close()
        b.close()


def test_audit_log_records_create_edit_view_and_delete(store: Store) -> None:
    rec = store.save(a_case()).record
    store.read(rec.code)
    store.delete(rec.record_id)
    actions = [(e.action, e.record_id) for e in store.audit_log()]
    assert actions == [
        ("create", rec.record_id),
        ("view", rec.record_id),
        ("delete", rec.record_id),
    ]
    assert all(e.user == "kader" for e in store.audit_log())
    assert store.records() == []
    assert store.status().deleted == 1
    with pytest.raises(UnknownRecordError):
        store.get("PML-000000-2026-XX-0001")


def test_a_damaged_record_row_is_rebuilt_from_its_changes(tmp_path: Path) -> None:
    path = tmp_path / "p"
    store = make_store(path)
    first = store.save(a_case(1)).record
    second = store.save(a_case(2)).record
    second_doc = second.doc
    store.close()
    con = sqlite3.connect(path / "simpul.db")
    blob = con.execute(
        "select sealed from records where record_id=?", (first.record_id,)
    ).fetchone()
    # a row copied onto another record does not open there (AD binds it to its record id)
    con.execute("update records set sealed=? where record_id=?", (blob[0], second.record_id))
    con.commit()
    con.close()
    reopened = Store.open(path, passphrase=PASS)
    try:
        assert reopened.get(second.record_id).doc == second_doc
        assert reopened.get(second.record_id).code == second.code
        assert reopened.unreadable == []
        assert ("rebuild", second.record_id) in [
            (e.action, e.record_id) for e in reopened.audit_log()
        ]
    finally:
        reopened.close()


def test_a_change_row_moved_to_another_change_fails_to_open(tmp_path: Path) -> None:
    path = tmp_path / "p"
    store = make_store(path)
    rec = store.save(a_case(1)).record
    doc = {**rec.doc, "id": rec.record_id, "kind": "case", "narrative": "Diperbarui."}
    store.save(doc)
    store.close()
    con = sqlite3.connect(path / "simpul.db")
    rows = con.execute("select seq, sealed from changes order by seq").fetchall()
    con.execute("update changes set sealed=? where seq=?", (rows[0][1], rows[1][0]))
    con.commit()
    con.close()
    reopened = Store.open(path, passphrase=PASS)
    try:
        with pytest.raises(CorruptDataError):
            reopened.history(rec.record_id)
    finally:
        reopened.close()


def test_pending_changes_count_local_saves(store: Store) -> None:
    store.save_many(generate_cases(3, seed=4, village=VILLAGE))
    assert store.status().pending_changes == 3


def test_a_full_disk_refuses_the_save_calmly_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.storage import db
    from desktop.storage.errors import DiskFullError

    path = tmp_path / "p"
    store = make_store(path)
    store.save_many(generate_cases(5, seed=5, village=VILLAGE))
    before = {v.record_id: v.doc for v in store.records()}
    store.close()
    con = sqlite3.connect(path / "simpul.db")
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.close()
    # SQLite reports SQLITE_FULL exactly as for a full disk once max_page_count is reached
    monkeypatch.setattr(db, "_PRAGMAS", (*db._PRAGMAS, f"PRAGMA max_page_count={pages + 1}"))
    full = Store.open(path, passphrase=PASS)
    with pytest.raises(DiskFullError):
        full.save_many(generate_cases(100, seed=6, village=VILLAGE))
    assert {v.record_id: v.doc for v in full.records()} == before  # the working set is unchanged
    full.close()
    monkeypatch.undo()
    again = Store.open(path, passphrase=PASS)
    try:
        assert {v.record_id: v.doc for v in again.records()} == before
        again.save(a_case(7))
        assert again.status().cases == 6
    finally:
        again.close()


def test_a_profile_held_by_another_program_is_reported_as_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.storage import db
    from desktop.storage.errors import ProfileBusyError

    path = tmp_path / "p"
    store = make_store(path)
    monkeypatch.setattr(db, "_PRAGMAS", (*db._PRAGMAS, "PRAGMA busy_timeout=50"))
    store.close()
    store = Store.open(path, passphrase=PASS)
    other = sqlite3.connect(path / "simpul.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ProfileBusyError):
            store.save(a_case())
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.save(a_case())
    assert store.status().cases == 1
    store.close()


def test_a_form_saved_after_a_sync_keeps_what_the_sync_brought(tmp_path: Path) -> None:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", user="bidan")
    try:
        doc = a_case()
        doc["status"] = "dicatat"
        doc["legal_status"] = "lapor_polisi"
        rec = a.save(doc).record
        b.apply_changes(c for _, c in a.changes_since(0))
        form = a.get(rec.record_id)  # the focal point opens the case form on laptop a
        # meanwhile the district changes the legal status, and it arrives by sync
        remote = {**b.get(rec.record_id).doc, "id": rec.record_id, "kind": "case"}
        remote["legal_status"] = "p21"
        b.save(remote)
        a.apply_changes(c for _, c in b.changes_since(0))
        # the form, filled from the old version, changes only the narrative
        edited = {**form.doc, "id": rec.record_id, "kind": "case", "narrative": "Catatan baru."}
        a.save(edited, base=form)
        now = a.get(rec.record_id)
        assert now.doc["legal_status"] == "p21"
        assert now.doc["narrative"] == "Catatan baru."
        assert now.conflicts == ()
        # a form changing a field the district changed meanwhile is a conflict, not an overwrite
        form2 = a.get(rec.record_id)
        remote = {**b.get(rec.record_id).doc, "id": rec.record_id, "kind": "case"}
        b.apply_changes(c for _, c in a.changes_since(0))
        remote = {**b.get(rec.record_id).doc, "id": rec.record_id, "kind": "case"}
        b.save(remote | {"legal_status": "sidang"})
        a.apply_changes(c for _, c in b.changes_since(0))
        a.save(
            {**form2.doc, "id": rec.record_id, "kind": "case", "legal_status": "penyidikan"},
            base=form2,
        )
        assert a.get(rec.record_id).conflicts == ("legal_status",)
        assert {v for _, v in a.heads(rec.record_id, "legal_status")} == {"sidang", "penyidikan"}
    finally:
        a.close()
        b.close()


def test_locking_drops_the_keys_and_the_working_set(tmp_path: Path) -> None:
    from desktop.storage.errors import VaultLockedError

    store = make_store(tmp_path / "p")
    rec = store.save(a_case()).record
    view = store.get(rec.record_id)
    store.close()
    assert store.records() == []
    with pytest.raises(VaultLockedError):
        _ = view.doc
    with pytest.raises(VaultLockedError):
        list(store.changes_since(0))
    with pytest.raises(VaultLockedError):
        store.audit_log()


def test_a_deleted_record_cannot_be_edited_and_deleting_twice_changes_nothing(store: Store) -> None:
    from desktop.storage.store import RecordDeletedError

    rec = store.save(a_case()).record
    doc = {**rec.doc, "id": rec.record_id, "kind": "case"}
    store.delete(rec.record_id)
    changes = store.status().changes
    store.delete(rec.record_id)
    assert store.status().changes == changes
    with pytest.raises(RecordDeletedError):
        store.save(doc)


def test_two_programs_on_one_profile_never_hand_out_the_same_code(tmp_path: Path) -> None:
    path = tmp_path / "p"
    make_store(path).close()
    app = Store.open(path, passphrase=PASS)
    cli = Store.open(path, passphrase=PASS)
    try:
        doc = a_case()
        codes = [app.save(doc).record.code, cli.save(doc).record.code, app.save(doc).record.code]
        assert len(set(codes)) == 3
    finally:
        app.close()
        cli.close()


def test_changes_from_elsewhere_are_checked(tmp_path: Path) -> None:
    import dataclasses

    from desktop.storage.store import ChangeRejectedError
    from simpul.changes import ChangeId, FieldEdit

    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b")
    try:
        a.save(a_case())
        original = [c for _, c in a.changes_since(0)][0]
        b.apply_changes([original])
        bad_id = dataclasses.replace(
            original, record_id="Siti-Aminah-3327", id=ChangeId("x" * 16, 1)
        )
        with pytest.raises(ChangeRejectedError):
            b.apply_changes([bad_id])
        rewrite = dataclasses.replace(
            original,
            id=ChangeId("e" * 16, 1),
            edits=(FieldEdit("code", "PML-000000-2026-XX-0001", frozenset({original.id})),),
        )
        with pytest.raises(ChangeRejectedError):
            b.apply_changes([rewrite])
        twin = dataclasses.replace(original, edits=(FieldEdit("narrative", "lain", frozenset()),))
        with pytest.raises(ChangeRejectedError):
            b.apply_changes([twin])
        assert b.status().changes == 1
    finally:
        a.close()
        b.close()


def test_sealed_blobs_do_not_reveal_which_value_a_field_took(store: Store) -> None:
    rec = store.save(a_case()).record
    for status in ("dirujuk", "dalam_penanganan", "ditutup_tidak_terhubung"):
        store.save(
            {**store.get(rec.record_id).doc, "id": rec.record_id, "kind": "case", "status": status}
        )
    con = sqlite3.connect(store.profile_dir / "simpul.db")
    sizes = [
        len(b) for (b,) in con.execute("select sealed from changes order by seq").fetchall()[1:]
    ]
    con.close()
    assert len(set(sizes)) == 1


def test_profile_files_are_private_to_the_user(store: Store) -> None:
    store.save(a_case())
    assert store.profile_dir.stat().st_mode & 0o777 == 0o700
    for name in ("simpul.db", "vault.json"):
        assert (store.profile_dir / name).stat().st_mode & 0o077 == 0


def test_changes_are_read_by_id_in_the_order_asked(store: Store) -> None:
    from desktop.storage.errors import StorageError
    from simpul.changes import ChangeId

    store.save_many(generate_cases(4, seed=6, village=VILLAGE))
    ids = store.change_index()
    wanted = [ids[2], ids[0], ids[3]]
    assert [c.id for c in store.read_changes(wanted)] == wanted
    assert store.read_changes([]) == []
    assert [c.id for c in store.outgoing(lambda cid: cid == ids[1])] == [ids[0], *ids[2:]]
    with pytest.raises(StorageError):
        store.read_changes([ids[0], ChangeId(ids[0].device, 99)])


def test_held_through_is_the_highest_counter_held_with_every_earlier_one(
    tmp_path: Path,
) -> None:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", user="bidan")
    try:
        a.save_many(generate_cases(5, seed=8, village=VILLAGE))
        assert a.held_through(a.device_id) == 5
        assert b.held_through(a.device_id) == 0  # none of a's
        changes = [c for _, c in a.changes_since(0)]
        b.apply_changes(c for c in changes if c.id.counter != 3)  # a copy missing one
        assert b.held_through(a.device_id) == 2
        b.apply_changes(c for c in changes if c.id.counter == 3)
        assert b.held_through(a.device_id) == 5
    finally:
        a.close()
        b.close()


def test_a_worker_opening_change_after_change_pauses_for_the_screen(store: Store) -> None:
    """Decrypting change after change on the sync thread starves the screen's thread of the
    interpreter lock (each AES-GCM call lets go of it for an instant and takes it back, so a
    waiting thread may never get to ask for it: 220-280 ms frozen at a time, measured).
    Off the main thread, :func:`paced` sleeps a moment every ``PACE_EVERY`` seconds of work,
    when a waiting thread takes the lock.

    The time asleep is what the thread's clock does not count (``time.thread_time``).
    """
    import json
    import threading
    import time

    from desktop.storage.store import PACE_EVERY, PACE_PAUSE, paced
    from simpul.changes import Change

    store.save_many(generate_cases(60, seed=7, village=VILLAGE))
    encoded = [c.to_json_bytes() for _seq, c in store.changes_since(0)]

    seen: list[bytes] = []
    clocks: list[float] = []

    def open_backlog() -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in range(10):
            for data in paced(encoded):
                Change.from_json(json.loads(data), encoded=data)
                seen.append(data)
        clocks.extend((time.perf_counter() - wall, time.thread_time() - cpu))

    worker = threading.Thread(target=open_backlog)
    worker.start()
    worker.join()
    wall, cpu = clocks
    assert seen == encoded * 10
    pauses = cpu / PACE_EVERY - 1
    assert pauses > 10  # enough work to be paced
    assert wall - cpu >= 0.5 * pauses * PACE_PAUSE


def test_held_through_each_and_change_keys_answer_from_the_index(tmp_path: Path) -> None:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", user="bidan")
    try:
        a.save_many(generate_cases(4, seed=3, village=VILLAGE))
        changes = [c for _, c in a.changes_since(0)]
        b.save_many(generate_cases(2, seed=4, village=VILLAGE))
        b.apply_changes(c for c in changes if c.id.counter != 2)  # a copy with a gap
        assert b.held_through_each() == {a.device_id: 1, b.device_id: 2}
        assert sorted(b.change_keys()) == sorted(
            (cid.device, cid.counter) for cid in b.change_index()
        )
    finally:
        a.close()
        b.close()


def test_a_change_read_back_carries_its_canonical_bytes(store: Store) -> None:
    # Changes are stored unsorted; what a bundle carries must be the key-sorted form, which
    # the district reads on its fast path (and digests).
    store.save_many(generate_cases(2, seed=5, village=VILLAGE))
    for change in store.read_changes(store.change_index()):
        canonical = json.dumps(
            change.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        assert change.to_json_bytes() == canonical
