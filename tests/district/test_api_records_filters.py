"""The district case table over HTTP: filters, search, sort, paging with a total, the UU TPKS
3×24-hour overdue flag, the record history; on SQLite and on PostgreSQL.

Every filter is checked against a count made independently from the documents the synthetic
laptops hold (not from the district's columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from district.config import DistrictConfig
from district.materialize import DISTRICT_TZ
from district.models import RecordRow
from district.service import District
from district.testing import SyntheticDevice
from district.views import StaffView
from simpul.records import unflatten
from simpul.records.derived import police_deadline

from .conftest import OTHER_VILLAGE, PASSPHRASE, VILLAGE, FakeClock, LiveServer

PASSWORD = "kata sandi staf yang panjang"
AUDITOR = StaffView(user_id=0, name="pytest", role="admin")
SAME_KECAMATAN = "33.27.08.1004"  # Paduraksa, in kecamatan 33.27.08 like VILLAGE
Enroll = Callable[..., SyntheticDevice]


@dataclass(frozen=True)
class Doc:
    """A record as the laptop that made it holds it."""

    record_id: str
    kind: str
    village: str
    doc: dict[str, Any]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _login(server: LiveServer, name: str, role: str) -> dict[str, str]:
    server.district.add_user(name, role, PASSWORD)
    return _sign_in(server, name)


def _sign_in(server: LiveServer, name: str) -> dict[str, str]:
    answer = server.http.post(
        f"{server.url}/v1/staff/login", json={"name": name, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return _auth(answer.json()["token"])


def _docs(device: SyntheticDevice, record_ids: list[str]) -> list[Doc]:
    out = []
    for rid in record_ids:
        state = device.replica.record(rid)
        assert state is not None
        out.append(Doc(rid, state.kind, device.village, unflatten(state.flat())))
    return out


def _sexual_case(reported: date, referrals: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "case",
        "reported_on": reported.isoformat(),
        "violence_types": ["seksual"],
        "status": "dirujuk",
        "victims": [{"name": "Korban Sintetis", "sex": "P", "age": 14}],
        "referrals": referrals,
    }


@pytest.fixture
def corpus(server: LiveServer, enrolled: Enroll, clock: FakeClock) -> Iterator[list[Doc]]:
    """90 cases and 12 outreach events from three villages in two kecamatan: synthetic ones
    and, in each village, a sexual-violence case referred to UPTD PPA and not yet to the
    police (the synthetic ones all are)."""
    docs: list[Doc] = []
    for seed, (village, cases) in enumerate(
        ((VILLAGE, 40), (SAME_KECAMATAN, 30), (OTHER_VILLAGE, 20)), start=1
    ):
        device = enrolled(village)
        referred = clock.now.date() - timedelta(days=seed * 3)
        uptd = {"to": "uptd_ppa", "status": "diterima", "on": referred.isoformat()}
        changes = device.new_cases(cases - 1, seed=seed) + device.new_outreach(4, seed=seed)
        changes.append(device.save(_sexual_case(referred, [uptd])))
        result = server.district.import_bundle(device.seal(changes), via="test")
        assert result.status == "imported", result
        docs.extend(_docs(device, [c.record_id for c in changes]))
    yield docs


def _list(server: LiveServer, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    answer = server.http.get(f"{server.url}/v1/records", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _ids(body: dict[str, Any]) -> set[str]:
    return {r["record_id"] for r in body["records"]}


def _overdue(doc: dict[str, Any], clock: FakeClock) -> bool:
    deadline = police_deadline(doc)
    local_now = clock.now.astimezone(DISTRICT_TZ).replace(tzinfo=None)
    return deadline is not None and deadline.overdue(local_now)


def test_each_filter_narrows_the_list_as_the_documents_say(
    server: LiveServer, corpus: list[Doc], clock: FakeClock
) -> None:
    staff = _login(server, "sari", "staff")
    cases = [d for d in corpus if d.kind == "case"]
    expected: list[tuple[dict[str, Any], set[str]]] = [
        ({"kind": "case"}, {d.record_id for d in cases}),
        ({"kind": "outreach"}, {d.record_id for d in corpus if d.kind == "outreach"}),
        ({"kecamatan": "33.27.08"}, {d.record_id for d in corpus if d.village != OTHER_VILLAGE}),
        ({"village": SAME_KECAMATAN}, {d.record_id for d in corpus if d.village == SAME_KECAMATAN}),
        (
            {"kind": "case", "status": "dirujuk"},
            {d.record_id for d in cases if d.doc.get("status") == "dirujuk"},
        ),
        (
            {"violence_type": "seksual"},
            {d.record_id for d in cases if "seksual" in d.doc["violence_types"]},
        ),
        (
            {"kind": "case", "tppo": "true"},
            {d.record_id for d in cases if "trafficking" in d.doc["violence_types"]},
        ),
        (
            {"kind": "case", "tppo": "false"},
            {d.record_id for d in cases if "trafficking" not in d.doc["violence_types"]},
        ),
        (
            {"kind": "case", "reported_from": "2025-06-01", "reported_to": "2025-12-31"},
            {d.record_id for d in cases if "2025-06-01" <= d.doc["reported_on"] <= "2025-12-31"},
        ),
        ({"overdue": "true"}, {d.record_id for d in cases if _overdue(d.doc, clock)}),
        (
            {"kind": "case", "overdue": "false"},
            {d.record_id for d in cases if not _overdue(d.doc, clock)},
        ),
        (
            {"kecamatan": "33.27.08", "violence_type": "fisik", "reported_from": "2026-01-01"},
            {
                d.record_id
                for d in cases
                if d.village != OTHER_VILLAGE
                and "fisik" in d.doc["violence_types"]
                and d.doc["reported_on"] >= "2026-01-01"
            },
        ),
    ]
    for params, ids in expected:
        assert ids, params  # the synthetic data exercises every filter
        assert len(ids) < len(corpus), params  # and every filter narrows
        body = _list(server, staff, limit=1000, **params)
        assert _ids(body) == ids, params
        assert body["total"] == len(ids), params


def test_summaries_carry_what_the_case_table_shows(
    server: LiveServer, corpus: list[Doc], clock: FakeClock
) -> None:
    staff = _login(server, "sari", "staff")
    rows = {r["record_id"]: r for r in _list(server, staff, kind="case", limit=1000)["records"]}
    for d in corpus:
        if d.kind != "case":
            continue
        row = rows[d.record_id]
        assert row["code"] == d.doc["code"]
        assert row["village"] == d.village and row["kecamatan"] == d.village[:8]
        assert row["reported_on"] == d.doc["reported_on"]
        assert row["violence_types"] == sorted(set(d.doc["violence_types"]))
        assert row["victims"] == len(d.doc["victims"])
        assert row["status"] == d.doc["status"]
        assert row["tppo"] == ("trafficking" in d.doc["violence_types"])
        assert row["needs_review"] is False
        assert row["overdue"] == _overdue(d.doc, clock)
        assert row["updated_at"]


def test_paging_covers_every_record_once_in_report_date_order(
    server: LiveServer, corpus: list[Doc]
) -> None:
    staff = _login(server, "sari", "staff")
    seen: list[dict[str, Any]] = []
    for offset in range(0, 200, 25):
        body = _list(server, staff, kind="case", limit=25, offset=offset)
        assert body["total"] == 90 and body["limit"] == 25 and body["offset"] == offset
        seen.extend(body["records"])
    assert len(seen) == 90 and len({r["record_id"] for r in seen}) == 90
    dates = [r["reported_on"] for r in seen]
    assert dates == sorted(dates, reverse=True)  # newest report first by default

    codes = [
        r["code"] for r in _list(server, staff, kind="case", sort="code", limit=1000)["records"]
    ]
    assert codes == sorted(codes)
    villages = [r["village"] for r in _list(server, staff, sort="village", limit=1000)["records"]]
    assert villages == sorted(villages)
    answer = server.http.get(f"{server.url}/v1/records", params={"sort": "name"}, headers=staff)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"


def test_search_finds_record_codes_only(server: LiveServer, corpus: list[Doc]) -> None:
    staff = _login(server, "sari", "staff")
    target = next(d for d in corpus if d.village == SAME_KECAMATAN and d.kind == "case")
    code = target.doc["code"]
    assert _ids(_list(server, staff, q=code.lower())) == {target.record_id}
    prefix = code[:10]  # PML-081004: every case of the village
    expected = {d.record_id for d in corpus if str(d.doc.get("code", "")).startswith(prefix)}
    assert _ids(_list(server, staff, q=prefix, limit=1000)) == expected
    assert _ids(_list(server, staff, q=target.record_id[:13])) == {target.record_id}
    # A victim's name is sealed: it finds nothing.
    name = target.doc["victims"][0]["name"]
    assert _list(server, staff, q=name)["total"] == 0
    # LIKE wildcards are plain characters.
    assert _list(server, staff, q="%")["total"] == 0


def test_filters_answer_bad_values_with_a_stable_code(server: LiveServer) -> None:
    staff = _login(server, "sari", "staff")
    for params in ({"reported_from": "17/03/2026"}, {"overdue": "maybe"}, {"limit": 0}):
        answer = server.http.get(f"{server.url}/v1/records", params=params, headers=staff)
        assert answer.status_code == 422, params
        assert answer.json()["error"] == "invalid_request"


def test_overdue_flag_follows_the_3x24_hour_police_deadline(
    server: LiveServer, device: SyntheticDevice, clock: FakeClock
) -> None:
    staff = _login(server, "sari", "staff")
    today = clock.now.astimezone(DISTRICT_TZ).date()
    long_ago = today - timedelta(days=10)
    late = device.save(
        _sexual_case(
            long_ago, [{"to": "uptd_ppa", "status": "diterima", "on": long_ago.isoformat()}]
        )
    )
    forwarded = device.save(
        _sexual_case(
            long_ago,
            [
                {"to": "uptd_ppa", "status": "diterima", "on": long_ago.isoformat()},
                {"to": "unit_ppa_polisi", "status": "diterima", "on": long_ago.isoformat()},
            ],
        )
    )
    fresh = device.save(
        _sexual_case(today, [{"to": "uptd_ppa", "status": "diterima", "on": today.isoformat()}])
    )
    not_sexual = device.save(
        {
            **_sexual_case(long_ago, [{"to": "uptd_ppa", "on": long_ago.isoformat()}]),
            "violence_types": ["fisik"],
        }
    )
    changes = [late, forwarded, fresh, not_sexual]
    assert server.district.import_bundle(device.seal(changes), via="test").status == "imported"

    def flags() -> dict[str, bool]:
        rows = _list(server, staff, limit=1000)["records"]
        return {r["record_id"]: r["overdue"] for r in rows}

    assert flags() == {
        late.record_id: True,
        forwarded.record_id: False,
        fresh.record_id: False,
        not_sexual.record_id: False,
    }
    assert _ids(_list(server, staff, overdue="true")) == {late.record_id}
    row = next(r for r in _list(server, staff)["records"] if r["record_id"] == fresh.record_id)
    assert row["police_due"] is not None

    clock.advance(days=4)  # the fresh case's 72 hours run out (and the session's 8 hours)
    staff = _sign_in(server, "sari")
    assert _ids(_list(server, staff, overdue="true")) == {late.record_id, fresh.record_id}

    # Staff record the police referral of the late case: it is no longer overdue.
    detail = server.http.get(f"{server.url}/v1/records/{late.record_id}", headers=staff).json()
    document = detail["document"]
    document["referrals"].append(
        {"to": "unit_ppa_polisi", "status": "dikirim", "on": clock.now.date().isoformat()}
    )
    answer = server.http.post(
        f"{server.url}/v1/records/{late.record_id}/followup",
        json={"document": document, "base": detail["base"]},
        headers=staff,
    )
    assert answer.status_code == 200, answer.text
    assert _ids(_list(server, staff, overdue="true")) == {fresh.record_id}


def test_needs_review_and_the_record_history(server: LiveServer, device: SyntheticDevice) -> None:
    staff = _login(server, "sari", "staff")
    first = device.new_cases(2, seed=5)
    assert server.district.import_bundle(device.seal(first), via="test").status == "imported"
    rid = first[0].record_id
    shown = server.http.get(f"{server.url}/v1/records/{rid}", headers=staff).json()
    # The village changes the status while staff change it from the version they saw.
    edit = device.edit(rid, status="selesai")
    assert server.district.import_bundle(device.seal([edit]), via="test").status == "imported"
    document = {**shown["document"], "status": "diterima_uptd"}
    answer = server.http.post(
        f"{server.url}/v1/records/{rid}/followup",
        json={"document": document, "base": shown["base"]},
        headers=staff,
    )
    assert answer.status_code == 200, answer.text
    assert "status" in answer.json()["conflicts"]
    assert _ids(_list(server, staff, needs_review="true")) == {rid}
    assert _ids(_list(server, staff, needs_review="false")) == {first[1].record_id}
    assert _list(server, staff)["records"][0]["record_id"] in {rid, first[1].record_id}

    history = server.http.get(f"{server.url}/v1/records/{rid}", headers=staff).json()["history"]
    assert [h["device_id"] for h in history] == [device.device_id, device.device_id, "district"]
    assert history[0]["author"] == device.author and "reported_on" in history[0]["paths"]
    assert history[1]["paths"] == ["status"]
    assert history[2]["author"] == "staff:sari" and history[2]["paths"] == ["status"]
    assert all(h["saved_at"] and h["received_at"] and h["change_id"] for h in history)


def test_listing_and_reading_are_audited(server: LiveServer, corpus: list[Doc]) -> None:
    staff = _login(server, "sari", "staff")
    admin = _login(server, "admin", "admin")
    _list(server, staff, violence_type="seksual", q="PML")
    rid = corpus[0].record_id
    assert server.http.get(f"{server.url}/v1/records/{rid}", headers=staff).status_code == 200
    entries = server.http.get(f"{server.url}/v1/audit", headers=admin).json()["entries"]
    mine = [e for e in entries if e["actor"] == "staff:sari"]
    assert [e["action"] for e in mine][:2] == ["view", "list"]
    assert mine[0]["record_id"] == rid
    assert "violence_type=seksual" in mine[1]["detail"] and "q=1" in mine[1]["detail"]
    assert "PML" not in mine[1]["detail"]  # the search text is not written down


def test_viewers_read_but_cannot_follow_up(server: LiveServer, corpus: list[Doc]) -> None:
    viewer = _login(server, "tamu", "viewer")
    assert _list(server, viewer, kind="case")["total"] == 90
    rid = corpus[0].record_id
    detail = server.http.get(f"{server.url}/v1/records/{rid}", headers=viewer).json()
    answer: requests.Response = server.http.post(
        f"{server.url}/v1/records/{rid}/followup",
        json={"document": detail["document"], "base": detail["base"]},
        headers=viewer,
    )
    assert answer.status_code == 403 and answer.json()["error"] == "access_denied"


def test_rows_stored_before_the_new_columns_get_them_when_the_district_opens(
    district_config: DistrictConfig, clock: FakeClock
) -> None:
    """Migration 0004 cannot open sealed documents: the district derives the report date and
    the police deadline of older rows from them the next time it opens."""
    with District.open(district_config, PASSPHRASE, now=clock) as district:
        code = district.create_enrollment(VILLAGE).code
        device = SyntheticDevice(VILLAGE)
        device.enroll_with(
            district.enroll(
                code,
                device_enc_public=device.encryption.public_bytes(),
                device_sign_public=device.signing.public_bytes(),
                device_id=device.device_id,
            )
        )
        referred = clock.now.date() - timedelta(days=9)
        uptd = {"to": "uptd_ppa", "status": "diterima", "on": referred.isoformat()}
        late = device.save(_sexual_case(referred, [uptd]))
        assert district.import_bundle(device.seal([late]), via="test").status == "imported"
        before = district.find_records(AUDITOR).records
        with district._write() as session:  # what an upgraded database holds
            session.execute(
                sa.update(RecordRow).values(reported_on=None, police_due=None, derived_rev=0)
            )
        assert district.find_records(AUDITOR, overdue=True).total == 0
    with District.open(district_config, PASSPHRASE, now=clock) as district:
        after = district.find_records(AUDITOR, overdue=True).records
    assert [(r.record_id, r.reported_on, r.police_due) for r in after] == [
        (late.record_id, referred.isoformat(), before[0].police_due)
    ]
    assert before[0].police_due is not None
