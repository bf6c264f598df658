"""Tests of the fault proxy over real sockets: a raw TCP echo server and a tiny HTTP server."""

from __future__ import annotations

import http.server
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from .faultproxy import FaultProxy, Faults, kbit_per_s

TIMEOUT_S = 5.0


@dataclass
class Received:
    """What one connection to `TcpServer` sent, and how it ended ("eof" or "reset")."""

    data: bytearray = field(default_factory=bytearray)
    ending: str = ""
    done: threading.Event = field(default_factory=threading.Event)


class TcpServer:
    """A raw TCP server on 127.0.0.1 that records each connection and echoes it if asked."""

    def __init__(self, *, echo: bool) -> None:
        self.echo = echo
        self.connections: list[Received] = []
        self._accepted = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._acceptor = threading.Thread(target=self._accept, name="test-tcpserver")
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            received = Received()
            with self._accepted:
                self.connections.append(received)
                self._accepted.notify_all()
            thread = threading.Thread(target=self._serve, args=(sock, received))
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket, received: Received) -> None:
        with sock:
            sock.settimeout(TIMEOUT_S)
            try:
                while not self._stop.is_set():
                    data = sock.recv(65536)
                    if not data:
                        received.ending = "eof"
                        break
                    received.data += data
                    if self.echo:
                        sock.sendall(data)
            except ConnectionResetError:
                received.ending = "reset"
            except OSError as error:
                received.ending = repr(error)
            finally:
                received.done.set()

    def finished(self, index: int) -> Received:
        """The ``index``-th connection, once it has ended (the proxy may be faster than accept)."""
        with self._accepted:
            assert self._accepted.wait_for(lambda: len(self.connections) > index, TIMEOUT_S)
            received = self.connections[index]
        assert received.done.wait(TIMEOUT_S)
        return received

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join()
        self._listener.close()
        for thread in self._threads:
            thread.join()


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """GET /<n> answers n bytes; POST answers with the body it got. Keeps connections alive."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = bytes(i % 251 for i in range(int(self.path.strip("/") or 0)))
        self._answer(body)

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers["Content-Length"])))

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class JoiningHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = False  # so server_close() joins the request threads

    def handle_error(self, request: object, client_address: object) -> None:
        # The proxy cuts connections on purpose: a reset request is expected, not printed as a
        # traceback into the test output; any other error still is.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture
def echo_server() -> Iterator[TcpServer]:
    server = TcpServer(echo=True)
    yield server
    server.close()


@pytest.fixture
def sink_server() -> Iterator[TcpServer]:
    server = TcpServer(echo=False)
    yield server
    server.close()


@pytest.fixture
def http_server() -> Iterator[tuple[str, int]]:
    server = JoiningHTTPServer(("127.0.0.1", 0), QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield ("127.0.0.1", server.server_address[1])
    server.shutdown()
    server.server_close()
    thread.join()


def exchange(port: int, payload: bytes) -> bytes:
    """Send ``payload`` to 127.0.0.1:port while reading; half-close; return all that came back.

    Raises:
        OSError: when the connection is reset.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as sock:
        failures: list[OSError] = []

        def send() -> None:
            try:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
            except OSError as error:
                failures.append(error)

        sender = threading.Thread(target=send)
        sender.start()
        received = bytearray()
        try:
            while data := sock.recv(65536):
                received += data
        finally:
            sender.join()
        return bytes(received)


def proxy_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("faultproxy")]


def test_forwards_a_large_payload_byte_exact_and_counts_it(echo_server: TcpServer) -> None:
    payload = random.Random(1).randbytes(4 * 1024 * 1024)
    with FaultProxy(echo_server.address) as proxy:
        assert exchange(proxy.port, payload) == payload
        assert proxy.stats.bytes_to_server == len(payload)
        assert proxy.stats.bytes_to_client == len(payload)
        assert proxy.stats.bytes_total == 2 * len(payload)
        assert proxy.stats.connections_accepted == 1
        assert proxy.stats.connections_cut == 0
    assert echo_server.finished(0).data == payload


def test_proxies_http_from_requests(http_server: tuple[str, int]) -> None:
    body = random.Random(2).randbytes(300_000)
    with FaultProxy(http_server) as proxy, requests.Session() as session:
        assert proxy.url == f"http://127.0.0.1:{proxy.port}"
        assert session.post(f"{proxy.url}/", data=body, timeout=TIMEOUT_S).content == body
        assert len(session.get(f"{proxy.url}/5000", timeout=TIMEOUT_S).content) == 5000
        stats = proxy.stats
        assert stats.bytes_to_server > len(body)
        assert 5000 + len(body) < stats.bytes_to_client < 5000 + len(body) + 1000
        assert stats.connections_accepted == 1  # keep-alive

        proxy.update(cut_request_after_bytes=100)  # counted from now on the live connection
        with pytest.raises(requests.ConnectionError):
            session.post(f"{proxy.url}/", data=body, timeout=TIMEOUT_S)
        assert proxy.stats.bytes_to_server == stats.bytes_to_server + 100
        assert proxy.stats.connections_cut == 1


@pytest.mark.parametrize(("reset", "ending"), [(True, "reset"), (False, "eof")])
def test_cut_mid_request_fails_the_client_and_leaves_a_partial_request(
    sink_server: TcpServer, reset: bool, ending: str
) -> None:
    with FaultProxy(
        sink_server.address, Faults(cut_request_after_bytes=1000, reset=reset)
    ) as proxy:
        with pytest.raises(requests.ConnectionError):
            requests.post(proxy.url, data=b"x" * 200_000, timeout=TIMEOUT_S)
        partial = sink_server.finished(0)
        assert proxy.stats.connections_cut == 1
        assert proxy.stats.bytes_to_server == 1000
    assert len(partial.data) == 1000
    assert partial.data.startswith(b"POST / HTTP/1.1\r\n")
    assert partial.ending == ending


def test_cut_mid_response_delivers_only_the_first_bytes(echo_server: TcpServer) -> None:
    with FaultProxy(
        echo_server.address, Faults(cut_response_after_bytes=5000, reset=False)
    ) as proxy:
        assert exchange(proxy.port, b"y" * 50_000) == b"y" * 5000
        proxy.update(reset=True)
        with pytest.raises(ConnectionResetError):
            exchange(proxy.port, b"z" * 50_000)
        assert proxy.stats.connections_cut == 2


def test_latency_delays_each_direction(echo_server: TcpServer) -> None:
    with FaultProxy(echo_server.address) as proxy:
        proxy.update(latency_s=0.15)
        started = time.monotonic()
        assert exchange(proxy.port, b"ping") == b"ping"
        assert time.monotonic() - started >= 0.3  # 150 ms there, 150 ms back


def test_shaping_limits_throughput(echo_server: TcpServer) -> None:
    rate = kbit_per_s(800)  # 100 kB/s each way
    payload = b"s" * 60_000
    faults = Faults(upload_bytes_per_s=rate, download_bytes_per_s=rate)
    with FaultProxy(echo_server.address, faults) as proxy:
        started = time.monotonic()
        assert exchange(proxy.port, payload) == payload
        assert time.monotonic() - started >= 0.5  # 0.6 s less one 50 ms burst


def test_cut_every_nth_connection_at_a_random_point(echo_server: TcpServer) -> None:
    faults = Faults(cut_every=2, random_cut_within_bytes=500, reset=False)
    with FaultProxy(echo_server.address, faults) as proxy:
        lengths = [len(exchange(proxy.port, b"e" * 1000)) for _ in range(4)]
        assert lengths[0] == lengths[2] == 1000
        assert lengths[1] < 500 and lengths[3] < 500
        assert proxy.stats.connections_cut == 2


def test_random_cuts_follow_the_seed(echo_server: TcpServer) -> None:
    def pattern(seed: int) -> list[int]:
        faults = Faults(cut_probability=0.5, random_cut_within_bytes=1500, reset=False)
        with FaultProxy(echo_server.address, faults, seed=seed) as proxy:
            return [len(exchange(proxy.port, b"r" * 1000)) for _ in range(8)]

    first = pattern(7)
    assert first == pattern(7)
    assert any(length < 1000 for length in first) and 1000 in first


def test_offline_refuses_and_cuts_then_recovers_on_the_same_port(echo_server: TcpServer) -> None:
    with FaultProxy(echo_server.address) as proxy:
        port = proxy.port
        live = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        with live:
            live.sendall(b"hello")
            assert live.recv(5) == b"hello"
            proxy.update(offline=True)
            with pytest.raises(ConnectionResetError):
                live.recv(5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S).close()
        with pytest.raises(requests.ConnectionError):
            requests.get(proxy.url, timeout=TIMEOUT_S)
        proxy.update(offline=False)
        assert proxy.port == port
        assert exchange(port, b"back") == b"back"
        assert proxy.stats.connections_cut == 1


def test_starts_offline_when_asked(echo_server: TcpServer) -> None:
    with FaultProxy(echo_server.address, Faults(offline=True)) as proxy:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT_S).close()
        proxy.update(offline=False)
        assert exchange(proxy.port, b"up") == b"up"


def test_close_is_prompt_and_leaves_no_threads(echo_server: TcpServer) -> None:
    proxy = FaultProxy(echo_server.address, Faults(latency_s=2.0))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=TIMEOUT_S) as sock:
        sock.sendall(b"stuck in the delay line")
        deadline = time.monotonic() + TIMEOUT_S
        while len(proxy_threads()) < 3:
            assert time.monotonic() < deadline, "the proxy never picked the connection up"
            threading.Event().wait(0.01)
        assert len(proxy_threads()) == 3  # accept loop + one thread per direction
        started = time.monotonic()
        proxy.close()
        assert time.monotonic() - started < 1.0
        assert proxy_threads() == []
        with pytest.raises(ConnectionResetError):
            sock.recv(10)
    proxy.close()  # idempotent
    with pytest.raises(RuntimeError):
        proxy.update(latency_s=0)


def test_rejects_invalid_faults(echo_server: TcpServer) -> None:
    with pytest.raises(ValueError, match="latency_s"):
        Faults(latency_s=-1)
    with FaultProxy(echo_server.address) as proxy:
        with pytest.raises(ValueError, match="cut_probability"):
            proxy.update(cut_probability=2)
        with pytest.raises(TypeError):
            proxy.update(no_such_fault=1)
        assert proxy.faults == Faults()


def test_imports_standalone_without_pytest() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import faultproxy; "
        "assert 'pytest' not in sys.modules; print(faultproxy.kbit_per_s(256))"
    )
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "32000.0"
