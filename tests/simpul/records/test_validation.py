"""Tests of record validation: one test per rule, asserting the path and the code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from simpul.records.validation import PROBLEM_MESSAGES, Problem, validate

TODAY = date(2026, 4, 1)
V1 = "0195f0a1b2c3" + "a" * 16
V2 = "0195f0a1b2c4" + "b" * 16
P1 = "0195f0a1b2c5" + "c" * 16
S1 = "0195f0a1b2c6" + "d" * 16
R1 = "0195f0a1b2c7" + "e" * 16


def case_doc() -> dict[str, Any]:
    """A complete, valid case with every part filled in (synthetic)."""
    return {
        "kind": "case",
        "id": "8d3c2f7e-1b7a-4c55-9a61-2f0e0e9b7c11",
        "code": "PML-082012-2026-Q4-0007",
        "village": "33.27.08.2012",
        "reported_on": "2026-03-10",
        "incident_on": "2026-03-01",
        "incident_on_approx": True,
        "channel": "datang_langsung",
        "reporter": {"name": "Ibu Warsini", "relation": "tetangga", "contact": "08123"},
        "place": "rumah_tangga",
        "incident_village": "33.27.08.2012",
        "incident_address": "RT 02 RW 03",
        "online": False,
        "narrative": "Kronologi singkat.",
        "urgent_risk": True,
        "urgent_note": "Pelaku serumah.",
        "violence_types": ["fisik", "psikis"],
        "kdrt": True,
        "victims": [
            {
                "id": V1,
                "name": "S.",
                "nik": "3327081234567890",
                "sex": "P",
                "birth_date": "1990-05-01",
                "age": 35,
                "education": "slta",
                "school_status": "tamat",
                "occupation": "Pedagang",
                "marital_status": "menikah",
                "disability": "tidak",
                "citizenship": "wni",
                "domicile_village": "33.27.08.2012",
                "pregnant": False,
                "violence_types": ["fisik"],
            }
        ],
        "perpetrators": [
            {
                "id": P1,
                "sex": "L",
                "age": 40,
                "age_estimated": True,
                "child": False,
                "occupation": "Buruh",
                "relationships": {V1: "suami"},
            }
        ],
        "services": [{"id": S1, "type": "pengaduan", "on": "2026-03-10", "institution": "Pemdes"}],
        "referrals": [{"id": R1, "to": "uptd_ppa", "on": "2026-03-11", "status": "dikirim"}],
        "consent": {
            "given_by": "korban",
            "on": "2026-03-10",
            "method": "tertulis",
            "scope": ["catat", "rujuk_uptd"],
            "explained": ["tujuan", "masa_simpan", "hak"],
        },
        "status": "dirujuk",
        "legal_status": "tidak_dilaporkan",
        "outcome": "pemulihan_selesai",
    }


def tppo_case() -> dict[str, Any]:
    """A valid trafficking case with an adult male fishing-crew victim."""
    doc = case_doc()
    doc["violence_types"] = ["trafficking", "eksploitasi"]
    doc["kdrt"] = False
    victim = doc["victims"][0]
    victim.update(sex="L", violence_types=["trafficking"], pregnant=False)
    doc["perpetrators"][0]["relationships"] = {V1: "calo_sponsor"}
    doc["tppo"] = {
        "process": ["perekrutan", "pengiriman"],
        "means": ["penipuan", "penjeratan_utang"],
        "purpose": ["kerja_paksa_abk"],
        "indicators": {"calo_desa": "ya", "dokumen_ditahan": "tidak_tahu"},
        "destination": "Perairan Somalia",
        "destination_domestic": False,
        "transit": ["Singapura"],
        "departed_on": "2025-06-01",
        "returned_on": "2026-02-20",
        "recruiter_type": "manning_agency",
        "work_sector": "Perikanan",
        "route": "non_prosedural",
        "documents_held": "Paspor, buku pelaut",
        "debt_amount": 15_000_000,
        "still_abroad": False,
        "needs_repatriation": False,
        "reported_to": ["bp3mi", "polres"],
    }
    return doc


def outreach_doc() -> dict[str, Any]:
    """A complete, valid outreach record (synthetic)."""
    return {
        "kind": "outreach",
        "id": "1f0e7c2a-6b5d-4e3f-8a9b-0c1d2e3f4a5b",
        "code": "SOS-082012-2026-Q4-0003",
        "village": "33.27.08.2012",
        "title": "Sosialisasi pencegahan perkawinan anak",
        "type": "sosialisasi",
        "topics": ["perkawinan_anak", "perlindungan_anak"],
        "held_on": "2026-03-14",
        "start_time": "09:00",
        "end_time": "11:30",
        "venue": "Balai desa",
        "venue_village": "33.27.08.2012",
        "organisers": ["pemdes", "patbm"],
        "speakers": "Narasumber UPTD PPA",
        "facilitator": "Kader PATBM",
        "target_groups": ["orang_tua", "remaja_pelajar"],
        "participants": {
            "male_child": 5,
            "male_adult": 12,
            "female_child": 8,
            "female_adult": 25,
            "with_disability": 1,
        },
        "summary": "Ringkasan.",
        "follow_up": "Rencana tindak lanjut.",
        "materials": "Leaflet",
        "evaluation": "Baik",
        "linked_cases": ["8d3c2f7e-1b7a-4c55-9a61-2f0e0e9b7c11"],
        "funding": "dana_desa",
        "budget": 1_500_000,
    }


def found(doc: Any) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in validate(doc, today=TODAY)}


def assert_only(doc: Any, *expected: tuple[str, str]) -> None:
    assert found(doc) == set(expected)


# -- valid input -------------------------------------------------------------------------


@pytest.mark.parametrize("make", [case_doc, tppo_case, outreach_doc])
def test_valid_documents_have_no_problems(make: Any) -> None:
    assert validate(make(), today=TODAY) == []


def test_minimal_documents_are_valid() -> None:
    case = {"kind": "case", "reported_on": "2026-03-10", "violence_types": ["psikis"],
            "victims": [{"sex": "P"}]}  # fmt: skip
    outreach = {"kind": "outreach", "title": "Rapat", "held_on": "2026-03-10"}
    assert validate(case, today=TODAY) == []
    assert validate(outreach, today=TODAY) == []


def test_validate_defaults_to_today() -> None:
    doc = case_doc()
    doc["reported_on"] = "2999-01-01"
    assert ("reported_on", "future_date") in {(p.path, p.code) for p in validate(doc)}


# -- document shape ----------------------------------------------------------------------


def test_not_an_object() -> None:
    assert_only(["kind", "case"], ("", "wrong_type"))


def test_kind_missing_or_unknown() -> None:
    assert_only({"title": "x"}, ("kind", "required"))
    assert_only({"kind": "incident"}, ("kind", "unknown_kind"))
    assert_only({"kind": ["case"]}, ("kind", "unknown_kind"))


def test_unknown_keys_at_every_level() -> None:
    doc = case_doc()
    doc["colour"] = "red"
    doc["victims"][0]["hair"] = "black"
    doc["reporter"]["email"] = "x@example.org"
    doc["consent"]["signature"] = "..."
    assert_only(
        doc,
        ("colour", "unknown_key"),
        (f"victims/{V1}/hair", "unknown_key"),
        ("reporter/email", "unknown_key"),
        ("consent/signature", "unknown_key"),
    )


def test_outreach_fields_are_unknown_on_a_case() -> None:
    doc = case_doc()
    doc["title"] = "x"
    assert_only(doc, ("title", "unknown_key"))


def test_wrong_types() -> None:
    doc = case_doc()
    doc["narrative"] = 5
    doc["online"] = "ya"
    doc["reporter"] = "Ibu Warsini"
    doc["victims"][0]["violence_types"] = "fisik"
    doc["services"] = {"id": S1}
    doc["perpetrators"][0]["relationships"] = [V1]
    doc["place"] = ["rumah_tangga"]
    assert_only(
        doc,
        ("narrative", "wrong_type"),
        ("online", "wrong_type"),
        ("reporter", "wrong_type"),
        (f"victims/{V1}/violence_types", "wrong_type"),
        ("services", "wrong_type"),
        (f"perpetrators/{P1}/relationships", "wrong_type"),
        ("place", "wrong_type"),
    )


def test_wrong_type_names_what_was_expected() -> None:
    doc = case_doc()
    doc["online"] = "ya"
    (problem,) = validate(doc, today=TODAY)
    assert problem.params == {"expected": "true or false"}
    assert problem.message == PROBLEM_MESSAGES["wrong_type"]
    assert problem.text() == "Expected true or false"


def test_a_list_item_that_is_not_an_object() -> None:
    doc = case_doc()
    doc["referrals"].append("rujuk")
    assert_only(doc, ("referrals/1", "wrong_type"))


def test_duplicate_item_id() -> None:
    doc = case_doc()
    doc["services"].append({"id": S1, "type": "kesehatan"})
    assert_only(doc, (f"services/{S1}/id", "duplicate_id"))


def test_bad_record_id_and_linked_case_ids() -> None:
    doc = outreach_doc()
    doc["id"] = "not-a-uuid"
    doc["linked_cases"] = ["8d3c2f7e-1b7a-4c55-9a61-2f0e0e9b7c11", "PML-082012-2026-Q4-0007"]
    assert_only(doc, ("id", "bad_id"), ("linked_cases", "bad_id"))


def test_record_code_must_fit_the_kind() -> None:
    doc = case_doc()
    doc["code"] = "SOS-082012-2026-Q4-0007"
    assert_only(doc, ("code", "bad_record_code"))
    doc["code"] = "PML-0812-2026-0007"
    assert_only(doc, ("code", "bad_record_code"))


# -- reference data ----------------------------------------------------------------------


def test_unknown_taxonomy_codes() -> None:
    doc = tppo_case()
    doc["place"] = "pasar"
    doc["violence_types"] = ["trafficking", "eksploitasi", "verbal"]
    doc["victims"][0]["sex"] = "F"
    doc["victims"][0]["sex"] = "P"
    doc["victims"][0]["education"] = "SMA"
    doc["perpetrators"][0]["relationships"] = {V1: "ayah"}
    doc["tppo"]["indicators"] = {"calo_desa": "mungkin", "hantu": "ya"}
    problems = validate(doc, today=TODAY)
    assert {(p.path, p.code) for p in problems} == {
        ("place", "unknown_code"),
        ("violence_types", "unknown_code"),
        (f"victims/{V1}/education", "unknown_code"),
        (f"perpetrators/{P1}/relationships/{V1}", "unknown_code"),
        ("tppo/indicators/calo_desa", "unknown_code"),
        ("tppo/indicators/hantu", "unknown_code"),
    }
    place = next(p for p in problems if p.path == "place")
    assert place.params == {"value": "pasar", "list": "place"}


def test_duplicate_code_in_a_list() -> None:
    doc = case_doc()
    doc["violence_types"] = ["fisik", "psikis", "fisik"]
    assert_only(doc, ("violence_types", "duplicate_code"))


def test_unknown_village_codes() -> None:
    doc = case_doc()
    doc["village"] = "33.27.08"  # a kecamatan, not a village
    doc["incident_village"] = "33.28.01.2001"  # another kabupaten
    doc["victims"][0]["domicile_village"] = "Tambakrejo"
    assert_only(
        doc,
        ("village", "unknown_village"),
        ("incident_village", "unknown_village"),
        (f"victims/{V1}/domicile_village", "unknown_village"),
    )


# -- dates and times ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-02-30", "10/03/2026", "20260310", "2026-3-10", 20260310])
def test_bad_dates(value: object) -> None:
    doc = case_doc()
    doc["services"][0]["on"] = value
    assert_only(doc, (f"services/{S1}/on", "bad_date"))


def test_dates_in_the_future() -> None:
    doc = case_doc()
    doc["referrals"][0]["on"] = "2026-04-02"
    doc["consent"]["on"] = "2027-01-01"
    assert_only(doc, (f"referrals/{R1}/on", "future_date"), ("consent/on", "future_date"))


def test_today_is_not_the_future() -> None:
    doc = case_doc()
    doc["reported_on"] = TODAY.isoformat()
    assert validate(doc, today=TODAY) == []


def test_incident_after_report() -> None:
    doc = case_doc()
    doc["incident_on"] = "2026-03-11"
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [("incident_on", "incident_after_report")]
    assert problems[0].params == {"incident_on": "2026-03-11", "reported_on": "2026-03-10"}


@pytest.mark.parametrize("value", ["9:00", "24:00", "09:60", "0900", 900])
def test_bad_times(value: object) -> None:
    doc = outreach_doc()
    doc["start_time"] = value
    assert_only(doc, ("start_time", "bad_time"))


def test_end_time_before_start_time() -> None:
    doc = outreach_doc()
    doc["start_time"], doc["end_time"] = "13:00", "12:59"
    assert_only(doc, ("end_time", "end_before_start"))


def test_tppo_return_before_departure() -> None:
    doc = tppo_case()
    doc["tppo"]["returned_on"] = "2025-05-31"
    assert_only(doc, ("tppo/returned_on", "returned_before_departed"))


# -- required fields ---------------------------------------------------------------------


def test_case_required_fields() -> None:
    doc = case_doc()
    del doc["reported_on"]
    doc["violence_types"] = []
    assert_only(doc, ("reported_on", "required"), ("violence_types", "required"))


def test_case_needs_a_victim() -> None:
    doc = case_doc()
    doc["victims"] = []
    doc["perpetrators"][0]["relationships"] = {}
    assert_only(doc, ("victims", "required"))


def test_case_needs_a_victim_with_sex() -> None:
    doc = case_doc()
    doc["victims"].append({"id": V2, "name": "R."})
    del doc["victims"][0]["sex"]
    assert_only(doc, (f"victims/{V1}/sex", "required"))
    doc["victims"][1]["sex"] = "L"
    assert validate(doc, today=TODAY) == []


def test_outreach_required_fields() -> None:
    doc = outreach_doc()
    doc["title"] = "  "
    del doc["held_on"]
    assert_only(doc, ("title", "required"), ("held_on", "required"))


def test_null_counts_as_missing() -> None:
    doc = outreach_doc()
    doc["held_on"] = None
    assert_only(doc, ("held_on", "required"))


# -- TPPO --------------------------------------------------------------------------------


def test_trafficking_without_any_element() -> None:
    doc = tppo_case()
    del doc["tppo"]
    assert_only(
        doc,
        ("tppo/process", "tppo_element_missing"),
        ("tppo/means", "tppo_element_missing"),
        ("tppo/purpose", "tppo_element_missing"),
    )


def test_trafficking_missing_one_element() -> None:
    doc = tppo_case()
    doc["tppo"]["purpose"] = []
    assert_only(doc, ("tppo/purpose", "tppo_element_missing"))


def test_child_trafficking_victim_needs_no_means() -> None:
    doc = tppo_case()
    doc["victims"][0].update(birth_date="2010-05-01", age=15)
    doc["consent"]["given_by"] = "orang_tua_wali"
    doc["perpetrators"][0]["relationships"] = {V1: "calo_sponsor"}
    del doc["tppo"]["means"]
    assert validate(doc, today=TODAY) == []
    doc["tppo"]["process"] = []
    assert_only(doc, ("tppo/process", "tppo_element_missing"))


def test_means_still_needed_when_one_trafficking_victim_is_an_adult() -> None:
    doc = tppo_case()
    doc["victims"][0].update(birth_date="2010-05-01", age=15)
    doc["victims"].append({"id": V2, "sex": "L", "age": 30, "violence_types": ["trafficking"]})
    doc["consent"]["given_by"] = "orang_tua_wali"
    del doc["tppo"]["means"]
    assert_only(doc, ("tppo/means", "tppo_element_missing"))


def test_means_needed_when_the_age_is_unknown() -> None:
    doc = tppo_case()
    for key in ("birth_date", "age"):
        del doc["victims"][0][key]
    del doc["tppo"]["means"]
    assert_only(doc, ("tppo/means", "tppo_element_missing"))


def test_no_tppo_rule_without_trafficking() -> None:
    doc = case_doc()
    assert "tppo" not in doc
    assert validate(doc, today=TODAY) == []


# -- numbers -----------------------------------------------------------------------------


def test_participant_counts_negative() -> None:
    doc = outreach_doc()
    doc["participants"]["female_child"] = -1
    assert_only(doc, ("participants/female_child", "negative"))


@pytest.mark.parametrize("value", [2.5, 3.0, "7", True])
def test_participant_counts_not_integer(value: object) -> None:
    doc = outreach_doc()
    doc["participants"]["male_adult"] = value
    assert_only(doc, ("participants/male_adult", "not_integer"))


def test_with_disability_more_than_total() -> None:
    doc = outreach_doc()
    doc["participants"]["with_disability"] = 51
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [("participants/with_disability",
                                                      "exceeds_total")]  # fmt: skip
    assert problems[0].params == {"with_disability": 51, "total": 50}
    doc["participants"]["with_disability"] = 50
    assert validate(doc, today=TODAY) == []


def test_budget_negative() -> None:
    doc = outreach_doc()
    doc["budget"] = -100
    assert_only(doc, ("budget", "negative"))


# -- ages --------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [-1, 121, 300])
def test_victim_age_out_of_range(age: int) -> None:
    doc = case_doc()
    del doc["victims"][0]["birth_date"]
    doc["victims"][0]["age"] = age
    assert_only(doc, (f"victims/{V1}/age", "out_of_range"))


def test_perpetrator_age_out_of_range() -> None:
    doc = case_doc()
    doc["perpetrators"][0]["age"] = 150
    assert_only(doc, (f"perpetrators/{P1}/age", "out_of_range"))


def test_birth_date_and_age_inconsistent() -> None:
    doc = case_doc()
    doc["victims"][0]["age"] = 30  # born 1990-05-01: 35 on 2026-03-10
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [(f"victims/{V1}/age", "age_mismatch")]
    assert problems[0].params == {"age": 30, "computed": 35, "on": "2026-03-10"}


def test_age_off_by_a_birthday_is_consistent() -> None:
    doc = case_doc()
    doc["victims"][0]["age"] = 36
    assert validate(doc, today=TODAY) == []


def test_estimated_age_gets_more_room() -> None:
    doc = case_doc()
    doc["victims"][0].update(age=33, age_estimated=True)
    assert validate(doc, today=TODAY) == []
    doc["victims"][0]["age"] = 31
    assert_only(doc, (f"victims/{V1}/age", "age_mismatch"))


def test_birth_date_more_than_120_years_ago() -> None:
    doc = case_doc()
    doc["victims"][0].update(birth_date="1900-01-01")
    del doc["victims"][0]["age"]
    assert_only(doc, (f"victims/{V1}/birth_date", "out_of_range"))


def test_birth_after_report() -> None:
    doc = case_doc()
    doc["victims"][0]["birth_date"] = "2026-03-20"
    del doc["victims"][0]["age"]
    assert_only(doc, (f"victims/{V1}/birth_date", "birth_after_report"))


def test_perpetrator_child_flag_must_match_age() -> None:
    doc = case_doc()
    doc["perpetrators"][0]["child"] = True
    assert_only(doc, (f"perpetrators/{P1}/child", "child_flag_mismatch"))


def test_nik_must_have_16_digits() -> None:
    for nik in ("332708123456789", "33270812345678901", "33270812345678AB", 3327081234567890):
        doc = case_doc()
        doc["victims"][0]["nik"] = nik
        assert_only(doc, (f"victims/{V1}/nik", "bad_nik"))


# -- consent -----------------------------------------------------------------------------


def test_child_cannot_consent_for_herself() -> None:
    doc = case_doc()
    doc["victims"][0].update(birth_date="2012-01-01", age=14, marital_status="belum_menikah")
    doc["perpetrators"][0]["relationships"] = {V1: "ayah_tiri"}
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [("consent/given_by", "child_self_consent")]
    assert problems[0].params == {"victim": V1}
    doc["consent"]["given_by"] = "lembaga"
    assert validate(doc, today=TODAY) == []


def test_child_by_birth_date_at_the_report_date() -> None:
    doc = case_doc()
    doc["victims"][0].update(birth_date="2008-03-15")  # 17 on 2026-03-10, 18 on TODAY
    del doc["victims"][0]["age"]
    assert_only(doc, ("consent/given_by", "child_self_consent"))


def test_other_legal_basis_needs_a_justification() -> None:
    doc = case_doc()
    doc["consent"]["given_by"] = "dasar_hukum_lain"
    assert_only(doc, ("consent/justification", "justification_required"))
    doc["consent"]["justification"] = "   "
    assert_only(doc, ("consent/justification", "justification_required"))
    doc["consent"]["justification"] = "UU TPKS Pasal 41: penerusan ke kepolisian"
    assert validate(doc, today=TODAY) == []


def test_consent_withdrawn_before_given() -> None:
    doc = case_doc()
    doc["consent"]["withdrawn_on"] = "2026-03-09"
    assert_only(doc, ("consent/withdrawn_on", "withdrawn_before_given"))
    doc["consent"]["withdrawn_on"] = "2026-03-10"
    assert validate(doc, today=TODAY) == []


# -- cross-field rules -------------------------------------------------------------------


def test_no_mediation_for_sexual_violence() -> None:
    doc = case_doc()
    doc["outcome"] = "mediasi"
    assert validate(doc, today=TODAY) == []  # mediation is allowed for physical violence
    doc["violence_types"].append("seksual")
    assert_only(doc, ("outcome", "mediation_not_allowed"))


def test_no_mediation_when_a_tpks_sub_type_is_set() -> None:
    doc = case_doc()
    doc["violence_types"].append("seksual")
    doc["tpks_types"] = ["kekerasan_seksual_berbasis_elektronik"]
    doc["outcome"] = "mediasi"
    assert_only(doc, ("outcome", "mediation_not_allowed"))


def test_tpks_sub_types_need_sexual_violence() -> None:
    doc = case_doc()
    doc["tpks_types"] = ["pemaksaan_perkawinan"]
    assert_only(doc, ("tpks_types", "tpks_without_sexual"))


def test_relationship_to_an_unknown_victim() -> None:
    doc = case_doc()
    doc["perpetrators"][0]["relationships"][V2] = "tetangga"
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [
        (f"perpetrators/{P1}/relationships/{V2}", "unknown_victim")
    ]
    assert problems[0].params == {"victim": V2}


def test_victim_violence_types_must_be_in_the_case() -> None:
    doc = case_doc()
    doc["victims"][0]["violence_types"] = ["fisik", "penelantaran"]
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [
        (f"victims/{V1}/violence_types", "violence_type_not_in_case")
    ]
    assert problems[0].params == {"value": "penelantaran"}


# -- everything at once ------------------------------------------------------------------


def test_all_problems_are_reported_at_once() -> None:
    doc = case_doc()
    doc["victims"][0]["nik"] = "12345"
    doc["place"] = "pasar"
    doc["incident_on"] = "2026-03-20"
    doc["violence_types"].append("seksual")
    doc["outcome"] = "mediasi"
    assert_only(
        doc,
        (f"victims/{V1}/nik", "bad_nik"),
        ("place", "unknown_code"),
        ("incident_on", "incident_after_report"),
        ("outcome", "mediation_not_allowed"),
    )


def test_all_outreach_problems_at_once() -> None:
    doc = outreach_doc()
    doc["held_on"] = "2026-04-05"
    doc["participants"]["male_child"] = -2
    doc["end_time"] = "08:00"
    doc["venue_village"] = "33.27.99.2001"
    assert_only(
        doc,
        ("held_on", "future_date"),
        ("participants/male_child", "negative"),
        ("end_time", "end_before_start"),
        ("venue_village", "unknown_village"),
    )


def test_every_problem_code_has_a_message_and_problems_are_frozen() -> None:
    doc = case_doc()
    doc["colour"] = "red"
    (problem,) = validate(doc, today=TODAY)
    assert isinstance(problem, Problem)
    assert problem.message == PROBLEM_MESSAGES[problem.code]
    assert problem.text() == "Unknown field colour"
    with pytest.raises(AttributeError):
        problem.code = "x"  # type: ignore[misc]


# -- item ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item_id",
    [
        "../../etc/passwd",
        "0195f0a1b2c6/dddd",
        "0195f0a1b2c6\x00dddd",
        "0195f0a1b2c6\ndddd",
        "0195f0a1b2c6dddd\n",
        "0195f0a1b2c6 dddd",
        "0195f0a1b2c6.dddd",
        "x" * 65,
        "x" * 100_000,
        "abc1234",  # 7 characters
        "ａｂｃｄｅｆｇｈ",  # fullwidth letters are not [0-9a-zA-Z]
    ],
)
def test_unsafe_item_ids_are_bad_ids(item_id: str) -> None:
    doc = case_doc()
    doc["services"][0]["id"] = item_id
    (problem,) = validate(doc, today=TODAY)
    # the path uses the item's position: a bad id is not a safe path segment
    assert (problem.path, problem.code) == ("services/0/id", "bad_id")
    shown = problem.params["value"]
    assert isinstance(shown, str) and len(shown) <= 41 and shown.isprintable()


@pytest.mark.parametrize("item_id", ["abcd1234", "A-b_C-d_", "x" * 64, V1])
def test_safe_item_ids_are_valid(item_id: str) -> None:
    doc = case_doc()
    doc["referrals"][0]["id"] = item_id
    assert validate(doc, today=TODAY) == []


def test_generated_item_ids_are_valid() -> None:
    from simpul.records.paths import assign_item_ids, new_item_id

    doc = case_doc()
    victim_id = new_item_id()
    doc["victims"][0]["id"] = victim_id
    doc["perpetrators"][0]["relationships"] = {victim_id: "suami"}
    for name in ("perpetrators", "services", "referrals"):
        del doc[name][0]["id"]
    assert validate(assign_item_ids(doc), today=TODAY) == []


def test_a_bad_victim_id_is_reported_once_and_its_items_are_still_checked() -> None:
    doc = case_doc()
    doc["victims"][0]["id"] = "v/1"
    doc["victims"][0]["nik"] = "123"
    doc["perpetrators"][0]["relationships"] = {}
    assert_only(doc, ("victims/0/id", "bad_id"), ("victims/0/nik", "bad_nik"))


@pytest.mark.parametrize(
    ("key", "where"),
    [
        # a key that cannot be a path segment is reported at the map
        ("../v1", ""),
        ("a" * 65, ""),
        ("0195f0a1b2c3\taaaa", ""),
        ("v1", "/v1"),  # printable, only too short
    ],
)
def test_relationship_keys_must_be_valid_victim_ids(key: str, where: str) -> None:
    doc = case_doc()
    doc["perpetrators"][0]["relationships"] = {V1: "suami", key: "tetangga"}
    # one problem each, not also "unknown victim"
    assert_only(doc, (f"perpetrators/{P1}/relationships{where}", "bad_id"))


def test_item_id_of_the_wrong_type() -> None:
    doc = case_doc()
    doc["services"][0]["id"] = 12345678
    assert_only(doc, ("services/0/id", "wrong_type"))


def test_trailing_newline_is_not_a_time_nik_or_record_code() -> None:
    doc = case_doc()
    doc["victims"][0]["nik"] = "3327081234567890\n"
    doc["code"] = "PML-082012-2026-Q4-0007\n"
    assert_only(doc, (f"victims/{V1}/nik", "bad_nik"), ("code", "bad_record_code"))
    doc = outreach_doc()
    doc["start_time"] = "09:00\n"
    assert_only(doc, ("start_time", "bad_time"))


def test_echoed_values_are_short_and_printable() -> None:
    doc = case_doc()
    doc["place"] = "\x1b[2J" + "x" * 10_000
    (problem,) = validate(doc, today=TODAY)
    assert problem.code == "unknown_code"
    assert problem.params["value"] == "\\u001b[2J" + "x" * 36 + "…"


# -- size limits -------------------------------------------------------------------------

LONG_CASE_TEXTS = ["narrative", "incident_address", "urgent_note"]
LONG_OUTREACH_TEXTS = ["summary", "follow_up", "materials", "evaluation"]


@pytest.mark.parametrize("key", LONG_CASE_TEXTS)
def test_long_case_texts_up_to_20000_characters(key: str) -> None:
    doc = case_doc()
    doc[key] = "é" * 20_000
    assert validate(doc, today=TODAY) == []
    doc[key] += "."
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [(key, "too_long")]
    assert problems[0].params == {"max": 20_000, "length": 20_001}


@pytest.mark.parametrize("key", LONG_OUTREACH_TEXTS)
def test_long_outreach_texts_up_to_20000_characters(key: str) -> None:
    doc = outreach_doc()
    doc[key] = "x" * 20_001
    assert_only(doc, (key, "too_long"))


def test_notes_and_descriptions_are_long_texts() -> None:
    doc = case_doc()
    doc["services"][0]["description"] = "x" * 20_000
    doc["referrals"][0]["note"] = "x" * 20_000
    assert validate(doc, today=TODAY) == []
    doc["services"][0]["description"] += "x"
    doc["referrals"][0]["note"] += "x"
    assert_only(
        doc, (f"services/{S1}/description", "too_long"), (f"referrals/{R1}/note", "too_long")
    )


def test_short_texts_up_to_200_characters() -> None:
    doc = tppo_case()
    doc["victims"][0]["name"] = "n" * 200
    doc["reporter"]["relation"] = "r" * 200
    assert validate(doc, today=TODAY) == []
    doc["victims"][0]["name"] += "n"
    doc["victims"][0]["occupation"] = "o" * 201
    doc["perpetrators"][0]["name"] = "p" * 201
    doc["reporter"]["contact"] = "0" * 201
    doc["services"][0]["institution"] = "i" * 201
    doc["tppo"]["transit"] = ["Batam", "t" * 201]
    problems = validate(doc, today=TODAY)
    assert {(p.path, p.code) for p in problems} == {
        (f"victims/{V1}/name", "too_long"),
        (f"victims/{V1}/occupation", "too_long"),
        (f"perpetrators/{P1}/name", "too_long"),
        ("reporter/contact", "too_long"),
        (f"services/{S1}/institution", "too_long"),
        ("tppo/transit", "too_long"),
    }
    name = next(p for p in problems if p.path.endswith("/name") and "victims" in p.path)
    assert name.params == {"max": 200, "length": 201}


def test_outreach_short_texts() -> None:
    doc = outreach_doc()
    doc["title"] = "t" * 201
    doc["speakers"] = "s" * 201
    assert_only(doc, ("title", "too_long"), ("speakers", "too_long"))


def test_every_text_field_has_a_length_limit() -> None:
    from simpul.records.schema import CASE_SCHEMA, OUTREACH_SCHEMA, FieldSpec

    def walk(fields: Any, prefix: str) -> list[str]:
        missing = []
        for key, spec in fields.items():
            assert isinstance(spec, FieldSpec)
            if spec.type in ("text", "texts") and spec.max_length is None:
                missing.append(prefix + key)
            missing += walk(spec.fields, f"{prefix}{key}/")
        return missing

    assert walk(CASE_SCHEMA, "") == [] and walk(OUTREACH_SCHEMA, "") == []


def many(n: int, **fields: Any) -> list[dict[str, Any]]:
    return [{"id": f"{i:028x}", **fields} for i in range(1, n + 1)]


def test_up_to_500_victims_and_perpetrators() -> None:
    doc = tppo_case()
    doc["victims"] = [doc["victims"][0], *many(499, sex="L")]
    doc["perpetrators"] = [doc["perpetrators"][0], *many(499, sex="L")]
    assert validate(doc, today=TODAY) == []
    doc["victims"] += many(501, sex="P")[-1:]
    doc["perpetrators"] += many(501)[-1:]
    problems = validate(doc, today=TODAY)
    assert {(p.path, p.code) for p in problems} == {
        ("victims", "too_many"),
        ("perpetrators", "too_many"),
    }
    assert problems[0].params == {"max": 500, "count": 501}


def test_up_to_200_services_and_referrals() -> None:
    doc = case_doc()
    doc["services"] = many(200, type="pengaduan")
    doc["referrals"] = many(200, to="uptd_ppa")
    assert validate(doc, today=TODAY) == []
    doc["services"] = many(201, type="pengaduan")
    doc["referrals"] = many(201, to="uptd_ppa")
    assert_only(doc, ("services", "too_many"), ("referrals", "too_many"))


def test_up_to_100_linked_cases() -> None:
    import uuid

    doc = outreach_doc()
    doc["linked_cases"] = [str(uuid.UUID(int=i, version=4)) for i in range(100)]
    assert validate(doc, today=TODAY) == []
    doc["linked_cases"].append(str(uuid.uuid4()))
    problems = validate(doc, today=TODAY)
    assert [(p.path, p.code, p.params) for p in problems] == [
        ("linked_cases", "too_many", {"max": 100, "count": 101})
    ]


def test_new_codes_have_messages() -> None:
    assert PROBLEM_MESSAGES["too_long"].format(max=200, length=201) == (
        "At most 200 characters (201 given)"
    )
    assert PROBLEM_MESSAGES["too_many"].format(max=500, count=501) == (
        "At most 500 entries (501 given)"
    )
