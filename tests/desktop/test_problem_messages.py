"""The Indonesian catalog of validation problems matches the English source."""

from __future__ import annotations

import string

import pytest

from desktop.problem_messages import PARAM_VALUES_ID, PROBLEM_MESSAGES_ID, problem_text
from simpul.records.validation import PROBLEM_MESSAGES


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def only_placeholders(template: str) -> bool:
    return all(not literal.strip() for literal, *_ in string.Formatter().parse(template))


def test_every_code_has_indonesian_text() -> None:
    assert set(PROBLEM_MESSAGES_ID) == set(PROBLEM_MESSAGES)
    for code, text in PROBLEM_MESSAGES_ID.items():
        assert text.strip(), code


@pytest.mark.parametrize("code", sorted(PROBLEM_MESSAGES))
def test_same_placeholders(code: str) -> None:
    assert placeholders(PROBLEM_MESSAGES_ID[code]) == placeholders(PROBLEM_MESSAGES[code])


@pytest.mark.parametrize("code", sorted(PROBLEM_MESSAGES))
def test_translated(code: str) -> None:
    english = PROBLEM_MESSAGES[code]
    if not only_placeholders(english):
        assert PROBLEM_MESSAGES_ID[code] != english


def test_fills_params_in_both_languages() -> None:
    params = {"incident_on": "2025-03-17", "reported_on": "2025-03-01"}
    id_text = problem_text("incident_after_report", params, lang="id", fallback="")
    en_text = problem_text("incident_after_report", params, lang="en", fallback="")
    assert id_text == (
        "Tanggal kejadian 2025-03-17 tidak boleh sesudah tanggal pelaporan 2025-03-01"
    )
    assert en_text == "The incident date 2025-03-17 is after the report date 2025-03-01"


def test_no_params() -> None:
    assert problem_text("required", {}, lang="id", fallback="") == "Isian ini wajib diisi"
    assert problem_text("required", {}, lang="en", fallback="") == "This field is required"


def test_unknown_code_falls_back() -> None:
    text = problem_text("no_such_code", {"value": 3}, lang="id", fallback="Odd value {value}")
    assert text == "Odd value 3"
    assert problem_text("no_such_code", {}, lang="en", fallback="Odd") == "Odd"


def test_missing_param_gives_template() -> None:
    assert problem_text("bad_date", {}, lang="id", fallback="") == PROBLEM_MESSAGES_ID["bad_date"]
    assert problem_text("bad_date", {}, lang="en", fallback="") == PROBLEM_MESSAGES["bad_date"]


def test_indonesian_text_has_no_english_placeholder_values() -> None:
    def text(code: str, **params: object) -> str:
        return problem_text(code, params, lang="id", fallback="")

    assert text("tppo_element_missing", element="process") == (
        "Untuk TPPO, unsur proses wajib diisi (UU 21/2007 Pasal 1)"
    )
    assert "unsur cara " in text("tppo_element_missing", element="means")
    assert "unsur tujuan " in text("tppo_element_missing", element="purpose")
    assert text("wrong_type", expected="list of texts") == "Isian harus berupa daftar teks"
    assert text("wrong_type", expected="true or false").startswith("Isian harus berupa true atau")
    # the taxonomy list is named in Indonesian; the code the user typed stays as typed
    assert text("unknown_code", value="pasar", list="place") == (
        "pasar bukan kode dalam daftar tempat kejadian"
    )


def test_english_text_keeps_the_source_values() -> None:
    assert problem_text("wrong_type", {"expected": "list of texts"}, lang="en", fallback="") == (
        "Expected list of texts"
    )
    text = problem_text("unknown_code", {"value": "pasar", "list": "place"}, lang="en", fallback="")
    assert text == "pasar is not a code of the list place"


def test_a_value_that_is_not_a_known_word_is_left_alone() -> None:
    text = problem_text("unknown_code", {"value": "process", "list": "x"}, lang="id", fallback="")
    assert text == "process bukan kode dalam daftar x"


def test_every_english_placeholder_value_has_an_indonesian_word() -> None:
    from simpul.records.schema import taxonomy_lists_used
    from simpul.records.validation import EXPECTED_TYPES, TPPO_ELEMENTS

    assert set(EXPECTED_TYPES) <= set(PARAM_VALUES_ID["expected"])
    assert set(TPPO_ELEMENTS) <= set(PARAM_VALUES_ID["element"])
    assert taxonomy_lists_used() <= set(PARAM_VALUES_ID["list"])


def test_validation_problems_read_in_indonesian() -> None:
    from datetime import date

    from simpul.records.validation import validate

    doc = {
        "kind": "case",
        "reported_on": "2026-03-10",
        "violence_types": ["trafficking"],
        "victims": [{"sex": "P", "age": 30}],
        "place": "pasar",
        "online": "ya",
    }
    texts = [
        problem_text(p.code, p.params, lang="id", fallback=p.message)
        for p in validate(doc, today=date(2026, 4, 1))
    ]
    english = ["process", "means", "purpose", "true or false", "list place"]
    assert texts and not [t for t in texts if any(word in t for word in english)], texts
