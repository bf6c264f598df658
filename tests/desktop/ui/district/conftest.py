"""District mode under pytest-qt, against a real ``simpul-district serve`` on 127.0.0.1 with
staff accounts of each role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.district.context import DISTRICT_SETTINGS_NAME, DistrictContext
from desktop.ui.district.window import DistrictWindow
from desktop.ui.language import QtWordsTranslator
from tests.support.district_server import STAFF_PASSWORD, DistrictServer

from ..conftest import AnsweringPrompter

ROLES = ("admin", "staff", "viewer")
"""An account per role: ``admin``, ``staff`` and ``viewer`` (account name = role)."""


@pytest.fixture(scope="session")
def _district_with_staff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised data directory with an account per role, copied for each test."""
    data = tmp_path_factory.mktemp("district-staff") / "data"
    server = DistrictServer(data)
    server.cli("init")
    for role in ROLES:
        server.cli("user", "add", role, "--role", role, SIMPUL_USER_PASSWORD=STAFF_PASSWORD)
    return data


@pytest.fixture
def district_server(tmp_path: Path, _district_with_staff: Path) -> Iterator[DistrictServer]:
    """A running ``simpul-district serve`` with the three accounts."""
    data = tmp_path / "district"
    shutil.copytree(_district_with_staff, data)
    server = DistrictServer(data)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dctx(
    styled_app: QApplication, tmp_path: Path, prompter: AnsweringPrompter
) -> Iterator[DistrictContext]:
    """A district-mode context with its settings in a fresh folder, in Indonesian."""
    context = DistrictContext(
        tmp_path / "desk" / DISTRICT_SETTINGS_NAME, lang="id", prompter=prompter
    )
    translator: QTranslator = QtWordsTranslator(context.texts)
    styled_app.installTranslator(translator)
    yield context
    styled_app.removeTranslator(translator)
    assert context.texts.missing == set()
    context.runner.shutdown()


@pytest.fixture
def district_window(qtbot: QtBot, dctx: DistrictContext) -> Iterator[DistrictWindow]:
    window = DistrictWindow(dctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


@pytest.fixture
def sign_in(qtbot: QtBot) -> Callable[..., None]:
    """Type the server, an account and its password on the sign-in screen, press Enter, and
    wait for the shell."""

    def run(
        window: DistrictWindow, server: DistrictServer, role: str, password: str = STAFF_PASSWORD
    ) -> None:
        screen = window.sign_in_screen
        screen.server.clear()
        qtbot.keyClicks(screen.server, server.url)
        screen.name.clear()
        qtbot.keyClicks(screen.name, role)
        qtbot.keyClicks(screen.password, password)
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.signed_in, timeout=15_000)

    return run
