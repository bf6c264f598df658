"""District mode's devices page against a real server: an admin makes enrollment codes and
files through the page, village laptops enroll and sync with them, the list shows each laptop
with its village, contact and status, and a revoked laptop is refused; staff see the list
only; a refusal and an unreachable server are said calmly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import answer_file, enroll_from_file, enroll_online
from desktop.sync.errors import ServerRefusedError
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.devices import DevicesPage, DeviceTableModel
from desktop.ui.district.window import DistrictWindow
from simpul.records.derived import device_tag
from simpul.synthetic import generate_cases
from tests.support.district_server import DistrictServer

from ..conftest import AnsweringPrompter, click
from .conftest import (
    Laptops,
    choose_village,
    click_row,
    make_code,
    open_devices,
    table_rows,
    wait_idle,
)

TAMBAKREJO = "33.27.08.2012"  # Kec. Pemalang
WALANGSANGA = "33.27.01.2003"  # Kec. Moga
PLAKARAN = "33.27.01.2001"  # Kec. Moga


def column(page: DevicesPage, col: int) -> list[str]:
    return [row[col] for row in table_rows(page.model)]


def row_of(page: DevicesPage, device_id: str) -> dict[int, str]:
    model = page.model
    row = model.row_of(device_id)
    assert row >= 0, device_id
    return table_rows(model)[row]


def test_admin_enrolls_syncs_revokes_and_hands_out_a_file(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
    prompter: AnsweringPrompter,
    laptops: Laptops,
    tmp_path: Path,
) -> None:
    window = district_window
    sign_in(window, district_server, "admin")
    page = open_devices(qtbot, window, dctx)
    assert page.model.rowCount() == 0
    assert "Belum ada laptop" in page.empty.text()
    for button in (page.revoke_button, page.code_button, page.file_button):
        assert button.isVisible()
    assert not page.role_note.isVisible()

    # two laptops enroll online with codes read off the dialog
    first = laptops("desa-a", TAMBAKREJO)
    second = laptops("desa-b", WALANGSANGA)
    enroll_online(first, district_server.url, make_code(qtbot, page, dctx, "Tambakrejo"))
    enroll_online(second, district_server.url, make_code(qtbot, page, dctx, "Walangsanga", 24))
    # the first one records three cases and syncs
    first.save_many(list(generate_cases(3, seed=4, village=TAMBAKREJO)))
    assert SyncEngine(first).run_once().pushed_changes == 3

    click(qtbot, page.refresh_button)
    wait_idle(qtbot, dctx)
    assert page.model.rowCount() == 2
    synced, idle = row_of(page, first.device_id), row_of(page, second.device_id)
    model = DeviceTableModel
    assert synced[model.VILLAGE] == "Tambakrejo" and synced[model.KECAMATAN] == "Pemalang"
    assert idle[model.VILLAGE] == "Walangsanga" and idle[model.KECAMATAN] == "Moga"
    assert synced[model.DEVICE].startswith(device_tag(first.device_id))
    assert synced[model.CONTACT] != "Belum pernah" and synced[model.BUNDLE] != "Belum pernah"
    assert synced[model.PENDING] == "0"
    assert idle[model.BUNDLE] == "Belum pernah" and idle[model.PENDING] == "-"
    assert {synced[model.STATUS], idle[model.STATUS]} == {"Aktif"}
    tip = page.model.data(
        page.model.index(page.model.row_of(second.device_id), model.PENDING),
        Qt.ItemDataRole.ToolTipRole,
    )
    assert "Belum diketahui" in str(tip)
    assert "2 perangkat: 2 aktif, 0 dicabut" == page.count.text()
    qtmodeltester.check(page.model)

    # sorting by a column and the filters
    page.table.sortByColumn(model.VILLAGE, Qt.SortOrder.DescendingOrder)
    assert column(page, model.VILLAGE) == ["Walangsanga", "Tambakrejo"]
    qtbot.keyClicks(page.search, "tambak")
    assert column(page, model.VILLAGE) == ["Tambakrejo"]
    assert "1 dari 2" in page.count.text()
    page.search.clear()
    page.kecamatan_filter.setCurrentIndex(page.kecamatan_filter.findText("Moga"))
    assert column(page, model.VILLAGE) == ["Walangsanga"]
    page.kecamatan_filter.setCurrentIndex(0)
    assert page.model.rowCount() == 2

    # revoke the second laptop: nothing happens when the question is answered no
    assert not page.revoke_button.isEnabled()  # nothing selected
    click_row(qtbot, page.table, page.model.row_of(second.device_id))
    prompter.confirm_answer = False
    click(qtbot, page.revoke_button)
    title, question = prompter.questions[-1]
    assert title == "Cabut perangkat"
    assert "Walangsanga" in question and "Moga" in question
    assert device_tag(second.device_id) in question
    assert "ditolak" in question and "tetap tersimpan" in question
    wait_idle(qtbot, dctx)
    assert row_of(page, second.device_id)[model.STATUS] == "Aktif"
    prompter.confirm_answer = True
    click(qtbot, page.revoke_button)
    qtbot.waitUntil(lambda: row_of(page, second.device_id)[model.STATUS] == "Dicabut")
    wait_idle(qtbot, dctx)
    assert "sudah dicabut" in page.message.text()
    assert row_of(page, first.device_id)[model.STATUS] == "Aktif"
    assert not page.revoke_button.isEnabled()  # the revoked row stays selected
    qtbot.keyClicks(page.search, "dicabut")
    assert column(page, model.VILLAGE) == ["Walangsanga"]
    page.search.clear()
    # the revoked laptop's next sync is refused, saying why
    second.save_many(list(generate_cases(1, seed=5, village=WALANGSANGA)))
    with pytest.raises(ServerRefusedError) as refused:
        SyncEngine(second).run_once()
    assert refused.value.code == "refused_device_revoked"
    assert SyncEngine(first).run_once().pushed_changes == 0  # the other one still syncs

    # an enrollment file for a village without internet, saved on a "flash drive"
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    prompter.save_folder = drive
    click(qtbot, page.file_button)
    dialog = page.enroll_dialog
    assert dialog is not None and dialog.mode == "file"
    assert not dialog.code_label.isVisible()
    choose_village(qtbot, dialog, "Plakaran", 72)
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=15_000)
    saved = dialog.saved_path
    assert saved is not None and saved.parent == drive and saved.exists()
    assert saved.name.endswith(".simpul-enrollment") and PLAKARAN in saved.name
    assert "kader" not in saved.name
    assert [p.name for p in drive.iterdir()] == [saved.name]  # no temporary file left
    assert str(saved) in dialog.expiry_label.text()
    click(qtbot, dialog.done_button)
    wait_idle(qtbot, dctx)
    assert str(saved) in page.message.text()
    # a new laptop enrolls with the file; its answer is imported at the district
    third = laptops("desa-c", PLAKARAN)
    enrollment = enroll_from_file(third, saved.read_bytes())
    assert enrollment.village == PLAKARAN
    answer = answer_file(third)
    assert answer is not None
    dctx.client.import_enrollment_answer(answer)
    click(qtbot, page.refresh_button)
    wait_idle(qtbot, dctx)
    assert page.model.rowCount() == 3
    assert row_of(page, third.device_id)[model.VILLAGE] == "Plakaran"
    page.kecamatan_filter.setCurrentIndex(page.kecamatan_filter.findText("Moga"))
    assert sorted(column(page, model.VILLAGE)) == ["Plakaran", "Walangsanga"]
    page.village_filter.setCurrentIndex(page.village_filter.findText("Plakaran"))
    assert column(page, model.VILLAGE) == ["Plakaran"]
    qtmodeltester.check(page.model)

    # English
    dctx.update_settings(language="en")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.STATUS + 1)]
    assert headers[:2] == ["Device", "Village"] and "Last contact" in headers
    assert page.revoke_button.text() == "Revoke device…"
    assert page.code_button.text() == "Create enrollment code…"
    assert page.refresh_button.text() == "Refresh"
    assert page.kecamatan_filter.itemText(0) == "All subdistricts"
    assert page.village_filter.itemText(0) == "All villages"
    page.village_filter.setCurrentIndex(0)
    page.kecamatan_filter.setCurrentIndex(0)
    assert row_of(page, second.device_id)[model.STATUS] == "Revoked"
    assert "3 device(s): 2 active, 1 revoked" == page.count.text()

    # signing out empties the table and forgets a code still on screen (and copied)
    click(qtbot, page.code_button)
    dialog = page.enroll_dialog
    assert dialog is not None
    choose_village(qtbot, dialog, "Tambakrejo", 24)
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: bool(dialog.code), timeout=15_000)
    click(qtbot, dialog.copy_button)
    assert dialog.copied.text() == "Copied."
    window.lock()
    qtbot.waitUntil(lambda: not window.signed_in)
    assert page.model.rowCount() == 0 and page.enroll_dialog is None
    assert not shiboken6.isValid(dialog) or (not dialog.isVisible() and dialog.code == "")
    assert QGuiApplication.clipboard().text() == ""
    assert page.count.text() == "" and page.message.text() == ""
    assert page.kecamatan_filter.count() == 1 and page.search.text() == ""


def test_staff_see_the_list_but_cannot_enroll_or_revoke(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
    prompter: AnsweringPrompter,
    laptops: Laptops,
) -> None:
    laptop = laptops("desa", TAMBAKREJO)
    enroll_online(laptop, district_server.url, district_server.enrollment_code(TAMBAKREJO))
    window = district_window
    sign_in(window, district_server, "staff")
    page = open_devices(qtbot, window, dctx)
    assert page.model.rowCount() == 1
    assert row_of(page, laptop.device_id)[DeviceTableModel.STATUS] == "Aktif"
    for button in (page.revoke_button, page.code_button, page.file_button):
        assert not button.isVisible()
    assert page.role_note.isVisible() and "Hanya admin" in page.role_note.text()
    assert page.refresh_button.isVisible() and page.refresh_button.isEnabled()

    # were the button there, the server would refuse: the page says so calmly, stays signed in
    click_row(qtbot, page.table, 0)
    page.revoke_button.show()
    page.revoke_button.setEnabled(True)
    click(qtbot, page.revoke_button)
    wait_idle(qtbot, dctx)
    assert page.message.text() == (
        "Server menolak: akun Anda tidak berwenang untuk ini. Hubungi admin."
    )
    assert window.signed_in
    assert row_of(page, laptop.device_id)[DeviceTableModel.STATUS] == "Aktif"

    # the server stops: refreshing says so, the list stays as it was
    district_server.stop()
    page.message.clear()
    click(qtbot, page.refresh_button)
    qtbot.waitUntil(lambda: bool(page.message.text()), timeout=30_000)
    assert "server" in page.message.text().lower() and "Traceback" not in page.message.text()
    assert page.model.rowCount() == 1 and window.signed_in


def test_a_viewer_never_reads_the_devices(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    window = district_window
    sign_in(window, district_server, "viewer")
    window.show_page("gui_dm_nav_devices")  # not offered to a viewer; nothing is read anyway
    wait_idle(qtbot, dctx)
    page = window.devices_page
    assert page.model.rowCount() == 0 and page.message.text() == ""
    assert not page.code_button.isVisible() and not page.revoke_button.isVisible()
    assert page.model.index(0, 0, QModelIndex()).isValid() is False
