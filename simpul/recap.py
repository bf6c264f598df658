"""Monthly and yearly recap of a set of records: cases, victims and outreach participants.

The counting core of the village recap page and (later) the district reports; plain Python, no
Qt. What is counted, following the SIMFONI-PPA dashboard, which counts victims (korban):

- **Period.** A case belongs to the period that holds its report date (``reported_on``,
  tanggal pelaporan; the date the store lists cases by, ``RecordView.main_date``), never its
  incident date. An outreach activity belongs to the period of ``held_on``. A record whose date
  is missing or not an ISO date belongs to no period.
- **Deleted records** (the tombstone ``_deleted: true``) and removed victims (an item with
  ``_deleted: true``) are not counted.
- **Cases**: the number of case documents reported in the period, however many victims each
  has; ``cases_by_type`` counts a case once under each violence type of the case or of any
  of its victims.
- **Victims**: every victim of those cases once (``victims``; ``tally()``).
- **Victims by violence type**: a victim is counted once under *each* violence type they
  suffered: their own ``violence_types`` when the victim has any, else the case's (record
  format: "per victim; defaults to the case's"). One victim may therefore appear under two
  types, and the rows of the types add up to more than the number of victims.
- **Sex and age** are each victim's own: sex ``P`` or ``L`` (anything else is unknown); the
  age is taken on the report date from the birth date, else the recorded age
  (:func:`simpul.records.derived.victim_age`), and falls in a SIMFONI age band; a child is
  under 18. A victim without a sex or an age is counted under ``None`` for it, in the totals,
  and in :attr:`VictimTally.unknown`.
- **Outreach**: the number of activities held in the period and the sum of their participants,
  male and female, each split child (<18) and adult, as recorded; a missing or invalid count
  counts as 0 (validation reports it).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from simpul.errors import Error
from simpul.records.derived import (
    CHILD_AGE_LIMIT,
    age_band,
    parse_date,
    participant_count,
    victim_age,
)
from simpul.records.taxonomy import load_taxonomy

__all__ = [
    "PARTICIPANT_CELLS",
    "CaseRecap",
    "OutreachRecap",
    "Participants",
    "Period",
    "PeriodError",
    "VictimKey",
    "VictimTally",
    "band_is_child",
    "recap_cases",
    "recap_outreach",
]

VictimKey = tuple[str, str | None, str | None]
"""``(violence type, sex, age band)``; ``None`` where the victim's sex or age is unknown."""

PARTICIPANT_CELLS = ("female_child", "female_adult", "male_child", "male_adult")
"""The participant counts of an outreach record (``participants/<cell>``)."""

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_SEXES = ("P", "L")
_AGE_CACHE = 121  # ages 0..120, the range validation accepts, are looked up in a table


class PeriodError(Error, ValueError):
    """A period is neither ``YYYY`` nor ``YYYY-MM``."""


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month (``month`` set) or a calendar year (``month`` None)."""

    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999 or (self.month is not None and not 1 <= self.month <= 12):
            raise PeriodError(f"not a period: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period of ``YYYY-MM`` (a month) or ``YYYY`` (a year).

        Raises:
            PeriodError: ``text`` is neither.
        """
        match = _PERIOD_RE.match(text)
        if match is None:
            raise PeriodError(f"not a period (YYYY or YYYY-MM): {text!r}")
        year, month = match.groups()
        return cls(int(year), int(month) if month else None)

    @classmethod
    def month_of(cls, day: date) -> Period:
        """The month that holds ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def year_of(cls, day: date) -> Period:
        """The year that holds ``day``."""
        return cls(day.year)

    @property
    def key(self) -> str:
        """``YYYY-MM`` or ``YYYY`` (what :meth:`parse` takes; also the ISO date prefix)."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}"

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in this period."""
        return day.year == self.year and (self.month is None or day.month == self.month)

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class VictimTally:
    """Victims split as the recap table shows them: female/male × child/adult.

    ``unknown`` holds the victims whose sex or age is not recorded; ``total`` is all of them.
    """

    female_child: int = 0
    female_adult: int = 0
    male_child: int = 0
    male_adult: int = 0
    unknown: int = 0

    @property
    def total(self) -> int:
        """Every victim of the tally."""
        return (
            self.female_child + self.female_adult + self.male_child + self.male_adult + self.unknown
        )


@dataclass(frozen=True)
class CaseRecap:
    """The cases of one period (see the module docstring for what is counted).

    Attributes:
        period: The period counted.
        cases: Cases reported in the period.
        victims: Victims of those cases.
        by_type: Victims per ``(violence type, sex, age band)``.
        by_person: Victims per ``(sex, age band)``, each once whatever their violence types.
        cases_by_type: Cases per violence type.
    """

    period: Period
    cases: int = 0
    victims: int = 0
    by_type: Mapping[VictimKey, int] = field(default_factory=dict)
    by_person: Mapping[tuple[str | None, str | None], int] = field(default_factory=dict)
    cases_by_type: Mapping[str, int] = field(default_factory=dict)

    @property
    def violence_types(self) -> tuple[str, ...]:
        """Every violence type of the taxonomy in its order, then any other code counted
        (from a newer taxonomy), sorted."""
        known = load_taxonomy().codes("violence_type")
        extra = sorted({key[0] for key in self.by_type} - set(known))
        return (*known, *extra)

    def tally(self, violence_type: str | None = None) -> VictimTally:
        """Victims of one violence type by sex and child/adult; ``None``: every victim once."""
        if violence_type is None:
            return _tally(self.by_person.items())
        return _tally(((s, b), n) for (t, s, b), n in self.by_type.items() if t == violence_type)


@dataclass(frozen=True, slots=True)
class Participants:
    """Outreach participants: female/male × child/adult, and how many have a disability."""

    female_child: int = 0
    female_adult: int = 0
    male_child: int = 0
    male_adult: int = 0
    with_disability: int = 0

    @property
    def female(self) -> int:
        """Women and girls."""
        return self.female_child + self.female_adult

    @property
    def male(self) -> int:
        """Men and boys."""
        return self.male_child + self.male_adult

    @property
    def child(self) -> int:
        """Participants under 18."""
        return self.female_child + self.male_child

    @property
    def adult(self) -> int:
        """Participants 18 and over."""
        return self.female_adult + self.male_adult

    @property
    def total(self) -> int:
        """Every participant."""
        return self.female + self.male


@dataclass(frozen=True)
class OutreachRecap:
    """The outreach activities of one period: how many, and their participants summed."""

    period: Period
    events: int = 0
    participants: Participants = field(default_factory=Participants)


def band_is_child(band: str) -> bool:
    """Whether an ``age_band`` code holds children only (its oldest age is under 18).

    Raises:
        UnknownCodeError: ``band`` is not an age band code.
    """
    high = load_taxonomy().item("age_band", band)["max"]
    return high is not None and high < CHILD_AGE_LIMIT


def recap_cases(docs: Iterable[Mapping[str, Any]], period: Period | str) -> CaseRecap:
    """Count the cases reported in a period and their victims.

    Args:
        docs: Case documents (``RecordView.doc``; docs/record-format.md). Deleted ones and
            documents of another ``kind`` are skipped.
        period: A :class:`Period`, or its text ``YYYY-MM`` / ``YYYY``.

    Returns:
        The counts; see the module docstring for what is counted.

    Raises:
        PeriodError: ``period`` is text that is not a period.
    """
    period = Period.parse(period) if isinstance(period, str) else period
    prefix = period.key
    cases = 0
    victims = 0
    by_type: Counter[VictimKey] = Counter()
    by_person: Counter[tuple[str | None, str | None]] = Counter()
    cases_by_type: Counter[str] = Counter()
    for doc in docs:
        reported = doc.get("reported_on")
        # the text prefix rules out most documents before any date parsing
        if not isinstance(reported, str) or not reported.startswith(prefix) or _skip(doc, "case"):
            continue
        on = parse_date(reported)
        if on is None or not period.contains(on):
            continue
        cases += 1
        case_types = _codes(doc.get("violence_types"))
        all_types = set(case_types)
        for victim in _live_items(doc.get("victims")):
            victims += 1
            person = (_sex(victim), _band(victim, on))
            by_person[person] += 1
            types = _codes(victim.get("violence_types")) or case_types
            all_types.update(types)
            for violence_type in types:
                by_type[(violence_type, *person)] += 1
        cases_by_type.update(all_types)
    return CaseRecap(
        period=period,
        cases=cases,
        victims=victims,
        by_type=dict(by_type),
        by_person=dict(by_person),
        cases_by_type=dict(cases_by_type),
    )


def recap_outreach(docs: Iterable[Mapping[str, Any]], period: Period | str) -> OutreachRecap:
    """Count the outreach activities held in a period and sum their participants.

    Args:
        docs: Outreach documents; deleted ones and documents of another ``kind`` are skipped.
        period: A :class:`Period`, or its text ``YYYY-MM`` / ``YYYY``.

    Raises:
        PeriodError: ``period`` is text that is not a period.
    """
    period = Period.parse(period) if isinstance(period, str) else period
    prefix = period.key
    events = 0
    sums: Counter[str] = Counter()
    for doc in docs:
        held = doc.get("held_on")
        if not isinstance(held, str) or not held.startswith(prefix) or _skip(doc, "outreach"):
            continue
        on = parse_date(held)
        if on is None or not period.contains(on):
            continue
        events += 1
        raw = doc.get("participants")
        counts: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        for cell in (*PARTICIPANT_CELLS, "with_disability"):
            sums[cell] += participant_count(counts.get(cell))
    return OutreachRecap(
        period=period,
        events=events,
        participants=Participants(**{cell: sums[cell] for cell in sums}),
    )


# ---------------------------------------------------------------------------- helpers


def _skip(doc: Mapping[str, Any], kind: str) -> bool:
    """A deleted record, or one of another kind (store documents carry no ``kind``)."""
    return doc.get("_deleted") is True or doc.get("kind", kind) != kind


def _live_items(value: object) -> Iterable[Mapping[str, Any]]:
    if not isinstance(value, list):
        return ()
    return (i for i in value if isinstance(i, Mapping) and i.get("_deleted") is not True)


def _codes(value: object) -> tuple[str, ...]:
    """The distinct codes of a code list, in order (a repeated code counts once)."""
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(v for v in value if isinstance(v, str) and v))


def _sex(victim: Mapping[str, Any]) -> str | None:
    sex = victim.get("sex")
    return sex if sex in _SEXES else None


def _band(victim: Mapping[str, Any], on: date) -> str | None:
    age = victim_age(victim, on=on)
    if age is None:
        return None
    return _band_table()[age] if age < _AGE_CACHE else age_band(age)


@cache
def _band_table() -> tuple[str, ...]:
    """The age band of every age 0..120 (``age_band`` reads the taxonomy on every call)."""
    return tuple(age_band(age) for age in range(_AGE_CACHE))


@cache
def _child_bands() -> frozenset[str]:
    return frozenset(b for b in load_taxonomy().codes("age_band") if band_is_child(b))


def _tally(cells: Iterable[tuple[tuple[str | None, str | None], int]]) -> VictimTally:
    counts: Counter[str] = Counter()
    child_bands = _child_bands()
    for (sex, band), n in cells:
        if sex is None or band is None:
            counts["unknown"] += n
            continue
        group = "child" if band in child_bands else "adult"
        counts[f"{'female' if sex == 'P' else 'male'}_{group}"] += n
    return VictimTally(**counts)
