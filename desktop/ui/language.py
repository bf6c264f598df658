"""The language of the screens: one catalogue (``desktop/i18n.py``) shared with the command line.

Every visible string goes through :meth:`Texts.t` with a stable code; the catalogue holds the
English and Indonesian text of each code, so one code has one wording in the CLI and on screen.
Qt's own words (the context menu of a text field, standard dialog buttons) are looked up in the
same catalogue by :class:`QtWordsTranslator`, since Qt ships no Indonesian translation.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, QTranslator, Signal

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, translate
from simpul.errors import UserError

__all__ = ["QtWordsTranslator", "Texts"]


def _set_qt_locale(lang: str) -> None:
    """Qt's own month and day names (the date picker) follow the screen's language."""
    if lang == "id":
        QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


class Texts(QObject):
    """The current language and the lookup of codes in it.

    Signals:
        changed: The language changed; widgets set their texts again.
    """

    changed = Signal()

    def __init__(self, lang: str = DEFAULT_LANGUAGE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.missing: set[str] = set()
        """Codes asked for that the catalogue lacks (a test keeps this empty)."""
        _set_qt_locale(self._lang)

    @property
    def lang(self) -> str:
        """``id`` or ``en``."""
        return self._lang

    def set_language(self, lang: str) -> None:
        """Switch language; every widget listening to :attr:`changed` retranslates itself."""
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        if lang != self._lang:
            self._lang = lang
            _set_qt_locale(lang)
            self.changed.emit()

    def t(self, code: str, /, **params: object) -> str:
        """The text of ``code`` in the current language, placeholders filled from ``params``."""
        if code not in MESSAGES:
            self.missing.add(code)
        return translate(code, self._lang, params)

    def error(self, exc: UserError) -> str:
        """The message of an expected failure, as the screens word it.

        A screen may word a code differently from the CLI (``gui_err_<code>``: no command
        names); otherwise the shared message is used.
        """
        screen = f"gui_err_{exc.code}"
        code = screen if screen in MESSAGES else exc.code
        if code not in MESSAGES:
            self.missing.add(code)
        return translate(code, self._lang, exc.params, fallback=str(exc))

    def reason(self, code: str) -> str:
        """An error or refusal code (from a sync event or a file outcome) as text."""
        screen = f"gui_err_{code}"
        code = screen if screen in MESSAGES else code
        if code not in MESSAGES:
            self.missing.add(code)
        return translate(code, self._lang)

    def label(self, list_name: str, code: object) -> str:
        """The label of a taxonomy code (a status, a violence type); ``-`` for none."""
        from simpul.records.taxonomy import UnknownCodeError, UnknownListError, load_taxonomy

        if code is None or code == "":
            return "-"
        try:
            return load_taxonomy().label(
                list_name, str(code), lang="en" if self._lang == "en" else "id"
            )
        except (UnknownCodeError, UnknownListError):
            return str(code)  # a code from a newer Simpul: shown as is


# Qt's own words, by (context, source text) -> catalogue code. Qt looks them up through the
# installed translators whenever it builds a context menu or a standard button.
_QT_WORDS: dict[tuple[str, str], str] = {
    ("QLineEdit", "&Undo"): "gui_qt_undo",
    ("QLineEdit", "&Redo"): "gui_qt_redo",
    ("QLineEdit", "Cu&t"): "gui_qt_cut",
    ("QLineEdit", "&Copy"): "gui_qt_copy",
    ("QLineEdit", "&Paste"): "gui_qt_paste",
    ("QLineEdit", "Delete"): "gui_qt_delete",
    ("QLineEdit", "Select All"): "gui_qt_select_all",
    ("QWidgetTextControl", "&Undo"): "gui_qt_undo",
    ("QWidgetTextControl", "&Redo"): "gui_qt_redo",
    ("QWidgetTextControl", "Cu&t"): "gui_qt_cut",
    ("QWidgetTextControl", "&Copy"): "gui_qt_copy",
    ("QWidgetTextControl", "Copy &Link Location"): "gui_qt_copy_link",
    ("QWidgetTextControl", "&Paste"): "gui_qt_paste",
    ("QWidgetTextControl", "Delete"): "gui_qt_delete",
    ("QWidgetTextControl", "Select All"): "gui_qt_select_all",
    ("QPlatformTheme", "OK"): "gui_ok",
    ("QPlatformTheme", "Cancel"): "gui_cancel",
    ("QPlatformTheme", "Close"): "gui_close",
    ("QPlatformTheme", "&Yes"): "gui_yes",
    ("QPlatformTheme", "&No"): "gui_no",
    ("QPlatformTheme", "Save"): "gui_save",
    ("QPlatformTheme", "Help"): "gui_help",
}


class QtWordsTranslator(QTranslator):
    """Qt's own strings (context menus, standard buttons) from the shared catalogue."""

    def __init__(self, texts: Texts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        code = _QT_WORDS.get((context, source))
        if code is None:
            return None  # not ours: Qt keeps its own text
        return self._texts.t(code)
