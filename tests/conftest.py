"""Fixtures and markers shared by the whole suite: Qt offscreen and the PostgreSQL test server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

POSTGRES_URL_ENV = "SIMPUL_TEST_POSTGRES_URL"


def pytest_configure(config: pytest.Config) -> None:
    # Registered here, not in pyproject.toml (--strict-markers needs it either way).
    config.addinivalue_line(
        "markers",
        "postgres: needs the throw-away PostgreSQL server scripts/test starts "
        "(added automatically to tests using the postgres_url fixture)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # So that `-m "not postgres"` deselects every test that needs the server.
    for item in items:
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session", autouse=True)
def _qt_offscreen() -> Iterator[None]:
    """No display in CI: Qt renders offscreen unless the caller chose a platform."""
    with pytest.MonkeyPatch.context() as mp:
        if "QT_QPA_PLATFORM" not in os.environ:
            mp.setenv("QT_QPA_PLATFORM", "offscreen")
        yield


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the throw-away PostgreSQL database started by scripts/test.

    Skips when it is not set up (plain `pytest`, or SIMPUL_TEST_POSTGRES=off); fails instead
    under CI_REQUIRE_POSTGRES=1, so CI can never pass by skipping the PostgreSQL tests.
    """
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    message = "PostgreSQL not set up: run the tests through scripts/test"
    if os.environ.get("CI_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{message} (CI_REQUIRE_POSTGRES=1, {POSTGRES_URL_ENV} is unset)")
    pytest.skip(message)
