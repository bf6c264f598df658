"""District mode's sign-in and shell, against a real server: roles decide the pages, a lock
signs out and leaves nothing on screen, mistakes are said calmly on the sign-in screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.ui.district.context import DistrictContext, load_district_settings
from desktop.ui.district.window import NAVIGATION, DistrictWindow
from tests.support.district_server import DistrictServer


def visible_pages(window: DistrictWindow) -> list[str]:
    return [
        code
        for row, (code, _need) in enumerate(NAVIGATION)
        if not window.navigation.item(row).isHidden()
    ]


def screen_text(window: DistrictWindow) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def test_each_role_sees_its_pages_and_the_title_names_no_one(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    window = district_window
    assert window.windowTitle() == "Simpul — Kabupaten"
    sign_in(window, district_server, "admin")
    assert visible_pages(window) == [code for code, _ in NAVIGATION]
    assert "Masuk sebagai admin (admin)" in window.who.text()
    assert window.windowTitle() == "Simpul — Kabupaten"
    # the address is remembered for next time; the name and password are not
    stored = dctx.settings_path.read_text(encoding="utf-8")
    assert load_district_settings(dctx.settings_path).server_url == district_server.url
    assert "admin" not in stored.replace("autolock", "")

    window.lock()
    qtbot.waitUntil(lambda: not window.signed_in)
    sign_in(window, district_server, "viewer")
    assert visible_pages(window) == ["gui_dm_nav_cases", "gui_dm_nav_reports"]
    assert "(pembaca)" in window.who.text()

    window.lock()
    qtbot.waitUntil(lambda: not window.signed_in)
    sign_in(window, district_server, "staff")
    assert "gui_dm_nav_audit" not in visible_pages(window)
    assert "gui_dm_nav_import" in visible_pages(window)


def test_ctrl_l_signs_out_and_the_token_stops_working(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    window = district_window
    sign_in(window, district_server, "staff")
    client = dctx.client
    assert client is not None
    token = client.token
    assert (
        token
        and district_server.http.get(
            district_server.url + "/v1/staff/me", headers={"Authorization": f"Bearer {token}"}
        ).ok
    )
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.signed_in)
    assert dctx.client is None and dctx.staff is None
    assert window.sign_in_screen.password.text() == ""
    assert "staff" not in screen_text(window)  # who was signed in is not shown
    qtbot.waitUntil(lambda: not dctx.runner.busy)
    # the server forgot the session: the old token is refused
    answer = district_server.http.get(
        district_server.url + "/v1/staff/me",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 401


def test_mistakes_are_said_on_the_sign_in_screen(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    dctx: DistrictContext,
) -> None:
    screen = district_window.sign_in_screen
    message = screen.message

    qtbot.keyClicks(screen.server, "simpul.pemalangkab")  # no scheme
    qtbot.keyClick(screen.server, Qt.Key.Key_Return)
    assert "https://" in message.text()

    screen.server.clear()
    qtbot.keyClicks(screen.server, district_server.url)
    qtbot.keyClicks(screen.name, "staff")
    qtbot.keyClicks(screen.password, "kata sandi yang keliru")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(message.text()) and not screen.busy.isVisible(), timeout=15_000)
    assert message.text() == "Nama akun atau kata sandi salah."
    assert screen.password.text() == "" and not district_window.signed_in

    district_server.stop()
    qtbot.keyClicks(screen.password, "apa saja")
    message.clear()
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(message.text()) and not screen.busy.isVisible(), timeout=30_000)
    assert "server" in message.text().lower() and not district_window.signed_in


def test_the_shell_speaks_english_too(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    dctx.update_settings(language="en")
    assert district_window.sign_in_screen.sign_in_button.text() == "Sign in"
    sign_in(district_window, district_server, "viewer")
    assert "Signed in as viewer (viewer)" in district_window.who.text()
    assert district_window.navigation.item(0).text() == "Cases"
