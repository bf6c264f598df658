"""Fixtures of the district tests: a district on SQLite and on PostgreSQL, enrolled devices."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from district.config import DistrictConfig
from district.db import normalize_url
from district.keys import KEYS_FILE_NAME
from district.service import District
from district.testing import SyntheticDevice

PASSPHRASE = "kunci server kabupaten pemalang"
VILLAGE = "33.27.08.2012"
OTHER_VILLAGE = "33.27.01.2001"
BACKENDS = ["sqlite", "postgresql"]


class FakeClock:
    """A settable UTC clock for expiry tests."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def _keys_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One keys.json made once (Argon2id at the RFC 9106 floor costs ~0.2 s per derivation)."""
    directory = tmp_path_factory.mktemp("district-keys")
    District.init(DistrictConfig(directory), PASSPHRASE).close()
    return directory / KEYS_FILE_NAME


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=BACKENDS)
def district_config(
    request: pytest.FixtureRequest, tmp_path: Path, _keys_template: Path
) -> Iterator[DistrictConfig]:
    """A data directory with keys, on a fresh SQLite file or a fresh PostgreSQL schema."""
    data = tmp_path / "district"
    data.mkdir()
    (data / KEYS_FILE_NAME).write_bytes(_keys_template.read_bytes())
    if request.param == "sqlite":
        yield DistrictConfig(data)
        return
    base_url = normalize_url(str(request.getfixturevalue("postgres_url")))
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    try:
        yield DistrictConfig(data, url)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def district(district_config: DistrictConfig, clock: FakeClock) -> Iterator[District]:
    """An open district (keys unlocked, schema migrated) on each backend."""
    d = District.open(district_config, PASSPHRASE, now=clock)
    try:
        yield d
    finally:
        d.close()


@pytest.fixture
def enrolled(district: District) -> Callable[..., SyntheticDevice]:
    """Make and enroll a synthetic village laptop: ``enrolled(village=VILLAGE)``."""

    def make(village: str = VILLAGE) -> SyntheticDevice:
        device = SyntheticDevice(village)
        code = district.create_enrollment(village).code
        device.enroll_with(
            district.enroll(
                code,
                device_enc_public=device.encryption.public_bytes(),
                device_sign_public=device.signing.public_bytes(),
                device_id=device.device_id,
            )
        )
        return device

    return make


@pytest.fixture
def device(enrolled: Callable[..., SyntheticDevice]) -> SyntheticDevice:
    """One enrolled laptop of :data:`VILLAGE`."""
    return enrolled()


# --------------------------------------------------------------------------- live HTTP server
# Used by test_api.py and test_cli.py: a real uvicorn on 127.0.0.1 serving district.app.


class LiveServer:
    """A real uvicorn serving ``create_app(district)`` on 127.0.0.1 in a background thread.

    Attributes:
        district: The service behind the app (tests reach into it to set up state).
        url: Base URL, e.g. ``http://127.0.0.1:41234``.
        http: A ``requests.Session`` for the tests.
    """

    def __init__(self, district: District) -> None:
        import requests
        import uvicorn

        from district.app import create_app

        self.district = district
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))  # a free port, held: no race with other tests
        self.port = int(self._socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(district),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self.http = requests.Session()

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.http.close()
        self._server.should_exit = True
        self._thread.join(timeout=20)
        self._socket.close()


@pytest.fixture
def server(district: District) -> Iterator[LiveServer]:
    """A live server over :func:`district` (SQLite and PostgreSQL)."""
    live = LiveServer(district)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def another_district_config(
    request: pytest.FixtureRequest,
    district_config: DistrictConfig,
    tmp_path: Path,
    _keys_template: Path,
) -> Iterator[DistrictConfig]:
    """A second, empty district on the same backend with the same keys (for comparisons)."""
    data = tmp_path / "district-2"
    data.mkdir()
    (data / KEYS_FILE_NAME).write_bytes(_keys_template.read_bytes())
    if district_config.database_url is None:
        yield DistrictConfig(data)
        return
    base_url = normalize_url(str(request.getfixturevalue("postgres_url")))
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    try:
        yield DistrictConfig(
            data, f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"
        )
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
