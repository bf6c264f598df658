"""Tests for the synthetic generator: reproducible, varied, valid, and never real people."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from simpul.records.derived import age_on, victim_age
from simpul.records.taxonomy import load_taxonomy
from simpul.records.validation import validate
from simpul.records.wilayah import UnknownVillageError, load_regions
from simpul.synthetic import (
    DEFAULT_TODAY,
    generate_cases,
    generate_outreach,
    make_template,
)

SEEDS = (1, 2, 3)
PROFILE_VILLAGE = "33.27.08.2012"

# Well-known real Indonesians; a synthetic name must never be one of them.
FAMOUS_PEOPLE = (
    "Joko Widodo",
    "Sri Mulyani",
    "Susilo Bambang Yudhoyono",
    "Megawati Soekarnoputri",
    "Prabowo Subianto",
    "Ganjar Pranowo",
    "Tri Rismaharini",
    "Retno Marsudi",
    "Susi Pudjiastuti",
    "Eko Patrio",
    "Siti Nurbaya",
    "Dewi Sartika",
    "Slamet Riyadi",
    "Ahmad Dahlan",
    "Bambang Pamungkas",
    "Agus Salim",
)

REL_SEX = {
    "ayah_kandung": "L",
    "ayah_tiri": "L",
    "ibu_kandung": "P",
    "ibu_tiri": "P",
    "kakek": "L",
    "nenek": "P",
    "paman": "L",
    "bibi": "P",
    "suami": "L",
    "istri": "P",
    "mantan_suami": "L",
    "mantan_istri": "P",
}


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return [doc for seed in SEEDS for doc in generate_cases(100, seed=seed)]


@pytest.fixture(scope="module")
def outreach() -> list[dict[str, Any]]:
    return [doc for seed in SEEDS for doc in generate_outreach(34, seed=seed)]


def _people_names(doc: dict[str, Any]) -> Iterator[str]:
    for item in doc.get("victims", []) + doc.get("perpetrators", []):
        if "name" in item:
            yield item["name"]
    reporter = doc.get("reporter") or {}
    if "name" in reporter:
        yield reporter["name"]
    if "facilitator" in doc:
        yield doc["facilitator"].split(" (")[0]


def _dump(docs: list[dict[str, Any]]) -> str:
    return json.dumps(docs, sort_keys=True, ensure_ascii=False)


# --------------------------------------------------------------------------- reproducibility


def test_same_seed_gives_identical_documents() -> None:
    assert _dump(generate_cases(40, seed=7)) == _dump(generate_cases(40, seed=7))
    assert _dump(generate_outreach(20, seed=7)) == _dump(generate_outreach(20, seed=7))
    assert make_template("case", seed=4) == make_template("case", seed=4)


def test_different_seeds_give_different_documents() -> None:
    assert _dump(generate_cases(20, seed=1)) != _dump(generate_cases(20, seed=2))
    assert _dump(generate_outreach(10, seed=1)) != _dump(generate_outreach(10, seed=2))
    assert make_template("outreach", seed=1) != make_template("outreach", seed=2)


def test_today_moves_every_date() -> None:
    today = date(2025, 3, 15)
    for doc in generate_cases(100, seed=5, today=today):
        assert doc["reported_on"] <= today.isoformat()
        assert validate(doc, today=today) == []
    for doc in generate_outreach(30, seed=5, today=today):
        assert doc["held_on"] <= today.isoformat()
        assert validate(doc, today=today) == []


def test_a_prefix_of_a_batch_is_the_smaller_batch() -> None:
    assert _dump(generate_cases(50, seed=3)[:10]) == _dump(generate_cases(10, seed=3))


def test_zero_and_negative_counts() -> None:
    assert generate_cases(0) == []
    assert generate_outreach(0) == []
    with pytest.raises(ValueError):
        generate_cases(-1)
    with pytest.raises(ValueError):
        generate_outreach(-1)


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize("seed", SEEDS)
def test_every_case_validates(seed: int) -> None:
    for doc in generate_cases(100, seed=seed):
        assert doc["kind"] == "case"
        assert "id" not in doc and "code" not in doc
        assert validate(doc, today=DEFAULT_TODAY) == [], doc


@pytest.mark.parametrize("seed", SEEDS)
def test_every_outreach_validates(seed: int) -> None:
    for doc in generate_outreach(34, seed=seed):
        assert doc["kind"] == "outreach"
        assert validate(doc, today=DEFAULT_TODAY) == [], doc


def test_documents_with_a_profile_village_validate() -> None:
    docs = generate_cases(60, seed=9, village=PROFILE_VILLAGE) + generate_outreach(
        20, seed=9, village=PROFILE_VILLAGE
    )
    for doc in docs:
        assert validate(doc, today=DEFAULT_TODAY) == [], doc


@pytest.mark.parametrize("seed", range(8))
def test_templates_validate(seed: int) -> None:
    case = make_template("case", seed=seed)
    assert validate(case, today=DEFAULT_TODAY) == []
    assert case["victims"] and case["perpetrators"] and case["services"] and case["consent"]
    outreach = make_template("outreach", seed=seed)
    assert validate(outreach, today=DEFAULT_TODAY) == []
    assert "village" not in case and "village" not in outreach  # the saving profile's village
    assert outreach["linked_cases"] == []


def test_template_of_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown record kind"):
        make_template("kasus")


def test_documents_are_json(cases: list[dict[str, Any]], outreach: list[dict[str, Any]]) -> None:
    docs = cases + outreach
    assert json.loads(json.dumps(docs)) == docs


# --------------------------------------------------------------------------- case content


def test_all_violence_types_appear_in_200_cases() -> None:
    seen = {code for doc in generate_cases(200, seed=11) for code in doc["violence_types"]}
    assert seen == set(load_taxonomy().codes("violence_type"))


def test_tppo_cases_have_elements(cases: list[dict[str, Any]]) -> None:
    tppo_cases = [doc for doc in cases if "trafficking" in doc["violence_types"]]
    assert len(tppo_cases) >= 30
    for doc in tppo_cases:
        tppo = doc["tppo"]
        assert tppo["process"] and tppo["purpose"]
        adults = [v for v in doc["victims"] if _age(doc, v) >= 18]
        if adults:
            assert tppo["means"]  # only a child victim needs no means (UU 21/2007)
        assert set(tppo["indicators"].values()) <= {"ya", "tidak", "tidak_tahu"}
        assert tppo["destination"] and tppo["work_sector"] and tppo["recruiter_type"]
        if tppo.get("returned_on"):
            assert tppo["departed_on"] <= tppo["returned_on"]
    assert all("tppo" not in doc for doc in cases if "trafficking" not in doc["violence_types"])


def test_tppo_variety(cases: list[dict[str, Any]]) -> None:
    tppo = [doc for doc in cases if "tppo" in doc]
    destinations = {doc["tppo"]["destination"] for doc in tppo}
    assert {"Taiwan", "Malaysia", "Kamboja"} & destinations
    assert any(doc["tppo"]["destination_domestic"] for doc in tppo)
    purposes = {p for doc in tppo for p in doc["tppo"]["purpose"]}
    assert "kerja_paksa_abk" in purposes
    # Adult men on fishing vessels: Pemalang's typical TPPO victims.
    assert any(
        "kerja_paksa_abk" in doc["tppo"]["purpose"]
        and any(v["sex"] == "L" and _age(doc, v) >= 18 for v in doc["victims"])
        for doc in tppo
    )
    indicators = Counter(v for doc in tppo for v in doc["tppo"]["indicators"].values())
    assert set(indicators) == {"ya", "tidak", "tidak_tahu"}


def _age(doc: dict[str, Any], person: dict[str, Any]) -> int:
    age = victim_age(person, on=date.fromisoformat(doc["reported_on"]))
    assert age is not None
    return age


def test_victims_and_perpetrators(cases: list[dict[str, Any]]) -> None:
    ages: list[int] = []
    by_birth_date = by_age = estimated = 0
    for doc in cases:
        victims, perps = doc["victims"], doc["perpetrators"]
        assert 1 <= len(victims) <= 3
        assert 1 <= len(perps) <= 2
        victim_ids = {v["id"] for v in victims}
        for v in victims:
            ages.append(_age(doc, v))
            if "birth_date" in v:
                by_birth_date += 1
            else:
                by_age += 1
                estimated += v["age_estimated"]
        for p in perps:
            assert set(p["relationships"]) == victim_ids
            for rel in p["relationships"].values():
                assert REL_SEX.get(rel, p["sex"]) == p["sex"], (rel, p)
            assert p["child"] == (p["age"] < 18)
    assert min(ages) <= 4 and max(ages) >= 60
    assert 2 <= min(ages) and max(ages) <= 70
    assert any(a < 18 for a in ages) and any(a >= 18 for a in ages)
    assert by_birth_date and by_age and estimated


def test_nik_matches_birth_date_and_sex(cases: list[dict[str, Any]]) -> None:
    checked = 0
    for doc in cases:
        for v in doc["victims"]:
            if "nik" not in v:
                continue
            nik, birth = v["nik"], date.fromisoformat(v["birth_date"])
            assert re.fullmatch(r"3327\d{12}", nik)
            day = int(nik[6:8]) - (40 if v["sex"] == "P" else 0)
            assert (day, int(nik[8:10]), int(nik[10:12])) == (
                birth.day,
                birth.month,
                birth.year % 100,
            )
            assert nik[4:6] == v["domicile_village"].split(".")[2]
            checked += 1
    assert checked > 20


def test_child_victims_never_consent_for_themselves(cases: list[dict[str, Any]]) -> None:
    with_children = 0
    for doc in cases:
        consent = doc["consent"]
        if any(_age(doc, v) < 18 for v in doc["victims"]):
            with_children += 1
            assert consent["given_by"] in ("orang_tua_wali", "lembaga"), consent
        if consent["given_by"] in ("lembaga", "dasar_hukum_lain"):
            assert consent["justification"].strip()
        if "withdrawn_on" in consent:
            assert consent["on"] <= consent["withdrawn_on"]
    assert with_children > 50


def test_dates_are_ordered_and_not_in_the_future(cases: list[dict[str, Any]]) -> None:
    today = DEFAULT_TODAY.isoformat()
    for doc in cases:
        reported = doc["reported_on"]
        assert doc["incident_on"] <= reported <= today
        for item in doc["services"] + doc.get("referrals", []):
            assert reported <= item["on"] <= today
        assert reported <= doc["consent"]["on"] <= today
        for v in doc["victims"]:
            if "birth_date" in v:
                birth = date.fromisoformat(v["birth_date"])
                assert age_on(birth, date.fromisoformat(reported)) == _age(doc, v)


def test_no_mediation_for_sexual_violence(cases: list[dict[str, Any]]) -> None:
    outcomes = Counter(doc.get("outcome") for doc in cases)
    assert outcomes["mediasi"] > 0
    for doc in cases:
        if "seksual" in doc["violence_types"] or doc.get("tpks_types"):
            assert doc.get("outcome") != "mediasi"


def test_case_lists_are_covered(cases: list[dict[str, Any]]) -> None:
    taxonomy = load_taxonomy()
    assert {d["status"] for d in cases} == set(taxonomy.codes("case_status"))
    assert {d["channel"] for d in cases} == set(taxonomy.codes("report_channel"))
    assert {d["place"] for d in cases} == set(taxonomy.codes("place"))
    assert {s["type"] for d in cases for s in d["services"]} == set(taxonomy.codes("service_type"))
    assert {d["consent"]["given_by"] for d in cases} == set(taxonomy.codes("consent_by"))
    legal = {d.get("legal_status") for d in cases}
    assert {"tidak_dilaporkan", "lapor_polisi", "penyidikan", "putusan"} <= legal


def test_narratives_are_indonesian_prose(cases: list[dict[str, Any]]) -> None:
    for doc in cases:
        text = doc["narrative"]
        assert 3 <= text.count(". ") + 1 <= 14
        assert "korban" in text
        assert "{" not in text and "}" not in text
        for v in doc["victims"]:
            if len(v.get("name", "").split()) > 1:
                assert v["name"] not in text  # kronologi names no one


# --------------------------------------------------------------------------- villages


def test_village_parameter_is_respected() -> None:
    regions = load_regions()
    kecamatan = regions.village(PROFILE_VILLAGE).kecamatan_code
    cases = generate_cases(200, seed=4, village=PROFILE_VILLAGE)
    assert {doc["village"] for doc in cases} == {PROFILE_VILLAGE}
    incident = [regions.village(doc["incident_village"]) for doc in cases]
    at_home = sum(v.code == PROFILE_VILLAGE for v in incident)
    in_kecamatan = sum(v.kecamatan_code == kecamatan for v in incident)
    assert at_home > len(cases) / 2
    assert in_kecamatan > 0.9 * len(cases)
    outreach = generate_outreach(50, seed=4, village=PROFILE_VILLAGE)
    assert {doc["village"] for doc in outreach} == {PROFILE_VILLAGE}
    assert all(
        regions.village(doc["venue_village"]).kecamatan_code == kecamatan for doc in outreach
    )


def test_without_village_all_kecamatan_appear() -> None:
    regions = load_regions()
    villages = {doc["village"] for doc in generate_cases(600, seed=6)}
    assert len(villages) > 150
    assert {regions.village(v).kecamatan_code for v in villages} == {
        k.code for k in regions.kecamatans()
    }


def test_unknown_village_is_refused() -> None:
    with pytest.raises(UnknownVillageError):
        generate_cases(1, village="33.27.99.9999")
    with pytest.raises(UnknownVillageError):
        generate_outreach(1, village="32.01.01.2001")


# --------------------------------------------------------------------------- outreach content


def test_outreach_covers_types_and_topics(outreach: list[dict[str, Any]]) -> None:
    taxonomy = load_taxonomy()
    assert {d["type"] for d in outreach} == set(taxonomy.codes("outreach_type"))
    assert {t for d in outreach for t in d["topics"]} == set(taxonomy.codes("outreach_topic"))
    assert {o for d in outreach for o in d["organisers"]} >= {"pemdes", "uptd_ppa", "disnaker"}
    assert {d["funding"] for d in outreach} == set(taxonomy.codes("funding_source"))


def test_outreach_participants_and_times(outreach: list[dict[str, Any]]) -> None:
    has_children = has_linked = has_unlinked = False
    for doc in outreach:
        p = doc["participants"]
        counts = [p["male_child"], p["male_adult"], p["female_child"], p["female_adult"]]
        assert all(0 <= c <= 80 for c in counts)
        assert 0 <= p["with_disability"] <= sum(counts)
        assert sum(counts) > 0
        assert doc["start_time"] < doc["end_time"]
        assert doc["budget"] >= 0 and doc["budget"] % 50_000 == 0
        assert doc["summary"] and doc["follow_up"] and doc["target_groups"]
        has_children = has_children or p["male_child"] + p["female_child"] > 0
        has_linked = has_linked or bool(doc["linked_cases"])
        has_unlinked = has_unlinked or not doc["linked_cases"]
    assert has_children and has_linked and has_unlinked


# --------------------------------------------------------------------------- people


def test_no_famous_names(cases: list[dict[str, Any]], outreach: list[dict[str, Any]]) -> None:
    famous = {name.casefold() for name in FAMOUS_PEOPLE}
    names = [n for doc in cases + outreach for n in _people_names(doc)]
    assert len(names) > 300
    assert not [n for n in names if n.casefold() in famous]


def test_names_are_varied_and_sex_appropriate(cases: list[dict[str, Any]]) -> None:
    female_only = {"Siti", "Sri", "Rina", "Ratna", "Nabila", "Aulia", "Endang", "Dewi"}
    male_only = {"Eko", "Budi", "Agus", "Slamet", "Bambang", "Rizki", "Muhammad", "Joko"}
    full_names: Counter[str] = Counter()
    for doc in cases:
        for person in doc["victims"] + doc["perpetrators"]:
            name = person.get("name", "")
            if "." in name or not name:
                continue  # initials or no name
            full_names[name] += 1
            first = name.split()[0]
            if person["sex"] == "P":
                assert first not in male_only, name
            else:
                assert first not in female_only, name
    assert len(full_names) > 0.7 * sum(full_names.values())


# --------------------------------------------------------------------------- scale


def test_ten_thousand_cases() -> None:
    docs = generate_cases(10_000, seed=1)
    assert len(docs) == 10_000
    assert len({d["narrative"] for d in docs}) > 5_000
