"""District mode's case window: one case read from the server (the read is audited there),
drawn by the village app's case summary, with its history and, for staff, follow-up.

The server's :class:`~desktop.sync.staff.RecordDetail` is turned into the
:class:`~desktop.ui.caseform_ops.CaseSnapshot` the summary draws (:func:`snapshot_of`);
nothing is written to disk. The title carries the case code, never a name. Signing out
closes the window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.storage.store import HistoryEntry, RecordView
from desktop.sync.errors import OfflineError
from desktop.sync.staff import RecordDetail
from desktop.ui.casedetail import CaseSummaryView, author_label
from desktop.ui.caseform_ops import CaseSnapshot
from desktop.ui.caseform_rules import changed_labels, item_numbers
from desktop.ui.district.casefollowup import FollowupDialog
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.fetch import PageFetches
from desktop.ui.language import Texts
from desktop.ui.widgets import busy_bar, set_tone
from simpul.changes import ChangeFormatError, ChangeId, FieldEdit, Hlc
from simpul.errors import UserError
from simpul.records.derived import device_tag

__all__ = ["DISTRICT_DEVICE", "DistrictCaseView", "DistrictCaseWindow", "snapshot_of"]

DISTRICT_DEVICE = "district"
"""The device id of changes made at the district (``district.service.DISTRICT_DEVICE``)."""

_STAFF_PREFIX = "staff:"


def snapshot_of(detail: RecordDetail) -> CaseSnapshot:
    """What the case summary draws, from the server's answer (document, review flags,
    history oldest first)."""
    history: list[HistoryEntry] = []
    for entry in detail.history:
        try:
            change_id = ChangeId.parse(entry.change_id)
            edits = tuple(FieldEdit(path, None, frozenset()) for path in entry.paths)
        except (ChangeFormatError, ValueError):
            continue  # an id or a path this version cannot read: left out of the list
        wall = max(0, int(entry.saved_at.timestamp() * 1000))
        history.append(HistoryEntry(change_id, Hlc(wall, 0), entry.author, edits))
    walls = [h.hlc.wall for h in history] or [0]
    document = dict(detail.document)
    view = RecordView(
        record_id=detail.record_id,
        kind=detail.kind,
        code=detail.code or "",
        summary={},
        conflicts=detail.conflicts,
        created=Hlc(min(walls), 0),
        updated=Hlc(max(walls), 0),
        changes=len(detail.history),
        base=detail.base,
        _load_doc=lambda: document,
    )
    return CaseSnapshot(view, document, history, DISTRICT_DEVICE)


class DistrictCaseView(CaseSummaryView):
    """The village app's case summary and history, naming devices and authors as the district
    sees them; its button opens the follow-up."""

    EDIT_TEXT = "gui_dm_case_followup"

    def __init__(self, texts: Texts, parent: QWidget | None = None) -> None:
        super().__init__(texts, parent)
        self.edit_button.setObjectName("follow_up")

    def device_text(self, device: str, own_device: str) -> str:
        if device == DISTRICT_DEVICE:
            return self._texts.t("gui_dm_case_device_district")
        return self._texts.t("gui_dm_case_device_village", tag=device_tag(device))

    def author_text(self, author: str) -> str:
        if author.startswith(_STAFF_PREFIX):
            return self._texts.t("gui_dm_case_author_staff", name=author[len(_STAFF_PREFIX) :])
        return author_label(self._texts, author)


class DistrictCaseWindow(QWidget):
    """A window showing one case from the server; staff and admins record follow-up from it.

    Signals:
        loaded: The case was read (or read again after a follow-up) and is shown.
        followup_saved: A follow-up was saved (the server's answer is shown).
    """

    loaded = Signal()
    followup_saved = Signal()

    def __init__(
        self,
        ctx: DistrictContext,
        record_id: str,
        code: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("district_case_window")
        self.ctx = ctx
        self.record_id = record_id
        self.code = code or ""
        self.detail: RecordDetail | None = None
        self._failure: UserError | None = None
        self.followup: FollowupDialog | None = None
        self.view = DistrictCaseView(ctx.texts)
        self.busy = busy_bar()
        self._fetches = PageFetches(ctx, self.busy)
        self.notice = QLabel()
        self.notice.setObjectName("case_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.read_only = QLabel()
        self.read_only.setObjectName("read_only_note")
        self.read_only.setWordWrap(True)
        set_tone(self.read_only, "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.busy)
        layout.addWidget(self.notice)
        layout.addWidget(self.read_only)
        layout.addWidget(self.view, 1)
        may_follow_up = ctx.can("follow_up")
        self.view.edit_button.setVisible(may_follow_up)
        self.read_only.setVisible(not may_follow_up)
        self.view.edit_requested.connect(self.open_followup)
        self._stale = False
        self._saving = False
        ctx.records_changed.connect(self._on_records_changed)
        reload = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        reload.activated.connect(self.load)
        ctx.signed_out.connect(self.close)
        ctx.texts.changed.connect(self._retranslate)
        self.resize(920, 780)
        self._retranslate()
        self.load()

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        """Read the case from the server (audited there) and show it."""
        client = self.ctx.client
        if client is None:
            return
        record_id = self.record_id
        self._fetches.submit(
            lambda: client.read_record(record_id), self.show_detail, self._on_failed
        )

    def show_detail(self, detail: RecordDetail) -> None:
        """Show a case the server answered."""
        if self.ctx.client is None:
            return  # signed out while it was read
        self.detail = detail
        self._failure = None
        self.code = detail.code or self.code
        self.view.show_snapshot(snapshot_of(detail))
        self._retranslate()
        self.loaded.emit()

    def _on_failed(self, exc: UserError) -> None:
        self._failure = exc
        self._show_failure()

    def _show_failure(self) -> None:
        exc = self._failure
        if exc is not None:
            key = "gui_dm_cases_offline" if isinstance(exc, OfflineError) else None
            self.view.show_problem(self.ctx.texts.t(key) if key else self.ctx.texts.error(exc))

    # ------------------------------------------------------------------ follow-up

    @Slot()
    def open_followup(self) -> None:
        """Open the follow-up dialog on the version shown (staff and admins)."""
        if self.detail is None or not self.ctx.can("follow_up"):
            return
        if self.followup is not None:
            self.followup.raise_()
            self.followup.activateWindow()
            return
        dialog = FollowupDialog(self.ctx, self.detail, self)
        dialog.saved.connect(self._on_followup_saved)
        dialog.finished.connect(self._on_followup_finished)
        self.followup = dialog
        # Not modal: a modal dialog would block the window's Ctrl+L (lock) shortcut.
        dialog.show()

    @Slot(object)
    def _on_followup_saved(self, detail: RecordDetail) -> None:
        before = set(self.detail.conflicts) if self.detail is not None else set()
        self.show_detail(detail)
        fresh = [c for c in detail.conflicts if c not in before]
        t = self.ctx.texts.t
        if fresh:
            names = changed_labels(
                t, fresh, item_numbers(detail.document), label=self.ctx.texts.label
            )
            self.notice.setText(t("gui_dm_case_saved_review", fields=", ".join(names)))
            set_tone(self.notice, "problem")
        else:
            self.notice.setText(t("gui_dm_case_saved"))
            set_tone(self.notice, "success")
        self.notice.show()
        self._saving = True  # this window already shows what it sent
        try:
            self.ctx.records_changed.emit()
        finally:
            self._saving = False
        self.followup_saved.emit()

    @Slot()
    def _on_followup_finished(self) -> None:
        dialog, self.followup = self.followup, None
        if dialog is not None:
            dialog.deleteLater()
        if self._stale:
            self._stale = False
            self.load()

    @Slot()
    def _on_records_changed(self) -> None:
        """Read the case again after an import or a follow-up elsewhere in the app; while a
        follow-up is being written on the version shown, only once it is closed."""
        if self._saving:
            return
        if self.followup is not None:
            self._stale = True
            return
        self.load()

    # ------------------------------------------------------------------ texts, closing

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.read_only.setText(t("gui_dm_case_read_only"))
        title = t("gui_cv_title")
        if self.code:
            title = f"{self.code} — {title}"
        self.setWindowTitle(f"{title} — {t('gui_app_name')}")
        if self.notice.isVisible():
            self.notice.hide()  # a message in the old language
        self._show_failure()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Forget the case: nothing about any person stays in memory on screen."""
        if self.followup is not None:
            self.followup.reject()
        self.detail = None
        self.view.clear()
        self.deleteLater()
        super().closeEvent(event)
