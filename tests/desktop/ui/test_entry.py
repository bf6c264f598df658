"""`simpul` with no command opens the app (when there is a screen); `simpul gui` too."""

from __future__ import annotations

import sys

import pytest

from desktop import cli
from desktop.i18n import translate


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str | None]]:
    calls: list[tuple[str | None, str | None]] = []

    def fake_main(*, profile: str | None = None, lang: str | None = None) -> int:
        calls.append((profile, lang))
        return 0

    import desktop.ui.app

    monkeypatch.setattr(desktop.ui.app, "main", fake_main)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return calls


def test_no_command_opens_the_app(started: list[tuple[str | None, str | None]]) -> None:
    assert cli.main([]) == 0
    assert cli.main(["--profile", "/tmp/p", "--lang", "en"]) == 0
    assert cli.main(["gui"]) == 0
    assert started == [(None, None), ("/tmp/p", "en"), (None, None)]


def test_without_a_screen_no_command_prints_help(
    started: list[tuple[str | None, str | None]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert cli.main(["--lang", "id"]) == 0
    assert capsys.readouterr().out.startswith("penggunaan: simpul")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lang", "en", "gui"])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.strip() == "simpul: " + translate("gui_no_display", "en")
    assert started == []


def test_simpul_district_opens_district_mode_with_its_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str | None, str | None, str | None]] = []

    def fake_main(
        *, profile: str | None = None, lang: str | None = None, server: str | None = None
    ) -> int:
        calls.append((profile, lang, server))
        return 0

    import desktop.ui.district.app

    monkeypatch.setattr(desktop.ui.district.app, "main", fake_main)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli.main(["district"]) == 0
    assert cli.main(["--lang", "en", "district", "--server", "https://simpul.example"]) == 0
    assert calls == [(None, None, None), (None, "en", "https://simpul.example")]
