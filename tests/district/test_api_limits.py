"""Limits on failed sign-ins and enrollment codes, against a real uvicorn on 127.0.0.1."""

from __future__ import annotations

import base64
import functools
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from district import app as district_app
from district.errors import BadCredentialsError, TooManyAttemptsError
from district.messages import translate
from district.ratelimit import AttemptLimiter, Limit, RateLimits
from district.service import District
from district.testing import SyntheticDevice

from .conftest import VILLAGE, LiveServer

PASSWORD = "kata sandi staf yang panjang"
WINDOW = 600.0
LIMITS = RateLimits(
    login_per_name=Limit(3, WINDOW),
    login_per_address=Limit(5, WINDOW),
    enroll_per_address=Limit(3, WINDOW),
)


class Tick:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def tick() -> Tick:
    return Tick()


@pytest.fixture
def limited(
    district: District, tick: Tick, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveServer]:
    """A live server whose app has small limits and the test's clock (the rest is as shipped)."""
    monkeypatch.setattr(
        district_app,
        "create_app",
        functools.partial(district_app.create_app, rate_limits=LIMITS, clock=tick),
    )
    live = LiveServer(district)
    live.start()
    try:
        yield live
    finally:
        live.stop()


def _login(
    server: LiveServer, name: str, password: str, *, client: str | None = None
) -> requests.Response:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (a reverse proxy on the same host), so
    # the header stands for requests from other addresses.
    headers = {"X-Forwarded-For": client} if client else {}
    return server.http.post(
        f"{server.url}/v1/staff/login",
        json={"name": name, "password": password},
        headers=headers,
    )


def _refused(response: requests.Response, code: str) -> int:
    """Check a 429 answer; return its Retry-After in seconds."""
    assert response.status_code == 429, response.text
    body: dict[str, Any] = response.json()
    assert body["error"] == code
    retry_after = int(response.headers["Retry-After"])
    assert body["params"]["retry_after"] == retry_after and 0 < retry_after <= WINDOW
    assert f"try again in {retry_after} seconds" in body["message"]
    assert "Traceback" not in response.text
    return retry_after


def test_failed_sign_ins_for_one_name_are_limited_then_the_password_works_again(
    limited: LiveServer, tick: Tick
) -> None:
    limited.district.add_user("sari", "staff", PASSWORD)
    for _ in range(3):
        assert _login(limited, "sari", "salah salah salah").status_code == 401
        tick.advance(10)
    # now even the right password is refused, and from another address too: the name is
    # what is being guessed
    wait = _refused(_login(limited, "sari", PASSWORD), "too_many_logins")
    assert wait == pytest.approx(WINDOW - 30, abs=1)
    _refused(_login(limited, " Sari", PASSWORD, client="10.9.8.7"), "too_many_logins")
    # another account is not affected
    limited.district.add_user("budi", "admin", PASSWORD)
    assert _login(limited, "budi", PASSWORD).status_code == 200
    tick.advance(wait)
    signed_in = _login(limited, "sari", PASSWORD)
    assert signed_in.status_code == 200 and signed_in.json()["name"] == "sari"


def test_a_success_clears_the_names_failures(limited: LiveServer) -> None:
    limited.district.add_user("sari", "staff", PASSWORD)
    for _ in range(2):
        assert _login(limited, "sari", "salah salah salah").status_code == 401
    assert _login(limited, "sari", PASSWORD).status_code == 200
    for _ in range(2):
        assert _login(limited, "sari", "salah salah salah").status_code == 401
    assert _login(limited, "sari", PASSWORD).status_code == 200


def test_one_address_guessing_many_names_is_limited(limited: LiveServer, tick: Tick) -> None:
    limited.district.add_user("sari", "staff", PASSWORD)
    for i in range(5):
        assert _login(limited, f"tebakan-{i}", PASSWORD, client="10.0.0.66").status_code == 401
    _refused(_login(limited, "sari", PASSWORD, client="10.0.0.66"), "too_many_logins")
    # a colleague at another address signs in as usual
    assert _login(limited, "sari", PASSWORD, client="10.0.0.7").status_code == 200
    tick.advance(WINDOW)
    assert _login(limited, "sari", PASSWORD, client="10.0.0.66").status_code == 200


def _enroll(
    server: LiveServer, code: str, device: SyntheticDevice, *, enc_public: bytes | None = None
) -> requests.Response:
    enc = device.encryption.public_bytes() if enc_public is None else enc_public
    return server.http.post(
        f"{server.url}/v1/enroll",
        json={
            "code": code,
            "device_enc_public": base64.b64encode(enc).decode(),
            "device_sign_public": base64.b64encode(device.signing.public_bytes()).decode(),
            "device_id": device.device_id,
        },
    )


def test_wrong_enrollment_codes_are_limited_then_a_right_code_works(
    limited: LiveServer, tick: Tick
) -> None:
    device = SyntheticDevice(VILLAGE)
    good = limited.district.create_enrollment(VILLAGE).code
    # a malformed key is not a guess of the code: it does not count
    for _ in range(3):
        broken = _enroll(limited, "AAAAA-BBBBB", device, enc_public=b"x" * 32)
        assert broken.json()["error"] == "invalid_device_key"
    for guess in ("AAAAA-AAAAA", "BBBBB-BBBBB", "CCCCC-CCCCC"):
        assert _enroll(limited, guess, device).json()["error"] == "enrollment_code_unknown"
    refused = _enroll(limited, good, device)
    wait = _refused(refused, "too_many_enrollments")
    assert limited.district.devices() == []  # the right code was not even looked at
    tick.advance(wait)
    enrolled = _enroll(limited, good, device)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["device_id"] == device.device_id


def test_the_refusal_reads_in_indonesian_and_english() -> None:
    params = {"retry_after": 42}
    assert translate("too_many_logins", "id", params) == (
        "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam 42 detik."
    )
    assert "42 seconds" in translate("too_many_logins", "en", params)
    assert "42 detik" in translate("too_many_enrollments", "id", params)


def _at_once(limiter: AttemptLimiter, attempt: Any, count: int = 8) -> tuple[list[str], int]:
    """Run ``count`` attempts of one name at the same moment; their outcomes, and how many
    were ever in flight together."""
    start = threading.Barrier(count, timeout=10)
    outcomes: list[str] = []
    running = [0, 0]  # now, most
    lock = threading.Lock()

    def one() -> None:
        start.wait()
        try:
            with limiter.attempt({"name": "sari"}, counts=(BadCredentialsError,)):
                with lock:
                    running[0] += 1
                    running[1] = max(running)
                time.sleep(0.05)  # long enough for the others to arrive meanwhile
                with lock:
                    running[0] -= 1
                attempt()
            outcome = "ran"
        except BadCredentialsError:
            outcome = "failed"
        except TooManyAttemptsError:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, running[1]


def test_guesses_made_at_the_same_time_cannot_pass_the_limit() -> None:
    limiter = AttemptLimiter("too_many_logins", {"name": Limit(3, 60)}, clock=time.monotonic)

    def wrong() -> None:
        raise BadCredentialsError()

    outcomes, most = _at_once(limiter, wrong)
    assert outcomes.count("failed") == 3 and outcomes.count("refused") == 5
    assert most <= 3


def test_right_codes_entered_at_the_same_time_all_get_through() -> None:
    # A training day: many laptops behind one router enroll at the same moment.
    limiter = AttemptLimiter("too_many_logins", {"name": Limit(3, 60)}, clock=time.monotonic)
    outcomes, most = _at_once(limiter, lambda: None)
    assert outcomes == ["ran"] * 8
    assert most <= 3  # never more in flight than the failures the key has left


def test_an_attempt_waits_no_longer_than_its_limit() -> None:
    limiter = AttemptLimiter(
        "too_many_logins", {"name": Limit(1, 60)}, clock=time.monotonic, max_wait=0.2
    )
    inside = threading.Event()
    leave = threading.Event()

    def slow() -> None:
        with limiter.attempt({"name": "sari"}, counts=(BadCredentialsError,)):
            inside.set()
            leave.wait(10)

    holder = threading.Thread(target=slow)
    holder.start()
    try:
        assert inside.wait(10)
        began = time.monotonic()
        with pytest.raises(TooManyAttemptsError) as refused:
            with limiter.attempt({"name": "sari"}, counts=(BadCredentialsError,)):
                pytest.fail("ran while the only attempt left was in flight")
        assert 0.15 <= time.monotonic() - began < 5
        assert refused.value.params["retry_after"] == 1
    finally:
        leave.set()
        holder.join()
    with limiter.attempt({"name": "sari"}, counts=(BadCredentialsError,)):
        pass  # the first one succeeded: the budget is whole again
