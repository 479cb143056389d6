"""Every failure of the API client is a SunshineError, whatever the network hands back."""

from __future__ import annotations

import httpx
import pytest

from services.api import ApiClient
from services.errors import BadResponseError, CursorExpiredError, OfflineError, ProblemError


def client_answering(handler) -> ApiClient:
    return ApiClient("http://backend.test", transport=httpx.MockTransport(handler))


def test_a_captive_portal_page_is_treated_as_offline():
    api = client_answering(lambda request: httpx.Response(200, text="<html>Wi-Fi login</html>"))
    with pytest.raises(BadResponseError):
        api.catalog_changes(None)


def test_a_captive_portal_redirect_is_offline_not_a_refusal():
    """Else the outbox would reject (drop) every action sent through hotel Wi-Fi."""
    api = client_answering(
        lambda request: httpx.Response(302, headers={"Location": "http://portal.test/login"})
    )
    with pytest.raises(BadResponseError):
        api.call("PATCH", "/me", json={"address": "x"}, key="k")
    with pytest.raises(BadResponseError):
        api.catalog_changes(None)


def test_json_that_breaks_the_contract_is_a_bad_response():
    api = client_answering(lambda request: httpx.Response(200, json={"changes": "nope"}))
    with pytest.raises(OfflineError):
        api.catalog_changes(None)


def test_refused_connection_is_offline():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(OfflineError):
        client_answering(refuse).health()


def test_problem_json_keeps_its_code_and_410_is_cursor_expired():
    problem = {"type": "urn:x", "title": "Cursor expired", "status": 410, "code": "cursor_expired"}
    api = client_answering(
        lambda request: httpx.Response(
            410, json=problem, headers={"content-type": "application/problem+json"}
        )
    )
    with pytest.raises(CursorExpiredError) as raised:
        api.catalog_changes("old")
    assert raised.value.code == "cursor_expired" and raised.value.status == 410


def test_an_error_without_problem_json_still_has_a_stable_code():
    api = client_answering(lambda request: httpx.Response(502, text="Bad Gateway"))
    with pytest.raises(ProblemError) as raised:
        api.health()
    assert raised.value.code == "http_502"


def test_the_last_try_before_the_lockout_is_said() -> None:
    from app.account.messages import failure_sentence
    from app.i18n import set_language

    set_language("zh_CN")
    last = ProblemError(401, "invalid_code", tries_left=1, lockout_minutes=15)
    assert failure_sentence(last) == (
        "验证码错误或已过期。再输错一次，为了您的安全，在这里登录将暂停最多 15 分钟。请检查，或重新获取验证码。"
    )
    more = ProblemError(401, "invalid_code", tries_left=3, lockout_minutes=15)
    assert "暂停" not in failure_sentence(more)
    assert "暂停" not in failure_sentence(ProblemError(401, "invalid_code"))


def test_a_code_text_the_gateway_did_not_take_is_said_so() -> None:
    from app.account.messages import failure_sentence
    from app.i18n import set_language

    set_language("zh_CN")
    assert failure_sentence(ProblemError(503, "sms_failed")) == "验证码短信没有发出去，请再试一次。"


def test_a_number_that_had_its_codes_for_today_is_told_when_to_ask_again() -> None:
    from app.account.messages import failure_sentence
    from app.i18n import set_language

    used_up = ProblemError(429, "texts_used_up", retry_after=5 * 3600 + 1)
    set_language("zh_CN")
    assert failure_sentence(used_up) == "今天发送到这个号码的验证码太多了，6 小时后可以再获取。"
    set_language("en")
    try:
        assert failure_sentence(used_up).endswith("another in 6 hours.")
        assert failure_sentence(ProblemError(429, "texts_used_up", retry_after=60)).endswith(
            "another in 1 hour."
        )
    finally:
        set_language("zh_CN")


@pytest.mark.parametrize(
    ("members", "left", "minutes"),
    [
        ({"tries_left": 1, "lockout_minutes": 15}, 1, 15),
        ({"tries_left": "1", "lockout_minutes": True}, None, None),  # not counts: ignored
        ({"tries_left": -2}, None, None),
        ({}, None, None),
    ],
)
def test_a_wrong_code_problem_says_how_many_tries_are_left(members, left, minutes):
    problem = {"title": "Wrong code", "status": 401, "code": "invalid_code", **members}
    api = client_answering(lambda request: httpx.Response(401, json=problem))
    with pytest.raises(ProblemError) as raised:
        api.call("POST", "/auth/token", json={"phone": "13800000001", "code": "000000"}, key="k")
    assert (raised.value.tries_left, raised.value.lockout_minutes) == (left, minutes)
