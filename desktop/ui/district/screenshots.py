"""The district-mode screenshots of docs/screenshots (18–25), offscreen, Indonesian, synthetic.

Run through ``scripts/screenshots.py``. A real district server is set up in a temporary
folder as an operator does it (``simpul-district init``, ``user add``, ``serve`` on
127.0.0.1); throw-away village laptop profiles with synthetic cases and outreach enroll and
sync with it, one more hands its bundles over on a "flash drive" folder. Each screen is then
driven as district staff would (typing, clicking) and saved as a PNG. No real person's data is
ever used, and the server is stopped and the folder deleted at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QProgressBar, QWidget

from desktop.storage.store import Store
from desktop.storage.vault import KdfCost
from desktop.sync.courier import export_bundles
from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_from_file, enroll_online
from desktop.sync.staff import StaffClient
from desktop.ui.district.app import start
from desktop.ui.district.caseview import DistrictCaseWindow
from desktop.ui.district.context import DISTRICT_SETTINGS_NAME, DistrictContext
from desktop.ui.district.window import DistrictWindow
from desktop.ui.prompter import Prompter
from district.report_pdf import report_pdf
from district.reports import Report
from simpul.synthetic import generate_cases, generate_outreach

__all__ = ["render"]

ROOT = Path(__file__).resolve().parents[3]
SERVER_PASSPHRASE = "kunci server kabupaten pemalang"
STAFF_PASSWORD = "sandi staf kabupaten panjang"
LAPTOP_PASSPHRASE = "frasa sandi kader desa yang panjang"
FAST_KDF = KdfCost(time_cost=1, memory_kib=8 * 1024, lanes=1)
"""Cheap key derivation: these throw-away profiles need no protection."""

ONLINE_LAPTOPS: tuple[tuple[str, int, int, int], ...] = (
    ("33.27.08.2012", 14, 5, 2025),  # Tambakrejo, Kec. Pemalang
    ("33.27.08.2001", 8, 3, 2026),  # Banjarmulya, Kec. Pemalang
    ("33.27.03.2005", 10, 4, 2027),  # Badak, Kec. Belik
)
"""Village laptops that sync online: village, cases, outreach events, seed."""

DRIVE_LAPTOPS: tuple[tuple[str, int, int, int], ...] = (
    ("33.27.01.2001", 6, 3, 2028),  # Plakaran, Kec. Moga
    ("33.27.03.2013", 5, 2, 2029),  # Sodong Basari, Kec. Belik
)
"""Village laptops with no internet, enrolled by file: their bundles go on the flash drive."""

FOLLOW_UP_STATUS = "diterima_uptd"
SHOWN_ADDRESS = "https://simpul.pemalangkab.go.id"
"""The address typed at sign-in; the client it makes talks to the local server instead."""


class _FolderPrompter(Prompter):
    """Answers "choose a folder" with the flash drive; never opens a dialog."""

    def __init__(self) -> None:
        self.folder: Path | None = None

    def choose_directory(self, parent: QWidget, title: str) -> Path | None:
        return self.folder

    def inform(self, parent: QWidget, title: str, text: str) -> None:
        pass

    def warn(self, parent: QWidget, title: str, text: str) -> None:
        pass


# ---------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _district_cli(data: Path, *args: str, **env: str) -> str:
    """Run ``simpul-district --data DATA ARGS`` as an operator would; its output."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    result = subprocess.run(
        [sys.executable, "-m", "district.cli", "--data", str(data), *args],
        env={**clean, "SIMPUL_DISTRICT_PASSPHRASE": SERVER_PASSPHRASE, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"simpul-district {args[0]}: {result.stderr.strip()}")
    return result.stdout


@contextmanager
def _serving(data: Path) -> Iterator[str]:
    """``simpul-district serve`` on a free port of 127.0.0.1 until the block ends; its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "district.cli", "--data", str(data), "serve", "--port", str(port)],
        env={**clean, "SIMPUL_DISTRICT_PASSPHRASE": SERVER_PASSPHRASE},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit("simpul-district serve did not start")
            try:
                with urllib.request.urlopen(url + "/v1/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("simpul-district serve did not answer") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------- the villages


def _laptop(folder: Path, village: str, cases: int, outreach: int, seed: int) -> Store:
    store, _code = Store.create(
        folder, village=village, user="kader", passphrase=LAPTOP_PASSPHRASE, cost=FAST_KDF
    )
    store.save_many(generate_cases(cases, seed=seed, village=village))
    store.save_many(generate_outreach(outreach, seed=seed, village=village))
    return store


def _set_scene(tmp: Path, url: str, drive: Path) -> str:
    """Enroll and sync the online laptops, fill the flash drive, save one follow-up at the
    district; the record id of the case followed up."""
    admin = StaffClient(url)
    admin.login("admin", STAFF_PASSWORD)
    stores: list[Store] = []
    try:
        for village, cases, outreach, seed in ONLINE_LAPTOPS:
            store = _laptop(tmp / f"desa-{village}", village, cases, outreach, seed)
            stores.append(store)
            enroll_online(store, url, admin.create_enrollment(village, 24).code)
            SyncEngine(store).run_once()
        for village, cases, outreach, seed in DRIVE_LAPTOPS:
            store = _laptop(tmp / f"desa-{village}", village, cases, outreach, seed)
            stores.append(store)
            enroll_from_file(store, admin.enrollment_file(village, 24))
            export_bundles(store, drive)

        staff = StaffClient(url)
        staff.login("petugas", STAFF_PASSWORD)
        try:
            first = stores[0]
            case = next(
                r
                for r in first.records(kind="case")
                if r.doc.get("status") != FOLLOW_UP_STATUS and len(r.doc.get("victims") or []) > 1
            )
            detail = staff.read_record(case.record_id)
            staff.save_followup(
                case.record_id,
                {**detail.document, "status": FOLLOW_UP_STATUS},
                base=detail.base,
            )
        finally:
            staff.logout()
            staff.close()
        SyncEngine(first).run_once()  # the village laptop hears of it too
        return case.record_id
    finally:
        for store in stores:
            store.close()
        admin.logout()
        admin.close()


def _busiest_year() -> str:
    """The year most synthetic cases were reported in (the report shown)."""
    years: Counter[str] = Counter()
    for village, cases, _outreach, seed in (*ONLINE_LAPTOPS, *DRIVE_LAPTOPS):
        for doc in generate_cases(cases, seed=seed, village=village):
            years[str(doc.get("reported_on") or "")[:4]] += 1
    return years.most_common(1)[0][0]


# ---------------------------------------------------------------------------- screens


def _wait(app: QApplication, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("a district screen did not get ready in time")
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def _idle(ctx: DistrictContext, *widgets: QWidget) -> Callable[[], bool]:
    """No background call running and no busy bar showing in ``widgets``."""

    def check() -> bool:
        if ctx.runner.busy:
            return False
        return not any(
            bar.isVisible() and bar.maximum() == 0
            for widget in widgets
            for bar in widget.findChildren(QProgressBar)
        )

    return check


def _settle(app: QApplication, ctx: DistrictContext, *widgets: QWidget) -> None:
    _wait(app, _idle(ctx, *widgets))
    time.sleep(0.05)  # a reply just in: let the page draw what it read
    _wait(app, _idle(ctx, *widgets))


def _save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def _save_pdf_page(report: Report, out: Path, name: str) -> None:
    """The report's PDF, as the Export button writes it, its first page rendered to a PNG."""
    from PySide6.QtPdf import QPdfDocument

    with tempfile.TemporaryDirectory(prefix="simpul-pdf-") as folder:
        pdf = Path(folder) / "laporan.pdf"
        pdf.write_bytes(report_pdf(report))
        document = QPdfDocument()
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise RuntimeError(f"the report's PDF does not open: {document.error()}")
        size = document.pagePointSize(0)
        image = document.render(0, QSize(round(size.width() * 1.6), round(size.height() * 1.6)))
        document.close()
    path = out / f"{name}.png"
    image.save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def _click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def _quiet_offscreen_noise() -> None:
    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def render(out: Path) -> None:
    """Write the district PNGs into ``out`` (needs ``QT_QPA_PLATFORM=offscreen`` without a
    display)."""
    out.mkdir(parents=True, exist_ok=True)
    _quiet_offscreen_noise()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="simpul-district-screens-") as name:
        tmp = Path(name)
        data = tmp / "server"
        _district_cli(data, "init")
        _district_cli(
            data, "user", "add", "admin", "--role", "admin", SIMPUL_USER_PASSWORD=STAFF_PASSWORD
        )
        _district_cli(
            data, "user", "add", "petugas", "--role", "staff", SIMPUL_USER_PASSWORD=STAFF_PASSWORD
        )
        drive = tmp / "flashdisk"
        drive.mkdir()
        with _serving(data) as url:
            record_id = _set_scene(tmp, url, drive)
            prompter = _FolderPrompter()
            prompter.folder = drive
            ctx = DistrictContext(
                tmp / "desk" / DISTRICT_SETTINGS_NAME,
                lang="id",
                prompter=prompter,
                client_factory=lambda _shown: StaffClient(url),
            )
            window = start(ctx, app)
            try:
                _screens(app, ctx, window, out, record_id)
            finally:
                window.close()
                _wait(app, lambda: not ctx.runner.busy)
                app.processEvents()


def _screens(
    app: QApplication,
    ctx: DistrictContext,
    window: DistrictWindow,
    out: Path,
    record_id: str,
) -> None:
    window.resize(1200, 760)
    screen = window.sign_in_screen
    screen.server.clear()
    QTest.keyClicks(screen.server, SHOWN_ADDRESS)
    QTest.keyClicks(screen.name, "admin")
    QTest.keyClicks(screen.password, STAFF_PASSWORD)
    app.processEvents()
    _save(window, out, "18-kabupaten-masuk")
    QTest.keyClick(screen.password, Qt.Key.Key_Return)
    _wait(app, lambda: window.signed_in)

    window.show_page("gui_dm_nav_import")
    imports = window.import_page
    _click(imports.choose_folder_button)
    _wait(app, lambda: imports.import_button.isEnabled() and not imports.busy)
    _click(imports.import_button)
    _wait(app, lambda: not imports.busy and not imports.import_button.isEnabled())
    _settle(app, ctx, window)
    _save(window, out, "22-kabupaten-impor")

    page = window.cases_page
    window.show_page("gui_dm_nav_cases")
    _wait(app, lambda: page.model.rowCount() > 0)
    _settle(app, ctx, window)
    _save(window, out, "19-kabupaten-kasus")

    _case_window(app, ctx, window, out, record_id)

    window.show_page("gui_dm_nav_devices")
    _settle(app, ctx, window)
    _save(window, out, "23-kabupaten-perangkat")

    window.show_page("gui_dm_nav_reports")
    reports = window.reports_page
    reports.choose_period(_busiest_year())
    _click(reports.show_button)
    _wait(app, lambda: reports.shown is not None)
    _settle(app, ctx, window)
    reports.tables.setCurrentRow(0)
    window.resize(1200, 800)
    _settle(app, ctx, window)
    _save(window, out, "24-kabupaten-laporan")
    assert reports.shown is not None
    _save_pdf_page(reports.shown.report, out, "26-kabupaten-laporan-pdf")
    window.resize(1200, 760)

    window.show_page("gui_dm_nav_audit")
    _settle(app, ctx, window)
    _save(window, out, "25-kabupaten-log-audit")


def _case_window(
    app: QApplication, ctx: DistrictContext, window: DistrictWindow, out: Path, record_id: str
) -> None:
    """Find the case followed up by its code, open it, and open its follow-up."""
    page = window.cases_page
    code = next(r.code for r in _all_rows(page.model) if r.record_id == record_id)
    QTest.keyClicks(page.search, code)
    _wait(app, lambda: page.model.rowCount() == 1 and page.loaded_query == page.current_query())
    _settle(app, ctx, window)
    table = page.table
    rect = table.visualRect(page.model.index(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(table, Qt.Key.Key_Return)
    _wait(app, lambda: bool(page.windows))
    case_window: DistrictCaseWindow = page.windows[0]
    case_window.resize(1000, 780)
    _wait(app, lambda: case_window.detail is not None)
    _settle(app, ctx, case_window)
    view = case_window.view
    bar = view.scroll_area.verticalScrollBar()
    _wait(app, lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())  # down to the history: who changed what, where
    app.processEvents()
    _save(case_window, out, "20-kabupaten-rincian-kasus")

    _click(case_window.view.edit_button)
    _wait(app, lambda: case_window.followup is not None)
    dialog = case_window.followup
    assert dialog is not None
    dialog.resize(900, 700)
    _settle(app, ctx, dialog)
    _click(dialog.add_service_button)
    app.processEvents()
    card = dialog.service_cards[-1]
    kind = card.fields["type"]
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(max(1, kind.findText("Rehabilitasi Sosial")))
    institution, description = card.fields["institution"], card.fields["description"]
    assert isinstance(institution, QWidget) and isinstance(description, QWidget)
    QTest.keyClicks(institution, "UPTD PPA Kabupaten Pemalang")
    QTest.keyClicks(description, "Konseling pertama dengan psikolog; korban didampingi ibunya.")
    app.processEvents()
    _save(dialog, out, "21-kabupaten-tindak-lanjut")
    _click(dialog.cancel_button)
    case_window.close()
    page.search.clear()
    _wait(app, lambda: page.model.rowCount() > 1)
    _settle(app, ctx, window)


def _all_rows(model: Any) -> list[Any]:
    return [model.row_at(n) for n in range(model.rowCount())]
