"""Bundles from a flash drive over the staff API: preview, import with receipt and return
bundle, enrollment answers, the devices list; on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from district.app import MAX_JSON_BYTES
from district.models import ChangeRow, RecordRow
from district.service import MAX_IMPORT_BYTES, District
from district.testing import SyntheticDevice
from simpul.bundle import BundlePayload, RejectionCode, seal_bundle, sign_receipt, verify_receipt
from simpul.bundle.receipt import Receipt

from .conftest import OTHER_VILLAGE, VILLAGE, LiveServer

PASSWORD = "kata sandi staf yang panjang"
Enroll = Callable[..., SyntheticDevice]
OCTETS = {"Content-Type": "application/octet-stream"}


def _login(server: LiveServer, name: str, role: str) -> dict[str, str]:
    server.district.add_user(name, role, PASSWORD)
    answer = server.http.post(
        f"{server.url}/v1/staff/login", json={"name": name, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _post(server: LiveServer, path: str, data: bytes, headers: dict[str, str]) -> Any:
    answer = server.http.post(
        f"{server.url}{path}", data=data, headers={**headers, **OCTETS}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _preview(server: LiveServer, data: bytes, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = _post(server, "/v1/staff/bundles/preview", data, headers)
    return body


def _import(server: LiveServer, data: bytes, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = _post(server, "/v1/staff/bundles/import", data, headers)
    return body


def _stored(district: District) -> tuple[int, int]:
    """(records, changes) in the district database."""
    with district._read() as session:
        records = session.scalar(sa.select(sa.func.count()).select_from(RecordRow))
        changes = session.scalar(sa.select(sa.func.count()).select_from(ChangeRow))
    return int(records or 0), int(changes or 0)


def _audit(server: LiveServer) -> list[dict[str, Any]]:
    admin = _login(server, "auditor", "admin")
    answer = server.http.get(f"{server.url}/v1/audit", headers=admin)
    assert answer.status_code == 200
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


def test_preview_then_import_a_good_bundle(server: LiveServer, device: SyntheticDevice) -> None:
    staff = _login(server, "sari", "staff")
    changes = device.new_cases(3, seed=2) + device.new_outreach(2, seed=2)
    state = device.replica.record(changes[0].record_id)
    assert state is not None
    status = "selesai" if state.value("status") != "selesai" else "dirujuk"
    edit = device.edit(changes[0].record_id, status=status)
    bundle = device.seal([*changes, edit])
    dates = sorted(
        str(e.value) for c in changes for e in c.edits if e.path in ("reported_on", "held_on")
    )

    preview = _preview(server, bundle, staff)
    assert preview == {
        "file_kind": "village_bundle",
        "signature": "valid",
        "bundle_id": preview["bundle_id"],
        "device_id": device.device_id,
        "village": VILLAGE,
        "village_name": "Tambakrejo",
        "created_at": preview["created_at"],
        "period_from": dates[0],
        "period_to": dates[-1],
        "cases": 3,
        "outreach": 2,
        "changes": 6,
        "already_imported": False,
    }
    assert preview["bundle_id"] and preview["created_at"]
    assert _stored(server.district) == (0, 0)  # a preview stores nothing

    outcome = _import(server, bundle, staff)
    assert outcome["status"] == "imported" and outcome["reason"] is None
    assert outcome["device_id"] == device.device_id and outcome["bundle_id"] == preview["bundle_id"]
    assert outcome["village"] == VILLAGE and outcome["village_name"] == "Tambakrejo"
    assert outcome["counts"] == {"cases": 3, "outreach": 2, "changes": 6}
    assert outcome["rejected_changes"] == []
    receipt = verify_receipt(
        base64.b64decode(outcome["receipt"]), district_key=device.district_signing
    )
    assert receipt.device == device.device_id
    assert receipt.acks[device.device_id].holds(6)
    assert outcome["return_bundle"] is None  # nothing of the village was made elsewhere yet
    assert _stored(server.district) == (5, 6)

    actions = [(e["actor"], e["action"]) for e in _audit(server)]
    assert ("staff:sari", "bundle_preview") in actions
    assert ("staff:sari", "bundle_import") in actions
    assert (f"device:{device.device_id}", "import") in actions


def test_import_writes_back_a_return_bundle_the_laptop_opens(
    server: LiveServer, device: SyntheticDevice
) -> None:
    staff = _login(server, "sari", "staff")
    first = device.new_cases(2, seed=3)
    assert _import(server, device.seal(first), staff)["status"] == "imported"
    rid = first[0].record_id
    shown = server.http.get(f"{server.url}/v1/records/{rid}", headers=staff).json()
    followup = server.http.post(
        f"{server.url}/v1/records/{rid}/followup",
        json={"document": {**shown["document"], "status": "diterima_uptd"}, "base": shown["base"]},
        headers=staff,
    )
    assert followup.status_code == 200, followup.text

    outcome = _import(server, device.seal(device.new_cases(1, seed=4)), staff)
    assert outcome["status"] == "imported"
    opened = device.open_return(base64.b64decode(outcome["return_bundle"]))
    assert opened.kind == "return"
    assert [c.record_id for c in opened.changes] == [rid]
    assert opened.changes[0].author == "staff:sari"


def test_the_same_bundle_again_is_already_imported_with_the_same_receipt(
    server: LiveServer, device: SyntheticDevice
) -> None:
    staff = _login(server, "sari", "staff")
    bundle = device.seal(device.new_cases(4, seed=5))
    first = _import(server, bundle, staff)
    stored = _stored(server.district)

    preview = _preview(server, bundle, staff)
    assert preview["already_imported"] is True and preview["signature"] == "valid"
    assert preview["cases"] == 4
    again = _import(server, bundle, staff)
    assert again["status"] == "already_imported"
    assert again["receipt"] == first["receipt"]
    assert again["counts"] == first["counts"]
    assert _stored(server.district) == stored


def test_a_tampered_bundle_is_rejected_and_nothing_is_stored(
    server: LiveServer, device: SyntheticDevice
) -> None:
    staff = _login(server, "sari", "staff")
    bundle = bytearray(device.seal(device.new_cases(3, seed=6)))
    bundle[len(bundle) // 2] ^= 0x01
    preview = _preview(server, bytes(bundle), staff)
    assert preview["file_kind"] == "village_bundle"
    assert preview["signature"] == RejectionCode.TAMPERED.value
    assert preview["device_id"] is None and preview["already_imported"] is False

    outcome = _import(server, bytes(bundle), staff)
    assert outcome["status"] == "rejected" and outcome["reason"] == "tampered"
    assert outcome["receipt"] is None and outcome["return_bundle"] is None
    assert outcome["counts"] == {"cases": 0, "outreach": 0, "changes": 0}
    assert _stored(server.district) == (0, 0)


def test_a_bundle_from_a_revoked_device_is_rejected(
    server: LiveServer, device: SyntheticDevice
) -> None:
    staff = _login(server, "sari", "staff")
    bundle = device.seal(device.new_cases(2, seed=7))
    server.district.revoke_device(device.device_id)
    preview = _preview(server, bundle, staff)
    assert preview["signature"] == "device_revoked"
    assert preview["device_id"] == device.device_id and preview["village"] == VILLAGE
    outcome = _import(server, bundle, staff)
    assert outcome["status"] == "rejected" and outcome["reason"] == "device_revoked"
    assert _stored(server.district) == (0, 0)


def test_a_bundle_for_another_district_or_of_another_village(
    server: LiveServer, enrolled: Enroll
) -> None:
    staff = _login(server, "sari", "staff")
    device = enrolled()
    stranger = SyntheticDevice(VILLAGE)
    elsewhere = device.seal(device.new_cases(1, seed=8), recipient=stranger.encryption.public_key)
    assert _preview(server, elsewhere, staff)["signature"] == "not_for_us"
    other = enrolled(OTHER_VILLAGE)
    foreign = other.seal([other.save({"kind": "case", "village": VILLAGE})])
    outcome = _import(server, foreign, staff)
    assert outcome["status"] == "rejected" and outcome["reason"] == "foreign_village"
    assert _stored(server.district) == (0, 0)


def test_other_files_are_named_not_imported(server: LiveServer, device: SyntheticDevice) -> None:
    staff = _login(server, "sari", "staff")
    outcome = _import(server, device.seal(device.new_cases(1, seed=9)), staff)
    receipt = base64.b64decode(outcome["receipt"])
    assert _preview(server, receipt, staff) == {
        "file_kind": "receipt",
        "signature": "not_a_bundle",
        "bundle_id": None,
        "device_id": None,
        "village": None,
        "village_name": None,
        "created_at": None,
        "period_from": None,
        "period_to": None,
        "cases": 0,
        "outreach": 0,
        "changes": 0,
        "already_imported": False,
    }
    assert _preview(server, b"PK\x03\x04 a zip", staff)["file_kind"] == "unknown"
    answer = json.dumps({"format": "simpul-enrollment-answer"}).encode()
    assert _preview(server, answer, staff)["file_kind"] == "enrollment_answer"
    rejected = _import(server, b"not a bundle at all", staff)
    assert rejected["status"] == "rejected" and rejected["reason"] == "not_a_bundle"


def test_viewers_cannot_preview_or_import_and_staff_cannot_enroll(
    server: LiveServer, device: SyntheticDevice
) -> None:
    viewer = _login(server, "tamu", "viewer")
    staff = _login(server, "sari", "staff")
    bundle = device.seal(device.new_cases(1, seed=10))
    for path in ("/v1/staff/bundles/preview", "/v1/staff/bundles/import"):
        answer = server.http.post(f"{server.url}{path}", data=bundle, headers=viewer)
        assert answer.status_code == 403 and answer.json()["error"] == "access_denied"
        anonymous = server.http.post(f"{server.url}{path}", data=bundle, headers=OCTETS)
        assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthorized"
    answer = server.http.post(
        f"{server.url}/v1/staff/enrollment-answers", data=b"{}", headers=staff
    )
    assert answer.status_code == 403 and answer.json()["error"] == "access_denied"
    assert _stored(server.district) == (0, 0)


def _answer_file(district: District, device: SyntheticDevice, village: str) -> bytes:
    enrollment = json.loads(district.enrollment_file(village))
    return json.dumps(
        {
            "format": "simpul-enrollment-answer",
            "version": 1,
            "code": enrollment["code"],
            "device_id": device.device_id,
            "device_enc_public": base64.b64encode(device.encryption.public_bytes()).decode(),
            "device_sign_public": base64.b64encode(device.signing.public_bytes()).decode(),
            "district_enc_key_id": enrollment["district"]["encryption_key_id"],
        }
    ).encode()


def test_an_enrollment_answer_registers_the_laptop_once(server: LiveServer) -> None:
    admin = _login(server, "admin", "admin")
    laptop = SyntheticDevice(OTHER_VILLAGE)
    answer = _answer_file(server.district, laptop, OTHER_VILLAGE)
    first = _post(server, "/v1/staff/enrollment-answers", answer, admin)
    assert first == {
        "status": "enrolled",
        "device_id": laptop.device_id,
        "village": OTHER_VILLAGE,
        "village_name": "Plakaran",
    }
    again = _post(server, "/v1/staff/enrollment-answers", answer, admin)
    assert again["status"] == "already_enrolled"
    broken = server.http.post(
        f"{server.url}/v1/staff/enrollment-answers", data=b"{not json", headers=admin
    )
    assert broken.status_code == 400 and broken.json()["error"] == "answer_invalid"
    actions = [(e["actor"], e["action"]) for e in _audit(server)]
    assert ("staff:admin", "enrollment_answer") in actions


def test_devices_list_last_contact_and_backlog_estimate(
    server: LiveServer, device: SyntheticDevice, enrolled: Enroll
) -> None:
    admin = _login(server, "admin", "admin")
    idle = enrolled(OTHER_VILLAGE)
    changes = device.new_cases(8, seed=11)
    # The laptop split a backlog of 8 changes; only the first part reaches the district.
    part = seal_bundle(
        BundlePayload(
            kind="changes",
            sender=device.device_id,
            sequence=1,
            changes=tuple(changes[:5]),
            holds={device.device_id: 8},
        ),
        recipients=[device.district_encryption],
        signer=device.signing,
    )
    assert _import(server, part, admin)["status"] == "imported"
    answer = server.http.get(f"{server.url}/v1/devices", headers=admin)
    assert answer.status_code == 200
    rows = {d["device_id"]: d for d in answer.json()["devices"]}
    mine = rows[device.device_id]
    assert mine["village_name"] == "Tambakrejo"
    assert mine["announced_counter"] == 8 and mine["held_counter"] == 5
    assert mine["pending_estimate"] == 3
    assert mine["last_bundle_at"] is not None
    assert mine["last_contact_at"] == mine["last_bundle_at"]
    assert rows[idle.device_id]["pending_estimate"] is None
    assert rows[idle.device_id]["last_contact_at"] is None
    assert rows[idle.device_id]["village_name"] == "Plakaran"

    rest = device.seal(changes[5:], sequence=2)
    assert _import(server, rest, admin)["status"] == "imported"
    rows = {
        d["device_id"]: d
        for d in server.http.get(f"{server.url}/v1/devices", headers=admin).json()["devices"]
    }
    assert rows[device.device_id]["pending_estimate"] == 0


def test_bundles_may_be_larger_than_json_bodies_but_not_over_the_cap(
    server: LiveServer,
) -> None:
    staff = _login(server, "sari", "staff")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        # Headers only: the server answers before the body would be read.
        connection.putrequest("POST", "/v1/staff/bundles/import")
        for name, value in {**staff, "Content-Length": str(MAX_IMPORT_BYTES + 1)}.items():
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 413 and b'"request_too_large"' in answer.read()
    finally:
        connection.close()
    big = b"\x00" * (MAX_JSON_BYTES + 1024)  # over the JSON cap, under the bundle cap
    assert _preview(server, big, staff)["file_kind"] == "unknown"


def test_a_receipt_for_another_device_is_not_a_bundle(
    server: LiveServer, device: SyntheticDevice
) -> None:
    """A file that merely looks like a receipt from somewhere is named, never imported."""
    staff = _login(server, "sari", "staff")
    forged = sign_receipt(
        Receipt(device=device.device_id, issued_at=0, acks={}, rejected=(), bundles=()),
        district=device.signing,
    )
    assert _preview(server, forged, staff)["file_kind"] == "receipt"
    assert _import(server, forged, staff)["reason"] == "not_a_bundle"
