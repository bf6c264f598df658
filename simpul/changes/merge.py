"""The merge rule: a multi-value register per field, so the state is a function of a set of changes.

DESIGN.md §3: the *heads* of a field are the changes that set it and that no known change lists
in its ``pred`` for that same field. One head is the value; several heads are concurrent edits,
the field "needs review", and the head with the highest ``(hlc, change_id)`` is displayed. A
pred may name a change that has not arrived yet; that change still counts as overwritten when
it does. Because a head is defined by set membership only, applying the same changes in any
order, any number of times, gives the same state, and no value is dropped until a change that
saw it overwrites it.

The state is kept incrementally: per path, the live heads and the set of ids named in some
pred, so applying one change costs time proportional to its edits and preds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from simpul.changes.change import DELETED, Change, ChangeError, ChangeId, FieldEdit, JsonValue
from simpul.changes.clock import Hlc

__all__ = ["Head", "RecordState", "Replica", "diff_edits"]


@dataclass(frozen=True, slots=True)
class Head:
    """One current value of a field.

    Attributes:
        change_id: The change that set it.
        hlc: That change's timestamp.
        value: The value it set (``None``: cleared). Shared with the change: do not mutate.
    """

    change_id: ChangeId
    hlc: Hlc
    value: JsonValue


def _rank(head: Head) -> tuple[Hlc, ChangeId]:
    return head.hlc, head.change_id


class _Register:
    """Multi-value register of one path: heads = changes that set it − ids named in a pred."""

    __slots__ = ("_live", "_overwritten", "_sorted")

    def __init__(self) -> None:
        self._live: dict[ChangeId, Head] = {}
        self._overwritten: set[ChangeId] = set()
        self._sorted: tuple[Head, ...] | None = ()

    def add(self, change: Change, edit: FieldEdit) -> None:
        live = self._live
        if edit.pred:
            # Remember every overwritten id, including ones not received yet, so a change
            # arriving after the change that overwrote it never becomes a head.
            self._overwritten.update(edit.pred)
            for change_id in edit.pred:
                if live.pop(change_id, None) is not None:
                    self._sorted = None
        if change.id not in self._overwritten:
            live[change.id] = Head(change.id, change.hlc, edit.value)
            self._sorted = None

    def heads(self) -> tuple[Head, ...]:
        if self._sorted is None:
            self._sorted = tuple(sorted(self._live.values(), key=_rank, reverse=True))
        return self._sorted

    def winner(self) -> Head | None:
        live = self._live
        if len(live) == 1:
            return next(iter(live.values()))
        heads = self.heads()
        return heads[0] if heads else None

    def __len__(self) -> int:
        return len(self._live)


class RecordState:
    """The merged state of one record: the heads of each of its paths.

    Mutable: :meth:`apply` folds changes in. Values returned by :meth:`value`, :meth:`flat` and
    :meth:`snapshot` are copies; those inside :class:`Head` are shared and must not be mutated.

    Attributes:
        record_id: The record's id.
        kind: The record's kind.
    """

    def __init__(self, record_id: str, kind: str) -> None:
        """Create the empty state of a record.

        Args:
            record_id: The record's id; every applied change must carry it.
            kind: The record's kind; every applied change must carry it.
        """
        self.record_id = record_id
        self.kind = kind
        self._changes: dict[ChangeId, Change] = {}
        self._registers: dict[str, _Register] = {}

    def apply(self, change: Change) -> bool:
        """Fold one change into the state.

        Args:
            change: A change of this record.

        Returns:
            ``True`` if the state took the change in, ``False`` if it was already applied.

        Raises:
            ChangeError: The change belongs to another record or kind, or its id was already
                applied with different content. The state is unchanged.
        """
        if change.record_id != self.record_id:
            raise ChangeError(
                f"change {change.id} belongs to record {change.record_id!r}, not {self.record_id!r}"
            )
        if change.kind != self.kind:
            raise ChangeError(
                f"change {change.id} has kind {change.kind!r}, record {self.record_id!r} "
                f"is {self.kind!r}"
            )
        known = self._changes.get(change.id)
        if known is not None:
            if known != change:
                raise ChangeError(f"change id {change.id} was already applied with other content")
            return False
        self._changes[change.id] = change
        registers = self._registers
        for edit in change.edits:
            register = registers.get(edit.path)
            if register is None:
                register = registers[edit.path] = _Register()
            register.add(change, edit)
        return True

    def heads(self, path: str) -> tuple[Head, ...]:
        """Return the current values of ``path``, the displayed winner first.

        Args:
            path: A field path.

        Returns:
            The heads ordered by ``(hlc, change_id)``, highest first; empty for an unknown path.
        """
        register = self._registers.get(path)
        return register.heads() if register is not None else ()

    def value(self, path: str) -> JsonValue:
        """Return the displayed value of ``path``.

        Args:
            path: A field path.

        Returns:
            A copy of the winning head's value; ``None`` if the path has no value.
        """
        register = self._registers.get(path)
        winner = register.winner() if register is not None else None
        return _copy(winner.value) if winner is not None else None

    def paths(self) -> list[str]:
        """Return every path that has at least one head (even a ``None`` one), sorted."""
        return sorted(path for path, register in self._registers.items() if len(register))

    def conflicts(self) -> list[str]:
        """Return the paths with more than one head (concurrent edits: "needs review"), sorted."""
        return sorted(path for path, register in self._registers.items() if len(register) > 1)

    def flat(self) -> dict[str, JsonValue]:
        """Return path → displayed value, leaving out paths whose value is ``None``.

        Returns:
            A new dict, sorted by path, of copied values.
        """
        result: dict[str, JsonValue] = {}
        for path in sorted(self._registers):
            winner = self._registers[path].winner()
            if winner is not None and winner.value is not None:
                result[path] = _copy(winner.value)
        return result

    @property
    def deleted(self) -> bool:
        """Whether the record tombstone (the top-level ``_deleted`` path) is set to true."""
        return self.value(DELETED) is True

    @property
    def change_ids(self) -> frozenset[ChangeId]:
        """The ids of every change applied to this record."""
        return frozenset(self._changes)

    def snapshot(self) -> dict[str, JsonValue]:
        """Return the state as plain JSON: enough to display and to make new edits.

        Returns:
            ``{"record_id": ..., "kind": ..., "heads": {path: [[device, counter, hlc, value],
            ...]}}`` with paths sorted, heads winner first and ``hlc`` encoded. It holds no
            overwritten ids, so it cannot be merged further.
        """
        heads: dict[str, JsonValue] = {}
        for path in self.paths():
            heads[path] = [
                [
                    head.change_id.device,
                    head.change_id.counter,
                    head.hlc.encode(),
                    _copy(head.value),
                ]
                for head in self._registers[path].heads()
            ]
        return {"record_id": self.record_id, "kind": self.kind, "heads": heads}

    def __repr__(self) -> str:
        return (
            f"RecordState(record_id={self.record_id!r}, kind={self.kind!r}, "
            f"changes={len(self._changes)}, paths={len(self._registers)})"
        )


class Replica:
    """The merged state of many records, as one device or the district holds them."""

    def __init__(self) -> None:
        """Create an empty replica."""
        self._records: dict[str, RecordState] = {}
        self._record_of: dict[ChangeId, str] = {}

    def apply(self, change: Change) -> bool:
        """Fold one change into the state of its record, creating the record if new.

        Args:
            change: Any change.

        Returns:
            ``True`` if the state took the change in, ``False`` if it was already applied.

        Raises:
            ChangeError: The change id was already applied to another record or with other
                content, or the change's kind differs from its record's. Nothing is changed.
        """
        owner = self._record_of.get(change.id)
        if owner is not None and owner != change.record_id:
            raise ChangeError(f"change id {change.id} was already applied to another record")
        state = self._records.get(change.record_id)
        if state is None:
            state = RecordState(change.record_id, change.kind)
            state.apply(change)
            self._records[change.record_id] = state
        elif not state.apply(change):
            return False
        self._record_of[change.id] = change.record_id
        return True

    def record(self, record_id: str) -> RecordState | None:
        """Return the state of one record, or ``None`` if no change of it was applied."""
        return self._records.get(record_id)

    def records(self) -> Iterator[RecordState]:
        """Iterate over the records, in the order their first change arrived."""
        return iter(list(self._records.values()))

    def __len__(self) -> int:
        """Return the number of records."""
        return len(self._records)


def diff_edits(
    state: RecordState | None,
    desired: Mapping[str, JsonValue],
    *,
    resolve: Iterable[str] = (),
) -> tuple[FieldEdit, ...]:
    """Return the edits a save must carry to turn ``state`` into ``desired``.

    For every path in ``desired`` or in ``state.paths()``: if the desired value (``None`` when
    absent) differs from the displayed value, or the path is in ``resolve``, emit an edit with
    that value whose ``pred`` is every current head of the path, so the save overwrites all of
    them (and so resolves a conflict). Values are compared as JSON, so ``1``, ``1.0`` and
    ``True`` differ.

    Args:
        state: The record as the saving device holds it; ``None`` for a new record.
        desired: The full flat state wanted after the save (path → value, absent = ``None``).
        resolve: Paths to overwrite even if unchanged, to clear their "needs review" flag.
            Paths with no heads and absent from ``desired`` are ignored.

    Returns:
        The edits, sorted by path; empty when nothing changes.

    Raises:
        ChangeFormatError: A desired path or value is not valid in a change.
    """
    resolving = frozenset(resolve)
    paths = set(desired)
    if state is not None:
        paths.update(state.paths())
    edits: list[FieldEdit] = []
    for path in sorted(paths):
        heads = state.heads(path) if state is not None else ()
        wanted = desired.get(path)
        current = heads[0].value if heads else None
        if path in resolving or not _json_equal(wanted, current):
            edits.append(FieldEdit(path, _copy(wanted), frozenset(h.change_id for h in heads)))
    return tuple(edits)


def _json_equal(a: JsonValue, b: JsonValue) -> bool:
    """Equality as JSON sees it: ``True``, ``1`` and ``1.0`` are three different values."""
    if _json_type(a) != _json_type(b):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[key], b[key]) for key in a)
    return a == b


def _json_type(value: JsonValue) -> int:
    # bool before int: bool is a subclass of int.
    for index, kind in enumerate((bool, int, float, str, list, dict)):
        if isinstance(value, kind):
            return index
    return -1


def _copy(value: JsonValue) -> JsonValue:
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value
