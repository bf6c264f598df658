"""The HTTP API against a real uvicorn on 127.0.0.1, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import http.client
import logging
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from district.app import CURSOR_HEADER, IMPORT_STATUS_HEADER
from district.service import MAX_IMPORT_BYTES
from district.testing import SyntheticDevice
from district.views import DeviceCredentials, StaffView
from simpul.bundle import SUITE_V1, SUITE_V2, verify_receipt

from .conftest import OTHER_VILLAGE, VILLAGE, FakeClock, LiveServer

PASSWORD = "kata sandi staf yang panjang"
AUDITOR = StaffView(user_id=0, name="pytest", role="admin")
Enroll = Callable[..., SyntheticDevice]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _enroll_body(device: SyntheticDevice, code: str) -> dict[str, Any]:
    return {
        "code": code,
        "device_enc_public": _b64(device.encryption.public_bytes()),
        "device_sign_public": _b64(device.signing.public_bytes()),
        "device_id": device.device_id,
    }


@pytest.fixture
def enroll_http(server: LiveServer) -> Enroll:
    """Enroll a synthetic laptop over HTTP: ``enroll_http(village=VILLAGE)``."""

    def make(village: str = VILLAGE) -> SyntheticDevice:
        device = SyntheticDevice(village)
        code = server.district.create_enrollment(village).code
        response = server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(device, code))
        assert response.status_code == 201, response.text
        body = response.json()
        device.enroll_with(
            DeviceCredentials(
                device_id=body["device_id"],
                token=body["token"],
                village=body["village"],
                district_enc_public=base64.b64decode(body["district_enc_public"]),
                district_sign_public=base64.b64decode(body["district_sign_public"]),
            )
        )
        return device

    return make


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _push(
    server: LiveServer, device: SyntheticDevice, bundle: bytes, *, key: str | None = None
) -> requests.Response:
    assert device.credentials is not None
    headers = {**_auth(device.credentials.token), "Content-Type": "application/octet-stream"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return server.http.post(f"{server.url}/v1/sync/push", data=bundle, headers=headers, timeout=60)


def _records(server: LiveServer, **filters: Any) -> list[Any]:
    return server.district.list_records(AUDITOR, limit=1000, **filters)


def _login(server: LiveServer, name: str, role: str) -> dict[str, str]:
    server.district.add_user(name, role, PASSWORD)
    response = server.http.post(
        f"{server.url}/v1/staff/login", json={"name": name, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == role
    return _auth(response.json()["token"])


def _assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["error"] == code and body["message"]
    assert "Traceback" not in response.text
    return body


# --------------------------------------------------------------------------- health, schema


def test_health_answers_without_a_session(server: LiveServer) -> None:
    response = server.http.get(f"{server.url}/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["version"]
    assert response.headers["cache-control"] == "no-store"


def test_the_openapi_schema_lists_every_endpoint(server: LiveServer) -> None:
    schema = server.http.get(f"{server.url}/openapi.json").json()
    assert {
        "/v1/health",
        "/v1/enroll",
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/staff/login",
        "/v1/records",
        "/v1/records/{record_id}",
        "/v1/records/{record_id}/followup",
        "/v1/devices",
        "/v1/devices/{device_id}/revoke",
        "/v1/enrollments",
        "/v1/enrollments/file",
        "/v1/audit",
    } <= set(schema["paths"])
    push = schema["paths"]["/v1/sync/push"]["post"]
    assert "application/octet-stream" in push["requestBody"]["content"]


# --------------------------------------------------------------------------- enrollment


def test_enroll_returns_credentials_and_the_district_keys(server: LiveServer) -> None:
    device = SyntheticDevice(VILLAGE)
    code = server.district.create_enrollment(VILLAGE).code
    response = server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(device, code))
    assert response.status_code == 201
    body = response.json()
    assert body["device_id"] == device.device_id and body["village"] == VILLAGE
    assert len(body["token"]) >= 32
    keys = server.district.keys
    assert base64.b64decode(body["district_enc_public"]) == keys.encryption.public_bytes()
    assert base64.b64decode(body["district_sign_public"]) == keys.signing.public_bytes()
    assert body["district_sign_key_id"] == keys.signing.key_id
    [view] = server.district.devices()
    assert view.device_id == device.device_id and not view.revoked


def test_an_enrollment_code_works_once(server: LiveServer) -> None:
    code = server.district.create_enrollment(VILLAGE).code
    first = SyntheticDevice(VILLAGE)
    assert server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(first, code)).ok
    second = SyntheticDevice(VILLAGE)
    again = server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(second, code))
    _assert_error(again, 400, "enrollment_code_used")
    unknown = server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(second, "AAAAA-BBBBB"))
    _assert_error(unknown, 400, "enrollment_code_unknown")
    assert len(server.district.devices()) == 1


def test_an_expired_enrollment_code_is_refused(server: LiveServer, clock: FakeClock) -> None:
    code = server.district.create_enrollment(VILLAGE, ttl_hours=2).code
    clock.advance(hours=2, seconds=1)
    device = SyntheticDevice(VILLAGE)
    response = server.http.post(f"{server.url}/v1/enroll", json=_enroll_body(device, code))
    _assert_error(response, 400, "enrollment_code_expired")
    assert server.district.devices() == []


def test_enroll_rejects_malformed_keys_and_bodies(server: LiveServer) -> None:
    code = server.district.create_enrollment(VILLAGE).code
    device = SyntheticDevice(VILLAGE)
    url = f"{server.url}/v1/enroll"
    body = _enroll_body(device, code)
    bad_b64 = server.http.post(url, json={**body, "device_sign_public": "not base64!"})
    assert _assert_error(bad_b64, 422, "invalid_base64")["params"] == {
        "field": "device_sign_public"
    }
    short_key = server.http.post(url, json={**body, "device_enc_public": _b64(b"x" * 32)})
    _assert_error(short_key, 422, "invalid_device_key")
    missing = server.http.post(url, json={"code": code})
    problems = _assert_error(missing, 422, "invalid_request")["params"]["problems"]
    assert {"loc": ["body", "device_enc_public"], "type": "missing"} in problems
    broken = server.http.post(
        url, data=b'{"code": "ABC', headers={"Content-Type": "application/json"}
    )
    _assert_error(broken, 422, "invalid_request")
    # the code is still unused: the failures above changed nothing
    assert server.http.post(url, json=body).status_code == 201


# --------------------------------------------------------------------------- push


def test_push_imports_a_bundle_and_answers_with_a_verifiable_receipt(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    changes = device.new_cases(12, seed=5) + device.new_outreach(3, seed=5)
    response = _push(server, device, device.seal(changes))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers[IMPORT_STATUS_HEADER] == "imported"
    receipt = verify_receipt(response.content, district_key=device.district_signing)
    assert receipt.device == device.device_id
    assert receipt.acks[device.device_id].high == 15
    assert response.headers["X-Simpul-Bundle-Id"] in receipt.bundles
    assert len(_records(server, kind="case")) == 12
    assert len(_records(server, kind="outreach")) == 3


def test_the_same_push_again_returns_the_same_receipt(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    bundle = device.seal(device.new_cases(4))
    first = _push(server, device, bundle)
    second = _push(server, device, bundle)
    assert second.status_code == 200
    assert second.headers[IMPORT_STATUS_HEADER] == "already_imported"
    assert second.content == first.content
    assert len(_records(server)) == 4


def test_concurrent_pushes_of_one_bundle_store_it_once(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    bundle = device.seal(device.new_cases(20))
    answers: list[requests.Response] = []
    start = threading.Barrier(6)

    def push() -> None:
        with requests.Session() as session:
            assert device.credentials is not None
            start.wait()
            answers.append(
                session.post(
                    f"{server.url}/v1/sync/push",
                    data=bundle,
                    headers=_auth(device.credentials.token),
                    timeout=60,
                )
            )

    threads = [threading.Thread(target=push) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1
    statuses = sorted(a.headers[IMPORT_STATUS_HEADER] for a in answers)
    assert statuses == ["already_imported"] * 5 + ["imported"]
    assert len(_records(server)) == 20


def test_idempotency_key_must_be_the_bundle_id(server: LiveServer, enroll_http: Enroll) -> None:
    device = enroll_http()
    bundle = device.seal(device.new_cases(1))
    _assert_error(_push(server, device, bundle, key="no spaces!"), 422, "idempotency_key_invalid")
    good = _push(server, device, bundle)
    bundle_id = good.headers["X-Simpul-Bundle-Id"]
    again = _push(server, device, bundle, key=bundle_id)
    assert again.status_code == 200 and again.content == good.content
    wrong = _push(server, device, bundle, key="0123456789abcdef")
    _assert_error(wrong, 422, "idempotency_key_mismatch")


def test_a_tampered_bundle_is_rejected_with_its_reason(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    bundle = bytearray(device.seal(device.new_cases(3)))
    bundle[len(bundle) // 2] ^= 0x01
    body = _assert_error(_push(server, device, bytes(bundle)), 422, "tampered")
    assert body["params"]["reason"] == "tampered"
    _assert_error(_push(server, device, bytes(bundle[:-7])), 422, "truncated")
    _assert_error(_push(server, device, b"hello, district"), 422, "not_a_bundle")
    _assert_error(_push(server, device, b""), 422, "truncated")
    assert _records(server) == []


def test_a_revoked_device_is_refused(server: LiveServer, enroll_http: Enroll) -> None:
    device, courier = enroll_http(), enroll_http()
    bundle = device.seal(device.new_cases(2))
    server.district.revoke_device(device.device_id)
    _assert_error(_push(server, device, bundle), 403, "device_revoked")
    # its bundle carried by another laptop is refused too: the signer is revoked
    assert courier.credentials is not None
    relayed = server.http.post(
        f"{server.url}/v1/sync/push", data=bundle, headers=_auth(courier.credentials.token)
    )
    _assert_error(relayed, 403, "device_revoked")
    assert device.credentials is not None
    pull = server.http.get(f"{server.url}/v1/sync/pull", headers=_auth(device.credentials.token))
    _assert_error(pull, 403, "device_revoked")
    assert _records(server) == []


def test_push_needs_a_known_device_token(server: LiveServer, enroll_http: Enroll) -> None:
    device = enroll_http()
    bundle = device.seal(device.new_cases(1))
    url = f"{server.url}/v1/sync/push"
    missing = server.http.post(url, data=bundle)
    _assert_error(missing, 401, "unauthorized")
    assert missing.headers["www-authenticate"] == "Bearer"
    _assert_error(
        server.http.post(url, data=bundle, headers=_auth("x" * 43)), 401, "unknown_device"
    )
    basic = server.http.post(url, data=bundle, headers={"Authorization": "Basic YWJjOmRlZg=="})
    _assert_error(basic, 401, "unauthorized")
    assert _records(server) == []


def _raw_post(server: LiveServer, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST headers only (no body sent), and read the answer: shows the server did not wait."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("POST", path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_an_oversize_push_is_refused_before_it_is_read(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    assert device.credentials is not None
    status, body = _raw_post(
        server,
        "/v1/sync/push",
        {**_auth(device.credentials.token), "Content-Length": str(MAX_IMPORT_BYTES + 1)},
    )
    assert status == 413 and b'"request_too_large"' in body
    # chunked: no length declared, the stream is cut at the cap
    chunk = b"\0" * 65536

    def stream() -> Iterator[bytes]:
        for _ in range(MAX_IMPORT_BYTES // len(chunk) + 1):
            yield chunk

    response = server.http.post(
        f"{server.url}/v1/sync/push", data=stream(), headers=_auth(device.credentials.token)
    )
    _assert_error(response, 413, "request_too_large")


def test_an_oversize_json_body_is_refused(server: LiveServer) -> None:
    status, body = _raw_post(
        server,
        "/v1/staff/login",
        {"Content-Type": "application/json", "Content-Length": str(64 * 1024 * 1024)},
    )
    assert status == 413 and b'"request_too_large"' in body


# --------------------------------------------------------------------------- pull


def test_pull_returns_the_villages_changes_and_a_cursor(
    server: LiveServer, enroll_http: Enroll
) -> None:
    author, other, elsewhere = enroll_http(), enroll_http(), enroll_http(OTHER_VILLAGE)
    changes = author.new_cases(6, seed=9)
    assert _push(server, author, author.seal(changes)).status_code == 200
    assert _push(server, elsewhere, elsewhere.seal(elsewhere.new_cases(2))).status_code == 200
    assert other.credentials is not None
    url = f"{server.url}/v1/sync/pull"
    response = server.http.get(url, headers=_auth(other.credentials.token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    opened = other.open_return(response.content)
    assert opened.kind == "return"
    assert [c.id for c in opened.changes] == [c.id for c in changes]  # only its own village
    assert other.receive(opened.changes) == 6
    cursor = int(response.headers[CURSOR_HEADER])
    assert cursor > 0
    again = server.http.get(url, params={"since": cursor}, headers=_auth(other.credentials.token))
    assert again.status_code == 204 and again.content == b""
    assert again.headers[CURSOR_HEADER] == str(cursor)
    # the author gets nothing back: it holds its own changes
    assert author.credentials is not None
    assert server.http.get(url, headers=_auth(author.credentials.token)).status_code == 204
    bad = server.http.get(url, params={"since": "-1"}, headers=_auth(other.credentials.token))
    _assert_error(bad, 422, "invalid_request")


def test_pull_seals_in_a_suite_the_laptop_reads(server: LiveServer, enroll_http: Enroll) -> None:
    author, reader = enroll_http(), enroll_http()
    assert _push(server, author, author.seal(author.new_cases(3))).status_code == 200
    assert reader.credentials is not None
    url = f"{server.url}/v1/sync/pull"
    headers = _auth(reader.credentials.token)
    # a laptop from before suite 2 says nothing and gets suite 1; a newer one what it says,
    # or the newest the server has
    for params, suite in (({}, SUITE_V1), ({"suite": 2}, SUITE_V2), ({"suite": 9}, SUITE_V2)):
        response = server.http.get(url, params=params, headers=headers)
        assert response.status_code == 200
        assert struct.unpack_from(">H", response.content, 10) == (suite,)
        opened = reader.open_return(response.content)
        assert opened.suite == suite and len(opened.changes) == 3
    no_suite = server.http.get(url, params={"suite": 0}, headers=headers)
    _assert_error(no_suite, 422, "invalid_request")


# --------------------------------------------------------------------------- staff


def test_staff_list_and_read_records_and_reads_are_audited(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device, elsewhere = enroll_http(), enroll_http(OTHER_VILLAGE)
    _push(server, device, device.seal(device.new_cases(5) + device.new_outreach(2)))
    _push(server, elsewhere, elsewhere.seal(elsewhere.new_cases(3)))
    staff = _login(server, "sari", "staff")
    url = f"{server.url}/v1/records"
    everything = server.http.get(url, headers=staff).json()["records"]
    assert len(everything) == 10
    cases_here = server.http.get(url, params={"kind": "case", "village": VILLAGE}, headers=staff)
    rows = cases_here.json()["records"]
    assert len(rows) == 5 and {r["village"] for r in rows} == {VILLAGE}
    kecamatan = OTHER_VILLAGE.rsplit(".", 1)[0]
    in_kecamatan = server.http.get(url, params={"kecamatan": kecamatan}, headers=staff).json()
    assert len(in_kecamatan["records"]) == 3
    page = server.http.get(url, params={"limit": 4, "offset": 8}, headers=staff).json()
    assert len(page["records"]) == 2
    record_id = rows[0]["record_id"]
    detail = server.http.get(f"{url}/{record_id}", headers=staff)
    assert detail.status_code == 200
    body = detail.json()
    assert body["record_id"] == record_id and body["kind"] == "case" and body["base"]
    assert body["document"]["village"] == VILLAGE
    missing = server.http.get(f"{url}/00000000-0000-4000-8000-000000000000", headers=staff)
    _assert_error(missing, 404, "record_not_found")
    admin = _login(server, "admin-kab", "admin")
    audit = server.http.get(
        f"{server.url}/v1/audit", params={"record_id": record_id}, headers=admin
    ).json()["entries"]
    assert [(e["actor"], e["action"]) for e in audit] == [("staff:sari", "view")]
    _assert_error(server.http.get(f"{server.url}/v1/audit", headers=staff), 403, "access_denied")


def test_a_followup_by_staff_reaches_the_village_and_a_viewer_cannot_write(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    [change] = device.new_cases(1, seed=4)
    _push(server, device, device.seal([change]))
    url = f"{server.url}/v1/records/{change.record_id}"
    viewer = _login(server, "wulan", "viewer")
    detail = server.http.get(url, headers=viewer).json()
    new_status = "selesai" if detail["document"].get("status") != "selesai" else "dirujuk"
    body = {"document": {**detail["document"], "status": new_status}, "base": detail["base"]}
    refused = server.http.post(f"{url}/followup", json=body, headers=viewer)
    assert _assert_error(refused, 403, "access_denied")["params"]["role"] == "viewer"
    staff = _login(server, "sari", "staff")
    saved = server.http.post(f"{url}/followup", json=body, headers=staff)
    assert saved.status_code == 200, saved.text
    assert saved.json()["document"]["status"] == new_status
    assert device.credentials is not None
    pulled = server.http.get(f"{server.url}/v1/sync/pull", headers=_auth(device.credentials.token))
    [followup] = device.open_return(pulled.content).changes
    assert followup.record_id == change.record_id and followup.author == "staff:sari"
    bogus = {**body, "document": {**body["document"], "status": "no-such-status"}}
    rejected = server.http.post(f"{url}/followup", json=bogus, headers=staff)
    problems = _assert_error(rejected, 422, "validation_failed")["params"]["problems"]
    assert problems == [["status", "unknown_code"]]
    invalid = server.http.post(f"{url}/followup", json={"document": {}, "base": "x"}, headers=staff)
    _assert_error(invalid, 422, "invalid_request")


def test_sessions_and_credentials(server: LiveServer, clock: FakeClock) -> None:
    server.district.add_user("sari", "staff", PASSWORD)
    login = f"{server.url}/v1/staff/login"
    wrong = server.http.post(login, json={"name": "sari", "password": "salah salah salah"})
    _assert_error(wrong, 401, "bad_credentials")
    nobody = server.http.post(login, json={"name": "nobody", "password": PASSWORD})
    assert nobody.json() == wrong.json()  # the answer does not say which was wrong
    token = server.http.post(login, json={"name": "sari", "password": PASSWORD}).json()["token"]
    me = server.http.get(f"{server.url}/v1/staff/me", headers=_auth(token)).json()
    assert (me["name"], me["role"]) == ("sari", "staff")
    _assert_error(server.http.get(f"{server.url}/v1/records"), 401, "unauthorized")
    clock.advance(hours=9)
    expired = server.http.get(f"{server.url}/v1/records", headers=_auth(token))
    _assert_error(expired, 401, "session_expired")
    fresh = server.http.post(login, json={"name": "sari", "password": PASSWORD}).json()["token"]
    out = server.http.post(f"{server.url}/v1/staff/logout", headers=_auth(fresh))
    assert out.status_code == 204
    _assert_error(
        server.http.get(f"{server.url}/v1/records", headers=_auth(fresh)), 401, "session_expired"
    )


def test_admin_enrollments_devices_and_revocation(server: LiveServer, enroll_http: Enroll) -> None:
    admin = _login(server, "admin-kab", "admin")
    staff = _login(server, "sari", "staff")
    url = f"{server.url}/v1/enrollments"
    made = server.http.post(url, json={"village": VILLAGE, "ttl_hours": 24}, headers=admin)
    assert made.status_code == 201 and made.json()["village"] == VILLAGE
    laptop = SyntheticDevice(VILLAGE)
    enrolled = server.http.post(
        f"{server.url}/v1/enroll", json=_enroll_body(laptop, made.json()["code"])
    )
    assert enrolled.status_code == 201
    _assert_error(
        server.http.post(url, json={"village": VILLAGE}, headers=staff), 403, "access_denied"
    )
    unknown = server.http.post(url, json={"village": "33.27.99.9999"}, headers=admin)
    _assert_error(unknown, 422, "unknown_village")
    _assert_error(
        server.http.post(url, json={"village": VILLAGE, "ttl_hours": 0}, headers=admin),
        422,
        "invalid_request",
    )
    devices = server.http.get(f"{server.url}/v1/devices", headers=staff).json()["devices"]
    assert [d["device_id"] for d in devices] == [laptop.device_id]
    revoke = f"{server.url}/v1/devices/{laptop.device_id}/revoke"
    _assert_error(server.http.post(revoke, headers=staff), 403, "access_denied")
    revoked = server.http.post(revoke, headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    gone = server.http.post(f"{server.url}/v1/devices/no-such-device/revoke", headers=admin)
    _assert_error(gone, 404, "unknown_device")


# --------------------------------------------------------------------------- robustness


def test_malformed_requests_get_json_errors(server: LiveServer) -> None:
    _assert_error(server.http.get(f"{server.url}/v1/nothing-here"), 404, "not_found")
    _assert_error(server.http.delete(f"{server.url}/v1/health"), 405, "method_not_allowed")
    login = f"{server.url}/v1/staff/login"
    not_json = server.http.post(
        login, data=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    _assert_error(not_json, 422, "invalid_request")
    secret = "rahasia-yang-tidak-boleh-kembali"
    wrong_type = server.http.post(login, json={"name": ["sari"], "password": secret, "x": 1})
    body = _assert_error(wrong_type, 422, "invalid_request")
    assert secret not in wrong_type.text  # the input is never echoed
    assert {"loc": ["body", "x"], "type": "extra_forbidden"} in body["params"]["problems"]
    array = server.http.post(login, json=[1, 2, 3])
    _assert_error(array, 422, "invalid_request")


def test_the_log_holds_no_ids_tokens_or_names(
    server: LiveServer, enroll_http: Enroll, caplog: pytest.LogCaptureFixture
) -> None:
    # what `simpul-district serve` logs: the district loggers and uvicorn's
    caplog.set_level(logging.DEBUG, logger="district")
    caplog.set_level(logging.DEBUG, logger="uvicorn")
    device = enroll_http()
    [change] = device.new_cases(1, seed=2)
    _push(server, device, device.seal([change]))
    staff = _login(server, "sari", "staff")
    detail = server.http.get(f"{server.url}/v1/records/{change.record_id}", headers=staff).json()
    server.http.get(f"{server.url}/v1/records", params={"village": VILLAGE}, headers=staff)
    assert "GET /v1/records/{record_id} 200" in caplog.text
    assert device.credentials is not None
    secrets = [change.record_id, device.credentials.token, device.device_id, VILLAGE]
    secrets += [v for v in detail["document"].values() if isinstance(v, str) and len(v) > 6]
    for value in secrets:
        assert value not in caplog.text


def test_a_bug_is_a_json_500_and_its_message_stays_out_of_the_log(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="district")
    staff = _login(server, "sari", "staff")
    leaked = "nama korban 'Siti Aminah' in a SQL parameter"

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(leaked)

    monkeypatch.setattr(server.district, "find_records", broken)
    response = server.http.get(f"{server.url}/v1/records", headers=staff)
    _assert_error(response, 500, "internal_error")
    assert leaked not in response.text
    assert "unhandled RuntimeError in GET /v1/records" in caplog.text
    assert "Siti Aminah" not in caplog.text


# --------------------------------------------------------------------------- review fixes


def test_a_nul_character_anywhere_is_a_422(server: LiveServer, enroll_http: Enroll) -> None:
    device = enroll_http()
    [change] = device.new_cases(1, seed=4)
    _push(server, device, device.seal([change]))
    staff = _login(server, "sari", "staff")
    url = f"{server.url}/v1/records"
    _assert_error(
        server.http.get(url, params={"status": "a\x00b"}, headers=staff), 422, "invalid_text"
    )
    _assert_error(server.http.get(f"{url}/abc%00def", headers=staff), 422, "invalid_text")
    admin = _login(server, "adi", "admin")
    audit = server.http.get(f"{server.url}/v1/audit", params={"record_id": "\x00"}, headers=admin)
    _assert_error(audit, 422, "invalid_text")
    detail = server.http.get(f"{url}/{change.record_id}", headers=staff).json()
    document = {**detail["document"], "notes": "catatan\x00"}
    saved = server.http.post(
        f"{url}/{change.record_id}/followup",
        json={"document": document, "base": detail["base"]},
        headers=staff,
    )
    _assert_error(saved, 422, "invalid_text")
    resolve = server.http.post(
        f"{url}/{change.record_id}/followup",
        json={"document": detail["document"], "base": detail["base"], "resolve": ["st\x00"]},
        headers=staff,
    )
    _assert_error(resolve, 422, "invalid_text")
    login = server.http.post(
        f"{server.url}/v1/staff/login", json={"name": "sa\x00ri", "password": PASSWORD}
    )
    _assert_error(login, 422, "invalid_text")
    code = server.http.post(
        f"{server.url}/v1/enrollments", json={"village": "33\x00"}, headers=admin
    )
    _assert_error(code, 422, "invalid_text")


def test_followup_resolve_needs_a_real_conflict_and_cannot_delete(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    [change] = device.new_cases(1, seed=4)
    _push(server, device, device.seal([change]))
    staff = _login(server, "sari", "staff")
    url = f"{server.url}/v1/records/{change.record_id}"
    detail = server.http.get(url, headers=staff).json()
    for path in ("nope/x/y", "village", "code", "victims", "_deleted", "", "a" * 5000, "status"):
        body = {"document": detail["document"], "base": detail["base"], "resolve": [path]}
        _assert_error(
            server.http.post(f"{url}/followup", json=body, headers=staff), 422, "bad_resolve"
        )
    for deleted in (True, False, None):
        body = {"document": {**detail["document"], "_deleted": deleted}, "base": detail["base"]}
        refused = server.http.post(f"{url}/followup", json=body, headers=staff)
        _assert_error(refused, 422, "delete_not_allowed")
    after = server.http.get(url, headers=staff).json()
    assert after["deleted"] is False and after["base"] == detail["base"]


def test_a_push_must_be_the_tokens_device_or_its_village(
    server: LiveServer, enroll_http: Enroll
) -> None:
    x, neighbour, y = enroll_http(), enroll_http(), enroll_http(OTHER_VILLAGE)
    bundle = y.seal(y.new_cases(3, seed=3))
    _assert_error(_push(server, x, bundle), 403, "wrong_device")
    assert _records(server) == []
    assert _push(server, y, bundle).status_code == 200
    _assert_error(_push(server, x, bundle), 403, "wrong_device")  # not even the old receipt
    relayed = _push(server, x, neighbour.seal(neighbour.new_cases(1, seed=5)))
    assert relayed.status_code == 200 and relayed.headers[IMPORT_STATUS_HEADER] == "imported"


def test_a_wrong_idempotency_key_stores_nothing(server: LiveServer, enroll_http: Enroll) -> None:
    device = enroll_http()
    bundle = device.seal(device.new_cases(2))
    _assert_error(
        _push(server, device, bundle, key="0123456789abcdef"), 422, "idempotency_key_mismatch"
    )
    assert _records(server) == []
    assert server.district.devices()[0].highest_sequence == 0


# --------------------------------------------------------------------------- who did it


def test_admin_and_staff_actions_are_audited_under_the_signed_in_name(
    server: LiveServer, enroll_http: Enroll
) -> None:
    device = enroll_http()
    [change] = device.new_cases(1, seed=6)
    _push(server, device, device.seal([change]))
    admin = _login(server, "admin-kab", "admin")
    staff = _login(server, "sari", "staff")
    url = server.url
    assert server.http.get(f"{url}/v1/devices", headers=staff).status_code == 200
    made = server.http.post(f"{url}/v1/enrollments", json={"village": VILLAGE}, headers=admin)
    assert made.status_code == 201
    as_file = server.http.post(
        f"{url}/v1/enrollments/file",
        json={"village": OTHER_VILLAGE, "ttl_hours": 24, "server_url": "https://kab.example"},
        headers=admin,
    )
    assert as_file.status_code == 201, as_file.text
    assert "attachment" in as_file.headers["content-disposition"]
    doc = as_file.json()
    assert doc["format"] == "simpul-enrollment" and doc["village"] == OTHER_VILLAGE
    assert doc["server_url"] == "https://kab.example" and doc["code"]
    refused = server.http.post(
        f"{url}/v1/enrollments/file", json={"village": VILLAGE}, headers=staff
    )
    _assert_error(refused, 403, "access_denied")
    revoked = server.http.post(f"{url}/v1/devices/{device.device_id}/revoke", headers=admin)
    assert revoked.status_code == 200
    records = f"{url}/v1/records"
    assert server.http.get(records, params={"kind": "case"}, headers=staff).status_code == 200
    detail = server.http.get(f"{records}/{change.record_id}", headers=staff).json()
    followup = {
        "document": {**detail["document"], "legal_status": "lapor_polisi"},
        "base": detail["base"],
    }
    saved = server.http.post(f"{records}/{change.record_id}/followup", json=followup, headers=staff)
    assert saved.status_code == 200, saved.text
    assert server.http.post(f"{url}/v1/staff/logout", headers=staff).status_code == 204

    entries = server.http.get(f"{url}/v1/audit", headers=admin).json()["entries"]
    done = [(e["actor"], e["action"]) for e in reversed(entries)]
    # the test's own set-up calls the service directly: "system"
    assert done == [
        ("system", "enrollment_code"),
        (f"device:{device.device_id}", "enroll"),
        (f"device:{device.device_id}", "import"),
        ("system", "user_add"),
        ("staff:admin-kab", "login"),
        ("system", "user_add"),
        ("staff:sari", "login"),
        ("staff:sari", "devices_list"),
        ("staff:admin-kab", "enrollment_code"),
        ("staff:admin-kab", "enrollment_file"),
        ("staff:admin-kab", "revoke"),
        ("staff:sari", "list"),
        ("staff:sari", "view"),
        ("staff:sari", "followup"),
        ("staff:sari", "logout"),
    ]
    by_action = {e["action"]: e for e in entries}
    assert by_action["revoke"]["detail"] == f"device={device.device_id}"
    assert by_action["enrollment_file"]["detail"] == f"village={OTHER_VILLAGE}"
    assert by_action["followup"]["record_id"] == change.record_id
    # reading the audit log is itself recorded, after the answer was taken
    again = server.http.get(f"{url}/v1/audit", params={"limit": 1}, headers=admin).json()
    assert [(e["actor"], e["action"]) for e in again["entries"]] == [
        ("staff:admin-kab", "audit_read")
    ]
