"""Alembic migrations build exactly the schema the models describe, and run at every start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.storage import db
from desktop.storage.errors import ProfileNewerError
from desktop.storage.models import Base


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = db.create_engine(tmp_path)
    try:
        db.upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == db.head_revision()
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_at_start_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    engine = db.create_engine(tmp_path)
    try:
        db.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('k', 'v')"))
        db.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT value FROM meta WHERE key='k'")).scalar() == "v"
    finally:
        engine.dispose()


def test_pragmas_for_durability_and_privacy_are_on(tmp_path: Path) -> None:
    engine = db.create_engine(tmp_path)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
    finally:
        engine.dispose()


def test_the_known_head_is_the_newest_migration() -> None:
    # opening a profile compares its revision with this constant instead of loading Alembic
    assert db.HEAD_REVISION == db.head_revision()


def test_opening_a_current_profile_does_not_load_alembic(tmp_path: Path) -> None:
    engine = db.create_engine(tmp_path)
    db.upgrade(engine)
    engine.dispose()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.storage import db\n"
        f"engine = db.create_engine(Path({str(tmp_path)!r}))\n"
        "db.upgrade(engine)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_a_profile_from_a_newer_simpul_is_refused(tmp_path: Path) -> None:
    engine = db.create_engine(tmp_path)
    try:
        db.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(ProfileNewerError):
            db.upgrade(engine)
    finally:
        engine.dispose()
