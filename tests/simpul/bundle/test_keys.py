"""Key material: raw encodings, key ids, signatures and refusal of malformed key bytes."""

from __future__ import annotations

import hashlib

import pytest

from simpul.bundle import (
    EncryptionKeyPair,
    KeyFormatError,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
    key_id,
)
from simpul.bundle.keys import ENCRYPTION_PRIVATE_LENGTH, ENCRYPTION_PUBLIC_LENGTH


def test_encryption_key_round_trips_through_raw_bytes() -> None:
    pair = EncryptionKeyPair.generate()
    assert len(pair.public_bytes()) == ENCRYPTION_PUBLIC_LENGTH == 1216
    assert len(pair.private_bytes()) == ENCRYPTION_PRIVATE_LENGTH == 96
    again = EncryptionKeyPair.from_private_bytes(pair.private_bytes())
    assert again.public_bytes() == pair.public_bytes()
    assert again.key_id == pair.key_id
    public = PublicEncryptionKey.from_public_bytes(pair.public_bytes())
    assert public == pair.public_key
    assert hash(public) == hash(pair.public_key)
    assert public.public_bytes() == pair.public_bytes()


def test_signing_key_round_trips_and_signs() -> None:
    pair = SigningKeyPair.generate()
    again = SigningKeyPair.from_private_bytes(pair.private_bytes())
    assert again.public_bytes() == pair.public_bytes()
    public = PublicSigningKey.from_public_bytes(pair.public_bytes())
    assert public == pair.public_key
    signature = pair.sign(b"message")
    assert signature == again.sign(b"message")  # Ed25519 is deterministic
    assert public.verify(signature, b"message")
    assert not public.verify(signature, b"messagE")
    assert not public.verify(signature[:-1], b"message")
    assert not SigningKeyPair.generate().public_key.verify(signature, b"message")


def test_key_id_is_a_short_sha256() -> None:
    pair = SigningKeyPair.generate()
    expected = hashlib.sha256(pair.public_bytes()).hexdigest()[:32]
    assert key_id(pair.public_bytes()) == pair.key_id == pair.public_key.key_id == expected
    enc = EncryptionKeyPair.generate()
    assert enc.key_id == hashlib.sha256(enc.public_bytes()).hexdigest()[:32]
    assert enc.key_id != EncryptionKeyPair.generate().key_id


@pytest.mark.parametrize(
    ("loader", "length"),
    [
        (EncryptionKeyPair.from_private_bytes, 96),
        (PublicEncryptionKey.from_public_bytes, 1216),
        (SigningKeyPair.from_private_bytes, 32),
        (PublicSigningKey.from_public_bytes, 32),
    ],
)
def test_wrong_lengths_are_refused(loader: object, length: int) -> None:
    assert callable(loader)
    for size in (0, length - 1, length + 1):
        with pytest.raises(KeyFormatError):
            loader(bytes(size))
    with pytest.raises(KeyFormatError):
        loader("00" * length)


def test_invalid_mlkem_public_key_is_refused() -> None:
    # FIPS 203 §7.2: every coefficient of the encapsulation key must be below q = 3329.
    with pytest.raises(KeyFormatError):
        PublicEncryptionKey.from_public_bytes(b"\xff" * 1216)


def test_repr_shows_only_the_key_id() -> None:
    pair = EncryptionKeyPair.generate()
    signer = SigningKeyPair.generate()
    assert repr(pair) == f"EncryptionKeyPair(key_id={pair.key_id!r})"
    assert pair.private_bytes().hex() not in repr(pair)
    assert signer.private_bytes().hex() not in repr(signer)
