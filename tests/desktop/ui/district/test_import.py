"""The district import page against a real server: a flash drive's folder from two village
laptops enrolled by file is checked, imported, and answered with receipts and return bundles the
laptops accept; duplicates, a damaged copy, a stray file and a revoked laptop are said plainly."""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.sync.courier import apply_files, export_bundles
from desktop.sync.enroll import enroll_from_file
from desktop.sync.staff import StaffClient
from desktop.sync.status import sync_status
from desktop.ui.district import imports
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.imports import ImportPage, ImportRow, ImportTableModel
from desktop.ui.district.window import DistrictWindow
from simpul.files import write_atomic
from simpul.synthetic import generate_cases, generate_outreach
from tests.support.district_server import STAFF_PASSWORD, VILLAGE, DistrictServer

from ..conftest import AnsweringPrompter, click
from .conftest import new_laptop

OTHER_VILLAGE = "33.27.01.2001"  # Plakaran, Kec. Moga

Laptop = Callable[..., Store]


@pytest.fixture
def admin(district_server: DistrictServer) -> Iterator[StaffClient]:
    """The district administrator's own session (setting the scene, checking the server)."""
    client = StaffClient(district_server.url)
    client.login("admin", STAFF_PASSWORD)
    yield client
    client.logout()
    client.close()


@pytest.fixture
def laptop(tmp_path: Path, admin: StaffClient) -> Iterator[Laptop]:
    """Village laptops with synthetic records, enrolled with the district by file (no
    internet): the district made the enrollment file, the laptop pinned its keys; its answer
    travels with its bundles."""
    stores: list[Store] = []

    def make(name: str, village: str, *, cases: int, outreach: int = 0, seed: int = 1) -> Store:
        store = new_laptop(tmp_path / name, village)
        stores.append(store)
        store.save_many(generate_cases(cases, seed=seed, village=village))
        if outreach:
            store.save_many(generate_outreach(outreach, seed=seed, village=village))
        # what ``simpul-district enroll --village V --file F`` writes, made through the API
        enroll_from_file(store, admin.enrollment_file(village, 24))
        return store

    yield make
    for store in stores:
        store.close()


def open_page(
    window: DistrictWindow, server: DistrictServer, sign_in: Callable[..., None], role: str
) -> ImportPage:
    sign_in(window, server, role)
    window.show_page("gui_dm_nav_import")
    page = window.import_page
    assert page.isVisible()
    return page


def wait_idle(qtbot: QtBot, page: ImportPage) -> None:
    qtbot.waitUntil(
        lambda: not page.busy and all(row.stage != "reading" for row in page.rows()),
        timeout=60_000,
    )


def table(page: ImportPage) -> dict[str, list[str]]:
    """What the table shows, by file name: every column's text, as a person reads it."""
    model = page.table.model()
    shown: dict[str, list[str]] = {}
    for line in range(model.rowCount()):
        cells = [str(model.index(line, c).data() or "") for c in range(model.columnCount())]
        shown[cells[0]] = cells
    return shown


def row_of(page: ImportPage, name: str) -> ImportRow:
    return next(row for row in page.rows() if row.path.name == name)


R = ImportTableModel
"""Column numbers."""


def drop(page: ImportPage, *paths: Path) -> None:
    """Drag files from a file manager and drop them on the page."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = page.rect().center()
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, dropped)
    assert dropped.isAccepted()


def server_record_ids(server: DistrictServer) -> list[str]:
    return [str(r["record_id"]) for r in server.records()]


def test_a_flash_drive_folder_is_checked_imported_and_answered(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
    laptop: Laptop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: object,
) -> None:
    tambakrejo = laptop("tambakrejo", VILLAGE, cases=3, outreach=2, seed=4)
    plakaran = laptop("plakaran", OTHER_VILLAGE, cases=2, seed=5)
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    first = export_bundles(tambakrejo, drive)
    second = export_bundles(plakaran, drive)
    assert first.answer is not None and second.answer is not None
    (bundle_a,) = first.bundles
    (bundle_b,) = second.bundles
    shutil.copyfile(bundle_a, drive / "zz-salinan.simpul")  # the same bundle copied twice
    damaged = bytearray(bundle_b.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    (drive / "yy-rusak.simpul").write_bytes(bytes(damaged))  # one byte flipped
    (drive / "catatan.simpul").write_bytes(b"daftar belanja, bukan bundel\n" * 10)
    (drive / "foto.jpg").write_bytes(b"\xff\xd8\xff not listed from a folder")

    page = open_page(district_window, district_server, sign_in, "admin")
    assert page.empty.isVisible() and not page.import_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(drive))
    click(qtbot, page.choose_folder_button)
    wait_idle(qtbot, page)

    shown = table(page)
    names = {bundle_a.name, bundle_b.name, first.answer.name, second.answer.name}
    names |= {"zz-salinan.simpul", "yy-rusak.simpul", "catatan.simpul"}
    assert set(shown) == names  # foto.jpg is not a Simpul file: a folder scan leaves it out
    assert shown[first.answer.name][R.SIGNATURE] == "Jawaban pendaftaran"
    assert shown[first.answer.name][R.RESULT] == "Laptop didaftarkan lebih dulu"
    # not registered yet: the district cannot name the laptop's village before the answer
    assert shown[bundle_a.name][R.SIGNATURE] == "Laptop belum terdaftar"
    assert shown[bundle_a.name][R.SEEN] == "Belum"
    assert shown[bundle_a.name][R.RESULT] == "Siap diimpor"
    assert shown["yy-rusak.simpul"][R.SIGNATURE] == "Diubah setelah disegel"
    assert shown["yy-rusak.simpul"][R.RESULT].startswith("Akan ditolak: berkas berubah")
    assert shown["catatan.simpul"][R.SIGNATURE] == "Bukan bundel"
    assert shown["catatan.simpul"][R.RESULT] == "Dilewati: bukan bundel Simpul"
    assert page.message.text() == "3 bundel siap diimpor. Tekan Impor."
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]

    with qtbot.waitSignal(dctx.records_changed, timeout=60_000):
        click(qtbot, page.import_button)
    wait_idle(qtbot, page)
    shown = table(page)
    assert shown[first.answer.name][R.RESULT] == "Laptop didaftarkan"
    assert shown[second.answer.name][R.RESULT] == "Laptop didaftarkan"
    assert shown[bundle_a.name][R.RESULT] == "Diimpor"
    assert shown[bundle_a.name][R.SEEN] == "Belum"  # as it was before this import
    assert shown[bundle_b.name][R.RESULT] == "Diimpor"
    assert shown["zz-salinan.simpul"][R.RESULT] == "Sudah pernah diimpor"
    assert shown["yy-rusak.simpul"][R.RESULT].startswith("Ditolak: berkas berubah setelah")
    assert shown["catatan.simpul"][R.RESULT] == "Dilewati: bukan bundel Simpul"
    # once registered, the rows say where the bundles come from and what they hold
    a = shown[bundle_a.name]
    assert (a[R.VILLAGE], a[R.CASES], a[R.OUTREACH], a[R.SIGNATURE]) == (
        "Tambakrejo",
        "3",
        "2",
        "Sah",
    )
    assert a[R.PERIOD] and a[R.DEVICE] and len(a[R.DEVICE]) == 2
    assert (shown[bundle_b.name][R.VILLAGE], shown[bundle_b.name][R.CASES]) == ("Plakaran", "2")
    assert page.message.text().startswith(
        "2 diimpor, 1 sudah pernah, 1 ditolak, 2 laptop didaftarkan."
    )
    assert "bawa kembali flashdisk ke desa" in page.message.text()
    assert not page.import_button.isEnabled()  # nothing left to do

    # a receipt per imported file next to the bundles, named as the CLI names them; no return
    # bundle yet: the district changed nothing the laptops do not hold
    receipts = sorted(drive.glob("*.simpul-receipt"))
    assert len(receipts) == 3 and not list(drive.glob("*.simpul-return"))
    assert {p.parent for p in receipts} == {drive}
    assert all(len(p.name.split(".")[0]) == 16 for p in receipts)
    for store in (tambakrejo, plakaran):
        assert sync_status(store).pending_changes > 0
        outcomes = apply_files(store, receipts)
        assert any(o.status == "applied" for o in outcomes)
        after = sync_status(store)
        assert after.pending_changes == 0 and after.confirmed

    ids = server_record_ids(district_server)
    assert len(ids) == 7 and len(set(ids)) == 7  # each record once, the duplicate added none

    # choosing the same folder again lists nothing new; the files written back are not bundles
    click(qtbot, page.choose_folder_button)
    qtbot.waitUntil(lambda: "sudah ada di daftar" in page.message.text())

    dctx.update_settings(language="en")
    shown = table(page)
    assert shown[bundle_a.name][R.RESULT] == "Imported"
    assert shown["zz-salinan.simpul"][R.RESULT] == "Already imported"
    assert shown["yy-rusak.simpul"][R.RESULT].startswith("Refused: the file changed")
    assert page.import_button.text() == "Import"
    assert page.choose_folder_button.text() == "Choose folder…"
    header = page.table.model().headerData(R.SIGNATURE, Qt.Orientation.Horizontal)
    assert header == "Signature"

    district_window.lock()
    qtbot.waitUntil(lambda: not district_window.signed_in)
    assert page.rows() == [] and page.message.text() == ""


def test_a_revoked_laptop_is_refused_and_a_full_drive_is_said(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
    prompter: AnsweringPrompter,
    laptop: Laptop,
    admin: StaffClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tambakrejo = laptop("tambakrejo", VILLAGE, cases=2, seed=6)
    plakaran = laptop("plakaran", OTHER_VILLAGE, cases=1, seed=7)
    drive_a, drive_b = tmp_path / "desa-a", tmp_path / "desa-b"
    drive_a.mkdir()
    drive_b.mkdir()
    a = export_bundles(tambakrejo, drive_a)
    b = export_bundles(plakaran, drive_b)
    assert a.answer and b.answer
    # an administrator registered both laptops from their answers earlier, and then revoked
    # the one of Plakaran (it was lost)
    for answer in (a.answer, b.answer):
        admin.import_enrollment_answer(answer.read_bytes())
    devices = {d.village: d.device_id for d in admin.devices()}
    admin.revoke_device(devices[OTHER_VILLAGE])

    page = open_page(district_window, district_server, sign_in, "staff")
    drop(page, a.bundles[0])  # dragged from the file manager
    prompter.files = [b.bundles[0], b.answer]
    click(qtbot, page.choose_files_button)
    wait_idle(qtbot, page)
    shown = table(page)
    ours = shown[a.bundles[0].name]
    assert (ours[R.VILLAGE], ours[R.CASES], ours[R.SIGNATURE], ours[R.SEEN]) == (
        "Tambakrejo",
        "2",
        "Sah",
        "Belum",
    )
    assert shown[b.bundles[0].name][R.SIGNATURE] == "Laptop sudah dicabut"
    assert shown[b.bundles[0].name][R.VILLAGE] == "Plakaran"
    # a staff member cannot register laptops: the answer waits for an administrator
    assert shown[b.answer.name][R.RESULT] == "Hanya admin yang dapat mendaftarkan laptop ini"

    # the flash drive of Tambakrejo is full: the import counts, the receipt is not written
    def full(path: Path, data: bytes, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(imports, "write_atomic", full)
    # Impor, then Batal at once: the bundle on its way finishes (all in), the next waits
    click(qtbot, page.import_button)
    click(qtbot, page.cancel_button)
    wait_idle(qtbot, page)
    shown = table(page)
    result = shown[a.bundles[0].name][R.RESULT]
    assert result.startswith("Diimpor. Namun tanda terima")
    assert "flashdisk penuh" in result and "Impor tetap tercatat" in result
    assert shown[b.bundles[0].name][R.RESULT].startswith("Akan ditolak: laptop pembuatnya")
    said = page.message.text()
    assert said.startswith("1 diimpor, 0 sudah pernah, 0 ditolak, 1 laptop menunggu admin.")
    assert "1 tanda terima tidak dapat ditulis" in said
    assert "Dibatalkan: 1 berkas belum diimpor." in said
    assert not list(drive_a.glob("*.simpul-receipt"))
    assert admin.list_records().total == 2

    # meanwhile the district follows a case up: the laptop should get that back
    followed = admin.list_records().records[0].record_id
    detail = admin.read_record(followed)
    status = "selesai" if detail.document.get("status") != "selesai" else "dirujuk"
    admin.save_followup(followed, {**detail.document, "status": status}, base=detail.base)

    # space freed: Impor again writes the same receipt and a return bundle; nothing is
    # imported twice
    monkeypatch.setattr(imports, "write_atomic", write_atomic)
    click(qtbot, page.import_button)
    wait_idle(qtbot, page)
    shown = table(page)
    assert shown[a.bundles[0].name][R.RESULT] == "Sudah pernah diimpor"
    assert shown[b.bundles[0].name][R.RESULT] == (
        "Ditolak: laptop pembuatnya sudah dicabut oleh kabupaten"
    )
    assert page.message.text().startswith("0 diimpor, 1 sudah pernah, 1 ditolak.")
    (receipt,) = drive_a.glob("*.simpul-receipt")
    (back,) = drive_a.glob("*.simpul-return")
    assert not list(drive_b.glob("*.simpul-receipt"))  # a refused bundle gets nothing back
    outcomes = apply_files(tambakrejo, [receipt, back])
    assert [o.status for o in outcomes] == ["applied", "applied"]
    assert sync_status(tambakrejo).pending_changes == 0
    assert tambakrejo.get(followed).doc["status"] == status
    assert admin.list_records().total == 2

    # the server goes away in the middle: the file says so, and Impor tries it again later
    tambakrejo.save_many(generate_cases(1, seed=8, village=VILLAGE))
    later = tmp_path / "later"
    later.mkdir()
    (newer,) = export_bundles(tambakrejo, later).bundles
    drop(page, later)
    wait_idle(qtbot, page)
    assert table(page)[newer.name][R.CASES] == "1"
    district_server.stop()
    click(qtbot, page.import_button)
    wait_idle(qtbot, page)
    assert table(page)[newer.name][R.RESULT].startswith("Belum diimpor: Server kabupaten belum")
    assert "1 belum diimpor" in page.message.text()
    district_server.start()
    click(qtbot, page.import_button)
    wait_idle(qtbot, page)
    assert table(page)[newer.name][R.RESULT] == "Diimpor"
    assert admin.list_records().total == 3

    # a viewer never gets the page, and the page refuses anyway
    district_window.lock()
    qtbot.waitUntil(lambda: not district_window.signed_in)
    assert page.rows() == []
    sign_in(district_window, district_server, "viewer")
    assert not page.choose_files_button.isEnabled()
    assert not page.choose_folder_button.isEnabled()
    page.add_paths([drive_a])
    qtbot.waitUntil(lambda: not dctx.runner.busy)
    assert page.rows() == []
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(drive_a))])
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted()
