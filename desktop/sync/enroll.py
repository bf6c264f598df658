"""Enrolling the laptop with its district: online (server URL + one-time code) or by file.

Either way the district's public keys are pinned in the sealed sync state; from then on every
receipt and return bundle must verify with them, and a server presenting other keys is refused.

By file (a village with no internet): the district gives an enrollment file (code, village,
district keys). The laptop pins the keys and writes an *answer file* (the code, its device id
and public keys — nothing about any person) that travels back with the first bundles; the
district registers the laptop when it imports the answer (``simpul-district import``). Until a
receipt or return bundle signed by the district arrives, every bundle export writes the answer
again beside the bundles.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop.storage.store import Store
from desktop.sync.client import SyncClient, normalize_server_url
from desktop.sync.errors import EnrollmentError, ServerKeysChangedError
from desktop.sync.state import Enrollment, SyncState, now_iso
from simpul.bundle import PublicEncryptionKey, PublicSigningKey, key_id

__all__ = [
    "ANSWER_FORMAT",
    "ENROLLMENT_FORMAT",
    "EnrollmentFile",
    "answer_file",
    "enroll_from_file",
    "enroll_online",
    "parse_enrollment_file",
]

ENROLLMENT_FORMAT = "simpul-enrollment"
ANSWER_FORMAT = "simpul-enrollment-answer"
MAX_ENROLLMENT_FILE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class EnrollmentFile:
    """A parsed enrollment file from the district."""

    code: str
    village: str
    expires_at: datetime
    server_url: str | None
    district_enc_public: bytes
    district_sign_public: bytes


def parse_enrollment_file(data: bytes) -> EnrollmentFile:
    """Read an enrollment file strictly.

    Raises:
        EnrollmentError: ``enrollment_file_invalid`` (not an enrollment file, damaged, keys
            that do not match their ids).
    """
    if len(data) > MAX_ENROLLMENT_FILE_BYTES:
        raise EnrollmentError("enrollment_file_invalid")
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != ENROLLMENT_FORMAT or doc.get("version") != 1:
            raise ValueError("format")
        district = doc["district"]
        enc = base64.b64decode(district["encryption_public"], validate=True)
        sign = base64.b64decode(district["signing_public"], validate=True)
        PublicEncryptionKey.from_public_bytes(enc)
        PublicSigningKey.from_public_bytes(sign)
        if (
            key_id(enc) != district["encryption_key_id"]
            or key_id(sign) != (district["signing_key_id"])
        ):
            raise ValueError("key ids")
        expires = datetime.fromisoformat(str(doc["expires_at"]))
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        url = doc.get("server_url")
        return EnrollmentFile(
            code=str(doc["code"]),
            village=str(doc["village"]),
            expires_at=expires,
            server_url=normalize_server_url(url) if isinstance(url, str) and url else None,
            district_enc_public=enc,
            district_sign_public=sign,
        )
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise EnrollmentError("enrollment_file_invalid") from exc


def _check_not_enrolled(state: SyncState) -> None:
    current = state.enrollment()
    if current is not None and current.confirmed:
        raise EnrollmentError("already_enrolled", village=current.village)


def enroll_from_file(store: Store, data: bytes, *, now: datetime | None = None) -> Enrollment:
    """Pin the district keys of an enrollment file; the answer travels back with the bundles.

    Raises:
        EnrollmentError: ``enrollment_file_invalid``, ``enrollment_file_expired``,
            ``enrollment_other_village`` (the file is for another village than this profile's),
            ``already_enrolled``.
    """
    state = SyncState(store)
    _check_not_enrolled(state)
    parsed = parse_enrollment_file(data)
    if parsed.expires_at <= (now or datetime.now(UTC)):
        raise EnrollmentError("enrollment_file_expired")
    if parsed.village != store.village:
        raise EnrollmentError("enrollment_other_village", village=parsed.village)
    state.device_keys()  # made now, so the answer carries them
    enrollment = Enrollment(
        village=parsed.village,
        via="file",
        server_url=parsed.server_url,
        token=None,
        district_enc_public=parsed.district_enc_public,
        district_sign_public=parsed.district_sign_public,
        enrolled_at=now_iso(),
        confirmed=False,
        code=parsed.code,
        device_id=store.device_id,
    )
    state.set_enrollment(enrollment)
    return enrollment


def answer_file(store: Store) -> bytes | None:
    """The enrollment answer to carry to the district, while it has not confirmed; else None."""
    state = SyncState(store)
    enrollment = state.enrollment()
    if enrollment is None or enrollment.confirmed or not enrollment.code:
        return None
    encryption, signing = state.device_keys()
    doc: dict[str, Any] = {
        "format": ANSWER_FORMAT,
        "version": 1,
        "code": enrollment.code,
        "device_id": enrollment.sender(store),
        "device_enc_public": base64.b64encode(encryption.public_bytes()).decode("ascii"),
        "device_sign_public": base64.b64encode(signing.public_bytes()).decode("ascii"),
        "district_enc_key_id": enrollment.district_encryption.key_id,
    }
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def enroll_online(
    store: Store,
    server_url: str,
    code: str,
    *,
    client_factory: Callable[[str], SyncClient] = SyncClient,
) -> Enrollment:
    """Enroll with a one-time code over the network and pin the district keys.

    Raises:
        ValueError: ``server_url`` is not a URL.
        EnrollmentError: ``already_enrolled``, ``enrollment_other_village``.
        ServerKeysChangedError: The laptop pinned other district keys before (a file
            enrollment) and this server has different ones.
        OfflineError: The server cannot be reached.
        ServerRefusedError: The server refused (``refused_enrollment_code_unknown``,
            ``…_expired``, ``…_used``…).
    """
    url = normalize_server_url(server_url)
    state = SyncState(store)
    _check_not_enrolled(state)
    previous = state.enrollment()
    encryption, signing = state.device_keys()
    with client_factory(url) as client:
        answer = client.enroll(
            code.strip(),
            enc_public=encryption.public_bytes(),
            sign_public=signing.public_bytes(),
            device_id=store.device_id,
        )
    if previous is not None and (
        previous.district_enc_public != answer.district_enc_public
        or previous.district_sign_public != answer.district_sign_public
    ):
        raise ServerKeysChangedError()
    if answer.village != store.village:
        raise EnrollmentError("enrollment_other_village", village=answer.village)
    enrollment = Enrollment(
        village=answer.village,
        via="online",
        server_url=url,
        token=answer.token,
        district_enc_public=answer.district_enc_public,
        district_sign_public=answer.district_sign_public,
        enrolled_at=now_iso(),
        confirmed=True,
        device_id=answer.device_id,
    )
    state.set_enrollment(enrollment)
    return enrollment
