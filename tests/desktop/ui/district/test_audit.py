"""District mode's audit log page against a real server: an admin sees who enrolled and
revoked a laptop and who opened which case, in words, and filters by record, actor and
action; staff never reach it; signing out empties it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.ui.district.audit import AuditPage, AuditTableModel
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.window import NAVIGATION, DistrictWindow
from simpul.records.derived import device_tag
from simpul.synthetic import generate_cases
from tests.support.district_server import DistrictServer

from ..conftest import AnsweringPrompter, click
from .conftest import (
    Laptops,
    click_row,
    make_code,
    open_devices,
    open_page,
    table_rows,
    wait_idle,
)

TAMBAKREJO = "33.27.08.2012"


@pytest.fixture
def laptop(laptops: Laptops) -> Store:
    return laptops("desa", TAMBAKREJO)


def rows(page: AuditPage) -> list[dict[int, str]]:
    return table_rows(page.model)


def open_audit(qtbot: QtBot, window: DistrictWindow, ctx: DistrictContext) -> AuditPage:
    return open_page(qtbot, window, ctx, "gui_dm_nav_audit", window.audit_page)


def test_the_admin_sees_enrollment_revocation_and_case_reads_in_words(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
    prompter: AnsweringPrompter,
    laptop: Store,
) -> None:
    window = district_window
    sign_in(window, district_server, "admin")
    devices = open_devices(qtbot, window, dctx)
    enroll_online(laptop, district_server.url, make_code(qtbot, devices, dctx, "Tambakrejo"))
    saved = laptop.save_many(list(generate_cases(2, seed=8, village=TAMBAKREJO)))
    SyncEngine(laptop).run_once()
    record_id = saved[0].record.record_id
    code = laptop.get(record_id).code
    # a case read through the staff API (the read is audited)
    assert dctx.client.read_record(record_id).code == code
    click(qtbot, devices.refresh_button)
    wait_idle(qtbot, dctx)
    click_row(qtbot, devices.table, 0)
    click(qtbot, devices.revoke_button)
    qtbot.waitUntil(lambda: "sudah dicabut" in devices.message.text(), timeout=15_000)
    wait_idle(qtbot, dctx)

    page = open_audit(qtbot, window, dctx)
    model = AuditTableModel
    shown = rows(page)
    assert shown, "the audit log is empty"
    by_action = {r[model.ACTION]: r for r in reversed(shown)}  # the newest of each action
    revoked = by_action["Mencabut perangkat"]
    assert revoked[model.ACTOR] == "admin"
    assert device_tag(laptop.device_id) in revoked[model.DETAIL]
    made = by_action["Membuat kode pendaftaran"]
    assert made[model.ACTOR] == "admin" and "Tambakrejo" in made[model.DETAIL]
    enrolled = by_action["Laptop terdaftar"]
    assert enrolled[model.ACTOR].startswith("Laptop desa " + device_tag(laptop.device_id))
    viewed = by_action["Membuka catatan"]
    assert viewed[model.ACTOR] == "admin" and viewed[model.RECORD] == record_id
    assert "Masuk" in by_action and "Bundel diterima" in by_action
    # newest first
    times = [page.model.row_at(r).entry.at for r in range(page.model.rowCount())]
    assert times == sorted(times, reverse=True)
    order = [r[model.ACTION] for r in shown]
    assert order.index("Mencabut perangkat") < order.index("Membuka catatan")
    assert order.index("Membuka catatan") < order.index("Laptop terdaftar")
    assert "entri terbaru" in page.count.text()
    assert not page.more_button.isVisible()  # fewer entries than a page
    qtmodeltester.check(page.model)

    # filter by action, then by actor
    page.action_filter.setCurrentIndex(page.action_filter.findText("Mencabut perangkat"))
    assert [r[model.ACTION] for r in rows(page)] == ["Mencabut perangkat"]
    page.action_filter.setCurrentIndex(0)
    page.actor_filter.setCurrentIndex(page.actor_filter.findText("admin"))
    assert {r[model.ACTOR] for r in rows(page)} == {"admin"}
    page.actor_filter.setCurrentIndex(0)

    # filter by record: the case code is looked up, the record's entries shown with it
    qtbot.keyClicks(page.record_filter, code)
    qtbot.keyClick(page.record_filter, Qt.Key.Key_Return)
    wait_idle(qtbot, dctx)
    only = rows(page)
    assert only and {r[model.RECORD] for r in only} == {code}
    assert "Membuka catatan" in {r[model.ACTION] for r in only}
    # a record id works too; an unknown code says there is nothing
    page.record_filter.clear()
    qtbot.keyClicks(page.record_filter, record_id)
    click(qtbot, page.find_button)
    wait_idle(qtbot, dctx)
    assert {r[model.RECORD] for r in rows(page)} == {code}
    page.record_filter.clear()
    qtbot.keyClicks(page.record_filter, "PML-082012-2026-ZZ-9999")
    qtbot.keyClick(page.record_filter, Qt.Key.Key_Return)
    wait_idle(qtbot, dctx)
    assert page.model.rowCount() == 0 and "PML-082012-2026-ZZ-9999" in page.empty.text()
    page.record_filter.clear()
    click(qtbot, page.refresh_button)
    wait_idle(qtbot, dctx)
    assert page.model.rowCount() > len(shown)  # every read added an entry
    assert rows(page)[0][model.ACTION] == "Membaca log audit"
    qtmodeltester.check(page.model)

    # English
    dctx.update_settings(language="en")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Time", "Who", "Action", "Record", "Details"]
    assert "Revoked a device" in {r[model.ACTION] for r in rows(page)}
    assert page.action_filter.itemText(0) == "All actions"
    assert page.refresh_button.text() == "Refresh"

    # signing out empties both pages
    window.lock()
    qtbot.waitUntil(lambda: not window.signed_in)
    assert page.model.rowCount() == 0 and devices.model.rowCount() == 0
    assert page.actor_filter.count() == 1 and page.record_filter.text() == ""


def test_load_more_reads_further_back(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    window = district_window
    window.audit_page.page_size = 3
    sign_in(window, district_server, "admin")
    page = open_audit(qtbot, window, dctx)
    assert page.model.rowCount() == 3
    assert page.more_button.isVisible()
    click(qtbot, page.more_button)
    wait_idle(qtbot, dctx)
    assert 3 < page.model.rowCount() <= 6  # sign-ins, accounts added, the first read…


def test_staff_do_not_reach_the_audit_log(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
    dctx: DistrictContext,
) -> None:
    window = district_window
    sign_in(window, district_server, "staff")
    row = [code for code, _ in NAVIGATION].index("gui_dm_nav_audit")
    assert window.navigation.item(row).isHidden()
    window.show_page("gui_dm_nav_audit")  # even shown, the page reads nothing
    wait_idle(qtbot, dctx)
    page = window.audit_page
    assert page.model.rowCount() == 0 and page.message.text() == ""
    assert not page.refresh_button.isEnabled() and not page.find_button.isEnabled()
