"""The case intake form, driven like a person: typing, clicking, Tab and shortcuts, over a real
store. Synthetic people only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.storage import drafts
from desktop.storage.store import RecordView, Store
from desktop.ui import caseform
from desktop.ui.caseform import CaseForm, CaseFormWindow, open_edit_case, open_new_case
from desktop.ui.caseform_fields import CodeChecks, DateField, TriStateField
from desktop.ui.caseform_items import PerpetratorCard, VictimCard
from desktop.ui.context import AppContext
from simpul.records.validation import validate
from simpul.synthetic import generate_cases

from . import test_translations as screens
from .conftest import FAST_KDF, PASS, VILLAGE, click, tick

NAME = "Sulastri Wijayakusuma"  # synthetic
KEY_SEARCH_MS = 60
"""How long typed letters add up to one search in a list (Qt's default is 400 ms)."""


@pytest.fixture
def store(ctx: AppContext, profile_dir: Path) -> Store:
    """An unlocked profile (no cases yet) handed to the app context."""
    opened, _code = Store.create(
        profile_dir, village=VILLAGE, user="kader", passphrase=PASS, cost=FAST_KDF
    )
    ctx.set_store(opened)
    return opened


_WINDOWS: list[QWidget] = []
"""Windows a test opened, kept alive until it ends (pytest-qt holds weak references)."""


@pytest.fixture(autouse=True)
def _fast_autosave(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[None]:
    monkeypatch.setattr(caseform, "AUTOSAVE_MS", 50)
    interval = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(KEY_SEARCH_MS)
    yield
    QApplication.setKeyboardInputInterval(interval)
    for window in [*caseform._OPEN.values(), *_WINDOWS]:
        window.close()
    _WINDOWS.clear()


def open_form(qtbot: QtBot, ctx: AppContext, view: RecordView | None = None) -> CaseForm:
    window = CaseFormWindow(ctx, view=view)
    _WINDOWS.append(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window.form


def type_in(qtbot: QtBot, widget: QWidget, text: str, *, replace: bool = False) -> None:
    """Put the cursor in a field and type (``replace``: over what it holds)."""
    widget.setFocus()
    if replace:
        qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def choose(qtbot: QtBot, combo: QWidget, typed: str) -> None:
    """Pick an entry of a combo box by typing its first letters, as with a keyboard."""
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.wait(KEY_SEARCH_MS + 20)  # a new search, not the end of the last one
    qtbot.keyClicks(combo, typed)
    assert combo.currentText().lower().startswith(typed.lower()), combo.currentText()


def checks(form: CaseForm, path: str) -> CodeChecks:
    field = form.field(path)
    assert isinstance(field, CodeChecks)
    return field


def tristate(form: CaseForm, code: str) -> TriStateField:
    field = form.field(f"tppo/indicators/{code}")
    assert isinstance(field, TriStateField)
    return field


def save_and_wait(qtbot: QtBot, form: CaseForm) -> RecordView:
    with qtbot.waitSignal(form.saved, timeout=10_000) as blocker:
        click(qtbot, form.save_button)
    view = blocker.args[0]
    assert isinstance(view, RecordView)
    return view


def victim(form: CaseForm, index: int) -> VictimCard:
    card = form.cards["victims"][index]
    assert isinstance(card, VictimCard)
    return card


def problem_paths(form: CaseForm) -> list[str]:
    return [
        str(form.problems.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(form.problems.count())
    ]


def profile_bytes(profile_dir: Path) -> bytes:
    """The database file and its write-ahead log, as a thief would read them."""
    parts = [profile_dir / "simpul.db", profile_dir / "simpul.db-wal"]
    return b"".join(p.read_bytes() for p in parts if p.exists())


# -- filling and saving ---------------------------------------------------------------------


def test_a_case_with_two_victims_and_tppo_is_saved_as_typed(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    type_in(qtbot, form.field("reported_on"), "12/05/2025", replace=True)
    type_in(qtbot, form.field("incident_on"), "3/4/2025")
    choose(qtbot, form.field("channel"), "Datang")
    type_in(qtbot, form.field("reporter/relation"), "Kakak korban")

    first = victim(form, 0)
    type_in(qtbot, first.fields["name"], NAME)
    choose(qtbot, first.fields["sex"], "Perem")
    type_in(qtbot, first.fields["age"], "34")
    assert "34 tahun" in first.derived.text() and "dewasa" in first.derived.text()

    click(qtbot, form.add_buttons["victims"])
    second = victim(form, 1)
    assert second.title.text() == "Korban 2"
    type_in(qtbot, second.fields["name"], "Dewi Anggraini")
    choose(qtbot, second.fields["sex"], "Perem")
    type_in(qtbot, second.fields["birth_date"], "15/08/2010")
    assert "14 tahun" in second.derived.text()
    assert "13-17" in second.derived.text() and "anak" in second.derived.text()

    click(qtbot, form.add_buttons["perpetrators"])
    perpetrator = form.cards["perpetrators"][0]
    assert isinstance(perpetrator, PerpetratorCard)
    type_in(qtbot, perpetrator.fields["name"], "Taryono")
    choose(qtbot, perpetrator.fields["sex"], "Laki")
    type_in(qtbot, perpetrator.fields["age"], "55")
    choose(qtbot, perpetrator.relation_fields[first.item_id], "Calo")
    choose(qtbot, perpetrator.relation_fields[second.item_id], "Calo")

    types = checks(form, "violence_types")
    assert form.sections["tppo"].isHidden()
    tick(qtbot, types.boxes["trafficking"])
    tick(qtbot, types.boxes["eksploitasi"])
    assert not form.sections["tppo"].isHidden()
    tick(qtbot, checks(form, "tppo/process").boxes["perekrutan"])
    tick(qtbot, checks(form, "tppo/process").boxes["pengiriman"])
    tick(qtbot, checks(form, "tppo/means").boxes["penipuan"])
    tick(qtbot, checks(form, "tppo/purpose").boxes["kerja_paksa_prt"])
    tick(qtbot, tristate(form, "calo_desa").buttons["ya"])
    tick(qtbot, tristate(form, "dokumen_ditahan").buttons["tidak_tahu"])
    tick(qtbot, tristate(form, "upah_tidak_dibayar").buttons["ya"])
    tick(qtbot, tristate(form, "upah_tidak_dibayar").buttons["tidak"])  # changed their mind
    type_in(qtbot, form.field("tppo/destination"), "Malaysia")
    type_in(qtbot, form.field("tppo/transit"), "Batam, Johor")
    type_in(qtbot, form.field("tppo/debt_amount"), "Rp 7.000.000")
    type_in(qtbot, form.field("narrative"), "Korban direkrut calo untuk bekerja sebagai PRT.")

    view = save_and_wait(qtbot, form)
    doc = store.get(view.record_id).doc
    assert doc["reported_on"] == "2025-05-12" and doc["incident_on"] == "2025-04-03"
    assert doc["channel"] == "datang_langsung"
    assert doc["reporter"] == {"relation": "Kakak korban"}
    assert doc["violence_types"] == ["eksploitasi", "trafficking"]
    assert doc["status"] == "dicatat" and doc["village"] == VILLAGE
    v1, v2 = doc["victims"]
    assert (v1["name"], v1["sex"], v1["age"]) == (NAME, "P", 34)
    assert (v2["name"], v2["sex"], v2["birth_date"]) == ("Dewi Anggraini", "P", "2010-08-15")
    (p,) = doc["perpetrators"]
    assert (p["name"], p["sex"], p["age"], p["child"]) == ("Taryono", "L", 55, False)
    assert p["relationships"] == {v1["id"]: "calo_sponsor", v2["id"]: "calo_sponsor"}
    tppo = doc["tppo"]
    assert tppo["process"] == ["perekrutan", "pengiriman"]
    assert tppo["means"] == ["penipuan"] and tppo["purpose"] == ["kerja_paksa_prt"]
    assert tppo["indicators"] == {
        "calo_desa": "ya",
        "dokumen_ditahan": "tidak_tahu",
        "upah_tidak_dibayar": "tidak",
    }
    assert tppo["destination"] == "Malaysia" and tppo["transit"] == ["Batam", "Johor"]
    assert tppo["debt_amount"] == 7_000_000
    assert drafts.draft_keys(store) == []  # saved: no draft is left behind


def test_a_save_with_problems_lists_every_one_marks_each_field_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    type_in(qtbot, form.field("reported_on"), "01/02/2025", replace=True)
    type_in(qtbot, form.field("incident_on"), "10/02/2025")  # after the report
    first = victim(form, 0)
    type_in(qtbot, first.fields["age"], "12")  # a child, and no sex given
    choose(qtbot, form.field("consent/given_by"), "Korban")  # a child cannot consent alone
    type_in(qtbot, form.field("consent/on"), "31/02/2025")  # not a date
    # (and no type of violence)

    click(qtbot, form.save_button)
    expected = {
        "consent/on",
        "incident_on",
        "violence_types",
        f"victims/{first.item_id}/sex",
        "consent/given_by",
    }
    assert sorted(problem_paths(form)) == sorted(expected)
    assert form.problems_panel.isVisible()
    assert "5" in form.problems_title.text()
    for path in expected:
        box = form.box_for(path)
        assert box is not None and box.has_problem, path
        assert box.field.property("problem") is True, path
        assert box.message.isVisible() and box.message.text(), path
    assert "Bukan tanggal" in (form.box_for("consent/on") or first).message.text()  # type: ignore[union-attr]
    nav = [form.nav.item(i).text() for i in range(form.nav.count())]
    assert "⚠" in nav[0] and "⚠" in nav[1] and "⚠" in nav[3] and "⚠" not in nav[2]
    assert store.records("case") == []

    # a corrected field loses its mark at once; the store refuses the rest and lists them
    type_in(qtbot, form.field("consent/on"), "28/02/2025", replace=True)
    consent_box = form.box_for("consent/on")
    assert consent_box is not None and not consent_box.has_problem
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.problems.count() == 4 and form.save_button.isEnabled())
    assert sorted(problem_paths(form)) == sorted(expected - {"consent/on"})
    assert len(validate({**form.document(), "kind": "case"})) == 4
    assert store.records("case") == []

    # put everything right: saved
    type_in(qtbot, form.field("incident_on"), "", replace=True)
    tick(qtbot, checks(form, "violence_types").boxes["psikis"])
    choose(qtbot, first.fields["sex"], "Laki")
    choose(qtbot, form.field("consent/given_by"), "Orang")
    view = save_and_wait(qtbot, form)
    assert store.get(view.record_id).doc["victims"][0]["sex"] == "L"


def test_the_tppo_section_is_there_only_for_trafficking(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    tppo_nav = form.nav.item(4)
    assert form.sections["tppo"].isHidden() and tppo_nav.isHidden()
    types = checks(form, "violence_types")
    tick(qtbot, types.boxes["trafficking"])
    assert form.sections["tppo"].isVisible() and not tppo_nav.isHidden()
    # an adult (unknown age counts as one) needs the means; a child does not
    assert form.tppo_child_hint.isHidden()
    type_in(qtbot, victim(form, 0).fields["age"], "15")
    assert form.tppo_child_hint.isVisible()
    type_in(qtbot, form.field("tppo/destination"), "Taiwan")
    tick(qtbot, types.boxes["trafficking"])  # untick: it was not trafficking after all
    assert form.sections["tppo"].isHidden() and tppo_nav.isHidden()
    tick(qtbot, types.boxes["fisik"])
    choose(qtbot, victim(form, 0).fields["sex"], "Laki")
    view = save_and_wait(qtbot, form)
    assert "tppo" not in store.get(view.record_id).doc  # nothing unseen is saved


def test_mediation_is_not_offered_for_sexual_violence_and_the_3x24h_deadline_shows(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    outcome = form.field("outcome")
    assert isinstance(outcome, QComboBox)
    assert outcome.findData("mediasi") >= 0
    choose(qtbot, outcome, "Medi")
    assert outcome.currentData() == "mediasi"
    types = checks(form, "violence_types")
    tick(qtbot, types.boxes["seksual"])
    assert outcome.findData("mediasi") == -1 and outcome.currentData() is None
    assert form.mediation_hint.isVisible()
    labels = [outcome.itemText(i) for i in range(outcome.count())]
    assert not any("Mediasi" in label for label in labels)
    # the TPKS sub-types appear with sexual violence
    assert checks(form, "tpks_types").isVisible()

    # referred to UPTD PPA today: the police must have it within 3x24 hours
    assert form.deadline.isHidden()
    click(qtbot, form.add_buttons["referrals"])
    referral = form.cards["referrals"][0]
    choose(qtbot, referral.fields["to"], "UPTD")
    type_in(qtbot, referral.fields["on"], date.today().strftime("%d/%m/%Y"))
    assert form.deadline.isVisible() and form.status_deadline.isVisible()
    assert "3×24 jam" in form.deadline.text() and "sisa" in form.deadline.text()
    assert form.deadline.property("urgency") == "open"
    choose(qtbot, form.field("legal_status"), "Lapor")
    assert form.deadline.property("urgency") == "done"

    tick(qtbot, types.boxes["seksual"])  # not sexual violence after all
    assert outcome.findData("mediasi") >= 0 and form.mediation_hint.isHidden()
    assert form.deadline.isHidden()


def test_keyboard_only_tab_order_and_shortcuts(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    window = open_new_case(ctx)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    form = window.form
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.field("reported_on"))

    def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, k, modifiers)

    def typed(text: str) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClicks(widget, text)

    def focused() -> QWidget | None:
        return QApplication.focusWidget()

    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    key(Qt.Key.Key_A, ctrl)
    typed("12/05/2025")
    key(Qt.Key.Key_Tab)
    assert focused() is form.field("incident_on")
    typed("03/04/2025")
    key(Qt.Key.Key_Tab)
    assert focused() is form.field("incident_on_approx")
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Tab)
    assert focused() is form.field("channel")
    typed("Dat")
    for path in ("reporter/name", "reporter/relation", "reporter/contact"):
        key(Qt.Key.Key_Tab)
        assert focused() is form.field(path)
    key(Qt.Key.Key_Tab)
    first = victim(form, 0)
    assert focused() is first.fields["name"]
    typed("Sri")
    key(Qt.Key.Key_Tab)
    assert focused() is first.fields["nik"]
    key(Qt.Key.Key_Tab)
    assert focused() is first.fields["sex"]
    qtbot.wait(KEY_SEARCH_MS + 20)
    typed("Per")

    key(Qt.Key.Key_V, ctrl | shift)  # a second victim; the cursor goes to its name
    second = victim(form, 1)
    assert focused() is second.fields["name"]
    typed("Wati")
    # the Tab order was rebuilt: after the first victim's card comes the second one
    first.remove.setFocus()
    key(Qt.Key.Key_Tab)
    assert focused() is second.fields["name"]

    key(Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # section 4, Kekerasan
    violence = checks(form, "violence_types")
    assert focused() is violence.boxes["fisik"]
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Tab)
    assert focused() is violence.boxes["psikis"]

    key(Qt.Key.Key_P, ctrl | shift)  # a perpetrator
    perpetrator = form.cards["perpetrators"][0]
    assert focused() is perpetrator.fields["name"]
    typed("Budi")

    # Tab through the indicators of TPPO stops once per indicator, arrows pick the answer
    tick(qtbot, violence.boxes["trafficking"])
    calo = tristate(form, "calo_desa")
    calo.first_button().setFocus()
    key(Qt.Key.Key_Tab)
    assert focused() is tristate(form, "uang_panjar").first_button()
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Right)
    assert tristate(form, "uang_panjar").value() == "tidak"
    tick(qtbot, violence.boxes["trafficking"])

    with qtbot.waitSignal(form.saved, timeout=10_000) as blocker:
        key(Qt.Key.Key_S, ctrl)
    doc = store.get(blocker.args[0].record_id).doc
    assert doc["reported_on"] == "2025-05-12" and doc["incident_on_approx"] is True
    assert doc["channel"] == "datang_langsung" and doc["violence_types"] == ["fisik"]
    assert [v.get("name") for v in doc["victims"]] == ["Sri", "Wati"]
    assert doc["victims"][0]["sex"] == "P"
    assert [p["name"] for p in doc["perpetrators"]] == ["Budi"]
    qtbot.waitUntil(lambda: not window.isVisible())  # a save closes the window


def test_every_text_field_moves_on_with_tab(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    form = open_form(qtbot, ctx)
    for widget in form.findChildren(QPlainTextEdit):
        assert widget.tabChangesFocus(), widget.objectName()
    chain = form.focus_chain()
    assert chain[0] is form.field("reported_on") and chain[-1] is form.save_button
    assert len(set(map(id, chain))) == len(chain)


# -- drafts -----------------------------------------------------------------------------


def test_a_draft_survives_closing_without_saving_sealed_and_comes_back(
    qtbot: QtBot, ctx: AppContext, store: Store, profile_dir: Path
) -> None:
    form = open_form(qtbot, ctx)
    type_in(qtbot, victim(form, 0).fields["name"], NAME)
    type_in(qtbot, form.field("narrative"), "Kejadian di rumah Bu Sulastri.")
    # typing alone seals a draft soon (a crash loses at most the last moment)
    qtbot.waitUntil(lambda: drafts.load_draft(store, "draft:new") is not None)
    click(qtbot, form.close_button)  # close without saving
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert drafts.draft_keys(store) == ["draft:new"]
    assert store.records("case") == []

    on_disk = profile_bytes(profile_dir)
    assert len(on_disk) > 0
    for secret in (NAME, "Sulastri", "Wijayakusuma", "Bu Sulastri"):
        assert secret.encode() not in on_disk
        assert secret.encode("utf-16-le") not in on_disk

    again = open_form(qtbot, ctx)
    assert victim(again, 0).fields["name"].text() == NAME
    narrative = again.field("narrative")
    assert isinstance(narrative, QPlainTextEdit)
    assert narrative.toPlainText() == "Kejadian di rumah Bu Sulastri."
    assert again.draft_banner.isVisible() and again.has_draft
    tick(qtbot, checks(again, "violence_types").boxes["psikis"])
    choose(qtbot, victim(again, 0).fields["sex"], "Perem")
    view = save_and_wait(qtbot, again)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert drafts.draft_keys(store) == []
    assert store.get(view.record_id).doc["victims"][0]["name"] == NAME


def test_discarding_a_draft_goes_back_to_the_saved_case(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    saved = store.save(generate_cases(1, seed=4, village=VILLAGE)[0], kind="case").record
    form = open_form(qtbot, ctx, saved)
    type_in(qtbot, form.field("narrative"), "Tambahan.", replace=True)
    form.keep_draft()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    again = open_form(qtbot, ctx, store.get(saved.record_id))
    assert again.has_draft and again.document()["narrative"] == "Tambahan."
    click(qtbot, again.discard_draft_button)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert again.document()["narrative"] == saved.doc["narrative"]
    assert drafts.draft_keys(store) == [] and again.draft_banner.isHidden()


def test_a_lock_keeps_the_input_as_a_draft_and_shows_nothing(
    qtbot: QtBot, ctx: AppContext, store: Store, profile_dir: Path
) -> None:
    saved = store.save(generate_cases(1, seed=2, village=VILLAGE)[0], kind="case").record
    window = open_edit_case(ctx, saved.record_id)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    narrative = window.form.field("narrative")
    type_in(qtbot, narrative, "Catatan sebelum terkunci, tentang Sulastri.", replace=True)

    locked = ctx.take_store()  # as the lock (Ctrl+L or idle) does
    assert locked is store
    assert not window.isVisible()
    assert all(not w.text() for w in window.form.findChildren(QLineEdit))
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    locked.close()
    assert b"Sulastri" not in profile_bytes(profile_dir)

    reopened = Store.open(profile_dir, passphrase=PASS)
    ctx.set_store(reopened)
    form = open_form(qtbot, ctx, reopened.get(saved.record_id))
    assert form.has_draft
    assert form.document()["narrative"] == "Catatan sebelum terkunci, tentang Sulastri."
    view = save_and_wait(qtbot, form)
    assert reopened.get(view.record_id).doc["narrative"].endswith("tentang Sulastri.")


# -- editing ----------------------------------------------------------------------------


def test_an_unchanged_case_saves_no_change(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    results = store.save_many(generate_cases(12, seed=9, village=VILLAGE))
    for result in results:
        view = result.record
        form = CaseForm(ctx, view=view)
        qtbot.addWidget(form)
        expected = {**view.doc, "id": view.record_id}
        assert form.document() == expected, view.code  # nothing dropped, nothing reordered
        assert not form.dirty
        form.finish()


def test_editing_keeps_a_change_that_arrived_meanwhile(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    saved = store.save(generate_cases(1, seed=6, village=VILLAGE)[0], kind="case").record
    window = open_edit_case(ctx, saved.record_id)
    qtbot.addWidget(window)
    form = window.form
    assert window.windowTitle().startswith(f"Ubah kasus {saved.code}")
    # a sync brings a status change made from the same version, while the form is open
    store.save(
        {**saved.doc, "id": saved.record_id, "status": "diterima_uptd"}, kind="case", base=saved
    )
    ctx.records_changed.emit()
    assert form.concurrent_banner.isVisible()
    type_in(qtbot, form.field("narrative"), "Kronologi diperbarui oleh kader.", replace=True)
    view = save_and_wait(qtbot, form)
    doc = store.get(view.record_id).doc
    assert doc["status"] == "diterima_uptd"  # kept, not overwritten by the form's old value
    assert doc["narrative"] == "Kronologi diperbarui oleh kader."
    assert not store.get(view.record_id).needs_review


def test_a_field_changed_in_both_places_is_flagged_not_overwritten(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    saved = store.save(generate_cases(1, seed=6, village=VILLAGE)[0], kind="case").record
    form = open_form(qtbot, ctx, saved)
    assert saved.doc["status"] not in ("diterima_uptd", "ditolak_korban")
    store.save(
        {**saved.doc, "id": saved.record_id, "status": "diterima_uptd"}, kind="case", base=saved
    )
    choose(qtbot, form.field("status"), "Ditolak")
    view = save_and_wait(qtbot, form)
    record = store.get(view.record_id)
    assert record.needs_review and "status" in record.conflicts
    values = {value for _change, value in store.heads(record.record_id, "status")}
    assert values == {"diterima_uptd", "ditolak_korban"}


# -- language ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_form_speaks_one_language(
    qtbot: QtBot, ctx: AppContext, store: Store, lang: str
) -> None:
    saved = store.save_many(generate_cases(8, seed=3, village=VILLAGE))
    tppo = next(r.record for r in saved if r.record.summary.get("tppo"))
    ctx.texts.set_language(lang)
    form = open_form(qtbot, ctx, tppo)
    click(qtbot, form.add_buttons["victims"])
    click(qtbot, form.save_button)  # the new victim has nothing: no problem, but a check
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    screens.check_screen(form.window(), ctx)
    other = "en" if lang == "id" else "id"
    ctx.texts.set_language(other)
    screens.check_screen(form.window(), ctx)


# -- date picker and per-victim violence types -----------------------------------------------


def test_a_date_can_be_picked_from_the_calendar_with_the_keyboard(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    field = form.field("incident_on")
    assert isinstance(field, DateField)
    type_in(qtbot, field, "10/03/2025")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate().toString("yyyy-MM-dd") == "2025-03-10"
    assert calendar.locale().language() == QLocale.Language.Indonesian  # "Maret", not "March"
    table = calendar.findChild(QTableView)
    assert table is not None
    qtbot.keyClick(table, Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: field.calendar is None)
    assert field.value() == "2025-03-11" and field.text() == "11/03/2025"

    click_action = field.calendar_action
    click_action.trigger()  # the icon at the end of the field
    assert field.calendar is not None
    qtbot.keyClick(field.calendar.findChild(QTableView), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: field.calendar is None)
    assert field.value() == "2025-03-11"  # Esc changed nothing


def test_a_victim_can_have_some_of_the_cases_violence_types(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    form = open_form(qtbot, ctx)
    choose(qtbot, form.field("channel"), "Datang")
    first = victim(form, 0)
    type_in(qtbot, first.fields["name"], NAME)
    choose(qtbot, first.fields["sex"], "Perem")
    type_in(qtbot, first.fields["age"], "34")
    click(qtbot, form.add_buttons["victims"])
    second = victim(form, 1)
    choose(qtbot, second.fields["sex"], "Perem")
    type_in(qtbot, second.fields["age"], "9")
    types = checks(form, "violence_types")
    tick(qtbot, types.boxes["fisik"])
    tick(qtbot, types.boxes["psikis"])
    type_in(qtbot, form.field("narrative"), "Korban dan anaknya dipukul.")
    own = second.fields["violence_types"]
    assert isinstance(own, CodeChecks)
    tick(qtbot, own.boxes["seksual"])  # not one of the case's types
    click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: form.problems.count() > 0)
    assert f"victims/{second.item_id}/violence_types" in problem_paths(form)
    assert store.records() == [] or all(not r.doc.get("victims") for r in store.records())

    tick(qtbot, own.boxes["seksual"])  # untick
    tick(qtbot, own.boxes["psikis"])
    view = save_and_wait(qtbot, form)
    v1, v2 = store.get(view.record_id).doc["victims"]
    assert "violence_types" not in v1  # the case's types apply to her
    assert v2["violence_types"] == ["psikis"]
