"""Record kinds (case intake, outreach), their field schema, reference data and validation."""

from simpul.records.taxonomy import Taxonomy, UnknownCodeError, UnknownListError, load_taxonomy
from simpul.records.wilayah import Kecamatan, Regions, UnknownVillageError, Village, load_regions

__all__ = [
    "Kecamatan",
    "Regions",
    "Taxonomy",
    "UnknownCodeError",
    "UnknownListError",
    "UnknownVillageError",
    "Village",
    "load_regions",
    "load_taxonomy",
]
