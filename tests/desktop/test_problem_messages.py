"""The Indonesian catalog of validation problems matches the English source."""

from __future__ import annotations

import string

import pytest

from desktop.problem_messages import PROBLEM_MESSAGES_ID, problem_text
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
