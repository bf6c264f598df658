"""The district key file: made at init, sealed under the passphrase, public part readable."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from district.errors import (
    AlreadyInitializedError,
    KeysCorruptError,
    NotInitializedError,
    WeakPasswordError,
    WrongPassphraseError,
)
from district.keys import FLOOR, KdfCost, create_keys, load_keys, read_public_keys

PASSPHRASE = "kunci server kabupaten pemalang"


@pytest.fixture(scope="module")
def keyfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keys.json"
    create_keys(path, PASSPHRASE)
    return path


def test_keys_round_trip_with_the_passphrase(keyfile: Path) -> None:
    keys = load_keys(keyfile, PASSPHRASE)
    public = read_public_keys(keyfile)
    assert keys.encryption.public_bytes() == public.encryption.public_bytes()
    assert keys.signing.public_bytes() == public.signing.public_bytes()
    assert len(public.encryption.public_bytes()) == 1216  # ML-KEM-768 + X25519
    assert keys.subkey("db/changes") == load_keys(keyfile, PASSPHRASE).subkey("db/changes")
    assert keys.subkey("db/changes") != keys.subkey("db/records")


def test_the_file_is_private_and_holds_no_secret_in_clear(keyfile: Path) -> None:
    if os.name != "nt":
        assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    doc = json.loads(keyfile.read_text())
    assert doc["kdf"]["alg"] == "argon2id"
    kdf = KdfCost(doc["kdf"]["time_cost"], doc["kdf"]["memory_kib"], doc["kdf"]["lanes"])
    assert kdf.at_least_floor() and kdf == FLOOR
    keys = load_keys(keyfile, PASSPHRASE)
    text = keyfile.read_text()
    import base64

    for secret in (keys.encryption.private_bytes(), keys.signing.private_bytes()):
        assert base64.b64encode(secret).decode() not in text


def test_a_wrong_passphrase_is_a_typed_error(keyfile: Path) -> None:
    with pytest.raises(WrongPassphraseError) as info:
        load_keys(keyfile, "not the passphrase at all")
    assert info.value.code == "wrong_passphrase"


def test_swapped_public_keys_do_not_open(keyfile: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    create_keys(other, PASSPHRASE)
    doc = json.loads(keyfile.read_text())
    doc["public"] = json.loads(other.read_text())["public"]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    with pytest.raises(WrongPassphraseError):
        load_keys(forged, PASSPHRASE)


def test_missing_malformed_and_existing_files(tmp_path: Path, keyfile: Path) -> None:
    with pytest.raises(NotInitializedError):
        load_keys(tmp_path / "keys.json", PASSPHRASE)
    with pytest.raises(NotInitializedError):
        read_public_keys(tmp_path / "keys.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(KeysCorruptError):
        load_keys(bad, PASSPHRASE)
    doc = json.loads(keyfile.read_text())
    doc["kdf"]["memory_kib"] = 1 << 40
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(doc))
    with pytest.raises(KeysCorruptError):
        load_keys(huge, PASSPHRASE)
    with pytest.raises(AlreadyInitializedError):
        create_keys(keyfile, PASSPHRASE)


def test_short_passphrase_and_weak_cost_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WeakPasswordError):
        create_keys(tmp_path / "keys.json", "short")
    with pytest.raises(ValueError):
        create_keys(tmp_path / "keys.json", PASSPHRASE, cost=KdfCost(1, 1024, 1))
    assert not (tmp_path / "keys.json").exists()
