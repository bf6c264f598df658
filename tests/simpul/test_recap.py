"""Tests of the recap counts: against a count written differently over synthetic data, and on
hand-made cases (two victims, unknown age, other periods, deleted records)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from typing import Any

import pytest

from simpul.errors import Error
from simpul.recap import (
    CaseRecap,
    Participants,
    Period,
    PeriodError,
    VictimTally,
    band_is_child,
    recap_cases,
    recap_outreach,
)
from simpul.synthetic import generate_cases, generate_outreach

TODAY = date(2026, 11, 30)
VILLAGE = "33.27.08.2012"

# SIMFONI age bands written out here rather than read from the taxonomy
BANDS = [(0, 5, "0_5"), (6, 12, "6_12"), (13, 17, "13_17"), (18, 24, "18_24")]
BANDS += [(25, 44, "25_44"), (45, 59, "45_59"), (60, 999, "60_plus")]


# --------------------------------------------------------------------- an independent count


def independent_age(victim: dict[str, Any], reported: str) -> int | None:
    """Completed years on the report date, from the birth date when usable, else ``age``."""
    birth = victim.get("birth_date")
    if birth and birth <= reported:
        by, bm, bd = (int(p) for p in birth.split("-"))
        ry, rm, rd = (int(p) for p in reported.split("-"))
        return ry - by - (1 if (rm, rd) < (bm, bd) else 0)
    age = victim.get("age")
    return age if isinstance(age, int) else None


def victim_rows(docs: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """One row per (case, victim) reported in the period: sex, group, band, types."""
    rows = []
    for n, doc in enumerate(docs):
        if doc.get("_deleted") or not doc["reported_on"].startswith(prefix):
            continue
        for victim in doc["victims"]:
            age = independent_age(victim, doc["reported_on"])
            band = None if age is None else next(b for lo, hi, b in BANDS if lo <= age <= hi)
            sex = {"P": "female", "L": "male"}.get(victim.get("sex", ""))
            if sex is None or age is None:
                group = "unknown"
            else:
                group = sex + ("_child" if age < 18 else "_adult")
            rows.append(
                {
                    "case": n,
                    "sex": victim.get("sex"),
                    "band": band,
                    "group": group,
                    "types": victim.get("violence_types") or doc["violence_types"],
                    "case_types": doc["violence_types"],
                }
            )
    return rows


def expected_tally(rows: list[dict[str, Any]]) -> VictimTally:
    groups = Counter(row["group"] for row in rows)
    return VictimTally(
        female_child=groups["female_child"],
        female_adult=groups["female_adult"],
        male_child=groups["male_child"],
        male_adult=groups["male_adult"],
        unknown=groups["unknown"],
    )


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return generate_cases(1500, seed=7, village=VILLAGE, today=TODAY)


@pytest.mark.parametrize("period", ["2026-11", "2026-02", "2026", "2025", "2024-12"])
def test_synthetic_counts_agree_with_an_independent_count(
    cases: list[dict[str, Any]], period: str
) -> None:
    recap = recap_cases(cases, period)
    rows = victim_rows(cases, period)
    assert rows, "the synthetic data should reach into every period tested"
    assert recap.cases == len({row["case"] for row in rows})
    assert recap.victims == len(rows)
    assert recap.tally() == expected_tally(rows)
    assert recap.tally().total == len(rows)
    for violence_type in recap.violence_types:
        of_type = [row for row in rows if violence_type in row["types"]]
        assert recap.tally(violence_type) == expected_tally(of_type), violence_type
        cases_of_type = {r["case"] for r in rows if violence_type in r["case_types"] + r["types"]}
        assert recap.cases_by_type.get(violence_type, 0) == len(cases_of_type)
    triples = Counter((t, row["sex"], row["band"]) for row in rows for t in set(row["types"]))
    assert dict(recap.by_type) == dict(triples)


def test_the_synthetic_month_has_every_sex_and_both_age_groups(
    cases: list[dict[str, Any]],
) -> None:
    tally = recap_cases(cases, "2026-11").tally()
    assert min(tally.female_child, tally.female_adult, tally.male_child, tally.male_adult) > 0


def test_a_year_holds_its_months(cases: list[dict[str, Any]]) -> None:
    year = recap_cases(cases, Period(2026))
    months = [recap_cases(cases, Period(2026, m)) for m in range(1, 13)]
    assert year.cases == sum(m.cases for m in months)
    assert year.victims == sum(m.victims for m in months)
    for violence_type in year.violence_types:
        assert year.tally(violence_type).total == sum(m.tally(violence_type).total for m in months)


def test_5000_cases_are_counted_quickly() -> None:
    docs = generate_cases(5000, seed=3, village=VILLAGE, today=TODAY)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        recap = recap_cases(docs, "2026")
        best = min(best, time.perf_counter() - started)
    assert recap.cases > 2000
    assert best < 0.25  # ~30 ms on the development laptop; room for a loaded test machine


# --------------------------------------------------------------------- hand-made cases


def case(reported_on: str, victims: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "kind": "case",
        "reported_on": reported_on,
        "violence_types": ["fisik"],
        "victims": victims,
        **fields,
    }


GIRL = {"id": "v1aaaaaaaa", "sex": "P", "age": 10}
MAN = {"id": "v2aaaaaaaa", "sex": "L", "birth_date": "1990-06-01"}


def test_a_case_with_two_victims_of_different_sex() -> None:
    recap = recap_cases([case("2026-11-03", [GIRL, MAN])], "2026-11")
    assert (recap.cases, recap.victims) == (1, 2)
    assert recap.tally("fisik") == VictimTally(female_child=1, male_adult=1)
    assert recap.tally() == VictimTally(female_child=1, male_adult=1)
    assert recap.by_type == {("fisik", "P", "6_12"): 1, ("fisik", "L", "25_44"): 1}
    assert recap.tally("psikis") == VictimTally()


def test_the_age_is_taken_on_the_report_date() -> None:
    turning_18 = {"id": "v3aaaaaaaa", "sex": "P", "birth_date": "2008-11-20"}
    before = recap_cases([case("2026-11-19", [turning_18])], "2026-11")
    on_birthday = recap_cases([case("2026-11-20", [turning_18])], "2026-11")
    assert before.tally() == VictimTally(female_child=1)
    assert on_birthday.tally() == VictimTally(female_adult=1)


def test_a_victim_with_unknown_age_or_sex_is_counted_as_unknown() -> None:
    no_age = {"id": "v4aaaaaaaa", "sex": "P"}
    no_sex = {"id": "v5aaaaaaaa", "age": 30}
    recap = recap_cases([case("2026-11-03", [GIRL, no_age, no_sex])], "2026-11")
    assert recap.victims == 3
    assert recap.tally("fisik") == VictimTally(female_child=1, unknown=2)
    assert recap.tally("fisik").total == 3
    assert recap.by_type[("fisik", "P", None)] == 1
    assert recap.by_type[("fisik", None, "25_44")] == 1


def test_victims_own_violence_types_replace_the_cases() -> None:
    own = {**MAN, "violence_types": ["eksploitasi", "trafficking"]}
    doc = case("2026-11-03", [GIRL, own], violence_types=["fisik", "eksploitasi", "trafficking"])
    recap = recap_cases([doc], "2026")
    assert recap.tally("fisik") == VictimTally(female_child=1)
    assert recap.tally("eksploitasi") == VictimTally(female_child=1, male_adult=1)
    assert recap.tally("trafficking") == VictimTally(female_child=1, male_adult=1)
    # each victim once in the totals, though the man is counted under two types
    assert recap.tally() == VictimTally(female_child=1, male_adult=1)
    assert recap.cases_by_type == {"fisik": 1, "eksploitasi": 1, "trafficking": 1}


def test_cases_outside_the_period_are_left_out() -> None:
    docs = [
        case("2026-11-30", [GIRL]),
        case("2026-10-31", [GIRL]),  # previous month, same year
        case("2025-11-15", [MAN]),  # same month, previous year
        case("2027-01-01", [MAN]),
    ]
    assert recap_cases(docs, "2026-11").cases == 1
    assert recap_cases(docs, "2026").cases == 2
    assert recap_cases(docs, "2025").tally() == VictimTally(male_adult=1)
    assert recap_cases(docs, "2026-12").cases == 0


def test_the_report_date_decides_not_the_incident_date() -> None:
    doc = case("2026-11-02", [GIRL], incident_on="2026-10-20")
    assert recap_cases([doc], "2026-11").cases == 1
    assert recap_cases([doc], "2026-10").cases == 0


def test_deleted_records_and_removed_victims_are_not_counted() -> None:
    removed = {"id": "v6aaaaaaaa", "sex": "L", "age": 40, "_deleted": True}
    docs = [
        case("2026-11-03", [GIRL, removed]),
        case("2026-11-04", [MAN], _deleted=True),
    ]
    recap = recap_cases(docs, "2026-11")
    assert (recap.cases, recap.victims) == (1, 1)
    assert recap.tally() == VictimTally(female_child=1)


def test_records_of_another_kind_or_without_a_usable_date_are_skipped() -> None:
    docs: list[dict[str, Any]] = [
        {**case("2026-11-03", [GIRL]), "kind": "outreach"},
        case("2026-11-99", [GIRL]),
        {"kind": "case", "violence_types": ["fisik"], "victims": [GIRL]},
        case("2026-11-05", [GIRL]),
    ]
    assert recap_cases(docs, "2026-11").cases == 1


def test_an_empty_recap_still_lists_every_violence_type() -> None:
    recap = recap_cases([], "2026-11")
    assert recap == CaseRecap(Period(2026, 11))
    assert recap.violence_types[:3] == ("fisik", "psikis", "seksual")
    assert len(recap.violence_types) == 7
    assert recap.tally() == VictimTally() and recap.tally().total == 0


def test_a_code_from_a_newer_taxonomy_is_counted_after_the_known_ones() -> None:
    recap = recap_cases([case("2026-11-03", [GIRL], violence_types=["siber"])], "2026-11")
    assert recap.violence_types[-1] == "siber"
    assert recap.tally("siber") == VictimTally(female_child=1)


# --------------------------------------------------------------------- periods


def test_periods() -> None:
    assert Period.parse("2026-11") == Period(2026, 11)
    assert Period.parse("2026") == Period(2026)
    assert str(Period(2026, 3)) == "2026-03" and Period(2026).key == "2026"
    assert Period.month_of(date(2026, 3, 9)) == Period(2026, 3)
    assert Period.year_of(date(2026, 3, 9)) == Period(2026)
    assert Period(2026).contains(date(2026, 12, 31))
    assert not Period(2026, 11).contains(date(2025, 11, 1))


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26", "2026-11-01", "", "tahun ini"])
def test_a_bad_period_is_refused(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        Period.parse(text)
    assert isinstance(info.value, Error) and isinstance(info.value, ValueError)


def test_child_bands() -> None:
    assert [band_is_child(b) for b in ("0_5", "6_12", "13_17", "18_24", "60_plus")] == [
        True,
        True,
        True,
        False,
        False,
    ]


# --------------------------------------------------------------------- outreach


def activity(held_on: str, **participants: Any) -> dict[str, Any]:
    return {"kind": "outreach", "held_on": held_on, "participants": participants}


def test_outreach_participants_are_summed_by_sex_and_age() -> None:
    docs = [
        activity("2026-11-02", female_child=3, female_adult=10, male_child=2, male_adult=4),
        activity("2026-11-20", female_adult=5, male_adult=1, with_disability=2),
        activity("2026-10-31", female_adult=99),  # previous month
        {**activity("2026-11-21", male_adult=50), "_deleted": True},
        activity("2026-11-22", male_adult=-3, female_child="7", male_child=True),  # invalid
    ]
    recap = recap_outreach(docs, "2026-11")
    assert recap.events == 3
    assert recap.participants == Participants(
        female_child=3, female_adult=15, male_child=2, male_adult=5, with_disability=2
    )
    p = recap.participants
    assert (p.female, p.male, p.child, p.adult, p.total) == (18, 7, 5, 20, 25)
    assert recap_outreach(docs, "2026").events == 4


def test_synthetic_outreach_agrees_with_an_independent_sum() -> None:
    docs = generate_outreach(200, seed=4, village=VILLAGE, today=TODAY)
    for period in ("2026-11", "2026", "2025"):
        held = [d for d in docs if d["held_on"][: len(period)] == period]
        recap = recap_outreach(docs, period)
        assert recap.events == len(held) > 0
        for cell in ("female_child", "female_adult", "male_child", "male_adult"):
            expected = sum(d.get("participants", {}).get(cell, 0) for d in held)
            assert getattr(recap.participants, cell) == expected, cell
