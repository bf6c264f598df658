"""First run: language, village, user name, passphrase, recovery code, optional enrollment."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.storage.store import Store
from desktop.ui import ops
from desktop.ui.context import AppContext
from desktop.ui.enrollform import EnrollForm
from desktop.ui.passphrase import PassphraseFields
from desktop.ui.printing import print_recovery_sheet
from desktop.ui.widgets import VillagePicker, busy_bar, set_tone
from simpul.errors import UserError
from simpul.records.wilayah import Village

__all__ = ["SetupWizard"]

_MAX_USER_NAME_BYTES = 254  # the vault's sealed name block (vault._MAX_USER_NAME_BYTES)


class _Page(QWizardPage):
    """A page that sets its texts from the catalogue, again when the language changes."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.texts.changed.connect(self._retranslate)

    @Slot()
    def _retranslate(self) -> None:
        raise NotImplementedError


class LanguagePage(_Page):
    """Bahasa Indonesia (default) or English; the rest of the wizard follows at once."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.indonesian = QRadioButton()
        self.indonesian.setObjectName("language_id")
        self.english = QRadioButton()
        self.english.setObjectName("language_en")
        (self.english if ctx.texts.lang == "en" else self.indonesian).setChecked(True)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addSpacing(12)
        layout.addWidget(self.indonesian)
        layout.addWidget(self.english)
        layout.addStretch(1)
        self.indonesian.toggled.connect(self._on_language_toggled)
        self._retranslate()

    @Slot(bool)
    def _on_language_toggled(self, _checked: bool) -> None:
        self.ctx.update_settings(language="id" if self.indonesian.isChecked() else "en")

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_welcome"))
        self.setSubTitle(t("gui_wizard_language_sub"))
        self._intro.setText(t("gui_wizard_intro"))
        self.indonesian.setText(t("gui_language_id"))
        self.english.setText(t("gui_language_en"))


class VillagePage(_Page):
    """The village from Pemalang's list: filter by kecamatan, search as you type."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.picker = VillagePicker(ctx.texts)
        self.kecamatan = self.picker.kecamatan
        self.search = self.picker.search
        self.list = self.picker.list
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        self.picker.changed.connect(self.completeChanged)
        self._retranslate()

    def selected(self) -> Village | None:
        """The village chosen, if any."""
        return self.picker.selected()

    def isComplete(self) -> bool:
        return self.selected() is not None

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_village"))
        self.setSubTitle(t("gui_wizard_village_sub"))


class UserPage(_Page):
    """The name this user's changes carry in the record history."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.name = QLineEdit()
        self.name.setObjectName("user_name")
        self._label = QLabel()
        self._label.setBuddy(self.name)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        set_tone(self._hint, "hint")
        form = QFormLayout(self)
        form.addRow(self._label, self.name)
        form.addRow("", self._hint)
        self.name.textChanged.connect(self.completeChanged)
        self._retranslate()

    def user(self) -> str:
        """The name typed (trimmed)."""
        return self.name.text().strip()

    def isComplete(self) -> bool:
        name = self.user()
        return (
            bool(name)
            and len(name.encode("utf-8")) <= _MAX_USER_NAME_BYTES
            and all(unicodedata.category(c) != "Cc" for c in name)
        )

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_user"))
        self.setSubTitle(t("gui_wizard_user_sub"))
        self._label.setText(t("gui_user_name"))
        self._hint.setText(t("gui_user_name_hint"))


class PassphrasePage(_Page):
    """The passphrase, typed twice; going on from here makes the profile (no way back)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.fields = PassphraseFields(ctx.texts)
        self._why = QLabel()
        self._why.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._why)
        layout.addSpacing(8)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        self.setCommitPage(True)
        self.fields.changed.connect(self.completeChanged)
        self._retranslate()

    def isComplete(self) -> bool:
        return self.fields.acceptable

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_passphrase"))
        self.setSubTitle(t("gui_wizard_passphrase_sub"))
        self._why.setText(t("gui_wizard_passphrase_why"))
        self.setButtonText(QWizard.WizardButton.CommitButton, t("gui_wizard_create"))


class RecoveryPage(_Page):
    """Makes the profile (key derivation calibrated on this laptop), then shows the recovery
    code once, with Print and an "I have written it down" confirmation."""

    def __init__(self, ctx: AppContext, wizard: SetupWizard) -> None:
        super().__init__(ctx)
        self._wizard = wizard
        self._code = ""
        self._started = False
        self.busy = busy_bar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._explain = QLabel()
        self._explain.setWordWrap(True)
        self.code_label = QLabel()
        self.code_label.setObjectName("recovery_code")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_recovery_code")
        self.written = QCheckBox()
        self.written.setObjectName("recovery_written")
        self.retry = QPushButton()
        self.retry.setObjectName("retry_create")
        self.printed = QLabel()
        set_tone(self.printed, "success")
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.printed, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.retry)
        layout.addWidget(self._explain)
        layout.addWidget(self.code_label)
        layout.addLayout(row)
        layout.addWidget(self.written)
        layout.addStretch(1)
        self.setCommitPage(True)
        self._show_code(False)
        self.retry.hide()
        self.print_button.clicked.connect(self._on_print_clicked)
        self.written.toggled.connect(self.completeChanged)
        self.retry.clicked.connect(self._on_retry_clicked)
        self._retranslate()

    @property
    def created(self) -> bool:
        """The profile exists."""
        return self._wizard.store is not None

    def initializePage(self) -> None:
        if not self._started:
            self._create()

    def isComplete(self) -> bool:
        return self.created and self.written.isChecked()

    def validatePage(self) -> bool:
        # The code is shown once: forget it when the user moves on.
        self._code = ""
        self.code_label.clear()
        return True

    def _create(self) -> None:
        self._started = True
        self.retry.hide()
        self.busy.show()
        set_tone(self.status, "")
        self.status.setText(self.ctx.texts.t("gui_wizard_creating"))
        village = self._wizard.village_page.selected()
        assert village is not None
        ops.create_profile(
            self.ctx,
            village=village.code,
            user=self._wizard.user_page.user(),
            passphrase=self._wizard.passphrase_page.fields.passphrase(),
            done=self._on_created,
            failed=self._on_failed,
        )

    def _on_created(self, created: ops.Created) -> None:
        self._wizard.take_created(created.store)
        self._wizard.passphrase_page.fields.clear()
        self._code = created.recovery_code
        self.busy.hide()
        self.status.setText(self.ctx.texts.t("gui_wizard_created"))
        self.code_label.setText(self._code)
        self._show_code(True)
        self.completeChanged.emit()

    def _on_failed(self, exc: UserError) -> None:
        self._started = False
        self.busy.hide()
        set_tone(self.status, "problem")
        self.status.setText(self.ctx.texts.error(exc))
        self.retry.show()

    def _show_code(self, shown: bool) -> None:
        for widget in (self._explain, self.code_label, self.print_button, self.written):
            widget.setVisible(shown)

    @Slot()
    def _on_retry_clicked(self) -> None:
        self._create()

    @Slot()
    def _on_print_clicked(self) -> None:
        village = self._wizard.village_page.selected()
        print_recovery_sheet(
            self.ctx,
            self,
            code=self._code,
            village=village.name if village else "",
            result=self.printed,
        )

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_recovery"))
        self.setSubTitle(t("gui_wizard_recovery_sub"))
        self._explain.setText(t("gui_wizard_recovery_explain"))
        self.print_button.setText(t("gui_print"))
        self.written.setText(t("gui_wizard_recovery_written"))
        self.retry.setText(t("gui_try_again"))
        self.setButtonText(QWizard.WizardButton.CommitButton, t("gui_next"))
        if self._started and not self.created:
            self.status.setText(t("gui_wizard_creating"))
        elif self.created:
            self.status.setText(t("gui_wizard_created"))


class EnrollPage(_Page):
    """Optional: enroll with the district now (server and code, or a file), or later."""

    def __init__(self, ctx: AppContext, wizard: SetupWizard) -> None:
        super().__init__(ctx)
        self._wizard = wizard
        self._enrolled = False
        self.form = EnrollForm(ctx, allow_skip=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.changed.connect(self.completeChanged)
        self.form.enrolled.connect(self._on_enrolled)
        self._retranslate()

    def isComplete(self) -> bool:
        return self._enrolled or self.form.ready

    def validatePage(self) -> bool:
        if self._enrolled or self.form.mode == "skip":
            return True
        store = self._wizard.store
        assert store is not None
        self.form.start(store)  # finishes the wizard when it succeeds
        return False

    @Slot(object)
    def _on_enrolled(self, _enrollment: object) -> None:
        self._enrolled = True
        self._wizard.accept()

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setTitle(t("gui_wizard_enroll"))
        self.setSubTitle(t("gui_wizard_enroll_sub"))


class SetupWizard(QWizard):
    """The first-run wizard. After it, :attr:`store` holds the new, unlocked profile."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store: Store | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.language_page = LanguagePage(ctx)
        self.village_page = VillagePage(ctx)
        self.user_page = UserPage(ctx)
        self.passphrase_page = PassphrasePage(ctx)
        self.recovery_page = RecoveryPage(ctx, self)
        self.enroll_page = EnrollPage(ctx, self)
        for page in (
            self.language_page,
            self.village_page,
            self.user_page,
            self.passphrase_page,
            self.recovery_page,
            self.enroll_page,
        ):
            self.addPage(page)
        self.resize(680, 560)
        ctx.texts.changed.connect(self._retranslate)
        self._retranslate()

    def take_created(self, store: Store) -> None:
        """The profile was made: there is nothing to cancel any more."""
        self.store = store
        self.setOption(QWizard.WizardOption.NoCancelButton, True)

    def reject(self) -> None:
        if self.store is None:
            if not self.recovery_page.busy.isVisible():  # creating: wait for it
                super().reject()
            return
        # The profile exists: closing the window on the last page skips enrollment; before
        # it, the recovery code must be confirmed first.
        if self.currentPage() is self.enroll_page and not self.enroll_page.form.running:
            self.enroll_page.form.skip.setChecked(True)
            self.accept()

    @Slot()
    def _retranslate(self) -> None:
        t = self.ctx.texts.t
        self.setWindowTitle(t("gui_wizard_title"))
        self.setButtonText(QWizard.WizardButton.BackButton, t("gui_back"))
        self.setButtonText(QWizard.WizardButton.NextButton, t("gui_next"))
        self.setButtonText(QWizard.WizardButton.FinishButton, t("gui_finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, t("gui_cancel"))
        self.setButtonText(QWizard.WizardButton.CommitButton, t("gui_next"))
