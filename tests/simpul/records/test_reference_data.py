"""Consistency of the shipped reference data (taxonomy and region codes)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

from simpul.records.schema import taxonomy_lists_used
from simpul.records.taxonomy import load_taxonomy, taxonomy_path
from simpul.records.wilayah import wilayah_path
from simpul.resources import resources_dir

SIMFONI_RELATIONSHIPS = {
    "Orang Tua", "Keluarga/Saudara", "Suami/Istri", "Pacar/Teman", "Tetangga", "Guru",
    "Majikan", "Rekan Kerja", "Lainnya", "Tidak diketahui",
}  # fmt: skip


def _raw() -> dict[str, list[dict[str, object]]]:
    data = json.loads(taxonomy_path().read_text(encoding="utf-8"))
    assert data["version"] == 1
    lists: dict[str, list[dict[str, object]]] = data["lists"]
    return lists


def test_every_list_has_unique_codes() -> None:
    for name, items in _raw().items():
        codes = [item["code"] for item in items]
        assert items, name
        assert len(codes) == len(set(codes)), (name, Counter(codes).most_common(1))


def test_codes_are_ascii_snake_case() -> None:
    for name, items in _raw().items():
        for item in items:
            code = item["code"]
            assert isinstance(code, str)
            if name == "sex":
                assert code in {"L", "P"}
            else:
                assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", code), (name, code)


def test_every_item_has_labels_and_a_simfoni_key() -> None:
    for name, items in _raw().items():
        for item in items:
            for lang in ("id", "en"):
                label = item.get(lang)
                assert isinstance(label, str) and label.strip(), (name, item["code"], lang)
            assert "simfoni" in item, (name, item["code"])
            assert item["simfoni"] is None or isinstance(item["simfoni"], str)


def test_every_relationship_maps_to_a_simfoni_label() -> None:
    taxonomy = load_taxonomy()
    mapped = {taxonomy.simfoni("relationship", c) for c in taxonomy.codes("relationship")}
    assert mapped <= SIMFONI_RELATIONSHIPS
    assert mapped == SIMFONI_RELATIONSHIPS  # every SIMFONI label is reachable


def test_age_bands_cover_every_age_without_overlap() -> None:
    taxonomy = load_taxonomy()
    expected_min = 0
    items = [taxonomy.item("age_band", c) for c in taxonomy.codes("age_band")]
    for item in items[:-1]:
        assert item["min"] == expected_min
        assert item["max"] >= item["min"]
        expected_min = item["max"] + 1
    assert items[-1]["min"] == expected_min == 60
    assert items[-1]["max"] is None


def test_schema_uses_only_existing_lists() -> None:
    assert taxonomy_lists_used() <= set(load_taxonomy().lists())


def test_wilayah_counts() -> None:
    with wilayah_path().open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    levels = Counter(row["tingkat"] for row in rows)
    assert levels == {"kabupaten": 1, "kecamatan": 14, "desa": 212, "kelurahan": 11}
    for row in rows:
        code = row["kode"]
        assert code.startswith("33.27")
        if row["tingkat"] == "desa":
            assert re.fullmatch(r"33\.27\.\d{2}\.2\d{3}", code), code
        elif row["tingkat"] == "kelurahan":
            assert re.fullmatch(r"33\.27\.\d{2}\.1\d{3}", code), code
    assert len({row["kode"] for row in rows}) == len(rows)


def test_wilayah_licence_ships_beside_the_data() -> None:
    folder = resources_dir() / "wilayah"
    licence = (folder / "LICENSE-wilayah.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Cahya DSN" in licence
    assert "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7" in readme
    assert "cahyadsn/wilayah" in readme and "MIT License" in readme
