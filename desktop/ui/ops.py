"""Operations: the only door from the screens to storage and sync.

Each operation runs its storage or network work on the context's worker thread and calls
``done`` (or ``failed`` with an expected error) back on the UI thread. Widgets never hold a
session and never wait on disk crypto or the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.storage import vault
from desktop.storage.store import RecordView, Store
from desktop.sync import courier, enroll
from desktop.sync.scheduler import SyncScheduler
from desktop.sync.state import Enrollment
from desktop.sync.status import SyncStatus, sync_status
from desktop.ui.context import AppContext
from simpul.errors import UserError

__all__ = [
    "Created",
    "apply_files",
    "case_views",
    "close_store",
    "create_profile",
    "enroll_from_file",
    "enroll_online",
    "export_bundles",
    "load_sync_status",
    "open_with_recovery_code",
    "set_passphrase_after_recovery",
    "unlock",
]

Failed = Callable[[UserError], None]


@dataclass(frozen=True)
class Created:
    """A new profile: the unlocked store and the recovery code to show once."""

    store: Store
    recovery_code: str


def create_profile(
    ctx: AppContext,
    *,
    village: str,
    user: str,
    passphrase: str,
    done: Callable[[Created], None],
    failed: Failed,
) -> None:
    """Calibrate the key derivation on this laptop, then make the profile."""

    def work() -> Created:
        cost = vault.calibrate_kdf()  # ~0.5 s per unlock on this machine (RFC 9106 §4)
        store, code = Store.create(
            ctx.profile_dir, village=village, user=user, passphrase=passphrase, cost=cost
        )
        return Created(store, code)

    ctx.runner.submit(work, done=done, failed=failed)


def unlock(
    ctx: AppContext, passphrase: str, *, done: Callable[[Store], None], failed: Failed
) -> None:
    """Open the profile with a passphrase (the key derivation runs on the worker)."""
    profile = ctx.profile_dir
    ctx.runner.submit(lambda: Store.open(profile, passphrase=passphrase), done=done, failed=failed)


def open_with_recovery_code(
    ctx: AppContext, code: str, *, done: Callable[[Store], None], failed: Failed
) -> None:
    """Open the profile with the printed recovery code (a new passphrase is set next)."""
    profile = ctx.profile_dir
    ctx.runner.submit(
        lambda: Store.open_with_recovery_code(profile, code=code), done=done, failed=failed
    )


def set_passphrase_after_recovery(
    ctx: AppContext,
    store: Store,
    *,
    user: str,
    passphrase: str,
    done: Callable[[None], None],
    failed: Failed,
) -> None:
    """Give ``user`` a new passphrase after a recovery, and audit it."""

    def work() -> None:
        store.vault.set_passphrase_after_recovery(user, passphrase)
        store.audit_action("recover", detail=user)

    ctx.runner.submit(work, done=done, failed=failed)


def users(store: Store) -> list[str]:
    """The users of an unlocked profile (names are sealed; read from memory)."""
    return store.vault.users()


def close_store(ctx: AppContext, store: Store, scheduler: SyncScheduler | None) -> None:
    """Stop syncing and lock: keys and the working set are dropped (on the worker, after any
    task already queued, so a running export finishes first)."""

    def work() -> None:
        if scheduler is not None:
            scheduler.stop()
        store.close()

    ctx.runner.submit(work)


def case_views(ctx: AppContext) -> list[RecordView]:
    """The cases of the working set, newest first (in memory: nothing is decrypted here)."""
    store = ctx.store
    return [] if store is None else store.records("case")


def search_case_ids(ctx: AppContext, text: str) -> set[str]:
    """Ids of the cases whose code, names, NIK or narrative contain ``text`` (the in-memory
    working set; nothing is decrypted). Empty while locked."""
    store = ctx.store
    return set() if store is None else {v.record_id for v in store.search(text, kind="case")}


def load_sync_status(ctx: AppContext, *, done: Callable[[SyncStatus], None]) -> None:
    """Read the sync situation (pending changes, enrollment, last sync) on the worker."""
    store = ctx.store
    if store is None:
        return
    ctx.runner.submit(lambda: sync_status(store), done=done, failed=lambda _exc: None)


def export_bundles(
    ctx: AppContext,
    folder: Path,
    *,
    progress: Callable[[int, int], None],
    done: Callable[[courier.ExportResult], None],
    failed: Failed,
) -> None:
    """Write every change the district lacks as bundle files into ``folder``."""
    store = _store(ctx)
    report = ctx.runner.progress(progress)
    ctx.runner.submit(
        lambda: courier.export_bundles(store, folder, progress=report), done=done, failed=failed
    )


def apply_files(
    ctx: AppContext,
    paths: Sequence[Path],
    *,
    done: Callable[[list[courier.FileOutcome]], None],
    failed: Failed,
) -> None:
    """Apply receipts and return bundles brought back from the district."""
    store = _store(ctx)
    chosen = list(paths)
    ctx.runner.submit(lambda: courier.apply_files(store, chosen), done=done, failed=failed)


def enroll_online(
    ctx: AppContext,
    store: Store,
    server_url: str,
    code: str,
    *,
    done: Callable[[Enrollment], None],
    failed: Failed,
) -> None:
    """Enroll with the district server and a one-time code."""

    def work() -> Enrollment:
        try:
            return enroll.enroll_online(store, server_url, code)
        except ValueError as exc:
            raise UserError("bad_server_url", "not a server address", url=server_url) from exc

    ctx.runner.submit(work, done=done, failed=failed)


def enroll_from_file(
    ctx: AppContext,
    store: Store,
    path: Path,
    *,
    done: Callable[[Enrollment], None],
    failed: Failed,
) -> None:
    """Enroll from an enrollment file the district gave (a village with no internet)."""

    def work() -> Enrollment:
        try:
            with open(path, "rb") as f:
                data = f.read(enroll.MAX_ENROLLMENT_FILE_BYTES + 1)
        except OSError as exc:
            raise UserError("gui_file_unreadable", "cannot read the file") from exc
        return enroll.enroll_from_file(store, data)

    ctx.runner.submit(work, done=done, failed=failed)


def _store(ctx: AppContext) -> Store:
    store = ctx.store
    if store is None:
        raise RuntimeError("the profile is locked")
    return store
