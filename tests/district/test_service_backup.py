"""Encrypted backups of the SQLite database, and their restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from district.config import DistrictConfig
from district.errors import BackupError
from district.service import District
from district.testing import SyntheticDevice

from .conftest import PASSPHRASE


def test_backup_and_restore_round_trip(
    district: District, device: SyntheticDevice, tmp_path: Path, district_config: DistrictConfig
) -> None:
    if not district_config.is_sqlite:
        with pytest.raises(BackupError) as info:
            district.backup(tmp_path / "b.bak")
        assert info.value.code == "use_pg_dump"
        return
    changes = device.new_cases(5)
    bundle = device.seal(changes)
    district.import_bundle(bundle, via="usb")
    backup = tmp_path / "district.bak"
    district.backup(backup)
    data = backup.read_bytes()
    assert data.startswith(b"SIMPULDB") and b"SQLite format 3" not in data
    assert changes[0].record_id.encode() not in data
    later = device.seal(device.new_cases(2))
    assert district.import_bundle(later, via="usb").counts.changes == 2
    district.restore(backup)
    district.add_user("adi", "admin", "sandi admin yang panjang")
    admin = district.staff(district.login("adi", "sandi admin yang panjang"))
    assert len(district.list_records(admin)) == 5
    assert district.import_bundle(bundle, via="usb").status == "already_imported"
    # a backup of another district does not restore here
    other = District.init(DistrictConfig(tmp_path / "other"), PASSPHRASE)
    with pytest.raises(BackupError) as info:
        other.restore(backup)
    assert info.value.code == "backup_unreadable"
    other.close()
    (tmp_path / "junk.bak").write_bytes(b"not a backup")
    with pytest.raises(BackupError):
        district.restore(tmp_path / "junk.bak")
