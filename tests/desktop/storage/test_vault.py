"""Tests for desktop.storage.vault: key slots, recovery, tampering, atomic writes, calibration."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.storage.errors import (
    DiskFullError,
    InvalidUserNameError,
    ReadFailedError,
    StorageError,
    UnknownUserError,
    UserExistsError,
    VaultChangedError,
    VaultCorruptError,
    VaultExistsError,
    VaultLockedError,
    VaultMissingError,
    WeakPassphraseError,
    WriteFailedError,
    WrongPassphraseError,
    WrongRecoveryCodeError,
)
from desktop.storage.vault import (
    FLOOR,
    KdfCost,
    UnlockedVault,
    Vault,
    calibrate_kdf,
    check_passphrase_strength,
    generate_recovery_code,
)
from simpul.errors import UserError

CHEAP = KdfCost(1, 8192, 1)
TINY = KdfCost(1, 8, 1)  # the smallest Argon2id allows; only for the exhaustive tamper test

# Synthetic people only.
USER_A = "Siti Rahayu"
USER_B = "Dewi Lestari Ningsih"
PASS_A = "kopi tubruk pagi hari"
PASS_B = "Sungai Comal 2026!"
PASS_NEW = "jalan ke Randudongkal"

CODE_RE = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "vault.json"


@pytest.fixture
def created(path: Path) -> tuple[UnlockedVault, str]:
    return Vault.create(path, user=USER_A, passphrase=PASS_A, cost=CHEAP)


@pytest.fixture
def two_users(path: Path, created: tuple[UnlockedVault, str]) -> UnlockedVault:
    unlocked, _ = created
    unlocked.add_user(USER_B, PASS_B)
    return unlocked


def _slots(path: Path) -> list[dict[str, Any]]:
    slots: list[dict[str, Any]] = json.loads(path.read_bytes())["slots"]
    return slots


def _edit(path: Path, change: Any) -> None:
    body = json.loads(path.read_bytes())
    change(body)
    path.write_text(json.dumps(body, indent=2, sort_keys=True))


def _flip(b64: str, index: int = 0) -> str:
    data = bytearray(base64.b64decode(b64))
    data[index] ^= 0x01
    return base64.b64encode(bytes(data)).decode()


def _temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != "vault.json")


# --- create, load, unlock -----------------------------------------------------------------------


def test_create_then_unlock_gives_the_same_data_key(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    unlocked, code = created
    assert CODE_RE.fullmatch(code)
    assert len(unlocked.data_key()) == 32
    assert unlocked.user == USER_A
    assert unlocked.users() == [USER_A]

    vault = Vault.load(path)
    assert vault.vault_id == unlocked.vault_id
    assert re.fullmatch(r"[0-9a-f]{32}", vault.vault_id)
    again = vault.unlock(PASS_A)
    assert again.data_key() == unlocked.data_key()
    assert again.user == USER_A
    assert again.vault_id == unlocked.vault_id


def test_two_vaults_have_different_ids_and_keys(tmp_path: Path) -> None:
    a, _ = Vault.create(tmp_path / "a" / "vault.json", user=USER_A, passphrase=PASS_A, cost=CHEAP)
    b, _ = Vault.create(tmp_path / "b" / "vault.json", user=USER_A, passphrase=PASS_A, cost=CHEAP)
    assert a.vault_id != b.vault_id
    assert a.data_key() != b.data_key()


def test_create_refuses_an_existing_vault(path: Path, created: tuple[UnlockedVault, str]) -> None:
    before = path.read_bytes()
    with pytest.raises(VaultExistsError) as caught:
        Vault.create(path, user=USER_B, passphrase=PASS_B, cost=CHEAP)
    assert caught.value.code == "profile_exists"
    assert path.read_bytes() == before


def test_load_without_a_vault_says_profile_missing(tmp_path: Path) -> None:
    with pytest.raises(VaultMissingError) as caught:
        Vault.load(tmp_path / "vault.json")
    assert caught.value.code == "profile_missing"
    assert isinstance(caught.value, UserError)
    assert isinstance(caught.value, StorageError)


@pytest.mark.skipif(os.name == "nt", reason="opening a folder fails differently on Windows")
def test_load_of_an_unreadable_path_is_a_read_failure(tmp_path: Path) -> None:
    with pytest.raises(ReadFailedError):
        Vault.load(tmp_path)


def test_wrong_passphrase_is_a_user_error(path: Path, two_users: UnlockedVault) -> None:
    with pytest.raises(WrongPassphraseError) as caught:
        Vault.load(path).unlock("not the passphrase at all")
    assert caught.value.code == "wrong_passphrase"
    assert isinstance(caught.value, UserError)
    assert isinstance(caught.value, StorageError)


def test_passphrase_is_compared_after_unicode_normalisation(path: Path) -> None:
    composed = "kopi tubruk \u00e9nak sekali"  # é as one code point
    decomposed = "kopi tubruk e\u0301nak sekali"  # e + combining acute
    Vault.create(path, user=USER_A, passphrase=composed, cost=CHEAP)
    assert Vault.load(path).unlock(decomposed).user == USER_A


# --- users ----------------------------------------------------------------------------------------


def test_add_user_then_both_unlock_to_the_same_key(path: Path, two_users: UnlockedVault) -> None:
    assert two_users.users() == [USER_A, USER_B]
    vault = Vault.load(path)
    a = vault.unlock(PASS_A)
    b = vault.unlock(PASS_B)
    assert a.data_key() == b.data_key() == two_users.data_key()
    assert (a.user, b.user) == (USER_A, USER_B)
    assert b.users() == [USER_A, USER_B]


def test_add_existing_user_is_refused(path: Path, two_users: UnlockedVault) -> None:
    before = path.read_bytes()
    with pytest.raises(UserExistsError):
        two_users.add_user(USER_B.upper(), "another good passphrase")
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["", "   ", "tab\there", "x" * 255])
def test_invalid_user_names_are_refused(path: Path, name: str) -> None:
    with pytest.raises(InvalidUserNameError):
        Vault.create(path, user=name, passphrase=PASS_A, cost=CHEAP)
    assert not path.exists()


def test_user_names_and_secrets_never_reach_the_file(path: Path, two_users: UnlockedVault) -> None:
    code = two_users.new_recovery_code()
    two_users.change_passphrase(PASS_NEW)
    raw = path.read_bytes()
    secrets_ = [USER_A, USER_B, PASS_A, PASS_B, PASS_NEW, code, code.replace("-", "")]
    for secret in secrets_:
        for variant in {secret, secret.casefold(), secret.upper(), *secret.split()}:
            if len(variant) >= 4:
                assert variant.encode("utf-8") not in raw, variant
                assert variant.encode("utf-16-le") not in raw, variant
                assert base64.b64encode(variant.encode()).rstrip(b"=")[:-2] not in raw, variant
    key = two_users.data_key()
    assert key not in raw
    assert base64.b64encode(key)[:40] not in raw


def test_user_name_length_is_not_visible_in_the_file(tmp_path: Path) -> None:
    short, long = tmp_path / "s" / "vault.json", tmp_path / "l" / "vault.json"
    Vault.create(short, user="Ani", passphrase=PASS_A, cost=CHEAP)
    long_name = "Raden Ayu Sekar Kusumawardhani binti Suryo"
    Vault.create(long, user=long_name, passphrase=PASS_A, cost=CHEAP)
    assert len(short.read_bytes()) == len(long.read_bytes())


def test_file_holds_only_the_documented_plain_fields(path: Path, two_users: UnlockedVault) -> None:
    body = json.loads(path.read_bytes())
    assert set(body) == {"version", "vault_id", "slots"}
    assert body["version"] == 1
    kinds = [slot["kind"] for slot in body["slots"]]
    assert kinds == ["passphrase", "passphrase", "recovery"]
    passphrase_slot = body["slots"][0]
    assert set(passphrase_slot) == {"id", "kind", "kdf", "nonce", "wrapped_key", "user"}
    assert passphrase_slot["kdf"] == {
        "alg": "argon2id",
        "time_cost": CHEAP.time_cost,
        "memory_kib": CHEAP.memory_kib,
        "lanes": CHEAP.lanes,
        "salt": passphrase_slot["kdf"]["salt"],
    }
    assert len(base64.b64decode(passphrase_slot["kdf"]["salt"])) == 16
    assert len(base64.b64decode(passphrase_slot["nonce"])) == 12
    assert body["slots"][2]["kdf"]["alg"] == "hkdf-sha256"


# --- recovery -------------------------------------------------------------------------------------


def test_generated_recovery_codes_are_grouped_base32_and_distinct() -> None:
    codes = {generate_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert CODE_RE.fullmatch(code)
        assert len(base64.b32decode(code.replace("-", ""))) == 20  # 160 bits


def test_recovery_code_unlocks_and_resets_a_forgotten_passphrase(
    path: Path, two_users: UnlockedVault, created: tuple[UnlockedVault, str]
) -> None:
    _, code = created
    recovered = Vault.load(path).unlock_with_recovery_code(code)
    assert recovered.user is None
    assert recovered.users() == [USER_A, USER_B]
    assert recovered.data_key() == two_users.data_key()

    recovered.set_passphrase_after_recovery(USER_A, PASS_NEW)
    assert recovered.user == USER_A

    vault = Vault.load(path)
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASS_A)
    assert vault.unlock(PASS_NEW).user == USER_A
    assert vault.unlock(PASS_B).user == USER_B
    assert vault.unlock_with_recovery_code(code).data_key() == two_users.data_key()


def test_set_passphrase_after_recovery_needs_an_existing_user(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    _, code = created
    recovered = Vault.load(path).unlock_with_recovery_code(code)
    before = path.read_bytes()
    with pytest.raises(UnknownUserError) as caught:
        recovered.set_passphrase_after_recovery("Nobody Here", PASS_NEW)
    assert caught.value.code == "unknown_user"
    with pytest.raises(UnknownUserError):
        recovered.change_passphrase(PASS_NEW)  # no default user after a recovery unlock
    assert path.read_bytes() == before


def test_new_recovery_code_replaces_the_old_one(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    unlocked, old_code = created
    new_code = unlocked.new_recovery_code()
    assert new_code != old_code
    vault = Vault.load(path)
    with pytest.raises(WrongRecoveryCodeError):
        vault.unlock_with_recovery_code(old_code)
    assert vault.unlock_with_recovery_code(new_code).data_key() == unlocked.data_key()
    assert vault.unlock(PASS_A).user == USER_A


def _code_with_look_alikes(unlocked: UnlockedVault) -> str:
    """A recovery code containing O, I and B, so every 0/1/8 confusion is exercised."""
    for _ in range(500):
        code = unlocked.new_recovery_code()
        if {"O", "I", "B"} <= set(code):
            return code
    raise AssertionError("no code with O, I and B in 500 tries")  # p ≈ 1e-65


_FULL_WIDTH = {c: chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda c: c.lower(), id="lowercase"),
        pytest.param(lambda c: c.replace("-", " "), id="spaces"),
        pytest.param(lambda c: c.replace("-", ""), id="no-separators"),
        pytest.param(lambda c: c.translate(str.maketrans("OIB", "018")), id="0-1-8"),
        pytest.param(
            lambda c: "  " + c.lower().translate(str.maketrans("oib-", "018 ")) + " \n",
            id="everything",
        ),
        pytest.param(lambda c: c.replace("-", "\u2013"), id="en-dash"),
        pytest.param(lambda c: c.translate(_FULL_WIDTH), id="full-width"),
    ],
)
def test_recovery_code_input_is_normalised(
    path: Path, created: tuple[UnlockedVault, str], mangle: Any
) -> None:
    unlocked, _ = created
    code = _code_with_look_alikes(unlocked)
    typed = mangle(code)
    assert typed != code
    assert Vault.load(path).unlock_with_recovery_code(typed).data_key() == unlocked.data_key()


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda c: "", id="empty"),
        pytest.param(lambda c: c[:-5], id="one-group-short"),
        pytest.param(lambda c: c + "A", id="one-char-long"),
        pytest.param(lambda c: "9" + c[1:], id="nine"),
        pytest.param(lambda c: "!" + c[1:], id="punctuation"),
        pytest.param(lambda c: "\u00c9" + c[1:], id="accented"),
        pytest.param(lambda c: generate_recovery_code(), id="another-code"),
    ],
)
def test_wrong_or_malformed_recovery_code(
    path: Path, created: tuple[UnlockedVault, str], mangle: Any
) -> None:
    _, code = created
    with pytest.raises(WrongRecoveryCodeError) as caught:
        Vault.load(path).unlock_with_recovery_code(mangle(code))
    assert caught.value.code == "wrong_recovery_code"


# --- changing passphrases -------------------------------------------------------------------------


def test_change_passphrase_rewrites_only_that_slot(path: Path, two_users: UnlockedVault) -> None:
    before = _slots(path)
    raw_before = path.read_text()
    two_users.change_passphrase(PASS_NEW)  # two_users was opened by USER_A
    after = _slots(path)
    raw_after = path.read_text()

    assert [s["id"] for s in after] == [s["id"] for s in before]
    assert after[1] == before[1]  # USER_B's slot, byte for byte
    assert after[2] == before[2]  # the recovery slot
    b_text = json.dumps(before[1], indent=2, sort_keys=True).replace("\n", "\n    ")
    assert b_text in raw_before and b_text in raw_after
    for field in ("nonce", "wrapped_key"):
        assert after[0][field] != before[0][field]
    assert after[0]["kdf"]["salt"] != before[0]["kdf"]["salt"]
    assert after[0]["user"] != before[0]["user"]

    vault = Vault.load(path)
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASS_A)
    assert vault.unlock(PASS_NEW).user == USER_A
    assert vault.unlock(PASS_B).data_key() == two_users.data_key()


def test_change_another_users_passphrase(path: Path, two_users: UnlockedVault) -> None:
    before = _slots(path)
    two_users.change_passphrase(PASS_NEW, user=USER_B.lower())
    after = _slots(path)
    assert after[0] == before[0]
    assert after[1] != before[1]
    vault = Vault.load(path)
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASS_B)
    assert vault.unlock(PASS_NEW).user == USER_B
    assert two_users.user == USER_A


def test_new_slots_reuse_the_vaults_kdf_cost(path: Path) -> None:
    cost = KdfCost(2, 16384, 2)
    unlocked, _ = Vault.create(path, user=USER_A, passphrase=PASS_A, cost=cost)
    unlocked.add_user(USER_B, PASS_B)
    unlocked.change_passphrase(PASS_NEW)
    for slot in _slots(path)[:2]:
        kdf = slot["kdf"]
        assert (kdf["time_cost"], kdf["memory_kib"], kdf["lanes"]) == (2, 16384, 2)


# --- passphrase strength --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    ["", "short", "sebelas1234", "   padded   ", "aaaaaaaaaaaaaaaa", "abababababababab"],
)
def test_weak_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassphraseError) as caught:
        check_passphrase_strength(weak)
    assert caught.value.code == "weak_passphrase"
    assert caught.value.params["min_length"] == 12


@pytest.mark.parametrize(
    "strong",
    ["dua belas abc", "Tr0ub4dor&3x", "aku suka makan nasi", "correct horse battery staple"],
)
def test_good_passphrases_are_accepted(strong: str) -> None:
    check_passphrase_strength(strong)


def test_weak_passphrase_is_refused_everywhere(path: Path, tmp_path: Path) -> None:
    with pytest.raises(WeakPassphraseError):
        Vault.create(path, user=USER_A, passphrase="pendek", cost=CHEAP)
    assert not path.exists()
    unlocked, code = Vault.create(path, user=USER_A, passphrase=PASS_A, cost=CHEAP)
    before = path.read_bytes()
    with pytest.raises(WeakPassphraseError):
        unlocked.change_passphrase("pendek")
    with pytest.raises(WeakPassphraseError):
        unlocked.add_user(USER_B, "pendek")
    with pytest.raises(WeakPassphraseError):
        Vault.load(path).unlock_with_recovery_code(code).set_passphrase_after_recovery(
            USER_A, "pendek"
        )
    assert path.read_bytes() == before


# --- tampering ------------------------------------------------------------------------------------


def test_flipped_wrapped_key_does_not_open(path: Path, created: tuple[UnlockedVault, str]) -> None:
    _, code = created
    _edit(path, lambda b: b["slots"][0].update(wrapped_key=_flip(b["slots"][0]["wrapped_key"])))
    vault = Vault.load(path)
    with pytest.raises(WrongPassphraseError):
        vault.unlock(PASS_A)
    assert vault.unlock_with_recovery_code(code).user is None  # the other slot still works


def test_flipped_recovery_slot_does_not_open(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    _, code = created
    _edit(path, lambda b: b["slots"][1].update(nonce=_flip(b["slots"][1]["nonce"], 5)))
    with pytest.raises(WrongRecoveryCodeError):
        Vault.load(path).unlock_with_recovery_code(code)


def test_flipped_sealed_user_name_is_corruption(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    def tamper(body: dict[str, Any]) -> None:
        user = body["slots"][0]["user"]
        user["ciphertext"] = _flip(user["ciphertext"], 3)

    _edit(path, tamper)
    with pytest.raises(VaultCorruptError) as caught:
        Vault.load(path).unlock(PASS_A)
    assert caught.value.code == "vault_corrupt"


def test_swapped_wrapped_keys_open_for_nobody(path: Path, two_users: UnlockedVault) -> None:
    def swap(body: dict[str, Any]) -> None:
        a, b = body["slots"][0], body["slots"][1]
        for field in ("wrapped_key", "nonce"):
            a[field], b[field] = b[field], a[field]

    _edit(path, swap)
    vault = Vault.load(path)
    for passphrase in (PASS_A, PASS_B):
        with pytest.raises(WrongPassphraseError):
            vault.unlock(passphrase)


def test_swapped_slot_ids_open_for_nobody(path: Path, two_users: UnlockedVault) -> None:
    def swap(body: dict[str, Any]) -> None:
        a, b = body["slots"][0], body["slots"][1]
        a["id"], b["id"] = b["id"], a["id"]

    _edit(path, swap)
    vault = Vault.load(path)
    for passphrase in (PASS_A, PASS_B):
        with pytest.raises(WrongPassphraseError):
            vault.unlock(passphrase)


def test_swapped_sealed_user_names_are_corruption(path: Path, two_users: UnlockedVault) -> None:
    def swap(body: dict[str, Any]) -> None:
        a, b = body["slots"][0], body["slots"][1]
        a["user"], b["user"] = b["user"], a["user"]

    _edit(path, swap)
    with pytest.raises(VaultCorruptError):
        Vault.load(path).unlock(PASS_A)


def test_slot_moved_to_another_vault_does_not_open(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    _edit(path, lambda b: b.update(vault_id="0" * 32))
    with pytest.raises(WrongPassphraseError):
        Vault.load(path).unlock(PASS_A)


@pytest.mark.parametrize("cut", [0, 1, 10, 100, -2, -50])
def test_truncated_file_is_corrupt(
    path: Path, created: tuple[UnlockedVault, str], cut: int
) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[:cut])
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


@pytest.mark.parametrize("version", [0, 2, "1", 1.0, True, None])
def test_wrong_version_is_corrupt(
    path: Path, created: tuple[UnlockedVault, str], version: object
) -> None:
    _edit(path, lambda b: b.update(version=version))
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


def _drop_recovery(b: dict[str, Any]) -> None:
    b["slots"].pop()


def _duplicate_slot(b: dict[str, Any]) -> None:
    b["slots"].insert(0, dict(b["slots"][0]))


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(_drop_recovery, id="no-recovery-slot"),
        pytest.param(lambda b: b.update(slots=b["slots"][-1:]), id="no-passphrase-slot"),
        pytest.param(_duplicate_slot, id="duplicate-slot-id"),
        pytest.param(lambda b: b.update(extra="x"), id="unknown-field"),
        pytest.param(lambda b: b["slots"][0].update(kind="district"), id="unknown-kind"),
        pytest.param(lambda b: b["slots"][0]["kdf"].update(alg="scrypt"), id="unknown-kdf"),
        pytest.param(lambda b: b["slots"][0]["kdf"].update(memory_kib=1 << 40), id="huge-memory"),
        pytest.param(lambda b: b["slots"][0]["kdf"].update(time_cost=0), id="zero-passes"),
        pytest.param(lambda b: b["slots"][0]["kdf"].update(lanes=True), id="bool-lanes"),
        pytest.param(lambda b: b["slots"][0]["kdf"].update(memory_kib=4), id="memory-below-8p"),
        pytest.param(lambda b: b["slots"][0].update(nonce="!!!!"), id="bad-base64"),
        pytest.param(lambda b: b["slots"][0].update(nonce="AAAA"), id="short-nonce"),
        pytest.param(lambda b: b["slots"][0].update(id="XYZ"), id="bad-slot-id"),
        pytest.param(lambda b: b.update(vault_id=7), id="vault-id-not-a-string"),
        pytest.param(lambda b: b.update(slots={}), id="slots-not-a-list"),
        pytest.param(lambda b: b["slots"].append(3), id="slot-not-an-object"),
        pytest.param(lambda b: b["slots"][0].pop("user"), id="missing-user"),
    ],
)
def test_malformed_fields_are_corrupt(path: Path, two_users: UnlockedVault, tamper: Any) -> None:
    _edit(path, tamper)
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


@pytest.mark.parametrize(
    "raw",
    [b"", b"[]", b"null", b'"vault"', b"\xff\xfe\x00", b'{"version": NaN}', b"[" * 100_000],
    ids=["empty", "list", "null", "string", "binary", "nan", "deep"],
)
def test_garbage_files_are_corrupt(path: Path, raw: bytes) -> None:
    path.parent.mkdir()
    path.write_bytes(raw)
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


def test_duplicate_json_keys_are_corrupt(path: Path, created: tuple[UnlockedVault, str]) -> None:
    raw = path.read_text()
    path.write_text(raw.replace('"version": 1', '"version": 1, "version": 1', 1))
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


def test_oversized_file_is_corrupt(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b" " * (2 << 20))
    with pytest.raises(VaultCorruptError):
        Vault.load(path)


def test_every_single_byte_flip_is_caught_or_harmless(path: Path) -> None:
    """Flip each byte of a real vault file: only typed errors, or an unchanged key."""
    unlocked, code = Vault.create(path, user=USER_A, passphrase=PASS_A, cost=TINY)
    unlocked.add_user(USER_B, PASS_B)
    key = unlocked.data_key()
    original = path.read_bytes()
    expected = (VaultCorruptError, WrongPassphraseError, WrongRecoveryCodeError)
    attempts: list[Callable[[], UnlockedVault]] = [
        lambda: Vault.load(path).unlock(PASS_A),
        lambda: Vault.load(path).unlock(PASS_B),
        lambda: Vault.load(path).unlock_with_recovery_code(code),
    ]
    for index in range(len(original)):
        mutated = bytearray(original)
        mutated[index] ^= 0x01
        path.write_bytes(bytes(mutated))
        for attempt in attempts:
            try:
                opened = attempt()
            except expected:
                continue
            # Only a flip that changes nothing that matters (e.g. a base64 padding bit) may pass.
            assert opened.data_key() == key, index


# --- atomic writes --------------------------------------------------------------------------------


def _fail_with_enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_disk_full_while_changing_passphrase_keeps_the_old_file(
    path: Path, two_users: UnlockedVault, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    before = path.read_bytes()
    monkeypatch.setattr(os, failing, _fail_with_enospc)
    with pytest.raises(DiskFullError) as caught:
        two_users.change_passphrase(PASS_NEW)
    monkeypatch.undo()
    assert caught.value.code == "write_failed"
    assert isinstance(caught.value, WriteFailedError)
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []
    assert Vault.load(path).unlock(PASS_A).user == USER_A
    # The in-memory vault still matches the file, so a retry once there is space works.
    two_users.change_passphrase(PASS_NEW)
    assert Vault.load(path).unlock(PASS_NEW).user == USER_A


def test_disk_full_while_adding_a_user_keeps_the_old_file(
    path: Path, created: tuple[UnlockedVault, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unlocked, code = created
    before = path.read_bytes()
    monkeypatch.setattr(os, "replace", _fail_with_enospc)
    with pytest.raises(DiskFullError):
        unlocked.add_user(USER_B, PASS_B)
    with pytest.raises(DiskFullError):
        unlocked.new_recovery_code()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _temp_files(path.parent) == []
    assert unlocked.users() == [USER_A]
    assert Vault.load(path).unlock_with_recovery_code(code).users() == [USER_A]


def test_disk_full_while_creating_leaves_no_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path.parent.mkdir()
    monkeypatch.setattr(os, "fsync", _fail_with_enospc)
    with pytest.raises(DiskFullError):
        Vault.create(path, user=USER_A, passphrase=PASS_A, cost=CHEAP)
    monkeypatch.undo()
    assert list(path.parent.iterdir()) == []


def test_a_stale_vault_does_not_overwrite_a_newer_file(
    path: Path, created: tuple[UnlockedVault, str]
) -> None:
    first, _ = created
    second = Vault.load(path).unlock(PASS_A)
    first.add_user(USER_B, PASS_B)
    after_first = path.read_bytes()
    with pytest.raises(VaultChangedError):
        second.change_passphrase(PASS_NEW)
    assert path.read_bytes() == after_first
    assert Vault.load(path).unlock(PASS_B).user == USER_B


# --- keys in memory -------------------------------------------------------------------------------


def test_subkeys_are_hkdf_of_the_data_key(created: tuple[UnlockedVault, str]) -> None:
    unlocked, _ = created
    expected = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"simpul/db/records"
    ).derive(unlocked.data_key())
    assert unlocked.subkey("db/records") == expected
    assert unlocked.subkey("db/records") == expected  # cached, same value
    assert unlocked.subkey("db/changes") != expected
    assert len({unlocked.subkey("a"), unlocked.subkey("b"), unlocked.data_key()}) == 3


@pytest.mark.parametrize("purpose", ["", "vault/user-name/v1", "Records", "db records", "é"])
def test_reserved_or_malformed_subkey_purposes_are_bugs(
    created: tuple[UnlockedVault, str], purpose: str
) -> None:
    unlocked, _ = created
    with pytest.raises(ValueError):
        unlocked.subkey(purpose)


def test_lock_drops_the_keys(created: tuple[UnlockedVault, str]) -> None:
    unlocked, _ = created
    unlocked.subkey("db/records")
    buffers = [unlocked._dek, *unlocked._subkeys.values()]  # white-box: the wiped buffers
    unlocked.lock()
    assert unlocked.is_locked
    assert all(buffer == bytearray(len(buffer)) for buffer in buffers)
    for use in (
        unlocked.data_key,
        lambda: unlocked.subkey("db/records"),
        unlocked.users,
        lambda: unlocked.user,
        lambda: unlocked.add_user(USER_B, PASS_B),
        lambda: unlocked.change_passphrase(PASS_NEW),
        unlocked.new_recovery_code,
    ):
        with pytest.raises(VaultLockedError) as caught:
            use()
        assert isinstance(caught.value, StorageError)
        assert str(caught.value) == "locked"
    unlocked.lock()  # idempotent
    assert unlocked.vault_id  # not secret, still known


def test_context_manager_locks(created: tuple[UnlockedVault, str]) -> None:
    unlocked, _ = created
    with unlocked as vault:
        assert len(vault.data_key()) == 32
    assert unlocked.is_locked
    assert "locked" in repr(unlocked)
    assert USER_A not in repr(unlocked)


# --- KDF cost -------------------------------------------------------------------------------------


def test_floor_is_rfc_9106_second_recommended_option() -> None:
    assert FLOOR == KdfCost(time_cost=3, memory_kib=64 * 1024, lanes=4)


@pytest.mark.parametrize("args", [(0, 8, 1), (1, 7, 1), (1, 16, 4), (1, 8, 0)])
def test_invalid_kdf_costs_are_bugs(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        KdfCost(*args)


def test_calibration_never_goes_below_the_floor_and_is_bounded() -> None:
    started = time.perf_counter()
    cost = calibrate_kdf(target_seconds=0.3)
    elapsed = time.perf_counter() - started
    assert cost.memory_kib == FLOOR.memory_kib
    assert cost.lanes == FLOOR.lanes
    assert cost.time_cost >= FLOOR.time_cost
    assert elapsed < 4.0  # about 2 s of budget, with room for a loaded test machine
    # A target the floor already exceeds returns the floor itself.
    assert calibrate_kdf(target_seconds=1e-4) == FLOOR
    # A custom floor is respected too.
    assert calibrate_kdf(target_seconds=0.02, floor=CHEAP).time_cost >= CHEAP.time_cost
    with pytest.raises(ValueError):
        calibrate_kdf(target_seconds=0)


def test_create_without_a_cost_calibrates_at_or_above_the_floor(path: Path) -> None:
    unlocked, _ = Vault.create(path, user=USER_A, passphrase=PASS_A)
    kdf = _slots(path)[0]["kdf"]
    assert kdf["memory_kib"] == FLOOR.memory_kib
    assert kdf["lanes"] == FLOOR.lanes
    assert kdf["time_cost"] >= FLOOR.time_cost
    assert Vault.load(path).unlock(PASS_A).data_key() == unlocked.data_key()


# --- errors ---------------------------------------------------------------------------------------


def test_storage_user_errors_take_the_user_error_arguments() -> None:
    assert VaultMissingError().code == "profile_missing"
    error = VaultExistsError("profile_exists", "a profile already exists here", path="x")
    assert (error.code, str(error), error.params) == (
        "profile_exists",
        "a profile already exists here",
        {"path": "x"},
    )
    assert WrongPassphraseError(message="nope").code == "wrong_passphrase"
    assert DiskFullError().code == WriteFailedError().code == "write_failed"


def test_profile_folder_that_cannot_be_made_is_a_write_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    with pytest.raises(WriteFailedError):
        Vault.create(blocker / "vault.json", user=USER_A, passphrase=PASS_A, cost=CHEAP)
