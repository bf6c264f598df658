"""District mode's import page: bundles from village flash drives, previewed, imported, answered.

The officer picks files or a whole folder (a flash drive), or drops them on the page. Each file
becomes a row that fills in as the server answers its preview: village, device, period, counts,
signature status, whether it was imported before. "Impor" then registers the laptops whose
enrollment answers came along (an administrator's right), imports the bundles one by one — each
all in or all out on the server — and writes the receipt and a return bundle for the laptop back
into the bundle's folder, named as ``simpul-district import`` names them, so the flash drive goes
back to the village with them. Cancel stops between two bundles.

Nothing about a person is shown or kept: a bundle's content stays sealed on the server; the page
shows codes, counts and dates, and forgets every row on sign-out.
"""

from __future__ import annotations

import errno
import json
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QModelIndex, Qt, QUrl, Slot
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import MESSAGES
from desktop.sync.courier import ANSWER_SUFFIX, BUNDLE_SUFFIX, RECEIPT_SUFFIX
from desktop.sync.errors import OfflineError, ServerRefusedError
from desktop.sync.staff import BundlePreview, EnrollmentAnswer, ImportOutcome
from desktop.ui.district.context import DistrictContext
from desktop.ui.language import Texts
from desktop.ui.tablemodel import RowTableModel
from desktop.ui.widgets import heading, set_tone
from simpul.errors import UserError
from simpul.files import write_atomic
from simpul.records.derived import device_tag

__all__ = [
    "RETURN_SUFFIX",
    "ImportPage",
    "ImportRow",
    "ImportTableModel",
    "scan_inputs",
]

RETURN_SUFFIX: Final = ".simpul-return"
"""A return bundle for the laptop (``simpul-district import`` writes the same names)."""
MAX_BUNDLE_BYTES: Final = 16 * 1024 * 1024
"""The server's import cap (``district.service.MAX_IMPORT_BYTES``): a larger file is refused
here without being sent."""
MAX_ANSWER_BYTES: Final = 64 * 1024
"""An enrollment answer is a few KiB of JSON (``simpul-district import`` reads this much)."""

# Files the district itself wrote for a laptop: listed when picked by hand, never imported.
_FOR_THE_VILLAGE: Final = {RECEIPT_SUFFIX: "receipt", RETURN_SUFFIX: "return_bundle"}

# Server reason codes whose shared village-app wording also fits the district (desktop/i18n).
_SHARED_REASONS: Final = {
    "not_a_bundle": "file_not_a_bundle",
    "truncated": "file_truncated",
    "too_large": "file_too_large",
    "request_too_large": "file_too_large",
    "decompression_bomb": "file_decompression_bomb",
    "malformed_content": "file_malformed_content",
    "bad_header": "file_bad_header",
}

# The result's colour: the style sheet's "success" and "problem" tones (widgets.STYLE_SHEET).
_RESULT_TONES: Final = {
    "imported": "#1b5e20",
    "already_imported": "#1b5e20",
    "enrolled": "#1b5e20",
    "already_enrolled": "#1b5e20",
    "rejected": "#b71c1c",
    "failed": "#b71c1c",
    "needs_admin": "#b71c1c",
}

_SESSION_REASONS: Final = frozenset({"session_expired", "unauthorized"})
"""Refusals that end the session: the shell signs out instead of marking a row."""

# What a row is: still being read, a bundle, an enrollment answer, or another file.
READING, BUNDLE, ANSWER, OTHER = "reading", "bundle", "answer", "other"
# What the import did with a row.
IMPORTED, ALREADY, REJECTED = "imported", "already_imported", "rejected"
ENROLLED, ALREADY_ENROLLED, NEEDS_ADMIN, FAILED = (
    "enrolled",
    "already_enrolled",
    "needs_admin",
    "failed",
)


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One file of the list: what its preview said and what importing it did.

    ``signature`` is ``valid`` or the code the import would refuse the bundle with; for a file
    that is not a bundle, ``reason`` says what it is (``not_a_bundle``, ``receipt``…).
    """

    key: int
    path: Path
    stage: str = READING
    reason: str | None = None
    signature: str | None = None
    device_id: str | None = None
    village: str | None = None
    village_name: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    cases: int | None = None
    outreach: int | None = None
    already_imported: bool | None = None
    outcome: str | None = None
    outcome_reason: str | None = None
    write_problem: str | None = None
    written: tuple[Path, ...] = ()

    @property
    def importable(self) -> bool:
        """Whether "Impor" still has something to do with this row: not tried yet, or tried
        again after the server could not be reached or a receipt could not be written (the
        server answers a bundle it holds with "already imported" and the same receipt)."""
        pending = self.outcome in (None, FAILED) or self.write_problem is not None
        return pending and self.stage in (BUNDLE, ANSWER)

    def with_preview(self, preview: BundlePreview) -> ImportRow:
        """The row as the server's preview describes the file."""
        if preview.file_kind != "village_bundle":
            return replace(self, stage=OTHER, reason=_other_reason(preview))
        opened = preview.signature == "valid" or preview.already_imported
        return replace(
            self,
            stage=BUNDLE,
            signature=preview.signature,
            device_id=preview.device_id or self.device_id,
            village=preview.village or self.village,
            village_name=preview.village_name or self.village_name,
            period_from=preview.period_from or self.period_from,
            period_to=preview.period_to or self.period_to,
            cases=preview.cases if opened else self.cases,
            outreach=preview.outreach if opened else self.outreach,
            already_imported=preview.already_imported,
        )


def _other_reason(preview: BundlePreview) -> str:
    if preview.file_kind in ("return_bundle", "receipt", "enrollment_file", "enrollment_answer"):
        return preview.file_kind
    return preview.signature if preview.signature != "valid" else "not_a_bundle"


@dataclass(frozen=True, slots=True)
class _Read:
    """What the worker found in a file before asking the server anything."""

    stage: str
    data: bytes = b""
    reason: str | None = None
    device_id: str | None = None
    signature: str | None = None


@dataclass(frozen=True, slots=True)
class _Imported:
    """A bundle's import as the worker did it: the outcome, what was written, what was not."""

    outcome: ImportOutcome | None
    reason: str | None = None
    written: tuple[Path, ...] = ()
    write_problem: str | None = None


def scan_inputs(paths: Iterable[Path]) -> list[Path]:
    """The files to list: each file as given; a folder (a flash drive) stands for its
    ``*.simpul-enroll`` answers, then its ``*.simpul`` bundles, in name order — the files
    ``simpul-district import`` takes from a folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{ANSWER_SUFFIX}")))
            found.extend(sorted(path.glob(f"*{BUNDLE_SUFFIX}")))
        elif path.is_file():
            found.append(path)
    return found


def _read_file(path: Path) -> _Read:
    """Read a file (bounded) and say what it is as far as its name and bytes tell."""
    for suffix, kind in _FOR_THE_VILLAGE.items():
        if path.name.endswith(suffix):
            return _Read(OTHER, reason=kind)
    answer = path.name.endswith(ANSWER_SUFFIX)
    cap = MAX_ANSWER_BYTES if answer else MAX_BUNDLE_BYTES
    try:
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except OSError:
        return _Read(OTHER, reason="file_unreadable")
    if answer:
        return _read_answer(data)
    if len(data) > cap:
        return _Read(BUNDLE, reason="too_large", signature="too_large")
    if data.lstrip()[:1] == b"{":  # an enrollment answer under another name?
        read = _read_answer(data)
        if read.stage == ANSWER:
            return read
    return _Read(READING, data=data)


def _read_answer(data: bytes) -> _Read:
    """An enrollment answer: its laptop's device id (the rest is keys)."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return _Read(OTHER, reason="answer_invalid")
    if not isinstance(doc, dict) or doc.get("format") != "simpul-enrollment-answer":
        return _Read(OTHER, reason="answer_invalid")
    device = doc.get("device_id")
    return _Read(ANSWER, data=data, device_id=device if isinstance(device, str) else None)


def _write_problem(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "disk_full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read_only"
    return "write_failed"


def _write_beside(directory: Path, suffix: str, data: bytes) -> Path:
    """Write ``data`` whole under a random name (no village, device or person in it), as
    ``simpul-district import`` does."""
    path = directory / f"{secrets.token_hex(8)}{suffix}"
    write_atomic(path, data, mode=0o600)
    return path


def write_back(directory: Path, outcome: ImportOutcome) -> tuple[tuple[Path, ...], str | None]:
    """The receipt, then the return bundle, into the bundle's folder; what failed, if any."""
    written: list[Path] = []
    try:
        for suffix, data in (
            (RECEIPT_SUFFIX, outcome.receipt),
            (RETURN_SUFFIX, outcome.return_bundle),
        ):
            if data is not None:
                written.append(_write_beside(directory, suffix, data))
    except OSError as exc:
        return tuple(written), _write_problem(exc)
    return tuple(written), None


def display_date(iso: str) -> str:
    """``2026-11-03`` as ``03/11/2026`` (day first, as Indonesian forms write it)."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


# --------------------------------------------------------------------------- the model


class ImportTableModel(RowTableModel[ImportRow]):
    """Columns: file, village, device, period, cases, outreach, signature, imported before,
    result. Rows are updated in place as previews and imports answer."""

    FILE, VILLAGE, DEVICE, PERIOD, CASES, OUTREACH, SIGNATURE, SEEN, RESULT = range(9)
    HEADERS = (
        "gui_dm_imp_col_file",
        "gui_dm_imp_col_village",
        "gui_dm_imp_col_device",
        "gui_dm_imp_col_period",
        "gui_dm_imp_col_cases",
        "gui_dm_imp_col_outreach",
        "gui_dm_imp_col_signature",
        "gui_dm_imp_col_seen",
        "gui_dm_imp_col_result",
    )
    NUMBER_COLUMNS = frozenset({CASES, OUTREACH})

    def __init__(self, texts: Texts, *, can_enroll: Callable[[], bool]) -> None:
        super().__init__(texts)
        self._can_enroll = can_enroll
        self._answers = False  # an enrollment answer is listed

    # ------------------------------------------------------------------ rows

    def set_rows(self, rows: Sequence[ImportRow]) -> None:
        self._answers = any(row.stage == ANSWER for row in rows)
        super().set_rows(rows)

    def add_rows(self, rows: Sequence[ImportRow]) -> None:
        """Append rows at the end."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def find(self, key: int) -> ImportRow | None:
        """The row of ``key``, if it is still listed."""
        return next((row for row in self._rows if row.key == key), None)

    def update(self, row: ImportRow) -> None:
        """Replace the row with the same key (its line repaints)."""
        for line, old in enumerate(self._rows):
            if old.key == row.key:
                self._rows[line] = row
                if row.stage == ANSWER and not self._answers:
                    self._answers = True
                    self.dataChanged.emit(
                        self.index(0, self.RESULT), self.index(len(self._rows) - 1, self.RESULT)
                    )
                self.dataChanged.emit(self.index(line, 0), self.index(line, len(self.HEADERS) - 1))
                return

    # ------------------------------------------------------------------ cells

    def display(self, row: ImportRow, column: int) -> str | None:
        t = self._texts.t
        if column == self.FILE:
            return row.path.name
        if column == self.VILLAGE:
            return row.village_name or row.village or ""
        if column == self.DEVICE:
            return device_tag(row.device_id) if row.device_id else ""
        if column == self.PERIOD:
            return _period(row)
        if column == self.CASES:
            return "" if row.cases is None else str(row.cases)
        if column == self.OUTREACH:
            return "" if row.outreach is None else str(row.outreach)
        if column == self.SIGNATURE:
            return self._signature(row)
        if column == self.SEEN:
            if row.stage != BUNDLE or row.already_imported is None:
                return ""
            return t("gui_dm_imp_seen_yes") if row.already_imported else t("gui_dm_imp_seen_no")
        if column == self.RESULT:
            return self._result(row)
        return None

    def foreground(self, row: ImportRow, column: int) -> object:
        tone = _RESULT_TONES.get(row.outcome or "") if column == self.RESULT else None
        return QBrush(QColor(tone)) if tone else None

    def _result(self, row: ImportRow) -> str:
        return result_text(self._texts, row, can_enroll=self._can_enroll(), answers=self._answers)

    def tooltip(self, row: ImportRow, column: int) -> str | None:
        if column == self.FILE:
            return str(row.path)
        if (
            column == self.SIGNATURE
            and row.stage == BUNDLE
            and row.signature not in (None, "valid")
        ):
            return reason_text(self._texts, row.signature or "")
        if column == self.RESULT:
            return self._result(row) or None
        return None

    def _signature(self, row: ImportRow) -> str:
        t = self._texts.t
        if row.stage == READING:
            return t("gui_dm_imp_reading")
        if row.stage == ANSWER:
            return t("gui_dm_imp_answer_kind")
        if row.stage == OTHER or row.signature is None:
            return t("gui_dm_imp_not_bundle") if row.stage == OTHER else ""
        return signature_text(self._texts, row.signature)


def _period(row: ImportRow) -> str:
    if not row.period_from:
        return ""
    start = display_date(row.period_from)
    end = display_date(row.period_to or row.period_from)
    return start if start == end else f"{start} – {end}"


def signature_text(texts: Texts, code: str) -> str:
    """A signature status in a few words (``valid`` → "Sah")."""
    key = f"gui_dm_imp_sig_{code}"
    return texts.t(key) if key in MESSAGES else texts.t("gui_dm_imp_sig_other")


def reason_text(texts: Texts, code: str) -> str:
    """Why a file was refused, in plain words (the server's reason code translated)."""
    key = f"gui_dm_imp_why_{code}"
    if key in MESSAGES:
        return texts.t(key)
    if code in _SHARED_REASONS:
        return texts.t(_SHARED_REASONS[code])
    return texts.t("gui_dm_imp_why_other", code=code)


def expected_refusal(row: ImportRow, *, answers: bool) -> str | None:
    """The reason the import will refuse a bundle with, as its preview tells; None if it
    should go in (or was imported before: the same receipt is written again)."""
    if row.reason is not None:  # refused here before it is sent (too large)
        return row.reason
    if row.already_imported or row.signature in (None, "valid"):
        return None
    if row.signature == "unknown_sender" and answers:
        return None  # its laptop's enrollment answer may be among the files
    return row.signature


def result_text(texts: Texts, row: ImportRow, *, can_enroll: bool, answers: bool) -> str:
    """The last column: what will happen to the file, or what happened.

    ``answers``: enrollment answers are listed too, so a bundle of a laptop not yet registered
    may well import once they are.
    """
    t = texts.t
    outcome = row.outcome
    if outcome is None:
        if row.stage == OTHER:
            return t("gui_dm_imp_skipped", reason=reason_text(texts, row.reason or "not_a_bundle"))
        if row.stage == ANSWER:
            return t("gui_dm_imp_answer_ready" if can_enroll else "gui_dm_imp_answer_needs_admin")
        if row.stage == BUNDLE:
            refusal = expected_refusal(row, answers=answers)
            if refusal is not None:
                return t("gui_dm_imp_will_reject", reason=reason_text(texts, refusal))
            return t("gui_dm_imp_ready")
        return ""
    if outcome == IMPORTED:
        text = t("gui_dm_imp_done_imported")
    elif outcome == ALREADY:
        text = t("gui_dm_imp_done_already")
    elif outcome == ENROLLED:
        text = t("gui_dm_imp_done_enrolled")
    elif outcome == ALREADY_ENROLLED:
        text = t("gui_dm_imp_done_already_enrolled")
    elif outcome == NEEDS_ADMIN:
        text = t("gui_dm_imp_answer_needs_admin")
    elif outcome == FAILED:
        text = t("gui_dm_imp_done_failed", reason=texts.reason(row.outcome_reason or "offline"))
    else:
        text = t("gui_dm_imp_done_rejected", reason=reason_text(texts, row.outcome_reason or ""))
    if row.write_problem is not None:
        text += ". " + t(
            "gui_dm_imp_write_problem", problem=t(f"gui_dm_imp_write_{row.write_problem}")
        )
    return text


# --------------------------------------------------------------------------- the page


class ImportPage(QWidget):
    """Pick or drop bundle files, see what they hold, import them, and answer each laptop.

    Signals: none of its own; emits ``ctx.records_changed`` after an import stored something.
    """

    def __init__(self, ctx: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._next_key = 0
        self._generation = 0  # bumped on sign-out / clear: late answers are dropped
        self._previews: deque[int] = deque()
        self._previewing = False
        self._preview_total = 0
        self._imports: deque[int] = deque()
        self._importing = False
        self._import_total = 0
        self._cancel = False
        self._refresh: list[int] = []  # imported rows to read again for their period
        self._tally: dict[str, int] = {}
        self._scanning = 0
        self._refreshing: set[int] = set()  # rows previewed again after their import
        self._progress: tuple[str, int, int] | None = None
        self._message: Callable[[], str] | None = None
        self._message_tone = ""
        self.setAcceptDrops(True)

        self._title = heading(1)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        set_tone(self._intro, "hint")
        self.choose_files_button = QPushButton()
        self.choose_files_button.setObjectName("import_choose_files")
        self.choose_folder_button = QPushButton()
        self.choose_folder_button.setObjectName("import_choose_folder")
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("import_clear")
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_start")
        self.import_button.setDefault(True)
        self.model = ImportTableModel(ctx.texts, can_enroll=lambda: ctx.can("enroll"))
        self.table = QTableView()
        self.table.setObjectName("import_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # the result says why in words: it wraps, and its line grows, rather than being cut
        self.table.setWordWrap(True)
        # Widths and heights are fitted when a batch of answers is in, not on every change:
        # resize-to-contents headers ask every cell again after each row's update.
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.resizeSection(ImportTableModel.FILE, 190)
        header.setSectionResizeMode(ImportTableModel.RESULT, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()
        self.empty.setObjectName("import_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        set_tone(self.empty, "hint")
        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("import_cancel")
        self.message = QLabel()
        self.message.setObjectName("import_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_files_button)
        buttons.addWidget(self.choose_folder_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(progress_row)
        layout.addWidget(self.message)

        self.model.dataChanged.connect(self._on_rows_changed)
        self.choose_files_button.clicked.connect(self._on_choose_files_clicked)
        self.choose_folder_button.clicked.connect(self._on_choose_folder_clicked)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        ctx.signed_in.connect(self._on_signed_in)
        ctx.signed_out.connect(self._on_signed_out)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()
        self._update_controls()

    # ------------------------------------------------------------------ state

    @property
    def busy(self) -> bool:
        """Whether files are being read or imported."""
        return bool(
            self._scanning or self._previewing or self._importing or self._previews or self._imports
        )

    def rows(self) -> list[ImportRow]:
        """Every listed row, in order."""
        return self.model.rows()

    def _allowed(self) -> bool:
        return self._ctx.signed_in_now and self._ctx.can("import")

    def _update_controls(self) -> None:
        allowed = self._allowed()
        working = self.busy
        rows = self.model.rows()
        self.choose_files_button.setEnabled(allowed and not self._importing)
        self.choose_folder_button.setEnabled(allowed and not self._importing)
        self.clear_button.setEnabled(bool(rows) and not working)
        self.import_button.setEnabled(
            allowed and not working and any(row.importable for row in rows)
        )
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        showing = working
        self.progress.setVisible(showing)
        self.progress_label.setVisible(showing)
        self.cancel_button.setVisible(self._importing or bool(self._imports))
        self.cancel_button.setEnabled(not self._cancel)

    @Slot(QModelIndex, QModelIndex)
    def _on_rows_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if top.row() == bottom.row():  # one row answered: its result may wrap to more lines
            self.table.resizeRowToContents(top.row())

    def _fit_table(self) -> None:
        """Fit the columns to what they show, and each line to its wrapped result."""
        for column in range(ImportTableModel.VILLAGE, ImportTableModel.RESULT):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowsToContents()

    # ------------------------------------------------------------------ adding files

    @Slot()
    def _on_choose_files_clicked(self) -> None:
        if not self._allowed():
            return
        t = self._ctx.texts.t
        chosen = self._ctx.prompter.choose_files(
            self, t("gui_dm_imp_choose_files_title"), t("gui_dm_imp_files_filter")
        )
        if chosen:
            self.add_paths(chosen)

    @Slot()
    def _on_choose_folder_clicked(self) -> None:
        if not self._allowed():
            return
        chosen = self._ctx.prompter.choose_directory(
            self, self._ctx.texts.t("gui_dm_imp_choose_folder_title")
        )
        if chosen is not None:
            self.add_paths([chosen])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """List the files named (a folder: its answers and bundles) and preview them."""
        if not self._allowed() or self._importing:
            return
        generation = self._generation
        named = list(paths)
        self._scanning += 1

        def done(found: list[Path]) -> None:
            if generation != self._generation:
                return
            self._scanning -= 1
            self._on_scanned(named, found)

        self._ctx.runner.submit(lambda: scan_inputs(named), done=done)
        self._update_controls()

    def _on_scanned(self, named: list[Path], found: list[Path]) -> None:
        listed = {row.path for row in self.model.rows()}
        new: list[ImportRow] = []
        again: list[ImportRow] = []
        for path in found:
            if path in listed:
                old = next(row for row in self.model.rows() if row.path == path)
                if old.reason == "not_read":  # the server was unreachable: read it again
                    again.append(ImportRow(key=old.key, path=path))
                continue
            listed.add(path)
            new.append(ImportRow(key=self._next_key, path=path))
            self._next_key += 1
        for row in again:
            self.model.update(row)
        new_keys = [row.key for row in (*again, *new)]
        t = self._ctx.texts.t
        if not found:
            where = ", ".join(p.name or str(p) for p in named)
            self._say(lambda: t("gui_dm_imp_nothing_found", where=where), "hint")
        elif not new_keys:
            self._say(lambda: t("gui_dm_imp_already_listed"), "hint")
        else:
            self._say(None)
        self.model.add_rows(new)
        if not self._previewing and not self._previews:
            self._preview_total = 0
        self._preview_total += len(new_keys)
        self._previews.extend(new_keys)
        self._pump_previews()
        self._update_controls()

    # drag and drop: files or folders from a file manager

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if not self._accepts(urls):
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths([Path(url.toLocalFile()) for url in urls if url.isLocalFile()])

    def _accepts(self, urls: list[QUrl]) -> bool:
        return self._allowed() and not self._importing and any(url.isLocalFile() for url in urls)

    # ------------------------------------------------------------------ previews

    def _pump_previews(self) -> None:
        """Preview the next waiting row (one at a time: rows fill in as answers come, and the
        worker stays free for the other pages in between)."""
        if self._previewing:
            return
        client = self._ctx.client
        while self._previews:
            key = self._previews.popleft()
            row = self.model.find(key)
            if row is None or client is None:
                continue
            self._previewing = True
            self._show_progress(
                "gui_dm_imp_reading_progress",
                self._preview_total - len(self._previews) - 1,
                self._preview_total,
            )
            generation = self._generation
            path = row.path

            def work(path: Path = path) -> tuple[_Read, BundlePreview | None]:
                read = _read_file(path)
                if read.stage != READING:
                    return read, None
                try:
                    return read, client.preview_bundle(read.data)
                except ServerRefusedError as exc:
                    if exc.reason in _SESSION_REASONS:
                        raise
                    if exc.reason in ("too_large", "request_too_large"):
                        return _Read(BUNDLE, reason="too_large", signature="too_large"), None
                    return _Read(OTHER, reason=exc.reason), None

            def done(
                answer: tuple[_Read, BundlePreview | None],
                key: int = key,
                generation: int = generation,
            ) -> None:
                self._on_previewed(generation, key, *answer)

            def failed(exc: UserError, key: int = key, generation: int = generation) -> None:
                self._on_preview_failed(generation, key, exc)

            self._ctx.runner.submit(work, done=done, failed=failed)
            break
        self._update_controls()

    def _on_previewed(
        self, generation: int, key: int, read: _Read, preview: BundlePreview | None
    ) -> None:
        if generation != self._generation:
            return
        self._previewing = False
        row = self.model.find(key)
        if key in self._refreshing:
            self._refreshing.discard(key)
            if row is not None and preview is not None and preview.file_kind == "village_bundle":
                # the columns keep what was true before this import
                before = row.already_imported
                self.model.update(replace(row.with_preview(preview), already_imported=before))
            row = None
        if row is not None:
            if preview is not None:
                row = row.with_preview(preview)
                if row.stage == OTHER and row.reason == "enrollment_answer":
                    row = replace(row, stage=ANSWER, reason=None)
            else:
                row = replace(
                    row,
                    stage=read.stage,
                    reason=read.reason,
                    signature=read.signature,
                    device_id=read.device_id,
                )
            self.model.update(row)
        self._after_preview()

    def _on_preview_failed(self, generation: int, key: int, exc: UserError) -> None:
        if generation != self._generation:
            return
        self._previewing = False
        if self._ctx.session_failed(exc):
            return  # signed out: the page is already empty
        failed = [key]
        if isinstance(exc, OfflineError):
            # the server is gone: the other rows would wait for the same timeout each
            failed.extend(self._previews)
            self._previews.clear()
        refreshed = [k for k in failed if k in self._refreshing]
        self._refreshing.difference_update(refreshed)
        unread = [k for k in failed if k not in refreshed]
        if not unread:
            # only the period of imported rows was being read again: they keep their result
            self._after_preview()
            return
        for other in unread:
            found = self.model.find(other)
            if found is not None:
                self.model.update(replace(found, stage=OTHER, reason="not_read"))
        texts = self._ctx.texts
        self._say(lambda: texts.t("gui_dm_imp_not_read", problem=texts.error(exc)), "problem")
        self._after_preview()

    def _after_preview(self) -> None:
        if self._previews:
            if (self._preview_total - len(self._previews)) % 10 == 1:
                self._fit_table()  # the first answer, then every tenth: columns grow as rows fill
            self._pump_previews()
            return
        self._fit_table()
        self._update_controls()
        if not self._importing and not self._imports:
            self._show_counts_ready()

    def _show_counts_ready(self) -> None:
        rows = self.model.rows()
        answers = any(row.stage == ANSWER for row in rows)
        ready = sum(
            1
            for row in rows
            if row.importable
            and row.stage == BUNDLE
            and expected_refusal(row, answers=answers) is None
        )
        if ready and self._message is None:
            t = self._ctx.texts.t
            self._say(lambda: t("gui_dm_imp_ready_count", count=ready), "hint")

    # ------------------------------------------------------------------ import

    @Slot()
    def _on_import_clicked(self) -> None:
        if not self._allowed():
            t = self._ctx.texts.t
            self._say(lambda: t("gui_dm_imp_not_allowed"), "problem")
            return
        if self.busy:
            return
        rows = self.model.rows()
        answers = [row.key for row in rows if row.importable and row.stage == ANSWER]
        bundles = [row.key for row in rows if row.importable and row.stage == BUNDLE]
        if not answers and not bundles:
            return
        self._imports = deque([*answers, *bundles])
        self._import_total = len(self._imports)
        self._cancel = False
        self._refresh = []
        self._tally = {}
        self._say(None)
        self._pump_imports()

    @Slot()
    def _on_cancel_clicked(self) -> None:
        if self._importing or self._imports:
            self._cancel = True
            t = self._ctx.texts.t
            self._say(lambda: t("gui_dm_imp_cancelling"), "hint")
            self._update_controls()

    def _pump_imports(self) -> None:
        """Import the next waiting row; after the last one (or a cancel), say how it went."""
        client = self._ctx.client
        while self._imports and not self._cancel and client is not None:
            key = self._imports.popleft()
            row = self.model.find(key)
            if row is None or not row.importable:
                continue
            if row.stage == ANSWER and not self._ctx.can("enroll"):
                self.model.update(replace(row, outcome=NEEDS_ADMIN))
                self._count(NEEDS_ADMIN)
                continue
            if row.stage == BUNDLE and row.reason is not None:  # too large: never sent
                self.model.update(replace(row, outcome=REJECTED, outcome_reason=row.reason))
                self._count(REJECTED)
                continue
            self._importing = True
            done_count = self._import_total - len(self._imports) - 1
            self._show_progress("gui_dm_imp_importing_progress", done_count, self._import_total)
            generation = self._generation
            if row.stage == ANSWER:
                self._submit_answer(client, row, generation)
            else:
                self._submit_bundle(client, row, generation)
            self._update_controls()
            return
        self._finish_imports()

    def _submit_answer(self, client: Any, row: ImportRow, generation: int) -> None:
        path = row.path

        def work() -> EnrollmentAnswer | str:
            read = _read_file(path)
            if read.stage != ANSWER:
                return read.reason or "answer_invalid"
            try:
                answer: EnrollmentAnswer = client.import_enrollment_answer(read.data)
            except ServerRefusedError as exc:
                if exc.reason in _SESSION_REASONS:
                    raise
                return exc.reason
            return answer

        def done(answer: EnrollmentAnswer | str) -> None:
            if generation != self._generation:
                return
            self._importing = False
            found = self.model.find(row.key)
            if found is not None:
                if isinstance(answer, str):
                    found = replace(found, outcome=REJECTED, outcome_reason=answer)
                else:
                    found = replace(
                        found,
                        outcome=ENROLLED if answer.status == "enrolled" else ALREADY_ENROLLED,
                        device_id=answer.device_id,
                        village=answer.village,
                        village_name=answer.village_name,
                    )
                self.model.update(found)
                self._count(found.outcome or REJECTED)
            self._pump_imports()

        self._ctx.runner.submit(work, done=done, failed=self._import_failed(row.key, generation))

    def _submit_bundle(self, client: Any, row: ImportRow, generation: int) -> None:
        path = row.path

        def work() -> _Imported:
            read = _read_file(path)
            if read.stage != READING:
                return _Imported(None, reason=read.reason or "file_unreadable")
            try:
                outcome: ImportOutcome = client.import_bundle(read.data)
            except ServerRefusedError as exc:
                if exc.reason in _SESSION_REASONS:
                    raise
                return _Imported(None, reason=exc.reason)
            written: tuple[Path, ...] = ()
            problem = None
            if outcome.receipt is not None and outcome.device_id is not None:
                written, problem = write_back(path.parent, outcome)
            return _Imported(outcome, written=written, write_problem=problem)

        def done(result: _Imported) -> None:
            if generation != self._generation:
                return
            self._importing = False
            found = self.model.find(row.key)
            if found is not None:
                if found.period_from is None and result.outcome is not None:
                    # previewed before its laptop was registered (or never opened): read it
                    # again once the whole run is done, for its period
                    self._refresh.append(found.key)
                found = _with_import(found, result)
                self.model.update(found)
                self._count(found.outcome or REJECTED)
                if found.write_problem is not None:
                    self._count("write_problem")
            self._pump_imports()

        self._ctx.runner.submit(work, done=done, failed=self._import_failed(row.key, generation))

    def _import_failed(self, key: int, generation: int) -> Callable[[UserError], None]:
        def failed(exc: UserError) -> None:
            if generation != self._generation:
                return
            self._importing = False
            if self._ctx.session_failed(exc):
                return
            found = self.model.find(key)
            if found is not None:
                self.model.update(replace(found, outcome=FAILED, outcome_reason=exc.code))
                self._count(FAILED)
            if isinstance(exc, OfflineError):
                self._cancel = True  # the next ones would fail the same way
                self._tally["offline"] = 1
            self._pump_imports()

        return failed

    def _count(self, outcome: str) -> None:
        self._tally[outcome] = self._tally.get(outcome, 0) + 1

    def _finish_imports(self) -> None:
        left = sum(1 for key in self._imports if (row := self.model.find(key)) and row.importable)
        self._imports.clear()
        self._importing = False
        cancelled, self._cancel = self._cancel, False
        tally = dict(self._tally)
        self._fit_table()
        self._update_controls()
        if not tally and not left:
            return
        enrolled = tally.get(ENROLLED, 0) + tally.get(ALREADY_ENROLLED, 0)
        # a refused file is said on its row (in red); the line is red only when something
        # the officer must still do is left: a server failure, a receipt not written
        problem = tally.get(FAILED) or tally.get("write_problem")
        clean = not (problem or tally.get(REJECTED) or tally.get(NEEDS_ADMIN) or left)
        texts = self._ctx.texts
        self._say(
            lambda: summary_text(texts, tally, left=left if cancelled else 0),
            "problem" if problem else "success" if clean else "",
        )
        if tally.get(IMPORTED) or enrolled:
            self._ctx.records_changed.emit()
        if self._refresh:
            self._refreshing.update(self._refresh)
            self._preview_total = len(self._refresh)
            self._previews.extend(self._refresh)
            self._refresh = []
            self._pump_previews()

    def _show_progress(self, code: str, done: int, total: int) -> None:
        self._progress = (code, done, total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(max(0, min(done, total)))
        self._render_progress()

    def _render_progress(self) -> None:
        if self._progress is None:
            self.progress_label.clear()
            return
        code, done, total = self._progress
        self.progress_label.setText(
            self._ctx.texts.t(code, number=min(done + 1, total), total=total)
        )

    def _say(self, build: Callable[[], str] | None, tone: str = "") -> None:
        """Show a message under the table (built again when the language changes)."""
        self._message = build
        self._message_tone = tone
        self._render_message()

    def _render_message(self) -> None:
        text = self._message() if self._message is not None else ""
        self.message.setText(text)
        set_tone(self.message, self._message_tone)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ session, texts

    @Slot()
    def _on_clear_clicked(self) -> None:
        if self.busy:
            return
        self._forget()

    @Slot()
    def _on_signed_in(self) -> None:
        self._forget()

    @Slot()
    def _on_signed_out(self) -> None:
        self._forget()

    def _forget(self) -> None:
        """Drop every row and every answer still on its way."""
        self._generation += 1
        self._previews.clear()
        self._imports.clear()
        self._previewing = self._importing = self._cancel = False
        self._scanning = 0
        self._refresh = []
        self._refreshing.clear()
        self._tally = {}
        self._progress = None
        self.model.set_rows([])
        self._say(None)
        self._update_controls()

    @Slot()
    def _retranslate(self) -> None:
        t = self._ctx.texts.t
        self._title.setText(t("gui_dm_nav_import"))
        self._intro.setText(t("gui_dm_imp_intro"))
        self.choose_files_button.setText(t("gui_dm_imp_choose_files"))
        self.choose_folder_button.setText(t("gui_dm_imp_choose_folder"))
        self.clear_button.setText(t("gui_dm_imp_clear"))
        self.import_button.setText(t("gui_dm_imp_start"))
        self.cancel_button.setText(t("gui_cancel"))
        self.empty.setText(t("gui_dm_imp_empty"))
        self._render_message()
        self._render_progress()
        if self.model.rowCount():
            self._fit_table()


def summary_text(texts: Texts, tally: dict[str, int], *, left: int = 0) -> str:
    """The line after an import: "12 diimpor, 3 sudah pernah, 1 ditolak." and what else to
    know (laptops registered, answers waiting for an administrator, files not written,
    bundles left by a cancel)."""
    t = texts.t
    parts = [
        t("gui_dm_imp_sum_imported", count=tally.get(IMPORTED, 0)),
        t("gui_dm_imp_sum_already", count=tally.get(ALREADY, 0)),
        t("gui_dm_imp_sum_rejected", count=tally.get(REJECTED, 0)),
    ]
    if tally.get(FAILED):
        parts.append(t("gui_dm_imp_sum_failed", count=tally[FAILED]))
    enrolled = tally.get(ENROLLED, 0)  # "already registered" is said on its row only
    if enrolled:
        parts.append(t("gui_dm_imp_sum_enrolled", count=enrolled))
    if tally.get(NEEDS_ADMIN):
        parts.append(t("gui_dm_imp_sum_needs_admin", count=tally[NEEDS_ADMIN]))
    text = ", ".join(parts) + "."
    if tally.get("write_problem"):
        text += " " + t("gui_dm_imp_sum_write_problem", count=tally["write_problem"])
    if left:
        code = "gui_dm_imp_sum_offline" if tally.get("offline") else "gui_dm_imp_sum_cancelled"
        text += " " + t(code, count=left)
    elif tally.get(IMPORTED) or tally.get(ALREADY):
        text += " " + t("gui_dm_imp_sum_take_back")
    return text


def _with_import(row: ImportRow, result: _Imported) -> ImportRow:
    """The row after its import: outcome, what the server said about the bundle, files."""
    outcome = result.outcome
    if outcome is None:
        return replace(row, outcome=REJECTED, outcome_reason=result.reason)
    counted = outcome.status != REJECTED
    return replace(
        row,
        outcome=outcome.status if outcome.status in (IMPORTED, ALREADY) else REJECTED,
        outcome_reason=outcome.reason,
        device_id=row.device_id or outcome.device_id,
        village=row.village or outcome.village,
        village_name=row.village_name or outcome.village_name,
        cases=row.cases if row.cases is not None or not counted else outcome.counts.cases,
        outreach=(
            row.outreach if row.outreach is not None or not counted else outcome.counts.outreach
        ),
        written=result.written,
        write_problem=result.write_problem,
    )
