"""A TCP proxy on 127.0.0.1 that injects network faults between an HTTP client and a real server.

Used by the desktop-sync tests and by the benchmarks in ``bench/``, which put this folder on
``sys.path`` and ``import faultproxy``; so it is plain stdlib and imports nothing from pytest or
the project.

Example::

    with FaultProxy(("127.0.0.1", server_port), Faults(latency_s=0.15)) as proxy:
        requests.get(f"{proxy.url}/v1/health", timeout=5)        # a 300 ms round trip
        proxy.update(upload_bytes_per_s=kbit_per_s(256), download_bytes_per_s=kbit_per_s(256))
        proxy.update(cut_request_after_bytes=1000, reset=True)  # every connection, mid-request
        proxy.update(cut_request_after_bytes=None, cut_every=20)  # one connection in twenty
        proxy.update(offline=True)                               # connection refused
        proxy.update(offline=False)                              # back, same port
        print(proxy.stats.bytes_to_server, proxy.stats.bytes_to_client)

Each accepted connection gets one thread per direction. A direction reads chunks from its
source, holds each one for ``latency_s`` (a delay line, so latency does not cap throughput),
lets it through a token bucket shared by all connections (one link, one bandwidth), and
counts and forwards it, cutting the connection when a byte limit is reached.
"""

from __future__ import annotations

import dataclasses
import enum
import random
import select
import socket
import struct
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

__all__ = ["Direction", "FaultProxy", "Faults", "Stats", "kbit_per_s"]

_CHUNK = 64 * 1024
_MAX_BUFFERED = 1024 * 1024  # per direction and connection; past it, stop reading (back-pressure)
_POLL_S = 0.05  # how often blocked loops look at their stop flag
_BURST_S = 0.05  # token-bucket depth, in seconds of traffic at the configured rate
_CONNECT_TIMEOUT_S = 5.0
_JOIN_TIMEOUT_S = 5.0
_THREAD_PREFIX = "faultproxy"


def kbit_per_s(kbit: float) -> float:
    """Bytes per second of a link of ``kbit`` kilobits per second: ``kbit_per_s(256) == 32000``."""
    return kbit * 1000 / 8


class Direction(enum.Enum):
    """One half of a proxied connection."""

    TO_SERVER = "to_server"
    TO_CLIENT = "to_client"


@dataclass(frozen=True, kw_only=True)
class Faults:
    """The faults a `FaultProxy` injects; immutable, swapped whole by `FaultProxy.update`.

    Attributes:
        latency_s: One-way delay added to every chunk, in each direction (0.15 makes a
            300 ms round trip). Changes apply to chunks read afterwards.
        upload_bytes_per_s: Bandwidth client → server over all connections, or None.
        download_bytes_per_s: Bandwidth server → client over all connections, or None.
        cut_request_after_bytes: Cut every connection once this many bytes of its
            client → server stream have been forwarded, or None. Counted from the connection's
            start (so across keep-alive requests), or from when this limit last changed if the
            connection is older: set it mid-session and the next request is cut N bytes in.
        cut_response_after_bytes: The same for the server → client stream.
        cut_every: Cut every n-th accepted connection (the n-th, 2n-th, ...) at a random point.
        cut_probability: Cut each accepted connection with this probability, at a random point.
        random_cut_within_bytes: The random point is a byte offset in 1..this, counted over
            both directions together; a connection that carries fewer bytes is never cut, so
            set it near the size of one exchange.
        reset: Cut with a TCP RST (SO_LINGER 0) when True, with a FIN when False. A peer that
            keeps sending into a FIN-closed connection may still see a reset.
        offline: Stop listening (new connections are refused) and cut the live ones;
            setting it back to False listens again on the same port.
    """

    latency_s: float = 0.0
    upload_bytes_per_s: float | None = None
    download_bytes_per_s: float | None = None
    cut_request_after_bytes: int | None = None
    cut_response_after_bytes: int | None = None
    cut_every: int | None = None
    cut_probability: float = 0.0
    random_cut_within_bytes: int = 4096
    reset: bool = True
    offline: bool = False

    def __post_init__(self) -> None:
        problems = []
        if self.latency_s < 0:
            problems.append("latency_s must be >= 0")
        for name in ("upload_bytes_per_s", "download_bytes_per_s"):
            rate = getattr(self, name)
            if rate is not None and rate <= 0:
                problems.append(f"{name} must be > 0 or None")
        for name in ("cut_request_after_bytes", "cut_response_after_bytes"):
            limit = getattr(self, name)
            if limit is not None and limit < 0:
                problems.append(f"{name} must be >= 0 or None")
        if self.cut_every is not None and self.cut_every < 1:
            problems.append("cut_every must be >= 1 or None")
        if not 0.0 <= self.cut_probability <= 1.0:
            problems.append("cut_probability must be within 0..1")
        if self.random_cut_within_bytes < 1:
            problems.append("random_cut_within_bytes must be >= 1")
        if problems:
            raise ValueError("; ".join(problems))

    def rate(self, direction: Direction) -> float | None:
        """Bandwidth in bytes/s for ``direction``, or None when unshaped."""
        if direction is Direction.TO_SERVER:
            return self.upload_bytes_per_s
        return self.download_bytes_per_s

    def cut_after(self, direction: Direction) -> int | None:
        """The per-connection byte limit of ``direction``, or None."""
        if direction is Direction.TO_SERVER:
            return self.cut_request_after_bytes
        return self.cut_response_after_bytes


@dataclass(frozen=True)
class Stats:
    """Counters of a `FaultProxy` since it started (or since `FaultProxy.reset_stats`).

    Bytes are counted as the proxy hands them to the receiving side's socket.
    """

    bytes_to_server: int = 0
    bytes_to_client: int = 0
    connections_accepted: int = 0
    connections_cut: int = 0
    connections_open: int = 0

    @property
    def bytes_total(self) -> int:
        """Bytes forwarded in both directions."""
        return self.bytes_to_server + self.bytes_to_client


class FaultProxy:
    """A TCP proxy from ``127.0.0.1:<port>`` to ``upstream`` that injects `Faults`.

    Listens from construction; `close` (or leaving the ``with`` block) stops every thread and
    closes every socket. All public methods are thread-safe.

    Args:
        upstream: (host, port) of the real server.
        faults: The faults to start with (none by default).
        seed: Seeds the choice of randomly cut connections and their cut points.
        host: Address to listen on.
    """

    def __init__(
        self,
        upstream: tuple[str, int],
        faults: Faults | None = None,
        *,
        seed: int | None = 0,
        host: str = "127.0.0.1",
    ) -> None:
        self.upstream = upstream
        self.host = host
        self._faults = faults if faults is not None else Faults()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()  # counters, connection set, random generator
        self._control = threading.Lock()  # serialises update() and close()
        self._connections: set[_Connection] = set()
        self._buckets = {direction: _TokenBucket() for direction in Direction}
        self._bytes = dict.fromkeys(Direction, 0)
        self._accepted = 0
        self._cut = 0
        self._serial = 0
        self._closed = False
        self._port = 0
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._accept_stop = threading.Event()
        self._listen()
        if self._faults.offline:
            self._stop_listening()

    @property
    def port(self) -> int:
        """The port the proxy listens on (kept across offline periods)."""
        return self._port

    @property
    def url(self) -> str:
        """``http://<host>:<port>``, to use as the client's server URL."""
        return f"http://{self.host}:{self._port}"

    @property
    def faults(self) -> Faults:
        """The faults in force."""
        return self._faults

    @property
    def stats(self) -> Stats:
        """A snapshot of the counters."""
        with self._lock:
            return Stats(
                bytes_to_server=self._bytes[Direction.TO_SERVER],
                bytes_to_client=self._bytes[Direction.TO_CLIENT],
                connections_accepted=self._accepted,
                connections_cut=self._cut,
                connections_open=len(self._connections),
            )

    def reset_stats(self) -> None:
        """Zero the byte and connection counters (``cut_every`` keeps counting)."""
        with self._lock:
            self._bytes = dict.fromkeys(Direction, 0)
            self._accepted = 0
            self._cut = 0

    def update(self, **changes: Any) -> Faults:
        """Change some `Faults` fields now, e.g. ``update(latency_s=0.15, offline=False)``.

        Going offline stops listening and cuts the live connections before returning, so the
        next connect is refused; going online listens again on the same port.

        Returns:
            The faults now in force.

        Raises:
            TypeError: for an unknown field.
            ValueError: for an invalid value (nothing changes).
            OSError: when the port cannot be listened on again.
            RuntimeError: when the proxy is closed.
        """
        with self._control:
            if self._closed:
                raise RuntimeError("the fault proxy is closed")
            old = self._faults
            new = dataclasses.replace(old, **changes)
            if new.offline and not old.offline:
                self._faults = new
                self._stop_listening()
                self._cut_live(reset=new.reset)
            elif old.offline and not new.offline:
                self._listen()
                self._faults = new
            else:
                self._faults = new
            return new

    def cut_all(self) -> int:
        """Cut every live connection now (a network blip), with the configured RST or FIN.

        Returns:
            How many connections were cut.
        """
        return self._cut_live(reset=self._faults.reset)

    def close(self) -> None:
        """Stop listening, reset every live connection and join every thread. Idempotent."""
        with self._control:
            if self._closed:
                return
            self._closed = True
            self._stop_listening()
            with self._lock:
                connections = list(self._connections)
            for connection in connections:
                connection.end(reset=True, counted=False)
            for connection in connections:
                connection.thread.join(_JOIN_TIMEOUT_S)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<FaultProxy {self.url} -> {self.upstream[0]}:{self.upstream[1]} {self._faults}>"

    def _listen(self) -> None:
        # create_server sets SO_REUSEADDR on POSIX, so the port can be taken again while
        # connections of the previous listening period sit in TIME_WAIT.
        listener = socket.create_server((self.host, self._port), backlog=128)
        listener.setblocking(False)
        self._port = listener.getsockname()[1]
        stop = threading.Event()
        thread = threading.Thread(
            target=self._accept_loop,
            args=(listener, stop),
            name=f"{_THREAD_PREFIX}-{self._port}-accept",
        )
        self._listener, self._accept_stop, self._accept_thread = listener, stop, thread
        thread.start()

    def _stop_listening(self) -> None:
        if self._accept_thread is not None:
            self._accept_stop.set()
            self._accept_thread.join()
            self._accept_thread = None
        if self._listener is not None:
            # Connections still in the backlog are reset by the kernel here.
            self._listener.close()
            self._listener = None

    def _accept_loop(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            if not _wait_ready(listener, write=False, timeout=_POLL_S):
                continue
            try:
                client, _ = listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                continue
            self._admit(client)

    def _admit(self, client: socket.socket) -> None:
        with self._lock:
            faults = self._faults
            self._accepted += 1
            self._serial += 1
            # Draw the same numbers for every connection, so one seed gives one sequence
            # whatever the settings.
            roll, where = self._rng.random(), self._rng.random()
            chosen = (
                faults.cut_every is not None and self._serial % faults.cut_every == 0
            ) or roll < faults.cut_probability
            cut_at = 1 + int(where * faults.random_cut_within_bytes) if chosen else None
            connection = _Connection(
                self, client, faults=faults, random_cut_at=cut_at, serial=self._serial
            )
            self._connections.add(connection)
        connection.thread.start()

    def _cut_live(self, *, reset: bool) -> int:
        with self._lock:
            connections = list(self._connections)
        return sum(connection.end(reset=reset, counted=True) for connection in connections)

    def _forget(self, connection: _Connection) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _count(self, direction: Direction, size: int) -> None:
        with self._lock:
            self._bytes[direction] += size

    def _count_cut(self) -> None:
        with self._lock:
            self._cut += 1


class _TokenBucket:
    """Bandwidth of one direction of the link, shared by all its connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens = 0.0
        self._stamp: float | None = None

    def take(self, want: int, rate: float | None) -> tuple[int, float]:
        """Grant bytes to send now: ``(granted, 0.0)``, or ``(0, seconds to wait)``."""
        if rate is None:
            with self._lock:
                self._stamp = None  # unshaped: start full when shaping is switched on
            return want, 0.0
        capacity = max(1.0, rate * _BURST_S)
        piece = min(want, max(1, int(capacity)))
        now = time.monotonic()
        with self._lock:
            if self._stamp is None:
                self._tokens = capacity
            else:
                self._tokens = min(capacity, self._tokens + (now - self._stamp) * rate)
            self._stamp = now
            if self._tokens >= piece:
                self._tokens -= piece
                return piece, 0.0
            return 0, (piece - self._tokens) / rate


class _Connection:
    """One client connection: connects upstream, then pumps each direction in a thread."""

    def __init__(
        self,
        proxy: FaultProxy,
        client: socket.socket,
        *,
        faults: Faults,
        random_cut_at: int | None,
        serial: int,
    ) -> None:
        self._proxy = proxy
        self._client = client
        self._server: socket.socket | None = None
        self._random_cut_at = random_cut_at
        self._lock = threading.Lock()
        self._sent = dict.fromkeys(Direction, 0)
        # Each direction's byte limit as last seen, and the bytes sent when it was set.
        self._limit = {direction: faults.cut_after(direction) for direction in Direction}
        self._limit_base = dict.fromkeys(Direction, 0)
        self._ending = threading.Event()
        self._abortive = False
        self._name = f"{_THREAD_PREFIX}-{proxy.port}-conn{serial}"
        self.thread = threading.Thread(target=self._run, name=self._name)

    def end(self, *, reset: bool, counted: bool) -> bool:
        """Stop both directions; the sockets close (RST if ``reset``) once both threads are out.

        Returns:
            False when the connection was already ending.
        """
        with self._lock:
            if self._ending.is_set():
                return False
            self._ending.set()
            self._abortive = reset
            sockets = [sock for sock in (self._client, self._server) if sock is not None]
        if counted:
            self._proxy._count_cut()
        # SHUT_RD sends nothing but wakes the other thread's poll(); SHUT_RDWR sends the FIN now.
        how = socket.SHUT_RD if reset else socket.SHUT_RDWR
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(how)
        return True

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            for sock in (self._client, self._server):
                if sock is None:
                    continue
                if self._abortive:
                    with suppress(OSError):
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                sock.close()
            self._proxy._forget(self)

    def _serve(self) -> None:
        try:
            server = socket.create_connection(self._proxy.upstream, timeout=_CONNECT_TIMEOUT_S)
        except OSError:
            self._abortive = True  # upstream down: the client sees a reset, not a hang
            return
        with self._lock:
            self._server = server
            if self._ending.is_set():
                return
        for sock in (self._client, server):
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        downstream = threading.Thread(
            target=self._pump,
            args=(Direction.TO_CLIENT, server, self._client),
            name=f"{self._name}-down",
        )
        downstream.start()
        self._pump(Direction.TO_SERVER, self._client, server)
        downstream.join()

    def _pump(self, direction: Direction, src: socket.socket, dst: socket.socket) -> None:
        try:
            self._forward(direction, src, dst)
        except OSError:
            # A peer reset or vanished: pass that on as a reset, as the network would.
            self.end(reset=True, counted=False)

    def _forward(self, direction: Direction, src: socket.socket, dst: socket.socket) -> None:
        bucket = self._proxy._buckets[direction]
        pending: deque[tuple[float, memoryview]] = deque()  # (due time, data) delay line
        buffered = 0
        eof = False
        while not self._ending.is_set():
            faults = self._proxy.faults
            wait = _POLL_S
            if pending:
                due, chunk = pending[0]
                now = time.monotonic()
                if due > now:
                    wait = min(wait, due - now)
                else:
                    size, delay = bucket.take(len(chunk), faults.rate(direction))
                    if size == 0:
                        wait = min(wait, delay)
                    else:
                        size, cut = self._reserve(direction, size, faults)
                        if size and not self._send_all(dst, chunk[:size]):
                            return
                        if cut:
                            self.end(reset=faults.reset, counted=True)
                            return
                        if size == len(chunk):
                            pending.popleft()
                        else:
                            pending[0] = (due, chunk[size:])
                        buffered -= size
                        continue
            elif eof:
                dst.shutdown(socket.SHUT_WR)  # pass the half-close on
                return
            if eof or buffered >= _MAX_BUFFERED:
                self._ending.wait(wait)
                continue
            if not _wait_ready(src, write=False, timeout=wait):
                continue
            try:
                data = src.recv(_CHUNK)
            except BlockingIOError:
                continue
            if not data:
                eof = True
                continue
            pending.append((time.monotonic() + faults.latency_s, memoryview(data)))
            buffered += len(data)

    def _reserve(self, direction: Direction, size: int, faults: Faults) -> tuple[int, bool]:
        """Count ``size`` bytes about to be sent, fewer if a cut point comes first.

        Returns:
            (bytes to send, whether to cut the connection right after them).
        """
        with self._lock:
            room = []
            limit = faults.cut_after(direction)
            if limit != self._limit[direction]:
                self._limit[direction] = limit
                self._limit_base[direction] = self._sent[direction]
            if limit is not None:
                room.append(limit - (self._sent[direction] - self._limit_base[direction]))
            if self._random_cut_at is not None:
                room.append(self._random_cut_at - sum(self._sent.values()))
            cut = bool(room) and min(room) <= size
            if cut:
                size = max(0, min(room))
            self._sent[direction] += size
        self._proxy._count(direction, size)
        return size, cut

    def _send_all(self, sock: socket.socket, data: memoryview) -> bool:
        """Send all of ``data``; False if the connection ended first."""
        while data:
            if self._ending.is_set():
                return False
            try:
                sent = sock.send(data)
            except BlockingIOError:
                _wait_ready(sock, write=True, timeout=_POLL_S)
                continue
            data = data[sent:]
        return True


def _wait_ready(sock: socket.socket, *, write: bool, timeout: float) -> bool:
    """Wait up to ``timeout`` s for ``sock`` to be readable or writable (poll(): no fd limit)."""
    timeout = max(0.0, timeout)
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLOUT if write else select.POLLIN)
        return bool(poller.poll(timeout * 1000))
    readable, writable, _ = select.select(
        [] if write else [sock], [sock] if write else [], [], timeout
    )
    return bool(readable or writable)
