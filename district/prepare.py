"""The changes of an imported bundle, prepared for the import — on two cores when there are many.

An import spends most of its time in Python before it writes anything: parsing and checking
every change of the list, and deriving the row of every record a change makes. A district
runs on a machine with two cores or more, and the officer with twenty flash drives, or a
laptop's first sync, brings thousands of cases at once. So the import hands these steps to a
:class:`PrepareHelper`: it cuts a big list in two (:func:`simpul.bundle.split_change_list`),
sends one run to its helper process and prepares the other itself, at the same time.

What comes back from the helper is small beside the changes it parsed: per change its id,
record, kind, clock, the two values the import's checks read (``village``, ``code``), its
canonical bytes, and the row of the record it makes alone — a ``PreparedChange``. The whole
:class:`~simpul.changes.Change` is parsed again from its canonical bytes only when the import
needs it (a record that already exists, or several changes of one record).

The result never depends on where the list was prepared. Whenever anything is unusual — a run
that does not parse, a count that differs from the header's, a change id in both runs, the
helper busy with another import or gone — the list is prepared here, whole, and a fault in it
is named as the bundle reader names it. The helper holds no key and writes nothing: it gets
plaintext runs over a pipe and returns prepared changes the same way.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from district.materialize import Materialized, materialize_history
from simpul import jsonio
from simpul.bundle import parse_change_list, split_change_list
from simpul.changes import Change, ChangeError, ChangeId, Hlc, JsonValue
from simpul.gcpause import gc_paused
from simpul.records import MalformedDocumentError

__all__ = ["MIN_HELPED_CHANGES", "PrepareHelper", "PreparedChange", "prepare_changes"]

MIN_HELPED_CHANGES = 256
"""Smaller lists are prepared in the importing process: for them handing a run over costs
more than the second core gives."""


@dataclass(frozen=True, slots=True, eq=False)
class PreparedChange:
    """One change of a bundle, as the import's plan reads it.

    Attributes:
        id: The change's id.
        record_id: Its record.
        kind: Its record kind.
        hlc: Its clock.
        village: ``(value,)`` of its ``village`` edit, ``()`` when it has none.
        code: ``(value,)`` of its ``code`` edit, ``()`` when it has none.
        canonical: Its canonical bytes (``Change.to_json_bytes``), or ``None`` when it cannot
            be stored (a string with a lone surrogate).
        premade: ``()`` when not worked out; else ``(row,)``: the row of the record if this
            change alone makes it, or ``(None,)`` when that does not materialize.
    """

    id: ChangeId
    record_id: str
    kind: str
    hlc: Hlc
    village: tuple[JsonValue, ...]
    code: tuple[JsonValue, ...]
    canonical: bytes | None
    premade: tuple[Materialized | None, ...] = ()
    _change: Change | None = field(default=None, repr=False)

    def __reduce__(self) -> tuple[type[PreparedChange], tuple[Any, ...]]:
        # Without the parsed change: sending it back from the helper would cost about what
        # parsing it again does, and the import rarely needs it.
        return PreparedChange, (
            self.id,
            self.record_id,
            self.kind,
            self.hlc,
            self.village,
            self.code,
            self.canonical,
            self.premade,
        )

    def change(self) -> Change:
        """The whole change (parsed again from its canonical bytes if it came from the helper).

        Raises:
            ValueError: ``canonical`` is ``None``, and the change is not at hand.
        """
        if self._change is not None:
            return self._change
        if self.canonical is None:
            raise ValueError(f"change {self.id} has no canonical bytes")
        return Change.from_json(jsonio.loads(self.canonical), encoded=self.canonical)

    def row(self, village: str) -> Materialized:
        """The row of the record this change alone makes (of ``village``).

        Raises:
            ChangeError, MalformedDocumentError: It does not materialize
                (:func:`materialize_history`).
        """
        if self.premade:
            made = self.premade[0]
            if made is None:
                raise MalformedDocumentError("the record does not materialize", path="")
            return made
        return materialize_history([self.change()], village)


def _found(change: Change, path: str) -> tuple[JsonValue, ...]:
    edit = change.find_edit(path)
    return () if edit is None else (edit.value,)


def prepare(change: Change, village: str | None) -> PreparedChange:
    """Prepare one change; with ``village``, work out the row it makes alone too."""
    try:
        canonical: bytes | None = change.to_json_bytes()
    except UnicodeEncodeError:
        canonical = None
    premade: tuple[Materialized | None, ...] = ()
    if village is not None and canonical is not None:
        try:
            premade = (materialize_history([change], village),)
        except (ChangeError, MalformedDocumentError):
            premade = (None,)
    return PreparedChange(
        change.id,
        change.record_id,
        change.kind,
        change.hlc,
        _found(change, "village"),
        _found(change, "code"),
        canonical,
        premade,
        change,
    )


def prepare_changes(body: bytes, expected: int | None, village: str | None) -> list[PreparedChange]:
    """Parse a change list strictly and prepare each change (see :func:`prepare`).

    Raises:
        BundleRejectedError: ``malformed_content``, as the bundle reader says it.
    """
    changes = parse_change_list(body, expected)
    with gc_paused():
        return [prepare(change, village) for change in changes]


def _helper_prepare(run: bytes, village: str) -> list[PreparedChange] | None:
    """:func:`prepare_changes` in the helper; ``None`` when the run does not parse."""
    try:
        return prepare_changes(run, None, village)
    except Exception:  # the importing process parses the whole list and names the fault
        return None


def _helper_main(conn: Connection) -> None:
    """The helper process: prepare each (village, run) received; stop when the pipe closes."""
    # Ctrl-C in a terminal reaches the server and its helper alike: the server stops it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send_bytes(_READY)
    except OSError:
        return
    while True:
        try:
            village = conn.recv_bytes().decode()
            run = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            answer = pickle.dumps(_helper_prepare(run, village), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # never a traceback (it could quote a value): the importer parses
            answer = _NOTHING
        del run
        try:
            conn.send_bytes(answer)
        except OSError:
            return


_READY = b"ready"
_NOTHING = pickle.dumps(None)
# The importing process takes the larger part: the helper's part also costs a pickle and a
# trip through the pipe (measured on the 2-core VM: ~45% for the helper evens the two out).
_OWN_SHARE = 0.56


@dataclass
class _Helper:
    process: BaseProcess
    conn: Connection
    ready: bool = False

    def wait_ready(self, timeout: float) -> None:
        """Take the helper's first message, which says it has started.

        Raises:
            OSError: It did not come in time, or the helper is gone.
        """
        if self.ready:
            return
        try:
            if not self.conn.poll(timeout) or self.conn.recv_bytes() != _READY:
                raise TimeoutError("the helper did not start")
        except EOFError as exc:
            raise OSError("the helper is gone") from exc
        self.ready = True


class PrepareHelper:
    """Prepares big change lists with a helper process. Thread-safe.

    One list at a time uses the helper; a list arriving while it is busy is prepared by its
    own importing thread, so no import waits behind another.

    The run goes to the helper through a pipe of its own, written before this process starts
    on its half (a pool's feeder thread would write it while this process parses, and take
    turns with it for the interpreter lock).
    """

    def __init__(self, *, min_changes: int | None = None, timeout: float = 120.0) -> None:
        """Make it; the helper process starts with :meth:`start`.

        Args:
            min_changes: Smaller lists are prepared here (default :data:`MIN_HELPED_CHANGES`,
                read when a list comes).
            timeout: Seconds to wait for the helper's half before giving up on the helper
                (it is stopped and started again) and preparing the list here.
        """
        self._min_changes = min_changes
        self._timeout = timeout
        self._helper: _Helper | None = None
        self._busy = threading.Lock()
        self._lifecycle = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start the helper process, in the background: it imports its modules meanwhile, and
        a list sent before it is ready waits for it."""
        with self._lifecycle:
            self._closed = False
            if self._helper is None:
                context = multiprocessing.get_context("spawn")
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_helper_main, args=(theirs,), name="simpul-prepare", daemon=True
                )
                process.start()
                theirs.close()
                self._helper = _Helper(process, ours)

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the helper process has started (what a server started a while ago has
        long done); ``False`` if there is none, or it did not start in time."""
        helper = self._helper
        if helper is None:
            return False
        with self._busy:
            try:
                helper.wait_ready(timeout)
            except OSError:
                self._replace(helper)
                return False
        return True

    def close(self) -> None:
        """Stop the helper process."""
        with self._lifecycle:
            helper, self._helper = self._helper, None
            self._closed = True
        if helper is not None:
            _stop(helper)

    def prepare(self, body: bytes, expected: int, village: str) -> list[PreparedChange]:
        """The prepared changes of a verified bundle's list (``expected`` of them).

        Raises:
            BundleRejectedError: ``malformed_content``, as the bundle reader says it.
        """
        least = MIN_HELPED_CHANGES if self._min_changes is None else self._min_changes
        if self._helper is not None and expected >= least and self._busy.acquire(False):
            try:
                helped = self._helped(body, expected, village)
            finally:
                self._busy.release()
            if helped is not None:
                return helped
        return prepare_changes(body, expected, None)

    def _helped(self, body: bytes, expected: int, village: str) -> list[PreparedChange] | None:
        helper = self._helper
        if helper is None:
            return None
        runs = split_change_list(body, [_OWN_SHARE])
        if len(runs) != 2:
            return None
        try:
            helper.conn.send_bytes(village.encode())
            helper.conn.send_bytes(runs[1])
        except OSError:  # the helper is gone
            self._replace(helper)
            return None
        del runs[1]
        try:
            own: list[PreparedChange] | None = prepare_changes(runs[0], None, village)
        except Exception:
            own = None  # still take the helper's answer: the next list must not read it
        try:
            helper.wait_ready(self._timeout)
            if not helper.conn.poll(self._timeout):
                raise TimeoutError("the helper did not answer")
            answer = helper.conn.recv_bytes()
        except (EOFError, OSError):  # gone, or stuck (TimeoutError is an OSError)
            self._replace(helper)
            return None
        with gc_paused():
            theirs: list[PreparedChange] | None = pickle.loads(answer)
            del answer
            if own is None or theirs is None:
                return None
            prepared = own + theirs
            if len(prepared) != expected or len({p.id for p in prepared}) != expected:
                return None
        return prepared

    def _replace(self, helper: _Helper) -> None:
        """Stop a helper that failed and start another, in the background."""
        with self._lifecycle:
            if self._helper is not helper:
                return
            self._helper = None
            closed = self._closed
        _stop(helper)
        if not closed:
            self.start()


def _stop(helper: _Helper) -> None:
    helper.conn.close()  # the helper ends when its pipe closes
    helper.process.join(5)
    if helper.process.is_alive():
        helper.process.kill()
        helper.process.join(5)
