"""The screenshots of docs/screenshots: every main screen, offscreen, Indonesian, synthetic data.

Run through ``scripts/screenshots.py``. Each screen is driven as a person would (typing,
clicking) on a throw-away profile in a temporary folder, then saved as a PNG. No real person's
data is ever used: the cases come from ``simpul.synthetic``; the district keys are made up.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from desktop.storage import vault
from desktop.storage.store import Store
from desktop.storage.vault import KdfCost
from desktop.sync.engine import SyncProgress, SyncReport
from desktop.sync.errors import OfflineError
from desktop.sync.scheduler import SchedulerEvent, SyncScheduler
from desktop.sync.state import Enrollment, SyncState, now_iso
from desktop.ui.app import prepare_application, start
from desktop.ui.casedetail import CaseViewWindow
from desktop.ui.caseform import open_edit_case
from desktop.ui.context import AppContext
from desktop.ui.crash import CrashDialog, crash_details
from desktop.ui.enrollform import EnrollDialog
from desktop.ui.mainwindow import MainWindow
from desktop.ui.outreachform import open_new_outreach
from desktop.ui.prompter import Prompter
from desktop.ui.wizard import SetupWizard
from simpul.bundle import EncryptionKeyPair, SigningKeyPair
from simpul.changes import Change, ChangeId, FieldEdit, Hlc
from simpul.synthetic import generate_cases, generate_outreach

ROOT = Path(__file__).resolve().parents[2]
PASS = "kunci rahasia desa pemalang"
VILLAGE = "33.27.08.2012"


class _QuietPrompter(Prompter):
    """Never opens a dialog (nothing to click on offscreen)."""

    def setup_printer(self, parent: QWidget, printer: QPrinter, title: str) -> bool:
        return False

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        pass

    def warn(self, parent: QWidget, title: str, text: str) -> None:
        pass


def _offline_round(cancel: object, progress: Callable[[SyncProgress], None]) -> SyncReport:
    raise OfflineError("no server in a screenshot")


def _scheduler(
    store: object, on_event: Callable[[SchedulerEvent], None], interval_s: float
) -> SyncScheduler:
    return SyncScheduler(_offline_round, on_event=on_event, interval_s=interval_s)


def _wait(app: QApplication, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("a screen did not get ready in time")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def _save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def _quiet_offscreen_noise() -> None:
    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def render(out: Path) -> None:
    """Write the PNGs into ``out`` (needs ``QT_QPA_PLATFORM=offscreen`` without a display)."""
    out.mkdir(parents=True, exist_ok=True)
    _quiet_offscreen_noise()
    # a cheap key derivation: screenshots need no protection and should take seconds
    calibrate = vault.calibrate_kdf
    vault.calibrate_kdf = lambda **_kw: KdfCost(time_cost=1, memory_kib=8192, lanes=1)
    try:
        _render(out)
    finally:
        vault.calibrate_kdf = calibrate


def _render(out: Path) -> None:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="simpul-screens-") as tmp:
        ctx = AppContext(
            Path(tmp) / "profile",
            lang="id",
            prompter=_QuietPrompter(),
            scheduler_factory=_scheduler,
        )
        prepare_application(app, ctx)
        window = start(ctx)
        _wizard(app, ctx, window, out)
        _main_window(app, ctx, window, out)
        window.close()
        app.processEvents()


def _wizard(app: QApplication, ctx: AppContext, window: MainWindow, out: Path) -> None:
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    wizard.resize(720, 580)
    app.processEvents()
    _save(wizard, out, "01-wizard-bahasa")
    wizard.next()
    page = wizard.village_page
    page.search.setText("tambak")
    for row in range(page.list.count()):
        item = page.list.item(row)
        if item is not None and "Tambakrejo" in item.text():
            page.list.setCurrentItem(item)
    app.processEvents()
    _save(wizard, out, "02-wizard-desa")
    wizard.next()
    wizard.user_page.name.setText("Kader Desa")
    wizard.next()
    fields = wizard.passphrase_page.fields
    fields.first.setText(PASS)
    fields.second.setText(PASS)
    app.processEvents()
    _save(wizard, out, "03-wizard-frasa-sandi")
    wizard.next()
    _wait(app, lambda: wizard.recovery_page.created)
    _save(wizard, out, "04-wizard-kode-pemulihan")
    wizard.recovery_page.written.setChecked(True)
    wizard.next()
    app.processEvents()
    _save(wizard, out, "05-wizard-pendaftaran")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    _wait(app, lambda: window.isVisible() and not window.locked)


def _enroll_fake(ctx: AppContext) -> None:
    store = ctx.store
    assert store is not None
    SyncState(store).set_enrollment(
        Enrollment(
            village=VILLAGE,
            via="online",
            server_url="https://simpul.pemalangkab.go.id",
            token="screenshot",
            district_enc_public=EncryptionKeyPair.generate().public_bytes(),
            district_sign_public=SigningKeyPair.generate().public_bytes(),
            enrolled_at=now_iso(),
            confirmed=True,
        )
    )


def _conflict(store: Store) -> None:
    """A case whose status was changed at the district and on this laptop at once."""
    case = store.records(kind="case")[0]
    latest = store.history(case.record_id)[-1].hlc
    heads = frozenset(c for c, _v in store.heads(case.record_id, "status"))
    elsewhere = Change(
        ChangeId("district0000beef", 1),
        case.record_id,
        "case",
        Hlc(latest.wall + 60_000, 0),
        "petugas.uptd",
        (FieldEdit("status", "diterima_uptd", heads),),
    )
    store.apply_changes([elsewhere])
    store.save(
        {**case.doc, "id": case.record_id, "status": "ditolak_korban"}, kind="case", base=case
    )


def _main_window(app: QApplication, ctx: AppContext, window: MainWindow, out: Path) -> None:
    store = ctx.store
    assert store is not None
    window.resize(1100, 680)
    window.sync.stop()
    store.save_many(generate_cases(36, seed=2025, village=VILLAGE))
    _enroll_fake(ctx)
    window.lock()
    _wait(app, lambda: not ctx.runner.busy)

    unlock = window.lock_screen.unlock
    unlock.passphrase.setText("frasa yang keliru")
    unlock.unlock_button.click()
    _wait(app, lambda: bool(unlock.message.text()))
    _save(window, out, "06-buka-kunci")

    unlock.forgot.click()
    window.lock_screen.recovery.code.setText("ABCD-EFGH-")
    app.processEvents()
    _save(window, out, "07-lupa-frasa-sandi")
    window.lock_screen.recovery.back.click()

    unlock.passphrase.setText(PASS)
    unlock.unlock_button.click()
    _wait(app, lambda: not window.locked)
    _wait(app, lambda: window.sync.view.phase == "offline")
    _save(window, out, "08-kasus")
    store = ctx.store  # the one the unlock opened
    assert store is not None

    case = next(r for r in store.records(kind="case") if len(r.doc.get("victims") or []) >= 2)
    form = open_edit_case(ctx, case.record_id, window)
    form.resize(1060, 780)
    app.processEvents()
    _save(form, out, "09-formulir-kasus")
    form.close()
    view = CaseViewWindow(ctx, case.record_id, window)
    view.resize(980, 760)
    view.show()
    _wait(app, lambda: not ctx.runner.busy)
    _save(view, out, "10-rincian-kasus")
    view.close()

    store.save_many(generate_outreach(9, seed=2025, village=VILLAGE))
    ctx.records_changed.emit()
    window.show_page("gui_nav_outreach")
    _wait(app, lambda: window.outreach_page.model.rowCount() == 9 and not ctx.runner.busy)
    _save(window, out, "11-sosialisasi")
    outreach = open_new_outreach(ctx, window)
    outreach.form.field("title").set_value("Sosialisasi Pencegahan Perkawinan Anak")
    outreach.resize(1000, 780)
    app.processEvents()
    _save(outreach, out, "12-formulir-sosialisasi")
    outreach.close()

    _conflict(store)
    ctx.records_changed.emit()
    window.show_page("gui_nav_review")
    page = window.review_page
    _wait(app, lambda: page.model.rowCount() > 0 and not ctx.runner.busy)
    page.table.selectRow(0)
    _wait(app, lambda: not ctx.runner.busy)
    _save(window, out, "13-perlu-ditinjau")

    window.show_page("gui_nav_recap")
    recap = window.recap_page
    _wait(app, lambda: recap.period.count() > 1 and not ctx.runner.busy)
    recap.period.setCurrentIndex(1)  # this year
    _wait(app, lambda: not ctx.runner.busy)
    window.resize(1100, 900)
    app.processEvents()
    _save(window, out, "14-rekap")
    window.resize(1100, 680)

    window.show_page("gui_nav_settings")
    _wait(app, lambda: not ctx.runner.busy)
    _save(window, out, "15-pengaturan")
    window.show_page("gui_nav_cases")

    dialog = EnrollDialog(ctx, store, window)
    dialog.form.server.setText("https://simpul.pemalangkab.go.id")
    dialog.form.code.setText("7KQ2-M4XD")
    dialog.show()
    app.processEvents()
    _save(dialog, out, "16-daftar-ke-kabupaten")
    dialog.close()

    try:  # a real exception, so the details are what a user would copy
        store.get("no such record")
    except Exception:  # noqa: BLE001
        details = crash_details(*sys.exc_info())
    crash = CrashDialog(ctx.texts, details, window)
    crash.show()
    app.processEvents()
    _save(crash, out, "17-kesalahan-program")
    crash.close()
