"""The district mode's staff client against a real ``simpul-district serve`` on 127.0.0.1."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from desktop.sync.client import SyncClient
from desktop.sync.errors import OfflineError, ServerRefusedError
from desktop.sync.staff import SESSION_EXPIRED, SessionExpiredError, StaffClient
from district.testing import SyntheticDevice
from district.views import DeviceCredentials
from simpul.bundle import verify_receipt

from .conftest import STAFF_PASSWORD, VILLAGE, DistrictServer

OTHER_VILLAGE = "33.27.01.2001"


def _account(server: DistrictServer, name: str, role: str) -> None:
    server.cli("user", "add", name, "--role", role, SIMPUL_USER_PASSWORD=STAFF_PASSWORD)


def _signed_in(server: DistrictServer, name: str, role: str) -> StaffClient:
    _account(server, name, role)
    client = StaffClient(server.url)
    member = client.login(name, STAFF_PASSWORD)
    assert (member.name, member.role) == (name, role)
    return client


def _laptop(admin: StaffClient, server: DistrictServer, village: str = VILLAGE) -> SyntheticDevice:
    """A synthetic laptop enrolled with a code the admin made in the district mode."""
    device = SyntheticDevice(village)
    code = admin.create_enrollment(village, ttl_hours=1).code
    with SyncClient(server.url) as sync:
        answer = sync.enroll(
            code,
            enc_public=device.encryption.public_bytes(),
            sign_public=device.signing.public_bytes(),
            device_id=device.device_id,
        )
    device.enroll_with(
        DeviceCredentials(
            answer.device_id,
            answer.token,
            answer.village,
            answer.district_enc_public,
            answer.district_sign_public,
        )
    )
    return device


def test_import_list_read_and_follow_up(district_server: DistrictServer, tmp_path: Path) -> None:
    admin = _signed_in(district_server, "admin", "admin")
    assert admin.me().role == "admin"
    device = _laptop(admin, district_server)
    changes = device.new_cases(3, seed=21) + device.new_outreach(1, seed=21)
    bundle_file = tmp_path / "flashdisk" / "a1b2c3.simpul"
    bundle_file.parent.mkdir()
    bundle_file.write_bytes(device.seal(changes))

    preview = admin.preview_bundle(bundle_file.read_bytes())
    assert (preview.file_kind, preview.signature) == ("village_bundle", "valid")
    assert (preview.device_id, preview.village, preview.village_name) == (
        device.device_id,
        VILLAGE,
        "Tambakrejo",
    )
    assert (preview.cases, preview.outreach, preview.changes) == (3, 1, 4)
    assert preview.period_from and preview.period_to and not preview.already_imported

    outcome = admin.import_bundle(bundle_file.read_bytes())
    assert outcome.status == "imported" and outcome.counts.cases == 3
    assert outcome.receipt is not None
    receipt = verify_receipt(outcome.receipt, district_key=device.district_signing)
    assert receipt.acks[device.device_id].holds(4)
    again = admin.import_bundle(bundle_file.read_bytes())
    assert again.status == "already_imported" and again.receipt == outcome.receipt

    page = admin.list_records(kind="case", limit=2)
    assert page.total == 3 and len(page.records) == 2
    rest = admin.list_records(kind="case", limit=2, offset=2)
    assert {r.record_id for r in page.records + rest.records} == {c.record_id for c in changes[:3]}
    first = page.records[0]
    assert first.village == VILLAGE and first.kecamatan == "33.27.08" and first.reported_on
    assert first.needs_review is False
    typed = admin.list_records(violence_type=first.violence_types[0], q=first.code)
    assert [r.record_id for r in typed.records] == [first.record_id]

    detail = admin.read_record(first.record_id)
    assert detail.code == first.code and detail.history[0].device_id == device.device_id
    new_status = "selesai" if detail.document.get("status") != "selesai" else "dirujuk"
    saved = admin.save_followup(
        first.record_id, {**detail.document, "status": new_status}, base=detail.base
    )
    assert saved.document["status"] == new_status
    assert saved.history[-1].author == "staff:admin" and saved.history[-1].paths == ("status",)

    actions = [e.action for e in admin.audit(first.record_id)]
    assert actions[:2] == ["followup", "view"]
    [laptop] = admin.devices()
    assert laptop.device_id == device.device_id and laptop.village_name == "Tambakrejo"
    assert laptop.last_contact_at is not None and laptop.pending_estimate == 0


def test_enrollment_files_answers_and_revocation(district_server: DistrictServer) -> None:
    admin = _signed_in(district_server, "admin", "admin")
    enrollment = json.loads(admin.enrollment_file(OTHER_VILLAGE, 24, district_server.url))
    assert enrollment["format"] == "simpul-enrollment" and enrollment["village"] == OTHER_VILLAGE
    laptop = SyntheticDevice(OTHER_VILLAGE)
    answer = {
        "format": "simpul-enrollment-answer",
        "version": 1,
        "code": enrollment["code"],
        "device_id": laptop.device_id,
        "device_enc_public": base64.b64encode(laptop.encryption.public_bytes()).decode(),
        "device_sign_public": base64.b64encode(laptop.signing.public_bytes()).decode(),
        "district_enc_key_id": enrollment["district"]["encryption_key_id"],
    }
    enrolled = admin.import_enrollment_answer(json.dumps(answer).encode())
    assert (enrolled.status, enrolled.village_name) == ("enrolled", "Plakaran")
    revoked = admin.revoke_device(laptop.device_id)
    assert revoked.revoked_at is not None
    with pytest.raises(ServerRefusedError) as refused:
        admin.import_enrollment_answer(b"not an answer")
    assert refused.value.reason == "answer_invalid"


def test_roles_are_enforced(district_server: DistrictServer) -> None:
    viewer = _signed_in(district_server, "tamu", "viewer")
    assert viewer.list_records().total == 0
    with pytest.raises(ServerRefusedError) as refused:
        viewer.import_bundle(b"anything")
    assert refused.value.reason == "access_denied" and refused.value.code == "refused_access_denied"
    assert not isinstance(refused.value, SessionExpiredError)


def test_an_ended_session_asks_to_sign_in_again(district_server: DistrictServer) -> None:
    staff = _signed_in(district_server, "sari", "staff")
    # The same session signed out elsewhere (another window, an admin): it is over here too.
    other = StaffClient(district_server.url, token=staff.token)
    other.logout()
    assert other.token is None
    with pytest.raises(SessionExpiredError) as ended:
        staff.list_records()
    assert ended.value.reason == SESSION_EXPIRED
    assert staff.token is None
    with pytest.raises(SessionExpiredError):
        staff.me()  # no session at all: the same answer
    with pytest.raises(ServerRefusedError) as wrong:
        staff.login("sari", "not the password at all")
    assert wrong.value.reason == "bad_credentials"
    assert not isinstance(wrong.value, SessionExpiredError)
    staff.login("sari", STAFF_PASSWORD)
    assert staff.me().name == "sari"


def test_reports_come_as_json_and_files(district_server: DistrictServer) -> None:
    staff = _signed_in(district_server, "sari", "staff")
    report = staff.report("2026", share=True)
    assert isinstance(report, dict) and report
    csv = staff.report_export("2026", "csv")
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheet programs
    xlsx = staff.report_export("2026-11", "xlsx")
    assert xlsx.startswith(b"PK")


def test_a_server_that_is_down_is_offline(district_server: DistrictServer) -> None:
    staff = _signed_in(district_server, "sari", "staff")
    district_server.stop()
    with pytest.raises(OfflineError):
        staff.list_records()
    assert staff.token is not None  # offline is not a signed-out session
    with pytest.raises(OfflineError):
        StaffClient("http://127.0.0.1:9", timeout=(2.0, 2.0)).login("sari", STAFF_PASSWORD)
