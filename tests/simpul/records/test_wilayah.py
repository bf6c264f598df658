"""Tests of the Pemalang region index."""

from __future__ import annotations

from pathlib import Path

import pytest

from simpul.errors import UserError
from simpul.records.wilayah import (
    Kecamatan,
    Regions,
    UnknownVillageError,
    Village,
    WilayahError,
    load_regions,
)


def test_load_is_cached() -> None:
    assert load_regions() is load_regions()


def test_kecamatans() -> None:
    kecamatans = load_regions().kecamatans()
    assert len(kecamatans) == 14
    assert kecamatans[0] == Kecamatan("33.27.01", "Moga")
    assert Kecamatan("33.27.12", "Comal") in kecamatans
    assert [k.code for k in kecamatans] == sorted(k.code for k in kecamatans)


def test_village_lookup() -> None:
    regions = load_regions()
    assert regions.village("33.27.08.2012") == Village(
        "33.27.08.2012", "Tambakrejo", "desa", "33.27.08", "Pemalang"
    )
    kelurahan = regions.village("33.27.12.1005")
    assert kelurahan.kind == "kelurahan"
    assert kelurahan.kecamatan_name == "Comal"
    assert regions.village("33.27.03.2013").name == "Sodong Basari"


def test_unknown_village_is_a_user_error() -> None:
    with pytest.raises(UnknownVillageError) as info:
        load_regions().village("33.27.08.9999")
    assert isinstance(info.value, UserError)
    assert info.value.code == "unknown_village"
    assert info.value.params == {"village": "33.27.08.9999"}


def test_is_village() -> None:
    regions = load_regions()
    assert regions.is_village("33.27.08.2012")
    assert not regions.is_village("33.27.08")  # a kecamatan
    assert not regions.is_village("33.27")
    assert not regions.is_village(33270820)


def test_villages_by_kecamatan() -> None:
    regions = load_regions()
    everything = regions.villages()
    assert len(everything) == 223
    per_kecamatan = [regions.villages(k.code) for k in regions.kecamatans()]
    assert sum(len(v) for v in per_kecamatan) == 223
    for kecamatan, villages in zip(regions.kecamatans(), per_kecamatan, strict=True):
        assert villages
        assert {v.kecamatan_code for v in villages} == {kecamatan.code}
    assert regions.villages("33.27.99") == []


def test_kind_follows_the_code() -> None:
    for village in load_regions().villages():
        assert village.kind == ("kelurahan" if village.code[9] == "1" else "desa")


def test_search_is_case_insensitive_on_village_and_kecamatan() -> None:
    regions = load_regions()
    assert [v.code for v in regions.search("tambakREJO")] == ["33.27.08.2012"]
    rejo = regions.search("REJO")
    assert len(rejo) > 1
    assert all("rejo" in v.name.lower() or "rejo" in v.kecamatan_name.lower() for v in rejo)
    comal = regions.search("COMAL")
    assert {v.code for v in regions.villages("33.27.12")} <= {v.code for v in comal}
    assert regions.search("no such place") == []


def test_from_csv_rejects_a_bad_file(tmp_path: Path) -> None:
    with pytest.raises(WilayahError):
        Regions.from_csv(tmp_path / "missing.csv")
    orphan = tmp_path / "orphan.csv"
    orphan.write_text("kode,nama,tingkat\n33.27.01.2001,Plakaran,desa\n", encoding="utf-8")
    with pytest.raises(WilayahError, match="no kecamatan"):
        Regions.from_csv(orphan)
