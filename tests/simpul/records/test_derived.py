"""Tests of derived values: ages, age bands, record codes, device tags, participant totals."""

from __future__ import annotations

import re
from datetime import date

import pytest

from simpul.errors import Error
from simpul.records.derived import (
    InvalidAgeError,
    RecordCodeError,
    age_band,
    age_on,
    device_tag,
    is_child,
    make_record_code,
    participants_total,
    victim_age,
)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2010, 5, 1), date(2026, 4, 30), 15),
        (date(2010, 5, 1), date(2026, 5, 1), 16),
        (date(2010, 5, 1), date(2010, 5, 1), 0),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday: not yet 18
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_age_on_refuses_a_birth_after_the_date() -> None:
    with pytest.raises(InvalidAgeError) as info:
        age_on(date(2026, 1, 2), date(2026, 1, 1))
    assert isinstance(info.value, Error)


def test_victim_age_prefers_the_birth_date() -> None:
    on = date(2026, 3, 10)
    assert victim_age({"birth_date": "2010-05-01", "age": 30}, on=on) == 15
    assert victim_age({"age": 30}, on=on) == 30
    assert victim_age({"birth_date": "not a date", "age": 12}, on=on) == 12
    assert victim_age({"birth_date": "2027-01-01", "age": 12}, on=on) == 12
    assert victim_age({}, on=on) is None
    assert victim_age({"age": True}, on=on) is None
    assert victim_age({"age": -3}, on=on) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0_5"), (5, "0_5"), (6, "6_12"), (12, "6_12"), (13, "13_17"), (17, "13_17"),
     (18, "18_24"), (24, "18_24"), (25, "25_44"), (44, "25_44"), (45, "45_59"),
     (59, "45_59"), (60, "60_plus"), (104, "60_plus")],
)  # fmt: skip
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_age_band_refuses_a_negative_age() -> None:
    with pytest.raises(InvalidAgeError):
        age_band(-1)


def test_is_child() -> None:
    assert is_child(0)
    assert is_child(17)
    assert not is_child(18)
    assert not is_child(45)


def test_make_record_code() -> None:
    kwargs = {"village_code": "33.27.08.2012", "year": 2026, "device_tag": "Q4", "sequence": 7}
    assert make_record_code("case", **kwargs) == "PML-082012-2026-Q4-0007"  # type: ignore[arg-type]
    assert make_record_code("outreach", **kwargs) == "SOS-082012-2026-Q4-0007"  # type: ignore[arg-type]
    assert (
        make_record_code(
            "case", village_code="33.27.12.1005", year=2027, device_tag="A2", sequence=9999
        )
        == "PML-121005-2027-A2-9999"
    )


@pytest.mark.parametrize(
    ("kind", "village", "year", "tag", "sequence"),
    [
        ("incident", "33.27.08.2012", 2026, "Q4", 1),
        ("case", "33.27.08", 2026, "Q4", 1),
        ("case", "33.26.08.2012", 2026, "Q4", 1),  # another kabupaten
        ("case", "33.27.08.2012", 26, "Q4", 1),
        ("case", "33.27.08.2012", 2026, "q4", 1),
        ("case", "33.27.08.2012", 2026, "Q1", 1),  # 1 is not a base32 digit
        ("case", "33.27.08.2012", 2026, "QQQ", 1),
        ("case", "33.27.08.2012", 2026, "Q4", 0),
        ("case", "33.27.08.2012", 2026, "Q4", 10000),
    ],
)
def test_make_record_code_refuses_bad_arguments(
    kind: str, village: str, year: int, tag: str, sequence: int
) -> None:
    with pytest.raises(RecordCodeError):
        make_record_code(
            kind,  # type: ignore[arg-type]
            village_code=village,
            year=year,
            device_tag=tag,
            sequence=sequence,
        )


def test_device_tag() -> None:
    # sha256("abc") starts ba 78: bits 10111 01001 -> base32 "X", "J" (RFC 4648 alphabet).
    assert device_tag("abc") == "XJ"
    tag = device_tag("4f6c1a2e-93b1-4d7e-a7a0-1c6a9e0f5b21")
    assert re.fullmatch(r"[A-Z2-7]{2}", tag)
    assert tag == device_tag("4f6c1a2e-93b1-4d7e-a7a0-1c6a9e0f5b21")


def test_participants_total() -> None:
    doc = {
        "participants": {
            "male_child": 3,
            "male_adult": 10,
            "female_child": 4,
            "female_adult": 20,
            "with_disability": 2,
        }
    }
    assert participants_total(doc) == {
        "male": 13,
        "female": 24,
        "child": 7,
        "adult": 30,
        "total": 37,
        "with_disability": 2,
    }


def test_participants_total_counts_missing_or_invalid_as_zero() -> None:
    assert participants_total({}) == dict.fromkeys(
        ("male", "female", "child", "adult", "total", "with_disability"), 0
    )
    totals = participants_total({"participants": {"male_adult": -5, "female_adult": "7",
                                                  "female_child": 2}})  # fmt: skip
    assert totals["total"] == 2
    assert totals["female"] == 2
