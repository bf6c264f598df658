"""argparse's own words in Indonesian, for both commands (``simpul`` and ``simpul-district``).

argparse looks up "usage:", "options", "show this help message and exit" and its error messages
through its module-level gettext functions ``_`` and ``ngettext`` at the moment it uses them;
:func:`argparse_language` swaps them for this catalogue's while a parser is built and run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = ["ARGPARSE_ID", "argparse_language", "argparse_text", "lang_option"]

ARGPARSE_ID: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "optional arguments": "opsi",
    "subcommands": "subperintah",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "perintah tidak dikenal: %(parser_name)r (pilihan: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai tidak sah: %(value)r",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "perlu paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
}
"""argparse's message ids (Python 3.11–3.13) → Indonesian; placeholders kept."""


def argparse_text(message: str, lang: str) -> str:
    """argparse's message ``message`` (a gettext id of argparse) in ``lang``."""
    return ARGPARSE_ID.get(message, message) if lang == "id" else message


def lang_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` (or an abbreviation argparse accepts), if any.

    The help texts are built before argparse reads ``--lang``, so it is looked up first.
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if len(name) >= 3 and "--lang".startswith(name):
            if eq:
                return value
            return argv[i + 1] if i + 1 < len(argv) else None
    return None


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own words in ``lang`` while the block runs (put back afterwards)."""
    if lang == "en":
        yield
        return
    saved = {name: vars(argparse)[name] for name in ("_", "ngettext") if name in vars(argparse)}

    def gettext(message: str) -> str:
        return argparse_text(message, lang) if isinstance(message, str) else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return argparse_text(singular if n == 1 else plural, lang)

    replacements: dict[str, Callable[..., str]] = {"_": gettext, "ngettext": ngettext}
    try:
        for name in saved:
            setattr(argparse, name, replacements[name])
        yield
    finally:
        for name, original in saved.items():
            setattr(argparse, name, original)
