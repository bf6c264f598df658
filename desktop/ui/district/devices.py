"""The devices page (admin, staff): enrolled village laptops, when each last reached the
district and what it may still hold back; enrollment codes and files, and revoking (admin).

What the page shows is the server's answer of ``GET /v1/devices`` (every read is audited on
the server); it is dropped on sign-out. An enrollment code is shown once, in its dialog, and
forgotten when the dialog closes or the session ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.sync.enroll import parse_enrollment_file
from desktop.sync.staff import Device, Enrollment
from desktop.ui.district.context import DistrictContext
from desktop.ui.district.fetch import PageFetches
from desktop.ui.language import Texts
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import VillagePicker, busy_bar, heading, row_table, set_tone
from simpul.errors import UserError
from simpul.files import write_atomic
from simpul.records.derived import device_tag
from simpul.records.wilayah import UnknownVillageError, Village, load_regions

__all__ = [
    "DeviceRow",
    "DeviceTableModel",
    "DevicesPage",
    "EnrollmentDialog",
    "error_text",
    "short_device",
    "when_text",
]

DEFAULT_TTL_HOURS = 72
MAX_TTL_HOURS = 24 * 90
"""The server accepts an enrollment code valid for more than 0 and at most 90 days."""

ENROLLMENT_SUFFIX = ".simpul-enrollment"

_REVOKED_COLOUR = QColor("#78909c")

# Refusals the pages word themselves (the shared catalogue words them for the village laptop).
_REFUSALS = {
    "refused_access_denied": "gui_dm_dev_err_access_denied",
    "refused_unknown_device": "gui_dm_dev_err_unknown_device",
    "refused_unknown_village": "gui_dm_dev_err_unknown_village",
    "refused_invalid_ttl": "gui_dm_dev_err_invalid_ttl",
}


def when_text(texts: Texts, moment: datetime | None, *, seconds: bool = False) -> str:
    """A server time in local time, day first (``-`` for none)."""
    if moment is None:
        return "-"
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def error_text(texts: Texts, exc: UserError) -> str:
    """The message of a failed server call, in the district's words where they differ."""
    code = _REFUSALS.get(exc.code)
    return texts.t(code) if code is not None else texts.error(exc)


def short_device(device_id: str) -> str:
    """A device as people can tell it apart: the tag in its record codes and the id's start."""
    return f"{device_tag(device_id)} · {device_id[:8]}"


def _village(code: str) -> Village | None:
    try:
        return load_regions().village(code)
    except UnknownVillageError:
        return None


def _moment_key(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One line of the devices table: the server's device and where its village lies."""

    device: Device
    tag: str
    village_name: str
    kecamatan_code: str
    kecamatan_name: str

    @classmethod
    def from_device(cls, device: Device) -> DeviceRow:
        """The row of a device (village and kecamatan from Pemalang's list)."""
        village = _village(device.village)
        return cls(
            device=device,
            tag=short_device(device.device_id),
            village_name=village.name if village else (device.village_name or device.village),
            kecamatan_code=village.kecamatan_code if village else "",
            kecamatan_name=village.kecamatan_name if village else "",
        )

    @property
    def revoked(self) -> bool:
        """Whether the district revoked the laptop."""
        return self.device.revoked_at is not None

    def matches(self, needle: str) -> bool:
        """Whether the folded text ``needle`` is in the device id, tag, village or kecamatan."""
        hay = f"{self.device.device_id} {self.tag} {self.village_name} {self.kecamatan_name}"
        return needle in hay.casefold()


class DeviceTableModel(RowTableModel[DeviceRow]):
    """Columns: device, village, kecamatan, enrolled, last contact, last bundle, pending
    estimate, status. The model sorts its own rows (``sort``, called from the header)."""

    DEVICE, VILLAGE, KECAMATAN, ENROLLED, CONTACT, BUNDLE, PENDING, STATUS = range(8)
    HEADERS = (
        "gui_dm_dev_col_device",
        "gui_dm_dev_col_village",
        "gui_dm_dev_col_kecamatan",
        "gui_dm_dev_col_enrolled",
        "gui_dm_dev_col_contact",
        "gui_dm_dev_col_bundle",
        "gui_dm_dev_col_pending",
        "gui_col_status",
    )
    NUMBER_COLUMNS = frozenset({PENDING})
    LABEL_COLUMNS = frozenset({STATUS})

    def row_of(self, device_id: str) -> int:
        """The row showing ``device_id``, or -1."""
        return next((n for n, r in enumerate(self._rows) if r.device.device_id == device_id), -1)

    def header_tooltip(self, section: int) -> str | None:
        return self._texts.t("gui_dm_dev_pending_tip") if section == self.PENDING else None

    def foreground(self, row: DeviceRow, column: int) -> object:
        return _REVOKED_COLOUR if row.revoked else None

    def display(self, row: DeviceRow, column: int) -> str | None:
        t = self._texts.t
        device = row.device
        if column == self.DEVICE:
            return row.tag
        if column == self.VILLAGE:
            return row.village_name
        if column == self.KECAMATAN:
            return row.kecamatan_name or "-"
        if column == self.ENROLLED:
            return when_text(self._texts, device.enrolled_at)
        if column == self.CONTACT:
            if device.last_contact_at is None:
                return t("gui_dm_dev_never")
            return when_text(self._texts, device.last_contact_at)
        if column == self.BUNDLE:
            if device.last_bundle_at is None:
                return t("gui_dm_dev_never")
            return when_text(self._texts, device.last_bundle_at)
        if column == self.PENDING:
            return "-" if device.pending_estimate is None else str(device.pending_estimate)
        if column == self.STATUS:
            return t("gui_dm_dev_revoked" if row.revoked else "gui_dm_dev_active")
        return None

    def tooltip(self, row: DeviceRow, column: int) -> str | None:
        t = self._texts.t
        device = row.device
        if column == self.DEVICE:
            return t("gui_dm_dev_device_tip", device=device.device_id)
        if column == self.VILLAGE:
            return device.village
        if column == self.PENDING:
            if device.pending_estimate is None:
                return t("gui_dm_dev_pending_unknown_tip")
            return t("gui_dm_dev_pending_tip")
        if column == self.STATUS and device.revoked_at is not None:
            return t("gui_dm_dev_revoked_tip", when=when_text(self._texts, device.revoked_at))
        return None

    def sort_key(self, row: DeviceRow, column: int) -> Any:
        device = row.device
        if column == self.ENROLLED:
            return _moment_key(device.enrolled_at)
        if column == self.CONTACT:
            return _moment_key(device.last_contact_at)
        if column == self.BUNDLE:
            return _moment_key(device.last_bundle_at)
        if column == self.PENDING:
            return -1 if device.pending_estimate is None else device.pending_estimate
        return super().sort_key(row, column)


# --------------------------------------------------------------------------- enrollment


@dataclass(frozen=True, slots=True)
class _SavedFile:
    path: Path
    village: str
    expires_at: datetime


class EnrollmentDialog(QDialog):
    """Make an enrollment code (shown once, large, with a copy button) or an enrollment file
    (saved where the user chooses, e.g. a flash drive) for a village's laptop.

    ``mode`` is ``"code"`` or ``"file"``. Nothing about a person is asked or written.
    """

    CODE, FILE = "code", "file"

    def __init__(self, ctx: DistrictContext, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"enroll_{mode}_dialog")
        self.setModal(True)
        self._ctx = ctx
        self.mode = mode
        self._code = ""
        self._expires: datetime | None = None
        self._village: Village | None = None
        self._saved: _SavedFile | None = None
        self._working = False
        # -- the choice
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.picker = VillagePicker(ctx.texts, "enroll_")
        self.hours = QSpinBox()
        self.hours.setObjectName("enroll_hours")
        self.hours.setRange(1, MAX_TTL_HOURS)
        self.hours.setValue(DEFAULT_TTL_HOURS)
        self._hours_label = QLabel()
        self._hours_label.setBuddy(self.hours)
        self._hours_hint = QLabel()
        set_tone(self._hours_hint, "hint")
        self.create_button = QPushButton()
        self.create_button.setObjectName("enroll_create")
        self.create_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("enroll_cancel")
        self.busy = busy_bar()
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_tone(self.message, "problem")
        hours_row = QHBoxLayout()
        hours_row.addWidget(self._hours_label)
        hours_row.addWidget(self.hours)
        hours_row.addWidget(self._hours_hint, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        choose = QWidget()
        choose_layout = QVBoxLayout(choose)
        choose_layout.setContentsMargins(0, 0, 0, 0)
        choose_layout.addWidget(self._intro)
        choose_layout.addWidget(self.picker, 1)
        choose_layout.addLayout(hours_row)
        choose_layout.addWidget(self.busy)
        choose_layout.addWidget(self.message)
        choose_layout.addLayout(buttons)
        # -- the result
        self._result_title = heading(2)
        self.code_label = QLabel()
        self.code_label.setObjectName("enrollment_code")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setStyleSheet(
            'font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 28pt;'
            "font-weight: bold; letter-spacing: 3px; background: #fffde7;"
            "border: 1px solid #c9b458; padding: 16px;"
        )
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("enrollment_expiry")
        self.expiry_label.setWordWrap(True)
        self._result_hint = QLabel()
        self._result_hint.setWordWrap(True)
        set_tone(self._result_hint, "hint")
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("enroll_copy")
        self.copied = QLabel()
        set_tone(self.copied, "success")
        self.done_button = QPushButton()
        self.done_button.setObjectName("enroll_done")
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copied, 1)
        copy_row.addWidget(self.done_button)
        result = QWidget()
        result_layout = QVBoxLayout(result)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addWidget(self._result_title)
        result_layout.addWidget(self.code_label)
        result_layout.addWidget(self.expiry_label)
        result_layout.addWidget(self._result_hint)
        result_layout.addStretch(1)
        result_layout.addLayout(copy_row)
        self.pages = QStackedWidget()
        self.pages.addWidget(choose)
        self.pages.addWidget(result)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.code_label.setVisible(mode == self.CODE)
        self.copy_button.setVisible(mode == self.CODE)

        self.picker.list.itemSelectionChanged.connect(self._update_buttons)
        self.hours.valueChanged.connect(self._update_hours_hint)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.done_button.clicked.connect(self.accept)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        ctx.texts.changed.connect(self._retranslate)
        self.resize(620, 560)
        self._retranslate()
        self._update_buttons()

    @property
    def code(self) -> str:
        """The code shown (empty until made)."""
        return self._code

    @property
    def saved_path(self) -> Path | None:
        """Where the enrollment file was saved (None until then)."""
        return None if self._saved is None else self._saved.path

    def forget(self) -> None:
        """Drop the code (from the clipboard too) and close (sign-out)."""
        clipboard = QGuiApplication.clipboard()
        if self._code and clipboard.text() == self._code:
            clipboard.clear()
        self._code = ""
        self.code_label.clear()
        self.reject()

    # ------------------------------------------------------------------ making it

    @Slot()
    def _update_buttons(self) -> None:
        self.create_button.setEnabled(self.picker.selected() is not None and not self._working)

    @Slot()
    def _update_hours_hint(self) -> None:
        hours = self.hours.value()
        days, rest = divmod(hours, 24)
        t = self._ctx.texts.t
        if rest == 0:
            self._hours_hint.setText(t("gui_dm_dev_hours_days", days=days))
        else:
            self._hours_hint.setText("")

    @Slot()
    def _on_create_clicked(self) -> None:
        village = self.picker.selected()
        client = self._ctx.client
        if village is None or client is None or self._working:
            return
        t = self._ctx.texts.t
        hours = self.hours.value()
        self._village = village
        if self.mode == self.CODE:
            self._start()
            self._ctx.runner.submit(
                lambda: client.create_enrollment(village.code, hours),
                done=self._on_code_made,
                failed=self._on_failed,
            )
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = f"pendaftaran-{village.code}-{stamp}{ENROLLMENT_SUFFIX}"
        path = self._ctx.prompter.choose_save_file(
            self, t("gui_dm_dev_file_save_title"), suggested, t("gui_enroll_file_filter")
        )
        if path is None:
            return
        server_url = self._ctx.settings.server_url or None

        def work() -> _SavedFile:
            data = client.enrollment_file(village.code, hours, server_url)
            parsed = parse_enrollment_file(data)
            try:
                write_atomic(path, data)
            except OSError as exc:
                raise UserError(
                    "gui_dm_dev_file_unwritable",
                    "the enrollment file could not be written",
                    path=str(path),
                    detail=exc.strerror or type(exc).__name__,
                ) from None
            return _SavedFile(path, parsed.village, parsed.expires_at)

        self._start()
        self._ctx.runner.submit(work, done=self._on_file_saved, failed=self._on_failed)

    def _start(self) -> None:
        self._working = True
        self.message.clear()
        self.busy.show()
        self._update_buttons()

    def _stop(self) -> None:
        self._working = False
        self.busy.hide()
        self._update_buttons()

    def _on_code_made(self, enrollment: Enrollment) -> None:
        self._stop()
        if not self._ctx.signed_in_now:
            return
        self._code = enrollment.code
        self._expires = enrollment.expires_at
        self.code_label.setText(self._code)
        self.pages.setCurrentIndex(1)
        self.done_button.setFocus()
        self._retranslate()

    def _on_file_saved(self, saved: _SavedFile) -> None:
        self._stop()
        self._saved = saved
        self._expires = saved.expires_at
        self.pages.setCurrentIndex(1)
        self.done_button.setFocus()
        self._retranslate()

    def _on_failed(self, exc: UserError) -> None:
        self._stop()
        if self._ctx.session_failed(exc):
            return
        self.message.setText(error_text(self._ctx.texts, exc))

    @Slot()
    def _on_copy_clicked(self) -> None:
        if self._code:
            QGuiApplication.clipboard().setText(self._code)
            self.copied.setText(self._ctx.texts.t("gui_dm_dev_copied"))

    # ------------------------------------------------------------------ texts

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        file = self.mode == self.FILE
        self.setWindowTitle(t("gui_dm_dev_file_title" if file else "gui_dm_dev_code_title"))
        self._intro.setText(t("gui_dm_dev_file_intro" if file else "gui_dm_dev_code_intro"))
        self._hours_label.setText(t("gui_dm_dev_hours"))
        self.hours.setSuffix(t("gui_dm_dev_hours_suffix"))
        self._update_hours_hint()
        self.create_button.setText(t("gui_dm_dev_file_save" if file else "gui_dm_dev_code_make"))
        self.cancel_button.setText(t("gui_cancel"))
        self.copy_button.setText(t("gui_dm_dev_copy"))
        if self.copied.text():
            self.copied.setText(t("gui_dm_dev_copied"))
        self.done_button.setText(t("gui_dm_dev_done"))
        village = self._village
        place = (
            t("gui_dm_dev_place", village=village.name, kecamatan=village.kecamatan_name)
            if village is not None
            else ""
        )
        when = when_text(self._ctx.texts, self._expires)
        if file:
            self._result_title.setText(t("gui_dm_dev_file_saved_title", place=place))
            path = str(self._saved.path) if self._saved is not None else ""
            self.expiry_label.setText(t("gui_dm_dev_file_saved", path=path, when=when))
            self._result_hint.setText(t("gui_dm_dev_file_hint"))
        else:
            self._result_title.setText(t("gui_dm_dev_code_for", place=place))
            self.expiry_label.setText(t("gui_dm_dev_code_expires", when=when))
            self._result_hint.setText(t("gui_dm_dev_code_hint"))


# --------------------------------------------------------------------------- the page


class DevicesPage(QWidget):
    """The "Perangkat" page: every enrolled laptop, filters, and (admin) enroll and revoke.

    The list is read when the page is first shown after sign-in, on "Muat ulang", and after
    each action; it is dropped on sign-out.
    """

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._all: list[DeviceRow] = []
        self._loaded = False
        self.enroll_dialog: EnrollmentDialog | None = None
        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")
        # -- filters
        self.kecamatan_filter = QComboBox()
        self.kecamatan_filter.setObjectName("devices_kecamatan")
        self.village_filter = QComboBox()
        self.village_filter.setObjectName("devices_village")
        self.search = QLineEdit()
        self.search.setObjectName("devices_search")
        self.search.setClearButtonEnabled(True)
        self._kecamatan_label = QLabel()
        self._kecamatan_label.setBuddy(self.kecamatan_filter)
        self._village_label = QLabel()
        self._village_label.setBuddy(self.village_filter)
        self._search_label = QLabel()
        self._search_label.setBuddy(self.search)
        # -- actions
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("devices_refresh")
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("devices_revoke")
        self.code_button = QPushButton()
        self.code_button.setObjectName("devices_enroll_code")
        self.file_button = QPushButton()
        self.file_button.setObjectName("devices_enroll_file")
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        set_tone(self.role_note, "hint")
        self.busy = busy_bar()
        self._fetches = PageFetches(ctx, self.busy, self._update_buttons)
        self.message = QLabel()
        self.message.setObjectName("devices_message")
        self.message.setWordWrap(True)
        self.message.hide()
        # -- the table
        self.model = DeviceTableModel(ctx.texts, self)
        self.table = row_table(self.model, "devices_table", DeviceTableModel.STATUS)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DeviceTableModel.VILLAGE, Qt.SortOrder.AscendingOrder)
        self.count = QLabel()
        set_tone(self.count, "hint")
        self.empty = QLabel()
        self.empty.setWordWrap(True)

        filters = QHBoxLayout()
        for label, widget in (
            (self._kecamatan_label, self.kecamatan_filter),
            (self._village_label, self.village_filter),
        ):
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addSpacing(12)
        filters.addWidget(self._search_label)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        for button in (self.refresh_button, self.revoke_button, self.code_button):
            actions.addWidget(button)
        actions.addWidget(self.file_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.role_note)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count)

        self.kecamatan_filter.currentIndexChanged.connect(self._on_kecamatan_changed)
        self.village_filter.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.refresh_button.clicked.connect(self.refresh)
        self.revoke_button.clicked.connect(self._on_revoke_clicked)
        self.code_button.clicked.connect(self._on_code_clicked)
        self.file_button.clicked.connect(self._on_file_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.signed_in.connect(self._on_signed_in)
        ctx.signed_out.connect(self._on_signed_out)
        ctx.records_changed.connect(self._on_records_changed)
        ctx.texts.changed.connect(self._retranslate)
        self._fill_filters()
        self._retranslate()
        self._update_role()

    # ------------------------------------------------------------------ session

    def showEvent(self, event: QShowEvent) -> None:
        """Read the list the first time the page is shown in a session."""
        super().showEvent(event)
        if not self._loaded and self._ctx.signed_in_now and self._ctx.can("devices"):
            self.refresh()

    @Slot()
    def _on_signed_in(self) -> None:
        self._update_role()
        if self.isVisible() and self._ctx.can("devices"):
            self.refresh()

    @Slot()
    def _on_records_changed(self) -> None:
        # an import here moved a laptop's last bundle and backlog: read again when seen
        self._loaded = False
        if self.isVisible() and self._ctx.can("devices"):
            self.refresh()

    @Slot()
    def _on_signed_out(self) -> None:
        self._fetches.drop()
        self._loaded = False
        self._all = []
        self.model.set_rows([])
        self.search.clear()
        self._fill_filters()
        self._say("", "")
        dialog, self.enroll_dialog = self.enroll_dialog, None
        if dialog is not None:
            dialog.forget()
            dialog.deleteLater()
        self._update_role()
        self._update_count()

    def _update_role(self) -> None:
        admin = self._ctx.can("revoke")
        enroll = self._ctx.can("enroll")
        self.revoke_button.setVisible(admin)
        self.code_button.setVisible(enroll)
        self.file_button.setVisible(enroll)
        self.role_note.setVisible(self._ctx.signed_in_now and not (admin and enroll))
        self._update_buttons()

    # ------------------------------------------------------------------ loading

    @Slot()
    def refresh(self) -> None:
        """Read the device list from the server again (in the background)."""
        client = self._ctx.client
        if client is None or not self._ctx.can("devices"):
            return
        self._fetches.submit(client.devices, self._on_loaded, self._on_failed)

    def _on_loaded(self, devices: list[Device]) -> None:
        self._loaded = True
        if self.message.property("tone") == "problem":
            self._say("", "")
        self._all = [DeviceRow.from_device(d) for d in devices]
        self._fill_filters()
        self._apply_filters()

    def _on_failed(self, exc: UserError) -> None:
        self._say(error_text(self._ctx.texts, exc), "problem")

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.message, tone)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ filters

    def _fill_filters(self) -> None:
        """The kecamatans and villages that have devices (the current choice kept)."""
        kecamatan = self.kecamatan_filter.currentData()
        blocked = self.kecamatan_filter.blockSignals(True)
        self.kecamatan_filter.clear()
        self.kecamatan_filter.addItem(self._ctx.texts.t("gui_all_kecamatan"), None)
        seen = sorted({(r.kecamatan_name, r.kecamatan_code) for r in self._all if r.kecamatan_code})
        for name, code in seen:
            self.kecamatan_filter.addItem(name, code)
        index = self.kecamatan_filter.findData(kecamatan) if kecamatan else 0
        self.kecamatan_filter.setCurrentIndex(max(0, index))
        self.kecamatan_filter.blockSignals(blocked)
        self._fill_villages()

    def _fill_villages(self) -> None:
        village = self.village_filter.currentData()
        kecamatan = self.kecamatan_filter.currentData()
        blocked = self.village_filter.blockSignals(True)
        self.village_filter.clear()
        self.village_filter.addItem(self._ctx.texts.t("gui_dm_dev_all_villages"), None)
        seen = sorted(
            {
                (r.village_name, r.device.village)
                for r in self._all
                if not kecamatan or r.kecamatan_code == kecamatan
            }
        )
        for name, code in seen:
            self.village_filter.addItem(name, code)
        index = self.village_filter.findData(village) if village else 0
        self.village_filter.setCurrentIndex(max(0, index))
        self.village_filter.blockSignals(blocked)

    @Slot()
    def _on_kecamatan_changed(self) -> None:
        self._fill_villages()
        self._apply_filters()

    @Slot()
    def _apply_filters(self) -> None:
        kecamatan = self.kecamatan_filter.currentData()
        village = self.village_filter.currentData()
        needle = self.search.text().strip().casefold()
        chosen = self.selected()
        t = self._ctx.texts.t
        status = {
            True: t("gui_dm_dev_revoked").casefold(),
            False: t("gui_dm_dev_active").casefold(),
        }
        rows = [
            r
            for r in self._all
            if (not kecamatan or r.kecamatan_code == kecamatan)
            and (not village or r.device.village == village)
            and (not needle or r.matches(needle) or needle in status[r.revoked])
        ]
        self.model.set_rows(rows)
        if chosen is not None:
            self.select_device(chosen.device.device_id)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        t = self._ctx.texts.t
        shown = self.model.rowCount()
        revoked = sum(1 for r in self._all if r.revoked)
        if not self._loaded:
            self.count.clear()
        elif shown == len(self._all):
            self.count.setText(
                t("gui_dm_dev_count", count=shown, active=shown - revoked, revoked=revoked)
            )
        else:
            self.count.setText(t("gui_dm_dev_count_filtered", shown=shown, count=len(self._all)))
        if self._loaded and not self._all:
            self.empty.setText(t("gui_dm_dev_none"))
        elif self._loaded and shown == 0:
            self.empty.setText(t("gui_dm_dev_none_match"))
        else:
            self.empty.clear()
        self.empty.setVisible(bool(self.empty.text()))

    # ------------------------------------------------------------------ selection

    def selected(self) -> DeviceRow | None:
        """The device of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row())

    def select_device(self, device_id: str) -> bool:
        """Select the row of ``device_id`` (False when it is not shown)."""
        row = self.model.row_of(device_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected()
        idle = self._fetches.running == 0 and self._ctx.signed_in_now
        self.refresh_button.setEnabled(self._ctx.signed_in_now)
        self.revoke_button.setEnabled(
            idle and chosen is not None and not chosen.revoked and self._ctx.can("revoke")
        )
        self.code_button.setEnabled(self._ctx.signed_in_now and self._ctx.can("enroll"))
        self.file_button.setEnabled(self._ctx.signed_in_now and self._ctx.can("enroll"))

    # ------------------------------------------------------------------ revoke

    @Slot()
    def _on_revoke_clicked(self) -> None:
        chosen = self.selected()
        client = self._ctx.client
        if chosen is None or client is None or chosen.revoked:
            return
        t = self._ctx.texts.t
        place = t(
            "gui_dm_dev_place", village=chosen.village_name, kecamatan=chosen.kecamatan_name or "-"
        )
        if not self._ctx.prompter.confirm(
            self,
            t("gui_dm_dev_revoke_title"),
            t("gui_dm_dev_revoke_question", device=chosen.tag, place=place),
        ):
            return
        device_id = chosen.device.device_id
        self._fetches.submit(
            lambda: client.revoke_device(device_id), self._on_revoked, self._on_failed
        )
        self._say("", "")

    def _on_revoked(self, device: Device) -> None:
        row = DeviceRow.from_device(device)
        t = self._ctx.texts.t
        place = t("gui_dm_dev_place", village=row.village_name, kecamatan=row.kecamatan_name or "-")
        self._say(t("gui_dm_dev_revoked_done", device=row.tag, place=place), "success")
        self.refresh()

    # ------------------------------------------------------------------ enroll

    @Slot()
    def _on_code_clicked(self) -> None:
        self._open_enrollment(EnrollmentDialog.CODE)

    @Slot()
    def _on_file_clicked(self) -> None:
        self._open_enrollment(EnrollmentDialog.FILE)

    def _open_enrollment(self, mode: str) -> None:
        if not self._ctx.can("enroll"):
            return
        if self.enroll_dialog is not None:
            self.enroll_dialog.close()
            self.enroll_dialog.deleteLater()
        dialog = EnrollmentDialog(self._ctx, mode, self)
        dialog.finished.connect(self._on_enrollment_finished)
        self.enroll_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_enrollment_finished(self, _result: int) -> None:
        dialog = self.enroll_dialog
        if dialog is None:
            return
        if dialog.saved_path is not None:
            self._say(
                self._ctx.texts.t("gui_dm_dev_file_done", path=str(dialog.saved_path)), "success"
            )
        # a laptop may have enrolled with the code meanwhile
        if self._ctx.signed_in_now and (dialog.code or dialog.saved_path is not None):
            self.refresh()

    # ------------------------------------------------------------------ texts

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_nav_devices"))
        self._intro.setText(t("gui_dm_dev_intro"))
        self._kecamatan_label.setText(t("gui_kecamatan"))
        self._village_label.setText(t("gui_dm_dev_village"))
        self._search_label.setText(t("gui_search"))
        self.search.setPlaceholderText(t("gui_dm_dev_search_hint"))
        self.kecamatan_filter.setItemText(0, t("gui_all_kecamatan"))
        self.village_filter.setItemText(0, t("gui_dm_dev_all_villages"))
        self.refresh_button.setText(t("gui_dm_dev_refresh"))
        self.revoke_button.setText(t("gui_dm_dev_revoke"))
        self.code_button.setText(t("gui_dm_dev_code"))
        self.file_button.setText(t("gui_dm_dev_file"))
        self.role_note.setText(t("gui_dm_dev_role_note"))
        self._update_count()
