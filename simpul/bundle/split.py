"""Split a backlog of changes into parts that each seal to a bundle under a size cap.

Bundles are size-capped (DESIGN.md §5: a few MiB, so they fit a messaging app and a dropped link
costs little); a large backlog goes out as several bundles. The size that matters is the
*compressed* body, so :func:`split_changes` runs the same zlib compression that sealing uses and
measures it as it goes (a copy of the compressor is flushed only when a cheap upper bound says
the part may be close to full), so the whole backlog is compressed about once.
:func:`split_compressed` keeps what the measuring compressed, for :func:`seal_bundle` to use as
the body: then it is compressed exactly once.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

from simpul.bundle._json import canonical_json
from simpul.bundle.errors import BundleTooLargeError
from simpul.bundle.format import (
    _ZLIB_LEVEL,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_LIMITS,
    CompressedBody,
    encode_change,
    sealed_size_overhead,
)
from simpul.changes import Change

__all__ = ["split_changes", "split_compressed"]

# Room for compression variance: sizes measured on a flushed copy of the compressor bound the
# final size closely but not exactly (Huffman tables are chosen per block).
_MARGIN_FRACTION = 0.01
_MARGIN_BYTES = 512
_ZLIB_FRAMING = 2 + 4  # zlib header and Adler-32 trailer (RFC 1950)


def _stored_bound(raw: int) -> int:
    # Deflate never does worse than stored blocks: 5 bytes of block header per 65,535 bytes,
    # (RFC 1951 §3.2.4); add one more block header for a block boundary falling inside.
    return raw + 5 * (raw // 65_535 + 2)


def _inner_header_bound(recipients: int, holds: Mapping[str, int] | None) -> int:
    # The largest inner header seal_bundle could write for these recipients and holds: every
    # free-form field at its longest (device ids of 128 four-byte characters, 64-character
    # bundle id, 19-digit integers).
    template = {
        "body": {"changes": 2**63 - 1, "codec": "zlib", "size": 2**63 - 1},
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
) -> list[list[Change]]:
    """:func:`split_compressed`, giving the parts' changes only."""
    parts = split_compressed(
        changes,
        max_bundle_bytes=max_bundle_bytes,
        recipients=recipients,
        holds=holds,
        chunk_size=chunk_size,
        max_payload_bytes=max_payload_bytes,
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

    Returns:
        The parts, each with at least one change; an empty list when there are no changes.

    Raises:
        ValueError: The cap leaves no room for any change after the bundle's own overhead.
        BundleTooLargeError: One change alone cannot fit under the caps.
    """
    overhead = sealed_size_overhead(
        recipients=recipients,
        inner_header_bytes=_inner_header_bound(recipients, holds),
        payload_bytes=max_bundle_bytes,
        chunk_size=chunk_size,
    )
    budget = max_bundle_bytes - overhead
    budget -= int(budget * _MARGIN_FRACTION) + _MARGIN_BYTES
    if budget <= _ZLIB_FRAMING + _stored_bound(2):
        raise ValueError(f"max_bundle_bytes={max_bundle_bytes} leaves no room for changes")
    splitter = _Splitter(budget, max_payload_bytes)
    for change in changes:
        splitter.add(change)
    return splitter.finish()


class _Splitter:
    """Greedy packer measuring the real compressed size only when it might be over budget."""

    def __init__(self, budget: int, max_raw: int) -> None:
        self._budget = budget
        self._max_raw = max_raw
        self._parts: list[CompressedBody] = []
        self._start_part()

    def _start_part(self) -> None:
        self._current: list[Change] = []
        self._compressor = zlib.compressobj(_ZLIB_LEVEL)
        self._out = [self._compressor.compress(b"[")]  # the part's zlib stream so far
        self._emitted = len(self._out[0])
        self._raw = 2  # "[" and "]"
        self._measured = _ZLIB_FRAMING + _stored_bound(2)  # upper bound of the closed size
        self._since = 0  # raw bytes fed since self._measured was taken

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
        measured: int | None = None
        if self._measured + _stored_bound(self._since + len(piece)) > self._budget:
            measured = self._closed_size_with(piece)
            if measured > self._budget:
                if not self._current:
                    raise BundleTooLargeError(
                        f"change {change.id} alone compresses to {measured} bytes, over the "
                        f"{self._budget} bytes a bundle has room for"
                    )
                self._close_part()
                self.add(change)
                return
        out = self._compressor.compress(piece)
        self._out.append(out)
        self._emitted += len(out)
        self._raw += len(piece)
        self._current.append(change)
        if measured is not None:
            self._measured, self._since = measured, 0
        else:
            self._since += len(piece)

    def _closed_size_with(self, piece: bytes) -> int:
        probe = self._compressor.copy()
        tail = probe.compress(piece + b"]")
        return self._emitted + len(tail) + len(probe.flush())

    def _close_part(self) -> None:
        if self._current:
            self._out.append(self._compressor.compress(b"]"))
            self._out.append(self._compressor.flush())
            self._parts.append(
                CompressedBody(tuple(self._current), size=self._raw, data=b"".join(self._out))
            )
        self._start_part()

    def finish(self) -> list[CompressedBody]:
        self._close_part()
        return self._parts
