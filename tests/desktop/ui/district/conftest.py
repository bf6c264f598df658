"""District mode under pytest-qt, against a real ``simpul-district serve`` on 127.0.0.1 with
staff accounts of each role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QListWidget, QTableView, QWidget
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.ui.district.context import DISTRICT_SETTINGS_NAME, DistrictContext
from desktop.ui.district.devices import DevicesPage, EnrollmentDialog
from desktop.ui.district.window import DistrictWindow
from desktop.ui.language import QtWordsTranslator
from tests.support.district_server import STAFF_PASSWORD, DistrictServer

from ..conftest import FAST_KDF, PASS, AnsweringPrompter, click

P = TypeVar("P", bound=QWidget)

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


def serve_copy(source: Path, data: Path) -> Iterator[DistrictServer]:
    """A running ``simpul-district serve`` on a copy of the data directory ``source``, made at
    ``data``; stopped when the generator is closed (``yield from`` it in a fixture)."""
    shutil.copytree(source, data)
    server = DistrictServer(data)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def district_server(tmp_path: Path, _district_with_staff: Path) -> Iterator[DistrictServer]:
    """A running ``simpul-district serve`` with the three accounts."""
    yield from serve_copy(_district_with_staff, tmp_path / "district")


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


# ---------------------------------------------------------------------------- village laptops


def new_laptop(folder: Path, village: str, passphrase: str = PASS) -> Store:
    """A fresh village laptop profile at ``folder`` (cheap key derivation), unlocked."""
    store, _code = Store.create(
        folder, village=village, user="kader", passphrase=passphrase, cost=FAST_KDF
    )
    return store


Laptops = Callable[[str, str], Store]
"""``laptops(name, village)``: a new village laptop profile in the test's folder."""


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[Laptops]:
    """Village laptop profiles (synthetic data only); all are locked at the end."""
    stores: list[Store] = []

    def make(name: str, village: str) -> Store:
        store = new_laptop(tmp_path / name, village)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


# ---------------------------------------------------------------------------- driving


def wait_idle(qtbot: QtBot, ctx: DistrictContext) -> None:
    """Wait until no background call of the district context is running."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=15_000)


def click_list_item(qtbot: QtBot, widget: QListWidget, text: str) -> None:
    """Click the list item whose text contains ``text``."""
    matches = [widget.item(n) for n in range(widget.count()) if text in widget.item(n).text()]
    assert len(matches) == 1, [widget.item(n).text() for n in range(widget.count())]
    rect = widget.visualItemRect(matches[0])
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    """Click the first cell of ``row``."""
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def table_rows(model: QAbstractItemModel) -> list[dict[int, str]]:
    """Every row of a table model as it shows: column -> text."""
    return [
        {c: str(model.data(model.index(r, c))) for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]


# ---------------------------------------------------------------------------- the devices page


def open_page(qtbot: QtBot, window: DistrictWindow, ctx: DistrictContext, code: str, page: P) -> P:
    """Show ``page`` by its navigation entry ``code`` and wait for what it reads."""
    window.show_page(code)
    assert page.isVisible()
    wait_idle(qtbot, ctx)
    return page


def open_devices(qtbot: QtBot, window: DistrictWindow, ctx: DistrictContext) -> DevicesPage:
    """Show the devices page and wait for its list."""
    return open_page(qtbot, window, ctx, "gui_dm_nav_devices", window.devices_page)


def choose_village(qtbot: QtBot, dialog: EnrollmentDialog, name: str, hours: int) -> None:
    """Search the village ``name`` in the enrollment dialog, click it, type the hours."""
    qtbot.keyClicks(dialog.picker.search, name)
    click_list_item(qtbot, dialog.picker.list, name)
    assert dialog.picker.selected() is not None
    dialog.hours.selectAll()
    qtbot.keyClicks(dialog.hours, str(hours))
    assert dialog.hours.value() == hours


def make_code(
    qtbot: QtBot, page: DevicesPage, ctx: DistrictContext, name: str, hours: int = 48
) -> str:
    """Create an enrollment code through the page's dialog; the code as its label shows it."""
    click(qtbot, page.code_button)
    dialog = page.enroll_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.create_button.isEnabled()  # no village chosen yet
    choose_village(qtbot, dialog, name, hours)
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: bool(dialog.code_label.text()), timeout=15_000)
    code = dialog.code_label.text()
    assert dialog.code_label.isVisible()
    assert name in dialog._result_title.text()
    assert "Berlaku sampai" in dialog.expiry_label.text()
    click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == code
    click(qtbot, dialog.done_button)
    assert not dialog.isVisible()
    wait_idle(qtbot, ctx)
    return code
