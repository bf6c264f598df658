"""The body codecs of the bundle suites: zlib (suite 1) and Zstandard (suite 2).

A suite names every algorithm of a bundle, the body's compression included
(``docs/bundle-format.md`` §3.6), so a reader that does not know a codec refuses the bundle as
``unsupported_suite`` before any work. Each codec compresses in one go (sealing) or as a stream
that can be flushed to measure it exactly (splitting, :mod:`simpul.bundle.split`), and inflates
with a bound, so a decompression bomb stops at the reader's limit.

Zstandard (RFC 8878) comes from the standard library from Python 3.14 (``compression.zstd``) and
from its official backport (``backports.zstd``, the same module) before. It compresses the change
list ~40% smaller than zlib at twice zlib's speed, and inflates several times faster
(``bench/bench_bundle.py``).
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

__all__ = ["ZLIB", "ZSTD", "Codec", "InflateError", "StreamCompressor"]

ZLIB_LEVEL = 6
ZSTD_LEVEL = 6
ZSTD_WINDOW_LOG = 21
"""Window of the frames we write: 2 MiB (level 6's own, fixed so a library update cannot grow
it past what readers accept)."""
ZSTD_WINDOW_LOG_MAX = 23
"""Largest window a reader accepts: 8 MiB of decoder memory, whatever a frame asks for."""


class InflateError(Exception):
    """The body does not inflate; ``bomb`` when it inflates beyond the limit."""

    def __init__(self, detail: str, *, bomb: bool = False) -> None:
        super().__init__(detail)
        self.bomb = bomb


class StreamCompressor(Protocol):
    """One body compressed as it is fed; :meth:`flush` makes :attr:`emitted` exact."""

    emitted: int
    """Bytes of output so far (all of the input up to the last flush is in it)."""

    def feed(self, data: bytes) -> None: ...

    def flush(self) -> None: ...

    def finish(self) -> bytes:
        """End the stream and return all of it."""
        ...


class Codec(Protocol):
    @property
    def name(self) -> str:
        """The ``body.codec`` value in the inner header."""
        ...

    @property
    def framing(self) -> int:
        """At most this many bytes are added by ending a stream flushed last (header,
        trailer)."""
        ...

    def compress(self, raw: bytes) -> bytes: ...

    def stream(self) -> StreamCompressor: ...

    def bound(self, size: int) -> int:
        """The most that ``size`` bytes fed since the last flush can add once flushed."""
        ...

    def inflate(self, body: bytes, limit: int) -> bytes:
        """Inflate one whole stream to at most ``limit`` bytes; else :class:`InflateError`."""
        ...


class _Stream:
    """A :class:`StreamCompressor` over a compressor's own calls."""

    def __init__(
        self,
        compress: Callable[[bytes], bytes],
        flush: Callable[[], bytes],
        finish: Callable[[], bytes],
    ) -> None:
        self._compress, self._flush, self._finish = compress, flush, finish
        self._out: list[bytes] = []
        self.emitted = 0

    def _keep(self, out: bytes) -> None:
        if out:
            self._out.append(out)
            self.emitted += len(out)

    def feed(self, data: bytes) -> None:
        self._keep(self._compress(data))

    def flush(self) -> None:
        self._keep(self._flush())

    def finish(self) -> bytes:
        self._keep(self._finish())
        return b"".join(self._out)


@dataclass(frozen=True)
class _Zlib:
    name: str = "zlib"
    # RFC 1950 header (2) and Adler-32 (4), the final empty block, the last sync flush's marker
    framing: int = 2 + 4 + 8

    def compress(self, raw: bytes) -> bytes:
        return zlib.compress(raw, ZLIB_LEVEL)

    def stream(self) -> StreamCompressor:
        compressor = zlib.compressobj(ZLIB_LEVEL)
        return _Stream(
            compressor.compress,
            lambda: compressor.flush(zlib.Z_SYNC_FLUSH),
            lambda: compressor.flush(zlib.Z_FINISH),
        )

    def bound(self, size: int) -> int:
        # Deflate never does worse than stored blocks, and zlib ends a block at the latest
        # every 16,383 symbols (its literal buffer at memLevel 8): 5 bytes of stored-block
        # header per 16,383 bytes (RFC 1951 §3.2.4), one more for a boundary inside, and a
        # sync flush's empty block.
        return size + 5 * (size // 16_383 + 3)

    def inflate(self, body: bytes, limit: int) -> bytes:
        return _inflate_one(zlib.decompressobj(), zlib.error, "zlib stream", body, limit)


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int, /) -> bytes: ...


def _inflate_one(
    decompressor: _Decompressor,
    error: type[Exception],
    what: str,
    body: bytes,
    limit: int,
) -> bytes:
    """Inflate exactly one whole stream (``what``) and nothing around it, bounded."""
    try:
        # Bounded: never more than limit + 1 bytes, however small the input.
        out = decompressor.decompress(body, limit + 1)
    except error as exc:
        raise InflateError(f"not a {what} this reader accepts") from exc
    if len(out) > limit:
        raise InflateError("inflates beyond the limit", bomb=True)
    if not decompressor.eof:
        raise InflateError(f"the {what} is incomplete")
    if decompressor.unused_data:
        raise InflateError(f"bytes after the end of the {what}")
    return out


def _zstd_options() -> dict[int, int]:
    return {
        zstd.CompressionParameter.compression_level: ZSTD_LEVEL,
        zstd.CompressionParameter.window_log: ZSTD_WINDOW_LOG,
    }


@dataclass(frozen=True)
class _Zstd:
    name: str = "zstd"
    # frame header (at most 18), the last empty block (3), a content checksum (4)
    framing: int = 18 + 3 + 4

    def compress(self, raw: bytes) -> bytes:
        return zstd.compress(raw, options=_zstd_options())

    def stream(self) -> StreamCompressor:
        compressor = zstd.ZstdCompressor(options=_zstd_options())
        return _Stream(
            compressor.compress,
            lambda: compressor.flush(zstd.ZstdCompressor.FLUSH_BLOCK),
            lambda: compressor.flush(zstd.ZstdCompressor.FLUSH_FRAME),
        )

    def bound(self, size: int) -> int:
        # ZSTD_COMPRESSBOUND (zstd.h), and one block header (3) for a flush that ends a block.
        small = (128 * 1024 - size) >> 11 if size < 128 * 1024 else 0
        return size + (size >> 8) + small + 3

    def inflate(self, body: bytes, limit: int) -> bytes:
        decompressor = zstd.ZstdDecompressor(
            options={zstd.DecompressionParameter.window_log_max: ZSTD_WINDOW_LOG_MAX}
        )
        return _inflate_one(decompressor, zstd.ZstdError, "Zstandard frame", body, limit)


ZLIB: Codec = _Zlib()
ZSTD: Codec = _Zstd()
