"""Record kinds (case intake, outreach), their field schema, reference data and validation."""

from simpul.records.derived import (
    age_band,
    age_on,
    device_tag,
    is_child,
    make_record_code,
    participants_total,
    victim_age,
)
from simpul.records.paths import (
    ITEM_LISTS,
    JsonValue,
    MalformedDocumentError,
    assign_item_ids,
    flatten,
    new_item_id,
    unflatten,
)
from simpul.records.schema import (
    CASE_SCHEMA,
    OUTREACH_SCHEMA,
    RECORD_KINDS,
    FieldSpec,
    schema_for,
    spec_for_path,
)
from simpul.records.taxonomy import Taxonomy, UnknownCodeError, UnknownListError, load_taxonomy
from simpul.records.validation import PROBLEM_MESSAGES, Problem, validate
from simpul.records.wilayah import Kecamatan, Regions, UnknownVillageError, Village, load_regions

__all__ = [
    "CASE_SCHEMA",
    "ITEM_LISTS",
    "OUTREACH_SCHEMA",
    "PROBLEM_MESSAGES",
    "RECORD_KINDS",
    "FieldSpec",
    "JsonValue",
    "Kecamatan",
    "MalformedDocumentError",
    "Problem",
    "Regions",
    "Taxonomy",
    "UnknownCodeError",
    "UnknownListError",
    "UnknownVillageError",
    "Village",
    "age_band",
    "age_on",
    "assign_item_ids",
    "device_tag",
    "flatten",
    "is_child",
    "load_regions",
    "load_taxonomy",
    "make_record_code",
    "new_item_id",
    "participants_total",
    "schema_for",
    "spec_for_path",
    "unflatten",
    "validate",
    "victim_age",
]
