"""The PostgreSQL test server of scripts/test: reachable, writable, loopback-only, never root."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_create_insert_read_back_drop(engine: sa.Engine) -> None:
    table = f"fixture_check_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {table} (id integer PRIMARY KEY, label text)"))
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(f"INSERT INTO {table} (id, label) VALUES (:id, :label)"),
                [{"id": 1, "label": "satu"}, {"id": 2, "label": "dua — ü"}],
            )
        with engine.connect() as conn:
            rows = conn.execute(sa.text(f"SELECT id, label FROM {table} ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "satu"), (2, "dua — ü")]
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {table}"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": table}).scalar() is None


def test_server_does_not_run_as_root(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        data_directory = conn.execute(sa.text("SELECT current_setting('data_directory')")).scalar()
        backend_pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    assert isinstance(data_directory, str)
    owner = Path(data_directory).stat().st_uid
    assert owner != 0, f"the test cluster {data_directory} is owned by root"
    if os.geteuid() != 0:
        assert owner == os.geteuid()
    # The backend serving this connection, when it is visible (same machine, Linux /proc).
    status = Path(f"/proc/{backend_pid}/status")
    if status.exists():
        uids = next(line for line in status.read_text().splitlines() if line.startswith("Uid:"))
        assert all(int(uid) != 0 for uid in uids.split()[1:]), uids


def test_server_is_a_throwaway_on_loopback(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        settings = dict(
            conn.execute(
                sa.text(
                    "SELECT name, setting FROM pg_settings WHERE name IN "
                    "('listen_addresses', 'fsync', 'synchronous_commit', 'server_encoding')"
                )
            ).all()
        )
        database = conn.execute(sa.text("SELECT current_database()")).scalar()
    assert settings == {
        "listen_addresses": "127.0.0.1",
        "fsync": "off",
        "synchronous_commit": "off",
        "server_encoding": "UTF8",
    }
    assert database == "simpul_test"
