"""A laptop newer than its district server: it falls back to a bundle suite the server reads, and
moves on once the server is updated (docs/bundle-format.md, Versioning)."""

from __future__ import annotations

import http.server
import json
import struct
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests

from desktop.storage.store import Store
from desktop.sync.client import SUITE_HEADER, SyncClient
from desktop.sync.engine import SyncEngine
from desktop.sync.enroll import enroll_online
from desktop.sync.state import SyncState
from simpul.bundle import SUITE_V1, SUITE_V2, peek_suite
from simpul.synthetic import generate_cases

from .conftest import VILLAGE, DistrictServer

_HOP_BY_HOP = {"connection", "content-length", "transfer-encoding", "keep-alive", "date", "server"}


class OlderDistrict:
    """The real district behind a front that answers as a server from before suite 2 does: it
    refuses a suite 2 push as ``unsupported_suite``, ignores the pull's ``suite`` and never
    says which suite it reads. ``updated = True`` makes it the current server again."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.updated = False
        self.pushed_suites: list[int | None] = []
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                front.relay(self)

            def do_POST(self) -> None:
                front.relay(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.http = requests.Session()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def relay(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        parts = urlsplit(handler.path)
        query = parse_qsl(parts.query)
        if parts.path == "/v1/sync/push":
            self.pushed_suites.append(peek_suite(body))
            if not self.updated and peek_suite(body) != SUITE_V1:
                error = {"error": "unsupported_suite", "message": "Cipher suite 2 is not supported"}
                self.answer(handler, 422, {"Content-Type": "application/json"}, json.dumps(error))
                return
        if not self.updated:
            query = [(key, value) for key, value in query if key != "suite"]
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in {"host"}}
        upstream = self.http.request(
            handler.command,
            f"{self.upstream}{parts.path}?{urlencode(query)}",
            data=body,
            headers=headers,
        )
        answer = {
            k: v
            for k, v in upstream.headers.items()
            if k.lower() not in _HOP_BY_HOP and (self.updated or k.lower() != SUITE_HEADER.lower())
        }
        self.answer(handler, upstream.status_code, answer, upstream.content)

    @staticmethod
    def answer(
        handler: http.server.BaseHTTPRequestHandler,
        status: int,
        headers: dict[str, str],
        body: str | bytes,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()


@pytest.fixture
def older_district(district_server: DistrictServer) -> Iterator[OlderDistrict]:
    front = OlderDistrict(district_server.url)
    yield front
    front.close()


def _add_cases(store: Store, n: int, seed: int) -> None:
    store.save_many(list(generate_cases(n, seed=seed, village=VILLAGE)))


def test_a_laptop_newer_than_its_server_falls_back_and_moves_on_after_the_update(
    district_server: DistrictServer, older_district: OlderDistrict, make_profile: Any
) -> None:
    store = make_profile()
    enroll_online(store, older_district.url, district_server.enrollment_code())
    state = SyncState(store)
    assert state.district_suite() == SUITE_V2

    _add_cases(store, 5, seed=1)
    report = SyncEngine(store).run_once()
    # refused in suite 2, sent again in suite 1: nothing lost, and remembered
    assert report.pushed_changes == 5
    assert older_district.pushed_suites == [SUITE_V2, SUITE_V1]
    assert state.district_suite() == SUITE_V1

    _add_cases(store, 3, seed=2)
    assert SyncEngine(store).run_once().pushed_changes == 3
    assert older_district.pushed_suites[2:] == [SUITE_V1]  # no upload wasted on suite 2

    older_district.updated = True  # the district updates its server
    _add_cases(store, 2, seed=3)
    SyncEngine(store).run_once()
    assert state.district_suite() == SUITE_V2  # the server said so in its answers
    _add_cases(store, 2, seed=4)
    SyncEngine(store).run_once()
    assert older_district.pushed_suites[3:] == [SUITE_V1, SUITE_V2]
    assert len(district_server.records()) == 12


def test_the_pull_asks_for_the_newest_suite_the_laptop_reads(
    district_server: DistrictServer, make_profile: Any
) -> None:
    store = make_profile()
    enroll_online(store, district_server.url, district_server.enrollment_code())
    _add_cases(store, 3, seed=5)
    SyncEngine(store).run_once()
    enrollment = SyncState(store).require_enrollment()
    with SyncClient(enrollment.server_url or "", token=enrollment.token) as client:
        # holds=0: as a laptop put back from an older copy, it gets its own changes back
        bundle, _cursor = client.pull(0, holds=0)
        assert bundle is not None
        assert struct.unpack_from(">H", bundle, 10) == (SUITE_V2,)
        assert client.district_suite == SUITE_V2
