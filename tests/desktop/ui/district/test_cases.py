"""District mode's case table, case window and follow-up, against a real server that holds
cases synced from two village laptops (two kecamatan): the table pages from the server, each
filter narrows it as a count over the same synthetic documents says, a follow-up is stored
under the staff member's name and reaches the village laptop at its next sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.storage.store import Store
from desktop.sync.courier import apply_files, export_bundles
from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.sync.staff import StaffClient
from desktop.ui.district.casefollowup import FollowupDialog
from desktop.ui.district.cases import DistrictCaseModel, DistrictCasesPage
from desktop.ui.district.caseview import DistrictCaseWindow
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.window import DistrictWindow
from simpul.records.derived import police_deadline
from simpul.synthetic import generate_cases
from tests.support.district_server import STAFF_PASSWORD, DistrictServer

from ..conftest import click
from ..test_translations import check_screen
from .conftest import new_laptop
from .test_import import drop

PASSPHRASE = "frasa sandi kader desa yang panjang"
VILLAGES = ("33.27.08.2012", "33.27.01.2001")  # Tambakrejo (Pemalang), Plakaran (Moga)
PER_VILLAGE = 14


@dataclass
class Laptop:
    """A village laptop profile enrolled with the server, and the documents it saved."""

    store: Store
    village: str
    docs: dict[str, dict[str, Any]]  # record id -> the synthetic document saved

    def sync(self) -> None:
        SyncEngine(self.store).run_once()


@pytest.fixture
def laptops(tmp_path: Path, district_server: DistrictServer) -> Iterator[list[Laptop]]:
    """Two laptops (two villages in two kecamatan), their cases synced to the server."""
    made: list[Laptop] = []
    for n, village in enumerate(VILLAGES):
        store = new_laptop(tmp_path / f"laptop{n}", village, PASSPHRASE)
        docs = list(generate_cases(PER_VILLAGE, seed=11 + n, village=village))
        results = store.save_many(docs)
        enroll_online(store, district_server.url, district_server.enrollment_code(village))
        laptop = Laptop(
            store, village, {r.record.record_id: d for r, d in zip(results, docs, strict=True)}
        )
        laptop.sync()
        made.append(laptop)
    yield made
    for laptop in made:
        laptop.store.close()


def every_doc(laptops: list[Laptop]) -> list[tuple[str, Mapping[str, Any]]]:
    return [(village, doc) for lap in laptops for village, doc in _docs(lap)]


def _docs(laptop: Laptop) -> list[tuple[str, Mapping[str, Any]]]:
    return [(laptop.village, doc) for doc in laptop.docs.values()]


def settled(page: DistrictCasesPage) -> bool:
    """The page shows the answer to what its filters ask now."""
    return page.loaded_query == page.current_query() and not page.busy_now


def wait_settled(qtbot: QtBot, page: DistrictCasesPage) -> None:
    qtbot.waitUntil(lambda: settled(page), timeout=20_000)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def shown_codes(page: DistrictCasesPage) -> set[str]:
    return {row.code or "" for row in page.model.rows()}


def open_case(qtbot: QtBot, page: DistrictCasesPage, row: int = 0) -> DistrictCaseWindow:
    """Select a row and press Enter, as a person opens a case; wait until it is read."""
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    before = len(page.windows)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.windows) == before + 1)
    window = page.windows[-1]
    qtbot.waitUntil(lambda: window.detail is not None, timeout=20_000)
    return window


@pytest.fixture
def signed_in(
    qtbot: QtBot,
    district_window: DistrictWindow,
    district_server: DistrictServer,
    sign_in: Callable[..., None],
) -> Callable[[str], DistrictCasesPage]:
    def run(role: str) -> DistrictCasesPage:
        sign_in(district_window, district_server, role)
        page = district_window.cases_page
        wait_settled(qtbot, page)
        return page

    return run


def test_the_table_pages_from_the_server_and_each_filter_narrows_it(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("staff")
    docs = every_doc(laptops)
    assert page.total == len(docs) == 2 * PER_VILLAGE
    assert page.count.text() == f"{len(docs)} kasus"
    assert page.model.rowCount() == len(docs)
    assert page.search.placeholderText() == "Kode kasus"
    qtmodeltester.check(page.model)

    def check(expected: int) -> None:
        wait_settled(qtbot, page)
        assert page.total == expected
        assert page.model.rowCount() == min(expected, 100)

    # kecamatan, then a village of it
    choose(page.kecamatan_filter, "33.27.01")
    check(sum(v.startswith("33.27.01.") for v, _ in docs))
    assert page.village_filter.count() == 1 + len(
        [i for i in range(page.village_filter.count()) if page.village_filter.itemData(i)]
    )
    assert all(
        str(page.village_filter.itemData(i)).startswith("33.27.01.")
        for i in range(1, page.village_filter.count())
    )
    choose(page.village_filter, "33.27.01.2001")
    check(sum(v == "33.27.01.2001" for v, _ in docs))
    assert {page.model.display(r, DistrictCaseModel.VILLAGE) for r in page.model.rows()} == {
        "Plakaran"
    }
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    check(len(docs))

    # status
    status = next(d["status"] for _, d in docs if d.get("status"))
    choose(page.status_filter, status)
    check(sum(d.get("status") == status for _, d in docs))
    choose(page.status_filter, None)
    check(len(docs))

    # violence type, then TPPO only
    choose(page.violence_filter, "psikis")
    check(sum("psikis" in d["violence_types"] for _, d in docs))
    choose(page.violence_filter, None)
    qtbot.mouseClick(page.tppo_filter, Qt.MouseButton.LeftButton)
    check(sum("trafficking" in d["violence_types"] for _, d in docs))
    assert all(page.model.display(r, DistrictCaseModel.TPPO) == "Ya" for r in page.model.rows())
    qtbot.mouseClick(page.tppo_filter, Qt.MouseButton.LeftButton)
    check(len(docs))

    # reported date range, typed day first
    days = sorted(d["reported_on"] for _, d in docs)
    low, high = days[len(days) // 4], days[3 * len(days) // 4]
    qtbot.keyClicks(page.date_from, date.fromisoformat(low).strftime("%d/%m/%Y"))
    qtbot.keyClicks(page.date_to, date.fromisoformat(high).strftime("%d/%m/%Y"))
    check(sum(low <= d["reported_on"] <= high for _, d in docs))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    check(len(docs))

    # overdue 3×24 h: sexual-violence cases past the police deadline with no police referral
    now = datetime.now()
    overdue = 0
    for _, doc in docs:
        deadline = police_deadline(doc)
        overdue += deadline is not None and deadline.overdue(now)
    qtbot.mouseClick(page.overdue_filter, Qt.MouseButton.LeftButton)
    check(overdue)
    assert all(r.overdue for r in page.model.rows())
    qtbot.mouseClick(page.overdue_filter, Qt.MouseButton.LeftButton)
    check(len(docs))

    # search by (part of) a case code finds that case
    laptop = laptops[1]
    record_id = next(iter(laptop.docs))
    code = laptop.store.get(record_id).code
    qtbot.keyClicks(page.search, code[-9:])
    check(1)
    assert shown_codes(page) == {code}
    qtmodeltester.check(page.model)


def test_paging_and_a_stale_answer_is_dropped(
    qtbot: QtBot,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.ui.district import cases

    monkeypatch.setattr(cases, "PAGE_SIZE", 10)
    page = signed_in("staff")
    page.refresh()
    wait_settled(qtbot, page)
    assert page.model.rowCount() == 10 and page.total == 2 * PER_VILLAGE
    assert page.range_label.text() == f"1–10 dari {2 * PER_VILLAGE}"
    assert not page.prev_button.isEnabled() and page.next_button.isEnabled()
    first = shown_codes(page)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.range_label.text().startswith("11–20"), timeout=20_000)
    assert shown_codes(page).isdisjoint(first)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.range_label.text().startswith("21–28"), timeout=20_000)
    assert not page.next_button.isEnabled()
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.range_label.text().startswith("11–20"), timeout=20_000)

    # two requests in a row: only the newer answer is shown
    choose(page.kecamatan_filter, "33.27.08")
    choose(page.kecamatan_filter, "33.27.01")
    wait_settled(qtbot, page)
    assert page.loaded_query is not None and page.loaded_query.kecamatan == "33.27.01"
    assert page.total == PER_VILLAGE
    assert {r.kecamatan for r in page.model.rows()} == {"33.27.01"}


def test_a_follow_up_is_stored_and_reaches_the_village_laptop(
    qtbot: QtBot,
    laptops: list[Laptop],
    district_server: DistrictServer,
    signed_in: Callable[[str], DistrictCasesPage],
    dctx: DistrictContext,
) -> None:
    page = signed_in("staff")
    laptop = laptops[0]
    record_id = next(r for r, d in laptop.docs.items() if d.get("status") != "selesai")
    code = laptop.store.get(record_id).code
    qtbot.keyClicks(page.search, code)
    wait_settled(qtbot, page)
    assert page.total == 1

    window = open_case(qtbot, page)
    assert window.windowTitle() == f"{code} — Kasus — Simpul"
    assert window.view.code.text() == code
    assert window.view.history.rowCount() == 1
    assert window.view.history.item(0, 1).text() == "kader"
    assert window.view.history.item(0, 2).text().startswith("Laptop desa")
    assert window.view.edit_button.isVisible() and window.read_only.isHidden()

    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.followup
    assert isinstance(dialog, FollowupDialog)
    qtbot.waitExposed(dialog)
    # nothing changed yet: said, nothing sent
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Belum ada yang diubah" in dialog.problems.text()
    choose(dialog.status_fields["status"], "selesai")
    qtbot.mouseClick(dialog.add_service_button, Qt.MouseButton.LeftButton)
    card = dialog.service_cards[-1]
    choose(card.fields["type"], "bantuan_hukum")  # type: ignore[arg-type]
    qtbot.keyClicks(card.fields["institution"], "LBH Pemalang")
    qtbot.keyClicks(card.fields["description"], "Pendampingan sidang pertama")
    with qtbot.waitSignal(window.followup_saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Tindak lanjut disimpan" in window.notice.text()
    assert window.view.status_chip.text() == "Selesai"
    assert window.view.history.rowCount() == 2
    assert window.view.history.item(0, 1).text() == "staff (kabupaten)"
    assert window.view.history.item(0, 2).text() == "Kantor kabupaten"

    # the server holds it, authored by the staff member
    client = StaffClient(district_server.url)
    client.login("admin", STAFF_PASSWORD)
    stored = client.read_record(record_id)
    assert stored.document["status"] == "selesai"
    assert any(
        s.get("institution") == "LBH Pemalang" and s.get("type") == "bantuan_hukum"
        for s in stored.document["services"]
    )
    assert stored.history[-1].author == "staff:staff"
    # the table was asked again and shows the new status
    qtbot.waitUntil(
        lambda: page.model.rowCount() == 1 and page.model.row_at(0).status == "selesai",
        timeout=20_000,
    )

    # the village laptop gets it at its next sync, authored by the staff member
    laptop.sync()
    view = laptop.store.get(record_id)
    assert view.doc["status"] == "selesai"
    assert any(s.get("institution") == "LBH Pemalang" for s in view.doc["services"])
    assert laptop.store.history(record_id)[-1].author == "staff:staff"
    client.logout()


def test_a_follow_up_reaches_an_offline_village_by_return_bundle(
    qtbot: QtBot,
    tmp_path: Path,
    laptops: list[Laptop],
    district_server: DistrictServer,
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("staff")
    laptop = laptops[1]
    record_id, other = list(laptop.docs)[:2]
    qtbot.keyClicks(page.search, laptop.store.get(record_id).code)
    wait_settled(qtbot, page)
    window = open_case(qtbot, page)
    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.followup
    assert dialog is not None
    qtbot.mouseClick(dialog.add_referral_button, Qt.MouseButton.LeftButton)
    card = dialog.referral_cards[-1]
    choose(card.fields["to"], "dinsos")  # type: ignore[arg-type]
    qtbot.keyClicks(card.fields["note"], "Pendampingan psikososial")
    with qtbot.waitSignal(window.followup_saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    # the village has no internet: its next bundle goes by flash drive, the district imports
    # it and writes a return bundle beside it, the laptop applies that file
    view = laptop.store.get(other)
    laptop.store.save(
        {**view.doc, "id": other, "legal_status": "lapor_polisi"}, kind="case", base=view
    )
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    exported = export_bundles(laptop.store, drive)
    assert exported.bundles
    district_server.cli("import", *map(str, exported.bundles), "--out", str(drive))
    returned = sorted(drive.glob("*.simpul-return"))
    assert returned
    apply_files(laptop.store, returned)
    doc = laptop.store.get(record_id).doc
    assert any(
        r.get("to") == "dinsos" and r.get("note") == "Pendampingan psikososial"
        for r in doc["referrals"]
    )
    assert laptop.store.history(record_id)[-1].author == "staff:staff"


def test_an_open_case_shows_what_an_import_or_f5_brings(
    qtbot: QtBot,
    tmp_path: Path,
    laptops: list[Laptop],
    district_window: DistrictWindow,
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("staff")
    laptop = laptops[1]
    record_id = next(r for r, d in laptop.docs.items() if d.get("status") != "selesai")
    qtbot.keyClicks(page.search, laptop.store.get(record_id).code)
    wait_settled(qtbot, page)
    window = open_case(qtbot, page)
    assert window.view.status_chip.text() != "Selesai"
    assert window.view.history.rowCount() == 1

    # the village closes the case offline; its flash drive is imported while the case is open
    view = laptop.store.get(record_id)
    laptop.store.save({**view.doc, "id": record_id, "status": "selesai"}, kind="case", base=view)
    drive = tmp_path / "flashdisk"
    drive.mkdir()
    assert export_bundles(laptop.store, drive).bundles
    district_window.show_page("gui_dm_nav_import")
    imports = district_window.import_page
    drop(imports, drive)
    qtbot.waitUntil(lambda: imports.import_button.isEnabled(), timeout=60_000)
    click(qtbot, imports.import_button)
    # the open window reads the case again by itself
    qtbot.waitUntil(lambda: window.view.status_chip.text() == "Selesai", timeout=60_000)
    assert window.view.history.rowCount() == 2

    # a change that came by online sync is shown on F5
    view = laptop.store.get(record_id)
    laptop.store.save(
        {**view.doc, "id": record_id, "legal_status": "lapor_polisi"}, kind="case", base=view
    )
    laptop.sync()
    assert window.view.history.rowCount() == 2
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.view.history.rowCount() == 3, timeout=20_000)


def test_a_concurrent_village_edit_becomes_needs_review(
    qtbot: QtBot,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("admin")
    laptop = laptops[1]
    record_id, doc = next((r, d) for r, d in laptop.docs.items() if d.get("status") != "dirujuk")
    code = laptop.store.get(record_id).code
    qtbot.keyClicks(page.search, code)
    wait_settled(qtbot, page)
    window = open_case(qtbot, page)
    # the village changes the status after the district opened the case
    view = laptop.store.get(record_id)
    laptop.store.save({**view.doc, "id": record_id, "status": "dirujuk"}, kind="case", base=view)
    laptop.sync()

    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.followup
    assert dialog is not None
    choose(dialog.status_fields["status"], "diterima_uptd")
    with qtbot.waitSignal(window.followup_saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "perlu ditinjau" in window.notice.text()
    assert "Status kasus" in window.notice.text()
    assert window.view.review_banner.isVisible()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.row_at(0).needs_review)

    # the laptop sees the conflict too, and a district decision settles it
    laptop.sync()
    assert "status" in laptop.store.get(record_id).conflicts
    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.followup
    assert dialog is not None and dialog.resolve_check.isVisible()
    choose(dialog.status_fields["status"], "dalam_penanganan")
    qtbot.mouseClick(dialog.resolve_check, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.followup_saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not window.view.review_banner.isVisible()
    laptop.sync()
    settled_view = laptop.store.get(record_id)
    assert settled_view.doc["status"] == "dalam_penanganan" and not settled_view.conflicts


def test_a_refused_follow_up_says_why(
    qtbot: QtBot,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("staff")
    laptop = laptops[0]
    record_id = next(iter(laptop.docs))
    qtbot.keyClicks(page.search, laptop.store.get(record_id).code)
    wait_settled(qtbot, page)
    window = open_case(qtbot, page)
    laptop.store.delete(record_id)  # the village deletes it meanwhile
    laptop.sync()
    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.followup
    assert dialog is not None
    choose(dialog.status_fields["status"], "selesai")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=20_000)
    assert dialog.problems.text() == (
        "Kasus ini sudah dihapus oleh desa; tidak dapat ditindaklanjuti lagi."
    )
    assert dialog.isVisible()


def test_a_viewer_reads_but_sees_no_follow_up(
    qtbot: QtBot,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("viewer")
    assert page.total == 2 * PER_VILLAGE
    window = open_case(qtbot, page)
    assert window.view.history.rowCount() >= 1
    assert not window.view.edit_button.isVisible()
    assert window.read_only.isVisible()
    window.open_followup()  # even asked directly, no dialog
    assert window.followup is None


def test_signing_out_empties_the_table_and_closes_the_case_window(
    qtbot: QtBot,
    laptops: list[Laptop],
    district_window: DistrictWindow,
    signed_in: Callable[[str], DistrictCasesPage],
) -> None:
    page = signed_in("staff")
    qtbot.keyClicks(page.search, "PML")
    wait_settled(qtbot, page)
    choose(page.status_filter, "selesai")
    wait_settled(qtbot, page)
    window = open_case(qtbot, page)
    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    assert window.followup is not None
    qtbot.keyClick(district_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not district_window.signed_in)
    assert page.model.rowCount() == 0 and page.count.text() == ""
    assert page.search.text() == "" and page.status_filter.currentData() is None
    assert page.windows == []
    qtbot.waitUntil(
        lambda: (
            not any(
                isinstance(w, DistrictCaseWindow | FollowupDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
    )


def test_offline_is_a_calm_line_and_an_ended_session_goes_back_to_sign_in(
    qtbot: QtBot,
    laptops: list[Laptop],
    district_window: DistrictWindow,
    district_server: DistrictServer,
    signed_in: Callable[[str], DistrictCasesPage],
    dctx: DistrictContext,
) -> None:
    page = signed_in("staff")
    # the session ends on the server (signed out elsewhere): the next call goes to sign-in
    token = dctx.client.token
    district_server.http.post(
        district_server.url + "/v1/staff/logout", headers={"Authorization": f"Bearer {token}"}
    )
    qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not district_window.signed_in, timeout=20_000)
    assert page.model.rowCount() == 0

    signed_in("staff")
    district_server.stop()
    qtbot.mouseClick(page.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=60_000)
    assert page.message.text() == (
        "Server kabupaten belum dapat dihubungi. Tekan Muat ulang untuk mencoba lagi."
    )
    assert district_window.signed_in


def test_the_page_speaks_english(
    qtbot: QtBot,
    laptops: list[Laptop],
    signed_in: Callable[[str], DistrictCasesPage],
    dctx: DistrictContext,
) -> None:
    page = signed_in("staff")
    window = open_case(qtbot, page)
    qtbot.mouseClick(window.view.edit_button, Qt.MouseButton.LeftButton)
    assert window.followup is not None
    window.followup.add_service()
    for screen in (page, window, window.followup):
        assert check_screen(screen, dctx) > 0  # type: ignore[arg-type]
    dctx.update_settings(language="en")
    for screen in (page, window, window.followup):
        assert check_screen(screen, dctx) > 0  # type: ignore[arg-type]
    assert page.count.text() == f"{2 * PER_VILLAGE} cases"
    assert page.search.placeholderText() == "Case code"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Case code"
    assert page.tppo_filter.text() == "TPPO only"
    assert window.view.edit_button.text() == "Follow up…"
    assert window.windowTitle().endswith("— Case — Simpul")
    assert window.view.history.item(0, 2).text().startswith("Village laptop")
    assert window.followup is not None
    assert window.followup.save_button.text() == "Save follow-up"
    assert window.followup.status_box.title() == "Status and outcome"
