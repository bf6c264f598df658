"""Staff accounts, roles, sessions, audited reads and follow-ups that merge with village edits."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from district.errors import (
    AccessDeniedError,
    BadCredentialsError,
    RecordNotFoundError,
    SessionExpiredError,
    UnknownRoleError,
    UserExistsError,
    ValidationFailedError,
    WeakPasswordError,
)
from district.service import District
from district.testing import SyntheticDevice
from district.views import StaffView
from simpul.bundle import verify_receipt

from .conftest import OTHER_VILLAGE, VILLAGE, FakeClock

PASSWORD = "sandi staf yang panjang"


def _sign_in(district: District, name: str, role: str) -> StaffView:
    district.add_user(name, role, PASSWORD)
    return district.staff(district.login(name, PASSWORD))


def _import_cases(district: District, device: SyntheticDevice, n: int = 3) -> list[str]:
    changes = device.new_cases(n, seed=5)
    assert district.import_bundle(device.seal(changes), via="usb").status == "imported"
    return [c.record_id for c in changes]


def test_login_sessions_and_bad_credentials(district: District, clock: FakeClock) -> None:
    district.add_user("rina", "staff", PASSWORD)
    token = district.login("rina", PASSWORD)
    assert district.staff(token) == StaffView(district.staff(token).user_id, "rina", "staff")
    with pytest.raises(BadCredentialsError):
        district.login("rina", "salah sandi sekali")
    with pytest.raises(BadCredentialsError):
        district.login("nobody", PASSWORD)
    with pytest.raises(SessionExpiredError):
        district.staff("made-up-token")
    clock.advance(hours=8, seconds=1)  # sessions last 8 hours
    with pytest.raises(SessionExpiredError):
        district.staff(token)
    other = district.login("rina", PASSWORD)
    district.logout(other)
    with pytest.raises(SessionExpiredError):
        district.staff(other)


def test_account_rules(district: District) -> None:
    district.add_user("admin", "admin", PASSWORD)
    with pytest.raises(UserExistsError):
        district.add_user("admin", "staff", PASSWORD)
    with pytest.raises(UnknownRoleError):
        district.add_user("x", "root", PASSWORD)
    with pytest.raises(WeakPasswordError):
        district.add_user("y", "staff", "short")


def test_lists_need_no_decryption_and_filter(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    ours, theirs = enrolled(), enrolled(OTHER_VILLAGE)
    _import_cases(district, ours, 3)
    district.import_bundle(theirs.seal(theirs.new_outreach(2)), via="usb")
    viewer = _sign_in(district, "vina", "viewer")
    everything = district.list_records(viewer)
    assert len(everything) == 5
    cases = district.list_records(viewer, kind="case", village=VILLAGE)
    assert len(cases) == 3 and all(r.code and r.code.startswith("PML-") for r in cases)
    assert all(r.violence_types and r.victims >= 1 and r.period for r in cases)
    assert len(district.list_records(viewer, kecamatan="33.27.01")) == 2
    assert len(district.list_records(viewer, limit=2)) == 2
    assert len(district.list_records(viewer, limit=2, offset=4)) == 1


def test_roles_and_audit(district: District, device: SyntheticDevice) -> None:
    [record_id, *_] = _import_cases(district, device)
    viewer = _sign_in(district, "vina", "viewer")
    staff = _sign_in(district, "rina", "staff")
    admin = _sign_in(district, "adi", "admin")
    detail = district.read_record(viewer, record_id)
    assert detail.document["village"] == VILLAGE and detail.base
    doc = {**detail.document, "legal_status": "lapor_polisi"}
    with pytest.raises(AccessDeniedError) as denied:
        district.save_followup(viewer, record_id, doc, base=detail.base)
    assert denied.value.code == "access_denied"
    with pytest.raises(AccessDeniedError):
        district.audit_log(staff)
    with pytest.raises(RecordNotFoundError):
        district.read_record(staff, "00000000-0000-4000-8000-000000000000")
    log = district.audit_log(admin, record_id=record_id)
    assert [(e.actor, e.action) for e in log] == [("staff:vina", "view")]
    actions = {(e.actor, e.action) for e in district.audit_log(admin)}
    assert ("staff:vina", "login") in actions and (
        f"device:{device.device_id}",
        "import",
    ) in actions


def test_followup_is_a_district_change_returned_to_the_village(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    device = enrolled()
    [record_id, *_] = _import_cases(district, device)
    staff = _sign_in(district, "rina", "staff")
    detail = district.read_record(staff, record_id)
    services = list(detail.document.get("services", []))
    services.append({"type": "rehabilitasi_sosial", "on": "2026-08-01", "institution": "UPTD PPA"})
    saved = district.save_followup(
        staff, record_id, {**detail.document, "services": services}, base=detail.base
    )
    assert len(saved.document["services"]) == len(services)
    assert any(b.startswith("district:") for b in saved.base)
    bundle, _ = district.return_bundle(device.device_id)
    assert bundle is not None
    [change] = device.open_return(bundle).changes
    assert change.id.device == "district" and change.author == "staff:rina"
    admin = _sign_in(district, "adi", "admin")
    assert ("staff:rina", "followup") in {
        (e.actor, e.action) for e in district.audit_log(admin, record_id=record_id)
    }


def test_followup_and_concurrent_village_edit_merge(
    district: District, device: SyntheticDevice
) -> None:
    [record_id, *_] = _import_cases(district, device)
    staff = _sign_in(district, "rina", "staff")
    shown = district.read_record(staff, record_id)
    ours = "selesai" if shown.document.get("status") != "selesai" else "dirujuk"
    theirs = "ditolak_korban"
    # the village changes the status and the legal status while staff edit the status too
    village_edit = device.edit(record_id, status=theirs, legal_status="lapor_polisi")
    district.save_followup(staff, record_id, {**shown.document, "status": ours}, base=shown.base)
    result = district.import_bundle(device.seal([village_edit]), via="usb")
    assert result.status == "imported" and result.receipt is not None
    assert verify_receipt(result.receipt, district_key=device.district_signing).rejected == ()
    merged = district.read_record(staff, record_id)
    assert merged.conflicts == ("status",)  # needs review, nothing lost
    assert merged.document["legal_status"] == "lapor_polisi"
    [row] = [r for r in district.list_records(staff) if r.record_id == record_id]
    assert row.conflicts == 1
    # settling it supersedes both values
    settled = district.save_followup(
        staff, record_id, {**merged.document, "status": ours}, base=merged.base, resolve=["status"]
    )
    assert settled.conflicts == () and settled.document["status"] == ours


def test_followup_is_validated_and_stays_in_its_village(
    district: District, device: SyntheticDevice
) -> None:
    [record_id, *_] = _import_cases(district, device)
    staff = _sign_in(district, "rina", "staff")
    shown = district.read_record(staff, record_id)
    with pytest.raises(ValidationFailedError) as bad:
        district.save_followup(
            staff, record_id, {**shown.document, "status": "no_such_status"}, base=shown.base
        )
    assert bad.value.code == "validation_failed" and bad.value.params["count"] == 1
    with pytest.raises(ValidationFailedError) as moved:
        district.save_followup(
            staff, record_id, {**shown.document, "village": OTHER_VILLAGE}, base=shown.base
        )
    assert moved.value.code == "village_change"
    unchanged = district.save_followup(staff, record_id, shown.document, base=shown.base)
    assert unchanged.base == shown.base


def test_the_actor_the_caller_names_is_in_the_audit_log(
    district: District, device: SyntheticDevice
) -> None:
    admin = _sign_in(district, "adi", "admin")
    district.add_user("wulan", "viewer", PASSWORD, actor="cli:operator")
    district.list_records(admin, kind="case", actor="cli:operator")
    district.devices()  # the service's own look-up: not an audited action
    district.devices(actor="staff:adi")
    district.revoke_device(device.device_id, actor="staff:adi")
    long_name = "cli:" + "x" * 500
    district.create_enrollment(VILLAGE, actor=long_name)
    token = district.login("wulan", PASSWORD)
    district.logout(token)
    district.logout(token)  # already ended: nothing more to record
    entries = district.audit_log(admin)
    assert (
        [(e.actor, e.action, e.detail) for e in reversed(entries)]
        == [
            ("system", "enrollment_code", f"village={VILLAGE}"),  # the fixtures' set-up
            (f"device:{device.device_id}", "enroll", f"village={VILLAGE}"),
            ("system", "user_add", "user=adi role=admin"),
            ("staff:adi", "login", None),
            ("cli:operator", "user_add", "user=wulan role=viewer"),
            ("cli:operator", "list", "kind=case n=0"),
            ("staff:adi", "devices_list", "n=1"),
            ("staff:adi", "revoke", f"device={device.device_id}"),
            (long_name[:160], "enrollment_code", f"village={VILLAGE}"),
            ("staff:wulan", "login", None),
            ("staff:wulan", "logout", None),
        ]
    )
    [newest] = district.audit_log(admin, limit=1)
    assert (newest.actor, newest.action, newest.detail) == ("staff:adi", "audit_read", "n=11")
