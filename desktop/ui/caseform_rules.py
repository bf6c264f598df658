"""What the case form and the case view derive from a case document (no Qt): dates as typed,
the UU TPKS 3×24-hour deadline, and the words for field paths."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from simpul.records.derived import (
    PoliceDeadline,
    age_band,
    is_child,
    is_sexual,
    parse_date,
    police_deadline,
    victim_age,
)

__all__ = [
    "FIELD_CODES",
    "ITEM_CODES",
    "ITEM_REMOVED_CODES",
    "ITEM_TITLE_CODES",
    "AgeFacts",
    "PoliceDeadline",
    "age_facts",
    "changed_labels",
    "display_date",
    "is_sexual",
    "item_numbers",
    "parse_typed_date",
    "path_label",
    "police_deadline",
    "section_of",
]

SEXUAL = "seksual"
TRAFFICKING = "trafficking"
MEDIATION = "mediasi"
UPTD_PPA = "uptd_ppa"
POLICE_REFERRAL = "unit_ppa_polisi"

_DMY = re.compile(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*")
_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def parse_typed_date(text: str) -> tuple[str | None, bool]:
    """A date as a person types it (``17/3/2025``, ``17-03-2025``, ``2025-03-17``) → ISO.

    Returns:
        ``(iso, True)``; ``(None, True)`` for an empty field; ``(None, False)`` when the text
        is not a date.
    """
    if not text.strip():
        return None, True
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.fullmatch(text)
        if not match:
            return None, False
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat(), True
    except ValueError:
        return None, False


def display_date(iso: object) -> str:
    """``2025-03-07`` as ``07/03/2025`` (day first, as Indonesian forms write it)."""
    parsed = parse_date(iso)
    return parsed.strftime("%d/%m/%Y") if parsed else ("" if iso is None else str(iso))


@dataclass(frozen=True)
class AgeFacts:
    """What is derived from a victim's age: the years, the SIMFONI age band, child or adult."""

    age: int
    band: str
    child: bool
    from_birth_date: bool


def age_facts(person: Mapping[str, Any], *, on: date) -> AgeFacts | None:
    """The age (from the birth date on ``on``, else the age typed), band and child flag."""
    age = victim_age(person, on=on)
    if age is None or age > 150:
        return None
    birth = parse_date(person.get("birth_date"))
    return AgeFacts(age, age_band(age), is_child(age), birth is not None and birth <= on)


# -- words for field paths ----------------------------------------------------------------

FIELD_CODES: Mapping[str, str] = {
    "village": "gui_cf_f_village",
    "reported_on": "gui_cf_f_reported_on",
    "incident_on": "gui_cf_f_incident_on",
    "incident_on_approx": "gui_cf_f_incident_on_approx",
    "channel": "gui_cf_f_channel",
    "reporter/name": "gui_cf_f_reporter_name",
    "reporter/relation": "gui_cf_f_reporter_relation",
    "reporter/contact": "gui_cf_f_reporter_contact",
    "place": "gui_cf_f_place",
    "incident_village": "gui_cf_f_incident_village",
    "incident_address": "gui_cf_f_incident_address",
    "online": "gui_cf_f_online",
    "narrative": "gui_cf_f_narrative",
    "urgent_risk": "gui_cf_f_urgent_risk",
    "urgent_note": "gui_cf_f_urgent_note",
    "violence_types": "gui_cf_f_violence_types",
    "tpks_types": "gui_cf_f_tpks_types",
    "kdrt": "gui_cf_f_kdrt",
    "victims": "gui_cf_sec_victims",
    "perpetrators": "gui_cf_sec_perpetrators",
    "services": "gui_cf_services",
    "referrals": "gui_cf_referrals",
    "tppo": "gui_cf_sec_tppo",
    "tppo/process": "gui_cf_f_tppo_process",
    "tppo/means": "gui_cf_f_tppo_means",
    "tppo/purpose": "gui_cf_f_tppo_purpose",
    "tppo/indicators": "gui_cf_f_tppo_indicators",
    "tppo/destination": "gui_cf_f_tppo_destination",
    "tppo/destination_domestic": "gui_cf_f_tppo_destination_domestic",
    "tppo/transit": "gui_cf_f_tppo_transit",
    "tppo/departed_on": "gui_cf_f_tppo_departed_on",
    "tppo/returned_on": "gui_cf_f_tppo_returned_on",
    "tppo/recruiter_type": "gui_cf_f_tppo_recruiter_type",
    "tppo/work_sector": "gui_cf_f_tppo_work_sector",
    "tppo/route": "gui_cf_f_tppo_route",
    "tppo/documents_held": "gui_cf_f_tppo_documents_held",
    "tppo/debt_amount": "gui_cf_f_tppo_debt_amount",
    "tppo/still_abroad": "gui_cf_f_tppo_still_abroad",
    "tppo/needs_repatriation": "gui_cf_f_tppo_needs_repatriation",
    "tppo/reported_to": "gui_cf_f_tppo_reported_to",
    "consent": "gui_cf_sec_consent",
    "consent/given_by": "gui_cf_f_consent_given_by",
    "consent/given_by_relation": "gui_cf_f_consent_relation",
    "consent/justification": "gui_cf_f_consent_justification",
    "consent/on": "gui_cf_f_consent_on",
    "consent/method": "gui_cf_f_consent_method",
    "consent/scope": "gui_cf_f_consent_scope",
    "consent/explained": "gui_cf_f_consent_explained",
    "consent/withdrawn_on": "gui_cf_f_consent_withdrawn_on",
    "status": "gui_cf_f_status",
    "legal_status": "gui_cf_f_legal_status",
    "outcome": "gui_cf_f_outcome",
    "_deleted": "gui_cf_f_deleted",
}
"""The label code of each field path that is not inside a list item."""

ITEM_CODES: Mapping[str, Mapping[str, str]] = {
    "victims": {
        "name": "gui_cf_f_name",
        "nik": "gui_cf_f_nik",
        "sex": "gui_cf_f_sex",
        "birth_date": "gui_cf_f_birth_date",
        "age": "gui_cf_f_age",
        "age_estimated": "gui_cf_f_age_estimated",
        "education": "gui_cf_f_education",
        "school_status": "gui_cf_f_school_status",
        "occupation": "gui_cf_f_occupation",
        "marital_status": "gui_cf_f_marital_status",
        "disability": "gui_cf_f_disability",
        "disability_types": "gui_cf_f_disability_types",
        "citizenship": "gui_cf_f_citizenship",
        "domicile_village": "gui_cf_f_domicile_village",
        "pregnant": "gui_cf_f_pregnant",
        "contact": "gui_cf_f_contact",
        "violence_types": "gui_cf_f_violence_types",
    },
    "perpetrators": {
        "name": "gui_cf_f_name",
        "sex": "gui_cf_f_sex",
        "age": "gui_cf_f_age",
        "age_estimated": "gui_cf_f_age_estimated",
        "child": "gui_cf_f_child_perpetrator",
        "occupation": "gui_cf_f_occupation",
        "relationships": "gui_cf_f_relationship",
    },
    "services": {
        "type": "gui_cf_f_service_type",
        "on": "gui_cf_f_date",
        "institution": "gui_cf_f_institution",
        "description": "gui_cf_f_description",
    },
    "referrals": {
        "to": "gui_cf_f_referral_to",
        "on": "gui_cf_f_date",
        "status": "gui_cf_f_referral_status",
        "note": "gui_cf_f_note",
    },
}
"""The label code of each field of a list item, by list."""

ITEM_TITLE_CODES: Mapping[str, str] = {
    "victims": "gui_cf_victim_n",
    "perpetrators": "gui_cf_perpetrator_n",
    "services": "gui_cf_service_n",
    "referrals": "gui_cf_referral_n",
}
"""``Korban {n}`` and the like: the title of a list item by its position."""

ITEM_REMOVED_CODES: Mapping[str, str] = {
    "victims": "gui_cf_victim_removed",
    "perpetrators": "gui_cf_perpetrator_removed",
    "services": "gui_cf_service_removed",
    "referrals": "gui_cf_referral_removed",
}
"""The title of an item no longer in the record (its history is kept)."""


def item_numbers(doc: Mapping[str, Any]) -> dict[str, int]:
    """Item id → its position (1-based) in its list, for every list item of a document."""
    numbers: dict[str, int] = {}
    for name in ITEM_TITLE_CODES:
        for position, item in enumerate(doc.get(name) or [], start=1):
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                numbers[item["id"]] = position
    return numbers


Translate = Callable[..., str]


def path_label(
    t: Translate,
    path: str,
    numbers: Mapping[str, int],
    *,
    label: Callable[[str, str], str] | None = None,
) -> str:
    """A field path in words: ``victims/<id>/age`` → ``Korban 1 › Usia (tahun)``.

    Args:
        t: The catalogue lookup (``Texts.t``).
        path: A field path (docs/record-format.md).
        numbers: Item id → position, from :func:`item_numbers`.
        label: The taxonomy label lookup (``Texts.label``), for indicator keys.
    """
    parts = path.split("/")
    if parts[0] in ITEM_CODES and len(parts) >= 2:
        list_name, item_id = parts[0], parts[1]
        number = numbers.get(item_id)
        title = (
            t(ITEM_TITLE_CODES[list_name], n=number)
            if number is not None
            else t(ITEM_REMOVED_CODES[list_name])
        )
        if len(parts) == 2:
            return title
        key = parts[2]
        if key == "_deleted":
            return f"{title} › {t('gui_cf_f_deleted')}"
        if key == "relationships" and len(parts) >= 4:
            other = numbers.get(parts[3])
            victim = (
                t("gui_cf_victim_n", n=other) if other is not None else t("gui_cf_victim_removed")
            )
            return f"{title} › {t('gui_cf_f_relationship')} ({victim})"
        code = ITEM_CODES[list_name].get(key)
        return f"{title} › {t(code) if code else key}"
    if path.startswith("tppo/indicators/") and label is not None:
        return f"{t('gui_cf_f_tppo_indicators')} › {label('tppo_indicator', parts[2])}"
    for cut in range(len(parts), 0, -1):
        code = FIELD_CODES.get("/".join(parts[:cut]))
        if code is not None:
            return t(code)
    return path or t("gui_cf_f_record")


def section_of(path: str) -> str:
    """The form section a field path belongs to (``report``, ``victims``, ``tppo``…)."""
    head = path.split("/")[0]
    return {
        "victims": "victims",
        "perpetrators": "perpetrators",
        "tppo": "tppo",
        "services": "services",
        "referrals": "services",
        "consent": "consent",
        "status": "status",
        "legal_status": "status",
        "outcome": "status",
        "violence_types": "violence",
        "tpks_types": "violence",
        "kdrt": "violence",
        "place": "violence",
        "incident_village": "violence",
        "incident_address": "violence",
        "online": "violence",
        "narrative": "violence",
        "urgent_risk": "violence",
        "urgent_note": "violence",
    }.get(head, "report")


def changed_labels(
    t: Translate,
    paths: Sequence[str],
    numbers: Mapping[str, int],
    *,
    label: Callable[[str, str], str] | None = None,
) -> list[str]:
    """The distinct words for the fields a change set, in order (ids and codes left out)."""
    seen: dict[str, None] = {}
    for path in paths:
        if path in ("code", "kind", "id") or path.endswith("/id"):
            continue
        seen.setdefault(path_label(t, path, numbers, label=label), None)
    return list(seen)
