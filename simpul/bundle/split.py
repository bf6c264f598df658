"""Split a backlog of changes into parts that each seal to a bundle under a size cap.

Bundles are size-capped (DESIGN.md §5: a few MiB, so they fit a messaging app and a dropped link
costs little); a large backlog goes out as several bundles. The size that matters is the
*compressed* body, so :func:`split_changes` runs the same compression that sealing uses and
measures it as it goes: a change joins the part only while the part's size as measured at the
last flush, plus the most the codec can make of what was fed since, stays under the cap; when
that bound says it may not, the compressor is flushed (its output is then exact) and asked
again. The backlog is compressed once, and :func:`split_compressed` keeps what it compressed,
for :func:`seal_bundle` to use as the body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from simpul.bundle._codec import Codec
from simpul.bundle._json import canonical_json
from simpul.bundle.errors import BundleTooLargeError
from simpul.bundle.format import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_LIMITS,
    WRITE_SUITE,
    CompressedBody,
    body_codec,
    encode_change,
    sealed_size_overhead,
)
from simpul.changes import Change

__all__ = ["split_changes", "split_compressed"]

# Room for what the overhead estimate cannot know exactly.
_MARGIN_FRACTION = 0.01
_MARGIN_BYTES = 512


def _inner_header_bound(recipients: int, holds: Mapping[str, int] | None) -> int:
    # The largest inner header seal_bundle could write for these recipients and holds: every
    # free-form field at its longest (device ids of 128 four-byte characters, 64-character
    # bundle id, 19-digit integers).
    template = {
        "body": {"changes": 2**63 - 1, "codec": "z" * 16, "size": 2**63 - 1},
        "bundle_id": "x" * 64,
        "created_at": 2**63 - 1,
        "holds": dict(holds or {}),
        "kind": "changes",
        "recipients": ["0" * 32] * recipients,
        "sender": "\U0010ffff" * 128,
        "sequence": 2**63 - 1,
    }
    return len(canonical_json(template))


def split_changes(
    changes: Sequence[Change],
    *,
    max_bundle_bytes: int,
    recipients: int = 1,
    holds: Mapping[str, int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_payload_bytes: int = DEFAULT_LIMITS.max_payload_bytes,
    suite: int = WRITE_SUITE,
) -> list[list[Change]]:
    """:func:`split_compressed`, giving the parts' changes only."""
    parts = split_compressed(
        changes,
        max_bundle_bytes=max_bundle_bytes,
        recipients=recipients,
        holds=holds,
        chunk_size=chunk_size,
        max_payload_bytes=max_payload_bytes,
        suite=suite,
    )
    return [list(part.changes) for part in parts]


def split_compressed(
    changes: Sequence[Change],
    *,
    max_bundle_bytes: int,
    recipients: int = 1,
    holds: Mapping[str, int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_payload_bytes: int = DEFAULT_LIMITS.max_payload_bytes,
    suite: int = WRITE_SUITE,
) -> list[CompressedBody]:
    """Cut ``changes`` into consecutive parts that each seal to at most ``max_bundle_bytes``,
    each with its body already encoded and compressed (``seal_bundle(..., body=part)``).

    Order is kept; every change lands in exactly one part. Parts are filled greedily, so all
    but the last are close to the cap. Each part's uncompressed change list also stays within
    ``max_payload_bytes``, the receiver's decompression limit.

    Args:
        changes: The backlog, in the order it should be applied.
        max_bundle_bytes: Cap on each sealed file (e.g. the receiver's
            ``Limits.max_bundle_bytes``, or a smaller courier limit).
        recipients: How many recipients each bundle will be sealed to.
        holds: The ``holds`` mapping the bundles will carry (it is in every inner header).
        chunk_size: The chunk size the bundles will be sealed with.
        max_payload_bytes: Cap on each part's uncompressed change list.
        suite: The suite the bundles will be sealed with (its codec compresses the parts).

    Returns:
        The parts, each with at least one change; an empty list when there are no changes.

    Raises:
        ValueError: The cap leaves no room for any change after the bundle's own overhead, or
            the suite is unknown.
        BundleTooLargeError: One change alone cannot fit under the caps.
    """
    overhead = sealed_size_overhead(
        recipients=recipients,
        inner_header_bytes=_inner_header_bound(recipients, holds),
        payload_bytes=max_bundle_bytes,
        chunk_size=chunk_size,
    )
    codec = body_codec(suite)
    budget = max_bundle_bytes - overhead
    budget -= int(budget * _MARGIN_FRACTION) + _MARGIN_BYTES
    if budget <= codec.framing + codec.bound(2):
        raise ValueError(f"max_bundle_bytes={max_bundle_bytes} leaves no room for changes")
    splitter = _Splitter(codec, suite, budget, max_payload_bytes)
    for change in changes:
        splitter.add(change)
    return splitter.finish()


class _Splitter:
    """Greedy packer: flushes the compressor only when the bound says a part may be full."""

    def __init__(self, codec: Codec, suite: int, budget: int, max_raw: int) -> None:
        self._codec = codec
        self._suite = suite
        self._budget = budget
        self._max_raw = max_raw
        self._parts: list[CompressedBody] = []
        self._start_part()

    def _start_part(self) -> None:
        self._current: list[Change] = []
        self._stream = self._codec.stream()
        self._stream.feed(b"[")
        self._raw = 2  # "[" and "]"
        self._since = 1  # raw bytes fed since the last flush: "["

    def _fits(self, piece: bytes) -> bool:
        # The part's exact size at the last flush, what the codec can make at most of what
        # was fed since, this piece and the closing "]", and the stream's end.
        pending = self._codec.bound(self._since + len(piece) + 1)
        return self._stream.emitted + pending + self._codec.framing <= self._budget

    def add(self, change: Change) -> None:
        item = encode_change(change)
        piece = item if not self._current else b"," + item
        if self._current and self._raw + len(piece) > self._max_raw:
            self._close_part()
            piece = item
        if self._raw + len(piece) > self._max_raw:
            raise BundleTooLargeError(
                f"change {change.id} is {len(item)} bytes of JSON, over the payload limit"
            )
        if not self._fits(piece):
            self._stream.flush()
            self._since = 0
            if not self._fits(piece) and not self._alone_fits(change, item):
                self._close_part()
                self.add(change)
                return
        self._stream.feed(piece)
        self._raw += len(piece)
        self._since += len(piece)
        self._current.append(change)

    def _alone_fits(self, change: Change, item: bytes) -> bool:
        # A part's first change whose worst case is over the budget may still compress under
        # it: measure it exactly, alone (it then starts the part, measured at the next flush).
        if self._current:
            return False
        size = len(self._codec.compress(b"[" + item + b"]"))
        if size + self._codec.framing > self._budget:
            raise BundleTooLargeError(
                f"change {change.id} alone compresses to {size} bytes, over the "
                f"{self._budget} bytes a bundle has room for"
            )
        return True

    def _close_part(self) -> None:
        if self._current:
            self._stream.feed(b"]")
            data = self._stream.finish()
            self._parts.append(
                CompressedBody(tuple(self._current), size=self._raw, data=data, suite=self._suite)
            )
        self._start_part()

    def finish(self) -> list[CompressedBody]:
        self._close_part()
        return self._parts
