"""Operations of the record forms and the case view: save, drafts, opening a case.

Like ``desktop/ui/ops.py`` (the door from the screens to storage), each runs its storage work
on the context's worker thread and calls back on the UI thread. They live beside the form
until the shell folds them into ``ops.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.storage import drafts
from desktop.storage.store import HistoryEntry, RecordView, SaveResult, Store
from desktop.ui.context import AppContext
from simpul.errors import UserError

__all__ = ["CaseSnapshot", "discard_draft", "keep_draft", "read_case", "save_record"]

Failed = Callable[[UserError], None]


def save_record(
    ctx: AppContext,
    store: Store,
    doc: Mapping[str, Any],
    *,
    kind: str,
    today: date | None = None,
    base: Sequence[str] | None,
    draft_key: str,
    done: Callable[[SaveResult], None],
    failed: Failed,
) -> None:
    """Save a document of ``kind`` (``case``, ``outreach``) as an edit of the version ``base``
    (change ids; None: a new record), validated as of ``today``, then drop its draft. Nothing
    is written when validation fails (``failed`` gets the ``ValidationFailedError`` with every
    problem)."""
    body = dict(doc)
    if base is not None:
        body["_base"] = list(base)

    def work() -> SaveResult:
        result = store.save(body, kind=kind, today=today)
        drafts.discard_draft(store, draft_key)
        return result

    def on_done(result: SaveResult) -> None:
        ctx.records_changed.emit()
        done(result)

    ctx.runner.submit(work, done=on_done, failed=failed)


def keep_draft(
    ctx: AppContext,
    store: Store,
    key: str,
    data: Mapping[str, Any],
    *,
    done: Callable[[None], None] | None = None,
    failed: Failed | None = None,
) -> None:
    """Seal the form's unsaved input as the draft ``key`` (queued: it is written before a lock
    that follows closes the store)."""
    snapshot = dict(data)
    _submit(
        ctx,
        lambda: drafts.save_draft(store, key, snapshot),
        done=done,
        failed=failed or (lambda _exc: None),
    )


def discard_draft(ctx: AppContext, store: Store, key: str) -> None:
    """Drop the draft ``key``."""
    _submit(ctx, lambda: drafts.discard_draft(store, key), failed=lambda _exc: None)


def _submit(
    ctx: AppContext,
    work: Callable[[], None],
    *,
    done: Callable[[None], None] | None = None,
    failed: Failed,
) -> None:
    try:
        ctx.runner.submit(work, done=done, failed=failed)
    except RuntimeError:
        pass  # the app is quitting and its worker already stopped (the store was locked)


@dataclass(frozen=True)
class CaseSnapshot:
    """What the case view shows: the record (its document already opened) and its history."""

    view: RecordView
    doc: dict[str, Any]
    history: list[HistoryEntry]
    device_id: str


def read_case(
    ctx: AppContext,
    record_id: str,
    *,
    audit: bool = True,
    done: Callable[[CaseSnapshot], None],
    failed: Failed,
) -> None:
    """Open a case with its history, on the worker. A person opening it is audited
    (``audit``); a refresh of a case already open is not."""
    store = ctx.store
    if store is None:
        return

    def work() -> CaseSnapshot:
        view = store.read(record_id) if audit else store.get(record_id)
        return CaseSnapshot(view, view.doc, store.history(view.record_id), store.device_id)

    ctx.runner.submit(work, done=done, failed=failed)
