"""Field schema of the two record kinds (case, outreach), as docs/record-format.md lists them.

The schema says, for every key of a document, its type, the taxonomy list of a code field and
whether it is required. Validation, the GUI forms and the synthetic generator all read it, so a
field is declared once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from simpul.records.paths import DELETED, SEP

__all__ = [
    "CASE_SCHEMA",
    "ITEM_ID_RE",
    "LONG_TEXT_MAX",
    "OUTREACH_SCHEMA",
    "RECORD_KINDS",
    "FieldSpec",
    "FieldType",
    "RecordKind",
    "SHORT_TEXT_MAX",
    "schema_for",
    "spec_for_path",
    "taxonomy_lists_used",
]

RecordKind = Literal["case", "outreach"]
RECORD_KINDS: tuple[RecordKind, ...] = ("case", "outreach")

FieldType = Literal[
    "text",  # free text (str)
    "texts",  # list of free texts
    "bool",
    "int",  # integer, bounded by min/max
    "date",  # ISO YYYY-MM-DD
    "time",  # HH:MM, 24 h
    "code",  # one code of the taxonomy list `taxonomy`
    "codes",  # list of distinct codes of `taxonomy`
    "village",  # Kemendagri code of a Pemalang desa/kelurahan
    "uuid",  # record id
    "uuids",  # list of record ids
    "item_id",  # id of a list item (victims, ...): ITEM_ID_RE
    "record_code",  # PML-/SOS- record code
    "nik",  # 16-digit national identity number
    "kind",  # the record kind
    "object",  # nested object with `fields`
    "items",  # item list (victims, ...): objects with `fields`, keyed by id in paths
    "map",  # object with free keys; keys from `key_taxonomy` or victim ids, values `values`
]


@dataclass(frozen=True)
class FieldSpec:
    """How one key of a record document is typed and checked.

    Attributes:
        type: The field type.
        taxonomy: Taxonomy list of a ``code``/``codes`` field.
        required: The field must be present and non-empty.
        min: Smallest allowed value of an ``int`` field.
        max: Largest allowed value of an ``int`` field.
        max_length: Most characters of a ``text`` field or of each text of ``texts``.
        max_items: Most entries of an ``items``, ``texts`` or ``uuids`` list.
        fields: Keys of an ``object`` or of each item of an ``items`` field.
        key_taxonomy: Taxonomy list of the keys of a ``map``; ``None`` means victim ids.
        values: Spec of the values of a ``map``.
    """

    type: FieldType
    taxonomy: str | None = None
    required: bool = False
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    max_items: int | None = None
    fields: Mapping[str, FieldSpec] = field(default_factory=lambda: MappingProxyType({}))
    key_taxonomy: str | None = None
    values: FieldSpec | None = None


def _fields(**specs: FieldSpec) -> Mapping[str, FieldSpec]:
    return MappingProxyType(specs)


SHORT_TEXT_MAX = 200
"""Most characters of a short text: names, relation, contact, institution, titles, ..."""

LONG_TEXT_MAX = 20_000
"""Most characters of a long text: narrative, summary, notes, descriptions (about 8 pages)."""

ITEM_ID_RE = re.compile(r"[0-9A-Za-z_-]{8,64}")
"""An item id (use ``fullmatch``): ``paths.new_item_id`` makes 28 hex digits; the wider rule
admits ids of other tools while keeping them safe as path segments, file names and SQL text."""

TEXT = FieldSpec("text", max_length=SHORT_TEXT_MAX)
LONG_TEXT = FieldSpec("text", max_length=LONG_TEXT_MAX)
ITEM_ID = FieldSpec("item_id")
BOOL = FieldSpec("bool")
DATE = FieldSpec("date")
VILLAGE = FieldSpec("village")
AGE = FieldSpec("int", min=0, max=120)
COUNT = FieldSpec("int", min=0)


def _code(taxonomy: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec("code", taxonomy=taxonomy, required=required)


def _codes(taxonomy: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec("codes", taxonomy=taxonomy, required=required)


_COMMON = _fields(
    kind=FieldSpec("kind", required=True),
    id=FieldSpec("uuid"),
    code=FieldSpec("record_code"),
    village=VILLAGE,
    **{DELETED: BOOL},
)

VICTIM = _fields(
    id=ITEM_ID,
    name=TEXT,
    nik=FieldSpec("nik"),
    sex=_code("sex"),
    birth_date=DATE,
    age=AGE,
    age_estimated=BOOL,
    education=_code("education"),
    school_status=_code("school_status"),
    occupation=TEXT,
    marital_status=_code("marital_status"),
    disability=_code("disability"),
    disability_types=_codes("disability_type"),
    citizenship=_code("citizenship"),
    domicile_village=VILLAGE,
    pregnant=BOOL,
    contact=TEXT,
    violence_types=_codes("violence_type"),
    **{DELETED: BOOL},
)

PERPETRATOR = _fields(
    id=ITEM_ID,
    name=TEXT,
    sex=_code("sex"),
    age=AGE,
    age_estimated=BOOL,
    child=BOOL,
    occupation=TEXT,
    relationships=FieldSpec("map", values=_code("relationship")),
    **{DELETED: BOOL},
)

TPPO = _fields(
    process=_codes("tppo_process"),
    means=_codes("tppo_means"),
    purpose=_codes("tppo_purpose"),
    indicators=FieldSpec("map", key_taxonomy="tppo_indicator", values=_code("tristate")),
    destination=TEXT,
    destination_domestic=BOOL,
    transit=FieldSpec("texts", max_length=SHORT_TEXT_MAX, max_items=50),
    departed_on=DATE,
    returned_on=DATE,
    recruiter_type=_code("recruiter_type"),
    work_sector=TEXT,
    route=_code("tppo_route"),
    documents_held=LONG_TEXT,
    debt_amount=COUNT,
    still_abroad=BOOL,
    needs_repatriation=BOOL,
    reported_to=_codes("tppo_reported_to"),
)

SERVICE = _fields(
    id=ITEM_ID,
    type=_code("service_type"),
    on=DATE,
    institution=TEXT,
    description=LONG_TEXT,
    **{DELETED: BOOL},
)

REFERRAL = _fields(
    id=ITEM_ID,
    to=_code("referral_target"),
    on=DATE,
    status=_code("referral_status"),
    note=LONG_TEXT,
    **{DELETED: BOOL},
)

CONSENT = _fields(
    given_by=_code("consent_by"),
    given_by_relation=TEXT,
    justification=LONG_TEXT,
    on=DATE,
    method=_code("consent_method"),
    scope=_codes("consent_scope"),
    explained=_codes("consent_explained"),
    withdrawn_on=DATE,
)

CASE_SCHEMA: Mapping[str, FieldSpec] = _fields(
    **_COMMON,
    reported_on=FieldSpec("date", required=True),
    incident_on=DATE,
    incident_on_approx=BOOL,
    channel=_code("report_channel"),
    reporter=FieldSpec("object", fields=_fields(name=TEXT, relation=TEXT, contact=TEXT)),
    place=_code("place"),
    incident_village=VILLAGE,
    incident_address=LONG_TEXT,
    online=BOOL,
    narrative=LONG_TEXT,
    urgent_risk=BOOL,
    urgent_note=LONG_TEXT,
    violence_types=_codes("violence_type", required=True),
    tpks_types=_codes("tpks_type"),
    kdrt=BOOL,
    # A TPPO case (a manning agency's crew, a syndicate) can have hundreds of victims.
    victims=FieldSpec("items", required=True, fields=VICTIM, max_items=500),
    perpetrators=FieldSpec("items", fields=PERPETRATOR, max_items=500),
    tppo=FieldSpec("object", fields=TPPO),
    services=FieldSpec("items", fields=SERVICE, max_items=200),
    referrals=FieldSpec("items", fields=REFERRAL, max_items=200),
    consent=FieldSpec("object", fields=CONSENT),
    status=_code("case_status"),
    legal_status=_code("legal_status"),
    outcome=_code("case_outcome"),
)
"""Keys of a case document (``kind: "case"``)."""

OUTREACH_SCHEMA: Mapping[str, FieldSpec] = _fields(
    **_COMMON,
    title=FieldSpec("text", required=True, max_length=SHORT_TEXT_MAX),
    type=_code("outreach_type"),
    topics=_codes("outreach_topic"),
    held_on=FieldSpec("date", required=True),
    start_time=FieldSpec("time"),
    end_time=FieldSpec("time"),
    venue=TEXT,
    venue_village=VILLAGE,
    organisers=_codes("organiser"),
    speakers=TEXT,
    facilitator=TEXT,
    target_groups=_codes("target_group"),
    participants=FieldSpec(
        "object",
        fields=_fields(
            male_child=COUNT,
            male_adult=COUNT,
            female_child=COUNT,
            female_adult=COUNT,
            with_disability=COUNT,
        ),
    ),
    summary=LONG_TEXT,
    follow_up=LONG_TEXT,
    materials=LONG_TEXT,
    evaluation=LONG_TEXT,
    linked_cases=FieldSpec("uuids", max_items=100),
    funding=_code("funding_source"),
    budget=COUNT,
)
"""Keys of an outreach document (``kind: "outreach"``)."""

_SCHEMAS: Mapping[str, Mapping[str, FieldSpec]] = MappingProxyType(
    {"case": CASE_SCHEMA, "outreach": OUTREACH_SCHEMA}
)


def schema_for(kind: str) -> Mapping[str, FieldSpec] | None:
    """Return the top-level field specs of a record kind, or ``None`` for an unknown kind."""
    return _SCHEMAS.get(kind)


def spec_for_path(kind: str, path: str) -> FieldSpec | None:
    """Return the spec of a flattened field path, or ``None`` when the schema has no such field.

    Args:
        kind: ``"case"`` or ``"outreach"``.
        path: A path as :func:`simpul.records.paths.flatten` makes it, e.g.
            ``victims/<id>/age`` or ``perpetrators/<id>/relationships/<victim id>``.
    """
    fields = schema_for(kind)
    if fields is None:
        return None
    segments = path.split(SEP)
    spec: FieldSpec | None = None
    i = 0
    while i < len(segments):
        if fields is None:
            return None
        spec = fields.get(segments[i])
        if spec is None:
            return None
        i += 1
        if spec.type == "items" and i < len(segments):
            i += 1  # the item id
            fields = spec.fields
        elif spec.type == "object":
            fields = spec.fields
        elif spec.type == "map" and i < len(segments):
            return spec.values if i == len(segments) - 1 else None
        else:
            fields = None
    return spec


def _walk(fields: Mapping[str, FieldSpec], out: set[str]) -> None:
    for spec in fields.values():
        for name in (spec.taxonomy, spec.key_taxonomy):
            if name is not None:
                out.add(name)
        if spec.values is not None:
            _walk({"": spec.values}, out)
        _walk(spec.fields, out)


def taxonomy_lists_used() -> frozenset[str]:
    """Return every taxonomy list some field of either record kind refers to."""
    out: set[str] = set()
    for fields in _SCHEMAS.values():
        _walk(fields, out)
    return frozenset(out)
