"""Errors of the bundle package: one base, and a typed rejection for every way a file is wrong.

:class:`BundleRejectedError` is the calm, expected failure: a file that is not a bundle, was cut
short, was changed on the way, is for someone else, or was signed by a key we do not trust. Its
``code`` is one of :class:`RejectionCode`; the UI and CLI translate the code, never the English
message. Nothing else escapes :func:`simpul.bundle.open_bundle` or
:func:`simpul.bundle.verify_receipt` for bad input: no ``ValueError``, ``KeyError``,
``InvalidTag`` or ``struct.error``.
"""

from __future__ import annotations

from enum import StrEnum

from simpul.errors import Error, UserError

__all__ = [
    "BundleError",
    "BundleRejectedError",
    "BundleTooLargeError",
    "KeyFormatError",
    "ReceiptRejectedError",
    "RejectionCode",
]


class RejectionCode(StrEnum):
    """Stable codes of :class:`BundleRejectedError` (documented in ``docs/bundle-format.md``)."""

    NOT_A_BUNDLE = "not_a_bundle"
    """The file does not start with the bundle magic bytes."""
    NOT_A_RECEIPT = "not_a_receipt"
    """The file does not start with the receipt magic bytes."""
    UNSUPPORTED_VERSION = "unsupported_version"
    """The format version is unknown (a newer Simpul wrote it, or the byte was damaged)."""
    UNSUPPORTED_SUITE = "unsupported_suite"
    """The cipher suite named in the header is unknown."""
    TRUNCATED = "truncated"
    """The file is shorter than its header says: cut off during copy or download."""
    TAMPERED = "tampered"
    """Authentication failed: a byte was changed, chunks were reordered, duplicated or added."""
    NOT_FOR_US = "not_for_us"
    """No stanza of the file is for our key: it was sealed to another district or device."""
    UNKNOWN_SENDER = "unknown_sender"
    """The signing key is not trusted (not enrolled, or revoked)."""
    BAD_SIGNATURE = "bad_signature"
    """The signature does not verify with the key of the claimed signer."""
    TOO_LARGE = "too_large"
    """The file is larger than the limit; nothing was decrypted."""
    DECOMPRESSION_BOMB = "decompression_bomb"
    """The compressed changes expand beyond the limit."""
    MALFORMED_CONTENT = "malformed_content"
    """Correctly signed, but the content breaks the format (bad JSON, bad changes)."""
    BAD_HEADER = "bad_header"
    """A header field is out of range or inconsistent (before any signature could be checked)."""


class BundleError(Error):
    """Base of every exception the bundle package raises on purpose."""


class KeyFormatError(BundleError):
    """Key bytes have the wrong length or do not form a valid key."""


class BundleTooLargeError(BundleError):
    """Sealing refused: the bundle would be larger than the receiver's limits (split it first)."""


class BundleRejectedError(BundleError, UserError):
    """A bundle (or receipt) file cannot be accepted; ``code`` says why.

    Attributes:
        code: A :class:`RejectionCode` value (a ``str``).
        params: Values for the message placeholders (never person data).
    """

    def __init__(self, code: RejectionCode, message: str, **params: object) -> None:
        """Create the error.

        Args:
            code: Why the file is refused.
            message: English source text with ``{name}`` placeholders filled from ``params``.
            **params: Placeholder values: sizes, offsets, versions, key ids.
        """
        super().__init__(code, message, **params)
        self.code: RejectionCode = code

    def __str__(self) -> str:
        message = str(self.args[0]) if self.args else ""
        try:
            return f"{self.code}: {message.format(**self.params)}"
        except (KeyError, IndexError, ValueError):
            return f"{self.code}: {message}"


class ReceiptRejectedError(BundleRejectedError):
    """A receipt file cannot be accepted; ``code`` says why."""
