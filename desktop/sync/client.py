"""The HTTP client of the district server's sync API (``requests``; no Qt, no retries here).

One ``requests.Session`` (connection reuse), explicit ``(connect, read)`` timeouts on every
call. Failures are typed: :class:`~desktop.sync.errors.OfflineError` for anything that means
"the server cannot be reached now" (no route, refused, reset, timed out, cut mid-answer, a
proxy's 502/503/504), :class:`~desktop.sync.errors.ServerRefusedError` for a refusal the
server named (revoked device, unknown code…), :class:`~desktop.sync.errors.ServerError` for
other server failures. Retrying is the engine's business.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from desktop.sync.errors import OfflineError, ServerError, ServerRefusedError
from simpul.bundle import NEWEST_SUITE, SUITES

__all__ = ["DEFAULT_TIMEOUT", "EnrollAnswer", "Health", "SyncClient", "normalize_server_url"]

DEFAULT_TIMEOUT = (5.0, 60.0)
"""(connect, read) seconds: a dead link is noticed in 5 s; a big import may take a while."""

USER_AGENT = "simpul-desktop"
CURSOR_HEADER = "X-Simpul-Cursor"
SUITE_HEADER = "X-Simpul-Bundle-Suite"
_RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_MAX_ERROR_BODY = 64 * 1024


def normalize_server_url(url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash.

    Raises:
        ValueError: Not an http(s) URL with a host.
    """
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    return text.rstrip("/")


@dataclass(frozen=True, slots=True)
class Health:
    """``GET /v1/health``: the server is up; its key ids (compared with the pinned keys)."""

    version: str
    enc_key_id: str | None
    sign_key_id: str | None


@dataclass(frozen=True, slots=True)
class EnrollAnswer:
    """``POST /v1/enroll``: the device's credentials and the district's public keys."""

    device_id: str
    token: str
    village: str
    district_enc_public: bytes
    district_sign_public: bytes


class SyncClient:
    """Calls to one district server.

    Args:
        base_url: The server URL (see :func:`normalize_server_url`).
        token: The device token (after enrollment).
        timeout: ``(connect, read)`` seconds for every request.
        session: A ``requests.Session`` to use (one is made otherwise).
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = normalize_server_url(base_url)
        self.token = token
        self.timeout = timeout
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        # No proxies from the environment: the server address is what the user typed.
        self._session.trust_env = False
        self.district_suite: int | None = None
        """The newest bundle suite the server said it reads (``None``: it did not say, as a
        server from before suite 2 does not)."""

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ calls

    def health(self) -> Health:
        """The connectivity check (one small GET)."""
        answer = self._request("GET", "/v1/health", auth=False)
        data = _json(answer)
        return Health(
            version=str(data.get("version", "")),
            enc_key_id=data.get("district_enc_key_id"),
            sign_key_id=data.get("district_sign_key_id"),
        )

    def enroll(
        self, code: str, *, enc_public: bytes, sign_public: bytes, device_id: str
    ) -> EnrollAnswer:
        """Enroll this laptop with a one-time code."""
        answer = self._request(
            "POST",
            "/v1/enroll",
            auth=False,
            json={
                "code": code,
                "device_enc_public": base64.b64encode(enc_public).decode("ascii"),
                "device_sign_public": base64.b64encode(sign_public).decode("ascii"),
                "device_id": device_id,
            },
        )
        data = _json(answer)
        try:
            return EnrollAnswer(
                device_id=str(data["device_id"]),
                token=str(data["token"]),
                village=str(data["village"]),
                district_enc_public=base64.b64decode(data["district_enc_public"], validate=True),
                district_sign_public=base64.b64decode(data["district_sign_public"], validate=True),
            )
        except (KeyError, TypeError, ValueError):
            raise ServerError(answer.status_code, "malformed enrollment answer") from None

    def push(self, bundle: bytes, *, bundle_id: str) -> bytes:
        """Upload a bundle; return the receipt bytes (the same for a bundle pushed before)."""
        answer = self._request(
            "POST",
            "/v1/sync/push",
            data=bundle,
            headers={"Content-Type": "application/octet-stream", "Idempotency-Key": bundle_id},
        )
        return bytes(answer.content)

    def pull(self, since: int, holds: int | None = None) -> tuple[bytes | None, int]:
        """The next return bundle after ``since`` (``None`` when nothing is new) and the cursor
        to store once it is applied; ``holds``: the highest counter of the enrolled device's own
        changes this laptop holds (those above it come back: a database put back from an older
        copy)."""
        # suite: the newest bundle suite this laptop reads (an older server ignores it)
        params = {"since": since, "suite": NEWEST_SUITE}
        if holds is not None:
            params["holds"] = holds
        answer = self._request("GET", "/v1/sync/pull", params=params)
        try:
            cursor = int(answer.headers.get(CURSOR_HEADER, since))
        except ValueError:
            raise ServerError(answer.status_code, "malformed cursor") from None
        if answer.status_code == 204 or not answer.content:
            return None, cursor
        return answer.content, cursor

    # ------------------------------------------------------------------ plumbing

    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            answer = self._session.request(
                method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
            )
            # Read the whole body here, so a connection cut mid-answer is an OfflineError.
            _ = answer.content
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise OfflineError(type(exc).__name__) from None
        except requests.RequestException as exc:
            # ChunkedEncodingError, ContentDecodingError, InvalidURL…: the link broke or
            # the answer did not arrive whole.
            raise OfflineError(type(exc).__name__) from None
        status = answer.status_code
        if status < 400:
            suite = answer.headers.get(SUITE_HEADER, "")
            if suite.isdigit() and int(suite) >= min(SUITES):
                self.district_suite = int(suite)
            return answer
        if status in _RETRYABLE_STATUS:
            if status in (502, 503, 504):
                raise OfflineError(f"HTTP {status}")
            raise ServerError(status, _error_code(answer))
        raise ServerRefusedError(_error_code(answer) or f"http_{status}", status)


def _json(answer: Any) -> dict[str, Any]:
    try:
        data = answer.json()
    except ValueError:
        raise ServerError(answer.status_code, "not JSON") from None
    if not isinstance(data, dict):
        raise ServerError(answer.status_code, "not a JSON object")
    return data


def _error_code(answer: Any) -> str:
    """The server's error code (``{"error": code, ...}``), or empty."""
    if len(answer.content) > _MAX_ERROR_BODY:
        return ""
    try:
        data = answer.json()
    except ValueError:
        return ""
    code = data.get("error") if isinstance(data, dict) else None
    if isinstance(code, str) and code.replace("_", "").isalnum() and len(code) <= 64:
        return code
    return ""
