"""Typed, translatable failures of the sync layer (codes are translated in ``desktop.i18n``)."""

from __future__ import annotations

from simpul.errors import UserError

__all__ = [
    "EnrollmentError",
    "FileRejectedError",
    "NotEnrolledError",
    "OfflineError",
    "ServerError",
    "ServerKeysChangedError",
    "ServerRefusedError",
    "SyncCancelledError",
    "SyncError",
]


class SyncError(UserError):
    """Base of every expected sync failure."""


class NotEnrolledError(SyncError):
    """The laptop has not been enrolled with a district yet."""

    def __init__(self, code: str = "not_enrolled") -> None:
        super().__init__(code, "this laptop is not enrolled with a district yet")


class EnrollmentError(SyncError):
    """Enrollment could not be done (bad file, another village, already enrolled…)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, f"enrollment failed: {code}", **params)


class ServerKeysChangedError(SyncError):
    """The server presents other keys than the ones pinned at enrollment."""

    def __init__(self) -> None:
        super().__init__("server_keys_changed", "the server's keys differ from the pinned keys")


class OfflineError(SyncError):
    """The server cannot be reached (no network, server down, connection cut): a state."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("offline", f"the district server cannot be reached {detail}".strip())
        self.detail = detail


class ServerError(SyncError):
    """The server answered with an error that retrying did not cure (5xx, bad answer)."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(
            "server_error", f"the server answered {status} {detail}".strip(), status=status
        )


class ServerRefusedError(SyncError):
    """The server refused the request for a reason it named (revoked device, bad token…)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        code = f"refused_{reason}"
        super().__init__(code, f"the server refused: {reason}", reason=reason, status=status)
        self.reason = reason


class FileRejectedError(SyncError):
    """A receipt or return bundle file was refused (tampered, for another device…)."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(f"file_{reason}", f"the file was refused: {reason}", **params)
        self.reason = reason


class SyncCancelledError(SyncError):
    """The user cancelled the sync between two batches (what was done is kept)."""

    def __init__(self) -> None:
        super().__init__("sync_cancelled", "sync cancelled")
