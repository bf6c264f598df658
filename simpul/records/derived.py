"""Values derived from a record, never typed in: ages, age bands, record codes, totals."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from simpul.errors import Error
from simpul.records.taxonomy import load_taxonomy

__all__ = [
    "CHILD_AGE_LIMIT",
    "POLICE_DEADLINE",
    "RECORD_CODE_PREFIX",
    "RECORD_CODE_RE",
    "InvalidAgeError",
    "PoliceDeadline",
    "RecordCodeError",
    "age_band",
    "age_on",
    "device_tag",
    "is_child",
    "is_sexual",
    "make_record_code",
    "parse_date",
    "participant_count",
    "participants_total",
    "police_deadline",
    "victim_age",
]

CHILD_AGE_LIMIT = 18
"""A child is a person under 18 (UU 35/2014 Pasal 1)."""

RecordKind = Literal["case", "outreach"]

RECORD_CODE_PREFIX: Mapping[str, str] = {"case": "PML", "outreach": "SOS"}
"""Prefix of the record code of each record kind."""

RECORD_CODE_RE = re.compile(r"^(PML|SOS)-(\d{2})(\d{4})-(\d{4})-([A-Z2-7]{2})-(\d{4})$")
"""``PREFIX-KKNNNN-YYYY-DT-SSSS``: kecamatan, village, year, device tag, sequence."""

_VILLAGE_CODE_RE = re.compile(r"^33\.27\.(\d{2})\.(\d{4})$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidAgeError(Error, ValueError):
    """An age is negative or a birth date lies after the date the age is taken on."""


class RecordCodeError(Error, ValueError):
    """An argument of :func:`make_record_code` cannot make a valid record code."""


def parse_date(value: object) -> date | None:
    """Return the date of an ISO ``YYYY-MM-DD`` string, or ``None`` when it is not one.

    ``date.fromisoformat`` alone would also accept ``20240101`` and week dates; records store
    only the extended calendar form.
    """
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def age_on(birth_date: date, on: date) -> int:
    """Return the age in completed years on a date.

    A person born on 29 February turns a year older on 1 March in common years.

    Args:
        birth_date: Date of birth.
        on: The date the age is taken on.

    Raises:
        InvalidAgeError: ``birth_date`` is after ``on``.
    """
    if birth_date > on:
        raise InvalidAgeError(f"birth date {birth_date} is after {on}")
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def victim_age(victim: Mapping[str, object], *, on: date) -> int | None:
    """Return a victim's (or perpetrator's) age: from ``birth_date`` on ``on``, else ``age``.

    Args:
        victim: A victim item of a case document.
        on: The date the age is taken on (the report date of the case).

    Returns:
        The age in years, or ``None`` when neither a usable birth date nor an age is recorded.
    """
    birth = parse_date(victim.get("birth_date"))
    if birth is not None and birth <= on:
        return age_on(birth, on)
    age = victim.get("age")
    if isinstance(age, int) and not isinstance(age, bool) and age >= 0:
        return age
    return None


def age_band(age: int) -> str:
    """Return the SIMFONI age band code (taxonomy list ``age_band``) of an age.

    Raises:
        InvalidAgeError: ``age`` is negative.
    """
    if age < 0:
        raise InvalidAgeError(f"negative age {age}")
    taxonomy = load_taxonomy()
    for code in taxonomy.codes("age_band"):
        item = taxonomy.item("age_band", code)
        low, high = item["min"], item["max"]
        if low <= age and (high is None or age <= high):
            return code
    raise InvalidAgeError(f"no age band holds age {age}")


def is_child(age: int) -> bool:
    """Return whether a person of this age is a child (under 18)."""
    return age < CHILD_AGE_LIMIT


def device_tag(device_id: str) -> str:
    """Return the two-character device tag of a device id.

    The first two RFC 4648 base32 characters of SHA-256 of the id: short, upper-case, free of
    look-alike digits, and carrying nothing about the device or its user.
    """
    digest = hashlib.sha256(device_id.encode("utf-8")).digest()
    return base64.b32encode(digest)[:2].decode("ascii")


def make_record_code(
    kind: RecordKind, *, village_code: str, year: int, device_tag: str, sequence: int
) -> str:
    """Return the pseudonymous record code, e.g. ``PML-082012-2026-Q4-0007``.

    ``PML-`` for cases, ``SOS-`` for outreach, then kecamatan (2 digits) and village (4 digits)
    of the recording village, the year, the device tag and the device's sequence number. It
    carries no identity, so it may appear in reports, exports, file names and logs.

    Args:
        kind: ``"case"`` or ``"outreach"``.
        village_code: Kemendagri code of the recording village, e.g. ``33.27.08.2012``.
        year: Four-digit year.
        device_tag: Two base32 characters from :func:`device_tag`.
        sequence: The device's sequence number, 1 to 9999.

    Raises:
        RecordCodeError: An argument does not fit the code.
    """
    prefix = RECORD_CODE_PREFIX.get(kind)
    if prefix is None:
        raise RecordCodeError(f"unknown record kind {kind!r}")
    match = _VILLAGE_CODE_RE.match(village_code)
    if match is None:
        raise RecordCodeError(f"not a Pemalang village code: {village_code!r}")
    if not 1000 <= year <= 9999:
        raise RecordCodeError(f"year must have four digits: {year}")
    if not re.fullmatch(r"[A-Z2-7]{2}", device_tag):
        raise RecordCodeError(f"device tag must be two base32 characters: {device_tag!r}")
    if not 1 <= sequence <= 9999:
        raise RecordCodeError(f"sequence must be 1 to 9999: {sequence}")
    kecamatan, village = match.groups()
    return f"{prefix}-{kecamatan}{village}-{year:04d}-{device_tag}-{sequence:04d}"


def participant_count(value: object) -> int:
    """A count of participants as a number: anything but a whole number above 0 counts 0
    (validation reports a bad count; a total never fails on one)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return 0


def participants_total(doc: Mapping[str, object]) -> dict[str, int]:
    """Return the participant totals of an outreach document.

    Missing or invalid counts count as 0 (validation reports them).

    Args:
        doc: An outreach document.

    Returns:
        ``male``, ``female``, ``child``, ``adult``, ``total`` and ``with_disability``.
    """
    raw = doc.get("participants")
    participants: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    male_child = participant_count(participants.get("male_child"))
    male_adult = participant_count(participants.get("male_adult"))
    female_child = participant_count(participants.get("female_child"))
    female_adult = participant_count(participants.get("female_adult"))
    return {
        "male": male_child + male_adult,
        "female": female_child + female_adult,
        "child": male_child + female_child,
        "adult": male_adult + female_adult,
        "total": male_child + male_adult + female_child + female_adult,
        "with_disability": participant_count(participants.get("with_disability")),
    }


POLICE_DEADLINE = timedelta(hours=72)
"""UU 12/2022 (TPKS) Pasal 41: UPTD PPA forwards a sexual-violence report to the police within
3×24 hours of receiving it."""

_SEXUAL = "seksual"
_UPTD_PPA = "uptd_ppa"
_POLICE_REFERRAL = "unit_ppa_polisi"
_REFUSED = "ditolak"
# Legal statuses that mean the police have the report.
_WITH_POLICE = frozenset({"lapor_polisi", "penyidikan", "p21", "sidang", "putusan", "diversi"})


def is_sexual(doc: Mapping[str, Any]) -> bool:
    """Whether a case is sexual violence: the type ``seksual`` or any UU TPKS sub-type."""
    types = doc.get("violence_types") or []
    return _SEXUAL in types or bool(doc.get("tpks_types"))


@dataclass(frozen=True)
class PoliceDeadline:
    """The UU TPKS Pasal 41 deadline of a sexual-violence case referred to UPTD PPA.

    Attributes:
        received_on: The date of the (earliest) referral to UPTD PPA. Its time of day is not
            recorded, so the 72 hours are counted from the start of that day: the deadline
            shown is never later than the real one.
        due: ``received_on`` 00:00 (local time, naive) + 72 hours.
        forwarded: The police already have the case (legal status from *Lapor polisi* on, or
            a referral to the police PPA unit).
    """

    received_on: date
    due: datetime
    forwarded: bool

    def remaining(self, now: datetime) -> timedelta:
        """Time left (negative once the deadline has passed)."""
        return self.due - now

    def overdue(self, now: datetime) -> bool:
        """Whether the police do not have the case and the deadline has passed (``now`` in
        the same local time as :attr:`due`)."""
        return not self.forwarded and now > self.due


def police_deadline(doc: Mapping[str, Any]) -> PoliceDeadline | None:
    """The 3×24-hour deadline of a case, or ``None`` when it does not apply.

    It applies to sexual violence (``seksual`` or a TPKS sub-type) referred to UPTD PPA (a
    referral that was not refused, with a date). The village case form and the district
    case table both show it from here.

    Args:
        doc: A case document (``violence_types``, ``tpks_types``, ``legal_status`` and the
            ``referrals`` items with ``to``, ``status`` and ``on`` are read).
    """
    if not is_sexual(doc):
        return None
    referrals = [r for r in doc.get("referrals") or [] if isinstance(r, Mapping)]
    dates = [
        d
        for r in referrals
        if r.get("to") == _UPTD_PPA
        and r.get("status") != _REFUSED
        and (d := parse_date(r.get("on"))) is not None
    ]
    if not dates:
        return None
    received = min(dates)
    forwarded = doc.get("legal_status") in _WITH_POLICE or any(
        r.get("to") == _POLICE_REFERRAL and r.get("status") != _REFUSED for r in referrals
    )
    due = datetime.combine(received, time()) + POLICE_DEADLINE
    return PoliceDeadline(received, due, forwarded)
