"""A real ``simpul-district serve`` on 127.0.0.1 (a subprocess, as an operator starts it) and
village laptop profiles, for the desktop sync tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.storage.store import Store
from desktop.storage.vault import KdfCost
from tests.support.district_server import (
    DISTRICT_PASSPHRASE,
    STAFF_PASSWORD,
    VILLAGE,
    DistrictServer,
)

__all__ = ["DISTRICT_PASSPHRASE", "PASSPHRASE", "STAFF_PASSWORD", "VILLAGE", "DistrictServer"]

PASSPHRASE = "frasa sandi kader desa yang panjang"
FAST_KDF = KdfCost(time_cost=1, memory_kib=8 * 1024, lanes=1)
"""Cheap key derivation for test profiles (the real one is calibrated to ~0.5 s)."""


@pytest.fixture(scope="session")
def _district_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised data directory (keys and database), copied for each test."""
    data = tmp_path_factory.mktemp("district-template") / "data"
    DistrictServer(data).cli("init")
    return data


@pytest.fixture
def district_data(tmp_path: Path, _district_template: Path) -> Path:
    import shutil

    data = tmp_path / "district"
    shutil.copytree(_district_template, data)
    return data


@pytest.fixture
def district_server(district_data: Path) -> Iterator[DistrictServer]:
    """A running ``simpul-district serve`` on 127.0.0.1 (SQLite in its data directory)."""
    server = DistrictServer(district_data)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_profile(tmp_path: Path) -> Iterator[Any]:
    """Make unlocked village profiles; all are locked at the end."""
    stores: list[Store] = []

    def make(name: str = "laptop", village: str = VILLAGE) -> Store:
        store, _code = Store.create(
            tmp_path / name, village=village, user="kader", passphrase=PASSPHRASE, cost=FAST_KDF
        )
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
