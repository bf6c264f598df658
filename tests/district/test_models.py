"""The Alembic migrations build exactly the tables the models declare, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from district import db
from district.config import DistrictConfig
from district.models import Base


def test_migrations_match_the_models(district_config: DistrictConfig) -> None:
    engine = db.create_engine(district_config)
    try:
        db.upgrade(engine)
        db.upgrade(engine)  # a no-op when current
        with engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == db.head_revision()
            diff = compare_metadata(context, Base.metadata)
            counters = conn.execute(sa.text("SELECT name, value FROM counters ORDER BY name"))
            assert counters.all() == [("district_change", 0), ("return_sequence", 0)]
    finally:
        engine.dispose()
    assert diff == []


def test_sqlite_pragmas(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    engine = db.create_engine(DistrictConfig(tmp_path))
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()


def test_plain_postgresql_urls_use_psycopg3() -> None:
    assert db.normalize_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalize_url("sqlite:///x.db") == "sqlite:///x.db"
