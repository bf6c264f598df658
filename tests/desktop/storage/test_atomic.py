"""Tests for desktop.storage.atomic: whole-file replacement that survives crashes and full disks."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.storage.atomic import write_atomic
from desktop.storage.errors import DiskFullError, StorageError, WriteFailedError
from simpul.errors import UserError

OLD = b'{"old": true}\n'
NEW = b'{"new": true}\n' * 1000


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def _raiser(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def test_write_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_new_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    write_atomic(target, NEW)
    assert target.stat().st_mode & 0o777 == 0o600


def test_write_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    target.write_bytes(OLD)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert _leftovers(tmp_path) == []


def test_no_overwrite_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    write_atomic(target, NEW, overwrite=False)
    assert target.read_bytes() == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.json"]


def test_no_overwrite_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "vault.json"
    target.write_bytes(OLD)
    with pytest.raises(FileExistsError):
        write_atomic(target, NEW, overwrite=False)
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault.json"]


@pytest.mark.skipif(os.name == "nt", reason="directories are not fsynced on Windows")
def test_file_is_synced_before_the_rename_and_the_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync")
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "vault.json", NEW)
    assert events[:2] == ["fsync", "replace"]
    assert len(events) == 3
    if os.path.isdir("/proc/self/fd"):
        assert events[2] == "fsync-dir"


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_disk_full_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "vault.json"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, failing, _raiser(errno.ENOSPC))
    with pytest.raises(DiskFullError) as caught:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []
    error = caught.value
    assert isinstance(error, WriteFailedError)
    assert isinstance(error, UserError)
    assert isinstance(error, StorageError)
    assert error.code == "write_failed"
    assert isinstance(error.__cause__, OSError)


def test_other_os_errors_are_write_failures_not_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "vault.json"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, "replace", _raiser(errno.EIO))
    with pytest.raises(WriteFailedError) as caught:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert not isinstance(caught.value, DiskFullError)
    assert caught.value.params["errno"] == errno.EIO
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_error_names_the_file_but_not_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Profile folders can contain a person's login name; errors end up in logs.
    target = tmp_path / "vault.json"
    monkeypatch.setattr(os, "fsync", _raiser(errno.ENOSPC))
    with pytest.raises(DiskFullError) as caught:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert caught.value.params == {"file": "vault.json"}
    assert str(tmp_path) not in str(caught.value)
    assert not target.exists()


def test_missing_directory_is_a_write_failure(tmp_path: Path) -> None:
    with pytest.raises(WriteFailedError):
        write_atomic(tmp_path / "absent" / "vault.json", NEW)
