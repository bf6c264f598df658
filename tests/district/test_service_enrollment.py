"""District set-up, enrollment codes and files, device tokens and revocation."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from district.config import DistrictConfig
from district.errors import (
    AlreadyInitializedError,
    DeviceExistsError,
    DeviceRevokedError,
    EnrollmentCodeError,
    InvalidKeyError,
    NotInitializedError,
    UnknownDeviceError,
    WrongPassphraseError,
)
from district.service import District
from district.testing import SyntheticDevice
from simpul.bundle import PublicEncryptionKey, PublicSigningKey
from simpul.errors import UserError
from simpul.records import UnknownVillageError

from .conftest import PASSPHRASE, VILLAGE, FakeClock


def _enroll(district: District, code: str, device: SyntheticDevice) -> object:
    return district.enroll(
        code,
        device_enc_public=device.encryption.public_bytes(),
        device_sign_public=device.signing.public_bytes(),
        device_id=device.device_id,
    )


def test_init_then_open_and_wrong_passphrase(tmp_path: Path) -> None:
    config = DistrictConfig(tmp_path / "data")
    with District.init(config, PASSPHRASE) as district:
        public = district.keys
    assert (tmp_path / "data" / "district.db").exists()
    with District.open(config, PASSPHRASE) as district:
        assert district.keys == public
    assert District.public_keys(config) == public
    with pytest.raises(WrongPassphraseError) as info:
        District.open(config, "the wrong passphrase")
    assert info.value.code == "wrong_passphrase"
    with pytest.raises(AlreadyInitializedError):
        District.init(config, PASSPHRASE)
    with pytest.raises(NotInitializedError):
        District.open(DistrictConfig(tmp_path / "elsewhere"), PASSPHRASE)


def test_config_defaults_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIMPUL_DISTRICT_DATA", str(tmp_path / "env"))
    monkeypatch.delenv("SIMPUL_DATABASE_URL", raising=False)
    config = DistrictConfig.from_env()
    assert config.data_dir == tmp_path / "env"
    assert config.url == f"sqlite:///{tmp_path / 'env' / 'district.db'}"
    assert DistrictConfig.from_env(tmp_path / "opt").data_dir == tmp_path / "opt"
    monkeypatch.setenv("SIMPUL_DATABASE_URL", "postgresql+psycopg://u@h/d")
    assert DistrictConfig.from_env().url == "postgresql+psycopg://u@h/d"


def test_enroll_with_a_code(district: District) -> None:
    device = SyntheticDevice(VILLAGE)
    enrollment = district.create_enrollment(VILLAGE)
    assert len(enrollment.code.replace("-", "")) == 10
    creds = district.enroll(
        enrollment.code.lower().replace("-", " "),  # typing is forgiving
        device_enc_public=device.encryption.public_bytes(),
        device_sign_public=device.signing.public_bytes(),
        device_id=device.device_id,
    )
    assert creds.device_id == device.device_id and creds.village == VILLAGE
    assert creds.district_sign_public == district.keys.signing.public_bytes()
    assert creds.district_enc_public == district.keys.encryption.public_bytes()
    seen = district.authenticate_device(creds.token)
    assert seen.device_id == device.device_id and seen.last_seen_at is not None
    [listed] = district.devices()
    assert listed.device_id == device.device_id and not listed.revoked


def test_used_expired_and_unknown_codes(district: District, clock: FakeClock) -> None:
    code = district.create_enrollment(VILLAGE, ttl_hours=1).code
    _enroll(district, code, SyntheticDevice(VILLAGE))
    with pytest.raises(EnrollmentCodeError) as used:
        _enroll(district, code, SyntheticDevice(VILLAGE))
    assert used.value.code == "enrollment_code_used"
    late = district.create_enrollment(VILLAGE, ttl_hours=1).code
    clock.advance(hours=1, seconds=1)
    with pytest.raises(EnrollmentCodeError) as expired:
        _enroll(district, late, SyntheticDevice(VILLAGE))
    assert expired.value.code == "enrollment_code_expired"
    with pytest.raises(EnrollmentCodeError) as unknown:
        _enroll(district, "ABCDE-FGHJK", SyntheticDevice(VILLAGE))
    assert unknown.value.code == "enrollment_code_unknown"
    assert len(district.devices()) == 1


def test_bad_keys_ids_and_villages_are_typed_errors(district: District) -> None:
    device = SyntheticDevice(VILLAGE)
    code = district.create_enrollment(VILLAGE).code
    with pytest.raises(InvalidKeyError):
        district.enroll(code, device_enc_public=b"x" * 10, device_sign_public=b"y" * 32)
    with pytest.raises(DeviceExistsError):
        district.enroll(
            code,
            device_enc_public=device.encryption.public_bytes(),
            device_sign_public=device.signing.public_bytes(),
            device_id="district",
        )
    _enroll(district, code, device)
    again = district.create_enrollment(VILLAGE).code
    with pytest.raises(DeviceExistsError):
        _enroll(district, again, device)  # same id and key
    with pytest.raises(UnknownVillageError):
        district.create_enrollment("33.27.99.9999")
    for ttl in (0, -1, 24 * 365):
        with pytest.raises(UserError) as info:
            district.create_enrollment(VILLAGE, ttl_hours=ttl)
        assert info.value.code == "invalid_ttl"


def test_enrollment_file_carries_code_and_public_keys(district: District) -> None:
    data = district.enrollment_file(VILLAGE, ttl_hours=24, server_url="https://simpul.example")
    doc = json.loads(data)
    assert doc["format"] == "simpul-enrollment" and doc["village"] == VILLAGE
    enc = PublicEncryptionKey.from_public_bytes(
        base64.b64decode(doc["district"]["encryption_public"])
    )
    sign = PublicSigningKey.from_public_bytes(base64.b64decode(doc["district"]["signing_public"]))
    assert enc == district.keys.encryption and sign == district.keys.signing
    assert doc["district"]["signing_key_id"] == sign.key_id
    device = SyntheticDevice(VILLAGE)
    creds = district.enroll(
        doc["code"],
        device_enc_public=device.encryption.public_bytes(),
        device_sign_public=device.signing.public_bytes(),
    )
    assert creds.village == VILLAGE


def test_revoked_device_token_is_refused(
    district: District, enrolled: Callable[..., SyntheticDevice]
) -> None:
    device = enrolled()
    assert device.credentials is not None
    view = district.revoke_device(device.device_id)
    assert view.revoked
    with pytest.raises(DeviceRevokedError) as info:
        district.authenticate_device(device.credentials.token)
    assert info.value.code == "device_revoked"
    with pytest.raises(UnknownDeviceError):
        district.authenticate_device("not a token")
    with pytest.raises(UnknownDeviceError):
        district.revoke_device("nobody-here")


def test_every_expected_failure_is_a_user_error() -> None:
    for error in (
        WrongPassphraseError(),
        EnrollmentCodeError(),
        DeviceRevokedError(),
        UnknownDeviceError(),
    ):
        assert isinstance(error, UserError) and error.code
        assert str(error).startswith(error.code)
