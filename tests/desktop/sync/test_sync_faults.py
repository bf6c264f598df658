"""Sync through the project's TCP fault proxy: connections cut mid-request and mid-answer,
reset, delayed. After repeated syncs every change is on the server exactly once."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from desktop.storage.store import Store
from desktop.sync.engine import Backoff, SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.sync.errors import OfflineError
from desktop.sync.outbox import pending_ids
from simpul.synthetic import generate_cases, generate_outreach

from .conftest import VILLAGE, DistrictServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "support"))
from faultproxy import FaultProxy, Faults  # noqa: E402

QUICK = Backoff(base=0.01, cap=0.2, attempts=4)


def _server_changes(server: DistrictServer) -> list[tuple[str, int]]:
    uri = f"file:{server.data / 'district.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        return [tuple(row) for row in db.execute("SELECT device_id, counter FROM changes")]


def _sync_until_done(store: Store, rounds: int = 40) -> int:
    """Sync again and again, as the scheduler would; return the rounds it took."""
    for attempt in range(1, rounds + 1):
        try:
            SyncEngine(store, backoff=QUICK, batch_changes=7).run_once()
        except OfflineError:
            continue
        if not pending_ids(store):
            return attempt
    raise AssertionError(f"still {len(pending_ids(store))} pending after {rounds} rounds")


def test_cut_reset_and_delayed_connections_lose_nothing_and_duplicate_nothing(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    store.save_many(list(generate_cases(40, seed=5, village=VILLAGE)))
    store.save_many(list(generate_outreach(6, seed=6, village=VILLAGE)))
    upstream = ("127.0.0.1", district_server.port)
    with FaultProxy(upstream, Faults(latency_s=0.002), seed=7) as proxy:
        enroll_online(store, proxy.url, district_server.enrollment_code())
        # most connections cut at a random point of their first 12 kB (a few requests on a
        # kept-alive connection), with a RST
        proxy.update(cut_probability=0.7, random_cut_within_bytes=12_000, reset=True)
        _sync_until_done(store)
        cut_so_far = proxy.stats.connections_cut
        # edits after the first sync; requests cut cleanly (FIN) midway, then random cuts
        for view in store.records("case")[:10]:
            store.save(
                {**view.doc, "id": view.record_id, "place": "fasilitas_umum"},
                kind="case",
                base=view,
            )
        proxy.update(cut_probability=0.0, cut_request_after_bytes=500, reset=False)
        try:
            SyncEngine(store, backoff=QUICK).run_once()
        except OfflineError:
            pass
        assert proxy.stats.connections_cut > cut_so_far > 0
        assert pending_ids(store)  # the cut requests acknowledged nothing
        proxy.update(cut_request_after_bytes=None, cut_probability=0.5)
        _sync_until_done(store)

    local = sorted((c.device, c.counter) for c in store.change_index())
    held = _server_changes(district_server)
    assert sorted(held) == local  # every change once: none lost, none twice
    assert len(held) == len(set(held)) == len(local) > 46 + 5
    assert len(district_server.records()) == 46


def test_a_sync_cut_after_the_server_committed_is_retried_with_the_same_bundle(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    store.save_many(list(generate_cases(5, seed=8, village=VILLAGE)))
    upstream = ("127.0.0.1", district_server.port)
    with FaultProxy(upstream, seed=1) as proxy:
        enroll_online(store, proxy.url, district_server.enrollment_code())
        # the request arrives whole; the answer (the receipt) is cut after its first bytes
        proxy.update(cut_response_after_bytes=40)
        report = None
        try:
            SyncEngine(store, backoff=Backoff(base=0.01, attempts=2)).run_once()
        except OfflineError:
            pass
        assert len(pending_ids(store)) == 5  # no receipt came back: nothing acknowledged
        assert len(_server_changes(district_server)) == 5  # but the server has them
        proxy.update(cut_response_after_bytes=None)
        report = SyncEngine(store).run_once()
    assert report.pushed_changes == 5
    assert not pending_ids(store)
    assert len(_server_changes(district_server)) == 5
