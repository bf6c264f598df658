"""The desktop app's screens under pytest-qt: a profile folder per test, cheap key derivation,
a prompter that answers at once, and synthetic records only."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTranslator
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.storage import vault
from desktop.storage.store import Store
from desktop.storage.vault import KdfCost
from desktop.sync.engine import SyncProgress, SyncReport
from desktop.sync.errors import OfflineError, ServerRefusedError
from desktop.sync.scheduler import SchedulerEvent, SyncScheduler
from desktop.sync.state import Enrollment, SyncState, now_iso
from desktop.ui.app import start
from desktop.ui.context import AppContext
from desktop.ui.mainwindow import MainWindow
from desktop.ui.prompter import Prompter
from desktop.ui.widgets import STYLE_SHEET
from simpul.bundle import EncryptionKeyPair, SigningKeyPair, key_id
from simpul.synthetic import generate_cases

FAST_KDF = KdfCost(time_cost=1, memory_kib=8 * 1024, lanes=1)
"""Cheap key derivation (the real one is calibrated to ~0.5 s on the laptop)."""
PASS = "kunci rahasia desa pemalang"
VILLAGE = "33.27.08.2012"  # Tambakrejo, Kec. Pemalang
VILLAGE_NAME = "Tambakrejo"

# The offscreen platform has no window manager to pass size hints to, raise windows for, or
# grab the keyboard for a popup (the date picker); Qt says so as a warning each time. Nothing to
# do with the app.
_OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*_OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "calibrate_kdf", lambda **_kwargs: FAST_KDF)


class AnsweringPrompter(Prompter):
    """Answers the file dialogs with what the test set, prints to a PDF file, records notices.

    ``choose_directory`` stays the real one (tests monkeypatch ``QFileDialog`` for it).
    """

    def __init__(self, pdf: Path) -> None:
        self.pdf = pdf
        self.file: Path | None = None
        self.files: list[Path] = []
        self.save_folder: Path | None = None
        self.suggested: list[str] = []
        self.notices: list[tuple[str, str, str]] = []
        self.questions: list[tuple[str, str]] = []
        self.confirm_answer = True

    def choose_file(self, parent: QWidget, title: str, name_filter: str) -> Path | None:
        return self.file

    def choose_files(self, parent: QWidget, title: str, name_filter: str) -> list[Path]:
        return list(self.files)

    def choose_save_file(
        self, parent: QWidget, title: str, suggested_name: str, name_filter: str
    ) -> Path | None:
        """``save_folder / suggested_name`` when the test set a folder (None: cancelled)."""
        self.suggested.append(suggested_name)
        return None if self.save_folder is None else self.save_folder / suggested_name

    def setup_printer(self, parent: QWidget, printer: QPrinter, title: str) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.pdf))
        return True

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        self.notices.append(("inform", title, text))

    def warn(self, parent: QWidget, title: str, text: str) -> None:
        self.notices.append(("warn", title, text))

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        """Records the question; answers :attr:`confirm_answer` (yes unless the test says)."""
        self.questions.append((title, text))
        return self.confirm_answer


class FakeRounds:
    """Sync rounds the test decides: ``ok``, ``offline``, ``refused`` or ``block`` (reports
    progress 3/10, then waits for :attr:`release`)."""

    def __init__(self, *plan: str) -> None:
        self.plan = list(plan)
        self.release = threading.Event()
        self.schedulers: list[SyncScheduler] = []

    def run(self, cancel: threading.Event, progress: Callable[[SyncProgress], None]) -> SyncReport:
        step = self.plan.pop(0) if self.plan else "ok"
        if step == "offline":
            raise OfflineError("unreachable")
        if step == "refused":
            raise ServerRefusedError("device_revoked", 403)
        if step == "block":
            progress(SyncProgress("push", 3, 10))
            self.release.wait(10)
        return SyncReport(pushed_changes=10, finished_at=now_iso())

    def factory(
        self, store: Store, on_event: Callable[[SchedulerEvent], None], interval_s: float
    ) -> SyncScheduler:
        scheduler = SyncScheduler(self.run, on_event=on_event, interval_s=interval_s)
        self.schedulers.append(scheduler)
        return scheduler


@pytest.fixture
def prompter(tmp_path: Path) -> AnsweringPrompter:
    return AnsweringPrompter(tmp_path / "recovery.pdf")


@pytest.fixture
def rounds() -> FakeRounds:
    return FakeRounds()


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture(scope="session")
def styled_app(qapp: QApplication) -> QApplication:
    """The app's look, set once (replacing a style under live widgets is not safe)."""
    qapp.setStyle("Fusion")
    qapp.setStyleSheet(STYLE_SHEET)
    return qapp


@pytest.fixture
def ctx(
    styled_app: QApplication, profile_dir: Path, prompter: AnsweringPrompter, rounds: FakeRounds
) -> Iterator[AppContext]:
    """An app context on a fresh profile folder (the wizard's case until a profile is made)."""
    qapp = styled_app
    context = AppContext(
        profile_dir, lang="id", prompter=prompter, scheduler_factory=rounds.factory
    )
    from desktop.ui.language import QtWordsTranslator

    translator: QTranslator = QtWordsTranslator(context.texts)
    qapp.installTranslator(translator)
    yield context
    qapp.removeTranslator(translator)
    store = context.take_store()
    if not context.runner._closed:
        context.runner.shutdown()
    if store is not None:
        store.close()
    for scheduler in rounds.schedulers:
        rounds.release.set()
        scheduler.stop()


@pytest.fixture
def launch(qtbot: QtBot, ctx: AppContext) -> Iterator[Callable[[], MainWindow]]:
    """Start the app as ``simpul`` does (wizard or lock screen); the windows stay alive until
    pytest-qt closes them after the test (closing finishes the queued work)."""
    opened: list[MainWindow] = []

    def open_app() -> MainWindow:
        window = start(ctx)
        qtbot.addWidget(window)
        opened.append(window)
        return window

    yield open_app
    for window in opened:
        window.close()


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or check box on its indicator (its middle may be empty space)."""
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a push button as a person would (it must be visible and enabled)."""
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def make_profile(profile_dir: Path, *, cases: int = 6) -> str:
    """A profile with synthetic cases; returns its recovery code."""
    store, code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    with store:
        if cases:
            store.save_many(generate_cases(cases, seed=11, village=VILLAGE))
    return code


def enrollment_file(path: Path, *, village: str = VILLAGE) -> Path:
    """An enrollment file as the district writes it, with throw-away district keys."""
    encryption = EncryptionKeyPair.generate()
    signing = SigningKeyPair.generate()
    doc = {
        "format": "simpul-enrollment",
        "version": 1,
        "code": "ABCD-EFGH",
        "village": village,
        "village_name": VILLAGE_NAME,
        "expires_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
        "server_url": None,
        "district": {
            "encryption_public": base64.b64encode(encryption.public_bytes()).decode(),
            "signing_public": base64.b64encode(signing.public_bytes()).decode(),
            "encryption_key_id": key_id(encryption.public_bytes()),
            "signing_key_id": key_id(signing.public_bytes()),
        },
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def enroll_online_fake(profile_dir: Path) -> None:
    """Pin throw-away district keys as an online enrollment (the scheduler is faked)."""
    store = Store.open(profile_dir, passphrase=PASS)
    with store:
        SyncState(store).set_enrollment(
            Enrollment(
                village=VILLAGE,
                via="online",
                server_url="http://127.0.0.1:9",
                token="test-token",
                district_enc_public=EncryptionKeyPair.generate().public_bytes(),
                district_sign_public=SigningKeyPair.generate().public_bytes(),
                enrolled_at=now_iso(),
                confirmed=True,
            )
        )
