"""Typed errors of the district server: every expected failure has a stable code to translate."""

from __future__ import annotations

from typing import ClassVar

from simpul.errors import Error, UserError

__all__ = [
    "AccessDeniedError",
    "AlreadyInitializedError",
    "BackupError",
    "BadCredentialsError",
    "DatabaseBusyError",
    "DeviceExistsError",
    "DeviceRevokedError",
    "DistrictError",
    "DistrictUserError",
    "EnrollmentCodeError",
    "InvalidKeyError",
    "KeysCorruptError",
    "NotInitializedError",
    "RecordNotFoundError",
    "SessionExpiredError",
    "TooManyAttemptsError",
    "UnknownDeviceError",
    "UnknownRoleError",
    "UserExistsError",
    "ValidationFailedError",
    "WeakPasswordError",
    "WrongPassphraseError",
]


class DistrictError(Error):
    """Base of every exception the district package raises on purpose."""


class DistrictUserError(UserError, DistrictError):
    """A district failure the operator, a staff member or a device can act on.

    Subclasses set ``default_code`` and ``default_message``; both can be overridden per
    instance. ``params`` fill the message and never hold person data.

    Args:
        code: Stable identifier the UI and CLI translate; defaults to ``default_code``.
        message: English text with ``{placeholders}``; defaults to ``default_message``.
        **params: Placeholder values.
    """

    default_code: ClassVar[str] = "district_error"
    default_message: ClassVar[str] = "The district server failed."

    def __init__(
        self, code: str | None = None, message: str | None = None, **params: object
    ) -> None:
        super().__init__(code or self.default_code, message or self.default_message, **params)

    def __str__(self) -> str:
        message = str(self.args[0]) if self.args else ""
        try:
            return f"{self.code}: {message.format(**self.params)}"
        except (KeyError, IndexError, ValueError):
            return f"{self.code}: {message}"


class WrongPassphraseError(DistrictUserError):
    """The server passphrase does not open the key file."""

    default_code = "wrong_passphrase"
    default_message = "The server passphrase is wrong."


class KeysCorruptError(DistrictUserError):
    """The key file is unreadable, of an unknown version, or was modified."""

    default_code = "keys_corrupt"
    default_message = "The district key file is damaged or was modified."


class NotInitializedError(DistrictUserError):
    """The data directory holds no district (run ``simpul-district init`` first)."""

    default_code = "not_initialized"
    default_message = "No district server was set up in {data_dir}."


class AlreadyInitializedError(DistrictUserError):
    """``init`` was asked for a data directory that already holds a district."""

    default_code = "already_initialized"
    default_message = "A district server is already set up in {data_dir}."


class DatabaseBusyError(DistrictUserError):
    """The database stayed locked or kept conflicting after several retries."""

    default_code = "database_busy"
    default_message = "The database is busy; try again."


class EnrollmentCodeError(DistrictUserError):
    """An enrollment code is unknown, expired or already used (``code`` says which)."""

    default_code = "enrollment_code_unknown"
    default_message = "The enrollment code is not valid."


class EnrollmentAnswerError(DistrictUserError):
    """An enrollment answer file that cannot be used (damaged, or for another district)."""

    default_code = "answer_invalid"
    default_message = "The file is not a Simpul enrollment answer, or it is damaged."


class InvalidKeyError(DistrictUserError):
    """A device sent public key bytes that are not a valid key."""

    default_code = "invalid_device_key"
    default_message = "The device's {which} public key is not valid."


class DeviceExistsError(DistrictUserError):
    """The device id or signing key is already enrolled."""

    default_code = "device_exists"
    default_message = "This device (or its key) is already enrolled."


class UnknownDeviceError(DistrictUserError):
    """No enrolled device has this id or token."""

    default_code = "unknown_device"
    default_message = "The device is not enrolled here."


class DeviceRevokedError(DistrictUserError):
    """The device was revoked: it can no longer sync."""

    default_code = "device_revoked"
    default_message = "This device was revoked by the district."


class BadCredentialsError(DistrictUserError):
    """A staff name and password do not match (the message never says which was wrong)."""

    default_code = "bad_credentials"
    default_message = "The name or the password is wrong."


class SessionExpiredError(DistrictUserError):
    """A staff session token is unknown or expired: sign in again."""

    default_code = "session_expired"
    default_message = "The session has ended; sign in again."


class AccessDeniedError(DistrictUserError):
    """The staff member's role does not allow this action."""

    default_code = "access_denied"
    default_message = "Your role ({role}) does not allow {action}."


class UnknownRoleError(DistrictUserError):
    """A staff role is not one of admin, staff, viewer."""

    default_code = "unknown_role"
    default_message = "{role} is not a role (admin, staff, viewer)."


class UserExistsError(DistrictUserError):
    """A staff account with this name exists already."""

    default_code = "user_exists"
    default_message = "A staff account with this name exists already."


class WeakPasswordError(DistrictUserError):
    """A staff password or server passphrase is too short."""

    default_code = "weak_password"
    default_message = "Use at least {min_length} characters."


class RecordNotFoundError(DistrictUserError):
    """No record with this id is held by the district."""

    default_code = "record_not_found"
    default_message = "The record was not found."


class ValidationFailedError(DistrictUserError):
    """A follow-up document breaks the record rules; ``problems`` lists every problem."""

    default_code = "validation_failed"
    default_message = "The record has {count} problem(s)."


class TooManyAttemptsError(DistrictUserError):
    """Too many failed sign-ins or enrollment codes lately: wait ``retry_after`` seconds.

    ``code`` says which: ``too_many_logins`` or ``too_many_enrollments``.
    """

    default_code = "too_many_logins"
    default_message = "Too many failed attempts; try again in {retry_after} seconds."


class BackupError(DistrictUserError):
    """A backup or restore cannot be made (``code`` says why, e.g. ``pg_tools_missing``)."""

    default_code = "backup_failed"
    default_message = "The backup failed."
