"""Base exceptions shared by every Simpul package: expected failures carry a code, not prose."""

from __future__ import annotations


class Error(Exception):
    """Base of every exception Simpul raises on purpose."""


class UserError(Error):
    """A failure the user can act on (wrong passphrase, unknown village, bad input).

    ``code`` is a stable identifier the UI and CLI translate; ``params`` fill the message.
    """

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
