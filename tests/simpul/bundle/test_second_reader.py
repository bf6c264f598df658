"""A second reader written only from docs/bundle-format.md opens the v1 golden files.

It uses ``cryptography`` primitives, ``struct``, ``zlib``, Zstandard (``compression.zstd``, or
its backport before Python 3.14) and ``json`` directly and nothing of ``simpul.bundle``, so a
mistake in the document (an offset, a label, what is signed) fails here.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

GOLDEN = Path(__file__).resolve().parent / "golden"


def _keys() -> dict[str, bytes]:
    raw = json.loads((GOLDEN / "v1-test-keys.json").read_text(encoding="utf-8"))
    return {name: bytes.fromhex(value) for name, value in raw.items() if name != "_warning"}


def read_bundle(data: bytes, private: bytes, signer_public: bytes) -> dict[str, Any]:
    assert data[:8] == b"\x89SIMPULB"
    version, suite, cs, length, nonce, count = struct.unpack(">HHIQ16sH", data[8:42])
    assert version == 1
    assert suite in (1, 2)
    header_len = 42 + 1184 * count
    header = data[:header_len]
    n = max(1, -(-length // cs))
    assert len(data) == header_len + length + 16 * n

    mlkem_key = mlkem.MLKEM768PrivateKey.from_seed_bytes(private[:64])
    x_key = x25519.X25519PrivateKey.from_private_bytes(private[64:])
    public = mlkem_key.public_key().public_bytes_raw() + x_key.public_key().public_bytes_raw()
    our_id = hashlib.sha256(public).digest()[:16]
    stanzas = [data[42 + 1184 * i : 42 + 1184 * (i + 1)] for i in range(count)]
    (stanza,) = [s for s in stanzas if s[:16] == our_id]
    suite_1 = hpke.Suite(
        hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305
    )
    info = b"simpul-bundle/v1 stanza" + b"\0" + header[8:40] + our_id
    assert len(info) == 72
    file_key = suite_1.decrypt(
        stanza[16:], hpke.MLKEM768X25519PrivateKey(mlkem_key, x_key), info=info
    )

    okm = HKDF(
        algorithm=hashes.SHA256(), length=39, salt=nonce, info=b"simpul-bundle/v1 payload"
    ).derive(file_key)
    aead = ChaCha20Poly1305(okm[:32])
    payload = b""
    position = header_len
    for i in range(n):
        size = min(cs, length - i * cs) + 16
        chunk_nonce = okm[32:39] + struct.pack(">I", i) + (b"\x01" if i == n - 1 else b"\x00")
        payload += aead.decrypt(chunk_nonce, data[position : position + size], header)
        position += size
    assert len(payload) == length

    signer_id, inner_len = struct.unpack(">16sI", payload[:20])
    assert signer_id == hashlib.sha256(signer_public).digest()[:16]
    ed25519.Ed25519PublicKey.from_public_bytes(signer_public).verify(
        payload[-64:], b"simpul-bundle/v1 signature" + b"\0" + header + payload[:-64]
    )
    inner = json.loads(payload[20 : 20 + inner_len])
    assert inner["recipients"] == [s[:16].hex() for s in stanzas]
    compressed = payload[20 + inner_len : -64]
    if suite == 1:
        assert inner["body"]["codec"] == "zlib"
        body = zlib.decompress(compressed)
    else:
        assert inner["body"]["codec"] == "zstd"
        # exactly one frame, nothing around it, a window of at most 8 MiB
        reader = zstd.ZstdDecompressor(options={zstd.DecompressionParameter.window_log_max: 23})
        body = reader.decompress(compressed)
        assert reader.eof and not reader.unused_data
    assert len(body) == inner["body"]["size"]
    changes = json.loads(body)
    assert len(changes) == inner["body"]["changes"]
    return {"inner": inner, "changes": changes}


@pytest.mark.parametrize("prefix", ["v1-", "v1-suite2-"])
def test_second_reader_opens_the_golden_bundles(prefix: str) -> None:
    keys = _keys()
    expected = json.loads((GOLDEN / f"{prefix}expected.json").read_text(encoding="utf-8"))
    device_public = ed25519.Ed25519PrivateKey.from_private_bytes(
        keys["device_signing_private"]
    ).public_key()
    district_public = ed25519.Ed25519PrivateKey.from_private_bytes(
        keys["district_signing_private"]
    ).public_key()

    opened = read_bundle(
        (GOLDEN / f"{prefix}changes.sealed.bin").read_bytes(),
        keys["recovery_encryption_private"],
        device_public.public_bytes_raw(),
    )
    assert opened["changes"] == expected["changes_bundle"]["changes"]
    assert opened["inner"]["bundle_id"] == expected["changes_bundle"]["bundle_id"]

    opened = read_bundle(
        (GOLDEN / f"{prefix}return.sealed.bin").read_bytes(),
        keys["device_encryption_private"],
        district_public.public_bytes_raw(),
    )
    assert opened["changes"] == expected["return_bundle"]["changes"]
    assert opened["inner"]["kind"] == "return"


def test_second_reader_verifies_the_golden_receipt() -> None:
    keys = _keys()
    data = (GOLDEN / "v1-receipt.bin").read_bytes()
    district = ed25519.Ed25519PrivateKey.from_private_bytes(keys["district_signing_private"])
    public = district.public_key().public_bytes_raw()
    magic, version, suite, signer, body_len = struct.unpack(">8sHH16sI", data[:32])
    assert (magic, version, suite) == (b"\x89SIMPULR", 1, 1)
    assert signer == hashlib.sha256(public).digest()[:16]
    assert len(data) == 96 + body_len
    district.public_key().verify(
        data[32 + body_len :], b"simpul-receipt/v1 signature" + b"\0" + data[: 32 + body_len]
    )
    expected = json.loads((GOLDEN / "v1-expected.json").read_text(encoding="utf-8"))
    assert json.loads(data[32 : 32 + body_len]) == expected["receipt"]
