"""Typed errors of the storage layer: each expected failure has a stable code the UI translates."""

from __future__ import annotations

from typing import ClassVar

from simpul.errors import Error, UserError


class StorageError(Error):
    """Base of every error ``desktop.storage`` raises on purpose."""


class StorageUserError(UserError, StorageError):
    """A storage failure the user can act on; subclasses only set a code and a default message.

    Takes the arguments of :class:`simpul.errors.UserError`, all optional:
    ``WrongPassphraseError()`` and ``VaultMissingError("profile_missing", "no profile here")``
    both work.

    Args:
        code: Stable identifier the UI translates; defaults to the class's ``default_code``.
        message: English text for logs and developers; defaults to ``default_message``.
        **params: Values the translated message may use (never personal data).
    """

    default_code: ClassVar[str] = "storage_error"
    default_message: ClassVar[str] = "The local storage failed."

    def __init__(
        self, code: str | None = None, message: str | None = None, **params: object
    ) -> None:
        super().__init__(code or self.default_code, message or self.default_message, **params)


class WrongPassphraseError(StorageUserError):
    """No passphrase slot of the vault opens with the passphrase given."""

    default_code = "wrong_passphrase"
    default_message = "The passphrase is wrong."


class WrongRecoveryCodeError(StorageUserError):
    """The recovery code is malformed or does not open the recovery slot."""

    default_code = "wrong_recovery_code"
    default_message = "The recovery code is wrong."


class VaultMissingError(StorageUserError):
    """The profile has no vault file (not set up yet, or the wrong profile folder)."""

    default_code = "profile_missing"
    default_message = "No vault was found in this profile."


class VaultExistsError(StorageUserError):
    """A vault already exists where a new one was to be created."""

    default_code = "profile_exists"
    default_message = "A vault already exists in this profile."


class VaultCorruptError(StorageUserError):
    """The vault file is unreadable, of an unknown version, or was tampered with."""

    default_code = "vault_corrupt"
    default_message = "The vault file is damaged or was modified."


class VaultChangedError(StorageUserError):
    """The vault file changed on disk since it was unlocked (another window or process wrote it)."""

    default_code = "vault_changed"
    default_message = "The vault was changed elsewhere; lock and unlock it again."


class VaultLockedError(StorageUserError):
    """The vault was locked (by the user or by auto-lock); its keys are gone until unlocked."""

    default_code = "vault_locked"
    default_message = "locked"


class ReadFailedError(StorageUserError):
    """A file exists but could not be read (permissions, I/O error)."""

    default_code = "read_failed"
    default_message = "A file could not be read."


class WriteFailedError(StorageUserError):
    """A file could not be written; the previous version of the file is left intact."""

    default_code = "write_failed"
    default_message = "A file could not be written."


class DiskFullError(WriteFailedError):
    """A write failed because the disk (or the user's quota) is full."""

    default_message = "The disk is full."


class WeakPassphraseError(StorageUserError):
    """The chosen passphrase is too easy to guess."""

    default_code = "weak_passphrase"
    default_message = "The passphrase is too weak."


class UnknownUserError(StorageUserError):
    """The vault has no passphrase slot for the named user."""

    default_code = "unknown_user"
    default_message = "There is no such user in this vault."


class UserExistsError(StorageUserError):
    """The vault already has a passphrase slot for the named user."""

    default_code = "user_exists"
    default_message = "This user already exists in this vault."


class InvalidUserNameError(StorageUserError):
    """A user name is empty, too long or contains control characters."""

    default_code = "invalid_user_name"
    default_message = "The user name is not valid."


class ProfileBusyError(StorageUserError):
    """Another program (a second window, the CLI) holds the profile's database for too long."""

    default_code = "profile_busy"
    default_message = "The profile is busy in another program."


class DatabaseError(StorageUserError):
    """The profile's database could not be read or written (damaged file, I/O error)."""

    default_code = "storage_failed"
    default_message = "The profile's database could not be read or written."


class ProfileNewerError(StorageUserError):
    """The database was migrated by a newer Simpul than this one; opening it could damage it."""

    default_code = "profile_newer"
    default_message = "The profile was written by a newer version of Simpul."
