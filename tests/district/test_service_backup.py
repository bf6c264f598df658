"""Encrypted backups of the district database and their restore, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from district.config import DistrictConfig
from district.errors import BackupError
from district.keys import KEYS_FILE_NAME
from district.messages import translate
from district.pgtools import PG_BIN_ENV
from district.service import District
from district.testing import SyntheticDevice
from district.views import StaffView

from .conftest import PASSPHRASE

ADMIN = StaffView(user_id=0, name="pytest", role="admin")
postgresql_only = pytest.mark.parametrize("district_config", ["postgresql"], indirect=True)


def _record_ids(district: District) -> set[str]:
    return {r.record_id for r in district.list_records(ADMIN, limit=1000)}


def test_backup_and_restore_round_trip(
    district: District, device: SyntheticDevice, tmp_path: Path, district_config: DistrictConfig
) -> None:
    changes = device.new_cases(5)
    bundle = device.seal(changes)
    district.import_bundle(bundle, via="usb")
    backup = tmp_path / "district.bak"
    district.backup(backup, actor="cli:operator")
    data = backup.read_bytes()
    assert data.startswith(b"SIMPULDB")
    for clear in (b"SQLite format 3", b"PGDMP", changes[0].record_id.encode(), b"records"):
        assert clear not in data
    later = device.seal(device.new_cases(2))
    assert district.import_bundle(later, via="usb").counts.changes == 2
    assert len(_record_ids(district)) == 7
    district.restore(backup, actor="cli:operator")
    assert _record_ids(district) == {c.record_id for c in changes}
    assert district.import_bundle(bundle, via="usb").status == "already_imported"
    # the restored database goes on working: sequences, constraints and the audit log
    assert district.import_bundle(later, via="usb").counts.changes == 2
    district.add_user("adi", "admin", "sandi admin yang panjang")
    admin = district.staff(district.login("adi", "sandi admin yang panjang"))
    assert len(district.list_records(admin)) == 7
    actions = [(e.actor, e.action) for e in reversed(district.audit_log(admin))]
    assert ("cli:operator", "restore") in actions
    assert ("cli:operator", "backup") not in actions  # written after the copy was taken


def test_only_a_backup_of_this_district_restores(
    district: District, device: SyntheticDevice, tmp_path: Path, district_config: DistrictConfig
) -> None:
    district.import_bundle(device.seal(device.new_cases(2)), via="usb")
    backup = tmp_path / "district.bak"
    district.backup(backup)
    other = District.init(DistrictConfig(tmp_path / "other"), PASSPHRASE)
    with pytest.raises(BackupError) as info:
        other.restore(backup)
    assert info.value.code == "backup_unreadable"
    other.close()
    (tmp_path / "junk.bak").write_bytes(b"not a backup")
    with pytest.raises(BackupError) as info:
        district.restore(tmp_path / "junk.bak")
    assert info.value.code == "backup_unreadable"
    damaged = bytearray(backup.read_bytes())
    damaged[-40] ^= 1
    (tmp_path / "damaged.bak").write_bytes(bytes(damaged))
    with pytest.raises(BackupError):
        district.restore(tmp_path / "damaged.bak")
    assert len(_record_ids(district)) == 2


@postgresql_only
def test_a_backup_restores_only_onto_its_kind_of_database(
    district: District, device: SyntheticDevice, tmp_path: Path, district_config: DistrictConfig
) -> None:
    district.import_bundle(device.seal(device.new_cases(2)), via="usb")
    sqlite_dir = tmp_path / "sqlite-district"
    sqlite_dir.mkdir()
    shutil.copy(district_config.keys_path, sqlite_dir / KEYS_FILE_NAME)  # the same keys
    with District.open(DistrictConfig(sqlite_dir), PASSPHRASE) as on_sqlite:
        district.backup(tmp_path / "pg.bak")
        on_sqlite.backup(tmp_path / "sqlite.bak")
        with pytest.raises(BackupError) as info:
            on_sqlite.restore(tmp_path / "pg.bak")
        assert info.value.code == "backup_other_database"
        assert info.value.params == {"made_on": "PostgreSQL", "here": "SQLite"}
    with pytest.raises(BackupError) as info:
        district.restore(tmp_path / "sqlite.bak")
    assert info.value.code == "backup_other_database"
    assert len(_record_ids(district)) == 2


@postgresql_only
def test_a_backup_of_another_schema_is_refused(
    district: District,
    device: SyntheticDevice,
    tmp_path: Path,
    another_district_config: DistrictConfig,
) -> None:
    district.import_bundle(device.seal(device.new_cases(2)), via="usb")
    district.backup(tmp_path / "district.bak")
    with District.open(another_district_config, PASSPHRASE) as elsewhere:
        with pytest.raises(BackupError) as info:
            elsewhere.restore(tmp_path / "district.bak")
        assert info.value.code == "backup_other_schema"
        assert _record_ids(elsewhere) == set()


@postgresql_only
def test_a_restore_that_fails_half_way_changes_nothing(
    district: District, device: SyntheticDevice, tmp_path: Path, district_config: DistrictConfig
) -> None:
    first = device.new_cases(3)
    district.import_bundle(device.seal(first), via="usb")
    district.backup(tmp_path / "district.bak")
    district.import_bundle(device.seal(device.new_cases(2)), via="usb")
    engine = sa.create_engine(str(district_config.database_url))
    try:
        with engine.begin() as conn:
            # Not a district table (the restore leaves it alone), but it takes the name of an
            # index the restore creates near its end, after every row was copied back.
            conn.execute(sa.text("ALTER INDEX ix_audit_at RENAME TO ix_audit_at_old"))
            conn.execute(sa.text("CREATE TABLE ix_audit_at (x int)"))
        with pytest.raises(BackupError) as info:
            district.restore(tmp_path / "district.bak")
        assert info.value.code == "pg_tool_failed"
        assert info.value.params["tool"] == "psql"
        assert "ix_audit_at" in str(info.value.params["detail"])
        assert len(_record_ids(district)) == 5  # the rows of after the backup are all there
    finally:
        engine.dispose()


@postgresql_only
def test_missing_postgresql_tools_are_named_in_the_operators_language(
    district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PG_BIN_ENV, str(tmp_path / "no-postgresql-here"))
    with pytest.raises(BackupError) as info:
        district.backup(tmp_path / "district.bak")
    assert info.value.code == "pg_tools_missing"
    assert not (tmp_path / "district.bak").exists()
    text = translate(info.value.code, "id", info.value.params)
    assert text.startswith("Program PostgreSQL pg_dump tidak ditemukan")
    assert "apt-get install postgresql-client" in text
