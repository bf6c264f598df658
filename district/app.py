"""The district server's HTTP API (DESIGN.md §6): a FastAPI app over one :class:`District`.

Stateless per request: every piece of state lives in the database behind the District service,
which is thread-safe (each call opens its own session), so several server processes can run
behind a proxy and FastAPI's worker threads share one service.

Errors are JSON ``{"error": code, "message": English text, "params": {...}}`` with an HTTP
status; nothing a client sends can produce a traceback in a response. The server's own access
log names only the method, the route *template* (``/v1/records/{record_id}``), the status and
the duration: no query strings, no ids, no client addresses, so the log holds nothing about a
person or a village laptop.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations at run time,
# and they name dependencies defined inside create_app.
import base64
import binascii
import logging
import re
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from importlib import metadata
from typing import Annotated, Any, Final, Literal, TypeVar

import anyio
import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from district.actors import staff_actor
from district.errors import BadCredentialsError, EnrollmentCodeError, UnknownDeviceError
from district.messages import translate
from district.ratelimit import DEFAULT_RATE_LIMITS, AttemptLimiter, Limit, RateLimits
from district.service import MAX_IMPORT_BYTES, District
from district.views import DeviceView, ImportResult, RecordSort, StaffView
from simpul.bundle import NEWEST_SUITE, SUITE_V1, key_id, readable_suite
from simpul.errors import Error, UserError

__all__ = [
    "CURSOR_HEADER",
    "IMPORT_STATUS_HEADER",
    "MAX_JSON_BYTES",
    "create_app",
]

T = TypeVar("T")

CURSOR_HEADER: Final = "X-Simpul-Cursor"
"""Header of a pull answer: the cursor to store once the return bundle is applied."""

IMPORT_STATUS_HEADER: Final = "X-Simpul-Import-Status"
"""Header of a push answer: ``imported`` or ``already_imported``."""

BUNDLE_ID_HEADER: Final = "X-Simpul-Bundle-Id"

SUITE_HEADER: Final = "X-Simpul-Bundle-Suite"
"""Header of every push and pull answer: the newest bundle suite this server reads, so a laptop
that fell back to an older suite for an older server moves on once the server is updated."""
_SUITE_HEADERS: Final = {SUITE_HEADER: str(NEWEST_SUITE)}

MAX_JSON_BYTES: Final = 5 * 1024 * 1024
"""Largest JSON request body (a case with 500 victims and long texts is well under 1 MB)."""

IMPORT_CONCURRENCY: Final = 8
"""Bundles opened at once: each may inflate to 64 MiB (Limits.max_payload_bytes)."""

LOGIN_CONCURRENCY: Final = 4
"""Password checks at once: each Argon2id derivation takes 64 MiB (RFC 9106 §4)."""

_PUSH_PATH: Final = "/v1/sync/push"
_STAFF_BUNDLE_PATHS: Final = frozenset({"/v1/staff/bundles/preview", "/v1/staff/bundles/import"})
_ANSWER_PATH: Final = "/v1/staff/enrollment-answers"
_FILE_PATHS: Final = frozenset({_PUSH_PATH, _ANSWER_PATH, *_STAFF_BUNDLE_PATHS})
"""Routes whose body is a file's bytes, not JSON."""
_BUNDLE_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")
_BEARER: Final = re.compile(r"Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*", re.IGNORECASE)
_OCTETS: Final = "application/octet-stream"

_log = logging.getLogger("district.http")
_access = logging.getLogger("district.access")

# HTTP status of each error code; a UserError not listed is a 400, any other error a 500.
_STATUS: Final[Mapping[str, int]] = {
    "unauthorized": 401,
    "bad_credentials": 401,
    "session_expired": 401,
    "unknown_device": 401,
    "device_revoked": 403,
    "access_denied": 403,
    "unknown_sender": 403,
    "record_not_found": 404,
    "too_many_logins": 429,
    "too_many_enrollments": 429,
    "not_found": 404,
    "method_not_allowed": 405,
    "device_exists": 409,
    "user_exists": 409,
    "too_large": 413,
    "request_too_large": 413,
    "invalid_request": 422,
    "invalid_base64": 422,
    "invalid_device_key": 422,
    "invalid_device_id": 422,
    "idempotency_key_invalid": 422,
    "idempotency_key_mismatch": 422,
    "unknown_village": 422,
    "invalid_ttl": 422,
    "unknown_role": 422,
    "weak_password": 422,
    "invalid_user_name": 422,
    "validation_failed": 422,
    "bad_base": 422,
    "village_change": 422,
    "bad_resolve": 422,
    "delete_not_allowed": 422,
    "invalid_text": 422,
    "record_corrupt": 500,
    "internal_error": 500,
    "database_busy": 503,
}


# --------------------------------------------------------------------------- errors


class ApiError(Exception):
    """An error the API answers with directly: ``code`` (see :data:`_STATUS`) and params."""

    def __init__(self, code: str, status: int | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.status = status or _STATUS.get(code, 400)
        self.params = params


def _json_params(params: Mapping[str, object]) -> dict[str, Any]:
    """Placeholder values that JSON can carry (codes, counts, problem paths; no person data)."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str | int | float | bool) or value is None:
            out[name] = value
        elif isinstance(value, list | tuple):
            out[name] = jsonable_encoder(value)
    return out


def error_response(
    code: str,
    *,
    status: int | None = None,
    params: Mapping[str, object] | None = None,
    fallback: str = "",
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The JSON answer for an error code.

    Args:
        code: Stable error code (the client translates it).
        status: HTTP status; by default from the code.
        params: Placeholder values of the message.
        fallback: English text for a code the catalogue does not know.
        headers: Extra response headers.

    Returns:
        ``{"error": code, "message": ..., "params": {...}}``.
    """
    params = params or {}
    body: dict[str, Any] = {
        "error": code,
        "message": translate(code, "en", params, fallback=fallback),
    }
    safe = _json_params(params)
    if safe:
        body["params"] = safe
    status = status or _STATUS.get(code, 400)
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", "Bearer")
    if status == 503:
        all_headers.setdefault("Retry-After", "1")
    if status == 429:
        # RFC 9110 §10.2.3: seconds until the client may try again.
        all_headers.setdefault("Retry-After", str(params.get("retry_after", 60)))
    return JSONResponse(body, status_code=status, headers=all_headers)


def _english(exc: UserError) -> str:
    message = str(exc.args[0]) if exc.args else exc.code
    try:
        return message.format(**exc.params)
    except (KeyError, IndexError, ValueError):
        return message


# --------------------------------------------------------------------------- ASGI middleware


class _BodyTooLargeError(StarletteHTTPException):
    """Raised from ``receive`` when a body grows past its route's cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail="request_too_large")
        self.limit = limit


class BodyLimitMiddleware:
    """Refuse request bodies over a cap before they are read into memory.

    A declared ``Content-Length`` over the cap is answered with 413 at once, before the app
    runs (nothing is read, no database is touched); a chunked body is counted as it arrives and
    stops at the cap. Push bodies may be as large as a bundle; every other body is JSON.
    """

    def __init__(self, app: ASGIApp, *, push_limit: int, json_limit: int) -> None:
        """Wrap ``app``.

        Args:
            app: The application.
            push_limit: Cap of ``POST /v1/sync/push`` and staff bundle bodies (bytes).
            json_limit: Cap of every other body (bytes).
        """
        self.app = app
        self.push_limit = push_limit
        self.json_limit = json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path")
        limit = (
            self.push_limit
            if path == _PUSH_PATH or path in _STAFF_BUNDLE_PATHS
            else (self.json_limit)
        )
        declared: int | None = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
        if declared is not None and (declared < 0 or declared > limit):
            code = "invalid_request" if declared < 0 else "request_too_large"
            response = error_response(code, params={"limit": limit})
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLargeError(limit)
            return message

        await self.app(scope, limited_receive, send)


class GuardMiddleware:
    """Outermost layer: a sanitized access log, safe headers, and no traceback ever sent.

    An unexpected exception is answered with a JSON 500 and logged with its type and stack
    only: exception *messages* can quote SQL parameters or input, which may be person data.
    """

    def __init__(self, app: ASGIApp) -> None:
        """Wrap ``app``."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def guarded_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", ()))
                headers.append((b"cache-control", b"no-store"))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except ClientDisconnect:
            # The client went away mid-upload (a laptop's link dropped): nothing was imported,
            # it will push the same bundle again. Not a server error.
            status = status or 499
            _log.info(
                "client disconnected during %s %s", scope.get("method", "?"), _route_template(scope)
            )
        except Exception as exc:  # the last line of defence of every request
            _log.error(
                "unhandled %s in %s %s\n%s",
                type(exc).__name__,
                scope.get("method", "?"),
                _route_template(scope),
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            if status == 0:
                await error_response("internal_error")(scope, receive, guarded_send)
            else:  # the answer had begun: all we can do is cut it off
                raise
        finally:
            _access.info(
                "%s %s %d %.1fms",
                scope.get("method", "?"),
                _route_template(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )


def _route_template(scope: Scope) -> str:
    """The matched route's path template (``/v1/records/{record_id}``), never the real path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(unmatched)"


# --------------------------------------------------------------------------- API models


class HealthOut(BaseModel):
    """``GET /v1/health``."""

    status: Literal["ok"]
    version: str
    district_enc_key_id: str = Field(
        description="Key id of the district encryption key (laptops compare it to the pinned key)."
    )
    district_sign_key_id: str = Field(description="Key id of the district signing key.")


class ErrorOut(BaseModel):
    """Every error answer."""

    error: str = Field(description="Stable error code; clients translate it.")
    message: str = Field(description="English text, for developers and logs.")
    params: dict[str, Any] = Field(default_factory=dict, description="Message placeholders.")


class EnrollIn(BaseModel):
    """``POST /v1/enroll``: a one-time code and the laptop's public keys."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, description="One-time enrollment code.")
    device_enc_public: str = Field(
        min_length=1, max_length=4096, description="Raw public encryption key, base64."
    )
    device_sign_public: str = Field(
        min_length=1, max_length=128, description="Raw public signing key, base64."
    )
    device_id: str | None = Field(
        default=None,
        max_length=64,
        description="The id the laptop already uses in its change ids (new if omitted).",
    )


class EnrollOut(BaseModel):
    """The credentials of a newly enrolled device (the token is shown only now)."""

    device_id: str
    token: str
    village: str
    district_enc_public: str = Field(description="District encryption public key, base64.")
    district_sign_public: str = Field(description="District signing public key, base64.")
    district_enc_key_id: str
    district_sign_key_id: str


class LoginIn(BaseModel):
    """``POST /v1/staff/login``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)


class LoginOut(BaseModel):
    """A staff session."""

    token: str
    name: str
    role: str


class StaffOut(BaseModel):
    """The signed-in staff member."""

    model_config = ConfigDict(from_attributes=True)

    user_id: int
    name: str
    role: str


class RecordSummaryOut(BaseModel):
    """One line of the record list (plaintext categorical columns only)."""

    model_config = ConfigDict(from_attributes=True)

    record_id: str
    kind: str
    code: str | None
    village: str
    kecamatan: str
    period: str | None
    status: str | None
    violence_types: list[str]
    victims: int
    tppo: bool
    deleted: bool
    conflicts: int
    updated_at: datetime
    reported_on: str | None = Field(description="Date reported (case) or held (outreach).")
    needs_review: bool = Field(description="Some field holds concurrent values to settle.")
    police_due: datetime | None = Field(
        description="UU TPKS 3×24-hour police deadline of a sexual-violence case referred to "
        "UPTD PPA, while no police referral is recorded."
    )
    overdue: bool = Field(description="The police deadline has passed.")


class RecordListOut(BaseModel):
    """``GET /v1/records``."""

    records: list[RecordSummaryOut]
    total: int = Field(description="Records matching the filters, on every page.")
    limit: int
    offset: int


class HistoryEntryOut(BaseModel):
    """One saved change of a record: who, on which device, when, which fields."""

    model_config = ConfigDict(from_attributes=True)

    change_id: str
    device_id: str = Field(description="The saving device; ``district`` for staff follow-ups.")
    author: str
    saved_at: datetime
    received_at: datetime
    paths: list[str]


class RecordDetailOut(BaseModel):
    """One decrypted record (the read is audited)."""

    model_config = ConfigDict(from_attributes=True)

    record_id: str
    kind: str
    code: str | None
    village: str
    document: dict[str, Any]
    conflicts: list[str]
    base: list[str] = Field(description="Pass back as the base of a follow-up.")
    deleted: bool
    history: list[HistoryEntryOut] = Field(description="Every change, oldest first.")


class BundlePreviewOut(BaseModel):
    """``POST /v1/staff/bundles/preview``: what a file is and what importing it would do."""

    model_config = ConfigDict(from_attributes=True)

    file_kind: str = Field(
        description="village_bundle, return_bundle, receipt, enrollment_answer, "
        "enrollment_file or unknown."
    )
    signature: str = Field(
        description="valid, or the code the import would refuse it with (tampered, "
        "truncated, not_for_us, unknown_sender, device_revoked, sender_mismatch, "
        "wrong_kind, too_large, not_a_bundle…)."
    )
    bundle_id: str | None
    device_id: str | None
    village: str | None
    village_name: str | None
    created_at: datetime | None
    period_from: str | None
    period_to: str | None
    cases: int
    outreach: int
    changes: int
    already_imported: bool


class ImportCountsOut(BaseModel):
    """What an import added."""

    model_config = ConfigDict(from_attributes=True)

    cases: int
    outreach: int
    changes: int


class RejectedChangeOut(BaseModel):
    """A change refused inside an imported bundle."""

    change_id: str
    reason: str


class StaffImportOut(BaseModel):
    """``POST /v1/staff/bundles/import``: the outcome, the receipt and the return bundle."""

    status: Literal["imported", "already_imported", "rejected"]
    reason: str | None = Field(description="Why it was rejected (a stable code).")
    bundle_id: str | None
    device_id: str | None
    village: str | None
    village_name: str | None
    counts: ImportCountsOut
    rejected_changes: list[RejectedChangeOut]
    receipt: str | None = Field(description="The signed receipt (``*.simpul-receipt``), base64.")
    return_bundle: str | None = Field(
        description="A return bundle for the device (``*.simpul-return``), base64."
    )


class EnrollmentAnswerOut(BaseModel):
    """``POST /v1/staff/enrollment-answers``: the laptop registered from its answer file."""

    status: Literal["enrolled", "already_enrolled"]
    device_id: str
    village: str
    village_name: str | None


class FollowupIn(BaseModel):
    """``POST /v1/records/{record_id}/followup``: the edited document and its base version."""

    model_config = ConfigDict(extra="forbid")

    document: dict[str, Any]
    base: list[str] = Field(max_length=100_000)
    resolve: list[str] = Field(default_factory=list, max_length=10_000)


class DeviceOut(BaseModel):
    """An enrolled device."""

    model_config = ConfigDict(from_attributes=True)

    device_id: str
    village: str
    sign_key_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    last_bundle_at: datetime | None
    highest_sequence: int
    village_name: str | None
    last_contact_at: datetime | None = Field(
        description="Latest of a request with its token (push, pull) and a bundle imported."
    )
    announced_counter: int | None = Field(
        description="Highest own change counter its latest bundle said it held."
    )
    held_counter: int = Field(description="Highest counter of its changes the district stores.")
    pending_estimate: int | None = Field(
        description="announced_counter − held_counter: changes made before its latest bundle "
        "that have not arrived (a floor; unknown when no bundle announced its holdings)."
    )


class DeviceListOut(BaseModel):
    """``GET /v1/devices``."""

    devices: list[DeviceOut]


class EnrollmentIn(BaseModel):
    """``POST /v1/enrollments``."""

    model_config = ConfigDict(extra="forbid")

    village: str = Field(min_length=1, max_length=32, description="Kemendagri village code.")
    ttl_hours: float = Field(default=72, gt=0, le=24 * 90)


class EnrollmentFileIn(EnrollmentIn):
    """``POST /v1/enrollments/file``: also the server address the laptop may sync with later."""

    server_url: str | None = Field(default=None, max_length=2048)


class EnrollmentOut(BaseModel):
    """A one-time enrollment code, shown once."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    village: str
    expires_at: datetime


class AuditEntryOut(BaseModel):
    """One audit entry (codes and counts only)."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    action: str
    record_id: str | None
    detail: str | None


class AuditOut(BaseModel):
    """``GET /v1/audit``."""

    entries: list[AuditEntryOut]


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 409, 413, 422, 503)
}


# --------------------------------------------------------------------------- helpers


def _version() -> str:
    try:
        return metadata.version("simpul")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0+unknown"


def _bearer(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header.

    Raises:
        ApiError: ``unauthorized`` when the header is missing or not a bearer token.
    """
    if authorization is None:
        raise ApiError("unauthorized")
    match = _BEARER.fullmatch(authorization)
    if match is None:
        raise ApiError("unauthorized")
    return match.group(1)


def _b64(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("invalid_base64", field=field) from None


def _b64_text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _require_role(staff: StaffView, action: str, *roles: str) -> None:
    if staff.role not in roles:
        raise ApiError("access_denied", role=staff.role, action=action)


def _has_nul(value: object, depth: int = 0) -> bool:
    """Whether a decoded JSON value holds a NUL character in any string (keys too).

    PostgreSQL cannot store NUL in text, and no field of a record or a request needs one.
    """
    if isinstance(value, str):
        return "\x00" in value
    if depth > 64:  # deeper than any document; the validators refuse it anyway
        return False
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item, depth + 1) for item in value)
    return False


async def _refuse_nul(request: Request) -> None:
    """Dependency of every route: a NUL in the path, the query or a JSON body is a 422.

    Raises:
        ApiError: ``invalid_text``.
    """
    if "\x00" in request.url.path or "\x00" in str(request.scope.get("path", "")):
        raise ApiError("invalid_text", where="path")
    if any(_has_nul(k) or _has_nul(v) for k, v in request.query_params.multi_items()):
        raise ApiError("invalid_text", where="query")
    if request.scope.get("path") in _FILE_PATHS or request.method in {"GET", "HEAD"}:
        return  # a bundle is binary; it is verified by the import
    if "json" not in request.headers.get("content-type", ""):
        return
    try:
        # FastAPI parsed (and cached) the body before solving dependencies.
        body = await request.json()
    except ValueError:
        return  # the route's own validation answers
    if _has_nul(body):
        raise ApiError("invalid_text", where="body")


def _client_address(request: Request) -> str:
    """The client's address (uvicorn takes it from X-Forwarded-For behind a trusted proxy)."""
    return request.client.host if request.client is not None else "-"


def _name_key(name: str) -> str:
    """The rate-limit key of an account name: "Sari " and "sari" are one key."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def _log_limit(what: str, kind: str, limit: Limit) -> None:
    # The kind of key only: the log holds no names and no client addresses.
    _log.warning(
        "failed %s attempts for one %s reached the limit (%d in %.0f s); refusing it for now",
        what,
        kind,
        limit.failures,
        limit.window,
    )


def _push_rejection(result: ImportResult) -> JSONResponse:
    reason = result.reason or "malformed_content"
    status = {
        "too_large": 413,
        "device_revoked": 403,
        "unknown_sender": 403,
        "wrong_device": 403,
    }.get(reason, 422)
    params: dict[str, object] = {"reason": reason}
    if result.bundle_id:
        params["bundle_id"] = result.bundle_id
    return error_response(reason, status=status, params=params)


# --------------------------------------------------------------------------- the app


def create_app(
    district: District,
    *,
    max_push_bytes: int = MAX_IMPORT_BYTES,
    max_json_bytes: int = MAX_JSON_BYTES,
    import_concurrency: int = IMPORT_CONCURRENCY,
    rate_limits: RateLimits = DEFAULT_RATE_LIMITS,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """Build the HTTP API over an open district service.

    Args:
        district: The unlocked district (shared by every request; it is thread-safe).
        max_push_bytes: Largest bundle a push may send (checked before reading it).
        max_json_bytes: Largest JSON body of any other request.
        import_concurrency: Bundles verified and imported at the same time.
        rate_limits: Failed sign-ins and enrollment codes allowed per name and address
            before the API answers 429 (:mod:`district.ratelimit`).
        clock: Monotonic seconds for the rate limits (tests pass a fake one).

    Returns:
        The FastAPI application; the OpenAPI schema is at ``/openapi.json``.
    """
    app = FastAPI(
        title="Simpul district server",
        version=_version(),
        summary="Sync and staff API of the Simpul district server (Kabupaten Pemalang).",
        # No interactive docs: they load scripts from a CDN into a server holding case data.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(_refuse_nul)],
    )
    version = _version()
    public_keys = district.keys
    import_limiter = anyio.CapacityLimiter(max(1, import_concurrency))
    login_slots = threading.BoundedSemaphore(LOGIN_CONCURRENCY)
    login_limiter = AttemptLimiter(
        "too_many_logins",
        {"name": rate_limits.login_per_name, "address": rate_limits.login_per_address},
        clock=clock,
        on_limit=lambda kind, limit: _log_limit("sign-in", kind, limit),
    )
    enroll_limiter = AttemptLimiter(
        "too_many_enrollments",
        {"address": rate_limits.enroll_per_address},
        clock=clock,
        on_limit=lambda kind, limit: _log_limit("enrollment code", kind, limit),
    )

    async def in_thread(func: Callable[[], T], limiter: anyio.CapacityLimiter | None = None) -> T:
        return await anyio.to_thread.run_sync(func, limiter=limiter)

    # ---------------------------------------------------------------- error handlers

    @app.exception_handler(ApiError)
    async def _on_api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, status=exc.status, params=exc.params)

    @app.exception_handler(UserError)
    async def _on_user_error(_request: Request, exc: UserError) -> JSONResponse:
        status = _STATUS.get(exc.code, 400)
        return error_response(exc.code, status=status, params=exc.params, fallback=_english(exc))

    @app.exception_handler(Error)
    async def _on_simpul_error(_request: Request, exc: Error) -> JSONResponse:
        # A typed error that is not the user's doing: a bug or a broken installation.
        _log.error("%s in a request", type(exc).__name__)
        return error_response("internal_error")

    @app.exception_handler(sa.exc.DataError)
    async def _on_data_error(_request: Request, exc: sa.exc.DataError) -> JSONResponse:
        # A value the database refuses (e.g. out of range): the client's input, not a crash.
        # The message may quote the value: only the type is logged.
        _log.warning("%s in a request", type(exc).__name__)
        return error_response("invalid_request")

    @app.exception_handler(RequestValidationError)
    async def _on_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The locations and error types only: pydantic's "input" would echo what was sent.
        problems = [
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "type": str(error.get("type", "")),
            }
            for error in exc.errors()
        ]
        return error_response("invalid_request", params={"problems": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, _BodyTooLargeError):
            return error_response("request_too_large", params={"limit": exc.limit})
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (e.g. not UTF-8)
            return error_response("invalid_request")
        code = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}.get(
            exc.status_code, "invalid_request"
        )
        return error_response(code, status=exc.status_code, headers=exc.headers)

    # ---------------------------------------------------------------- dependencies

    def device_auth(authorization: Annotated[str | None, Header()] = None) -> DeviceView:
        """The enrolled, non-revoked device of the bearer token (runs in a worker thread)."""
        return district.authenticate_device(_bearer(authorization))

    def staff_auth(authorization: Annotated[str | None, Header()] = None) -> StaffView:
        """The staff member of the bearer session token (runs in a worker thread)."""
        return district.staff(_bearer(authorization))

    Staff = Annotated[StaffView, Depends(staff_auth)]

    # ---------------------------------------------------------------- sync API

    @app.get("/v1/health", tags=["sync"])
    def health() -> HealthOut:
        """Connectivity check; touches no database. Names the district's key ids, so a laptop
        sees at once that it reached another server than the one it enrolled with."""
        return HealthOut(
            status="ok",
            version=version,
            district_enc_key_id=public_keys.encryption.key_id,
            district_sign_key_id=public_keys.signing.key_id,
        )

    @app.post("/v1/enroll", status_code=201, tags=["sync"], responses=_ERRORS)
    def enroll(request: Request, body: EnrollIn) -> EnrollOut:
        """Enroll a village laptop with a one-time code; returns its token and the district keys.

        The laptop pins the district keys from now on. After too many wrong, used or expired
        codes from one address the answer is 429 with ``Retry-After``.
        """
        enc_public = _b64(body.device_enc_public, "device_enc_public")
        sign_public = _b64(body.device_sign_public, "device_sign_public")
        with enroll_limiter.attempt(
            {"address": _client_address(request)}, counts=(EnrollmentCodeError,)
        ):
            credentials = district.enroll(
                body.code,
                device_enc_public=enc_public,
                device_sign_public=sign_public,
                device_id=body.device_id,
            )
        return EnrollOut(
            device_id=credentials.device_id,
            token=credentials.token,
            village=credentials.village,
            district_enc_public=_b64_text(credentials.district_enc_public),
            district_sign_public=_b64_text(credentials.district_sign_public),
            district_enc_key_id=key_id(credentials.district_enc_public),
            district_sign_key_id=key_id(credentials.district_sign_public),
        )

    @app.post(
        _PUSH_PATH,
        tags=["sync"],
        responses={
            200: {
                "content": {_OCTETS: {}},
                "description": "The signed receipt (also for a bundle imported before).",
            },
            **_ERRORS,
        },
        response_class=Response,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {_OCTETS: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def push(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
    ) -> Response:
        """Import a sealed bundle; answer with its signed receipt.

        Idempotent: the same bundle again changes nothing and returns the same receipt bytes
        (``X-Simpul-Import-Status: already_imported``), so a client may retry freely.
        ``Idempotency-Key``, when sent, must be the bundle's id.
        """
        token = _bearer(authorization)
        if idempotency_key is not None and not _BUNDLE_ID.fullmatch(idempotency_key):
            raise ApiError("idempotency_key_invalid")
        # Authenticate before reading the body: an unknown client never gets to upload.
        device = await in_thread(lambda: district.authenticate_device(token))
        # BodyLimitMiddleware stops the stream at max_push_bytes.
        data = await request.body()
        # The push is tied to the token's device: its own bundle, or one it relays for another
        # laptop of its village; the Idempotency-Key is compared before anything is applied.
        result = await in_thread(
            lambda: district.import_bundle(
                data,
                via="http",
                pushed_by=device.device_id,
                expected_bundle_id=idempotency_key,
            ),
            limiter=import_limiter,
        )
        if result.status == "rejected" or result.receipt is None:
            return _push_rejection(result)
        headers: dict[str, str] = {IMPORT_STATUS_HEADER: result.status, **_SUITE_HEADERS}
        if result.bundle_id:
            headers[BUNDLE_ID_HEADER] = result.bundle_id
        return Response(result.receipt, media_type=_OCTETS, headers=headers)

    @app.get(
        "/v1/sync/pull",
        tags=["sync"],
        responses={
            200: {"content": {_OCTETS: {}}, "description": "A return bundle."},
            204: {"description": "Nothing new."},
            **_ERRORS,
        },
        response_class=Response,
    )
    def pull(
        device: Annotated[DeviceView, Depends(device_auth)],
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        holds: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        suite: Annotated[int, Query(ge=1, le=0xFFFF)] = SUITE_V1,
    ) -> Response:
        """The next return bundle for the device's village, and the cursor to store after it.

        The client applies and commits the bundle, *then* stores ``X-Simpul-Cursor`` and pulls
        again with it until the answer is 204. ``holds``: the highest counter of the device's
        own changes the laptop holds with every earlier one; the ones above it come back too
        (a laptop put back from an older copy gets its own records back). ``suite``: the newest
        bundle suite the laptop reads (1 when not given: a laptop from before suite 2).
        """
        bundle, cursor = district.return_bundle(
            device.device_id, since=since, own_held=holds, suite=readable_suite(suite)
        )
        headers = {CURSOR_HEADER: str(cursor), **_SUITE_HEADERS}
        if bundle is None:
            return Response(status_code=204, headers=headers)
        return Response(bundle, media_type=_OCTETS, headers=headers)

    # ---------------------------------------------------------------- staff API

    @app.post("/v1/staff/login", tags=["staff"], responses=_ERRORS)
    def login(request: Request, body: LoginIn) -> LoginOut:
        """Sign in with a staff name and password; the token goes in ``Authorization: Bearer``.

        After too many failures for one name or from one address the answer is 429 with
        ``Retry-After``, whatever the password.
        """
        keys = {"name": _name_key(body.name), "address": _client_address(request)}
        with (
            login_limiter.attempt(keys, counts=(BadCredentialsError,), forget=("name",)),
            login_slots,
        ):
            token = district.login(body.name, body.password)
        staff = district.staff(token)
        return LoginOut(token=token, name=staff.name, role=staff.role)

    @app.post("/v1/staff/logout", status_code=204, tags=["staff"], responses=_ERRORS)
    def logout(_staff: Staff, authorization: Annotated[str | None, Header()] = None) -> Response:
        """End the current session."""
        district.logout(_bearer(authorization))
        return Response(status_code=204)

    @app.get("/v1/staff/me", tags=["staff"], responses=_ERRORS)
    def me(staff: Staff) -> StaffOut:
        """Who the session belongs to."""
        return StaffOut.model_validate(staff)

    @app.get("/v1/records", tags=["staff"], responses=_ERRORS)
    def list_records(
        staff: Staff,
        kind: Annotated[Literal["case", "outreach"] | None, Query()] = None,
        village: Annotated[str | None, Query(max_length=32)] = None,
        kecamatan: Annotated[str | None, Query(max_length=32)] = None,
        status: Annotated[str | None, Query(max_length=64)] = None,
        violence_type: Annotated[str | None, Query(max_length=64)] = None,
        tppo: Annotated[bool | None, Query()] = None,
        reported_from: Annotated[date | None, Query()] = None,
        reported_to: Annotated[date | None, Query()] = None,
        needs_review: Annotated[bool | None, Query()] = None,
        overdue: Annotated[bool | None, Query()] = None,
        q: Annotated[str | None, Query(max_length=64)] = None,
        sort: Annotated[RecordSort, Query()] = "reported",
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> RecordListOut:
        """Records across villages, from the plaintext columns (nothing is decrypted).

        Filters combine (all must hold): ``kind``, ``village``, ``kecamatan``, ``status``,
        ``violence_type`` (one of the record's types), ``tppo``, ``reported_from`` /
        ``reported_to`` (date reported or held, inclusive), ``needs_review`` (concurrent
        values to settle), ``overdue`` (a sexual-violence case referred to UPTD PPA whose
        UU TPKS 3×24-hour police deadline passed with no police referral recorded). ``q``
        searches record codes (any part) and record ids (the start) only: names and every
        other identifying value are sealed on the server and cannot be searched. ``sort``:
        ``reported`` (newest report first, the default), ``code``, ``village``, ``status``,
        ``updated``. ``total`` counts the matches on every page. The listing is audited.
        """
        page = district.find_records(
            staff,
            kind=kind,
            village=village,
            kecamatan=kecamatan,
            status=status,
            violence_type=violence_type,
            tppo=tppo,
            reported_from=reported_from,
            reported_to=reported_to,
            needs_review=needs_review,
            overdue=overdue,
            q=q,
            sort=sort,
            limit=limit,
            offset=offset,
        )
        return RecordListOut(
            records=[RecordSummaryOut.model_validate(row) for row in page.records],
            total=page.total,
            limit=limit,
            offset=offset,
        )

    RecordId = Annotated[str, Path(min_length=1, max_length=64)]

    @app.get("/v1/records/{record_id}", tags=["staff"], responses=_ERRORS)
    def read_record(staff: Staff, record_id: RecordId) -> RecordDetailOut:
        """One decrypted record; the read is written to the audit log."""
        return RecordDetailOut.model_validate(district.read_record(staff, record_id))

    @app.post("/v1/records/{record_id}/followup", tags=["staff"], responses=_ERRORS)
    def save_followup(staff: Staff, record_id: RecordId, body: FollowupIn) -> RecordDetailOut:
        """Save a follow-up (roles ``staff`` and ``admin``) as a change authored by the member."""
        detail = district.save_followup(
            staff, record_id, body.document, base=body.base, resolve=body.resolve
        )
        return RecordDetailOut.model_validate(detail)

    _file_body = {
        "requestBody": {
            "required": True,
            "content": {_OCTETS: {"schema": {"type": "string", "format": "binary"}}},
        }
    }

    @app.post(
        "/v1/staff/bundles/preview", tags=["staff"], responses=_ERRORS, openapi_extra=_file_body
    )
    async def preview_bundle(staff: Staff, request: Request) -> BundlePreviewOut:
        """What a file from a flash drive is and what importing it would do (``staff`` and
        ``admin``): kind, signature status, sending device and its village, period covered,
        distinct case and outreach records, changes, and whether it was imported before.

        The bundle is opened and verified as the import would; nothing is stored but an
        audit entry.
        """
        _require_role(staff, "import_bundle", "admin", "staff")
        data = await request.body()  # BodyLimitMiddleware stops it at the bundle cap
        preview = await in_thread(
            lambda: district.preview_bundle(data, actor=staff_actor(staff)),
            limiter=import_limiter,
        )
        return BundlePreviewOut.model_validate(preview)

    @app.post(
        "/v1/staff/bundles/import", tags=["staff"], responses=_ERRORS, openapi_extra=_file_body
    )
    async def import_bundle(staff: Staff, request: Request) -> StaffImportOut:
        """Import a bundle from a flash drive (``staff`` and ``admin``): all in or all out.

        The answer is the file's outcome — ``imported``, ``already_imported`` (the same
        receipt as the first time) or ``rejected`` with a reason code (``tampered``,
        ``device_revoked``, ``foreign_village``…; nothing was stored) — with the receipt and a
        return bundle for the sending laptop (base64; write them as ``*.simpul-receipt`` and
        ``*.simpul-return`` beside the bundle, as ``simpul-district import`` does). A refused
        file is an answer, not an error: the status is 200.
        """
        _require_role(staff, "import_bundle", "admin", "staff")
        data = await request.body()
        outcome = await in_thread(
            lambda: district.import_with_return(data, via="desktop", actor=staff_actor(staff)),
            limiter=import_limiter,
        )
        result = outcome.result
        return StaffImportOut(
            status=result.status,
            reason=result.reason,
            bundle_id=result.bundle_id,
            device_id=result.device_id,
            village=outcome.village,
            village_name=outcome.village_name,
            counts=ImportCountsOut.model_validate(result.counts),
            rejected_changes=[
                RejectedChangeOut(change_id=change_id, reason=reason)
                for change_id, reason in result.rejected_changes
            ],
            receipt=_b64_text(result.receipt) if result.receipt is not None else None,
            return_bundle=(
                _b64_text(outcome.return_bundle) if outcome.return_bundle is not None else None
            ),
        )

    @app.post(_ANSWER_PATH, tags=["admin"], responses=_ERRORS, openapi_extra=_file_body)
    async def import_enrollment_answer(staff: Staff, request: Request) -> EnrollmentAnswerOut:
        """Register a laptop from the ``*.simpul-enroll`` answer file it wrote after importing
        an enrollment file (``admin``). The same answer again says ``already_enrolled``."""
        _require_role(staff, "enroll_answer", "admin")
        data = await request.body()
        status, device = await in_thread(
            lambda: district.enroll_answer(data, actor=staff_actor(staff))
        )
        return EnrollmentAnswerOut(
            status="enrolled" if status == "enrolled" else "already_enrolled",
            device_id=device.device_id,
            village=device.village,
            village_name=device.village_name,
        )

    @app.get("/v1/devices", tags=["admin"], responses=_ERRORS)
    def list_devices(staff: Staff) -> DeviceListOut:
        """Every enrolled device, revoked ones too (roles ``admin`` and ``staff``)."""
        _require_role(staff, "list_devices", "admin", "staff")
        devices = district.devices(actor=staff_actor(staff))
        return DeviceListOut(devices=[DeviceOut.model_validate(d) for d in devices])

    @app.post("/v1/devices/{device_id}/revoke", tags=["admin"], responses=_ERRORS)
    def revoke_device(
        staff: Staff, device_id: Annotated[str, Path(min_length=1, max_length=64)]
    ) -> DeviceOut:
        """Revoke a device (``admin``): its token and its bundles are refused from now on."""
        _require_role(staff, "revoke_device", "admin")
        try:
            view = district.revoke_device(device_id, actor=staff_actor(staff))
            return DeviceOut.model_validate(view)
        except UnknownDeviceError:
            raise ApiError("unknown_device", status=404) from None

    @app.post("/v1/enrollments", status_code=201, tags=["admin"], responses=_ERRORS)
    def create_enrollment(staff: Staff, body: EnrollmentIn) -> EnrollmentOut:
        """Make a one-time enrollment code for a laptop of a village (``admin``)."""
        _require_role(staff, "create_enrollment", "admin")
        enrollment = district.create_enrollment(
            body.village, ttl_hours=body.ttl_hours, actor=staff_actor(staff)
        )
        return EnrollmentOut.model_validate(enrollment)

    @app.post(
        "/v1/enrollments/file",
        status_code=201,
        tags=["admin"],
        responses={
            201: {
                "content": {"application/json": {}},
                "description": "The enrollment file, to hand over in person.",
            },
            **_ERRORS,
        },
        response_class=Response,
    )
    def create_enrollment_file(staff: Staff, body: EnrollmentFileIn) -> Response:
        """Make an enrollment file for a village with no internet (``admin``).

        The file holds a one-time code and the district's public keys; the laptop imports it.
        """
        _require_role(staff, "create_enrollment", "admin")
        data = district.enrollment_file(
            body.village,
            ttl_hours=body.ttl_hours,
            server_url=body.server_url,
            actor=staff_actor(staff),
        )
        return Response(
            data,
            status_code=201,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="simpul-enrollment.json"'},
        )

    @app.get("/v1/audit", tags=["admin"], responses=_ERRORS)
    def audit(
        staff: Staff,
        record_id: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    ) -> AuditOut:
        """The newest audit entries (``admin``)."""
        entries = district.audit_log(staff, record_id=record_id, limit=limit)
        return AuditOut(entries=[AuditEntryOut.model_validate(e) for e in entries])

    # ---------------------------------------------------------------- reports (DESIGN.md §9)

    from district.report_files import report_csv, report_xlsx
    from district.reports import Report, ReportPeriodError, build_report

    ReportPeriod = Annotated[str, Query(min_length=4, max_length=7, description="YYYY-MM or YYYY")]
    ReportLang = Annotated[Literal["id", "en"], Query()]

    def report_of(staff: StaffView, period: str, share: bool, lang: Literal["id", "en"]) -> Report:
        try:
            return build_report(district, staff, period, share=share, lang=lang)
        except ReportPeriodError:
            raise ApiError("report_bad_period", status=422, period=period) from None

    @app.get("/v1/reports", tags=["staff"], responses=_ERRORS)
    def report(
        staff: Staff, period: ReportPeriod, share: bool = False, lang: ReportLang = "id"
    ) -> dict[str, Any]:
        """The monthly (``period=YYYY-MM``) or yearly (``YYYY``) report: named tables of counts
        (any role; the read is audited). ``share=true`` suppresses village counts of 1–2."""
        return report_of(staff, period, share, lang).to_json()

    @app.get(
        "/v1/reports/export",
        tags=["staff"],
        responses={200: {"description": "The report file (CSV or XLSX)."}, **_ERRORS},
        response_class=Response,
    )
    def report_export(
        staff: Staff,
        period: ReportPeriod,
        format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
        share: bool = False,
        lang: ReportLang = "id",
    ) -> Response:
        """The report as a file: CSV (long format, UTF-8 with BOM) or XLSX (a sheet per table)."""
        built = report_of(staff, period, share, lang)
        if format == "xlsx":
            data = report_xlsx(built)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            data, media = report_csv(built), "text/csv; charset=utf-8"
        name = f"rekap-{built.period}{'-dibagikan' if share else ''}.{format}"
        return Response(
            data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # Outermost last: the guard sees every request, the body limit runs before the routes.
    app.add_middleware(BodyLimitMiddleware, push_limit=max_push_bytes, json_limit=max_json_bytes)
    app.add_middleware(GuardMiddleware)
    return app
