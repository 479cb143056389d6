"""POST /auth/logout: this sign-in's access and refresh tokens stop working; others stay. The
sign-in is named by its access token or, once that has expired, by its refresh token."""

from typing import Any

from fastapi.testclient import TestClient
from route_support import API, DEV_CODE, problem_code

from backend.core.clock import FakeClock

LOGOUT = f"{API}/auth/logout"


def _sign_in(client: TestClient, phone: str = "13800000001") -> dict[str, Any]:
    response = client.post(f"{API}/auth/token", json={"phone": phone, "code": DEV_CODE})
    assert response.status_code == 200, response.text
    return response.json()


def _bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def test_logout_revokes_this_sessions_tokens_and_a_second_call_is_401(
    client: TestClient, clock: FakeClock
):
    kiosk, phone = _sign_in(client), _sign_in(client)

    first = client.post(LOGOUT, headers=_bearer(kiosk))
    second = client.post(LOGOUT, headers=_bearer(kiosk))

    assert first.status_code == 204 and first.content == b""
    assert second.status_code == 401 and problem_code(second) == "unauthorized"
    assert client.get(f"{API}/me", headers=_bearer(kiosk)).status_code == 401
    refresh = client.post(f"{API}/auth/refresh", json={"refresh_token": kiosk["refresh_token"]})
    assert refresh.status_code == 401 and problem_code(refresh) == "invalid_token"
    assert client.get(f"{API}/me", headers=_bearer(phone)).status_code == 200


def test_a_sign_in_whose_access_token_expired_is_ended_by_its_refresh_token(
    client: TestClient, clock: FakeClock
):
    """Issue 18, item 11: with only the access token, a device signing out after it expired
    left the 30-day refresh token working."""
    pair, other = _sign_in(client), _sign_in(client)
    clock.advance(minutes=16)  # the access token has expired

    ended = client.post(
        LOGOUT, headers=_bearer(pair), json={"refresh_token": pair["refresh_token"]}
    )

    assert ended.status_code == 204
    refresh = client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401 and problem_code(refresh) == "invalid_token"
    still = client.post(f"{API}/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert still.status_code == 200, "the device's other sign-in stays"
    again = client.post(LOGOUT, json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401 and problem_code(again) == "unauthorized"


def test_logout_needs_a_live_token_of_the_sign_in(client: TestClient, clock: FakeClock):
    pair = _sign_in(client)

    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        response = client.post(LOGOUT, headers=headers)
        assert response.status_code == 401 and problem_code(response) == "unauthorized"
    refresh_as_access = client.post(
        LOGOUT, headers=_bearer({"access_token": pair["refresh_token"]})
    )
    assert refresh_as_access.status_code == 401
    access_as_refresh = client.post(LOGOUT, json={"refresh_token": pair["access_token"]})
    assert access_as_refresh.status_code == 401
    clock.advance(minutes=16)
    assert client.post(LOGOUT, headers=_bearer(pair)).status_code == 401
