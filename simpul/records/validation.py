"""Check a record document against its schema, the reference data and the domain rules.

``validate`` returns every problem at once (a form shows them all, a bundle import lists them
all); it never raises on bad input. Each problem carries a field path, a stable code and an
English source message with ``{placeholders}``; the UI translates by code.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeGuard

from simpul.records.derived import (
    RECORD_CODE_PREFIX,
    RECORD_CODE_RE,
    age_on,
    is_child,
    parse_date,
    participants_total,
    victim_age,
)
from simpul.records.paths import SEP
from simpul.records.schema import ITEM_ID_RE, RECORD_KINDS, FieldSpec, schema_for
from simpul.records.taxonomy import Taxonomy, load_taxonomy
from simpul.records.wilayah import Regions, load_regions

__all__ = ["EXPECTED_TYPES", "PROBLEM_MESSAGES", "TPPO_ELEMENTS", "Problem", "validate"]

PROBLEM_MESSAGES: Mapping[str, str] = {
    "wrong_type": "Expected {expected}",
    "unknown_key": "Unknown field {key}",
    "unknown_kind": "Unknown record kind {value}",
    "required": "This field is required",
    "unknown_code": "{value} is not a code of the list {list}",
    "duplicate_code": "{value} is listed twice",
    "unknown_village": "{value} is not a village of Kabupaten Pemalang",
    "bad_date": "{value} is not a date (YYYY-MM-DD)",
    "bad_time": "{value} is not a time (HH:MM)",
    "bad_id": "{value} is not a valid id",
    "duplicate_id": "Item id {value} is used twice",
    "bad_record_code": "{value} is not a record code of this kind",
    "bad_nik": "A NIK has exactly 16 digits",
    "not_integer": "Expected a whole number",
    "negative": "Must not be negative",
    "out_of_range": "Must be between {min} and {max}",
    "future_date": "{value} is in the future",
    "incident_after_report": "The incident date {incident_on} is after the report date "
    "{reported_on}",
    "birth_after_report": "The birth date {birth_date} is after the report date {reported_on}",
    "tppo_element_missing": "Trafficking needs the {element} element (UU 21/2007 Pasal 1)",
    "exceeds_total": "{with_disability} participants with disability, but only {total} in total",
    "age_mismatch": "Age {age} does not match the birth date ({computed} on {on})",
    "child_self_consent": "Victim {victim} is a child: a parent, guardian or institution consents",
    "justification_required": "Consent on another legal basis needs a justification",
    "withdrawn_before_given": "Consent withdrawn on {withdrawn_on}, before it was given on {on}",
    "mediation_not_allowed": "Mediation is not an outcome for sexual violence (UU TPKS Pasal 23)",
    "unknown_victim": "No victim of this case has the id {victim}",
    "violence_type_not_in_case": "{value} is not one of the case's violence types",
    "tpks_without_sexual": "TPKS sub-types need the violence type seksual",
    "child_flag_mismatch": "The child flag does not match age {age}",
    "returned_before_departed": "Return date {returned_on} is before departure {departed_on}",
    "end_before_start": "The end time {end_time} is before the start time {start_time}",
    "too_long": "At most {max} characters ({length} given)",
    "too_many": "At most {max} entries ({count} given)",
}
"""English source message of every problem code."""

EXPECTED_TYPES: tuple[str, ...] = (
    "text",
    "list of texts",
    "true or false",
    "code",
    "list of codes",
    "list of record ids",
    "object",
    "list of objects",
)
"""Every value of the ``expected`` param of ``wrong_type`` (the UI translates them)."""

TPPO_ELEMENTS: tuple[str, ...] = ("process", "means", "purpose")
"""Values of the ``element`` param of ``tppo_element_missing`` (UU 21/2007 Pasal 1)."""

_SHOWN_MAX = 40
_SAFE_KEY_RE = re.compile(r"[0-9A-Za-z_-]{1,64}")
_TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # fullmatch: no trailing newline
_NIK_RE = re.compile(r"[0-9]{16}")  # ASCII digits: \d would admit other scripts
_TRAFFICKING = "trafficking"
_SEXUAL = "seksual"
_MEDIATION = "mediasi"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document.

    Attributes:
        path: Field path, e.g. ``victims/<id>/age`` or ``participants/female_child`` (``""`` for
            the document itself).
        code: Stable identifier (a key of :data:`PROBLEM_MESSAGES`).
        message: English source message with ``{placeholders}`` for ``params``.
        params: Values for the placeholders (JSON-friendly).
    """

    path: str
    code: str
    message: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """Return the English message with its placeholders filled in."""
        return self.message.format(**self.params)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}{SEP}{key}" if prefix else key


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_empty(value: object) -> bool:
    """Return whether a value counts as not filled in (blank text included)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def _shown(value: object) -> object:
    """Return a value as a problem may echo it: short, printable, JSON-friendly.

    A message repeats the bad value so the user can find it; a 5 MB string or a control
    character would make that line useless (or rewrite the terminal).
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else type(value).__name__
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX] + "…"
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _is_item_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and ITEM_ID_RE.fullmatch(value) is not None


def _item_key(item: Mapping[str, object], index: int) -> str:
    """The path segment of a list item: its id when that is a valid id, else its position."""
    item_id = item.get("id")
    return item_id if _is_item_id(item_id) else str(index)


def _str_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class _Validator:
    """Collects the problems of one document."""

    def __init__(self, kind: str, today: date, taxonomy: Taxonomy, regions: Regions) -> None:
        self.kind = kind
        self.today = today
        self.taxonomy = taxonomy
        self.regions = regions
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, **params: object) -> None:
        self.problems.append(Problem(path, code, PROBLEM_MESSAGES[code], params))

    # -- shape, types and reference data ------------------------------------------------

    def check_object(
        self, obj: Mapping[str, object], fields: Mapping[str, FieldSpec], prefix: str
    ) -> None:
        for key, value in obj.items():
            spec = fields.get(key) if isinstance(key, str) else None
            if spec is None:
                # A key that is not a plain name cannot be a path segment: point at the parent.
                path = _join(prefix, key) if _SAFE_KEY_RE.fullmatch(str(key)) else prefix
                self.add(path, "unknown_key", key=_shown(key))
            elif value is not None:
                self.check_value(value, spec, _join(prefix, key))
        for key, spec in fields.items():
            if spec.required and _is_empty(obj.get(key)):
                self.add(_join(prefix, key), "required")

    def check_value(self, value: object, spec: FieldSpec, path: str) -> None:
        kind = spec.type
        if kind == "text":
            if not isinstance(value, str):
                self.add(path, "wrong_type", expected="text")
            else:
                self.check_length(value, spec, path)
        elif kind == "texts":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.add(path, "wrong_type", expected="list of texts")
            else:
                self.check_count(value, spec, path)
                self.check_length(max(value, key=len, default=""), spec, path)
        elif kind == "bool":
            if not isinstance(value, bool):
                self.add(path, "wrong_type", expected="true or false")
        elif kind == "int":
            self.check_int(value, spec, path)
        elif kind == "date":
            self.check_date(value, path)
        elif kind == "time":
            if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
                self.add(path, "bad_time", value=_shown(value))
        elif kind == "code":
            self.check_code(value, spec, path)
        elif kind == "codes":
            self.check_codes(value, spec, path)
        elif kind == "village":
            if not self.regions.is_village(value):
                self.add(path, "unknown_village", value=_shown(value))
        elif kind == "uuid":
            self.check_uuid(value, path)
        elif kind == "uuids":
            if not isinstance(value, list):
                self.add(path, "wrong_type", expected="list of record ids")
            else:
                self.check_count(value, spec, path)
                for v in value:
                    self.check_uuid(v, path)
        elif kind == "item_id":
            # An empty id is a missing one: paths.assign_item_ids gives the item a new id.
            if not isinstance(value, str):
                self.add(path, "wrong_type", expected="text")
            elif value and not _is_item_id(value):
                self.add(path, "bad_id", value=_shown(value))
        elif kind == "record_code":
            match = RECORD_CODE_RE.fullmatch(value) if isinstance(value, str) else None
            if match is None or match.group(1) != RECORD_CODE_PREFIX[self.kind]:
                self.add(path, "bad_record_code", value=_shown(value))
        elif kind == "nik":
            if not isinstance(value, str) or not _NIK_RE.fullmatch(value):
                self.add(path, "bad_nik")
        elif kind == "kind":
            pass  # checked before anything else
        elif kind == "object":
            if not isinstance(value, Mapping):
                self.add(path, "wrong_type", expected="object")
            else:
                self.check_object(value, spec.fields, path)
        elif kind == "items":
            self.check_items(value, spec, path)
        elif kind == "map":
            self.check_map(value, spec, path)
        else:  # pragma: no cover - the schema only uses the types above
            raise AssertionError(f"unhandled field type {kind}")

    def check_length(self, value: str, spec: FieldSpec, path: str) -> None:
        if spec.max_length is not None and len(value) > spec.max_length:
            self.add(path, "too_long", max=spec.max_length, length=len(value))

    def check_count(self, value: list[object], spec: FieldSpec, path: str) -> None:
        if spec.max_items is not None and len(value) > spec.max_items:
            self.add(path, "too_many", max=spec.max_items, count=len(value))

    def check_int(self, value: object, spec: FieldSpec, path: str) -> None:
        if not _is_int(value):
            self.add(path, "not_integer")
            return
        assert isinstance(value, int)
        if spec.min == 0 and spec.max is None and value < 0:
            self.add(path, "negative")
        elif (spec.min is not None and value < spec.min) or (
            spec.max is not None and value > spec.max
        ):
            self.add(path, "out_of_range", min=spec.min, max=spec.max)

    def check_date(self, value: object, path: str) -> date | None:
        parsed = parse_date(value)
        if parsed is None:
            self.add(path, "bad_date", value=_shown(value))
        elif parsed > self.today:
            self.add(path, "future_date", value=value)
        return parsed

    def check_code(self, value: object, spec: FieldSpec, path: str) -> None:
        assert spec.taxonomy is not None
        if not isinstance(value, str):
            self.add(path, "wrong_type", expected="code")
        elif not self.taxonomy.has(spec.taxonomy, value):
            self.add(path, "unknown_code", value=_shown(value), list=spec.taxonomy)

    def check_codes(self, value: object, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, list):
            self.add(path, "wrong_type", expected="list of codes")
            return
        seen: set[str] = set()
        for v in value:
            self.check_code(v, spec, path)
            if isinstance(v, str):
                if v in seen:
                    self.add(path, "duplicate_code", value=_shown(v))
                seen.add(v)

    def check_uuid(self, value: object, path: str) -> None:
        ok = isinstance(value, str)
        if isinstance(value, str):
            try:
                uuid.UUID(value)
            except ValueError:
                ok = False
        if not ok:
            self.add(path, "bad_id", value=_shown(value))

    def check_items(self, value: object, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, list):
            self.add(path, "wrong_type", expected="list of objects")
            return
        self.check_count(value, spec, path)
        seen: set[str] = set()
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.add(_join(path, str(index)), "wrong_type", expected="object")
                continue
            # An invalid id is reported by check_value ("item_id") at <list>/<index>/id.
            item_path = _join(path, _item_key(item, index))
            item_id = item.get("id")
            if _is_item_id(item_id):
                if item_id in seen:
                    self.add(_join(item_path, "id"), "duplicate_id", value=item_id)
                seen.add(item_id)
            self.check_object(item, spec.fields, item_path)

    def check_map(self, value: object, spec: FieldSpec, path: str) -> None:
        if not isinstance(value, Mapping):
            self.add(path, "wrong_type", expected="object")
            return
        for key, v in value.items():
            safe = _SAFE_KEY_RE.fullmatch(str(key)) is not None
            key_path = _join(path, str(key)) if safe else path
            if spec.key_taxonomy is None:
                # Keys are victim ids (perpetrators/<id>/relationships/<victim id>).
                if not _is_item_id(key):
                    self.add(key_path, "bad_id", value=_shown(key))
                    continue
            elif not self.taxonomy.has(spec.key_taxonomy, key):
                self.add(key_path, "unknown_code", value=_shown(key), list=spec.key_taxonomy)
                if not safe:
                    continue
            if v is not None and spec.values is not None:
                self.check_value(v, spec.values, key_path)

    # -- case rules ---------------------------------------------------------------------

    def check_case(self, doc: Mapping[str, object]) -> None:
        reported_on = parse_date(doc.get("reported_on"))
        incident_on = parse_date(doc.get("incident_on"))
        if reported_on and incident_on and incident_on > reported_on:
            self.add(
                "incident_on",
                "incident_after_report",
                incident_on=incident_on.isoformat(),
                reported_on=reported_on.isoformat(),
            )
        age_date = reported_on or self.today
        case_types = set(_str_list(doc.get("violence_types")))
        victims = self.items(doc, "victims")

        if victims and not any(self.taxonomy.has("sex", v.get("sex")) for _, v in victims):
            self.add(_join(victims[0][0], "sex"), "required")

        victim_ids: set[str] = set()
        child_victims: list[str] = []
        trafficking_victims: list[str] = []
        all_types = set(case_types)
        for path, victim in victims:
            item_id = victim.get("id")
            if _is_item_id(item_id):
                victim_ids.add(item_id)
            own_types = _str_list(victim.get("violence_types"))
            all_types.update(own_types)
            for code in own_types:
                # With no case-level types, "required" on violence_types says it all.
                if case_types and code not in case_types:
                    self.add(_join(path, "violence_types"), "violence_type_not_in_case", value=code)
            self.check_victim_age(victim, path, reported_on, age_date)
            age = victim_age(victim, on=age_date)
            if age is not None and is_child(age):
                child_victims.append(path)
            if _TRAFFICKING in (own_types or case_types):
                trafficking_victims.append(path)

        if doc.get("tpks_types") and _SEXUAL not in case_types:
            self.add("tpks_types", "tpks_without_sexual")

        for path, perpetrator in self.items(doc, "perpetrators"):
            relationships = perpetrator.get("relationships")
            if isinstance(relationships, Mapping):
                for victim_id in relationships:
                    # A malformed key is already reported as bad_id.
                    if _is_item_id(victim_id) and victim_id not in victim_ids:
                        self.add(
                            _join(path, f"relationships{SEP}{victim_id}"),
                            "unknown_victim",
                            victim=str(victim_id),
                        )
            p_age, child = perpetrator.get("age"), perpetrator.get("child")
            if _is_int(p_age) and isinstance(p_age, int) and isinstance(child, bool):
                if p_age >= 0 and child != is_child(p_age):
                    self.add(_join(path, "child"), "child_flag_mismatch", age=p_age)

        if _TRAFFICKING in all_types:
            # When no victim is marked with trafficking, the element rule looks at them all.
            subjects = trafficking_victims or [path for path, _ in victims]
            self.check_tppo(doc.get("tppo"), subjects, child_victims)
        self.check_consent(doc.get("consent"), child_victims)

        sexual = _SEXUAL in all_types or bool(doc.get("tpks_types"))
        if doc.get("outcome") == _MEDIATION and sexual:
            self.add("outcome", "mediation_not_allowed")

    def items(self, doc: Mapping[str, object], name: str) -> list[tuple[str, Mapping[str, object]]]:
        """Return the well-formed items of an item list with their paths."""
        value = doc.get(name)
        if not isinstance(value, list):
            return []
        return [
            (_join(name, _item_key(item, index)), item)
            for index, item in enumerate(value)
            if isinstance(item, Mapping)
        ]

    def check_victim_age(
        self, victim: Mapping[str, object], path: str, reported_on: date | None, age_date: date
    ) -> None:
        birth = parse_date(victim.get("birth_date"))
        if birth is None:
            return
        if reported_on is not None and reported_on < birth <= self.today:
            self.add(
                _join(path, "birth_date"),
                "birth_after_report",
                birth_date=birth.isoformat(),
                reported_on=reported_on.isoformat(),
            )
            return
        if birth > age_date:
            return  # a future birth date is already reported
        computed = age_on(birth, age_date)
        if computed > 120:
            self.add(_join(path, "birth_date"), "out_of_range", min=0, max=120)
        age = victim.get("age")
        if _is_int(age) and isinstance(age, int):
            # An estimated age may be off by a few years; a stated one only by a birthday.
            tolerance = 3 if victim.get("age_estimated") is True else 1
            if abs(computed - age) > tolerance:
                self.add(
                    _join(path, "age"),
                    "age_mismatch",
                    age=age,
                    computed=computed,
                    on=age_date.isoformat(),
                )

    def check_tppo(
        self, tppo: object, trafficking_victims: list[str], child_victims: list[str]
    ) -> None:
        elements: Mapping[str, object] = tppo if isinstance(tppo, Mapping) else {}
        # UU 21/2007 Pasal 1 and 2: process, means and purpose. For a child the means are not
        # needed (Palermo Protocol art. 3(c); Pasal 6 "dengan cara apa pun"). An unknown age
        # counts as an adult, so the means stay required until the age is recorded.
        all_children = bool(trafficking_victims) and all(
            p in child_victims for p in trafficking_victims
        )
        needed = [e for e in TPPO_ELEMENTS if not (all_children and e == "means")]
        for element in needed:
            if _is_empty(elements.get(element)):
                self.add(f"tppo{SEP}{element}", "tppo_element_missing", element=element)
        departed = parse_date(elements.get("departed_on"))
        returned = parse_date(elements.get("returned_on"))
        if departed and returned and returned < departed:
            self.add(
                f"tppo{SEP}returned_on",
                "returned_before_departed",
                returned_on=returned.isoformat(),
                departed_on=departed.isoformat(),
            )

    def check_consent(self, consent: object, child_victims: list[str]) -> None:
        if not isinstance(consent, Mapping):
            return
        given_by = consent.get("given_by")
        if given_by == "korban" and child_victims:
            # UU PDP Pasal 25: a child's data is processed with a parent's or guardian's consent.
            self.add(
                f"consent{SEP}given_by",
                "child_self_consent",
                victim=child_victims[0].split(SEP)[-1],
            )
        if given_by == "dasar_hukum_lain" and _is_empty(consent.get("justification")):
            self.add(f"consent{SEP}justification", "justification_required")
        given_on = parse_date(consent.get("on"))
        withdrawn_on = parse_date(consent.get("withdrawn_on"))
        if given_on and withdrawn_on and withdrawn_on < given_on:
            self.add(
                f"consent{SEP}withdrawn_on",
                "withdrawn_before_given",
                withdrawn_on=withdrawn_on.isoformat(),
                on=given_on.isoformat(),
            )

    # -- outreach rules -----------------------------------------------------------------

    def check_outreach(self, doc: Mapping[str, object]) -> None:
        start, end = doc.get("start_time"), doc.get("end_time")
        if (
            isinstance(start, str)
            and isinstance(end, str)
            and _TIME_RE.fullmatch(start)
            and _TIME_RE.fullmatch(end)
            and end < start
        ):
            self.add("end_time", "end_before_start", start_time=start, end_time=end)
        participants = doc.get("participants")
        if isinstance(participants, Mapping):
            totals = participants_total(doc)
            with_disability = participants.get("with_disability")
            if (
                _is_int(with_disability)
                and isinstance(with_disability, int)
                and (with_disability > totals["total"])
            ):
                self.add(
                    f"participants{SEP}with_disability",
                    "exceeds_total",
                    with_disability=with_disability,
                    total=totals["total"],
                )


def validate(doc: object, *, today: date | None = None) -> list[Problem]:
    """Return every problem of a record document; an empty list means it is valid.

    Checks unknown keys, types, taxonomy codes, village codes, dates and times, required
    fields, and the domain rules of docs/record-format.md and DOMAIN.md (dates in the future,
    incident after report, TPPO elements, ages, consent for children, no mediation for sexual
    violence, relationships to existing victims, participant counts, ...).

    Args:
        doc: A record document (``kind`` ``"case"`` or ``"outreach"``), as parsed from JSON.
        today: The date "in the future" is measured against; defaults to today.

    Returns:
        The problems, in document order, then cross-field problems.
    """
    today = today or date.today()
    if not isinstance(doc, Mapping):
        return [Problem("", "wrong_type", PROBLEM_MESSAGES["wrong_type"], {"expected": "object"})]
    kind = doc.get("kind")
    if _is_empty(kind):
        return [Problem("kind", "required", PROBLEM_MESSAGES["required"], {})]
    fields = schema_for(kind) if isinstance(kind, str) else None
    if fields is None or kind not in RECORD_KINDS:
        return [Problem("kind", "unknown_kind", PROBLEM_MESSAGES["unknown_kind"], {"value": kind})]
    assert isinstance(kind, str)
    validator = _Validator(kind, today, load_taxonomy(), load_regions())
    validator.check_object(doc, fields, "")
    if kind == "case":
        validator.check_case(doc)
    else:
        validator.check_outreach(doc)
    return validator.problems
