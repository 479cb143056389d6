"""Sign-in: one-time codes, rate limit, lockout, dev code, token rotation, 401s, secrecy."""

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from route_support import RecordingSms, from_address
from sqlalchemy import inspect, text

from backend import crud
from backend.core.clock import FakeClock
from backend.core.config import Settings

CODE = "/api/v1/auth/code"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
ME = "/api/v1/me"
PHONE = "13912345678"


def logged_code(caplog: pytest.LogCaptureFixture) -> str:
    codes = re.findall(r"sign-in code for \S+ is (\d{6})", caplog.text)
    assert codes, "dev mode logs the code"
    return codes[-1]


@pytest.fixture
def request_code(client: TestClient, caplog: pytest.LogCaptureFixture) -> Callable[[str], str]:
    def request(phone: str = PHONE) -> str:
        with caplog.at_level(logging.INFO, logger="backend"):
            response = client.post(CODE, json={"phone": phone})
        assert response.status_code == 202, response.text
        assert response.json() == {"expires_in": 300, "resend_after": 30}
        return logged_code(caplog)

    return request


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    return body


def test_the_code_goes_by_text_message_and_signs_in(
    app: FastAPI, client: TestClient, clock: FakeClock
):
    """In production nothing else brings the code: it used to be only logged in dev mode."""
    sms = RecordingSms(app.state.session_factory)
    app.state.sms = sms

    assert client.post(CODE, json={"phone": PHONE}).status_code == 202

    [sent] = sms.sent
    assert sent.phone == PHONE and sent.text.startswith("【阳光申办】您的登录验证码是 ")
    [code] = re.findall(r"\d{6}", sent.text)
    assert client.post(TOKEN, json={"phone": PHONE, "code": code}).status_code == 200


def test_a_code_the_gateway_did_not_take_is_not_kept(
    app: FastAPI, client: TestClient, clock: FakeClock
):
    sms = RecordingSms(app.state.session_factory, fail=True)
    app.state.sms = sms

    refused = client.post(CODE, json={"phone": PHONE})

    assert_problem(refused, 503, "sms_failed")
    sms.fail = False
    again = client.post(CODE, json={"phone": PHONE})  # at once: no 30 s wait for a lost text
    assert again.status_code == 202 and len(sms.sent) == 1


def test_the_code_is_committed_before_the_gateway_is_called_and_sent_once(
    app: FastAPI, client: TestClient, clock: FakeClock
):
    """Nothing is locked while the gateway answers (it may take seconds): another session sees
    the code already. A replay of the request sends nothing more."""
    seen: list[bool] = []

    class Watching(RecordingSms):
        def send(self, phone: str, text: str) -> None:
            with app.state.session_factory() as other:
                seen.append(crud.code_resend_wait(other, phone, clock()) is not None)
            super().send(phone, text)

    sms = Watching(app.state.session_factory)
    app.state.sms = sms
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = client.post(CODE, json={"phone": PHONE}, headers=key)
    replayed = client.post(CODE, json={"phone": PHONE}, headers=key)

    assert first.status_code == replayed.status_code == 202
    assert seen == [True] and len(sms.sent) == 1


def test_sign_in_creates_a_resident_and_tokens_work(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)

    response = client.post(TOKEN, json={"phone": PHONE, "code": code})

    assert response.status_code == 200, response.text
    pair = response.json()
    assert set(pair) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    me = client.get(ME, headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200
    assert me.json()["phone"] == PHONE and me.json()["roles"] == ["resident"]


def test_a_code_works_only_once(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)
    assert client.post(TOKEN, json={"phone": PHONE, "code": code}).status_code == 200

    assert_problem(client.post(TOKEN, json={"phone": PHONE, "code": code}), 401, "invalid_code")


def test_code_expires_after_five_minutes(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)
    clock.advance(minutes=5, seconds=1)

    assert_problem(client.post(TOKEN, json={"phone": PHONE, "code": code}), 401, "invalid_code")


def test_code_for_another_phone_is_refused(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)

    response = client.post(TOKEN, json={"phone": "13700000000", "code": code})

    assert_problem(response, 401, "invalid_code")


@pytest.mark.parametrize(
    "phone",
    ["12345678901", "1381234567", "138123456789", "2381234567a", "", "１３８１２３４５６７８"],
)
def test_malformed_phone_is_422_with_a_clear_message(client: TestClient, phone: str):
    body = assert_problem(client.post(CODE, json={"phone": phone}), 422, "validation_error")

    assert "mainland China mobile number" in body["detail"]


def test_phone_with_spaces_or_country_code_is_accepted(client: TestClient, clock: FakeClock):
    assert client.post(CODE, json={"phone": "+86 139 1234 5678"}).status_code == 202
    # Same phone after normalising: the rate limit applies to it.
    assert_problem(client.post(CODE, json={"phone": PHONE}), 429, "rate_limited")


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", ""])
def test_malformed_code_is_422(client: TestClient, code: str):
    assert_problem(client.post(TOKEN, json={"phone": PHONE, "code": code}), 422, "validation_error")


def test_one_code_per_phone_per_30_seconds(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    request_code(PHONE)
    clock.advance(seconds=10)

    body = assert_problem(client.post(CODE, json={"phone": PHONE}), 429, "rate_limited")
    response = client.post(CODE, json={"phone": PHONE})
    assert response.headers["retry-after"] == "20"
    assert body["detail"]
    # Another phone is not affected; after 30 s this one may ask again.
    assert client.post(CODE, json={"phone": "13700000000"}).status_code == 202
    clock.advance(seconds=20)
    assert client.post(CODE, json={"phone": PHONE}).status_code == 202


def test_a_new_code_does_not_kill_the_one_sent_before(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    """The first text may arrive after the second was asked for: either code signs in, once."""
    old = request_code(PHONE)
    clock.advance(seconds=31)
    new = request_code(PHONE)

    assert client.post(TOKEN, json={"phone": PHONE, "code": old}).status_code == 200
    if old != new:  # one in a million they are equal
        # Signed in: every code sent to the phone is spent.
        used = client.post(TOKEN, json={"phone": PHONE, "code": new})
        assert_problem(used, 401, "invalid_code")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_five_wrong_codes_lock_out_the_guesser_not_the_phones_owner(
    app: FastAPI, client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)
    guesser = from_address(app, "198.51.100.7")
    left = []
    for _ in range(4):
        response = guesser.post(TOKEN, json={"phone": PHONE, "code": _wrong(code)})
        assert_problem(response, 401, "invalid_code")
        left.append(response.json()["tries_left"])
        assert response.json()["lockout_minutes"] == 15
        clock.advance(seconds=10)
    assert left == [4, 3, 2, 1]  # after the 4th, one try is left before the lock

    fifth = guesser.post(TOKEN, json={"phone": PHONE, "code": _wrong(code)})
    assert_problem(fifth, 429, "locked_out")
    assert fifth.headers["retry-after"] == "860"  # 15 min after the guesser's first wrong code

    # The guesser is refused even the right code until then, while the phone's owner, on
    # her own network, signs in with it.
    assert_problem(guesser.post(TOKEN, json={"phone": PHONE, "code": code}), 429, "locked_out")
    assert client.post(TOKEN, json={"phone": PHONE, "code": code}).status_code == 200

    clock.advance(minutes=14)
    fresh = request_code(PHONE)
    locked = guesser.post(TOKEN, json={"phone": PHONE, "code": fresh})
    assert_problem(locked, 429, "locked_out")
    assert locked.headers["retry-after"] == "20"
    clock.advance(seconds=20)
    assert guesser.post(TOKEN, json={"phone": PHONE, "code": fresh}).status_code == 200


def test_wrong_codes_from_many_addresses_kill_the_phones_codes_not_the_phone(
    app: FastAPI, client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    """A guesser with many addresses gets 20 guesses at a code in 10⁶, then the codes die; the
    owner asks for a new code and signs in."""
    code = request_code(PHONE)
    for n in range(20):
        guesser = from_address(app, f"198.51.100.{n}")
        response = guesser.post(TOKEN, json={"phone": PHONE, "code": _wrong(code)})
        assert_problem(response, 401, "invalid_code")

    assert_problem(client.post(TOKEN, json={"phone": PHONE, "code": code}), 401, "invalid_code")
    clock.advance(seconds=31)
    fresh = request_code(PHONE)
    assert client.post(TOKEN, json={"phone": PHONE, "code": fresh}).status_code == 200


def test_wrong_codes_spread_beyond_15_minutes_do_not_lock(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    code = request_code(PHONE)
    for _ in range(4):
        client.post(TOKEN, json={"phone": PHONE, "code": _wrong(code)})
    clock.advance(minutes=15, seconds=1)
    code = request_code(PHONE)

    response = client.post(TOKEN, json={"phone": PHONE, "code": _wrong(code)})

    assert_problem(response, 401, "invalid_code")
    assert client.post(TOKEN, json={"phone": PHONE, "code": code}).status_code == 200


def test_a_phone_gets_ten_texts_a_day(
    client: TestClient, clock: FakeClock, request_code: Callable[[str], str]
):
    for _ in range(10):
        request_code(PHONE)
        clock.advance(seconds=31)

    refused = client.post(CODE, json={"phone": PHONE})

    body = assert_problem(refused, 429, "texts_used_up")
    assert "today" in body["detail"]
    assert int(refused.headers["retry-after"]) == 24 * 3600 - 10 * 31
    clock.advance(days=1)
    request_code(PHONE)


def test_an_address_gets_a_hundred_texts_a_day_whatever_the_phones(
    app: FastAPI, client: TestClient, request_code: Callable[[str], str]
):
    for n in range(100):
        request_code(f"1390000{n:04d}")

    assert_problem(client.post(CODE, json={"phone": "13911112222"}), 429, "texts_used_up")
    elsewhere = from_address(app, "203.0.113.5")
    assert elsewhere.post(CODE, json={"phone": "13911112222"}).status_code == 202


def test_dev_login_code_is_accepted_for_any_phone_in_dev(
    make_app: Callable[..., FastAPI], settings: Settings
):
    client = TestClient(make_app(settings.model_copy(update={"dev_login_code": "246810"})))

    for phone in ("13800000001", "15900001111"):
        response = client.post(TOKEN, json={"phone": phone, "code": "246810"})
        assert response.status_code == 200, response.text


def test_production_refuses_to_start_with_a_dev_login_code(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("SUNSHINE_ENV", "production")
    monkeypatch.setenv("SUNSHINE_DEV_LOGIN_CODE", "246810")

    with pytest.raises(ValidationError, match="SUNSHINE_DEV_LOGIN_CODE"):
        Settings()


def test_production_never_accepts_the_dev_login_code(
    make_app: Callable[..., FastAPI], settings: Settings, caplog: pytest.LogCaptureFixture
):
    # Bypass validation (model_copy does not validate) to prove the route's own check.
    production = settings.model_copy(update={"env": "production", "dev_login_code": "246810"})
    client = TestClient(make_app(production))

    response = client.post(TOKEN, json={"phone": PHONE, "code": "246810"})
    assert_problem(response, 401, "invalid_code")

    with caplog.at_level(logging.DEBUG):
        assert client.post(CODE, json={"phone": PHONE}).status_code == 202
    assert "sign-in code" not in caplog.text, "codes are never logged in production"


@pytest.fixture
def sign_in(client: TestClient, request_code: Callable[[str], str]) -> Callable[[str], dict]:
    def sign_in(phone: str = PHONE) -> dict[str, Any]:
        response = client.post(TOKEN, json={"phone": phone, "code": request_code(phone)})
        assert response.status_code == 200, response.text
        return response.json()

    return sign_in


def test_refresh_rotates_and_a_reused_refresh_token_is_refused(
    client: TestClient, clock: FakeClock, sign_in: Callable[[str], dict]
):
    first = sign_in(PHONE)

    second = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    assert new["access_token"] != first["access_token"]
    auth = {"Authorization": f"Bearer {new['access_token']}"}
    assert client.get(ME, headers=auth).status_code == 200
    # The old access token went with the rotation.
    old_auth = {"Authorization": f"Bearer {first['access_token']}"}
    assert_problem(client.get(ME, headers=old_auth), 401, "unauthorized")

    reused = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert_problem(reused, 401, "invalid_token")
    # Reuse means a copy is out there: the whole chain is revoked.
    assert_problem(client.get(ME, headers=auth), 401, "unauthorized")
    chained = client.post(REFRESH, json={"refresh_token": new["refresh_token"]})
    assert_problem(chained, 401, "invalid_token")


def test_a_replayed_refresh_is_a_reuse_that_yields_no_second_pair(
    client: TestClient, clock: FakeClock, sign_in: Callable[[str], dict]
):
    """Issue 18, item 2: the same refresh request again (same Idempotency-Key, as a copy of
    it would be sent) used to mint a fresh working pair and revoke the person's own."""
    first = sign_in(PHONE)
    request = {
        "json": {"refresh_token": first["refresh_token"]},
        "headers": {"Idempotency-Key": str(uuid.uuid4())},
    }
    rotated = client.post(REFRESH, **request)
    assert rotated.status_code == 200, rotated.text

    replayed = client.post(REFRESH, **request)

    assert_problem(replayed, 401, "invalid_token")
    assert "access_token" not in replayed.text
    # Reuse: the whole chain ends, the pair the first answer carried too.
    auth = {"Authorization": f"Bearer {rotated.json()['access_token']}"}
    assert_problem(client.get(ME, headers=auth), 401, "unauthorized")
    chained = client.post(REFRESH, json={"refresh_token": rotated.json()["refresh_token"]})
    assert_problem(chained, 401, "invalid_token")


def test_unknown_or_expired_refresh_token_is_401(
    client: TestClient, clock: FakeClock, sign_in: Callable[[str], dict]
):
    assert_problem(client.post(REFRESH, json={"refresh_token": "nope"}), 401, "invalid_token")
    pair = sign_in(PHONE)
    clock.advance(days=31)

    expired = client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    assert_problem(expired, 401, "invalid_token")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
)
def test_me_without_a_valid_access_token_is_401(client: TestClient, headers: dict[str, str]):
    response = client.get(ME, headers=headers)

    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_access_token_is_401_and_refresh_still_works(
    client: TestClient, clock: FakeClock, sign_in: Callable[[str], dict]
):
    pair = sign_in(PHONE)
    clock.advance(minutes=15)

    response = client.get(ME, headers={"Authorization": f"Bearer {pair['access_token']}"})

    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert client.post(REFRESH, json={"refresh_token": pair["refresh_token"]}).status_code == 200


def test_tokens_and_codes_never_reach_logs_or_plain_database_rows(
    app: FastAPI, client: TestClient, clock: FakeClock, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.DEBUG):
        client.post(CODE, json={"phone": PHONE})
        code = logged_code(caplog)  # dev mode: the code is logged on purpose, nothing else
        pair = client.post(TOKEN, json={"phone": PHONE, "code": code}).json()
        refreshed = client.post(
            REFRESH,
            json={"refresh_token": pair["refresh_token"]},
            headers={"Idempotency-Key": "6f1c1b6e-0a52-4c8e-9a55-3d2f7d1e0b11"},
        ).json()
        client.get(ME, headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    secrets = [pair[k] for k in ("access_token", "refresh_token")] + [
        refreshed[k] for k in ("access_token", "refresh_token")
    ]

    for secret in secrets:
        assert secret not in caplog.text
    dump = _dump_database(app)
    for secret in [*secrets, code]:
        assert secret not in dump, "a token or code is stored in plain text"
    assert PHONE not in dump  # sealed (tests/backend/test_backend_sealed.py)
    assert "resident" in dump  # the scan does see row contents (the roles)


def _dump_database(app: FastAPI) -> str:
    """Every value of every row of every table, as text (bytes decoded leniently)."""
    parts: list[str] = []
    with app.state.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts)
