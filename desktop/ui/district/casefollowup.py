"""District follow-up of a case: status, new services, referrals (new ones, and the status and
note of those made), saved on the server as one change authored by the signed-in member.

The edit is made on the version the case window shows (its ``base``), so a change a village
made meanwhile is kept, and a field both changed becomes *perlu ditinjau* on both sides, as
in the village app. The document is checked here with the same rules as the server before it
is sent, so a mistake is shown beside its words; a refusal by the server is said in words
too. The services and referrals use the village form's own cards.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import MESSAGES
from desktop.problem_messages import problem_text
from desktop.sync.errors import ServerRefusedError
from desktop.sync.staff import RecordDetail
from desktop.ui.caseform_fields import CodeCombo
from desktop.ui.caseform_items import ItemCard, ReferralCard, ServiceCard
from desktop.ui.caseform_rules import MEDIATION, changed_labels, is_sexual, item_numbers
from desktop.ui.district.context import DistrictContext
from desktop.ui.widgets import busy_bar, set_tone
from simpul.errors import UserError
from simpul.records import flatten, validate

__all__ = ["STATUS_FIELDS", "FollowupDialog"]

STATUS_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("status", "case_status", "gui_cf_f_status"),
    ("legal_status", "legal_status", "gui_cf_f_legal_status"),
    ("outcome", "case_outcome", "gui_cf_f_outcome"),
)
"""The status fields a follow-up sets: key, taxonomy list, label code."""

_STYLE = """
QFrame#item_card { background: #f7f9fa; border: 1px solid #cfd8dc; border-radius: 6px; }
QGroupBox { font-weight: bold; border: 1px solid #b0bec5; border-radius: 6px;
            margin-top: 14px; padding: 14px 8px 8px 8px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #00695c;
                   font-size: 12pt; }
QGroupBox QLabel, QGroupBox QCheckBox { font-weight: normal; }
QLabel[subheading="true"] { font-size: 11pt; font-weight: bold; color: #37474f; }
QLabel#followup_problems { background: #ffebee; border: 1px solid #e57373;
                           border-radius: 6px; padding: 6px; }
QFrame#review_choice { background: #fff8e1; }
"""


class FollowupDialog(QDialog):
    """Record a follow-up of one case (roles ``staff`` and ``admin``).

    Signals:
        saved: The server stored the follow-up; its answer (the record after the save) is
            passed.
    """

    saved = Signal(object)

    def __init__(
        self, ctx: DistrictContext, detail: RecordDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followup_dialog")
        self.setStyleSheet(_STYLE)
        self._ctx = ctx
        self._texts = ctx.texts
        self.detail = detail
        self._original: dict[str, Any] = copy.deepcopy(dict(detail.document))
        doc = self._original
        texts = ctx.texts

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        set_tone(self.intro, "hint")
        self.problems = QLabel()
        self.problems.setObjectName("followup_problems")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()

        self.status_box = QGroupBox()
        status_form = QFormLayout(self.status_box)
        self.status_fields: dict[str, CodeCombo] = {}
        self._status_labels: dict[str, QLabel] = {}
        for key, list_name, _code in STATUS_FIELDS:
            combo = CodeCombo(texts, list_name)
            combo.setObjectName(f"followup_{key}")
            combo.set_value(doc.get(key))
            label = QLabel()
            label.setBuddy(combo)
            status_form.addRow(label, combo)
            self.status_fields[key] = combo
            self._status_labels[key] = label
        # UU TPKS Pasal 23: a sexual-violence case is never settled by mediation.
        self.status_fields["outcome"].hide_codes([MEDIATION] if is_sexual(doc) else [])

        self.review_paths = [
            c
            for c in detail.conflicts
            if c in {key for key, _l, _c in STATUS_FIELDS} or c.startswith("referrals/")
        ]
        self.resolve_check = QCheckBox()
        self.resolve_check.setObjectName("followup_resolve")
        self.resolve_check.setVisible(bool(self.review_paths))

        self.services_box = QGroupBox()
        self._services_layout = QVBoxLayout(self.services_box)
        self.service_cards: list[ServiceCard] = []
        self.add_service_button = QPushButton()
        self.add_service_button.setObjectName("add_service")
        self.add_service_button.setAutoDefault(False)
        self._services_layout.addWidget(self.add_service_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.referrals_box = QGroupBox()
        self._referrals_layout = QVBoxLayout(self.referrals_box)
        self.referral_cards: list[ReferralCard] = []
        self._held_referrals = 0
        for item in doc.get("referrals") or []:
            card = ReferralCard(texts, item)
            card.remove.hide()  # a follow-up updates a referral; removing one is the village's
            self._add_card(card)
            self._held_referrals += 1
        self.add_referral_button = QPushButton()
        self.add_referral_button.setObjectName("add_referral")
        self.add_referral_button.setAutoDefault(False)
        self._referrals_layout.addWidget(self.add_referral_button, 0, Qt.AlignmentFlag.AlignLeft)

        content = QWidget()
        body = QVBoxLayout(content)
        body.addWidget(self.intro)
        body.addWidget(self.status_box)
        body.addWidget(self.resolve_check)
        body.addWidget(self.services_box)
        body.addWidget(self.referrals_box)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.busy = busy_bar()
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_followup")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel_followup")
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)

        self.add_service_button.clicked.connect(self.add_service)
        self.add_referral_button.clicked.connect(self.add_referral)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        ctx.texts.changed.connect(self._retranslate)
        ctx.signed_out.connect(self.reject)
        self.resize(720, 680)
        self._retranslate()

    # ------------------------------------------------------------------ items

    @Slot()
    def add_service(self) -> ServiceCard:
        """A new, empty service card (type, date, institution, description)."""
        card = ServiceCard(self._texts, {"on": date.today().isoformat()})
        self._add_card(card)
        card.fields["type"].setFocus()
        return card

    @Slot()
    def add_referral(self) -> ReferralCard:
        """A new referral card (to, date, status "sent", note)."""
        card = ReferralCard(self._texts, {"on": date.today().isoformat(), "status": "dikirim"})
        self._add_card(card)
        card.fields["to"].setFocus()
        return card

    def _add_card(self, card: ItemCard) -> None:
        card.remove_requested.connect(self._remove_card)
        card.edited.connect(self.problems.hide)
        if isinstance(card, ServiceCard):
            self.service_cards.append(card)
            self._services_layout.insertWidget(self._services_layout.count() - 1, card)
        else:
            assert isinstance(card, ReferralCard)
            self.referral_cards.append(card)
            self._referrals_layout.insertWidget(self._referrals_layout.count() - 1, card)
        card.retranslate(refill=False)
        self._number_cards()

    @Slot(object)
    def _remove_card(self, card: ItemCard) -> None:
        if isinstance(card, ServiceCard) and card in self.service_cards:
            self.service_cards.remove(card)
        elif isinstance(card, ReferralCard) and card in self.referral_cards:
            self.referral_cards.remove(card)
        card.hide()
        card.deleteLater()
        self._number_cards()

    def _number_cards(self) -> None:
        held = len(self._original.get("services") or [])
        for n, service in enumerate(self.service_cards, start=held + 1):
            service.set_number(n)
        for n, referral in enumerate(self.referral_cards, start=1):
            referral.set_number(n)

    # ------------------------------------------------------------------ the document

    def document(self) -> dict[str, Any]:
        """The case document with the follow-up applied (every other field as read)."""
        doc = copy.deepcopy(self._original)
        for key, combo in self.status_fields.items():
            value = combo.value()
            if value is None:
                doc.pop(key, None)
            else:
                doc[key] = value
        services = list(doc.get("services") or []) + [c.value() for c in self.service_cards]
        referrals = [c.value() for c in self.referral_cards]
        for name, items in (("services", services), ("referrals", referrals)):
            if items:
                doc[name] = items
            else:
                doc.pop(name, None)
        return doc

    def resolving(self) -> list[str]:
        """The fields under review this save settles (when the person said so)."""
        return list(self.review_paths) if self.resolve_check.isChecked() else []

    def _local_problems(self, doc: dict[str, Any]) -> list[str]:
        numbers = item_numbers(doc)
        lines = []
        for problem in validate({**doc, "kind": "case"}, today=date.today()):
            text = problem_text(
                problem.code, problem.params, lang=self._texts.lang, fallback=problem.message
            )
            names = changed_labels(self._texts.t, [problem.path], numbers, label=self._texts.label)
            lines.append(f"{names[0]}: {text}" if names else text)
        return lines

    # ------------------------------------------------------------------ saving

    @Slot()
    def save(self) -> None:
        """Check the follow-up, then send it (the worker); the dialog closes when it is stored."""
        client = self._ctx.client
        if client is None or self.busy.isVisible():
            return
        doc = self.document()
        resolve = self.resolving()
        if flatten(doc) == flatten(self._original) and not resolve:
            self._show_problems([self._texts.t("gui_dm_fu_nothing")], heading=False)
            return
        problems = self._local_problems(doc)
        if problems:
            self._show_problems(problems)
            return
        self.problems.hide()
        self.busy.show()
        self.save_button.setEnabled(False)
        record_id, base = self.detail.record_id, list(self.detail.base)
        self._ctx.runner.submit(
            lambda: client.save_followup(record_id, doc, base=base, resolve=resolve),
            done=self._on_saved,
            failed=self._on_failed,
        )

    def _on_saved(self, detail: RecordDetail) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.saved.emit(detail)
        self.accept()

    def _on_failed(self, exc: UserError) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        if self._ctx.session_failed(exc):
            return  # signed out: this dialog closes with the case window
        self._show_problems([self.refusal_text(exc)], heading=False)

    def refusal_text(self, exc: UserError) -> str:
        """Why the server did not take the follow-up, in words."""
        if isinstance(exc, ServerRefusedError):
            code = f"gui_dm_fu_refused_{exc.reason}"
            if code in MESSAGES:
                return self._texts.t(code)
            if f"gui_err_{exc.code}" not in MESSAGES and exc.code not in MESSAGES:
                return self._texts.t("gui_dm_fu_refused", reason=exc.reason)
        return self._texts.error(exc)

    def _show_problems(self, lines: list[str], *, heading: bool = True) -> None:
        text = "\n".join(f"• {line}" for line in lines) if heading else "\n".join(lines)
        if heading:
            text = self._texts.t("gui_dm_fu_problems", count=len(lines)) + "\n" + text
        self.problems.setText(text)
        self.problems.show()

    # ------------------------------------------------------------------ texts

    @Slot()
    def _retranslate(self) -> None:
        t = self._texts.t
        self.setWindowTitle(t("gui_dm_fu_title", code=self.detail.code or ""))
        self.intro.setText(t("gui_dm_fu_intro"))
        self.status_box.setTitle(t("gui_cf_sec_status"))
        for key, _list_name, code in STATUS_FIELDS:
            self._status_labels[key].setText(t(code))
            self.status_fields[key].retranslate()
        if self.review_paths:
            numbers = item_numbers(self._original)
            names = changed_labels(t, self.review_paths, numbers, label=self._texts.label)
            self.resolve_check.setText(t("gui_dm_fu_resolve", fields=", ".join(names)))
        self.services_box.setTitle(t("gui_dm_fu_services"))
        self.referrals_box.setTitle(t("gui_dm_fu_referrals"))
        self.add_service_button.setText(t("gui_dm_fu_add_service"))
        self.add_referral_button.setText(t("gui_dm_fu_add_referral"))
        self.save_button.setText(t("gui_dm_fu_save"))
        self.cancel_button.setText(t("gui_cancel"))
        for card in [*self.service_cards, *self.referral_cards]:
            card.retranslate()
        self.problems.hide()
