"""The district report: its numbers against an independent count, suppression, the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from district.reports import (
    HIDDEN,
    SMALL,
    Report,
    ReportPeriodError,
    Table,
    build_report,
    deadline_outcome,
)
from district.service import District
from district.testing import SyntheticDevice
from district.views import StaffView
from simpul.records import unflatten
from simpul.records.taxonomy import load_taxonomy

from .conftest import OTHER_VILLAGE, VILLAGE, LiveServer

ADMIN = StaffView(user_id=0, name="pytest", role="admin")
THIRD_VILLAGE = "33.27.01.2002"  # same kecamatan as OTHER_VILLAGE
PASSWORD = "kata sandi staf yang panjang"


@dataclass
class Loaded:
    """What the synthetic villages sent: every document, with its village."""

    docs: list[tuple[str, str, dict[str, Any]]]  # (village, kind, document)
    deleted: str


def _documents(device: SyntheticDevice) -> list[tuple[str, str, dict[str, Any]]]:
    return [(device.village, s.kind, unflatten(s.flat())) for s in device.replica.records()]


@pytest.fixture
def loaded(district: District, enrolled: Callable[..., SyntheticDevice]) -> Loaded:
    """Three villages in two kecamatan, 45 cases and 12 outreach events each, one deleted."""
    docs = []
    deleted = ""
    for seed, village in enumerate((VILLAGE, OTHER_VILLAGE, THIRD_VILLAGE), start=1):
        device = enrolled(village)
        changes = device.new_cases(45, seed=seed) + device.new_outreach(12, seed=seed)
        if seed == 1:
            deleted = changes[0].record_id
            changes.append(device.edit(deleted, _deleted=True))
        assert district.import_bundle(device.seal(changes), via="test").status == "imported"
        docs.extend(_documents(device))
    return Loaded(docs, deleted)


# --------------------------------------------------------------------------- independent count
# Written from docs/record-format.md and DOMAIN.md, not from district.reports or simpul.recap.


def _in(day: object, period: str) -> bool:
    return isinstance(day, str) and len(day) == 10 and day.startswith(period)


def _age(victim: Mapping[str, Any], reported: str) -> int | None:
    birth = victim.get("birth_date")
    if isinstance(birth, str) and birth <= reported:
        b, r = date.fromisoformat(birth), date.fromisoformat(reported)
        return r.year - b.year - ((r.month, r.day) < (b.month, b.day))
    age = victim.get("age")
    return age if isinstance(age, int) else None


def _band(age: int | None) -> str:
    if age is None:
        return "_none"
    taxonomy = load_taxonomy()
    for code in taxonomy.codes("age_band"):
        item = taxonomy.item("age_band", code)
        if item["min"] <= age and (item["max"] is None or age <= item["max"]):
            return code
    raise AssertionError(age)


def _cases(loaded: Loaded, period: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (village, doc)
        for village, kind, doc in loaded.docs
        if kind == "case" and not doc.get("_deleted") and _in(doc.get("reported_on"), period)
    ]


def _outreach(loaded: Loaded, period: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (village, doc)
        for village, kind, doc in loaded.docs
        if kind == "outreach" and not doc.get("_deleted") and _in(doc.get("held_on"), period)
    ]


def _ints(table: Table, code: str) -> dict[str, Any]:
    return dict(zip([c.key for c in table.columns], table.row(code).cells, strict=True))


def _busiest_month(loaded: Loaded) -> str:
    months = Counter(
        doc["reported_on"][:7]
        for _, kind, doc in loaded.docs
        if kind == "case" and not doc.get("_deleted")
    )
    return months.most_common(1)[0][0]


# --------------------------------------------------------------------------- tests


def test_the_year_report_agrees_with_an_independent_count(
    district: District, loaded: Loaded
) -> None:
    report = build_report(district, ADMIN, "2026")
    cases = _cases(loaded, "2026")
    assert report.cases == len(cases) > 20
    summary = report.table("summary")
    for village in (VILLAGE, OTHER_VILLAGE, THIRD_VILLAGE):
        mine = [doc for v, doc in cases if v == village]
        row = _ints(summary, village)
        assert row["cases"] == len(mine)
        assert row["victims"] == sum(len(doc["victims"]) for doc in mine)
        assert row["tppo_cases"] == sum("trafficking" in doc["violence_types"] for doc in mine)
        events = [doc for v, doc in _outreach(loaded, "2026") if v == village]
        assert row["events"] == len(events)
        assert row["participants"] == sum(sum(d["participants"].values()) for d in events) - sum(
            d["participants"].get("with_disability", 0) for d in events
        )
    # the kecamatan row adds up its two villages, the district row everything
    kec = _ints(summary, "33.27.01")
    assert kec["cases"] == len([1 for v, _ in cases if v in (OTHER_VILLAGE, THIRD_VILLAGE)])
    assert _ints(summary, "33.27")["cases"] == len(cases)

    by_type: Counter[str] = Counter()
    by_sex_age: Counter[str] = Counter()
    grid: Counter[tuple[str, str]] = Counter()
    places: Counter[str] = Counter()
    relations: Counter[str] = Counter()
    services: Counter[str] = Counter()
    referrals: Counter[str] = Counter()
    taxonomy = load_taxonomy()
    simfoni = {c: taxonomy.simfoni("relationship", c) for c in taxonomy.codes("relationship")}
    for _, doc in cases:
        places[doc.get("place", "not_recorded")] += 1
        for victim in doc["victims"]:
            key = (
                f"{victim['sex']}:{_band(_age(victim, doc['reported_on']))}"
                if victim.get("sex") in ("L", "P")
                else "unknown_sex"
            )
            by_sex_age[key] += 1
            for vtype in victim.get("violence_types") or doc["violence_types"]:
                by_type[vtype] += 1
                grid[(vtype, key)] += 1
        for perp in doc.get("perpetrators", []):
            for code in perp.get("relationships", {}).values():
                relations[simfoni[code]] += 1
        services.update(s["type"] for s in doc.get("services", []))
        referrals.update(r["to"] for r in doc.get("referrals", []))
    district_row = "33.27"
    for vtype, n in by_type.items():
        assert report.table("victims_by_type").cell(district_row, vtype) == n
    for key, n in by_sex_age.items():
        assert report.table("victims_by_sex_age").cell(district_row, key) == n
    for (vtype, key), n in grid.items():
        assert report.table("type_sex_age").cell(vtype, key) == n
    assert report.table("type_sex_age").cell("all", "total") == sum(by_sex_age.values())
    for place, n in places.items():
        assert report.table("place").cell(district_row, place) == n
    for group, n in relations.items():
        assert report.table("relationship").cell(district_row, group) == n
    for code, n in services.items():
        assert report.table("services").cell(district_row, code) == n
    for code, n in referrals.items():
        assert report.table("referrals").cell(district_row, code) == n
    assert report.table("referrals").cell(district_row, "total") == sum(referrals.values())

    topics: Counter[str] = Counter()
    participants: Counter[str] = Counter()
    for _, doc in _outreach(loaded, "2026"):
        topics.update(set(doc.get("topics", [])))
        participants.update(doc["participants"])
    for topic, n in topics.items():
        assert report.table("outreach_topics").cell(district_row, topic) == n
    for cell in ("female_child", "female_adult", "male_child", "male_adult"):
        assert report.table("outreach").cell(district_row, cell) == participants[cell]

    tppo = [doc for _, doc in cases if "trafficking" in doc["violence_types"]]
    assert report.table("tppo").cell(district_row, "cases") == len(tppo)
    indicators = report.table("tppo_indicators")
    for code in ("calo_desa", "dokumen_ditahan"):
        answers = Counter(doc["tppo"].get("indicators", {}).get(code, "_none") for doc in tppo)
        for answer, n in answers.items():
            assert indicators.cell(code, answer) == n


def test_a_month_report_and_deleted_records(district: District, loaded: Loaded) -> None:
    month = _busiest_month(loaded)
    report = build_report(district, ADMIN, month)
    assert report.period == month and report.cases == len(_cases(loaded, month)) > 0
    gone = next(doc for _, _, doc in loaded.docs if doc.get("_deleted"))
    assert gone["_deleted"] is True
    # the deleted case is in no period: every year adds up to the live cases only
    live = [d for _, k, d in loaded.docs if k == "case" and not d.get("_deleted")]
    years = {d["reported_on"][:4] for d in live}
    assert sum(build_report(district, ADMIN, y).cases for y in years) == len(live)


def test_labels_follow_the_language(district: District, loaded: Loaded) -> None:
    report = build_report(district, ADMIN, "2026", lang="en")
    place = report.table("place")
    assert place.title == "Cases by place of incident"
    assert place.columns[0].label == "Household"
    assert place.rows[-1].label == "Pemalang District"
    indonesian = build_report(district, ADMIN, "2026")
    assert indonesian.table("place").columns[0].label == "Rumah Tangga"
    assert indonesian.period_label == "Tahun 2026" and report.period_label == "Year 2026"
    assert build_report(district, ADMIN, "2026-03").period_label == "Maret 2026"


def test_a_bad_period_is_refused(district: District) -> None:
    for bad in ("2026-13", "26-10", "2026/10", "oktober"):
        with pytest.raises(ReportPeriodError) as caught:
            build_report(district, ADMIN, bad)
        assert caught.value.code == "report_bad_period"


def test_the_report_read_is_audited(district: District, loaded: Loaded) -> None:
    build_report(district, ADMIN, "2026-10", share=True, actor="cli:sari")
    [entry] = [e for e in district.audit_log(ADMIN) if e.action == "report"]
    assert entry.actor == "cli:sari" and "period=2026-10 share=1" in (entry.detail or "")


# --------------------------------------------------------------------------- the deadline


def _sexual_case(**extra: Any) -> dict[str, Any]:
    return {"violence_types": ["seksual"], "referrals": [], **extra}


def _ref(to: str, on: str, status: str = "diterima") -> dict[str, str]:
    return {"to": to, "on": on, "status": status}


def test_the_3x24_hour_rule() -> None:
    now = datetime(2026, 10, 20, 12, 0)
    uptd = _ref("uptd_ppa", "2026-10-01")
    assert deadline_outcome({"violence_types": ["fisik"], "referrals": [uptd]}, now) is None
    assert deadline_outcome(_sexual_case(), now) is None  # not referred to UPTD PPA
    met = _sexual_case(referrals=[uptd, _ref("unit_ppa_polisi", "2026-10-04")])
    late = _sexual_case(referrals=[uptd, _ref("unit_ppa_polisi", "2026-10-05")])
    assert deadline_outcome(met, now) == "met" and deadline_outcome(late, now) == "late"
    refused = _sexual_case(referrals=[uptd, _ref("unit_ppa_polisi", "2026-10-02", "ditolak")])
    assert deadline_outcome(refused, now) == "overdue"
    assert deadline_outcome(refused, datetime(2026, 10, 3, 23, 0)) == "pending"
    undated = _sexual_case(referrals=[uptd], legal_status="lapor_polisi")
    assert deadline_outcome(undated, now) == "undated"


def test_deadline_counts_in_the_report(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    device = enrolled(VILLAGE)
    victim = {"sex": "P", "age": 15}
    base = {"kind": "case", "reported_on": "2026-10-01", "victims": [victim]}
    docs = [
        {**base, **_sexual_case(referrals=[_ref("uptd_ppa", "2026-10-01"), _ref(p, d)])}
        for p, d in (("unit_ppa_polisi", "2026-10-02"), ("unit_ppa_polisi", "2026-10-09"))
    ]
    docs.append({**base, **_sexual_case(referrals=[_ref("uptd_ppa", "2026-10-01")])})
    district.import_bundle(device.seal([device.save(d) for d in docs]), via="test")
    when = datetime(2026, 10, 30, tzinfo=UTC)
    report = build_report(district, ADMIN, "2026-10", now=when)
    row = _ints(report.table("deadline"), "33.27")
    assert (row["applies"], row["met"], row["late"], row["overdue"]) == (3, 1, 1, 1)


# --------------------------------------------------------------------------- suppression


def _simple_case(day: str) -> dict[str, Any]:
    return {
        "kind": "case",
        "reported_on": day,
        "violence_types": ["fisik"],
        "place": "rumah_tangga",
        "victims": [{"sex": "P", "age": 30}],
    }


@pytest.fixture
def small_villages(district: District, enrolled: Callable[..., SyntheticDevice]) -> None:
    """Kecamatan 33.27.01: villages with 1, 2 and 5 cases in October 2026."""
    for village, n in ((OTHER_VILLAGE, 1), (THIRD_VILLAGE, 2), ("33.27.01.2003", 5)):
        device = enrolled(village)
        changes = [device.save(_simple_case(f"2026-10-{i + 1:02d}")) for i in range(n)]
        assert district.import_bundle(device.seal(changes), via="test").status == "imported"


def recoverable(report: Report) -> list[str]:
    """Cells of ``<3`` a reader could work out from the totals the report shows."""
    found = []
    for table in report.tables:
        keys = [c.key for c in table.columns]
        totals = [i for i, c in enumerate(table.columns) if c.total]
        kecamatan: list[tuple[str, list[list[Any]]]] = []
        for row in table.rows:
            if row.level == "kecamatan":
                kecamatan.append((row.code, [list(row.cells)]))
            elif row.level == "village":
                kecamatan[-1][1].append(list(row.cells))
                if SMALL in row.cells and any(isinstance(row.cells[i], int) for i in totals):
                    found.append(f"{table.key}/{row.code}: row total shown")
        for code, (kec, *villages) in kecamatan:
            for i, key in enumerate(keys):
                hidden = [v[i] for v in villages if not isinstance(v[i], int)]
                if SMALL not in hidden or not isinstance(kec[i], int):
                    continue
                if len(hidden) < 2 or HIDDEN not in hidden:
                    found.append(f"{table.key}/{code}/{key}")
    return found


def test_small_village_counts_are_suppressed_when_shared(
    district: District, small_villages: None
) -> None:
    open_report = build_report(district, ADMIN, "2026-10")
    shared = build_report(district, ADMIN, "2026-10", share=True)
    place = shared.table("place")
    assert open_report.table("place").cell(OTHER_VILLAGE, "rumah_tangga") == 1
    assert place.cell(OTHER_VILLAGE, "rumah_tangga") == SMALL
    assert place.cell(THIRD_VILLAGE, "rumah_tangga") == SMALL
    assert place.cell("33.27.01.2003", "rumah_tangga") == HIDDEN  # the complementary cell
    assert place.cell("33.27.01", "rumah_tangga") == 8  # the kecamatan total stays
    for village in (OTHER_VILLAGE, THIRD_VILLAGE, "33.27.01.2003"):
        assert place.cell(village, "total") == HIDDEN
        assert set(shared.table("summary").row(village).cells) == {HIDDEN}
    assert recoverable(shared) == []
    assert SMALL not in str(open_report.to_json())


def test_suppression_holds_on_synthetic_villages(district: District, loaded: Loaded) -> None:
    shared = build_report(district, ADMIN, _busiest_month(loaded), share=True)
    assert any(SMALL in row.cells for t in shared.tables for row in t.rows)
    assert recoverable(shared) == []
    # district-wide tables and kecamatan rows are never suppressed
    assert all(isinstance(v, int) for r in shared.table("type_sex_age").rows for v in r.cells)


# --------------------------------------------------------------------------- the API


@pytest.fixture
def live(server: LiveServer, loaded: Loaded) -> Iterator[LiveServer]:
    yield server


def test_the_api_answers_a_viewer_and_refuses_without_a_token(live: LiveServer) -> None:
    live.district.add_user("wulan", "viewer", PASSWORD)
    token = live.http.post(
        f"{live.url}/v1/staff/login", json={"name": "wulan", "password": PASSWORD}
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    answer = live.http.get(f"{live.url}/v1/reports", params={"period": "2026"}, headers=auth)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    direct = build_report(live.district, ADMIN, "2026")
    assert body["cases"] == direct.cases and body["period_label"] == "Tahun 2026"
    assert [t["key"] for t in body["tables"]] == [t.key for t in direct.tables]
    shared = live.http.get(
        f"{live.url}/v1/reports", params={"period": "2026", "share": "true"}, headers=auth
    ).json()
    assert shared["share"] is True
    entries = [e for e in live.district.audit_log(ADMIN) if e.action == "report"]
    assert {e.actor for e in entries} >= {"staff:wulan"}

    refused = live.http.get(f"{live.url}/v1/reports", params={"period": "2026"})
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    bad = live.http.get(f"{live.url}/v1/reports", params={"period": "2026-13"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"] == "report_bad_period"

    export = live.http.get(
        f"{live.url}/v1/reports/export",
        params={"period": "2026", "format": "xlsx"},
        headers=auth,
    )
    assert export.status_code == 200
    assert export.content[:2] == b"PK"  # a zip: the XLSX container
    assert 'filename="rekap-2026.xlsx"' in export.headers["content-disposition"]
