"""Tests of the taxonomy loader and its lookups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simpul.errors import Error, UserError
from simpul.records.taxonomy import (
    Taxonomy,
    TaxonomyError,
    UnknownCodeError,
    UnknownListError,
    load_taxonomy,
    taxonomy_path,
)

REQUIRED_LISTS = {
    "violence_type", "tpks_type", "place", "report_channel", "sex", "education",
    "school_status", "marital_status", "disability", "disability_type", "citizenship",
    "relationship", "tppo_process", "tppo_means", "tppo_purpose", "tppo_indicator", "tristate",
    "recruiter_type", "tppo_route", "tppo_reported_to", "service_type", "referral_target",
    "referral_status", "case_status", "legal_status", "case_outcome", "consent_by",
    "consent_method", "consent_scope", "consent_explained", "outreach_type", "outreach_topic",
    "organiser", "target_group", "funding_source", "age_band",
}  # fmt: skip


def test_load_is_cached_and_versioned() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy is load_taxonomy()
    assert taxonomy.version == 1


def test_lists_are_exactly_the_documented_ones() -> None:
    assert set(load_taxonomy().lists()) == REQUIRED_LISTS


@pytest.mark.parametrize(
    ("list_name", "codes"),
    [
        ("violence_type",
         ("fisik", "psikis", "seksual", "eksploitasi", "trafficking", "penelantaran", "lainnya")),
        ("sex", ("L", "P")),
        ("disability", ("ya", "tidak", "tidak_tahu")),
        ("tristate", ("ya", "tidak", "tidak_tahu")),
        ("tppo_route", ("prosedural", "non_prosedural")),
        ("case_status",
         ("dicatat", "dirujuk", "diterima_uptd", "dalam_penanganan", "selesai",
          "ditutup_tidak_terhubung", "ditolak_korban")),
        ("consent_by", ("korban", "orang_tua_wali", "lembaga", "dasar_hukum_lain")),
        ("consent_scope", ("catat", "rujuk_uptd", "bagi_polisi", "statistik_anonim")),
        ("age_band", ("0_5", "6_12", "13_17", "18_24", "25_44", "45_59", "60_plus")),
    ],
)  # fmt: skip
def test_codes_in_order(list_name: str, codes: tuple[str, ...]) -> None:
    assert load_taxonomy().codes(list_name) == codes


def test_list_sizes_follow_the_law_and_simfoni() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.codes("tpks_type")) == 9  # UU TPKS Pasal 4(1)
    assert len(taxonomy.codes("service_type")) == 8  # SIMFONI services
    assert len(taxonomy.codes("tppo_process")) == 6  # UU 21/2007 Pasal 1
    assert len(taxonomy.codes("tppo_means")) == 9
    assert "mediasi" in taxonomy.codes("case_outcome")


def test_relationship_has_the_fine_codes() -> None:
    codes = set(load_taxonomy().codes("relationship"))
    assert {
        "ayah_kandung", "ayah_tiri", "ibu_kandung", "ibu_tiri", "kakek", "paman",
        "saudara_kandung", "sepupu", "suami", "istri", "mantan_suami", "pacar", "mantan_pacar",
        "teman", "teman_online", "tetangga", "guru", "guru_ngaji", "majikan", "rekan_kerja",
        "calo_sponsor", "orang_tak_dikenal", "lainnya", "tidak_diketahui",
    } <= codes  # fmt: skip


def test_has() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.has("place", "sekolah")
    assert not taxonomy.has("place", "pasar")
    assert not taxonomy.has("sex", "l")  # codes are case-sensitive
    assert not taxonomy.has("sex", None)


def test_unknown_list_is_an_error() -> None:
    taxonomy = load_taxonomy()
    for call in (
        lambda: taxonomy.codes("colour"),
        lambda: taxonomy.has("colour", "red"),
        lambda: taxonomy.label("colour", "red"),
        lambda: taxonomy.simfoni("colour", "red"),
        lambda: taxonomy.item("colour", "red"),
    ):
        with pytest.raises(UnknownListError) as info:
            call()
        assert isinstance(info.value, Error)
        assert info.value.list_name == "colour"


def test_labels_in_both_languages() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.label("relationship", "ayah_tiri") == "Ayah tiri"
    assert taxonomy.label("relationship", "ayah_tiri", lang="en") == "Stepfather"
    assert taxonomy.label("sex", "P") == "Perempuan"
    with pytest.raises(ValueError):
        taxonomy.label("sex", "P", lang="jv")  # type: ignore[arg-type]


def test_unknown_code_is_a_user_error_with_a_code() -> None:
    with pytest.raises(UnknownCodeError) as info:
        load_taxonomy().label("place", "pasar")
    assert isinstance(info.value, UserError)
    assert info.value.code == "unknown_code"
    assert info.value.params == {"list_name": "place", "value": "pasar"}


def test_simfoni_mapping() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.simfoni("relationship", "ayah_tiri") == "Orang Tua"
    assert taxonomy.simfoni("relationship", "mantan_pacar") == "Pacar/Teman"
    assert taxonomy.simfoni("relationship", "tidak_diketahui") == "Tidak diketahui"
    assert taxonomy.simfoni("violence_type", "trafficking") == "Trafficking"
    assert taxonomy.simfoni("service_type", "pendampingan_tokoh_agama") == (
        "Pendampingan Tokoh Agama"
    )
    assert taxonomy.simfoni("tpks_type", "perbudakan_seksual") is None


def test_item_has_extras_and_is_a_copy() -> None:
    taxonomy = load_taxonomy()
    item = taxonomy.item("age_band", "13_17")
    assert (item["min"], item["max"]) == (13, 17)
    assert taxonomy.item("age_band", "60_plus")["max"] is None
    item["min"] = 99
    assert taxonomy.item("age_band", "13_17")["min"] == 13


def test_resources_override_moves_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SIMPUL_RESOURCES", str(tmp_path))
    assert taxonomy_path() == tmp_path / "taxonomy" / "taxonomy-v1.json"


def test_from_file_rejects_a_missing_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError):
        Taxonomy.from_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "lists": []}', encoding="utf-8")
    with pytest.raises(TaxonomyError):
        Taxonomy.from_file(bad)


def test_from_file_rejects_repeated_codes(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    item = {"code": "a", "id": "A", "en": "A", "simfoni": None}
    path.write_text(json.dumps({"version": 2, "lists": {"x": [item, item]}}), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="repeats"):
        Taxonomy.from_file(path)


def test_from_file_reads_another_version(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    item = {"code": "a", "id": "Satu", "en": "One", "simfoni": "Satu"}
    path.write_text(json.dumps({"version": 2, "lists": {"x": [item]}}), encoding="utf-8")
    taxonomy = Taxonomy.from_file(path)
    assert taxonomy.version == 2
    assert taxonomy.lists() == ["x"]
    assert taxonomy.label("x", "a", lang="en") == "One"
